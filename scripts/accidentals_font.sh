#!/bin/sh
# Regenerates plugin/assets/accidentals.ttf: the flat, natural and sharp signs (U+266D-U+266F)
# cut from DejaVu Sans (Debian's fonts-dejavu-core; licence in accidentals-LICENSE.txt), for the
# chord names the editor draws. egui's own fonts have no such glyphs.
# Needs fonttools (pip) and fonts-dejavu-core (apt).
set -eu
cd "$(dirname "$0")/.."
pyftsubset /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf --unicodes="U+266D,U+266E,U+266F" \
    --no-hinting --output-file=plugin/assets/accidentals.ttf
cp /usr/share/doc/fonts-dejavu-core/copyright plugin/assets/accidentals-LICENSE.txt
