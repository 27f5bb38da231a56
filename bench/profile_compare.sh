#!/usr/bin/env bash
# `inquest heap` on a large generated pprof profile, side by side with `go tool pprof -top` on the
# same file: the default table (flat, flat%, sum%, cum, cum% by function, of inuse_space), then
# `inquest heap --diff BASE` against `go tool pprof -top -diff_base BASE` on two profiles of the
# same synthetic program, the second taken "later" (the same stacks, other values, 1% of the
# allocation sites leaking). The profiles are written once by bench/profile/genprofile.go (the
# protobuf encoded by hand, gzipped like the Go runtime's) into bench/data/profile/: with the
# defaults 100.9 MB gzipped (193 MB of protobuf), 2.6 M samples 17 locations deep on average,
# 299,555 locations with 1 to 3 lines (inlined frames), 120,000 functions, a numeric label per
# sample. The diff pair is smaller by default (DIFF_SAMPLES, 1 M samples, 44 MB each): pprof's
# diff of two 2.6 M-sample profiles peaks near 19 GiB (measured: 447 s, 18.9 GiB);
# DIFF_SAMPLES=2600000 for that pair on a machine with the room.
#
#   bench/profile_compare.sh              RUNS=3 SAMPLES=2600000 DIFF_SAMPLES=1000000 SEED=1
#   CPU=1 bench/profile_compare.sh        also the CPU variant (samples/count, cpu/nanoseconds)
#   INQUEST_BIN=path/to/inquest           default build/inquest
#
# Prints, per command, the median wall time and the median peak RSS of RUNS runs (/usr/bin/time
# -f '%e %M'), and the ratios pprof / inquest. pprof is run as the binary `go tool pprof` starts
# ($(go env GOTOOLDIR)/pprof), so the go command's own start-up is not counted. With the
# defaults pprof takes 1.5 to 2 minutes and about 7 GiB per run, on the table and on the diff:
# RUNS=1 for a quick look.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
samples=${SAMPLES:-2600000}
diff_samples=${DIFF_SAMPLES:-1000000}
seed=${SEED:-1}
bin=${INQUEST_BIN:-$root/build/inquest}
data=$root/bench/data/profile
mkdir -p "$data"

# shellcheck source=bench/bench_lib.sh
source "$root/bench/bench_lib.sh"
bench_need time
command -v go >/dev/null || { echo "go not found (Debian: apt-get install golang-go)" >&2; exit 1; }
[ -x "$bin" ] || "$root/scripts/dev" build
pprof=$(go env GOTOOLDIR)/pprof
[ -x "$pprof" ] || { echo "no pprof in $(go env GOTOOLDIR)" >&2; exit 1; }

export GOCACHE=${GOCACHE:-${TMPDIR:-/tmp}/inquest-bench-gocache} GOFLAGS=-mod=mod GOTOOLCHAIN=local \
  GOPROXY=off
(cd "$root/bench/profile" && go build -o "$data/genprofile" .)
# gen KIND EPOCH SAMPLES: the profile's path, written on first use.
gen() {
  local f=$data/$1-s$seed-n$3-e$2.pb.gz
  if [ ! -s "$f" ]; then
    "$data/genprofile" -kind "$1" -epoch "$2" -seed "$seed" -samples "$3" -out "$f.tmp" >&2
    mv "$f.tmp" "$f"
  fi
  echo "$f"
}
heap=$(gen heap 1 "$samples")
base=$(gen heap 1 "$diff_samples")
later=$(gen heap 2 "$diff_samples")

# median_run NAME CMD...: runs CMD $runs times; fills wall[NAME] and rss[NAME] (KiB) with the
# medians and prints them. The output goes to $data/NAME.out (a real file).
median_run() {
  local name=$1
  shift
  local out=$data/${name//[^A-Za-z0-9_-]/_}.out ts=() ms=()
  for _ in $(seq "$runs"); do
    if ! /usr/bin/time -f '%e %M' -o "$data/time.tmp" "$@" >"$out" 2>/dev/null; then
      echo "  $name: failed (to see why: $*)"
      return 0
    fi
    local line
    line=$(tail -1 "$data/time.tmp")
    ts+=("${line% *}")
    ms+=("${line#* }")
  done
  wall[$name]=$(printf '%s\n' "${ts[@]}" | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  rss[$name]=$(printf '%s\n' "${ms[@]}" | sort -g | awk '{a[NR]=$1} END{print int(NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  printf '  %-46s %8.2f s  %7d MiB   (median of %d)\n' "$name" "${wall[$name]}" $((rss[$name] / 1024)) "$runs"
}

# compare LABEL OURS THEIRS: the ratios of one pair.
compare() {
  if [ -n "${wall[$2]:-}" ] && [ -n "${wall[$3]:-}" ]; then
    echo "  $1: inquest $(ratio "${wall[$3]}" "${wall[$2]}")x faster, $(ratio "${rss[$3]}" "${rss[$2]}")x less memory than pprof"
  fi
}

describe() { echo "$(basename "$1"): $(stat -c %s "$1") bytes gzipped, $(gzip -dc "$1" | wc -c) bytes of protobuf"; }

echo "the default table (inuse_space by function), seed $seed, $samples samples:"
describe "$heap"
median_run "inquest heap" "$bin" heap "$heap"
median_run "go tool pprof -top" "$pprof" -top "$heap"
compare "table" "inquest heap" "go tool pprof -top"
echo "the diff (inuse_space, later minus earlier), $diff_samples samples each:"
describe "$base"
describe "$later"
median_run "inquest heap --diff" "$bin" heap "$later" --diff "$base"
median_run "go tool pprof -top -diff_base" "$pprof" -top -diff_base "$base" "$later"
compare "diff" "inquest heap --diff" "go tool pprof -top -diff_base"
if [ "${CPU:-0}" = 1 ]; then
  cpu=$(gen cpu 1 "$samples")
  describe "$cpu"
  echo "the CPU profile (cpu by function):"
  median_run "inquest heap (cpu)" "$bin" heap "$cpu"
  median_run "go tool pprof -top (cpu)" "$pprof" -top "$cpu"
  compare "cpu" "inquest heap (cpu)" "go tool pprof -top (cpu)"
fi
echo "the tables are in $data/*.out"
