#!/usr/bin/env python3
"""End-to-end test of `inquest core` on cores of hung CPython processes, against the
interpreter's own faulthandler output from the same run.

For every CPython on the machine (Debian's /usr/bin/python3.11 and each interpreter under
~/.pyenv/versions, when present): a service of 40 worker threads parked on one lock two calls
deep, a thread spinning in Python (so it holds the GIL), and main parked too; a dumper thread
writes faulthandler's traceback of every thread, then parks; gcore takes the core. Then:
  - every thread faulthandler lists is in `inquest core --format json`'s runtime view, by its
    thread id, and every parked thread has the same frames (function, file, line), in order;
  - the dumper and the spinner (whose lines move on after the dump) have the same functions;
  - exactly one thread holds the GIL: the spinner;
  - every Python thread's LWP is one of the core's native threads, and the frames of each
    parked thread are joined to the _PyEval_EvalFrameDefault frames of its native stack;
  - the text output names the runtime and groups the 40 identical workers as one.
3.8 to 3.10 keep no native thread id in the thread state: their LWPs come from the pthread ids
(the threads' thread pointers), and the checks are the same.

    python_core_test.py PATH/TO/inquest   (run from the source folder)
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks, inquest_json, line_of, require, run_lab_scenario  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
checks = Checks()
check = checks.check
WORKERS = 40

SERVICE = r"""
import faulthandler, sys, threading, time
out = sys.argv[1]
workers = int(sys.argv[2])
gate = threading.Lock()
gate.acquire()
parked = threading.Semaphore(0)

class Pool:
    def serve(self, i):
        return self.take(i)

    def take(self, i):
        parked.release()
        gate.acquire()  # LINE_WAIT

def spin():
    parked.release()
    n = 0
    while True:
        n += 1

GATE_LINES = {n for n, text in enumerate(open(__file__).read().splitlines(), 1)
              if "gate.acquire()  # LINE_" in text}

def at_the_gate():
    return sum(1 for f in sys._current_frames().values() if f.f_lineno in GATE_LINES)

def dumper():
    for _ in range(workers + 2):
        parked.acquire()
    # A thread that has released `parked` may not have reached the gate yet: wait until every
    # worker and the main thread stand on a gate line, so the dump and the core agree.
    deadline = time.monotonic() + 60
    while at_the_gate() < workers + 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)
    with open(out, "w") as f:
        faulthandler.dump_traceback(f, all_threads=True)
    print("ready", flush=True)
    gate.acquire()

for i in range(workers):
    threading.Thread(target=Pool().serve, args=(i,)).start()
threading.Thread(target=spin).start()
threading.Thread(target=dumper).start()
parked.release()
gate.acquire()  # LINE_MAIN
"""


def interpreters():
    """(label, path) of every CPython here: Debian's, then pyenv's."""
    found = []
    if os.path.exists("/usr/bin/python3.11"):
        found.append(("debian 3.11", "/usr/bin/python3.11"))
    for d in sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.*"))):
        m = re.match(r"3\.(\d+)", os.path.basename(d))
        exe = os.path.join(d, "bin", f"python3.{m.group(1)}") if m else ""
        if m and int(m.group(1)) >= 8 and os.path.exists(exe):
            found.append((f"pyenv {os.path.basename(d)}", exe))
    return found


def faulthandler_threads(text):
    """{thread id: [(file, line, function), ...]} and the id of the current (dumping) thread."""
    threads, current, frames = {}, None, None
    for line in text.splitlines():
        m = re.match(r"(Current thread|Thread) (0x[0-9a-f]+) \(most recent call first\):", line)
        if m:
            frames = threads.setdefault(int(m.group(2), 16), [])
            if m.group(1) == "Current thread":
                current = int(m.group(2), 16)
            continue
        m = re.match(r'\s+File "(.*)", line (\d+) in (.*)', line)
        if m and frames is not None:
            frames.append((m.group(1), int(m.group(2)), m.group(3)))
    return threads, current


def run_service(python, work):
    """Starts the service, waits for its faulthandler dump, takes a core with gcore, kills it.
    Returns (core path, faulthandler text)."""
    script = os.path.join(work, "service.py")
    with open(script, "w") as f:
        f.write(SERVICE.lstrip("\n"))
    dump = os.path.join(work, "faulthandler.txt")
    p = subprocess.Popen([python, script, dump, str(WORKERS)], stdout=subprocess.PIPE, text=True)
    try:
        ready = p.stdout.readline().strip()
        if ready != "ready":
            return None, ""
        prefix = os.path.join(work, "core")
        subprocess.run(["gcore", "-o", prefix, str(p.pid)], capture_output=True, timeout=120)
    finally:
        p.kill()
        p.wait()
    core = f"{prefix}.{p.pid}"
    return (core if os.path.exists(core) else None), open(dump).read()


def gdb_py_bt(python, core):
    """{LWP: [(function, file, line)]} from gdb's `thread apply all py-bt` (Debian's
    python3.11-gdb.py, from python3.11-dbg), innermost first; None when gdb cannot do it."""
    r = subprocess.run(["gdb", "-batch", "-nx", "-iex", "set auto-load safe-path /",
                        "-ex", "thread apply all py-bt", python, core],
                       capture_output=True, text=True, timeout=600)
    if "Traceback (most recent call first)" not in r.stdout:
        return None
    threads, cur = {}, None
    for line in r.stdout.splitlines():
        m = re.match(r"Thread \d+ \(Thread 0x[0-9a-f]+ \(LWP (\d+)\)\)", line)
        if m:
            cur = threads.setdefault(int(m.group(1)), [])
            continue
        m = re.match(r'  File "(.*)", line (\d+), in (.*)$', line)
        if m and cur is not None:
            cur.append((m.group(3), m.group(1), int(m.group(2))))
    return threads


def check_interpreter(label, python, work):
    version = subprocess.run([python, "-c", "import sys; print(sys.version_info[1])"],
                             capture_output=True, text=True).stdout.strip()
    core, dump = run_service(python, work)
    if not check(core is not None, f"{label}: gcore wrote a core of the hung service"):
        return
    r = subprocess.run([INQUEST, "core", core, "--format", "json"], capture_output=True, text=True)
    check(r.returncode in (0, 1), f"{label}: inquest core reads it (exit {r.returncode})")
    report = json.loads(r.stdout)
    view = report.get("runtime") or {}
    check(view.get("runtime") == "CPython", f"{label}: the runtime is recognised as CPython")
    check(view.get("version", "").startswith(f"3.{version}"),
          f"{label}: the version is 3.{version} ({view.get('version')})")
    if label.startswith("debian"):
        # The same core read by gdb with the interpreter's own gdb extension (py-bt).
        want = gdb_py_bt(python, core)
        if check(want is not None, f"{label}: gdb's py-bt reads the core (python3.11-dbg)"):
            got = {t["lwp"]: [(f["function"], f["file"], f["line"]) for f in t["frames"]]
                   for t in view.get("threads", [])}
            listed = {lwp: frames for lwp, frames in want.items() if frames}
            same = [lwp for lwp in listed if got.get(lwp) == listed[lwp]]
            check(len(listed) == WORKERS + 3 and len(same) == len(listed),
                  f"{label}: every thread's Python frames equal gdb py-bt's, thread by thread "
                  f"({len(same)} of {len(listed)})")
    if int(version) >= 13:
        problems = " ".join(view.get("problems", []))
        check("_Py_DebugOffsets" in view.get("layout", "") and "_Py_DebugOffsets" not in problems,
              f"{label}: read with the offsets of the process's own _Py_DebugOffsets block "
              f"({view.get('layout')}; {problems[:200]})")
    expected, dumper = faulthandler_threads(dump)
    check(len(expected) == WORKERS + 3,
          f"{label}: faulthandler lists {WORKERS + 3} threads ({len(expected)})")
    got = {int(t["id"], 16): t for t in view.get("threads", [])}
    check(set(got) == set(expected),
          f"{label}: the same {len(expected)} thread ids as faulthandler ({len(got)} read)")
    spinner = [tid for tid, frames in expected.items() if frames and frames[0][2] == "spin"]
    exact = mismatched = 0
    for tid, frames in expected.items():
        mine = [(f["file"], f["line"], f["function"]) for f in got.get(tid, {}).get("frames", [])]
        if tid == dumper or tid in spinner:
            same = [f[2] for f in mine] == [f[2] for f in frames]
            check(same, f"{label}: thread {tid:#x} ({frames[0][2]}) has faulthandler's functions")
            continue
        if mine == frames:
            exact += 1
        elif mismatched < 3:
            mismatched += 1
            print(f"  thread {tid:#x}: inquest {mine}\n  faulthandler {frames}")
    check(exact == WORKERS + 1,
          f"{label}: {WORKERS + 1} parked threads have faulthandler's frames exactly ({exact})")
    wait_line = line_of(SERVICE, "LINE_WAIT")
    worker = next((t for t in view.get("threads", []) if t["frames"] and
                   t["frames"][0]["line"] == wait_line), None)
    # Qualified names from 3.11 (co_qualname); before, the function's name.
    want = "Pool.take" if int(version) >= 11 else "take"
    check(worker is not None and (worker["frames"][0]["qualname"] or
                                  worker["frames"][0]["function"]) == want,
          f"{label}: a worker's innermost frame is {want} at line {wait_line}")
    holders = [int(t["id"], 16) for t in view.get("threads", []) if t["holds_gil"]]
    check(holders == spinner, f"{label}: the spinner alone holds the GIL ({holders}, {spinner})")
    native = {t["tid"]: t for t in report.get("threads", [])}
    check(all(t["lwp"] in native for t in view.get("threads", [])),
          f"{label}: every Python thread's LWP is a native thread of the core")
    # The mixed stack: every frame of every parked thread sits on an interpreter-loop frame of
    # its native stack, inner runs on inner loop frames.
    joined = 0
    for t in view.get("threads", []):
        if int(t["id"], 16) in spinner or int(t["id"], 16) == dumper:
            continue
        nframes = native.get(t["lwp"], {}).get("frames", [])
        at = [f["native_frame"] for f in t["frames"]]
        ok = all(0 <= i < len(nframes) and
                 nframes[i]["function"] == "_PyEval_EvalFrameDefault" for i in at)
        joined += ok and at == sorted(at)
    check(joined == WORKERS + 1,
          f"{label}: the Python frames of {WORKERS + 1} parked threads are joined to their "
          f"_PyEval_EvalFrameDefault frames, in order ({joined})")
    text = subprocess.run([INQUEST, "core", core], capture_output=True, text=True).stdout
    check(f"CPython 3.{version}" in text and f"{WORKERS} python threads with this stack" in text,
          f"{label}: the text names the runtime and groups the {WORKERS} workers")
    if label.startswith("debian"):
        check_analyze(label, core, work)
        check_missing_interpreter(python, work)
    os.unlink(core)


def check_missing_interpreter(python, work):
    """A core whose interpreter binary is gone: the runtime is named, its threads are said to
    be unreadable for that reason, and nothing is guessed."""
    copy = os.path.join(work, "gone", "python3.11")
    os.makedirs(os.path.dirname(copy), exist_ok=True)
    shutil.copy2(python, copy)
    core, _ = run_service(copy, work)
    os.unlink(copy)
    if not check(core is not None, "missing interpreter: a core of the copy"):
        return
    r = subprocess.run([INQUEST, "core", core, "--format", "json"], capture_output=True, text=True)
    view = (json.loads(r.stdout) if r.returncode in (0, 1) else {}).get("runtime") or {}
    check(view.get("runtime") == "CPython" and not view.get("threads") and
          "no file with its symbols was found" in view.get("unreadable", ""),
          f"missing interpreter: named, threads unread, and why ({view.get('unreadable')!r})")
    os.unlink(core)


def check_analyze(label, core, work):
    """`inquest analyze` on a bundle holding the core: the Python threads give the same verdicts
    as a py-spy dump would (the stuck pool, the GIL holder), with the core as evidence."""
    bundle = os.path.join(work, "bundle")
    os.makedirs(bundle, exist_ok=True)
    placed = os.path.join(bundle, os.path.basename(core))
    os.rename(core, placed)
    try:
        out = os.path.join(work, "report")
        r = subprocess.run([INQUEST, "analyze", bundle, "--out", out], capture_output=True,
                           text=True)
        check(r.returncode == 0, f"{label}: analyze reads the bundle ({r.stderr.strip()[-200:]})")
        findings = json.load(open(os.path.join(out, "findings.json")))["findings"]
        kinds = {f["kind"]: f for f in findings}
        stuck = kinds.get("stuck-threads", {})
        check(f"{WORKERS} threads share one stack, waiting in Pool.take" in stuck.get("title", "")
              and all("its CPython threads" in e["source"] for e in stuck.get("evidence", [])),
              f"{label}: analyze finds the {WORKERS} workers stuck in Pool.take, from the core "
              f"({stuck.get('title')})")
        gil = kinds.get("gil-holder", {})
        check(" in spin (" in gil.get("title", ""),
              f"{label}: analyze names the GIL holder ({gil.get('title')})")
    finally:
        os.rename(placed, core)


def check_lab(work):
    """The lab's python-hang-core drill: its scenario's expectations hold."""
    out = os.path.join(work, "lab")
    scenario = run_lab_scenario("python-hang-core", out, INQUEST, checks)
    expect = scenario["expect"]
    for cmd in scenario["analyze"]:
        code, doc = inquest_json(INQUEST, cmd, out)
        check(code == expect["exit_code"], f"lab: inquest {' '.join(cmd)} exits {code}")
        view = doc.get("runtime") or {}
        check(view.get("runtime") == expect["runtime"], f"lab: the runtime is {expect['runtime']}")
        innermost = {t["frames"][0]["function"] for t in view.get("threads", []) if t["frames"]}
        functions = {f["function"] for t in view.get("threads", []) for f in t["frames"]}
        for name in expect["python_threads_in"]:
            check(name in functions, f"lab: a Python thread runs {name} ({sorted(innermost)})")
    # The abort drill: the core and faulthandler's file tell the same crash.
    out = os.path.join(work, "lab-abort")
    scenario = run_lab_scenario("python-abort-core", out, INQUEST, checks)
    expect = scenario["expect"]
    code, doc = inquest_json(INQUEST, scenario["analyze"][0], out)
    view = doc.get("runtime") or {}
    check(code == expect["exit_code"] and doc.get("signal", {}).get("name") == expect["signal"],
          f"lab abort: the core says {expect['signal']} ({code})")
    with open(os.path.join(out, expect["faulthandler"])) as f:
        written, _ = faulthandler_threads(f.read())
    got = {int(t["id"], 16): [(fr["function"], fr["line"]) for fr in t["frames"]]
           for t in view.get("threads", [])}
    want = {tid: [(fn, ln) for _, ln, fn in frames] for tid, frames in written.items()}
    check(got == want and len(want) == 3,
          f"lab abort: every thread's frames are faulthandler's ({len(got)} vs {len(want)})")
    holder = [t for t in view.get("threads", []) if t.get("holds_gil")]
    check(len(holder) == 1 and [f["function"] for f in holder[0]["frames"]][:2] ==
          expect["gil_holder_in"], f"lab abort: the aborting thread holds the GIL in "
          f"{expect['gil_holder_in']}")


def main():
    require("gdb", "gcore")
    found = interpreters()
    check(any(label.startswith("debian") for label, _ in found),
          "Debian's python3.11 is installed (the test packages bring it)")
    work = tempfile.mkdtemp(prefix="inquest-python-core-")
    try:
        for label, python in found:
            check_interpreter(label, python, work)
        check_lab(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    checks.finish()


if __name__ == "__main__":
    main()
