#!/usr/bin/env bash
# `inquest core` side by side with `eu-stack -i -s` and `gdb -batch -ex 'thread apply all bt'`
# on one core: a 64-thread process of a large C++ program with full debug information (built
# here from bench/core_bench_gen.py, -g -O2, so that there are inline frames), 63 threads parked
# on a condition variable at the end of call chains and one crashed on a null pointer.
#
#   bench/core_compare.sh [BUILD/inquest] [RUNS]     (from the source folder)
#
# Prints the median wall time of each tool over RUNS runs (default 5), the frame counts each
# printed, and the machine load. Goal of the issue: no slower than eu-stack, 5x faster than gdb.
set -euo pipefail
inquest=$(realpath "${1:-build/inquest}")
runs=${2:-5}
work=${INQUEST_BENCH_DIR:-/tmp/inquest-core-bench}
units=${INQUEST_BENCH_UNITS:-24}
src=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$work"
if [ ! -x "$work/bigapp" ]; then
  echo "building the benchmark program ($units units) in $work ..." >&2
  python3 "$src/core_bench_gen.py" "$work/src" "$units"
  for f in "$work"/src/*.cc; do
    o="$work/$(basename "${f%.cc}").o"
    [ -f "$o" ] || echo "g++ -std=c++17 -g -O2 -pthread -c $f -o $o"
  done | xargs -P 2 -I{} sh -c {}
  g++ -pthread -o "$work/bigapp" "$work"/*.o
fi
cd "$work"
rm -f core core.*
(ulimit -c unlimited; ./bigapp >/dev/null 2>&1) || true
core=$(ls -t core* 2>/dev/null | head -1 || true)
if [ -z "$core" ]; then
  echo "the kernel wrote no core (core_pattern: $(cat /proc/sys/kernel/core_pattern)); using gdb" >&2
  gdb -batch -ex run -ex 'generate-core-file core.gdb' ./bigapp >/dev/null 2>&1 || true
  core=core.gdb
fi
echo "program: $(du -h bigapp | cut -f1) executable ($(size -A bigapp | awk '/^\.debug_info/ {printf "%.1f MiB", $2 / 1048576}') of .debug_info); core: $(du -h "$core" | cut -f1), $(eu-readelf -n "$core" | grep -c PRSTATUS) threads"

# Wall time is what a user waits; on a shared machine it is mostly the load, so the CPU time
# (user + system, of the process and its children) is reported beside it.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_runs() {  # name, command...: prints "median-wall median-cpu"
  local name=$1; shift
  local walls=() cpus=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$work/time.$name" "$@" >"$work/out.$name" 2>/dev/null || true
    read -r e u s <"$work/time.$name"
    walls+=("$e")
    cpus+=("$(echo "$u + $s" | bc)")
  done
  echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median)"
}
read -r w_inq c_inq < <(time_runs inquest "$inquest" core "$core" --exe ./bigapp --locals none --no-modules --format json)
read -r w_full c_full < <(time_runs inquest_full "$inquest" core "$core" --exe ./bigapp)
read -r w_eu c_eu < <(time_runs eu_stack eu-stack -i -s --core "$core" -e ./bigapp)
read -r w_gdb c_gdb < <(time_runs gdb gdb -batch -nx -ex 'thread apply all bt' ./bigapp "$core")
inq_frames=$(python3 -c "import json,sys; print(sum(len(t['frames']) for t in json.load(open(sys.argv[1]))['threads']))" "$work/out.inquest")
count() { grep -c "$2" "$work/out.$1" || true; }
printf '%-46s %8s %8s  %s\n' "tool (median of $runs runs)" "wall s" "cpu s" "frames"
printf '%-46s %8.3f %8.3f  %s\n' "inquest core --locals none (all threads)" "$w_inq" "$c_inq" "$inq_frames"
printf '%-46s %8.3f %8.3f  %s\n' "inquest core (+ crashing thread's variables)" "$w_full" "$c_full" "-"
printf '%-46s %8.3f %8.3f  %s\n' "eu-stack -i -s" "$w_eu" "$c_eu" "$(count eu_stack '^#')"
printf '%-46s %8.3f %8.3f  %s\n' "gdb -batch -ex 'thread apply all bt'" "$w_gdb" "$c_gdb" "$(count gdb '^#')"
echo "cpu: inquest vs eu-stack $(echo "scale=2; $c_eu / $c_inq" | bc)x, vs gdb $(echo "scale=2; $c_gdb / $c_inq" | bc)x"
echo "wall: inquest vs eu-stack $(echo "scale=2; $w_eu / $w_inq" | bc)x, vs gdb $(echo "scale=2; $w_gdb / $w_inq" | bc)x"
echo "load: $(cat /proc/loadavg)"
