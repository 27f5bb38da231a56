#!/usr/bin/env bash
# `inquest core` on a core of a hung JVM, side by side with `jhsdb jstack --core` on the same
# core: Debian's OpenJDK 17 running THREADS threads (1000 by default) parked two calls deep on
# one monitor, the core taken with gcore. inquest lists the Java threads (name, id, state,
# daemon, LWP) from the JVM's own gHotSpotVMStructs tables without running a JVM
# (--no-java-frames), with every native thread's stack, and alone (--max-threads 1: one native
# stack); jhsdb has no way to print the list alone, so its whole `jstack` is timed,
# and the time inquest takes with its frames (which come from that same jhsdb) is shown too.
#
#   bench/jvm_core_compare.sh          RUNS=3 THREADS=1000 by default
#
# Prints the best wall time of RUNS runs and the largest peak RSS of each, the ratio, and how
# many Java threads each listed (they must agree).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
threads=${THREADS:-1000}
bin=${INQUEST_BIN:-$root/build/inquest}
data=$root/bench/data/jvm-core
jdk=${JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
mkdir -p "$data"

# shellcheck source=bench/bench_lib.sh
source "$root/bench/bench_lib.sh"
bench_need openjdk-17-jdk-headless gdb time
[ -x "$bin" ] || "$root/scripts/dev" build

core=$data/core.$threads
if [ ! -f "$core" ]; then
  cat >"$data/Parked.java" <<'JAVA'
import java.util.concurrent.CountDownLatch;
public class Parked {
    static final Object gate = new Object();
    static CountDownLatch parked;
    static void serve() { take(); }
    static void take() {
        synchronized (gate) {
            parked.countDown();
            try { gate.wait(); } catch (InterruptedException e) { }
        }
    }
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        parked = new CountDownLatch(n);
        for (int i = 0; i < n; i++) new Thread(Parked::serve, "worker-" + i).start();
        parked.await();
        Thread.sleep(500);
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
JAVA
  "$jdk/bin/javac" -d "$data" "$data/Parked.java"
  : >"$data/ready.txt"
  MALLOC_ARENA_MAX=2 "$jdk/bin/java" -Xmx64m -Xss256k -XX:+UseSerialGC \
    -XX:ReservedCodeCacheSize=16m -XX:CompressedClassSpaceSize=32m -XX:-UsePerfData \
    -cp "$data" Parked "$threads" >"$data/ready.txt" &
  svc=$!
  until grep -q ready "$data/ready.txt"; do sleep 0.2; done
  gcore -o "$data/core" "$svc" >/dev/null 2>&1
  kill -9 "$svc"
  mv "$data/core.$svc" "$core"
  wait "$svc" 2>/dev/null || true
fi

grep -m1 'model name' /proc/cpuinfo || true
echo "cores: $(nproc), best of $runs runs; core of $threads threads: $(du -h "$core" | cut -f1)"
count_inquest='import json,sys; print(len(json.load(open(sys.argv[1]))["runtime"]["threads"]))'
run "inquest core --no-java-frames --format json" "$bin" core "$core" --no-java-frames --format json
listed_inquest=$(python3 -c "$count_inquest" "$data/out.tmp")
run "inquest ... --max-threads 1 (the list alone)" "$bin" core "$core" --no-java-frames \
  --max-threads 1 --format json
run "jhsdb jstack --core" "$jdk/bin/jhsdb" jstack --core "$core" --exe "$jdk/bin/java"
listed_jhsdb=$(grep -c '^"' "$data/out.tmp" || true)
run "inquest core --format json (frames by jhsdb)" "$bin" core "$core" --format json
echo "  Java threads listed: inquest $listed_inquest, jhsdb $listed_jhsdb" \
  "(jhsdb leaves out the JVM's hidden threads: compiler, service, sweeper)"
echo "  jhsdb / inquest (list and every native stack): $(ratio "${wall[jhsdb jstack --core]}" "${wall[inquest core --no-java-frames --format json]}")x the time," \
  "$(ratio "${rss[jhsdb jstack --core]}" "${rss[inquest core --no-java-frames --format json]}")x the memory"
echo "  jhsdb / inquest (the list alone): $(ratio "${wall[jhsdb jstack --core]}" "${wall[inquest ... --max-threads 1 (the list alone)]}")x the time," \
  "$(ratio "${rss[jhsdb jstack --core]}" "${rss[inquest ... --max-threads 1 (the list alone)]}")x the memory"
