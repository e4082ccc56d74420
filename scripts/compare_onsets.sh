#!/usr/bin/env bash
# Onset detection compared on the same files in one run: Earshot (the plug-in's engine, through
# `earshot analyze`), madmom's offline CNN and online RNN, and librosa's onset_detect, each
# scored by `earshot eval` (mir_eval's onset F-measure, ±50 ms) against the renders' labels.
#
#   scripts/compare_onsets.sh RENDERS_DIR OUT_DIR [SONGS_GLOB]
#
# RENDERS_DIR is an `earshot-train dataset render` folder (NNN.wav with NNN.onsets.txt beside, and
# NNN.salience.txt if rendered with --salience: copied to OUT_DIR/salience for onset_errors.py);
# SONGS_GLOB picks files (default: all, e.g. '7[0-2]?' for 700–729). Needs a release build
# (cargo build --release -p earshot-cli), scripts/setup-reference-venv.sh and
# scripts/setup-madmom-venv.sh. Prints a table and the seconds each system took.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
renders="$1"
out="$2"
glob="${3:-*}"
earshot="$root/target/release/earshot"
mkdir -p "$out/salience"
# shellcheck source=scripts/renders.sh
source "$root/scripts/renders.sh"
collect_renders "$renders" "$glob" .onsets.txt .onsets.txt
for wav in "${files[@]}"; do
  stem="$(basename "$wav" .wav)"
  if [ -f "$renders/$stem.salience.txt" ]; then
    cp "$renders/$stem.salience.txt" "$out/salience/$stem.salience.txt"
  fi
done
# shellcheck source=scripts/timed.sh
source "$root/scripts/timed.sh"
rm -f "$out/seconds.txt"
timed earshot "$earshot" analyze "${files[@]}" --tasks onsets --format txt --out "$out/earshot"
timed librosa "$root/target/reference-venv/bin/python" "$root/scripts/librosa_events.py" onsets \
  "$out/librosa" "${files[@]}"
timed madmom "$root/target/madmom-venv/bin/python" "$root/scripts/onsets_madmom.py" \
  "$out" "${files[@]}"
printf "%-15s %6s %6s %6s\n" system F P R
for system in earshot madmom-online madmom-cnn librosa; do
  "$earshot" eval --task onsets --ref "$out/reference" --est "$out/$system" --json \
    >"$out/$system.json"
  python3 - "$out/$system.json" "$system" <<'PY'
import json, sys
mean = json.load(open(sys.argv[1]))["mean"]
print(f"{sys.argv[2]:<15} {mean['F']:6.4f} {mean['P']:6.4f} {mean['R']:6.4f}")
PY
done
echo "seconds (wall, the madmom line covers both of its detectors):"
cat "$out/seconds.txt"
