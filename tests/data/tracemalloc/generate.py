#!/usr/bin/env python3
"""Writes the tracemalloc snapshots profile_test reads, and their oracle: what tracemalloc
itself computes on each (statistics by line, file and traceback, cumulative or not, and
compare_to between the two snapshots of one run).

    tests/data/tracemalloc/generate.py     # from anywhere; rewrites this folder's files

Each interpreter found (python3.11, and python3.7 from pyenv for the older trace layout without
total_nframe) runs a small workload compiled under fixed file names (app/cache.py, app/report.py),
takes two snapshots, keeps the traces whose frames are all the workload's (so no path of this
machine gets in) and dumps them with Snapshot.dump (protocol 5, or 4 before Python 3.8). The
synthetic snapshot adds what a workload rarely shows: a domain of 2**32 - 1, a 1 TiB block, line
0, a non-ASCII file name and one of 303 bytes, ties broken by the key; it is also written with
protocol 2 (GLOBAL and BINPUT instead of STACK_GLOBAL and MEMOIZE).
"""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PYENV = os.path.expanduser("~/.pyenv/versions")

CACHE_PY = '''
_cache = {}
_kept = []


def cache_item(key):
    _cache[key] = "item-%d" % key * (key % 5 + 1)


def nest(depth):
    if depth == 0:
        return [0] * 40
    return [nest(depth - 1)]


def keep(n):
    for i in range(n):
        _kept.append(bytearray(64 + i % 3))
'''

REPORT_PY = '''
import app_cache


def fill(start, stop):
    for key in range(start, stop):
        app_cache.cache_item(key)


def build(rounds):
    out = []
    for _ in range(rounds):
        out.append(app_cache.nest(3))
    app_cache.keep(rounds)
    return out
'''

WORKLOAD = r'''
import pickle
import sys
import tracemalloc
import types


def load(name, filename, source):
    module = types.ModuleType(name)
    exec(compile(source, filename, "exec"), module.__dict__)
    sys.modules[name] = module
    return module


def workload_only(snapshot):
    """The traces whose frames are all the workload's (this script is "<string>")."""
    traces = [t for t in snapshot.traces._traces
              if all(f[0].startswith("app/") or f[0] == "<string>" for f in t[2])]
    return tracemalloc.Snapshot(traces, snapshot.traceback_limit)


def frames(traceback):
    return ";".join("%s:%d" % (f.filename, f.lineno) for f in reversed(list(traceback)))


def write_oracle(out, name, snapshot, old=None, old_name=None):
    size = sum(t.size for t in snapshot.traces)
    out.write("snapshot\t%s\t%d\t%d\t%d\n"
              % (name, len(snapshot.traces), size, snapshot.traceback_limit))
    for key in ("lineno", "filename", "traceback"):
        for cumulative in ((False, True) if key != "traceback" else (False,)):
            out.write("stats\t%s\t%s\t%d\n" % (name, key, cumulative))
            for s in snapshot.statistics(key, cumulative):
                out.write("%d\t%d\t%s\n" % (s.size, s.count, frames(s.traceback)))
            if old is not None:
                out.write("compare\t%s\t%s\t%s\t%d\n" % (name, old_name, key, cumulative))
                for s in snapshot.compare_to(old, key, cumulative):
                    out.write("%d\t%d\t%d\t%d\t%s\n" % (s.size, s.size_diff, s.count,
                                                        s.count_diff, frames(s.traceback)))


def run(tag, folder, cache_py, report_py):
    tracemalloc.start(6)
    load("app_cache", "app/cache.py", cache_py)
    report = load("app_report", "app/report.py", report_py)
    report.fill(0, 40)
    held = report.build(8)
    first = workload_only(tracemalloc.take_snapshot())
    report.fill(40, 160)
    held += report.build(20)
    second = workload_only(tracemalloc.take_snapshot())
    tracemalloc.stop()
    names = ["%s-1.pickle" % tag, "%s-2.pickle" % tag]
    first.dump("%s/%s" % (folder, names[0]))
    second.dump("%s/%s" % (folder, names[1]))
    with open("%s/%s.oracle" % (folder, tag), "w") as out:
        write_oracle(out, names[0], first)
        write_oracle(out, names[1], second, first, names[0])


def synthetic(folder):
    long_name = "app/" + "deep/" * 59 + "x.py"
    a, b = ("app/a.py", 10), ("app/naïve.py", 0)
    tb1 = (a, ("app/main.py", 5))
    tb2 = (b, ("app/main.py", 6))
    traces = [
        (0, 100, tb1, 2), (0, 100, tb1, 2),
        (0, 200, tb2, 2),
        (2**32 - 1, 2**40, ((long_name, 70000), ("app/main.py", 7)), 9),
        (1, 50, (("app/b.py", 1),), 1), (2, 50, (("app/c.py", 1),), 1),
        (0, 30, (a, a, a), 3),
    ]
    if sys.version_info < (3, 9):
        traces = [t[:3] for t in traces]
    snapshot = tracemalloc.Snapshot(traces, 25)
    snapshot.dump("%s/synthetic.pickle" % folder)
    with open("%s/synthetic-protocol2.pickle" % folder, "wb") as out:
        pickle.dump(snapshot, out, 2)
    with open("%s/synthetic.oracle" % folder, "w") as out:
        write_oracle(out, "synthetic.pickle", snapshot)


if __name__ == "__main__":
    tag, folder = sys.argv[1], sys.argv[2]
    run(tag, folder, sys.argv[3], sys.argv[4])
    if tag.startswith("python3.11"):
        synthetic(folder)
'''


def interpreters():
    found = []
    if shutil.which("python3.11"):
        found.append(("python3.11", shutil.which("python3.11")))
    py37 = os.path.join(PYENV, "3.7.16/bin/python3.7")
    if os.path.exists(py37):
        found.append(("python3.7", py37))
    return found


def main():
    for tag, exe in interpreters():
        env = dict(os.environ, PYTHONHASHSEED="0")
        subprocess.run([exe, "-c", WORKLOAD, tag, HERE, CACHE_PY, REPORT_PY], check=True,
                       env=env)
        print("wrote %s snapshots with %s" % (tag, exe))


if __name__ == "__main__":
    main()
