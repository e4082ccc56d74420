# Sourced by the comparison scripts: `collect_renders RENDERS GLOB SUFFIX REFERENCE_SUFFIX` fills
# the array `files` with the WAV renders in RENDERS matching GLOB that have a label file
# STEM$SUFFIX beside them, copies each label to "$out/reference/STEM$REFERENCE_SUFFIX", and says
# how many files there are.
collect_renders() {
  local renders="$1" glob="$2" suffix="$3" reference_suffix="$4" wav stem
  mkdir -p "$out/reference"
  files=()
  for wav in "$renders"/$glob.wav; do
    stem="$(basename "$wav" .wav)"
    [ -f "$renders/$stem$suffix" ] || continue
    cp "$renders/$stem$suffix" "$out/reference/$stem$reference_suffix"
    files+=("$wav")
  done
  echo "${#files[@]} files from $renders"
}
