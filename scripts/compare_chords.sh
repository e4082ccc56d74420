#!/usr/bin/env bash
# Chord recognition compared on the same files in one run: Earshot (the plug-in's engine,
# online, through `earshot analyze --tasks chords`) and madmom 0.16.1's offline
# `CNNChordRecognition` and `DCChordRecognition` programs, each scored by `earshot eval --task
# chords` (mir_eval's weighted chord symbol recall and segmentation) against the renders'
# chord labels.
#
#   scripts/compare_chords.sh RENDERS_DIR OUT_DIR [SONGS_GLOB [SYSTEMS]]
#
# RENDERS_DIR is an `earshot-train dataset render` folder (NNN.wav with NNN.chords.lab beside);
# SONGS_GLOB picks files (default: all, e.g. '7[0-1]?' for 700–719); SYSTEMS, a space-separated
# list of earshot, madmom-cnn and madmom-dc, which to run (default: all three; madmom's CNN takes
# about 30 s a song, too long for all 150 on a small machine). Needs a release build
# (cargo build --release -p earshot-cli) and scripts/setup-madmom-venv.sh. Prints a table and
# the seconds each system took.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
renders="$1"
out="$2"
glob="${3:-*}"
systems="${4:-earshot madmom-cnn madmom-dc}"
runs() { [[ " $systems " == *" $1 "* ]]; }
earshot="$root/target/release/earshot"
madmom="$root/target/madmom-venv/bin"
# shellcheck source=scripts/renders.sh
source "$root/scripts/renders.sh"
collect_renders "$renders" "$glob" .chords.lab .lab
# shellcheck source=scripts/timed.sh
source "$root/scripts/timed.sh"
rm -f "$out/seconds.txt"
if runs earshot; then
  timed earshot "$earshot" analyze "${files[@]}" --tasks chords --format txt --out "$out/earshot"
  for stem in "$out"/earshot/*.chords.lab; do
    mv "$stem" "${stem%.chords.lab}.lab"
  done
fi
if runs madmom-cnn; then
  mkdir -p "$out/madmom-cnn"
  timed madmom-cnn "$madmom/CNNChordRecognition" batch -j 2 -o "$out/madmom-cnn" -s .lab \
    "${files[@]}"
fi
if runs madmom-dc; then
  mkdir -p "$out/madmom-dc"
  timed madmom-dc "$madmom/DCChordRecognition" batch -j 2 -o "$out/madmom-dc" -s .lab "${files[@]}"
fi
printf "%-12s %7s %7s %9s %7s\n" system root majmin sevenths seg
for system in $systems; do
  "$earshot" eval --task chords --ref "$out/reference" --est "$out/$system" --json \
    >"$out/$system.json"
  python3 - "$out/$system.json" "$system" <<'PY'
import json, sys
mean = json.load(open(sys.argv[1]))["mean"]
print(f"{sys.argv[2]:<12} {mean['root']:7.4f} {mean['majmin']:7.4f} {mean['sevenths']:9.4f} {mean['seg']:7.4f}")
PY
done
echo "seconds (wall):"
cat "$out/seconds.txt"
