#!/usr/bin/env bash
# `inquest core` on a core of a hung CPython process, side by side with gdb's `py-bt` on the
# same core: Debian's /usr/bin/python3.11 with THREADS threads (1000 by default) parked two
# calls deep on one lock, the core taken with gcore. gdb needs python3.11-dbg (its debug
# symbols and the python3.11-gdb.py extension), which this script installs.
#
#   bench/python_core_compare.sh          RUNS=3 THREADS=1000 by default
#
# Prints the best wall time of RUNS runs and the largest peak RSS of each, the ratio, and how
# many Python frames each printed (they must agree).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
threads=${THREADS:-1000}
bin=${INQUEST_BIN:-$root/build/inquest}
data=$root/bench/data/python-core
mkdir -p "$data"

# shellcheck source=bench/bench_lib.sh
source "$root/bench/bench_lib.sh"
bench_need gdb python3.11-dbg time
[ -x "$bin" ] || "$root/scripts/dev" build


core=$data/core.$threads
if [ ! -f "$core" ]; then
  cat >"$data/service.py" <<'PY'
import sys, threading, time
n = int(sys.argv[1])
gate = threading.Lock()
gate.acquire()
parked = threading.Semaphore(0)
class Pool:
    def serve(self, i):
        return self.take(i)
    def take(self, i):
        parked.release()
        gate.acquire()
for i in range(n):
    threading.Thread(target=Pool().serve, args=(i,)).start()
for i in range(n):
    parked.acquire()
time.sleep(0.5)
print("ready", flush=True)
gate.acquire()
PY
  : >"$data/ready.txt"
  /usr/bin/python3.11 "$data/service.py" "$threads" >"$data/ready.txt" &
  svc=$!
  until grep -q ready "$data/ready.txt"; do sleep 0.2; done
  gcore -o "$data/core" "$svc" >/dev/null 2>&1
  kill -9 "$svc"
  mv "$data/core.$svc" "$core"
  wait "$svc" 2>/dev/null || true
fi

grep -m1 'model name' /proc/cpuinfo || true
echo "cores: $(nproc), best of $runs runs; core of $threads threads: $(du -h "$core" | cut -f1)"
run "inquest core --format json" "$bin" core "$core" --format json
frames_inquest=$(python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["runtime"]; print(sum(len(t["frames"]) for t in v["threads"]))' "$data/out.tmp")
run "gdb thread apply all py-bt" gdb -batch -ex 'thread apply all py-bt' /usr/bin/python3.11 "$core"
frames_gdb=$(grep -c '^  File ' "$data/out.tmp" || true)
echo "  Python frames: inquest $frames_inquest, gdb $frames_gdb"
echo "  gdb / inquest: $(ratio "${wall[gdb thread apply all py-bt]}" "${wall[inquest core --format json]}")x the time," \
  "$(ratio "${rss[gdb thread apply all py-bt]}" "${rss[inquest core --format json]}")x the memory"
