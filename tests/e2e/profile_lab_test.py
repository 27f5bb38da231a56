#!/usr/bin/env python3
"""inquest heap on pprof profiles written by a real Go program: lab/go-heap-growth, run through
`inquest lab run`, writes through the dump handler (handlers/go) two heap profiles (10,000 and
40,000 sessions kept by a store that never evicts) and a CPU profile of a hot checksum loop,
named by the handler (sessions-PID-TIME-heap.pb.gz, -cpu.pb.gz: scenario.json's evidence, in
that order) and listed in its manifest.json. Every row of `inquest heap FILE
--format json` must agree with `go tool pprof -top` on the same file: the same functions in the
same order, the same flat and cum values, the same total; on each heap profile for each of its
four sample types, on the CPU profile, and for `--diff` against `-diff_base`. The growing
function must top the diff and the hot function the CPU profile (scenario.json's expect).

How pprof is made to show every node with raw numbers. `-top` keeps every node by default
(nodecount 0 for text reports) but drops those whose cum is at most 0.5% of the total
(`-nodefraction=0.005`): `-nodefraction=0` keeps them, `-nodecount` and `-edgefraction` are set
too so that no default trims anything. Values are scaled to readable units (35528.23kB, 2.33s)
by default, printed with two decimals; `-unit=B` prints bytes and `-unit=ns` nanoseconds
unscaled (35730456B, 2330000000ns), and counts are never scaled. `-raw` is not that: it dumps
the decoded profile. pprof's rules, which inquest's table must follow:
  - rows sorted by |flat| descending, then by name, then by |cum| descending;
  - one row per function name (file and start line do not split a function), inlined calls
    as rows of their own (`(inline)` after the name in the text, not part of the name);
  - cum counts a function once per sample even when it recurses;
  - samples whose value is zero make no row;
  - in a diff, base samples count negated, and the total (for the percentages) is the base
    profile's.

    profile_lab_test.py PATH/TO/inquest       (exit 77: no Go toolchain on this machine)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import SKIP, Checks  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
SCENARIO = "go-heap-growth"
ALL_NODES = ["-nodecount=1000000", "-nodefraction=0", "-edgefraction=0"]
# pprof's flag that prints a unit's values unscaled; counts are printed as they are.
RAW_UNIT = {"bytes": ["-unit=B"], "nanoseconds": ["-unit=ns"], "count": []}
HEAP_TYPES = [("inuse_space", "bytes"), ("inuse_objects", "count"), ("alloc_space", "bytes"),
              ("alloc_objects", "count")]
ROW = re.compile(r"^\s*(-?[0-9.e+-]+)[A-Za-z]*\s+-?[0-9.e+-]+%\s+-?[0-9.e+-]+%\s+"
                 r"(-?[0-9.e+-]+)[A-Za-z]*\s+-?[0-9.e+-]+%\s+(.+?)( \((partial-)?inline\))?$")
TOTAL = re.compile(r"^Showing nodes accounting for .*, .*% of (-?[0-9.e+-]+)[A-Za-z]* total$")
checks = Checks()
check = checks.check


def number(text):
    """A value pprof printed with %.2f and ".00" trimmed: exact for integers below 2^53."""
    v = float(text)
    return int(v) if v == int(v) else v


def pprof_top(args, unit, cwd):
    """(total, [(name, flat, cum)]) of `go tool pprof -top` with every node, values unscaled."""
    r = subprocess.run(["go", "tool", "pprof", "-top", *ALL_NODES, *RAW_UNIT[unit], *args],
                       cwd=cwd, capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, PPROF_TMPDIR=cwd))
    check(r.returncode == 0, f"go tool pprof -top {' '.join(args)} exits 0 ({r.stderr[-300:]})")
    total, rows, in_table = None, [], False
    for line in r.stdout.splitlines():
        m = TOTAL.match(line)
        if m:
            total = number(m.group(1))
        if re.match(r"^\s+flat\s+flat%\s+sum%\s+cum\s+cum%$", line):
            in_table = True
            continue
        if in_table:
            m = ROW.match(line)
            check(m is not None, f"pprof row parses: {line!r}")
            if m:
                rows.append((m.group(3), number(m.group(1)), number(m.group(2))))
    check(not any(line.startswith("Dropped ") for line in r.stdout.splitlines()),
          f"pprof {' '.join(args)}: no node dropped")
    return total, rows


def inquest_top(args, cwd):
    """The parsed `inquest heap ARGS --format json --node-fraction 0` (every node), or None."""
    r = subprocess.run([INQUEST, "heap", *args, "--format", "json", "--node-fraction", "0"], cwd=cwd,
                       capture_output=True, text=True, timeout=300, env=dict(os.environ, NO_COLOR="1"))
    check(r.returncode == 0, f"inquest heap {' '.join(args)} exits 0 ({r.stderr[-300:]})")
    try:
        return json.loads(r.stdout)
    except ValueError:
        check(False, f"inquest heap {' '.join(args)} --format json prints JSON ({r.stdout[:200]!r})")
        return None


def compare(what, ours_args, pprof_args, sample_type, unit, out, diff=False):
    """Checks inquest's table against pprof's, row by row; returns inquest's rows."""
    doc = inquest_top(ours_args, out)
    total, theirs = pprof_top(pprof_args, unit, out)
    if doc is None:
        return []
    check(doc.get("sample_type") == sample_type and doc.get("unit") == unit,
          f"{what}: sample type {sample_type} in {unit} ({doc.get('sample_type')}, "
          f"{doc.get('unit')})")
    # pprof skips zero-valued samples, but in a diff a function whose growth and shrinkage
    # cancel keeps a row of zeros; rows of zeros are left out on both sides.
    ours = [(r["name"], r["flat"], r["cum"]) for r in doc.get("rows", [])
            if r["flat"] != 0 or r["cum"] != 0]
    theirs = [r for r in theirs if r[1] != 0 or r[2] != 0]
    if diff:
        print(f"{what}: totals: inquest {doc.get('total')}, pprof {total} (the base's)")
    else:
        check(doc.get("total") == total, f"{what}: total {doc.get('total')}, pprof {total}")
    check(len(theirs) > 0, f"{what}: pprof lists rows")
    check(len(ours) == len(theirs), f"{what}: {len(ours)} rows, pprof {len(theirs)}")
    mismatch = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), None)
    if mismatch is None:
        check(True, f"{what}: every row equal to pprof's (name, flat, cum), in pprof's order")
    else:
        check(False, f"{what}: row {mismatch} is {ours[mismatch]}, pprof's {theirs[mismatch]}; "
                     f"around it: inquest {ours[max(0, mismatch - 2):mismatch + 3]}, "
                     f"pprof {theirs[max(0, mismatch - 2):mismatch + 3]}")
        by_name = {name: (flat, cum) for name, flat, cum in ours}
        missing = [r for r in theirs if r[0] not in by_name]
        differ = [(r, by_name[r[0]]) for r in theirs if r[0] in by_name and by_name[r[0]] != r[1:]]
        print(f"  {what}: pprof's rows missing from inquest: {missing[:5]}; "
              f"different values: {differ[:5]}")
    return ours


def main():
    if shutil.which("go") is None:
        print("SKIP: go is not installed (Debian: apt-get install golang-go)")
        return SKIP
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "drill")
        p = subprocess.run([INQUEST, "lab", "run", SCENARIO, "--out", out], capture_output=True,
                           text=True, timeout=600)
        check(p.returncode == 0, f"lab run {SCENARIO} exits 0 ({p.stderr[-500:]})")
        if p.returncode != 0:
            checks.finish()
        with open(os.path.join(out, "scenario.json")) as f:
            scenario = json.load(f)
        expect = scenario["expect"]
        for e in scenario["evidence"]:
            check(os.path.exists(os.path.join(out, e)), f"evidence {e} exists")
        heap1, heap2, cpu = scenario["evidence"][:3]
        with open(os.path.join(out, "manifest.json")) as f:
            listed = {e["path"]: e for e in json.load(f)["files"]}
        check([listed.get(n, {}).get("kind") for n in (heap1, heap2, cpu)] == ["heap", "heap", "cpu"]
              and listed[heap1]["time"] < listed[heap2]["time"] < listed[cpu]["time"],
              f"the handler's manifest lists the two heap profiles and the CPU profile in time "
              f"order ({sorted(listed)})")
        with open(os.path.join("lab", SCENARIO, "README.md")) as f:
            check(f.read().strip() in p.stdout, "the worked transcript is printed")
        check(f"$ inquest heap {heap2} --diff {heap1}" in p.stdout,
              "lab run analysed the profiles")

        for profile in (heap1, heap2):
            rows = compare(profile, [profile], [profile], "inuse_space", "bytes", out)
            check(rows[:1] and rows[0][0] == expect["growing_function"],
                  f"{profile}: {expect['growing_function']} on top ({rows[:1]})")
            for sample_type, unit in HEAP_TYPES[1:]:
                compare(f"{profile} --sample {sample_type}", [profile, "--sample", sample_type],
                        [f"-sample_index={sample_type}", profile], sample_type, unit, out)
        rows = compare(f"{heap2} --diff {heap1}",
                       [heap2, "--diff", heap1],
                       ["-diff_base", heap1, heap2], "inuse_space", "bytes", out,
                       diff=True)
        check(rows[:1] and rows[0][0] == expect["growing_function"] and rows[0][1] > 0,
              f"--diff: {expect['growing_function']} grew most ({rows[:1]})")
        # 30,000 more sessions between the two, each at least its 768-byte payload.
        sessions = expect["sessions_after"] - expect["sessions_before"]
        check(rows[:1] and rows[0][1] >= sessions * 768,
              f"--diff: at least {sessions} payloads of 768 bytes more in "
              f"{expect['growing_function']} ({rows[:1]})")
        compare(f"{heap2} --diff {heap1} --sample alloc_objects",
                [heap2, "--diff", heap1, "--sample", "alloc_objects"],
                ["-diff_base", heap1, "-sample_index=alloc_objects", heap2],
                "alloc_objects", "count", out, diff=True)

        rows = compare(cpu, [cpu], [cpu], "cpu", "nanoseconds", out)
        check(rows[:1] and rows[0][0] == expect["hot_function"],
              f"{cpu}: {expect['hot_function']} on top ({rows[:1]})")
        compare(f"{cpu} --sample samples", [cpu, "--sample", "samples"],
                ["-sample_index=samples", cpu], "samples", "count", out)

        # analyze picks the profiles out of the folder by content: the growth between the two
        # heap profiles at the growing function, the CPU profile's hot function, and a flame
        # graph of each in the report.
        report = os.path.join(tmp, "report")
        p = subprocess.run([INQUEST, "analyze", out, "--out", report], capture_output=True,
                           text=True, timeout=600)
        check(p.returncode == 0, f"analyze on the drill's folder exits 0 ({p.stderr[-300:]})")
        with open(os.path.join(report, "findings.json")) as f:
            found = [(x["kind"], x.get("subject"), x["title"]) for x in json.load(f)["findings"]]
        growth = [x for x in found if x[0] == "profile-growth"]
        check(len(growth) == 1 and growth[0][1] == expect["growing_function"]
              and f"{heap1} and {heap2}" in growth[0][2],
              f"analyze: one profile-growth finding at {expect['growing_function']} ({growth})")
        check(any(x[0] == "profile-top" and x[1] == expect["hot_function"] and "CPU" in x[2]
                  for x in found), f"analyze: the CPU profile's hot function ({found})")
        with open(os.path.join(report, "report.html")) as f:
            page = f.read()
        check(page.count('<svg xmlns="http://www.w3.org/2000/svg" class="flame"') == 3,
              "report.html: flame graphs of the latest heap profile, its growth and the CPU "
              "profile")
    checks.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
