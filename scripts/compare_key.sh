#!/usr/bin/env bash
# Key estimation compared on the same files in one run: Earshot (the plug-in's engine through
# `earshot analyze --tasks key`, the whole-file key) and madmom 0.16.1's offline `KeyRecognition`
# program, each scored by `earshot eval --task key` (mir_eval's weighted score: 1 the key, 0.5 a
# fifth, 0.3 relative, 0.2 parallel) against the renders' keys.
#
#   scripts/compare_key.sh RENDERS_DIR OUT_DIR [SONGS_GLOB]
#
# RENDERS_DIR is an `earshot-train dataset render` folder (NNN.wav with NNN.key.txt beside);
# SONGS_GLOB picks files (default: all). Needs a release build (cargo build --release -p
# earshot-cli) and scripts/setup-madmom-venv.sh. Prints the mean score, the share of keys found
# exactly, and the seconds each system took.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
renders="$1"
out="$2"
glob="${3:-*}"
earshot="$root/target/release/earshot"
madmom="$root/target/madmom-venv/bin"
mkdir -p "$out/earshot" "$out/madmom"
# shellcheck source=scripts/renders.sh
source "$root/scripts/renders.sh"
collect_renders "$renders" "$glob" .key.txt .key.txt
# shellcheck source=scripts/timed.sh
source "$root/scripts/timed.sh"
rm -f "$out/seconds.txt"
timed earshot "$earshot" analyze "${files[@]}" --tasks key --format txt --out "$out/earshot"
timed madmom "$madmom/KeyRecognition" batch -j 2 -o "$out/madmom" -s .key.txt "${files[@]}"
printf "%-10s %8s %8s\n" system score exact
for system in earshot madmom; do
  "$earshot" eval --task key --ref "$out/reference" --est "$out/$system" --json >"$out/$system.json"
  python3 - "$out/$system.json" "$system" <<'PY'
import json, sys
scores = json.load(open(sys.argv[1]))
files = scores["files"]
exact = sum(1 for f in files if f["scores"]["weighted"] == 1.0) / len(files)
print(f"{sys.argv[2]:<10} {scores['mean']['weighted']:8.4f} {exact:8.4f}")
PY
done
echo "seconds (wall):"
cat "$out/seconds.txt"
