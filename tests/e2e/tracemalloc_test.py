#!/usr/bin/env python3
"""End-to-end: `inquest heap` on tracemalloc snapshots written by every CPython on this machine
(python3, python3.11-dbg, each pyenv 3.x), against what tracemalloc itself computes on the same
files: every row of statistics() by line, file and traceback, cumulative or not, and of
compare_to() between two snapshots of one run (key frames, size, count, diffs) in the same order;
--top cuts that list; a gzip-compressed snapshot reads the same; cumulative grouping by traceback
is refused as tracemalloc refuses it. Then lab/python-cache-growth must point at its cache.

    tracemalloc_test.py PATH/TO/inquest       (exit 77: no CPython 3 on this machine)

Python 3.6's Traceback lists frames most recent first and sorts by that order (3.7 reversed
both); inquest follows 3.7 and later, so with 3.6 the rows grouped by traceback are compared
as sets, their order only by size and count.
"""
import glob
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import SKIP, Checks, inquest_json, run_lab_scenario  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
checks = Checks()
check = checks.check

# Runs in each interpreter: a workload whose cache grows between two snapshots (full ones:
# the standard library's frames and <frozen ...> files included), then tracemalloc's own
# answers for every grouping as JSON. Kept to Python 3.6 syntax.
WORKLOAD = r'''
import json, sys, tracemalloc

out = sys.argv[1]
tracemalloc.start(12)
import email.parser, http.client, xml.dom.minidom  # noqa: E401  (many files, deep tracebacks)
cache = {}


def cache_quote(i):
    cache[i] = ("quote-%d" % i) * (i % 9 + 1)


def nest(depth):
    return [0] * 30 if depth == 0 else [nest(depth - 1)]


kept = []
for i in range(300):
    cache_quote(i)
kept.append(nest(4))
tracemalloc.take_snapshot().dump(out + "/snap-1.pickle")
for i in range(300, 2300):
    cache_quote(i)
import argparse, decimal, logging.handlers  # noqa: E401
kept.append([nest(3) for _ in range(20)])
tracemalloc.take_snapshot().dump(out + "/snap-2.pickle")
tracemalloc.stop()

new = tracemalloc.Snapshot.load(out + "/snap-2.pickle")
old = tracemalloc.Snapshot.load(out + "/snap-1.pickle")
newest_first = sys.version_info >= (3, 7)


def frames(tb):
    fs = [[f.filename, f.lineno] for f in tb]
    return fs[::-1] if newest_first else fs


answers = {}
for key in ("lineno", "filename", "traceback"):
    for cumulative in ((False, True) if key != "traceback" else (False,)):
        answers["%s %d" % (key, cumulative)] = {
            "stats": [[frames(s.traceback), s.size, s.count]
                      for s in new.statistics(key, cumulative)],
            "compare": [[frames(s.traceback), s.size, s.count, s.size_diff, s.count_diff]
                        for s in new.compare_to(old, key, cumulative)],
        }
answers["total_size"] = sum(t.size for t in new.traces)
answers["traces"] = len(new.traces)
with open(out + "/answers.json", "w") as f:
    json.dump(answers, f)
'''

BY = {"lineno": "line", "filename": "file", "traceback": "traceback"}


def interpreters():
    """(label, path) of every CPython 3 found, each binary once."""
    found, seen = [], set()
    candidates = [shutil.which("python3"), "/usr/bin/python3", "/usr/bin/python3.11-dbg"]
    pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(os.path.join(pyenv, "versions", "3.*", "bin", "python3")))
    for exe in candidates:
        if not exe or not os.path.exists(exe):
            continue
        real = os.path.realpath(exe)
        if real in seen:
            continue
        seen.add(real)
        version = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True).stdout.strip()
        if version and tuple(map(int, version.split("."))) >= (3, 6):
            found.append((f"{version} ({exe})", exe, tuple(map(int, version.split(".")))))
    return found


def key_of(frames):
    return tuple(tuple(f) for f in frames)


def rows_of(doc, diff):
    rows = []
    for r in doc["rows"]:
        frames = [[f["filename"], f["lineno"]] for f in r["frames"]]
        rows.append([frames, r["size"], r["count"]] +
                    ([r["size_diff"], r["count_diff"]] if diff else []))
    return rows


def sort_key(row):
    """tracemalloc's sort key without the traceback: Statistic's or StatisticDiff's."""
    if len(row) == 3:
        return row[1], row[2]
    return abs(row[3]), row[1], abs(row[4]), row[2]


def compare_rows(label, ours, theirs, strict_order):
    if strict_order:
        if ours == theirs:
            return check(True, f"{label}: {len(ours)} rows, each equal and in the same order")
        first = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b),
                     min(len(ours), len(theirs)))
        return check(False, f"{label}: {len(ours)} rows against {len(theirs)}; first "
                     f"difference at row {first}: {ours[first:first + 1]} != "
                     f"{theirs[first:first + 1]}")
    same = sorted(map(repr, ours)) == sorted(map(repr, theirs))
    order = [sort_key(r) for r in ours] == [sort_key(r) for r in theirs]
    return check(same and order, f"{label}: {len(ours)} rows equal as sets, sizes in order")


def run_inquest(args, work):
    code, doc = inquest_json(INQUEST, ["heap", *args], work)
    return code, doc


def check_interpreter(label, exe, version, work):
    r = subprocess.run([exe, "-c", WORKLOAD, work], capture_output=True, text=True, timeout=300)
    if not check(r.returncode == 0, f"{label}: the workload writes two snapshots "
                 f"({r.stderr[-300:]})"):
        return
    with open(os.path.join(work, "answers.json")) as f:
        answers = json.load(f)
    for combo, want in answers.items():
        if " " not in combo:
            continue
        key, cumulative = combo.split()
        cumulative = cumulative == "1"
        strict = not (version < (3, 7) and key == "traceback")
        flags = ["--by", BY[key], "--top", "0"] + (["--cumulative"] if cumulative else [])
        what = f"{label}: --by {BY[key]}{' --cumulative' if cumulative else ''}"
        code, doc = run_inquest(["snap-2.pickle", *flags], work)
        check(code == 0 and doc.get("kind") == "statistics", f"{what}: exit 0, statistics")
        if key == "lineno" and not cumulative:
            check(doc["total_size"] == answers["total_size"] and
                  doc["traces"] == answers["traces"],
                  f"{label}: total {doc['total_size']} bytes in {doc['traces']} traces "
                  f"(tracemalloc: {answers['total_size']} in {answers['traces']})")
        check(doc["groups"] == len(want["stats"]), f"{what}: {doc['groups']} groups")
        compare_rows(f"{what}: statistics()", rows_of(doc, False), want["stats"], strict)
        code, doc = run_inquest(["snap-2.pickle", "--diff", "snap-1.pickle", *flags], work)
        check(code == 0 and doc.get("kind") == "comparison", f"{what} --diff: exit 0, comparison")
        compare_rows(f"{what}: compare_to()", rows_of(doc, True), want["compare"], strict)
    # --top cuts tracemalloc's list, keeping its order and the number of groups.
    code, doc = run_inquest(["snap-2.pickle", "--diff", "snap-1.pickle", "--top", "5"], work)
    want = answers["lineno 0"]["compare"]
    check(code == 0 and rows_of(doc, True) == want[:5] and doc["groups"] == len(want),
          f"{label}: --top 5 is tracemalloc's first five rows")
    # The same snapshot compressed.
    with open(os.path.join(work, "snap-2.pickle"), "rb") as src:
        with gzip.open(os.path.join(work, "snap-2.pickle.gz"), "wb") as dst:
            dst.write(src.read())
    code, doc = run_inquest(["snap-2.pickle.gz", "--by", "traceback", "--top", "0"], work)
    check(code == 0 and rows_of(doc, False) == rows_of(
        run_inquest(["snap-2.pickle", "--by", "traceback", "--top", "0"], work)[1], False),
        f"{label}: the gzip-compressed snapshot reads the same")
    r = subprocess.run([INQUEST, "heap", "snap-2.pickle", "--by", "traceback", "--cumulative"],
                       cwd=work, capture_output=True, text=True, timeout=60)
    check(r.returncode == 2 and "cumulative" in r.stderr,
          f"{label}: --by traceback --cumulative is refused (exit {r.returncode}: "
          f"{r.stderr.strip()[-200:]})")


def check_lab(tmp):
    out = os.path.join(tmp, "lab")
    scenario = run_lab_scenario("python-cache-growth", out, INQUEST, checks)
    expect = scenario["expect"]
    for cmd in scenario["analyze"]:
        code, doc = inquest_json(INQUEST, cmd, out)
        check(code == 0, f"lab: inquest {' '.join(cmd)} exits 0 (got {code})")
        top = doc["rows"][0]["frames"][0]
        where = f"{os.path.basename(top['filename'])}:{top['lineno']}"
        check(where == expect["top_site"], f"lab: the top site is {where} "
              f"(expected {expect['top_site']})")
        if doc["kind"] == "comparison":
            grown = doc["rows"][0]["size_diff"]
            check(grown >= expect["min_growth_bytes"],
                  f"lab: it grew by {grown} bytes (at least {expect['min_growth_bytes']})")
            check(expect["headline_contains"] in doc["headline"],
                  f"lab: the headline says '{expect['headline_contains']}' ({doc['headline']})")
    # analyze picks both snapshots out of the folder (with the handler's manifest.json): the
    # growth between them at the cache's line, and a flame graph of the later one in the report.
    report = os.path.join(tmp, "report")
    r = subprocess.run([INQUEST, "analyze", out, "--out", report], capture_output=True,
                       text=True, timeout=600)
    check(r.returncode == 0, f"lab: analyze exits 0 ({r.stderr[-300:]})")
    with open(os.path.join(report, "findings.json")) as f:
        found = [(x["kind"], x["title"]) for x in json.load(f)["findings"]]
    growth = [t for k, t in found if k == "profile-growth"]
    # The dump handler names the snapshots (quotes-PID-TIME-tracemalloc.pickle); the scenario
    # lists them earlier first.
    first, second = scenario["evidence"][:2]
    check(len(growth) == 1 and expect["top_site"] in growth[0]
          and f"between {first} and {second}" in growth[0],
          f"lab: analyze finds the growth at {expect['top_site']} between {first} and "
          f"{second} ({growth})")
    with open(os.path.join(report, "report.html")) as f:
        check('class="flame"' in f.read(), "lab: report.html has the snapshot's flame graph")


def main():
    found = interpreters()
    if not found:
        print("SKIP: no CPython 3.6 or later on this machine")
        sys.exit(SKIP)
    with tempfile.TemporaryDirectory() as tmp:
        for i, (label, exe, version) in enumerate(found):
            work = os.path.join(tmp, f"py{i}")
            os.makedirs(work)
            check_interpreter(label, exe, version, work)
        check_lab(tmp)
    checks.finish()


main()
