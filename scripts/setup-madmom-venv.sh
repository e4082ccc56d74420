#!/usr/bin/env bash
# Creates target/madmom-venv with madmom 0.16.1, the reference onset/beat/chord/key system the
# README compares against. Run by hand; CI never needs it.
#
# madmom 0.16.1 (the newest on PyPI) builds on Python 3.11 only with older tools: numpy 1.23.5,
# Cython < 3, setuptools < 81 and scipy < 1.12, without build isolation; its shipped
# pre-generated *.c files must be deleted (they need a CPython header 3.11 removed) so Cython
# regenerates them, and `processors.py` must import MutableSequence from collections.abc.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/target/madmom-venv"
work="$root/target/madmom-build"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)
"${pip[@]}" install "numpy==1.23.5" "cython<3" "setuptools<81" "scipy<1.12" wheel mido
if "$venv/bin/python" -c "import madmom" 2>/dev/null; then
  echo "venv ready: $venv/bin/python"
  exit 0
fi
rm -rf "$work" && mkdir -p "$work"
"${pip[@]}" download --no-deps --no-build-isolation --no-binary :all: "madmom==0.16.1" -d "$work"
tar -xzf "$work"/madmom-0.16.1.tar.gz -C "$work"
source_dir="$work/madmom-0.16.1"
find "$source_dir/madmom" -name "*.c" -delete
sed -i 's/^from collections import MutableSequence/from collections.abc import MutableSequence/' \
  "$source_dir/madmom/processors.py"
"${pip[@]}" install --no-build-isolation "$source_dir"
"$venv/bin/python" -c "import madmom; print('madmom', madmom.__version__)"
echo "venv ready: $venv/bin/python"
