#!/usr/bin/env bash
# `inquest analyze` at scale, side by side on the same bytes in one run:
#   1. the 1 GiB example bundle (examples/generate.py --size 1GiB, 11 files): `inquest analyze`
#      against `inquest rate --by 1m` on the same files (the floor: one full parse), `lnav`
#      loading the same files, and `jq` computing the per-minute error ratio of its largest
#      JSON-lines file;
#   2. 1 GiB of service-shaped JSON lines (bench/service_jsonl_gen.py: numeric status and
#      latency_ms on every line): `inquest rate` and `inquest analyze` on it;
#   3. with BIG=1, the 10 GiB bundle, plain and gzip: `inquest analyze` and `inquest rate`.
#
#   bench/analyze_compare.sh            RUNS=3 by default; SKIP_LNAV=1 leaves lnav out
#
# Prints the best wall time of RUNS runs and the largest peak RSS of each command, and the
# ratios against `rate`. Data is generated once into bench/data/ (deterministic).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
bin=${INQUEST_BIN:-$root/build/inquest}
data=$root/bench/data
mkdir -p "$data"

# shellcheck source=bench/bench_lib.sh
source "$root/bench/bench_lib.sh"
bench_need jq lnav time python3 gzip
[ -x "$bin" ] || "$root/scripts/dev" build

gen_bundle() {  # SIZE -> prints the folder
  local dir=$data/bundle-$1
  if [ ! -d "$dir" ]; then
    python3 "$root/examples/generate.py" --size "$1" "$dir.tmp" >&2
    mv "$dir.tmp" "$dir"
  fi
  echo "$dir"
}

gbps() { awk "BEGIN{printf \"%.2f\", $1 / $2 / 1e9}"; }

grep -m1 'model name' /proc/cpuinfo || true
echo "cores: $(nproc), best of $runs runs"

bundle=$(gen_bundle 1GiB)
bytes=$(du -sb "$bundle" | cut -f1)
files=$(find "$bundle" -type f -name '*.log*' | sort)
big=$(find "$bundle" -type f -print0 | xargs -0 ls -S | head -1)
out=$data/analyze-out
echo "1. the 1 GiB bundle: $bundle ($bytes bytes)"
run "inquest rate --by 1m (the floor)" "$bin" rate --by 1m --format json "$bundle"
run "inquest analyze" "$bin" analyze "$bundle" --out "$out"
# jq: the per-minute error ratio of the largest JSON-lines file (its time key is ts), streamed.
run "jq per-minute error ratio ($(basename "$big"))" jq -n -c \
  'reduce inputs as $r ({}; ($r.ts[0:16]) as $m | .[$m].n += 1
     | .[$m].e += (if $r.level == "error" then 1 else 0 end))
   | to_entries | map({m: .key, ratio: (.value.e / .value.n)})' "$big"
if [ "${SKIP_LNAV:-0}" != 1 ]; then
  # shellcheck disable=SC2086
  run "lnav -n (load and index the files)" lnav -n -c ':quit' $files
fi
echo "   analyze / rate: $(ratio "${wall[inquest analyze]}" "${wall[inquest rate --by 1m (the floor)]}")x" \
  "(goal: within 2x); rate $(gbps "$bytes" "${wall[inquest rate --by 1m (the floor)]}") GB/s;" \
  "analyze peak $((rss[inquest analyze] / 1024)) MiB (goal: <= 512 MiB)"

svc=$data/service-1GiB.jsonl
[ -f "$svc" ] || python3 "$root/bench/service_jsonl_gen.py" "$svc" 1GiB
svc_bytes=$(stat -c %s "$svc")
echo "2. service-shaped JSON lines: $svc ($svc_bytes bytes)"
run "inquest rate --by 1m (service jsonl)" "$bin" rate --by 1m --format json "$svc"
run "inquest analyze (service jsonl)" "$bin" analyze "$svc" --out "$out"
run "jq per-minute error ratio (service jsonl)" jq -n -c \
  'reduce inputs as $r ({}; ($r.time[0:16]) as $m | .[$m].n += 1
     | .[$m].e += (if $r.status >= 500 then 1 else 0 end))
   | to_entries | map({m: .key, ratio: (.value.e / .value.n)})' "$svc"
echo "   rate $(gbps "$svc_bytes" "${wall[inquest rate --by 1m (service jsonl)]}") GB/s (goal: >= 1 GB/s)"

if [ "${BIG:-0}" = 1 ]; then
  big_bundle=$(gen_bundle 10GiB)
  gz=$data/bundle-10GiB-gz
  if [ ! -d "$gz" ]; then
    cp -r "$big_bundle" "$gz.tmp"
    find "$gz.tmp" -type f -name '*.log*' -exec gzip -1 {} \;
    mv "$gz.tmp" "$gz"
  fi
  echo "3. the 10 GiB bundle, plain and gzip"
  runs=1
  run "inquest rate --by 1m (10 GiB)" "$bin" rate --by 1m --format json "$big_bundle"
  run "inquest analyze (10 GiB)" "$bin" analyze "$big_bundle" --out "$out"
  run "inquest rate --by 1m (10 GiB, gzip)" "$bin" rate --by 1m --format json "$gz"
  run "inquest analyze (10 GiB, gzip)" "$bin" analyze "$gz" --out "$out"
  echo "   analyze / rate: plain $(ratio "${wall[inquest analyze (10 GiB)]}" \
    "${wall[inquest rate --by 1m (10 GiB)]}")x, gzip $(ratio "${wall[inquest analyze (10 GiB, gzip)]}" \
    "${wall[inquest rate --by 1m (10 GiB, gzip)]}")x; analyze peak plain" \
    "$((rss[inquest analyze (10 GiB)] / 1024)) MiB, gzip $((rss[inquest analyze (10 GiB, gzip)] / 1024)) MiB" \
    "(goal: <= 512 MiB)"
fi
