#!/usr/bin/env bash
# `inquest core` on a core of a Go service with GOROUTINES goroutines (100,000 by default)
# parked three calls deep on channel receives, side by side with Delve's `goroutines -t`
# (every goroutine with its stack) on the same core. Debian's Go and delve (which this script
# installs).
#
#   bench/go_core_compare.sh          RUNS=3 GOROUTINES=100000 by default
#
# Prints the best wall time of RUNS runs and the largest peak RSS of each, the ratio, and how
# many goroutines each listed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
n=${GOROUTINES:-100000}
bin=${INQUEST_BIN:-$root/build/inquest}
data=$root/bench/data/go-core
mkdir -p "$data/src"

# shellcheck source=bench/bench_lib.sh
source "$root/bench/bench_lib.sh"
bench_need gdb golang-go delve time
[ -x "$bin" ] || "$root/scripts/dev" build


core=$data/core.$n
if [ ! -f "$core" ]; then
  cat >"$data/src/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

type queue struct{ jobs chan int }

func (q *queue) wait(wg *sync.WaitGroup) int {
	wg.Done()
	return <-q.jobs
}

func serve(q *queue, wg *sync.WaitGroup) { fmt.Sprint(q.wait(wg)) }

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	q := &queue{jobs: make(chan int)}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go serve(q, &wg)
	}
	go func() { // a timer keeps the runtime from calling the rest a deadlock
		for {
			time.Sleep(time.Hour)
		}
	}()
	wg.Wait()
	fmt.Println("ready")
	select {}
}
GO
  printf 'module bench\n\ngo 1.19\n' >"$data/src/go.mod"
  (cd "$data/src" && CGO_ENABLED=0 GOCACHE="$data/gocache" go build -o "$data/svc" .)
  : >"$data/ready.txt"
  "$data/svc" "$n" >"$data/ready.txt" 2>"$data/svc.stderr" &
  svc=$!
  until grep -q ready "$data/ready.txt"; do sleep 0.2; done
  gcore -o "$data/core" "$svc" >/dev/null 2>&1
  kill -9 "$svc"
  wait "$svc" 2>/dev/null || true
  mv "$data/core.$svc" "$core"
fi
printf 'goroutines -t\nexit\n' >"$data/dlv-init"

grep -m1 'model name' /proc/cpuinfo || true
echo "cores: $(nproc), best of $runs runs; core of $n goroutines: $(du -h "$core" | cut -f1)"
run "inquest core (text, stacks grouped)" "$bin" core "$core"
run "inquest core --format json" "$bin" core "$core" --format json
listed_inquest=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runtime"]["threads"]))' "$data/out.tmp")
run "dlv core: goroutines -t" dlv core --allow-non-terminal-interactive=true "$data/svc" "$core" \
  --init "$data/dlv-init"
listed_dlv=$(grep -c '^  Goroutine [0-9]' "$data/out.tmp" || true)
echo "  goroutines listed: inquest $listed_inquest, dlv $listed_dlv"
echo "  dlv / inquest: $(ratio "${wall[dlv core: goroutines -t]}" "${wall[inquest core --format json]}")x the time," \
  "$(ratio "${rss[dlv core: goroutines -t]}" "${rss[inquest core --format json]}")x the memory"
