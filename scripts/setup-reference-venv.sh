#!/usr/bin/env bash
# Creates a venv with pinned reference libraries for the fixture and bench scripts in scripts/.
# Run by hand; CI never needs it (fixtures are committed).
#   scripts/setup-reference-venv.sh         -> target/reference-venv (librosa, numpy, scipy)
#   scripts/setup-reference-venv.sh torch   -> target/torch-venv     (PyTorch, numpy)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
name="${1:-reference}"
requirements="$root/scripts/$name-requirements.txt"
venv="$root/target/$name-venv"
if [ ! -f "$requirements" ]; then
  echo "no such reference set: $requirements" >&2
  exit 2
fi
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
echo "venv ready: $venv/bin/python"
