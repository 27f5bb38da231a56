#!/usr/bin/env python3
"""End-to-end test of `inquest core` on cores of JVMs, against the JVM's own `jstack -l` taken
from the live process just before gcore.

For every JDK on the machine (each home under /usr/lib/jvm with javac, jstack and jhsdb: Debian's
OpenJDK 17, and any other, such as a Temurin 25, when present): a ledger service with two tellers
deadlocked on each other's monitors, two movers deadlocked on ReentrantLocks, 20 pool workers
waiting on one monitor two calls deep, threads named in Latin-1 and in CJK characters, and a
daemon; `jstack -l` prints it live, then gcore takes the core. Then:
  - the Java threads of `inquest core --format json` (read from the JVM's gHotSpotVMStructs) are
    exactly jstack's: the same names, Java ids, daemon flags and native ids (LWPs), and the
    same java.lang.Thread.State;
  - every application thread's Java frames (from jhsdb) are jstack's: same methods and lines;
  - the verdicts name the monitor deadlock and the ReentrantLock deadlock;
  - every Java thread's LWP is a native thread of the core, and the text names the native
    threads after their Java threads;
  - with --no-java-frames the list stands alone; with a --jdk of another build the output says
    which build-id it needs; a truncated core is read as far as it goes, without garbage;
  - `analyze` on a bundle holding the core gives the deadlock with the core as evidence.
Then the lab scenarios: a deadlocked JVM captured with gcore, and a JVM that crashes in JNI code
(its core paired with its hs_err log).

    jvm_core_test.py PATH/TO/inquest   (run from the source folder)
"""
import glob
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks, inquest_json, require, run_lab_scenario  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
checks = Checks()
check = checks.check
WORKERS = 20

LEDGER = r"""
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

public class Ledger {
    static final Object gate = new Object();
    static final CountDownLatch parked = new CountDownLatch(WORKERS + 2);

    static class Account { long balance = 100; }

    static class Teller implements Runnable {
        final Account from, to;
        final CountDownLatch both;
        Teller(Account from, Account to, CountDownLatch both) { this.from = from; this.to = to; this.both = both; }
        public void run() { transfer(from, to, 10); }
        void transfer(Account a, Account b, long n) {
            synchronized (a) {
                both.countDown();
                await(both);
                synchronized (b) { a.balance -= n; b.balance += n; }
            }
        }
    }

    static class Mover implements Runnable {
        final ReentrantLock first, second;
        final CountDownLatch both;
        Mover(ReentrantLock first, ReentrantLock second, CountDownLatch both) { this.first = first; this.second = second; this.both = both; }
        public void run() { move(); }
        void move() {
            first.lock();
            try {
                both.countDown();
                await(both);
                second.lock();
                second.unlock();
            } finally { first.unlock(); }
        }
    }

    static class Worker implements Runnable {
        public void run() { serve(); }
        void serve() { take(); }
        void take() {
            synchronized (gate) {
                parked.countDown();
                try { gate.wait(); } catch (InterruptedException e) { }
            }
        }
    }

    static class Sleeper implements Runnable {
        public void run() { nap(); }
        void nap() {
            parked.countDown();
            try { Thread.sleep(3_600_000); } catch (InterruptedException e) { }
        }
    }

    static void await(CountDownLatch l) { try { l.await(); } catch (InterruptedException e) { } }

    static Thread start(Runnable r, String name, boolean daemon) {
        Thread t = new Thread(r, name);
        t.setDaemon(daemon);
        t.start();
        return t;
    }

    public static void main(String[] args) throws Exception {
        Account x = new Account(), y = new Account();
        CountDownLatch tellers = new CountDownLatch(2), movers = new CountDownLatch(2);
        start(new Teller(x, y, tellers), "teller-1", false);
        start(new Teller(y, x, tellers), "teller-2", false);
        ReentrantLock a = new ReentrantLock(), b = new ReentrantLock();
        start(new Mover(a, b, movers), "mover-1", false);
        start(new Mover(b, a, movers), "mover-2", false);
        for (int i = 0; i < WORKERS; i++) start(new Worker(), "pool-worker-" + i, false);
        start(new Sleeper(), "w\u00f6rker-\u00fc", false);
        start(new Sleeper(), "\u4efb\u52a1-1", true);
        parked.await();
        var mx = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 600; i++) {
            long[] dead = mx.findDeadlockedThreads();
            if (dead != null && dead.length == 4) break;
            Thread.sleep(100);
        }
        Thread.sleep(300);  // the workers' wait() and the sleepers settle
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
""".replace("WORKERS", str(WORKERS))

APP_PREFIXES = ("teller-", "mover-", "pool-worker-", "w\u00f6rker", "\u4efb\u52a1")


def jdks():
    """Each JDK home with javac, jstack and jhsdb, once per libjvm.so."""
    homes, seen = [], set()
    for home in sorted(glob.glob("/usr/lib/jvm/*")):
        libjvm = os.path.join(home, "lib/server/libjvm.so")
        tools = [os.path.join(home, "bin", t) for t in ("javac", "java", "jstack", "jhsdb")]
        if os.path.islink(home) or not os.path.exists(libjvm) or \
                not all(os.access(t, os.X_OK) for t in tools):
            continue
        real = os.path.realpath(libjvm)
        if real not in seen:
            seen.add(real)
            homes.append(home)
    return homes


def parse_jstack(text):
    """Java threads of a live `jstack -l`: name -> {id, nid (LWP), daemon, state, frames}."""
    threads, cur = {}, None
    for line in text.splitlines():
        m = re.match(r'^"(.*)" #(\d+) (?:\[\d+\] )?(daemon )?.*nid=(0x[0-9a-f]+|\d+)', line)
        if m:
            cur = {"id": int(m.group(2)), "daemon": bool(m.group(3)),
                   "lwp": int(m.group(4), 0), "state": None, "frames": []}
            threads[m.group(1)] = cur
            continue
        if line.startswith('"'):
            cur = None  # a VM thread (no #id): not a Java thread
            continue
        if cur is None:
            continue
        s = line.strip()
        if s.startswith("java.lang.Thread.State:"):
            cur["state"] = s.split()[1]
        elif s.startswith("at "):
            m = re.match(r"at (\S+)\((.*)\)$", s)
            where = m.group(2)
            ln = re.search(r":(\d+)$", where)
            cur["frames"].append((m.group(1), int(ln.group(1)) if ln else 0))
    return threads


def zero_segments(path, low, high):
    """Zeroes the file bytes of the core's PT_LOAD segments whose address lies in [low, high)
    (the Java heap of a -Xmx64m JVM with zero-based compressed references sits just under
    4 GiB); returns the bytes zeroed."""
    zeroed = 0
    with open(path, "r+b") as f:
        head = f.read(64)
        phoff, = struct.unpack_from("<Q", head, 32)
        phentsize, phnum = struct.unpack_from("<HH", head, 54)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, offset, vaddr, _, filesz, _, _ = struct.unpack("<IIQQQQQQ", f.read(56))
            if p_type == 1 and low <= vaddr < high and filesz > 0:
                f.seek(offset)
                left = filesz
                while left:
                    n = min(left, 1 << 20)
                    f.write(b"\0" * n)
                    left -= n
                zeroed += filesz
    return zeroed


def method(function):
    """"java.lang.Object.wait(long)" -> "java.lang.Object.wait"."""
    return function.split("(")[0]


def run_ledger(home, work):
    """Compiles and runs the ledger with `home`'s JDK; returns (live jstack text, core path)."""
    src = os.path.join(work, "Ledger.java")
    with open(src, "w") as f:
        f.write(LEDGER)
    subprocess.run([os.path.join(home, "bin/javac"), "-d", work, src], check=True)
    out = open(os.path.join(work, "stdout.txt"), "w+")
    # Small reservations keep the core small (gcore writes every readable mapping).
    java = subprocess.Popen([os.path.join(home, "bin/java"), "-Xmx64m", "-XX:+UseSerialGC",
                             "-XX:ReservedCodeCacheSize=16m", "-XX:CompressedClassSpaceSize=32m",
                             "-XX:MaxMetaspaceSize=64m", "-XX:-UsePerfData", "-cp", work, "Ledger"],
                            stdout=out, stderr=subprocess.STDOUT,
                            env=dict(os.environ, MALLOC_ARENA_MAX="2"))
    try:
        for _ in range(600):
            out.seek(0)
            if "ready" in out.read() or java.poll() is not None:
                break
            time.sleep(0.1)
        out.seek(0)
        if "ready" not in out.read():
            check(False, f"{home}: the ledger reached its deadlocks")
            return None, None
        live = subprocess.run([os.path.join(home, "bin/jstack"), "-l", str(java.pid)],
                              capture_output=True, text=True, timeout=120).stdout
        subprocess.run(["gcore", "-o", os.path.join(work, "core"), str(java.pid)],
                       capture_output=True, timeout=300)
    finally:
        java.kill()
        java.wait()
    core = os.path.join(work, "core.%d" % java.pid)
    return live, core


def check_jdk(home, work):
    name = os.path.basename(home)
    live, core = run_ledger(home, work)
    if core is None:
        return
    check(os.path.exists(core), f"{name}: gcore wrote a core")
    want = parse_jstack(live)
    check(len(want) >= WORKERS + 6, f"{name}: live jstack lists {len(want)} Java threads")
    t0 = time.time()
    code, doc = inquest_json(INQUEST, ["core", core], work)
    elapsed = time.time() - t0
    view = doc.get("runtime") or {}
    check(code in (0, 1) and view.get("runtime") == "HotSpot",
          f"{name}: inquest core reads the JVM ({code}, {view.get('runtime')}, "
          f"{view.get('unreadable')}, {elapsed:.1f} s with jhsdb)")
    got = {t["name"]: t for t in view.get("threads", [])}
    check(set(got) == set(want),
          f"{name}: the Java threads are jstack's ({len(got)} vs {len(want)}; only inquest: "
          f"{sorted(set(got) - set(want))[:5]}, only jstack: {sorted(set(want) - set(got))[:5]})")
    same = [n for n in want if n in got and got[n]["id"] == want[n]["id"] and
            got[n]["lwp"] == want[n]["lwp"] and got[n]["daemon"] == want[n]["daemon"]]
    check(len(same) == len(want), f"{name}: ids, LWPs and daemon flags agree for "
          f"{len(same)}/{len(want)} threads")
    settled = [n for n in want if n != "Attach Listener" and n in got]
    states = [n for n in settled if got[n]["state"] == want[n]["state"]]
    check(len(states) == len(settled), f"{name}: Thread.State agrees for {len(states)}/"
          f"{len(settled)} threads ({[(n, got[n]['state'], want[n]['state']) for n in settled if n not in states][:3]})")
    apps = [n for n in want if n.startswith(APP_PREFIXES)]
    check(len(apps) == WORKERS + 6, f"{name}: {len(apps)} application threads")
    frames_ok = []
    for n in apps:
        mine = [(method(f["function"]), f["line"]) for f in got.get(n, {}).get("frames", [])]
        if mine == want[n]["frames"]:
            frames_ok.append(n)
        elif len(frames_ok) + 1 == len(apps) or n == apps[0]:
            print(f"  {n}: inquest {mine}\n  {n}: jstack  {want[n]['frames']}")
    check(len(frames_ok) == len(apps),
          f"{name}: Java frames (method, line) equal jstack's for {len(frames_ok)}/{len(apps)} "
          "application threads")
    verdicts = " | ".join(view.get("verdicts", []))
    check("deadlock" in verdicts and '"teller-1"' in verdicts and '"teller-2"' in verdicts,
          f"{name}: the monitor deadlock is a verdict ({verdicts[:300]})")
    check('"mover-1"' in verdicts and '"mover-2"' in verdicts,
          f"{name}: the ReentrantLock deadlock is a verdict")
    lwps = {t["tid"] for t in doc.get("threads", [])}
    check(all(t["lwp"] in lwps for t in view.get("threads", [])),
          f"{name}: every Java thread's LWP is a native thread of the core")
    text = subprocess.run([INQUEST, "core", core, "--no-java-frames"], cwd=work,
                          capture_output=True, text=True, timeout=120).stdout
    teller = want["teller-1"]["lwp"]
    check(f'{teller} "teller-1"' in text, f"{name}: native threads carry their Java name")
    check(re.search(r"java: +HotSpot .*, %d Java threads" % len(want), text) is not None,
          f"{name}: the text names the JVM and its thread count")
    code, bare = inquest_json(INQUEST, ["core", core, "--no-java-frames"], work)
    bview = bare.get("runtime") or {}
    check(len(bview.get("threads", [])) == len(want) and
          all(not t["frames"] for t in bview.get("threads", [])) and not bview.get("verdicts"),
          f"{name}: --no-java-frames lists the threads alone")
    # A JDK of another build: the output names the build it needs.
    other = [h for h in jdks() if h != home]
    if other:
        code, mism = inquest_json(INQUEST, ["core", core, "--jdk", other[0]], work)
        problems = " ".join((mism.get("runtime") or {}).get("problems", []))
        check(view.get("build_id", "x") in problems and "--jdk" in problems and
              all(not t["frames"] for t in mism["runtime"]["threads"]),
              f"{name}: with --jdk {os.path.basename(other[0])} it says which build-id it needs "
              f"({problems[:160]})")
    # The Java heap missing (its segments zeroed, as in a core cut by a size limit or damaged):
    # the threads are still listed by LWP, unnamed, and the output says why.
    holed = os.path.join(work, "core.holed")
    shutil.copyfile(core, holed)
    zeroed = zero_segments(holed, 0xF0000000, 0x100000000)
    r = subprocess.run([INQUEST, "core", holed, "--no-java-frames", "--format", "json"],
                       cwd=work, capture_output=True, text=True, timeout=120)
    hview = (json.loads(r.stdout).get("runtime") or {}) if r.returncode in (0, 1) else {}
    hthreads = hview.get("threads", [])
    problems = " ".join(hview.get("problems", []))
    check(zeroed > 0 and len(hthreads) == len(want) and
          sorted(t["lwp"] for t in hthreads) == sorted(t["lwp"] for t in want.values()) and
          all(t["name"] in ("", *want) for t in hthreads) and "have no name" in problems,
          f"{name}: with the Java heap zeroed ({zeroed} bytes) the threads are listed by LWP and "
          f"the missing names said ({r.returncode}, {problems[:120]})")
    os.unlink(holed)
    # analyze: the core in a bundle.
    bundle = os.path.join(work, "bundle")
    os.makedirs(bundle, exist_ok=True)
    os.link(core, os.path.join(bundle, "core"))
    report = os.path.join(work, "report")
    r = subprocess.run([INQUEST, "analyze", bundle, "--out", report], capture_output=True,
                       text=True, timeout=600)
    check(r.returncode == 0, f"{name}: analyze reads the bundle ({r.stderr.strip()[-200:]})")
    findings = json.load(open(os.path.join(report, "findings.json")))["findings"] \
        if r.returncode == 0 else []
    dead = [f for f in findings if f.get("kind") == "deadlock"]
    sources = " ".join(e.get("source", "") for f in dead for e in f.get("evidence", []))
    check(len(dead) == 2 and "its Java threads" in sources,
          f"{name}: analyze finds both deadlocks in the core's Java threads "
          f"({[f['title'] for f in dead]})")
    shutil.rmtree(bundle)
    os.unlink(core)


def main():
    require("gcore")
    homes = jdks()
    if not homes:
        print("SKIP: no JDK with javac, jstack and jhsdb under /usr/lib/jvm")
        sys.exit(77)
    print("JDKs: " + ", ".join(homes))
    tmp = tempfile.mkdtemp(prefix="jvm_core_test_")
    for home in homes:
        work = os.path.join(tmp, os.path.basename(home))
        os.makedirs(work)
        check_jdk(home, work)
        shutil.rmtree(work)
    out = os.path.join(tmp, "lab-deadlock")
    scenario = run_lab_scenario("java-deadlock-core", out, INQUEST, checks)
    for cmd in scenario["analyze"]:
        code, doc = inquest_json(INQUEST, cmd, out)
        view = doc.get("runtime") or {}
        check(code == scenario["expect"]["exit_code"], f"lab deadlock: exit {code}")
        names = {t["name"] for t in view.get("threads", [])}
        check(all(n in names for n in scenario["expect"]["java_threads"]),
              f"lab deadlock: the Java threads {scenario['expect']['java_threads']} are listed")
        check(any("deadlock" in v for v in view.get("verdicts", [])),
              "lab deadlock: the deadlock is a verdict")
    out = os.path.join(tmp, "lab-jni")
    scenario = run_lab_scenario("java-jni-crash-core", out, INQUEST, checks)
    for cmd in scenario["analyze"]:
        code, doc = inquest_json(INQUEST, cmd, out)
        view = doc.get("runtime") or {}
        expect = scenario["expect"]
        verdicts = " | ".join(view.get("verdicts", []))
        check(all(w in verdicts for w in expect["verdict_contains"]),
              f"lab jni: the hs_err log beside the core is read with it ({verdicts[:200]})")
        frames = [f["function"] for t in view.get("threads", []) for f in t["frames"]]
        check(all(any(w in f for f in frames) for w in expect["java_frames_contain"]),
              f"lab jni: the crashing thread's Java frames {expect['java_frames_contain']}")
        crashing = [t for t in doc.get("threads", []) if t.get("crashing")]
        check(crashing and doc["signal"]["name"] == expect["signal"],
              f"lab jni: the core's signal is {expect['signal']}")
    shutil.rmtree(tmp)
    checks.finish()


if __name__ == "__main__":
    main()
