#!/usr/bin/env bash
# Beat and downbeat tracking compared on the same files in one run: Earshot (the plug-in's
# engine, online, through `earshot analyze --tasks beats`), madmom 0.16.1's `DBNBeatTracker`
# offline (batch) and online (`--online`, file by file in single mode), its offline
# `DBNDownBeatTracker`, and librosa 0.11's `beat_track`, each scored by `earshot eval --task
# beats` (mir_eval's beat F-measure ±70 ms, CMLt, AMLt; downbeat F ±70 ms) against the renders'
# beat labels.
#
#   scripts/compare_beats.sh RENDERS_DIR OUT_DIR [SONGS_GLOB [SYSTEMS]]
#
# RENDERS_DIR is an `earshot-train dataset render` folder (NNN.wav with NNN.beats.txt beside);
# SONGS_GLOB picks files (default: all); SYSTEMS, a space-separated list of earshot,
# madmom-dbn, madmom-online, madmom-downbeat and librosa (default: all). Needs a release build
# (cargo build --release -p earshot-cli), scripts/setup-madmom-venv.sh and
# scripts/setup-reference-venv.sh. Prints a table and the seconds each system took.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
renders="$1"
out="$2"
glob="${3:-*}"
systems="${4:-earshot madmom-dbn madmom-online madmom-downbeat librosa}"
runs() { [[ " $systems " == *" $1 "* ]]; }
earshot="$root/target/release/earshot"
madmom="$root/target/madmom-venv/bin"
# shellcheck source=scripts/renders.sh
source "$root/scripts/renders.sh"
collect_renders "$renders" "$glob" .beats.txt .beats.txt
# shellcheck source=scripts/timed.sh
source "$root/scripts/timed.sh"
rm -f "$out/seconds.txt"
if runs earshot; then
  timed earshot "$earshot" analyze "${files[@]}" --tasks beats --format txt --out "$out/earshot"
  # The whole-file tempi go beside the beats, out of the folder that is scored.
  mkdir -p "$out/earshot-tempo"
  mv "$out"/earshot/*.tempo.txt "$out/earshot-tempo/"
fi
if runs madmom-dbn; then
  mkdir -p "$out/madmom-dbn"
  timed madmom-dbn "$madmom/DBNBeatTracker" batch -j 2 -o "$out/madmom-dbn" -s .beats.txt \
    "${files[@]}"
fi
if runs madmom-online; then
  mkdir -p "$out/madmom-online"
  online() {
    for wav in "${files[@]}"; do
      "$madmom/DBNBeatTracker" single --online "$wav" \
        -o "$out/madmom-online/$(basename "$wav" .wav).beats.txt"
    done
  }
  timed madmom-online online
fi
if runs madmom-downbeat; then
  mkdir -p "$out/madmom-downbeat"
  timed madmom-downbeat "$madmom/DBNDownBeatTracker" batch -j 2 -o "$out/madmom-downbeat" \
    -s .beats.txt "${files[@]}"
fi
if runs librosa; then
  timed librosa "$root/target/reference-venv/bin/python" "$root/scripts/librosa_events.py" beats \
    "$out/librosa" "${files[@]}"
fi
printf "%-16s %7s %7s %7s %9s\n" system F CMLt AMLt downbeatF
for system in $systems; do
  "$earshot" eval --task beats --ref "$out/reference" --est "$out/$system" --json \
    >"$out/$system.json"
  python3 - "$out/$system.json" "$system" <<'PY'
import json, sys
mean = json.load(open(sys.argv[1]))["mean"]
# Only Earshot and DBNDownBeatTracker say where bars start.
down = f"{mean['DownbeatF']:9.4f}" if sys.argv[2] in ("earshot", "madmom-downbeat") else f"{'–':>9}"
print(f"{sys.argv[2]:<16} {mean['F']:7.4f} {mean['CMLt']:7.4f} {mean['AMLt']:7.4f} {down}")
PY
done
echo "seconds (wall):"
cat "$out/seconds.txt"
