#!/usr/bin/env python3
"""End-to-end: the Python lab scenarios (a lock-order hang caught by faulthandler's watchdog,
a segfault through ctypes written by faulthandler.enable) are run with CPython, and
`inquest dump` must reach the verdicts each scenario.json expects.

    dumps_python_lab_test.py PATH/TO/inquest       (exit 77: no python3 on this machine)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

INQUEST = os.path.abspath(sys.argv[1])
SCENARIOS = ["python-hang", "python-segfault"]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run_scenario(name, tmp):
    out = os.path.join(tmp, name)
    p = subprocess.run([os.path.join("lab", name, "run"), out], capture_output=True, timeout=300,
                       env=dict(os.environ, INQUEST=INQUEST))
    if p.returncode == 77:
        print("skip: " + p.stderr.decode())
        sys.exit(77)
    check(p.returncode == 0, f"{name}: run exits 0 ({p.returncode}: {p.stderr.decode()[-300:]})")
    with open(os.path.join(out, "scenario.json")) as f:
        scenario = json.load(f)
    expect = scenario["expect"]
    for cmd in scenario["analyze"]:
        r = subprocess.run([INQUEST, *cmd, "--format", "json"], cwd=out, capture_output=True,
                           timeout=120, env=dict(os.environ, NO_COLOR="1"))
        check(r.returncode == expect["exit_code"],
              f"{name}: inquest {' '.join(cmd)} exits {expect['exit_code']} (got {r.returncode})")
        dumps = json.loads(r.stdout)["dumps"]
        check(len(dumps) == 1 and dumps[0].get("kind") == "python", f"{name}: read as Python")
        verdicts = dumps[0].get("verdicts", [])
        for want in expect["verdicts"]:
            found = [v for v in verdicts if v["kind"] == want["kind"]]
            check(bool(found), f"{name}: verdict {want['kind']} ({[v['title'] for v in verdicts]})")
            for text in want.get("title_contains", []):
                check(any(text in v["title"] for v in found), f"{name}: title says '{text}'")
        detail = json.dumps(dumps[0].get("detail"))
        for text in expect.get("stacks_contain", []):
            check(text in detail, f"{name}: the stacks hold {text}")


def main():
    if shutil.which("python3") is None:
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        for name in SCENARIOS:
            run_scenario(name, tmp)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


sys.exit(main())
