#!/usr/bin/env python3
"""End-to-end: the Go dump-capture handler library (handlers/go, inquest.dev/dumps) in a real
service built with the Go toolchain, against the contract the three handler libraries share.

A small service installs the handler (MaxDumps 6, a 200 ms CPU profile, a heap watchdog) and
answers `ping` on its stdin. The test:
  - sends SIGUSR1: a goroutine dump, a heap profile and a CPU profile appear, named
    {program}-{pid}-{time}-{kind}.{ext}, mode 0600 in a folder made 0700; manifest.json lists
    exactly the files present with their size and sha256, kinds, trigger and times in order;
    `inquest dump` reads the goroutine dump (the service's goroutines by name) and
    `inquest heap --format json` the heap and CPU profiles;
  - grows the heap over HeapLimitBytes: one `watchdog` heap profile, once per crossing;
  - sends 100 SIGUSR1 in a second: the service keeps answering, the storm is coalesced into a
    few dumps, the cap of 6 removes the oldest files and their entries;
  - restarts the service on the same folder (with SIGQUIT turned into a dump): the earlier
    dumps are kept, the manifest lists both pids and keeps its `started`; SIGQUIT writes a
    goroutine dump and the process goes on;
  - panics in the restarted service (CrashTraceback, a recover() that calls DumpNow("panic")):
    a `panic` goroutine dump is written, then the process dies by SIGABRT with every goroutine
    on stderr, runtime ones included (GOTRACEBACK=crash);
  - runs `inquest analyze` on the folder: it reads the dump files;
  - installs on a folder it cannot write (/proc/self): Install reports it;
  - runs a service under RLIMIT_FSIZE (a full disk): each failed dump is one `inquest-dumps:`
    line on stderr, the next signal is tried again, no partial or temporary file is left, the
    service keeps answering; its SIGQUIT keeps the runtime's behaviour (dump on stderr, exit 2).

    handler_go_test.py PATH/TO/inquest       (exit 77: no Go toolchain on this machine)
"""
import gzip
import hashlib
import json
import os
import re
import resource
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import SKIP, Checks  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
LIBRARY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "handlers", "go"))
checks = Checks()
check = checks.check

SERVICE = r'''
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"inquest.dev/dumps"
)

var held [][]byte

// sessionWorker and auditLoop are the service's own goroutines, named in the dumps.
func sessionWorker(id int, work chan int, started *sync.WaitGroup) {
	started.Done()
	for range work {
	}
}

func auditLoop(stop chan struct{}, started *sync.WaitGroup) {
	started.Done()
	t := time.NewTicker(time.Hour)
	for {
		select {
		case <-t.C:
		case <-stop:
			return
		}
	}
}

func handlePayment(h *dumps.Handler) {
	defer func() {
		if r := recover(); r != nil {
			h.DumpNow("panic", "goroutines")
			panic(r)
		}
	}()
	var m map[string]int
	m["payment"]++ // a nil map write: the panic
}

func env(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func main() {
	opts := dumps.Options{Dir: os.Args[1], Program: "svc", MaxDumps: env("MAX_DUMPS", 6),
		CPUProfile: 200 * time.Millisecond, HeapLimitBytes: uint64(env("HEAP_LIMIT", 0)),
		WatchdogInterval: 100 * time.Millisecond, CrashTraceback: true}
	if os.Getenv("KEEP_SIGQUIT") == "0" {
		opts.KeepSIGQUIT = dumps.Bool(false)
	}
	h, err := dumps.Install(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	work := make(chan int)
	var started sync.WaitGroup // "ready" once the goroutines run: the dumps see them parked
	started.Add(4)
	for i := 0; i < 3; i++ {
		go sessionWorker(i, work, &started)
	}
	go auditLoop(make(chan struct{}), &started)
	started.Wait()
	fmt.Println("ready", os.Getpid())
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		f := []string{in.Text(), ""}
		if n, err := fmt.Sscan(in.Text(), &f[0], &f[1]); n == 0 && err != nil {
			continue
		}
		switch f[0] {
		case "ping":
			fmt.Println("pong")
		case "grow": // MiB held until "free"
			n, _ := strconv.Atoi(f[1])
			for i := 0; i < n; i++ {
				b := make([]byte, 1<<20)
				for j := range b {
					b[j] = byte(j)
				}
				held = append(held, b)
			}
			fmt.Println("grown")
		case "free":
			held = nil
			fmt.Println("freed")
		case "panic":
			handlePayment(h)
		case "quit":
			h.Stop()
			fmt.Println("bye")
			return
		}
	}
}
'''

NAME = re.compile(r"^svc-(\d+)-(\d{8}T\d{6}\.\d{3}Z)-(goroutines|heap|cpu)(-\d+)?\.(txt|pb\.gz)$")
EXT = {"goroutines": "txt", "heap": "pb.gz", "cpu": "pb.gz"}
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")


def go_env(tmp):
    return dict(os.environ, GOCACHE=os.environ.get("GOCACHE", "/tmp/inquest-lab-gocache"),
                GOFLAGS="-mod=mod", GOTOOLCHAIN="local", GOPROXY="off",
                HOME=os.environ.get("HOME", tmp))


def build(tmp):
    src = os.path.join(tmp, "svc-src")
    os.makedirs(src)
    with open(os.path.join(src, "main.go"), "w") as f:
        f.write(SERVICE.lstrip("\n"))
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write("module svc\n\ngo 1.19\n\nrequire inquest.dev/dumps v0.0.0\n\n"
                f"replace inquest.dev/dumps => {LIBRARY}\n")
    exe = os.path.join(tmp, "svc")
    p = subprocess.run(["go", "build", "-o", exe, "."], cwd=src, env=go_env(tmp),
                       capture_output=True, text=True, timeout=300)
    check(p.returncode == 0, f"the service builds with the library ({p.stderr[-500:]})")
    if p.returncode != 0:
        checks.finish()
    return exe


class Service:
    def __init__(self, exe, folder, tmp, env=None, preexec_fn=None):
        self.stderr_path = os.path.join(tmp, f"stderr-{time.monotonic_ns()}")
        self.err = open(self.stderr_path, "w")
        self.p = subprocess.Popen([exe, folder], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.err, text=True, bufsize=1,
                                  env=dict(os.environ, **(env or {})), preexec_fn=preexec_fn)
        line = self.read(10)
        self.pid = self.p.pid
        check(line == f"ready {self.pid}", f"service {self.pid} started ({line!r})")

    def read(self, timeout):
        r, _, _ = select.select([self.p.stdout], [], [], timeout)
        return self.p.stdout.readline().strip() if r else None

    def ask(self, cmd, timeout=10):
        try:
            self.p.stdin.write(cmd + "\n")
            self.p.stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        return self.read(timeout)

    def stderr(self):
        with open(self.stderr_path) as f:
            return f.read()

    def wait(self, timeout=20):
        try:
            return self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            return self.p.wait()


def manifest(folder):
    with open(os.path.join(folder, "manifest.json")) as f:
        return json.load(f)


def wait_for(cond, timeout=15, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            v = cond()
        except (OSError, ValueError):
            v = None
        if v:
            return v
        time.sleep(step)
    return None


def entries(folder, **match):
    return [e for e in manifest(folder)["files"]
            if all(e.get(k) == v for k, v in match.items())]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_consistent(folder, what):
    """Every listed file exists with its size and sha256; every dump file present is listed;
    no temporary file; names, modes, times as the contract says. The cap removes files just
    after the manifest is renamed into place (a reader never finds a listed file missing):
    wait for that moment to pass."""
    def settled():
        listed = {e["path"] for e in manifest(folder)["files"]}
        return listed == {n for n in os.listdir(folder) if n not in ("manifest.json", ".manifest.lock")}
    wait_for(settled, timeout=5)
    m = manifest(folder)
    check(m.get("inquest_capture") == 1 and m.get("writer") == "inquest-dumps-go 1"
          and m.get("runtime") == "go" and m.get("steps") == [] and m.get("notes") == [],
          f"{what}: manifest header ({ {k: m.get(k) for k in ('inquest_capture', 'writer', 'runtime')} })")
    check(all(TIME.match(m.get(k, "")) for k in ("started", "finished")),
          f"{what}: started/finished RFC 3339 with 9 digits ({m.get('started')}, {m.get('finished')})")
    listed = [e["path"] for e in m["files"]]
    present = sorted(n for n in os.listdir(folder) if n not in ("manifest.json", ".manifest.lock"))
    check(sorted(listed) == present, f"{what}: the manifest lists exactly the files present "
                                     f"({sorted(listed)} vs {present})")
    bad = []
    for e in m["files"]:
        path = os.path.join(folder, e["path"])
        nm = NAME.match(e["path"])
        if not os.path.exists(path):
            bad.append(f"{e['path']} missing")
            continue
        st = os.stat(path)
        if st.st_size != e["size"] or sha256(path) != e["sha256"]:
            bad.append(f"{e['path']} size/sha256")
        if stat.S_IMODE(st.st_mode) != 0o600:
            bad.append(f"{e['path']} mode {oct(st.st_mode)}")
        if not nm or nm.group(3) != e["kind"] or nm.group(5) != EXT[e["kind"]] \
                or int(nm.group(1)) != e["pid"] or e["program"] != "svc":
            bad.append(f"{e['path']} name/kind/pid")
        if not TIME.match(e["time"]) or not nm or \
                nm.group(2) != e["time"][:19].replace("-", "").replace(":", "") + e["time"][19:23] + "Z":
            bad.append(f"{e['path']} time {e['time']}")
    check(not bad, f"{what}: files match their entries (size, sha256, 0600, name, kind, time) {bad}")
    times = [e["time"] for e in m["files"]]
    check(times == sorted(times) and m["started"] <= (times[:1] or [m["finished"]])[0]
          and m["finished"] >= max(times, default=""), f"{what}: times in order")
    check(stat.S_IMODE(os.stat(folder).st_mode) == 0o700, f"{what}: folder mode 0700")
    return m


def inquest(*args, cwd=None):
    return subprocess.run([INQUEST, *args], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env=dict(os.environ, NO_COLOR="1"))


def first_signal(svc, folder):
    os.kill(svc.pid, signal.SIGUSR1)
    ok = wait_for(lambda: len(entries(folder, trigger="SIGUSR1")) == 3)
    check(ok, "SIGUSR1: three files listed (goroutines, heap, cpu)")
    m = check_consistent(folder, "after SIGUSR1")
    kinds = [e["kind"] for e in m["files"]]
    check(kinds == ["goroutines", "heap", "cpu"], f"SIGUSR1: goroutines, then heap, then cpu ({kinds})")
    check(all(e["pid"] == svc.pid for e in m["files"]) and m["pid"] == svc.pid,
          "SIGUSR1: the service's pid")
    g = next((e for e in m["files"] if e["kind"] == "goroutines"), None)
    h = next((e for e in m["files"] if e["kind"] == "heap"), None)
    c = next((e for e in m["files"] if e["kind"] == "cpu"), None)
    if g:
        r = inquest("dump", os.path.join(folder, g["path"]), "--format", "json")
        check(r.returncode == 0, f"inquest dump reads the goroutine dump (exit {r.returncode}, "
                                 f"{r.stderr[-300:]})")
        doc = json.loads(r.stdout) if r.stdout.startswith("{") else {}
        dumps = doc.get("dumps", [])
        check(len(dumps) == 1 and dumps[0].get("kind") == "go-goroutines",
              f"inquest dump: a Go goroutine dump ({[d.get('kind') for d in dumps]})")
        text = json.dumps(dumps)
        missing = [f for f in ("main.sessionWorker", "main.auditLoop") if f not in text]
        check(not missing, f"inquest dump names the service's goroutines (main.sessionWorker, "
                           f"main.auditLoop; missing {missing})")
        if missing:
            print(r.stdout[:3000])
            with open(os.path.join(folder, g["path"])) as f:
                print(f.read()[:3000])
    for e, what in ((h, "heap profile"), (c, "CPU profile")):
        if e:
            r = inquest("heap", os.path.join(folder, e["path"]), "--format", "json")
            doc = json.loads(r.stdout) if r.returncode == 0 and r.stdout.startswith("{") else {}
            check(r.returncode == 0 and "rows" in doc,
                  f"inquest heap --format json reads the {what} (exit {r.returncode}, "
                  f"sample type {doc.get('sample_type')}, {r.stderr[-200:]})")
    return m


def watchdog(svc, folder):
    check(not entries(folder, trigger="watchdog"), "watchdog: quiet under the limit")
    check(svc.ask("grow 96") == "grown", "watchdog: the service holds 96 MiB")
    ok = wait_for(lambda: entries(folder, trigger="watchdog"), timeout=10)
    check(ok and len(ok) == 1 and ok[0]["kind"] == "heap",
          f"watchdog: one heap profile with trigger watchdog ({ok})")
    time.sleep(1.0)  # ten more checks over the limit: still one (hysteresis)
    check(len(entries(folder, trigger="watchdog")) == 1, "watchdog: once per crossing")
    if ok:
        r = inquest("heap", os.path.join(folder, ok[0]["path"]), "--format", "json")
        rows = json.loads(r.stdout).get("rows", []) if r.returncode == 0 else []
        check(any(row["name"] == "main.main" for row in rows),
              f"watchdog: its profile holds the 96 MiB grown by main.main ({[x['name'] for x in rows[:3]]})")
    check(svc.ask("free") == "freed", "watchdog: the service frees the memory")


def storm(svc, folder):
    seen = set()
    before = {e["path"] for e in manifest(folder)["files"]}
    answered = 0
    start = time.monotonic()
    for i in range(100):
        os.kill(svc.pid, signal.SIGUSR1)
        if i % 10 == 0 and svc.ask("ping", timeout=5) == "pong":
            answered += 1
        seen.update(n for n in os.listdir(folder) if NAME.match(n))
        time.sleep(max(0, start + (i + 1) * 0.01 - time.monotonic()))
    took = time.monotonic() - start
    # Until the coalesced dumps are done: the manifest stops changing.
    last, stable = None, 0
    while stable < 25:
        seen.update(n for n in os.listdir(folder) if NAME.match(n))
        cur = open(os.path.join(folder, "manifest.json")).read()
        stable = stable + 1 if cur == last else 0
        last = cur
        time.sleep(0.1)
    check(svc.p.poll() is None and answered == 10 and svc.ask("ping") == "pong",
          f"storm: 100 SIGUSR1 in {took:.2f}s, the service is alive and answered {answered}/10 pings")
    goroutine_dumps = sorted(n for n in seen - before if "-goroutines" in n)
    print(f"storm: {len(goroutine_dumps)} dumps for 100 signals: {goroutine_dumps}")
    check(1 <= len(goroutine_dumps) <= 4, f"storm: coalesced into {len(goroutine_dumps)} dumps (1 to 4)")
    m = check_consistent(folder, "after the storm")
    check(len(m["files"]) == 6, f"storm: the cap of 6 files ({len(m['files'])})")
    gone = [n for n in before if not os.path.exists(os.path.join(folder, n))]
    check(len(gone) == len(before), f"storm: the oldest files were removed ({len(gone)} of {sorted(before)})")
    newest = sorted((n for n in seen if os.path.exists(os.path.join(folder, n))),
                    key=lambda n: NAME.match(n).group(2))
    check(sorted(e["path"] for e in m["files"]) == sorted(newest),
          "storm: the six listed are the newest written")
    check("inquest-dumps:" not in svc.stderr(), f"storm: no failure reported ({svc.stderr()[-300:]})")


def restart(exe, folder, tmp, first_pid):
    before = manifest(folder)
    svc = Service(exe, folder, tmp, env={"KEEP_SIGQUIT": "0"})
    m = manifest(folder)
    check([e["path"] for e in m["files"]] == [e["path"] for e in before["files"]]
          and all(os.path.exists(os.path.join(folder, e["path"])) for e in m["files"]),
          "restart: the earlier dumps are kept")
    check(m["started"] == before["started"] and m["pid"] == svc.pid,
          "restart: started kept, pid the new writer's")
    os.kill(svc.pid, signal.SIGUSR1)
    check(wait_for(lambda: len(entries(folder, pid=svc.pid, trigger="SIGUSR1")) == 3),
          "restart: the second process dumps on SIGUSR1")
    m = check_consistent(folder, "after the restart")
    pids = sorted({e["pid"] for e in m["files"]})
    check(pids == sorted([first_pid, svc.pid]), f"restart: the manifest lists both pids ({pids})")
    os.kill(svc.pid, signal.SIGQUIT)
    got = wait_for(lambda: entries(folder, trigger="SIGQUIT"))
    check(got and got[0]["kind"] == "goroutines" and svc.ask("ping") == "pong",
          "KeepSIGQUIT false: SIGQUIT writes a goroutine dump and the service goes on")
    return svc


def crash(svc, folder):
    def no_core():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    svc.ask("panic", timeout=1)
    code = svc.wait()
    err = svc.stderr()
    check(code == -signal.SIGABRT, f"panic with CrashTraceback: the process dies by SIGABRT ({code})")
    check("panic: assignment to entry in nil map" in err and "main.handlePayment" in err,
          "panic: the panic and its goroutine on stderr")
    check("main.sessionWorker" in err and "main.auditLoop" in err,
          "panic: every goroutine on stderr, not only the panicking one")
    check("runtime.gopark" in err or "runtime.forcegchelper" in err,
          "panic: runtime frames and goroutines shown (GOTRACEBACK=crash)")
    got = entries(folder, trigger="panic")
    check(len(got) == 1 and got[0]["kind"] == "goroutines" and got[0]["pid"] == svc.pid,
          "panic: DumpNow from recover() wrote a goroutine dump with trigger panic")
    check_consistent(folder, "after the panic")


def analyze(folder, tmp):
    report = os.path.join(tmp, "report")
    r = inquest("analyze", folder, "--out", report)
    check(r.returncode == 0, f"inquest analyze on the dump folder exits 0 ({r.stderr[-300:]})")
    try:
        with open(os.path.join(report, "findings.json")) as f:
            inputs = {i["file"]: i for i in json.load(f).get("inputs", [])}
    except (OSError, ValueError):
        inputs = {}
    listed = manifest(folder)["files"]
    for e in listed:
        i = inputs.get(e["path"], {})
        print(f"  analyze: {e['path']} ({e['kind']}, {e['trigger']}): taken for "
              f"{i.get('taken_for')}: {i.get('reason')}")
    read = [e["path"] for e in listed
            if inputs.get(e["path"], {}).get("taken_for") not in (None, "unknown")
            and inputs[e["path"]].get("error") is None]
    check(len(read) == len(listed), f"analyze: every dump file is among its inputs and read "
                                    f"({len(read)}/{len(listed)})")
    m = inputs.get("manifest.json", {})
    print(f"  analyze: manifest.json: {m.get('reason')}")
    check("manifest.json" in inputs, "analyze: the manifest is among its inputs")


def full_disk(exe, tmp):
    folder = os.path.join(tmp, "full")
    limit = 1000  # bytes: the first manifest fits, a goroutine dump does not

    def fsize():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    svc = Service(exe, folder, tmp, preexec_fn=fsize)
    for attempt in (1, 2):
        os.kill(svc.pid, signal.SIGUSR1)
        lines = wait_for(lambda: [x for x in svc.stderr().splitlines()
                                  if x.startswith("inquest-dumps:")
                                  and "goroutine dump" in x][attempt - 1:] or None)
        check(bool(lines) and "file too large" in lines[0],
              f"RLIMIT_FSIZE, dump {attempt}: the failure on stderr ({lines})")
        time.sleep(1.2)  # the CPU profile (200 ms) and MinInterval
    err = svc.stderr()
    reported = [x for x in err.splitlines() if x.strip()]
    print("\n".join("  stderr: " + x for x in reported))
    check(all(x.startswith("inquest-dumps:") for x in reported),
          f"RLIMIT_FSIZE: one inquest-dumps: line per failure, nothing else ({len(reported)} lines)")
    check(svc.p.poll() is None and svc.ask("ping") == "pong", "RLIMIT_FSIZE: the service keeps running")
    left = sorted(os.listdir(folder))
    check(not any(n.endswith(".tmp") for n in left) and not any("-goroutines" in n for n in left),
          f"RLIMIT_FSIZE: no temporary file, no partial goroutine dump ({left})")
    whole = True
    for n in left:
        if n.endswith(".gz"):  # the smaller profiles may fit under the limit: whole, then
            try:
                with gzip.open(os.path.join(folder, n)) as f:
                    f.read()
            except (OSError, EOFError):
                whole = False
    check(whole, "RLIMIT_FSIZE: every profile left is whole (it fitted under the limit)")
    # The disk has room again: the next dump works, and the manifest lists the files written
    # while it could not be updated.
    resource.prlimit(svc.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    os.kill(svc.pid, signal.SIGUSR1)
    check(wait_for(lambda: entries(folder, kind="goroutines")),
          "RLIMIT_FSIZE lifted: the next SIGUSR1 writes its dump")
    time.sleep(0.5)
    check_consistent(folder, "RLIMIT_FSIZE lifted")
    # KeepSIGQUIT default: the runtime's own SIGQUIT, every goroutine on stderr; with
    # CrashTraceback (GOTRACEBACK=crash) it ends in SIGABRT rather than exit 2.
    os.kill(svc.pid, signal.SIGQUIT)
    code = svc.wait()
    err = svc.stderr()
    check(code == -signal.SIGABRT and "SIGQUIT: quit" in err and "main.sessionWorker" in err,
          f"KeepSIGQUIT default: the runtime's goroutine dump on stderr, then SIGABRT ({code})")


def unwritable(exe):
    # /proc/self: a folder no one, root included, can create a file in.
    p = subprocess.run([exe, "/proc/self"], stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=30)
    check(p.returncode == 3 and p.stderr.startswith("inquest-dumps: /proc/self is not writable"),
          f"an unwritable folder: Install reports it ({p.returncode}, {p.stderr.strip()!r})")


def main():
    if shutil.which("go") is None:
        print("SKIP: go is not installed (Debian: apt-get install golang-go)")
        return SKIP
    with tempfile.TemporaryDirectory() as tmp:
        exe = build(tmp)
        folder = os.path.join(tmp, "var", "dumps")  # made by Install
        svc = Service(exe, folder, tmp, env={"HEAP_LIMIT": str(64 << 20)})
        first_signal(svc, folder)
        watchdog(svc, folder)
        storm(svc, folder)
        check(svc.ask("quit") == "bye" and svc.wait() == 0, "the first service stops cleanly")
        svc2 = restart(exe, folder, tmp, svc.pid)
        crash(svc2, folder)
        analyze(folder, tmp)
        full_disk(exe, tmp)
        unwritable(exe)
    checks.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
