#!/usr/bin/env python3
"""End-to-end: the Python dump handler (handlers/python/inquest_dumps.py) in real CPython
services, its files read by inquest.

A small quote service installs the handler and runs two named threads (poll_prices, waiting on
an event; settle_ledger, blocked on a lock). Then:

- SIGUSR1: a thread dump named {program}-{pid}-{time}-threads.txt, 0600 in a folder created
  0700, listed in manifest.json with its size, sha256, kind, time and trigger; `inquest dump`
  reads it and names both threads' functions;
- SIGUSR2: a tracemalloc snapshot `inquest heap --format json` reads;
- traced memory pushed over traced_limit: one watchdog-traced snapshot per crossing (none while
  it stays above, another after it fell below and crossed again);
- two processes dumping into one folder at once: the manifest lists both, consistent;
- a restart (another process, same folder): earlier dumps kept, the manifest lists every pid,
  `started` unchanged;
- a SIGSEGV: the fatal-signal file holds faulthandler's traceback, `inquest dump` reads the
  crash, and the next process in the folder lists it (trigger fatal); an empty fatal file left
  by a SIGKILLed process is removed by the next one; clean exits leave none;
- a storm of 100 SIGUSR1 in a second with max_dumps 3: the service answers, the dumps are
  coalesced, the cap holds (the oldest removed, from the folder and the manifest);
- a file size limit (RLIMIT_FSIZE) and a folder that cannot be created: one stderr line
  starting "inquest-dumps:" per failure, the service keeps answering, no temporary file left,
  and the next dump after the limit is lifted is written;
- `inquest analyze` on the folder reads every dump the manifest lists;
- every other CPython 3.8+ on the machine: thread dump, snapshot and fatal file read by inquest;
- the module's unit tests (handlers/python/test_inquest_dumps.py).

    handler_python_test.py PATH/TO/inquest       (exit 77: no CPython 3.8 or later)
"""
import calendar
import glob
import hashlib
import json
import os
import queue
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import SKIP, Checks  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HANDLERS = os.path.join(ROOT, "handlers", "python")
checks = Checks()
check = checks.check

NAME = re.compile(r"^quotesvc-(\d+)-(\d{8}T\d{6}\.\d{3}Z)-(threads|tracemalloc|fatal)(-\d+)?"
                  r"\.(txt|pickle)$")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")

SERVICE = r'''
import faulthandler, json, os, sys, threading, time
sys.path.insert(0, sys.argv[1])
import inquest_dumps

folder, max_dumps, traced_limit = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
handler = inquest_dumps.install(folder, program="quotesvc", max_dumps=max_dumps,
                                traced_limit=traced_limit or None, check_interval=0.05)
ledger_lock = threading.Lock()
ledger_lock.acquire()
stop = threading.Event()


def settle_ledger():
    with ledger_lock:
        pass


def poll_prices():
    while not stop.wait(0.05):
        pass


def crash_in_parser():
    faulthandler._sigsegv()


threading.Thread(target=settle_ledger, name="ledger", daemon=True).start()
threading.Thread(target=poll_prices, name="prices", daemon=True).start()
print("ready", flush=True)
hog = []
for line in sys.stdin:
    cmd, *args = line.split()
    if cmd == "ping":
        print("pong", flush=True)
    elif cmd == "grow":
        hog.append(bytearray(int(args[0])))
        print("grown", flush=True)
    elif cmd == "free":
        hog.clear()
        print("freed", flush=True)
    elif cmd == "stats":
        print(json.dumps(handler.stats), flush=True)
    elif cmd == "crash":
        crash_in_parser()
    elif cmd == "quit":
        break
stop.set()
'''


class Service:
    """The quote service in a subprocess, answering one line per command."""

    def __init__(self, exe, script, folder, max_dumps=50, traced_limit=0, preexec_fn=None):
        self.p = subprocess.Popen([exe, script, HANDLERS, folder, str(max_dumps),
                                   str(traced_limit)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  preexec_fn=preexec_fn)
        self.pid = self.p.pid
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.ready = self.reply() == "ready"

    def _read(self):
        for line in self.p.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def reply(self, timeout=20):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def ask(self, cmd, timeout=20):
        try:
            self.p.stdin.write(cmd + "\n")
            self.p.stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        return self.reply(timeout)

    def signal(self, sig):
        os.kill(self.pid, sig)

    def quit(self):
        """Clean exit; returns (exit code, stderr)."""
        try:
            self.p.stdin.write("quit\n")
            self.p.stdin.flush()
        except (BrokenPipeError, OSError):
            pass
        return self.finish()

    def finish(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        try:
            self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        return self.p.returncode, self.p.stderr.read()


def manifest_of(folder):
    try:
        with open(os.path.join(folder, "manifest.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def wait_for(pred, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(0.02)
    return None


def entries(folder, **want):
    m = manifest_of(folder) or {}
    return [f for f in m.get("files", []) if all(f.get(k) == v for k, v in want.items())]


def wait_entries(folder, count=1, **want):
    return wait_for(lambda: (lambda es: es if len(es) >= count else None)(entries(folder, **want)))


def inquest(*args, cwd=None):
    return subprocess.run([INQUEST, *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd, env=dict(os.environ, NO_COLOR="1"))


def check_folder(label, folder, live_fatal=()):
    """The folder is 0700, the manifest lists exactly the dump files on disk (a live process's
    empty fatal file excepted) with their size and sha256, every file is 0600, no temporary
    file is left. Returns the manifest."""
    m = manifest_of(folder)
    if not check(m is not None, f"{label}: manifest.json is JSON"):
        return None
    check(stat.S_IMODE(os.stat(folder).st_mode) == 0o700, f"{label}: the folder is 0700")
    check(m["inquest_capture"] == 1 and m["writer"] == "inquest-dumps-python 1" and
          m["runtime"] == "python" and TIME.match(m["started"]) and TIME.match(m["finished"]),
          f"{label}: the manifest's header ({m['writer']}, {m['started']} .. {m['finished']})")
    bad = []
    for f in m["files"]:
        try:
            with open(os.path.join(folder, f["path"]), "rb") as fh:
                data = fh.read()
        except OSError:
            bad.append(f["path"] + " missing")
            continue
        if len(data) != f["size"] or hashlib.sha256(data).hexdigest() != f["sha256"]:
            bad.append(f["path"] + " size or sha256")
        match = NAME.match(f["path"])
        if not (match and match.group(3) == f["kind"] and int(match.group(1)) == f["pid"] and
                f["program"] == "quotesvc" and TIME.match(f["time"])):
            bad.append(f["path"] + " name, kind, pid, program or time")
        elif f["kind"] != "fatal" and match.group(2) != (
                f["time"][:4] + f["time"][5:7] + f["time"][8:10] + "T" + f["time"][11:13] +
                f["time"][14:16] + f["time"][17:23] + "Z"):
            bad.append(f["path"] + " name's time is not the entry's")
        if f["trigger"] not in ("SIGUSR1", "SIGUSR2", "watchdog-traced", "watchdog-rss", "api",
                                "fatal"):
            bad.append(f["path"] + " trigger " + f["trigger"])
    check(not bad, f"{label}: every listed file is there, named by the contract, its size and "
          f"sha256 right ({len(m['files'])} files; {bad})")
    names = os.listdir(folder)
    dumps = {n for n in names if NAME.match(n)} - set(live_fatal)
    listed = {f["path"] for f in m["files"]}
    check(dumps == listed,
          f"{label}: the manifest lists exactly the dump files ({sorted(dumps ^ listed)})")
    modes = {n: stat.S_IMODE(os.lstat(os.path.join(folder, n)).st_mode) for n in names}
    check(all(v == 0o600 for v in modes.values()),
          f"{label}: every file is 0600 ({sorted(n for n, v in modes.items() if v != 0o600)})")
    check(not [n for n in names if n.endswith(".tmp")], f"{label}: no temporary file left")
    return m


def live_fatal(folder, pid):
    return [n for n in os.listdir(folder) if NAME.match(n) and n.endswith("-fatal.txt")
            and int(NAME.match(n).group(1)) == pid]


def main_scenario(exe, script, tmp):
    folder = os.path.join(tmp, "dumps", "quotes")      # neither exists yet
    t0 = time.time_ns()
    a = Service(exe, script, folder, max_dumps=50, traced_limit=30 << 20)
    if not check(a.ready, "the service starts with the handler installed"):
        return
    check(stat.S_IMODE(os.stat(folder).st_mode) == 0o700, "the dump folder is created 0700")
    fatal_a = live_fatal(folder, a.pid)
    check(len(fatal_a) == 1 and os.path.getsize(os.path.join(folder, fatal_a[0])) == 0,
          f"the fatal-signal file exists, empty, from install on ({fatal_a})")

    # SIGUSR1: a thread dump.
    a.signal(signal.SIGUSR1)
    got = wait_entries(folder, kind="threads")
    t1 = time.time_ns()
    if check(bool(got), "SIGUSR1: a thread dump is listed in manifest.json"):
        e = got[0]
        check(e["trigger"] == "SIGUSR1" and e["pid"] == a.pid, f"SIGUSR1: trigger and pid ({e})")
        when = calendar.timegm(time.strptime(e["time"][:19], "%Y-%m-%dT%H:%M:%S"))
        check(t0 // 10**9 - 1 <= when <= t1 // 10**9 + 1,
              f"SIGUSR1: its time {e['time']} is now, in UTC")
        path = os.path.join(folder, e["path"])
        check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "SIGUSR1: the dump is 0600")
        r = inquest("dump", path)
        check(r.returncode == 0 and "settle_ledger" in r.stdout and "poll_prices" in r.stdout,
              f"inquest dump reads the thread dump and names settle_ledger and poll_prices "
              f"(exit {r.returncode}; {r.stderr[-200:]})")
        r = inquest("dump", path, "--format", "json")
        doc = json.loads(r.stdout) if r.returncode == 0 else {}
        dump = doc.get("dumps", [{}])[0]
        threads = dump.get("detail", {}).get("threads", 0)
        check(dump.get("kind") == "python" and threads >= 3,
              f"inquest dump --format json: a Python dump of {threads} threads")

    # SIGUSR2: a tracemalloc snapshot.
    a.signal(signal.SIGUSR2)
    got = wait_entries(folder, kind="tracemalloc", trigger="SIGUSR2")
    if check(bool(got), "SIGUSR2: a tracemalloc snapshot is listed"):
        r = inquest("heap", os.path.join(folder, got[0]["path"]), "--format", "json")
        doc = json.loads(r.stdout) if r.returncode == 0 else {}
        check(r.returncode == 0 and doc.get("kind") == "statistics" and doc.get("traces", 0) > 0,
              f"inquest heap reads the snapshot ({doc.get('traces')} traces; {r.stderr[-200:]})")

    # The watchdog: once per crossing.
    check(a.ask("grow %d" % (40 << 20)) == "grown", "the service allocates 40 MiB")
    got = wait_entries(folder, trigger="watchdog-traced")
    check(bool(got) and got[0]["kind"] == "tracemalloc",
          "over traced_limit: a watchdog-traced snapshot")
    time.sleep(0.5)                                    # ten more checks above the limit
    check(len(entries(folder, trigger="watchdog-traced")) == 1,
          "no second snapshot while traced memory stays above the limit")
    check(a.ask("free") == "freed", "the service frees the memory")
    time.sleep(0.4)                                    # the watchdog sees it below: re-armed
    check(a.ask("grow %d" % (40 << 20)) == "grown", "the service allocates it again")
    check(bool(wait_entries(folder, count=2, trigger="watchdog-traced")),
          "a second crossing: a second watchdog-traced snapshot")
    a.ask("free")
    if got:
        r = inquest("heap", os.path.join(folder, got[0]["path"]), "--top", "1")
        top = [line for line in r.stdout.splitlines() if "MiB" in line and "%" in line]
        check(r.returncode == 0 and top and "quotesvc.py" in top[0],
              f"the watchdog's snapshot puts the service's allocation on top ({top[:1]})")

    # Two processes dumping into one folder at the same time.
    b = Service(exe, script, folder, max_dumps=50)
    check(b.ready, "a second process starts on the same folder")
    before = len(entries(folder, kind="threads"))
    for _ in range(5):
        a.signal(signal.SIGUSR1)
        b.signal(signal.SIGUSR1)
        time.sleep(0.06)
    wait_for(lambda: entries(folder, kind="threads", pid=b.pid) and
             len(entries(folder, kind="threads")) >= before + 2)
    time.sleep(0.3)
    m = check_folder("two processes", folder, live_fatal=live_fatal(folder, a.pid) +
                     live_fatal(folder, b.pid))
    pids = {f["pid"] for f in (m or {}).get("files", [])}
    check({a.pid, b.pid} <= pids, f"two processes: the manifest lists both ({pids})")
    started = (m or {}).get("started")

    code_a, err_a = a.quit()
    code_b, err_b = b.quit()
    check(code_a == 0 and code_b == 0 and "inquest-dumps:" not in err_a + err_b,
          f"both exit cleanly, nothing reported ({err_a[-200:]}{err_b[-200:]})")
    check(not live_fatal(folder, a.pid) and not live_fatal(folder, b.pid),
          "a clean exit removes the empty fatal-signal file")
    earlier = {f["path"] for f in manifest_of(folder)["files"]}

    # A restart: the next process keeps what the earlier ones wrote.
    c = Service(exe, script, folder, max_dumps=50)
    c.signal(signal.SIGUSR1)
    wait_entries(folder, kind="threads", pid=c.pid)
    m = check_folder("restart", folder, live_fatal=live_fatal(folder, c.pid))
    if m:
        listed = {f["path"] for f in m["files"]}
        check(earlier <= listed and {a.pid, b.pid, c.pid} <= {f["pid"] for f in m["files"]},
              f"restart: earlier dumps kept, the manifest lists the pids of all three processes")
        check(m["started"] == started and m["pid"] == c.pid,
              f"restart: started kept ({m['started']}), pid is the latest writer's ({m['pid']})")

    # A crash: faulthandler writes the fatal file; the next process lists it.
    fatal_c = live_fatal(folder, c.pid)
    c.ask("crash", timeout=2)
    code, err = c.finish()
    check(code == -signal.SIGSEGV, f"the crash kills the service with SIGSEGV (status {code})")
    if check(len(fatal_c) == 1, "the crashed process has its fatal file"):
        path = os.path.join(folder, fatal_c[0])
        with open(path) as f:
            text = f.read()
        check("Fatal Python error: Segmentation fault" in text and "crash_in_parser" in text,
              "the fatal file holds faulthandler's traceback of the crash")
        r = inquest("dump", path, "--format", "json")
        doc = json.loads(r.stdout) if r.returncode == 0 else {"dumps": [{}]}
        verdicts = doc["dumps"][0].get("verdicts", [])
        check(r.returncode == 0 and any(v["kind"] == "crash" and "crash_in_parser" in v["title"]
                                        for v in verdicts),
              f"inquest dump reads the crash at crash_in_parser ({[v['title'] for v in verdicts]})")
        check(fatal_c[0] not in {f["path"] for f in manifest_of(folder)["files"]},
              "a crashed process cannot list its fatal file itself")
    d = Service(exe, script, folder, max_dumps=50)
    got = wait_for(lambda: [f for f in entries(folder, kind="fatal") if f["pid"] == c.pid])
    check(bool(got) and got[0]["trigger"] == "fatal" and got[0]["size"] > 0,
          f"the next process lists the fatal file (trigger fatal): {got}")
    d.quit()

    # SIGKILL leaves an empty fatal file: the next process removes it.
    e = Service(exe, script, folder, max_dumps=50)
    killed = live_fatal(folder, e.pid)
    e.p.kill()
    e.finish()
    check(len(killed) == 1 and os.path.exists(os.path.join(folder, killed[0])),
          "SIGKILL leaves the empty fatal file")
    f_ = Service(exe, script, folder, max_dumps=50)
    check(bool(wait_for(lambda: not os.path.exists(os.path.join(folder, killed[0])))),
          "the next process removes an empty fatal file nobody holds")
    f_.quit()
    m = check_folder("after crash and kill", folder)

    # analyze reads what the manifest lists.
    report = os.path.join(tmp, "report")
    r = inquest("analyze", folder, "--out", report)
    if check(r.returncode == 0, f"inquest analyze on the dump folder exits 0 ({r.stderr[-300:]})"):
        with open(os.path.join(report, "findings.json")) as fh:
            inputs = {i["file"]: i for i in json.load(fh)["inputs"]}
        wrong = []
        for entry in (m or {}).get("files", []):
            i = inputs.get(entry["path"])
            want = "profile" if entry["kind"] == "tracemalloc" else "dump"
            if not i or i["taken_for"] != want or i.get("error"):
                wrong.append((entry["path"], i and i["taken_for"]))
        check(not wrong, f"analyze reads every listed dump as a dump or a profile ({wrong})")
        check("manifest.json" in inputs and "dump handler" in inputs["manifest.json"]["reason"],
              f"analyze knows the manifest ({inputs.get('manifest.json', {}).get('reason')})")


def storm_scenario(exe, script, tmp):
    folder = os.path.join(tmp, "storm")
    s = Service(exe, script, folder, max_dumps=3)
    if not check(s.ready, "storm: the service starts (max_dumps 3)"):
        return
    s.signal(signal.SIGUSR2)
    first = wait_entries(folder, kind="tracemalloc")
    for burst in range(10):                     # 100 SIGUSR1 within a second
        for _ in range(10):
            s.signal(signal.SIGUSR1)
        time.sleep(0.09)
    check(s.ask("ping", timeout=10) == "pong", "storm: the service still answers")
    time.sleep(0.5)
    stats = json.loads(s.ask("stats") or "{}")
    written = stats.get("written", 0) - 1
    check(1 <= written < 100 and stats.get("failed") == 0,
          f"storm: 100 signals coalesced into {written} thread dumps "
          f"({stats.get('coalesced')} found a dump pending; the kernel and CPython merged "
          f"the others)")
    m = check_folder("storm", folder, live_fatal=live_fatal(folder, s.pid))
    if m and first:
        check(len(m["files"]) == 3, f"storm: the cap keeps 3 dumps ({len(m['files'])})")
        check(not os.path.exists(os.path.join(folder, first[0]["path"])) and
              first[0]["path"] not in {f["path"] for f in m["files"]},
              "storm: the oldest dump (the snapshot before the storm) removed by the cap")
        times = sorted(f["time"] for f in m["files"])
        check(all(t > first[0]["time"] for t in times), "storm: the newest dumps are kept")
    s.signal(signal.SIGUSR1)
    check(bool(wait_for(lambda: json.loads(s.ask("stats") or "{}").get("written", 0) >
                        written + 1, timeout=10)),
          "storm: a later SIGUSR1 is still answered with a dump")
    code, err = s.quit()
    check(code == 0 and not err, f"storm: clean exit, nothing on stderr ({err[-200:]})")


def failure_scenario(exe, script, tmp):
    folder = os.path.join(tmp, "full")

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (600, resource.RLIM_INFINITY))

    s = Service(exe, script, folder, preexec_fn=small_files)
    if not check(s.ready, "file size limit: the service starts under RLIMIT_FSIZE 600 bytes"):
        return
    wait_for(lambda: manifest_of(folder))
    s.signal(signal.SIGUSR1)
    time.sleep(0.4)
    s.signal(signal.SIGUSR2)
    time.sleep(0.6)
    check(s.ask("ping") == "pong", "file size limit: the service keeps answering")
    names = os.listdir(folder)
    check(not [n for n in names if n.endswith(".tmp")] and
          not [n for n in names if NAME.match(n) and not n.endswith("-fatal.txt")],
          f"file size limit: no dump and no temporary file left ({names})")
    resource.prlimit(s.pid, resource.RLIMIT_FSIZE,
                     (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    s.signal(signal.SIGUSR1)
    check(bool(wait_entries(folder, kind="threads")),
          "file size limit lifted: the next SIGUSR1 writes its dump")
    code, err = s.quit()
    lines = err.splitlines()
    check(code == 0 and len(lines) == 2 and all(l.startswith("inquest-dumps: ") for l in lines)
          and "threads dump (SIGUSR1)" in lines[0] and "tracemalloc dump (SIGUSR2)" in lines[1]
          and all("EFBIG" in l for l in lines),
          f"file size limit: one stderr line per failed dump, EFBIG ({lines})")
    check_folder("file size limit", folder)

    # A folder that cannot be created (a file is in the way).
    blocker = os.path.join(tmp, "blocker")
    open(blocker, "w").close()
    s = Service(exe, script, os.path.join(blocker, "dumps"))
    check(s.ready, "unusable folder: the service starts anyway")
    s.signal(signal.SIGUSR1)
    time.sleep(0.5)
    check(s.ask("ping") == "pong", "unusable folder: the service keeps answering")
    code, err = s.quit()
    lines = err.splitlines()
    check(code == 0 and lines and all(l.startswith("inquest-dumps: ") for l in lines) and
          any("cannot be used" in l for l in lines) and any("SIGUSR1" in l for l in lines),
          f"unusable folder: reported on stderr at install and at the dump ({lines})")
    if os.geteuid() != 0:                       # root writes anywhere
        ro = os.path.join(tmp, "readonly")
        os.mkdir(ro, 0o500)
        s = Service(exe, script, ro)
        s.signal(signal.SIGUSR1)
        time.sleep(0.5)
        check(s.ask("ping") == "pong", "read-only folder: the service keeps answering")
        code, err = s.quit()
        check(code == 0 and "inquest-dumps: " in err and "not writable" in err,
              f"read-only folder: reported ({err.strip()[-200:]})")


def other_interpreter(label, exe, script, tmp):
    folder = os.path.join(tmp, "dumps")
    s = Service(exe, script, folder)
    if not check(s.ready, f"{label}: the service starts with the handler"):
        s.finish()
        return
    s.signal(signal.SIGUSR1)
    threads = wait_entries(folder, kind="threads")
    s.signal(signal.SIGUSR2)
    snap = wait_entries(folder, kind="tracemalloc")
    if check(bool(threads) and bool(snap), f"{label}: SIGUSR1 and SIGUSR2 dumps listed"):
        r = inquest("dump", os.path.join(folder, threads[0]["path"]))
        check(r.returncode == 0 and "settle_ledger" in r.stdout,
              f"{label}: inquest dump reads the thread dump")
        r = inquest("heap", os.path.join(folder, snap[0]["path"]), "--format", "json")
        check(r.returncode == 0 and json.loads(r.stdout).get("kind") == "statistics",
              f"{label}: inquest heap reads the snapshot")
    fatal = live_fatal(folder, s.pid)
    s.ask("crash", timeout=2)
    code, _ = s.finish()
    if check(code == -signal.SIGSEGV and len(fatal) == 1, f"{label}: crashed with SIGSEGV"):
        r = inquest("dump", os.path.join(folder, fatal[0]))
        check(r.returncode == 0 and "crash_in_parser" in r.stdout and "Segmentation" in r.stdout,
              f"{label}: inquest dump reads the fatal file")
    check_folder(label, folder, live_fatal=fatal)


def interpreters():
    """(label, path) of every CPython 3.8 or later found, each binary once."""
    found, seen = [], set()
    candidates = [sys.executable, shutil.which("python3"), "/usr/bin/python3",
                  "/usr/bin/python3.11-dbg"]
    pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(os.path.join(pyenv, "versions", "3.*", "bin", "python3")))
    for exe in candidates:
        if not exe or not os.path.exists(exe) or os.path.realpath(exe) in seen:
            continue
        seen.add(os.path.realpath(exe))
        r = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True)
        version = r.stdout.strip()
        if r.returncode == 0 and version and tuple(map(int, version.split("."))) >= (3, 8):
            found.append((f"CPython {version} ({exe})", exe))
    return found


def main():
    found = interpreters()
    if not found:
        print("SKIP: no CPython 3.8 or later on this machine")
        sys.exit(SKIP)
    r = subprocess.run([found[0][1], "-m", "unittest", "-q"], cwd=HANDLERS, capture_output=True,
                       text=True, timeout=300, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    check(r.returncode == 0, "the module's unit tests pass (%s)"
          % " ".join(r.stderr.split()[-12:]))
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "quotesvc.py")
        with open(script, "w") as f:
            f.write(SERVICE)
        label, exe = found[0]
        print(f"# {label}")
        for name, scenario in (("main", main_scenario), ("storm", storm_scenario),
                               ("failures", failure_scenario)):
            work = os.path.join(tmp, name)
            os.makedirs(work)
            scenario(exe, script, work)
        for i, (label, exe) in enumerate(found[1:]):
            work = os.path.join(tmp, f"py{i}")
            os.makedirs(work)
            other_interpreter(label, exe, script, work)
    checks.finish()


main()
