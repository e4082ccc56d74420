#!/usr/bin/env bash
# Vocal activity on the same renders in one run: Earshot (the plug-in's engine, online, through
# `earshot analyze --tasks voice`) and the baseline (scripts/voice_baseline.py: MFCCs into a
# logistic regression, trained here on the training renders), each scored by `earshot eval
# --task voice` (frame accuracy, precision, recall and F on a 10 ms grid) against the renders'
# melody labels, folder by folder (the sung and the played versions of the same songs).
#
#   scripts/compare_voice.sh OUT_DIR "TRAIN_DIR..." RENDERS_DIR...
#
# TRAIN_DIR and RENDERS_DIR are `earshot-train dataset render` folders (NNN.wav with
# NNN.melody.lab beside); the baseline trains on songs 1–700 of the TRAIN_DIRs. Set
# EARSHOT_WEIGHTS to score other voice weights than the shipped ones. Needs a release build
# (cargo build --release -p earshot-cli) and scripts/setup-reference-venv.sh. Prints a table
# per folder and the seconds each system took.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$1"
read -r -a train <<<"$2"
shift 2
earshot="$root/target/release/earshot"
weights=()
if [ -n "${EARSHOT_WEIGHTS:-}" ]; then weights=(--weights "$EARSHOT_WEIGHTS"); fi
mkdir -p "$out"
# shellcheck source=scripts/timed.sh
source "$root/scripts/timed.sh"
rm -f "$out/seconds.txt"
all=()
for renders in "$@"; do
  all+=("$renders"/*.wav)
  timed "earshot-$(basename "$renders")" "$earshot" analyze "$renders"/*.wav --tasks voice \
    --format txt "${weights[@]}" --out "$out/earshot/$(basename "$renders")"
  rm -f "$out/earshot/$(basename "$renders")"/*.voice.csv
done
train_args=()
for dir in "${train[@]}"; do train_args+=(--train "$dir"); done
timed baseline "$root/target/reference-venv/bin/python" "$root/scripts/voice_baseline.py" \
  "${train_args[@]}" --songs 1-700 --out "$out/baseline" "${all[@]}"
for renders in "$@"; do
  name="$(basename "$renders")"
  echo "$name:"
  printf "  %-10s %9s %7s %7s %7s\n" system accuracy P R F
  for system in earshot baseline; do
    "$earshot" eval --task voice --ref "$renders" --est "$out/$system/$name" --json \
      2>/dev/null >"$out/$system-$name.json"
    python3 - "$out/$system-$name.json" "$system" <<'PY'
import json, sys
mean = json.load(open(sys.argv[1]))["mean"]
print(f"  {sys.argv[2]:<10} {mean['accuracy']:9.4f} {mean['P']:7.4f} {mean['R']:7.4f} {mean['F']:7.4f}")
PY
  done
done
echo "seconds (wall):"
cat "$out/seconds.txt"
