#!/usr/bin/env bash
# Writes the small compressed-format fixtures the trainer's audio tests decode: half a second of
# a 440 Hz sine (left) and 660 Hz sine (right) at amplitude 0.5, in FLAC, MP3, Ogg Vorbis and
# AIFF, at different rates and channel counts. Needs sox with MP3 support (Debian: sox,
# libsox-fmt-mp3). Run by hand; the files are committed.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/io/tests/fixtures"
mkdir -p "$out"
tone() { # RATE CHANNELS FILE [sox output options…]
  local rate=$1 channels=$2 file=$3
  shift 3
  local tones="sine 440"
  [ "$channels" = 2 ] && tones="sine 440 sine 660"
  sox -n -r "$rate" -c "$channels" "$@" "$out/$file" synth 0.5 $tones vol 0.5
}
tone 22050 2 tone.flac -b 16
tone 44100 2 tone.mp3 -C 192
tone 48000 2 tone.ogg -C 6
tone 16000 1 tone.aiff -b 16

ls -l "$out"
