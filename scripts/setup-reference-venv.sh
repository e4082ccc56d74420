#!/usr/bin/env bash
# Creates target/reference-venv with the pinned reference libraries (librosa, numpy, scipy) that
# the fixture scripts in scripts/ use. Run by hand; CI never needs it (fixtures are committed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/target/reference-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/scripts/reference-requirements.txt"
echo "reference venv ready: $venv/bin/python"
