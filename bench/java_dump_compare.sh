#!/usr/bin/env bash
# Java thread dump speed, end to end: writes the 10,000-thread dump of
# java_dump_benchmark.cc (--write), then times `inquest dump` on it (text and JSON) over
# several runs and prints the best and median wall-clock times next to the machine's load.
# The goal (issue 4): a 10,000-thread dump parsed with deadlock detection in under 50 ms.
#   bench/java_dump_compare.sh BUILD_DIR [RUNS]
# BUILD_DIR must hold `inquest` and `bench/java_dump_benchmark` (a build with INQUEST_BENCH=ON).
set -euo pipefail
build=${1:?usage: java_dump_compare.sh BUILD_DIR [RUNS]}
runs=${2:-15}
bench=$build/bench/java_dump_benchmark
[[ -x $bench ]] || bench=$build/java_dump_benchmark
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bench" --write="$work/threads.txt"
echo "dump: $(wc -c <"$work/threads.txt") bytes, $(grep -c '^"' "$work/threads.txt") threads"
echo "load: $(cat /proc/loadavg)"
time_runs() {
  local label=$1
  shift
  python3 - "$runs" "$label" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, label, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
print(f"{label:<28} best {min(times):7.1f} ms   median {statistics.median(times):7.1f} ms")
PY
}
time_runs "inquest dump (text)" "$build/inquest" dump "$work/threads.txt"
time_runs "inquest dump --format json" "$build/inquest" dump --format json "$work/threads.txt"
echo "in-process figures (parse, deadlock detection, rendering):"
"$bench" --benchmark_min_time=0.5
