#!/usr/bin/env python3
"""The acceptance checks themselves (tests/e2e/incident_acceptance.py), without inquest (its
argument is accepted and ignored): a findings.json that says what the truth says passes every
check on every scenario, and each kind of mistake fails exactly the check meant to catch it.
"""
import copy
import importlib.util
import shutil
import os
import sys
import tempfile
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from e2e_support import Checks  # noqa: E402

spec = importlib.util.spec_from_file_location("acceptance",
                                              os.path.join(HERE, "incident_acceptance.py"))
acc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(acc)


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def oracle(truth):
    """The findings.json of an analysis that got everything right, in analyze's schema."""
    det = truth["detection"]
    onset = acc.ts(truth["onset"])
    tr = truth["trigger"]
    inputs = [{"file": f, "taken_for": info["what"].replace("change records", "changes")
               .split(" (")[0]} for f, info in truth["files"].items()]
    findings = [{"kind": k, "title": k, "subject": "", "service": ""}
                for k in truth["patterns"]]
    for host, off in truth["skewed_hosts"].items():
        findings.append({"kind": "clock-skew", "subject": f"{host} vs edge", "service": "",
                         "title": f"The clock of {host} runs about {abs(off):.2f} s "
                                  f"{'behind' if off < 0 else 'ahead of'} edge's"})
    fs = det["first_signal"]
    return {
        "onset": {"time": iso(onset - onset % 60)},
        "changes": [{"source": f"{tr['file']}:{tr['line']}", "time": tr["time"],
                     "what": tr["what"], "shipped": [{"source": s} for s in tr["shipped"]]}],
        "impact": {"failed": truth["failed_requests"]},
        "detection": {"first_alert": {"time": det["first_alert"]["time"]},
                      "first_signal": {"time": fs["time"], "kind": fs["kind"],
                                       "from_customer": fs["from_customer"]}},
        "inputs": inputs,
        "findings": findings,
    }


def failing(res):
    return sorted(c for c, (ok, _) in res.items() if not ok)


def main():
    checks = Checks()
    work = tempfile.mkdtemp(prefix="acceptance-checks-")
    for seed in range(1, 9):
        truth = acc.write_bundle(os.path.join(work, f"b{seed}"), seed,
                                 os.path.join(work, f"t{seed}.json"))
        good = oracle(truth)
        res = acc.check_seed(truth, good)
        checks.check(not failing(res), f"seed {seed} ({truth['scenario']}): the truth itself "
                                       f"passes every check {failing(res)}")
        mistakes = {
            "onset": lambda f: f["onset"].update(time=iso(acc.ts(truth["onset"]) + 90)),
            "trigger": lambda f: f["changes"].insert(0, {"source": "pods/x.log:1"}),
            "failed": lambda f: f["impact"].update(failed=int(truth["failed_requests"] * 1.06)
                                                   + 1),
            "alert": lambda f: f["detection"]["first_alert"].update(
                time=iso(acc.ts(truth["detection"]["first_alert"]["time"]) + 30)),
            "signal": lambda f: f["detection"]["first_signal"].update(
                from_customer=not f["detection"]["first_signal"]["from_customer"]),
            "records": lambda f: [i.update(taken_for="changes") for i in f["inputs"]
                                  if i["taken_for"].startswith("ticket")],
            "patterns": lambda f: f["findings"].append({"kind": "retry-storm"}
                                                       if "retry-storm" not in truth["patterns"]
                                                       else {"kind": "cache-stampede"}),
            "shipped": lambda f: f["changes"][0].update(
                shipped=[] if f["changes"][0]["shipped"] else [{"source": "exports/x.csv:2"}]),
            "skew": lambda f: f["findings"].append(
                {"kind": "clock-skew", "subject": "nobody-here vs edge",
                 "title": "The clock of nobody-here runs about 2.0 s behind edge's"}),
        }
        for check, spoil in mistakes.items():
            bad = copy.deepcopy(good)
            spoil(bad)
            got = failing(acc.check_seed(truth, bad))
            checks.check(got == [check], f"seed {seed}: a wrong {check} fails {got}")
        if truth["skewed_hosts"]:
            bad = copy.deepcopy(good)
            for f in bad["findings"]:
                if f["kind"] == "clock-skew":
                    f["title"] = f["title"].replace("behind", "AHEAD").replace(
                        "ahead of", "behind").replace("AHEAD", "ahead of")
            big = any(abs(o) > acc.SKEW_TOLERANCE_S / 2 for o in truth["skewed_hosts"].values())
            checks.check(failing(acc.check_seed(truth, bad)) == (["skew"] if big else []),
                         f"seed {seed}: a skew of the wrong sign fails skew")
    shutil.rmtree(work, ignore_errors=True)
    checks.finish()


if __name__ == "__main__":
    main()
