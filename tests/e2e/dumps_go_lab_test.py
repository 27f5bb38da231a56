#!/usr/bin/env python3
"""End-to-end: the Go lab scenarios (goroutine leak dumped with pprof twice and SIGQUIT once,
deadlock with all goroutines asleep, panic on a nil map write) are built and run with the real
Go toolchain, and `inquest dump` must reach the verdicts each scenario.json expects, with the
exit code it says, and the leak's three dumps read as a series must show the growth.

    dumps_go_lab_test.py PATH/TO/inquest       (exit 77: no Go toolchain on this machine)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks, inquest_json, run_lab_scenario  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
SCENARIOS = ["go-goroutine-leak", "go-deadlock", "go-panic"]
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
        check(len(dumps) == 1 and dumps[0].get("kind") == "go-goroutines",
              f"{name}: read as a Go goroutine dump")
        verdicts = dumps[0].get("verdicts", [])
        for want in expect["verdicts"]:
            found = [v for v in verdicts if v["kind"] == want["kind"]]
            check(bool(found), f"{name}: verdict {want['kind']} ({[v['title'] for v in verdicts]})")
            for text in want.get("title_contains", []):
                check(any(text in v["title"] for v in found), f"{name}: title says '{text}'")
            for v in found:
                check(all(":" in e["source"] for e in v["evidence"]),
                      f"{name}: {v['kind']} evidence points at file:line")
        detail = json.dumps(dumps[0].get("detail"))
        for text in expect.get("stacks_contain", []):
            check(text in detail, f"{name}: the grouped stacks hold {text}")
        check(dumps[0]["time_source"].startswith("the file's modification time"),
              f"{name}: the dump's time is stated ({dumps[0]['time_source']})")
    if "series" in scenario:
        # Dumps of the live process a moment apart, in time order: what grew between them.
        r = subprocess.run([INQUEST, "dump", *scenario["series"], "--format", "json"], cwd=out,
                           capture_output=True, timeout=120)
        series = json.loads(r.stdout)["series"]
        for want in expect["series"]:
            found = [v for v in series if v["kind"] == want["kind"]]
            check(bool(found), f"{name}: series verdict {want['kind']} ({series})")
            for text in want.get("title_contains", []):
                check(any(text in v["title"] for v in found), f"{name}: series title says '{text}'")


def main():
    if shutil.which("go") is None:
        print("skip: no go toolchain")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        for name in SCENARIOS:
            run_scenario(name, tmp)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


sys.exit(main())
