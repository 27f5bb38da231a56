#!/usr/bin/env python3
"""End-to-end: the Python lab scenarios (a lock-order hang caught by faulthandler's watchdog,
a segfault through ctypes written by faulthandler.enable) are run with CPython, and
`inquest dump` must reach the verdicts each scenario.json expects.

    dumps_python_lab_test.py PATH/TO/inquest       (exit 77: no python3 on this machine)
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks, inquest_json, run_lab_scenario  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
SCENARIOS = ["python-hang", "python-segfault"]
checks = Checks()
check = checks.check
failures = checks.failures


def run_scenario(name, tmp):
    out = os.path.join(tmp, name)
    scenario = run_lab_scenario(name, out, INQUEST, checks)
    expect = scenario["expect"]
    for cmd in scenario["analyze"]:
        code, doc = inquest_json(INQUEST, cmd, out)
        check(code == expect["exit_code"],
              f"{name}: inquest {' '.join(cmd)} exits {expect['exit_code']} (got {code})")
        dumps = doc["dumps"]
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
