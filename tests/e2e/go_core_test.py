#!/usr/bin/env python3
"""End-to-end test of `inquest core` on a core of a hung Go service, against the Go runtime's
own traceback of the same process.

A service with 20 workers parked on one sync.Mutex (two calls and an inlined Lock deep), 5
goroutines parked on a channel receive, one sleeping, and main in select{} is built with the Go
toolchain (Debian's), run with GOTRACEBACK=crash, cored with gcore, then sent SIGQUIT: the
runtime prints every goroutine. Then:
  - every goroutine the runtime lists (but the ones running on a system stack at the signal) is
    in `inquest core --format json`'s runtime view by goid, with the same state (wait reason),
    the same frames (function, file, line; inlined calls included, marked inlined) in order,
    and the same `created by` function, file and line;
  - the text groups the 20 workers as one entry, and `analyze` on a bundle with the core draws
    the goroutine dump reader's verdict (a lock convoy of 20 goroutines) from it;
  - a binary built with -ldflags=-w (no DWARF) names the runtime and says what is missing;
  - a service crashed by a nil dereference under GOTRACEBACK=crash: the kernel's core of that
    run against the traceback the runtime printed before it aborted, the goroutine that
    panicked included (the core holds it under the abort's signal handler: it is unwound
    through the signal frame).

    go_core_test.py PATH/TO/inquest   (run from the source folder)
"""
import glob
import json
import os
import resource
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks, inquest_json, line_of, require, run_lab_scenario  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
GO = "go"  # the toolchain of the round being run (toolchains())
checks = Checks()
check = checks.check

SERVICE = r"""
package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

var mu sync.Mutex

type pool struct{ jobs chan int }

func (p *pool) take(wg *sync.WaitGroup) int {
	wg.Done()
	return <-p.jobs // LINE_RECV
}

func worker(i int, wg *sync.WaitGroup) {
	wg.Done()
	mu.Lock() // LINE_LOCK
	fmt.Println(i)
}

func main() {
	mu.Lock()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go worker(i, &wg)
	}
	p := &pool{jobs: make(chan int)}
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go p.take(&wg)
	}
	go func() {
		for {
			time.Sleep(time.Hour)
		}
	}()
	wg.Wait()
	time.Sleep(300 * time.Millisecond)
	fmt.Fprintln(os.Stdout, "ready")
	select {}
}
"""


def runtime_traceback(text):
    """{goid: {"state", "frames": [(function, file, line, inlined)], "created_by"}} from the Go
    runtime's traceback."""
    out, cur, pending = {}, None, None
    for line in text.splitlines():
        # "goroutine 7 [chan receive]:", and from Go 1.22 "goroutine 7 gp=0x.. m=.. [..]:".
        m = re.match(r"goroutine (\d+)(?: [^\[]*)? \[([^\]]*)\]:", line)
        if m:
            cur = out.setdefault(int(m.group(1)), {"state": m.group(2).split(",")[0],
                                                   "frames": [], "created_by": None})
            pending = None
            continue
        if cur is None:
            continue
        m = re.match(r"created by (\S+)", line)
        if m:
            pending = ("created", m.group(1))
            continue
        m = re.match(r"\t(.*):(\d+)( \+0x[0-9a-f]+.*)?$", line)
        if m and pending:
            if pending[0] == "created":
                cur["created_by"] = (pending[1], m.group(1), int(m.group(2)))
            else:
                cur["frames"].append((pending[1], m.group(1), int(m.group(2)), pending[2]))
            pending = None
            continue
        m = re.match(r"^(\S.*)\((.*)\)$", line)
        if m and not line.startswith("\t"):
            pending = ("frame", m.group(1), m.group(2) == "...")
            continue
        if not line.strip():
            cur = None
    return out


def build(work, flags=()):
    src = os.path.join(work, "svc")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "main.go"), "w") as f:
        f.write(SERVICE.lstrip("\n"))
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write("module svc\n\ngo 1.19\n")
    exe = os.path.join(work, "svc-" + str(len(flags)))
    env = dict(os.environ, GOCACHE=os.path.join(work, "gocache"), GOFLAGS="-mod=mod",
               CGO_ENABLED="0", GOTOOLCHAIN="local")
    subprocess.run([GO, "build", *flags, "-o", exe, "."], cwd=src, check=True, env=env,
                   capture_output=True)
    return exe


def run_and_core(exe, work):
    """Runs the service until ready, gcore, then SIGQUIT. Returns (core, runtime's text)."""
    err = open(os.path.join(work, "stderr.txt"), "w+")
    p = subprocess.Popen([exe], stdout=subprocess.PIPE, stderr=err, text=True,
                         env=dict(os.environ, GOTRACEBACK="crash"))
    try:
        ready = p.stdout.readline().strip()
        prefix = os.path.join(work, "core")
        if ready == "ready":
            subprocess.run(["gcore", "-o", prefix, str(p.pid)], capture_output=True, timeout=120)
        p.send_signal(signal.SIGQUIT)
        p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    err.seek(0)
    core = f"{prefix}.{p.pid}"
    return (core if os.path.exists(core) else None), err.read()


CRASH = r"""
package main

import (
	"sync"
	"time"
)

var mu sync.Mutex

type account struct{ balance int }

func worker(wg *sync.WaitGroup) {
	wg.Done()
	mu.Lock()
}

func charge(a *account) int {
	return a.balance
}

func main() {
	mu.Lock()
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go worker(&wg)
	}
	wg.Wait()
	time.Sleep(100 * time.Millisecond)
	var a *account
	charge(a)
}
"""


def panicking(view, expected, label):
    """The goroutine that panicked (GOTRACEBACK=crash): the runtime printed it from its panic;
    the core holds it where the abort stopped it, in a signal handler, so its frames are read
    through the signal frame. From runtime.gopanic (printed "panic") on they must be the
    runtime's."""
    got = {t["goid"]: t for t in view.get("threads", [])}
    running = [(goid, want) for goid, want in expected.items() if want["state"] == "running"]
    check(len(running) == 1, f"{label}: the runtime printed one running goroutine ({len(running)})")
    for goid, want in running:
        mine = got.get(goid) or {}
        frames = [(f["function"], f["file"], f["line"], f["inlined"])
                  for f in mine.get("frames", [])]
        at = next((i for i, f in enumerate(frames) if f[0] == "runtime.gopanic"), None)
        tail = [("panic",) + frames[at][1:]] + frames[at + 1:] if at is not None else []
        check(tail == want["frames"] and not mine.get("stopped"),
              f"{label}: goroutine {goid}, which panicked, is unwound through the signal frame: "
              f"from the panic on, the runtime's frames exactly ({len(tail)} of "
              f"{len(want['frames'])}; {mine.get('stopped')})")
        if tail != want["frames"]:
            print(f"    inquest {frames}\n    runtime {want['frames']}")


def compare(view, expected, label, minimum=12):
    """Checks every goroutine the runtime printed, but the running ones, against the view."""
    got = {t["goid"]: t for t in view.get("threads", [])}
    compared = same = shown = 0
    for goid, want in sorted(expected.items()):
        if goid == 0 or want["state"] == "running":
            continue  # on the system stack when the signal came
        compared += 1
        mine = got.get(goid)
        frames = [(f["function"], f["file"], f["line"], f["inlined"])
                  for f in (mine or {}).get("frames", [])]
        created = (mine or {}).get("created_by")
        created = (created["function"], created["file"], created["line"]) if created else None
        if mine and (mine["state"], frames, created) == (want["state"], want["frames"],
                                                          want["created_by"]):
            same += 1
        elif shown < 3:
            shown += 1
            print(f"  goroutine {goid}:\n    inquest {mine and mine['state']} {frames} {created}"
                  f"\n    runtime [{want['state']}] {want['frames']} {want['created_by']}")
    check(compared >= minimum and same == compared,
          f"{label}: {same} of {compared} goroutines not running have the runtime's state, "
          "frames and creator exactly")


def check_crash(work):
    """GOTRACEBACK=crash: a nil dereference prints every goroutine and aborts; the kernel's
    core of that same run against the printed traceback."""
    src = os.path.join(work, "crash")
    os.makedirs(src)
    with open(os.path.join(src, "main.go"), "w") as f:
        f.write(CRASH.lstrip("\n"))
    with open(os.path.join(src, "go.mod"), "w") as f:
        f.write("module crash\n\ngo 1.19\n")
    env = dict(os.environ, GOCACHE=os.path.join(work, "gocache"), CGO_ENABLED="0",
               GOTOOLCHAIN="local")
    subprocess.run([GO, "build", "-o", "crash", "."], cwd=src, check=True, env=env,
                   capture_output=True)

    def unlimited():
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))

    p = subprocess.run(["./crash"], cwd=src, capture_output=True, text=True, preexec_fn=unlimited,
                       env=dict(os.environ, GOTRACEBACK="crash"))
    cores = [n for n in os.listdir(src) if n.startswith("core")]
    if not cores:
        print("note: the kernel wrote no core here (core_pattern "
              + open("/proc/sys/kernel/core_pattern").read().strip()
              + "): the crash-core comparison is not made")
        return
    r = subprocess.run([INQUEST, "core", os.path.join(src, cores[0]), "--format", "json"],
                       capture_output=True, text=True)
    report = json.loads(r.stdout) if r.returncode == 0 else {}
    check(report.get("signal", {}).get("name") == "SIGABRT",
          f"crash core: SIGABRT from GOTRACEBACK=crash ({report.get('signal')})")
    compare(report.get("runtime") or {}, runtime_traceback(p.stderr), "crash core")
    panicking(report.get("runtime") or {}, runtime_traceback(p.stderr), "crash core")


def toolchains():
    """Every Go toolchain here: Debian's (/usr/lib/go-1.X, from bookworm and its backports),
    else the go on PATH."""
    found = sorted(glob.glob("/usr/lib/go-1.*/bin/go"),
                   key=lambda p: int(re.search(r"go-1\.(\d+)", p).group(1)))
    return found or [shutil.which("go")]


def check_toolchain(work):
    """One round: the hung service, analyze, -ldflags=-w and the crash, built with GO."""
    if True:
        exe = build(work)
        core, traceback = run_and_core(exe, work)
        if not check(core is not None, "gcore wrote a core of the hung service"):
            return
        expected = runtime_traceback(traceback)
        check(len(expected) >= 28, f"the runtime lists every goroutine ({len(expected)})")
        r = subprocess.run([INQUEST, "core", core, "--format", "json"], capture_output=True,
                           text=True)
        check(r.returncode == 0, f"inquest core reads it (exit {r.returncode}: {r.stderr[-300:]})")
        view = json.loads(r.stdout).get("runtime") or {}
        check(view.get("runtime") == "Go" and view.get("version", "").startswith("go1."),
              f"the runtime is Go ({view.get('runtime')} {view.get('version')})")
        compare(view, expected, "gcore of the hung service")
        lock_line = line_of(SERVICE, "LINE_LOCK")
        worker = next((t for t in view.get("threads", [])
                       if any(f["function"] == "main.worker" and f["line"] == lock_line
                              for f in t["frames"])), None)
        check(worker is not None and worker["state"] in ("semacquire", "sync.Mutex.Lock"),
              f"a worker waits on the mutex at main.go:{lock_line} "
              f"({worker and worker['state']})")
        text = subprocess.run([INQUEST, "core", core], capture_output=True, text=True).stdout
        check("20 goroutines with this stack" in text, "the text groups the 20 workers")

        # analyze on a bundle holding the core and its executable: the goroutines give the
        # verdicts a goroutine dump gives (one code path), with the core as evidence.
        bundle = os.path.join(work, "bundle")
        os.makedirs(bundle)
        shutil.copy2(exe, os.path.join(bundle, "svc"))
        os.rename(core, os.path.join(bundle, os.path.basename(core)))
        out = os.path.join(work, "report")
        r = subprocess.run([INQUEST, "analyze", bundle, "--out", out], capture_output=True,
                           text=True)
        findings = json.load(open(os.path.join(out, "findings.json")))["findings"] \
            if r.returncode == 0 else []
        convoy = next((f for f in findings if "20 goroutines wait in sync.(*Mutex).Lock under "
                       "main.worker" in f["title"]), None)
        check(convoy is not None and
              all("(its goroutines)" in e["source"] for e in convoy["evidence"]),
              f"analyze: the 20 workers are one verdict from the core "
              f"({[f['title'] for f in findings]})")
        shutil.rmtree(bundle)

        # Without DWARF: the runtime is named, and what is missing is said.
        bare = build(work, ("-ldflags=-w",))
        core, _ = run_and_core(bare, work)
        if check(core is not None, "-ldflags=-w: a core"):
            r = subprocess.run([INQUEST, "core", core, "--format", "json"], capture_output=True,
                               text=True)
            view = json.loads(r.stdout).get("runtime") or {} if r.returncode == 0 else {}
            check(view.get("runtime") == "Go" and "no DWARF" in view.get("unreadable", ""),
                  f"-ldflags=-w: Go named, the missing DWARF said ({view.get('unreadable')!r})")
            os.unlink(core)
        check_crash(work)


def frame_vars(doc, goid, function):
    """{name: value} of the first frame of `function` in goroutine `goid` of a
    `--goroutine` report."""
    for t in (doc.get("runtime") or {}).get("threads", []):
        if t["goid"] == goid:
            for f in t["frames"]:
                if f["function"] == function:
                    return {v["name"]: v["value"] for v in f["variables"]}
    return {}


def check_goroutine_locals(out, view):
    """--goroutine N: main.main's accounts (alice, bob) read from its frame are the very mutexes
    the two transfer goroutines wait on (the `m` of their sync.(*Mutex).lockSlow frames), each
    read from its own goroutine's stack; other goroutines get no variables."""
    code, doc = inquest_json(INQUEST, ["core", "core", "--exe", "bank", "--goroutine", "1"], out)
    main = frame_vars(doc, 1, "main.main")
    accounts = {main.get("alice"), main.get("bob")}
    others = [t for t in doc["runtime"]["threads"] if t["goid"] != 1
              for f in t["frames"] if f["variables"]]
    checks.check(code == 0 and len(accounts) == 2 and all(a and a.startswith("0xc")
                                                           for a in accounts) and not others,
                 f"lab go-deadlock-core: --goroutine 1 reads main.main's alice and bob ({main})")
    waited, amounts = set(), set()
    for t in view.get("threads", []):
        if any(f["function"] == "main.transfer" for f in t["frames"]):
            code, doc = inquest_json(INQUEST, ["core", "core", "--exe", "bank", "--goroutine",
                                               str(t["goid"])], out)
            m = frame_vars(doc, t["goid"], "sync.(*Mutex).lockSlow").get("m")
            waited.add(m)
            # main.transfer holds an inlined call (sync.(*Mutex).Lock): its own arguments are
            # still read, and the account it waits on is its `to`.
            args = frame_vars(doc, t["goid"], "main.transfer")
            amounts.add(args.get("amount"))
            checks.check(args.get("to") == m and args.get("from") in accounts,
                         f"lab go-deadlock-core: goroutine {t['goid']}'s transfer waits on its "
                         f"`to` ({args})")
    checks.check(amounts == {"10", "20"},
                 f"lab go-deadlock-core: the two transfers' amounts are 10 and 20 ({amounts})")
    checks.check(waited == accounts,
                 f"lab go-deadlock-core: the transfers wait on main's two accounts ({waited} vs "
                 f"{accounts})")
    code, doc = inquest_json(INQUEST, ["core", "core", "--exe", "bank", "--goroutine", "999"], out)
    problems = " ".join((doc.get("runtime") or {}).get("problems", []))
    checks.check("--goroutine 999: no such goroutine" in problems,
                 f"lab go-deadlock-core: an unknown goroutine is said ({problems[:80]})")


def check_labs():
    """The lab's Go core drills: the deadlock crashed with GOTRACEBACK=crash (its core against
    the traceback of the same run) and the leak captured with gcore (the leak verdict)."""
    tmp = tempfile.mkdtemp(prefix="inquest-go-core-lab-")
    try:
        out = os.path.join(tmp, "deadlock")
        scenario = run_lab_scenario("go-deadlock-core", out, INQUEST, checks)
        expect = scenario["expect"]
        code, doc = inquest_json(INQUEST, scenario["analyze"][0], out)
        view = doc.get("runtime") or {}
        checks.check(code == expect["exit_code"] and view.get("runtime") == expect["runtime"],
                     f"lab go-deadlock-core: inquest core reads Go ({code})")
        with open(os.path.join(out, expect["traceback"])) as f:
            traceback = runtime_traceback(f.read())
        global check
        saved, check = check, checks.check
        compare(view, traceback, "lab go-deadlock-core", minimum=4)
        check = saved
        functions = {f["function"] for t in view.get("threads", []) for f in t["frames"]}
        checks.check(all(w in functions for w in expect["waiting_in"]),
                     f"lab go-deadlock-core: goroutines wait in {expect['waiting_in']}")
        check_goroutine_locals(out, view)
        out = os.path.join(tmp, "leak")
        scenario = run_lab_scenario("go-leak-core", out, INQUEST, checks)
        expect = scenario["expect"]
        code, doc = inquest_json(INQUEST, scenario["analyze"][0], out)
        view = doc.get("runtime") or {}
        checks.check(len(view.get("threads", [])) >= expect["min_goroutines"],
                     f"lab go-leak-core: {len(view.get('threads', []))} goroutines read")
        bundle = os.path.join(out, "bundle")
        os.makedirs(bundle)
        for name in ("core", "orders"):
            os.link(os.path.join(out, name), os.path.join(bundle, name))
        r = subprocess.run([INQUEST, "analyze", bundle, "--out", os.path.join(out, "report")],
                           capture_output=True, text=True, timeout=600)
        findings = json.load(open(os.path.join(out, "report", "findings.json")))["findings"] \
            if r.returncode == 0 else []
        kinds = [f["kind"] for f in findings]
        checks.check(expect["analyze_verdict"] in kinds,
                     f"lab go-leak-core: analyze gives {expect['analyze_verdict']} ({kinds})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    global GO, check
    require("go", "gdb", "gcore")
    for go in toolchains():
        GO = go
        version = subprocess.run([go, "version"], capture_output=True, text=True).stdout.split()
        label = version[2] if len(version) > 2 else go
        check = lambda cond, what, label=label: checks.check(cond, f"{label}: {what}")
        work = tempfile.mkdtemp(prefix="inquest-go-core-")
        try:
            check_toolchain(work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    check_labs()
    checks.finish()


if __name__ == "__main__":
    main()
