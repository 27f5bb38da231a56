#!/usr/bin/env bash
# Side-by-side benchmark on the same bytes, in one run, with ratios against the anchors the
# issue names:
#   1. `inquest timeline --request ID` over a large JSON-lines file vs `rg -F ID` (the floor:
#      finding the lines without parsing them), `jq 'select(.request_id==ID)'` and lnav.
#   2. `inquest rate --by 1m` over the same file: full parse of every line; throughput in GB/s
#      and peak memory.
#
#   bench/compare.sh [SIZE]   bundle SIZE for examples/generate.py --size; default 1700MiB,
#                              which makes its checkout JSON-lines file about 1.1 GiB
#
# The data is generated once into bench/data/ by examples/generate.py (deterministic).
# Each command runs RUNS times (default 3); the best wall time and the largest peak RSS count.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The bundle size whose checkout JSON-lines file is a little over 1 GiB.
size=${1:-1700MiB}
runs=${RUNS:-3}
bin=${INQUEST_BIN:-$root/build/inquest}
data=$root/bench/data
mkdir -p "$data"

# shellcheck source=bench/bench_lib.sh
source "$root/bench/bench_lib.sh"
bench_need ripgrep jq lnav time python3
[ -x "$bin" ] || "$root/scripts/dev" build

bundle=$data/large-$size
if [ ! -d "$bundle" ]; then
  python3 "$root/examples/generate.py" --size "$size" "$bundle.tmp"
  mv "$bundle.tmp" "$bundle"
fi
# The largest file of the bundle: checkout's JSON lines.
file=$(find "$bundle" -type f -print0 | xargs -0 ls -S | head -1)
bytes=$(stat -c %s "$file")
# A request id from the middle of the file: a realistic needle that is not near the start.
id=$(tail -c +$((bytes / 2)) "$file" | sed -n 2p | jq -r '.request_id')
echo "file: $file ($bytes bytes), request id: $id, best of $runs runs"
cat /proc/cpuinfo | grep -m1 'model name' || true
echo "cores: $(nproc)"


# Check that the tools agree before timing them.
n_rg=$(rg -F -c "$id" "$file")
n_jq=$(jq -c --arg id "$id" 'select(.request_id==$id)' "$file" | wc -l)
n_inq=$("$bin" timeline --request "$id" --format json "$file" 2>/dev/null | wc -l)
echo "matching lines: rg $n_rg, jq $n_jq, inquest $n_inq"

echo "1. one request over the file"
run "rg -F ID" rg -F "$id" "$file"
run "inquest timeline --request ID" "$bin" timeline --request "$id" --format json "$file"
run "jq select(.request_id==ID)" jq -c --arg id "$id" 'select(.request_id==$id)' "$file"
if [ "${SKIP_LNAV:-0}" != 1 ]; then
  run "lnav -n filter-in ID" lnav -n -c ":filter-in $id" "$file"
fi

echo "2. full parse: counts per minute"
run "inquest rate --by 1m" "$bin" rate --by 1m --format json "$file"

echo
echo "ratios (lower is better for inquest):"
echo "  inquest --request / rg:   $(ratio "${wall[inquest timeline --request ID]}" "${wall[rg -F ID]}")x  (goal: within 2x)"
echo "  jq / inquest --request:   $(ratio "${wall[jq select(.request_id==ID)]}" "${wall[inquest timeline --request ID]}")x faster"
if [ -n "${wall[lnav -n filter-in ID]:-}" ]; then
  echo "  lnav / inquest --request: $(ratio "${wall[lnav -n filter-in ID]}" "${wall[inquest timeline --request ID]}")x faster"
fi
gbps=$(awk "BEGIN{printf \"%.2f\", $bytes / ${wall[inquest rate --by 1m]} / 1e9}")
echo "  inquest rate: $gbps GB/s full parse (goal: >= 1 GB/s), peak $((rss[inquest rate --by 1m] / 1024)) MiB (goal: < 256 MiB)"
