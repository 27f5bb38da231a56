#!/usr/bin/env bash
# Trace reading, side by side on the same bytes, in one run:
#   1. traces_benchmark: simdjson's own On Demand walk over the file (the ceiling), inquest
#      reading every span, and reading + building every tree + every critical path;
#   2. extracting one trace by id: `inquest trace FILE --id ID --format json` against
#      `jq` selecting that trace's spans (the floor of convenience).
#
#   bench/traces_compare.sh [SIZE]    SIZE for bench/traces_generate.py, default 1GiB
#
# Needs a build with the benchmarks: BUILD (default build/) must hold bench/traces_benchmark
# and inquest. The data is generated once into bench/data/ (deterministic). Each command runs
# once: a pass over a gigabyte is long enough to time, and the machine may be shared (the load
# average is printed beside the figures).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
size=${1:-1GiB}
build=${BUILD:-$root/build}
data=$root/bench/data
mkdir -p "$data"
file=$data/traces-$size.json
if [ ! -f "$file" ]; then
  python3 "$root/bench/traces_generate.py" --size "$size" "$file.tmp" >"$file.id.tmp"
  mv "$file.tmp" "$file"
  mv "$file.id.tmp" "$file.id"
fi
[ -f "$file.id" ] || python3 "$root/bench/traces_generate.py" --size "$size" /dev/null >"$file.id"
id=$(cat "$file.id")
bytes=$(stat -c %s "$file")
echo "file: $file ($bytes bytes), trace id: $id"
grep -m1 'model name' /proc/cpuinfo || true
echo "cores: $(nproc), load before: $(cut -d' ' -f1-3 /proc/loadavg)"

INQUEST_TRACES_FILE=$file "$build/bench/traces_benchmark" --benchmark_counters_tabular=true

# seconds of wall, user+sys CPU and peak RSS of one command
measure() {
  local name=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$data/time.tmp" "$@" >"$data/out-$name.tmp" 2>/dev/null
  read -r wall user sys rss <"$data/time.tmp"
  local cpu
  cpu=$(awk "BEGIN{print $user + $sys}")
  printf '%-28s wall %7.2f s  cpu %7.2f s  %8.0f MB/s (wall)  peak RSS %6d MiB\n' "$name" \
    "$wall" "$cpu" "$(awk "BEGIN{print $bytes / 1048576 / $wall}")" $((rss / 1024))
  eval "wall_$name=$wall cpu_$name=$cpu"
}
measure inquest_trace_id "$build/inquest" trace "$file" --id "$id" --format json
measure jq_one_trace jq -c --arg id "$id" \
  '.resourceSpans[] | .scopeSpans[] | .spans[] | select(.traceId == $id)' "$file"
spans_inquest=$(python3 -c "import json,sys; print(len(json.load(open('$data/out-inquest_trace_id.tmp'))['spans']))")
spans_jq=$(wc -l <"$data/out-jq_one_trace.tmp")
echo "spans of the trace: inquest $spans_inquest, jq $spans_jq"
echo "inquest --id vs jq: $(awk "BEGIN{printf \"%.1f\", $wall_jq_one_trace / $wall_inquest_trace_id}")x" \
  "faster (wall), $(awk "BEGIN{printf \"%.1f\", $cpu_jq_one_trace / $cpu_inquest_trace_id}")x (cpu)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$data"/out-*.tmp "$data/time.tmp"
