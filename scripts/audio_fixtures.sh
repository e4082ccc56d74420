#!/usr/bin/env bash
# Writes the small compressed-format fixtures the trainer's audio tests decode: half a second of
# a 440 Hz sine (left) and 660 Hz sine (right) at amplitude 0.5, in FLAC, MP3, Ogg Vorbis and
# AIFF, at different rates and channel counts; and clicks (a one-sample impulse every quarter
# second from 0.25 s, one second long) as MP3 at 44.1 and 16 kHz, for gapless decoding. Needs
# sox with MP3 support and lame (Debian: sox, libsox-fmt-mp3, lame) and python3. Run by hand;
# the files are committed.
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

clicks() { # RATE FILE
  local wav
  wav="$(mktemp --suffix .wav)"
  python3 - "$1" "$wav" <<'PY'
import struct, sys, wave
rate, path = int(sys.argv[1]), sys.argv[2]
samples = [0] * rate
for k in range(1, 4):
    samples[k * rate // 4] = 24000
with wave.open(path, "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(rate)
    w.writeframes(b"".join(struct.pack("<h", s) for s in samples))
PY
  lame --quiet -b 128 "$wav" "$out/$2"
  rm "$wav"
}
clicks 44100 clicks-44100.mp3
clicks 16000 clicks-16000.mp3

ls -l "$out"
