#!/usr/bin/env bash
# Side-by-side on the same bytes: reading and grouping a goroutine dump of about a million
# goroutines with inquest (ReadGoDump in bench/goroutine_benchmark, and `inquest dump` end to
# end) against DataDog's gostackparse (Parse alone, and Parse plus grouping by stack).
#
#   bench/goroutine_compare.sh GOSTACKPARSE_CHECKOUT [COPIES]
#
# GOSTACKPARSE_CHECKOUT is a clone of github.com/DataDog/gostackparse; its gostackparse.go is
# built in a temporary folder beside a small timing program and never enters this tree.
# The dump: bench/goroutine_gen starts 50,000 goroutines and writes the runtime's own dump
# (pprof debug=2, which the runtime caps at 64 MiB); COPIES (default 20) of it are concatenated.
# Needs the Go toolchain (no network: neither program has dependencies) and a build with
# goroutine_benchmark (INQUEST_BUILD, default build/).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gsp=${1:?usage: goroutine_compare.sh GOSTACKPARSE_CHECKOUT [COPIES]}
copies=${2:-20}
build=${INQUEST_BUILD:-$root/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOCACHE=${GOCACHE:-$work/gocache} GOFLAGS=-mod=mod GOTOOLCHAIN=local GOPROXY=off HOME=${HOME:-$work}

(cd "$root/bench/goroutine_gen" && go build -o "$work/gen" .)
"$work/gen" -n 50000 >"$work/one.txt"
for _ in $(seq "$copies"); do cat "$work/one.txt"; echo; done >"$work/million.txt"
echo "dump: $(grep -c '^goroutine ' "$work/million.txt") goroutines, $(du -m "$work/million.txt" | cut -f1) MiB"

mkdir -p "$work/gsp"
sed 's/^package gostackparse/package main/' "$gsp/gostackparse.go" >"$work/gsp/gostackparse.go"
cat >"$work/gsp/main.go" <<'GO'
package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	best, bestGroup := time.Duration(1<<62), time.Duration(1<<62)
	var n, groups int
	for run := 0; run < 3; run++ {
		start := time.Now()
		gs, _ := Parse(bytes.NewReader(data))
		parsed := time.Since(start)
		m := map[string]int{}
		for _, g := range gs {
			var b strings.Builder
			b.WriteString(g.State)
			for _, f := range g.Stack {
				b.WriteString("|" + f.Func + ":" + strconv.Itoa(f.Line))
			}
			if g.CreatedBy != nil {
				b.WriteString("|" + g.CreatedBy.Func + ":" + strconv.Itoa(g.CreatedBy.Line))
			}
			m[b.String()]++
		}
		total := time.Since(start)
		if parsed < best {
			best = parsed
		}
		if total < bestGroup {
			bestGroup = total
		}
		n, groups = len(gs), len(m)
	}
	mb := float64(len(data)) / (1 << 20)
	fmt.Printf("gostackparse: %d goroutines, %d groups; parse %.3fs (%.0f MiB/s), parse+group %.3fs (%.0f MiB/s)\n",
		n, groups, best.Seconds(), mb/best.Seconds(), bestGroup.Seconds(), mb/bestGroup.Seconds())
}
GO
printf 'module gspbench\n\ngo 1.19\n' >"$work/gsp/go.mod"
(cd "$work/gsp" && go build -o "$work/gspbench" .)

echo "load before: $(cat /proc/loadavg)"
/usr/bin/time -f "  gostackparse process: %e s wall, %U s user, %S s sys, %M KiB peak" \
  "$work/gspbench" "$work/million.txt"
INQUEST_GOROUTINE_DUMP="$work/million.txt" "$build/bench/goroutine_benchmark" \
  --benchmark_min_time=1 2>/dev/null | grep BM_
if [ -x "$build/inquest" ]; then
  best=999999
  for _ in 1 2 3; do
    s=$(date +%s.%N)
    "$build/inquest" dump "$work/million.txt" --format json --max-groups 1 >/dev/null
    e=$(date +%s.%N)
    best=$(python3 -c "print(min($best, $e - $s))")
  done
  echo "inquest dump (end to end, JSON of every group): best of 3 ${best} s"
fi
echo "load after: $(cat /proc/loadavg)"
