#!/usr/bin/env bash
# `inquest heap` on a real JVM heap dump of SESSIONS sessions (about 27 objects each; 1,000,000
# by default gives about 27 M objects and a 1.2 GiB dump), side by side with VisualVM's heap
# library (Debian's visualvm package: HeapFactory.createHeap, then the biggest objects by
# retained size, which computes the whole dominator tree) on the same file. The dump is made
# once by bench/heap/HeapGen.java and `jmap -dump:live`, and kept in bench/data/heap/.
#
#   bench/heap_compare.sh            RUNS=1 SESSIONS=1000000 by default
#
# Prints the best wall time and the largest peak RSS of: inquest's full analysis (histogram,
# dominator tree, retained sizes, suspects), inquest's histogram alone (--histogram, one
# streaming pass), and VisualVM's retained-size computation; the dump's size; the ratios; and
# whether both name the same biggest object.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-1}
sessions=${SESSIONS:-1000000}
bin=${INQUEST_BIN:-$root/build/inquest}
data=$root/bench/data/heap
jar=/usr/share/visualvm/visualvm/modules/org-graalvm-visualvm-lib-jfluid-heap.jar
mkdir -p "$data"

# shellcheck source=bench/bench_lib.sh
source "$root/bench/bench_lib.sh"
bench_need default-jdk-headless visualvm time
[ -x "$bin" ] || "$root/scripts/dev" build

dump=$data/heap-$sessions.hprof
if [ ! -f "$dump" ]; then
  javac -d "$data" "$root/bench/heap/HeapGen.java"
  : >"$data/ready.txt"
  java -Xmx6g -XX:+UseParallelGC -cp "$data" HeapGen "$sessions" >"$data/ready.txt" &
  gen=$!
  for _ in $(seq 1200); do grep -q ready "$data/ready.txt" && break; sleep 0.5; done
  jmap -dump:live,format=b,file="$dump" "$gen" >&2
  kill "$gen"
fi
javac -cp "$jar" -d "$data" "$root/tests/oracles/HeapRetained.java"

echo "dump: $(du -h "$dump" | cut -f1) ($sessions sessions)"
run "inquest heap (full analysis)" "$bin" heap "$dump" --format json
cp "$data/out.tmp" "$data/inquest.json"
run "inquest heap --histogram" "$bin" heap "$dump" --histogram --format json
run "VisualVM heap library (retained sizes)" java -Xmx16g -cp "$jar:$data" HeapRetained "$dump" 5
cp "$data/out.tmp" "$data/visualvm.txt"
echo "full analysis: $(ratio "${wall[VisualVM heap library (retained sizes)]}" "${wall[inquest heap (full analysis)]}")x faster than VisualVM"
echo "histogram pass: $(awk "BEGIN{printf \"%.2f\", $(stat -c %s "$dump") / ${wall[inquest heap --histogram]} / 1e9}") GB/s"
echo "peak RSS of the full analysis: $(awk "BEGIN{printf \"%.2f\", ${rss[inquest heap (full analysis)]} * 1024 / $(stat -c %s "$dump")}") of the dump's size"
ours=$(python3 -c "import json;print(json.load(open('$data/inquest.json'))['top_objects'][0]['id'][2:])")
theirs=$(head -1 "$data/visualvm.txt" | cut -d' ' -f1)
echo "biggest object by retained size: inquest 0x$ours, VisualVM 0x$theirs"
