# Sourced by the comparison scripts: `timed NAME COMMAND...` runs COMMAND and appends
# "NAME SECONDS" (wall time) to "$out/seconds.txt".
timed() {
  local name="$1"
  shift
  local start end
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  echo "$name $(echo "$end - $start" | bc)" >>"$out/seconds.txt"
}
