#!/usr/bin/env python3
"""End-to-end test of the native lab scenarios through `inquest lab run`: each scenario is
built with gcc/g++, run until it crashes (or, for the deadlock, captured live with `inquest
capture`), and inquest's conclusions from `inquest core --format json` are checked against the
`expect` of the scenario.json the scenario wrote.

    lab_native_test.py PATH/TO/inquest   (run from the source folder)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

INQUEST = os.path.abspath(sys.argv[1])
SCENARIOS = ["native-billing-null", "native-assert-abort", "native-deadlock",
             "native-shlib-crash"]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def own_frames(thread):
    """The frames with a function name, outermost libc start-up frames included."""
    return [f for f in thread["frames"] if f.get("function")]


def where(f):
    return "%s:%s" % (os.path.basename(f.get("file") or ""), f.get("line") or 0)


def check_crash(name, core, expect):
    crashing = [t for t in core["threads"] if t.get("crashing")]
    check(len(crashing) == 1, "%s: one crashing thread" % name)
    if not crashing:
        return
    frames = own_frames(crashing[0])
    names = [f["function"] for f in frames]
    sig = core["signal"]
    if "signal" in expect:
        check(sig["name"] == expect["signal"], "%s: signal %s (got %s)" %
              (name, expect["signal"], sig["name"]))
    if "fault_address" in expect:
        check(sig.get("fault_address") == expect["fault_address"], "%s: fault address %s (got %s)"
              % (name, expect["fault_address"], sig.get("fault_address")))
    if "crashing_function" in expect:
        check(names[:1] == [expect["crashing_function"]], "%s: crash in %s (got %s)" %
              (name, expect["crashing_function"], names[:1]))
    if "crashing_line" in expect:
        check(frames and where(frames[0]) == expect["crashing_line"], "%s: at %s (got %s)" %
              (name, expect["crashing_line"], frames and where(frames[0])))
    if "crashing_module" in expect:
        check(frames and frames[0]["module"] == expect["crashing_module"],
              "%s: in module %s (got %s)" % (name, expect["crashing_module"],
                                            frames and frames[0]["module"]))
    if "frames" in expect:
        n = len(expect["frames"])
        check(names[:n] == expect["frames"], "%s: frames %s (got %s)" %
              (name, expect["frames"], names[:n]))
    if "frame_lines" in expect:
        n = len(expect["frame_lines"])
        got = [where(f) for f in frames[:n]]
        check(got == expect["frame_lines"], "%s: lines %s (got %s)" %
              (name, expect["frame_lines"], got))
    for want in expect.get("frames_include", []):
        check(any(want in f for f in names), "%s: %s among the frames %s" % (name, want, names))
    lines = [where(f) for f in frames]
    for want in expect.get("frame_lines_include", []):
        check(want in lines, "%s: %s among the frame lines %s" % (name, want, lines))
    walk = (core.get("walk") or {}).get("summary", "")
    for want in expect.get("walk_mentions", []):
        check(want in walk, "%s: the walk names %s (%r)" % (name, want, walk))


def check_hang(name, out, core, expect):
    check(len(core["threads"]) == expect["threads"], "%s: %d threads (got %d)" %
          (name, expect["threads"], len(core["threads"])))
    for worker in expect["blocked_threads"]:
        blocked = [t for t in core["threads"]
                   if any(f.get("function") == worker for f in t["frames"]) and
                   any(expect["blocked_in"] in (f.get("function") or "") for f in t["frames"])]
        check(len(blocked) == 1, "%s: %s blocked in %s" % (name, worker, expect["blocked_in"]))
    threads = open(os.path.join(out, "capture/proc/threads.txt")).read().splitlines()[1:]
    check(threads and all(line.split("\t")[2] == expect["thread_states"] for line in threads),
          "%s: every thread in state %s in the /proc snapshot" % (name, expect["thread_states"]))
    check(all(expect["wait_channel"] in line.split("\t")[3] for line in threads),
          "%s: every thread waits in %s (%s)" % (name, expect["wait_channel"], threads))
    manifest = json.load(open(os.path.join(out, "capture/manifest.json")))
    check(manifest["paused_ms"] > 0, "%s: the capture measured its pause" % name)


def main():
    for tool in ("gcc", "g++", "gdb"):
        if not shutil.which(tool):
            print("SKIP: %s is not installed" % tool)
            return 77
    tmp = tempfile.mkdtemp(prefix="lab_native_test_")
    p = subprocess.run([INQUEST, "lab", "list"], capture_output=True, text=True)
    for name in SCENARIOS:
        check(name in p.stdout, "lab list shows %s" % name)
    for name in SCENARIOS:
        out = os.path.join(tmp, name)
        p = subprocess.run([INQUEST, "lab", "run", name, "--out", out], capture_output=True,
                           text=True, timeout=600)
        check(p.returncode == 0, "%s: lab run exit 0%s" %
              (name, "" if p.returncode == 0 else " (%s)" % p.stderr[-500:]))
        if p.returncode != 0:
            continue
        readme = open(os.path.join("lab", name, "README.md")).read()
        check(readme.strip() in p.stdout, "%s: the worked transcript is printed" % name)
        check("$ inquest core " in p.stdout, "%s: the analysis ran" % name)
        scenario = json.load(open(os.path.join(out, "scenario.json")))
        for e in scenario["evidence"]:
            check(os.path.exists(os.path.join(out, e)), "%s: evidence %s exists" % (name, e))
        core_file = [e for e in scenario["evidence"] if os.path.basename(e).startswith("core")]
        c = subprocess.run([INQUEST, "core", core_file[0], "--exe", scenario["exe"],
                            "--format", "json"], cwd=out, capture_output=True, text=True,
                           timeout=300)
        check(c.returncode in (0, 1), "%s: inquest core exit %d %s" %
              (name, c.returncode, "" if c.returncode in (0, 1) else c.stderr[-300:]))
        try:
            core = json.loads(c.stdout)
        except ValueError:
            check(False, "%s: inquest core --format json is JSON" % name)
            continue
        if scenario["symptom"] == "hang":
            check_hang(name, out, core, scenario["expect"])
        else:
            check_crash(name, core, scenario["expect"])
    # Where the kernel cannot write a core (a pipe in core_pattern), the scenario falls back to
    # gdb's generate-core-file; the core it writes must carry the same conclusions.
    out = os.path.join(tmp, "gdb-core")
    p = subprocess.run([INQUEST, "lab", "run", "native-billing-null", "--out", out],
                       capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, INQUEST_LAB_GDB_CORE="1"))
    check(p.returncode == 0 and "generate-core-file" in p.stderr,
          "gdb fallback: the output says the core came from gdb's generate-core-file")
    c = subprocess.run([INQUEST, "core", "core", "--exe", "billing", "--format", "json"],
                       cwd=out, capture_output=True, text=True, timeout=300)
    try:
        check_crash("gdb fallback", json.loads(c.stdout),
                    json.load(open(os.path.join(out, "scenario.json")))["expect"])
    except ValueError:
        check(False, "gdb fallback: inquest core reads gdb's core")
    p = subprocess.run([INQUEST, "lab", "run", "native-billing-nul"], capture_output=True,
                       text=True)
    check(p.returncode == 2 and 'did you mean "native-billing-null"' in p.stderr,
          "an unknown scenario is a usage error with a did-you-mean")
    shutil.rmtree(tmp)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
