#!/usr/bin/env python3
"""End-to-end test of `inquest capture --pid` on real live processes: a C program started with
secrets in its environment, a JVM (jcmd Thread.print, GC.heap_dump with --heap), a Go service
with net/http/pprof (--pprof-url) and a Python process with faulthandler.register(SIGUSR1).
For each: the process is still alive afterwards, the manifest lists every file with the right
sha256 and size, files are 0600 and folders 0700, secrets in the environment are redacted, and
the pause is measured. Then `inquest analyze` on each capture folder reads it by its manifest:
the /proc snapshot is not taken for logs, the core is a snapshot of a live process placed at
its step's time, the runtime dump is read as a dump.

    capture_live_test.py PATH/TO/inquest   (run from the source folder)
"""
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time

INQUEST = os.path.abspath(sys.argv[1])
SECRET = "hunter2-s3cr3t-4242"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def capture(pid, out, *extra):
    return subprocess.run([INQUEST, "capture", "--pid", str(pid), "--out", out, *extra],
                          capture_output=True, text=True, timeout=300)


def check_folder(name, out, pid, runtime, core=True):
    manifest_path = os.path.join(out, "manifest.json")
    if not os.path.exists(manifest_path):
        check(False, "%s: manifest.json written" % name)
        return None
    m = json.load(open(manifest_path))
    check(m["pid"] == pid and m["runtime"] == runtime,
          "%s: manifest names pid %d, runtime %s (got %s)" % (name, pid, runtime, m["runtime"]))
    check(m["started"].endswith("Z") and m["finished"].endswith("Z"), "%s: UTC times" % name)
    for f in m["files"]:
        path = os.path.join(out, f["path"])
        data = open(path, "rb").read()
        check(hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["size"],
              "%s: %s sha256 and size (%d bytes)" % (name, f["path"], len(data)))
    listed = {f["path"] for f in m["files"]} | {"manifest.json"}
    on_disk = set()
    for root, dirs, files in os.walk(out):
        for d in dirs:
            mode = stat.S_IMODE(os.stat(os.path.join(root, d)).st_mode)
            check(mode == 0o700, "%s: folder %s mode %o" % (name, d, mode))
        for f in files:
            p = os.path.join(root, f)
            on_disk.add(os.path.relpath(p, out))
            mode = stat.S_IMODE(os.stat(p).st_mode)
            if mode != 0o600:
                check(False, "%s: file %s mode %o" % (name, f, mode))
    check(stat.S_IMODE(os.stat(out).st_mode) == 0o700, "%s: evidence folder mode 700" % name)
    check(on_disk == listed, "%s: the manifest lists every file (%s)" %
          (name, sorted(on_disk ^ listed)))
    core_steps = [s for s in m["steps"] if s["what"] == "core"]
    if core:
        check(core_steps and core_steps[0]["ok"] and core_steps[0]["command"][0] == "gcore",
              "%s: core written by gcore" % name)
    else:
        check(not core_steps, "%s: no core with --no-core" % name)
    check((m["paused_ms"] > 0 or not core) and abs(m["paused_ms"] - sum(
        s["duration_ms"] for s in m["steps"] if s["pauses_target"])) < 0.01,
        "%s: pause measured (%.1f ms) as the sum of the pausing steps" % (name, m["paused_ms"]))
    environ = open(os.path.join(out, "proc/environ")).read()
    check(SECRET not in environ and "DB_PASSWORD=[REDACTED]" in environ,
          "%s: secrets in the environment redacted" % name)
    check("INQUEST_E2E_PLAIN=plain-value" in environ, "%s: ordinary values kept" % name)
    threads = open(os.path.join(out, "proc/threads.txt")).read()
    check(str(pid) in threads, "%s: threads listed with state and wait channel" % name)
    return m


def start(cmd, cwd, **kw):
    env = dict(os.environ, DB_PASSWORD=SECRET, INQUEST_E2E_PLAIN="plain-value")
    return subprocess.Popen(cmd, cwd=cwd, env=env, **kw)


def parse_utc(text):
    """Seconds since the epoch of an RFC 3339 UTC time ("2026-12-07T04:36:14.062Z")."""
    import datetime
    text = text.rstrip("Z")
    whole, _, frac = text.partition(".")
    t = datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)
    return t.timestamp() + (float("0." + frac) if frac else 0)


def check_analyze(name, out, m, dump_file=None):
    """`inquest analyze` on a capture folder reads each file by what the manifest says it is."""
    report = out + "-report"
    p = subprocess.run([INQUEST, "analyze", out, "--out", report], capture_output=True,
                       text=True, timeout=300)
    check(p.returncode == 0, "%s: analyze of the capture exit 0 (%s)" % (name, p.stderr.strip()))
    if p.returncode != 0:
        return
    f = json.load(open(os.path.join(report, "findings.json")))
    inputs = {i["file"]: i for i in f["inputs"]}
    procs = [i for path, i in inputs.items() if path.startswith("proc/")]
    check(procs and all(i["taken_for"] != "log" and "/proc snapshot" in i["reason"]
                        for i in procs),
          "%s: the /proc snapshot is not read as logs (%s)" %
          (name, [(i["file"], i["taken_for"]) for i in procs if i["taken_for"] == "log"]))
    check("inquest capture" in inputs.get("manifest.json", {}).get("reason", ""),
          "%s: manifest.json is named as the capture's manifest" % name)
    core_step = [s for s in m["steps"] if s["what"] == "core" and s["ok"]]
    if core_step:
        cores = [x for x in f["findings"] if x["kind"] in ("core-snapshot", "crash")]
        check(len(cores) == 1 and cores[0]["kind"] == "core-snapshot",
              "%s: the core is a snapshot of the live process, not a crash (%s)" %
              (name, [x["title"] for x in cores]))
        if cores:
            check(abs(parse_utc(cores[0]["time"]) - parse_utc(core_step[0]["started"])) < 0.001,
                  "%s: the core is placed at its capture step's time" % name)
    if dump_file:
        check(inputs.get(dump_file, {}).get("taken_for") == "dump",
              "%s: %s read as a dump" % (name, dump_file))


def native(tmp):
    src = os.path.join(tmp, "waiter.c")
    with open(src, "w") as f:
        f.write('#include <unistd.h>\nint main(void) { for (;;) pause(); }\n')
    subprocess.run(["gcc", "-g", "-o", os.path.join(tmp, "waiter"), src], check=True)
    proc = start([os.path.join(tmp, "waiter"), "--api-token=" + SECRET], tmp)
    time.sleep(0.3)
    out = os.path.join(tmp, "native-capture")
    p = capture(proc.pid, out)
    check(p.returncode == 0, "native: capture exit 0 (%s)" % p.stderr.strip())
    check(proc.poll() is None, "native: the process is still running after the capture")
    m = check_folder("native", out, proc.pid, "native")
    if m:
        cmdline = open(os.path.join(out, "proc/cmdline")).read()
        check(SECRET not in cmdline, "native: secrets on the command line redacted")
        check(SECRET not in json.dumps(m), "native: no secret in the manifest")
        check_analyze("native", out, m)
    proc.kill()
    proc.wait()


def jvm(tmp):
    if not shutil.which("java") or not shutil.which("jcmd"):
        print("SKIP jvm: java/jcmd not installed")
        return 77
    src = os.path.join(tmp, "Waiter.java")
    with open(src, "w") as f:
        f.write("""public class Waiter {
  public static void main(String[] args) throws Exception {
    Thread t = new Thread(() -> { synchronized (Waiter.class) {
      try { Waiter.class.wait(); } catch (InterruptedException e) {} } }, "order-worker");
    t.start();
    System.out.println("ready");
    System.out.flush();
    t.join();
  }
}
""")
    proc = start(["java", "-Xmx64m", src], tmp, stdout=subprocess.PIPE)
    check(proc.stdout.readline().strip() == b"ready", "jvm: the JVM started")
    time.sleep(0.5)
    out = os.path.join(tmp, "jvm-capture")
    p = capture(proc.pid, out, "--heap")
    check(p.returncode == 0, "jvm: capture exit 0 (%s)" % p.stderr.strip())
    m = check_folder("jvm", out, proc.pid, "jvm")
    if m:
        dump = open(os.path.join(out, "jvm-threads.txt")).read()
        check("Full thread dump" in dump and '"order-worker"' in dump,
              "jvm: jcmd Thread.print holds the threads, order-worker among them")
        step = [s for s in m["steps"] if s["what"] == "jvm thread dump"][0]
        check(step["command"][:1] == ["jcmd"] and step["pauses_target"],
              "jvm: the jcmd command and its pause are recorded")
        hprof = os.path.join(out, "heap.hprof")
        check(os.path.exists(hprof) and open(hprof, "rb").read(18) == b"JAVA PROFILE 1.0.2",
              "jvm: --heap wrote an HPROF heap dump")
        if os.path.exists(hprof):
            r = subprocess.run([INQUEST, "heap", hprof, "--format", "json"], capture_output=True,
                               text=True, timeout=300)
            heap = json.loads(r.stdout) if r.returncode == 0 else {}
            threads = [t for t in heap.get("histogram", []) if t["class"] == "java.lang.Thread"]
            check(r.returncode == 0 and heap.get("live_objects", 0) > 1000 and threads,
                  "jvm: inquest heap reads the captured dump (%s)" % r.stderr.strip()[-200:])
        check_analyze("jvm", out, m, "jvm-threads.txt")
    check(proc.poll() is None, "jvm: the JVM is still running")
    proc.kill()
    proc.wait()


def go(tmp):
    if not shutil.which("go"):
        print("SKIP go: the Go toolchain is not installed")
        return 77
    src = os.path.join(tmp, "gosvc")
    os.mkdir(src)
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write("module gosvc\n\ngo 1.19\n")
    with open(os.path.join(src, "main.go"), "w") as f:
        f.write("""package main

import (
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
)

func waitForOrders(c chan int) { <-c }

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.Exit(1)
	}
	go waitForOrders(make(chan int))
	fmt.Println(l.Addr().String())
	http.Serve(l, nil)
}
""")
    env = dict(os.environ, GOFLAGS="-mod=mod", GOPROXY="off", GOTOOLCHAIN="local",
               GOCACHE=os.path.join(tmp, "gocache"), HOME=os.environ.get("HOME", tmp))
    subprocess.run(["go", "build", "-o", os.path.join(tmp, "gosvc-bin"), "."], cwd=src,
                   env=env, check=True)
    proc = start([os.path.join(tmp, "gosvc-bin")], tmp, stdout=subprocess.PIPE)
    addr = proc.stdout.readline().decode().strip()
    out = os.path.join(tmp, "go-capture")
    # --no-core: a Go process reserves a large heap arena and its core runs to a GiB; the
    # native case above covers gcore.
    p = capture(proc.pid, out, "--pprof-url", "http://%s/" % addr, "--no-core")
    check(p.returncode == 0, "go: capture exit 0 (%s)" % p.stderr.strip())
    m = check_folder("go", out, proc.pid, "go", core=False)
    if m:
        goroutines = open(os.path.join(out, "goroutines.txt")).read()
        check("main.waitForOrders" in goroutines and "[chan receive" in goroutines,
              "go: the goroutine dump holds main.waitForOrders in chan receive")
        heap = open(os.path.join(out, "heap.pprof"), "rb").read()
        check(heap[:2] == b"\x1f\x8b", "go: heap.pprof is a gzipped profile")
        check_analyze("go", out, m, "goroutines.txt")
    # Without --pprof-url the runtime is still recognised, and the capture says what to pass.
    out2 = os.path.join(tmp, "go-capture-plain")
    p = capture(proc.pid, out2, "--no-core")
    check(p.returncode == 0 and "--pprof-url" in p.stderr,
          "go: recognised without --pprof-url, with a note on what to pass")
    proc.kill()
    proc.wait()


def python(tmp):
    script = os.path.join(tmp, "worker.py")
    with open(script, "w") as f:
        f.write("""import faulthandler, signal, threading, time
faulthandler.register(signal.SIGUSR1)
def stuck_in_checkout():
    threading.Event().wait()
threading.Thread(target=stuck_in_checkout, name="checkout").start()
print("ready", flush=True)
stuck_in_checkout()
""")
    err = open(os.path.join(tmp, "worker.stderr"), "w")
    proc = start([sys.executable, script], tmp, stdout=subprocess.PIPE, stderr=err)
    check(proc.stdout.readline().strip() == b"ready", "python: the process started")
    time.sleep(0.3)
    out = os.path.join(tmp, "python-capture")
    p = capture(proc.pid, out)
    check(p.returncode == 0, "python: capture exit 0 (%s)" % p.stderr.strip())
    m = check_folder("python", out, proc.pid, "python")
    if m:
        path = os.path.join(out, "python-faulthandler.txt")
        dump = open(path).read() if os.path.exists(path) else ""
        check(dump.count("stuck_in_checkout") >= 2 and "Thread 0x" in dump,
              "python: the faulthandler dump holds both threads in stuck_in_checkout")
        check_analyze("python", out, m, "python-faulthandler.txt")
    check(proc.poll() is None, "python: the process is still running (SIGUSR1 was caught)")
    proc.kill()
    proc.wait()


def main():
    for tool in ("gcc", "gdb", "gcore"):
        if not shutil.which(tool):
            print("SKIP: %s is not installed" % tool)
            return 77
    tmp = tempfile.mkdtemp(prefix="capture_live_test_")
    native(tmp)
    skipped = jvm(tmp) == 77
    skipped = (go(tmp) == 77) or skipped
    python(tmp)
    p = subprocess.run([INQUEST, "capture", "--pid", "999999999", "--out",
                        os.path.join(tmp, "none")], capture_output=True, text=True)
    check(p.returncode != 0 and "no process" in p.stderr, "a missing pid is a clear error")
    shutil.rmtree(tmp)
    print("%d failed" % len(failures))
    if failures:
        return 1
    return 77 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
