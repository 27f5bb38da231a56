#!/usr/bin/env python3
"""End-to-end: what blocked goroutines and threads wait for, on dumps written by the real
runtimes. The Go scenario drains a database/sql pool (transactions left open, 48 handlers in
QueryContext) and is dumped with SIGQUIT and pprof debug=2; the Java scenario blocks 30
borrowers of a Semaphore-bounded pool, idles a ThreadPoolExecutor and stalls six
java.net.http callers, dumped with jstack -l. `inquest dump` must give the wait-site verdicts
the scenario.json files expect, list idle workers as normal and never as a verdict, and
`inquest analyze` on a bundle with the Go dump and a log that reports the pool's timeouts must
fuse both into one saturation finding.

    dumps_waits_lab_test.py PATH/TO/inquest       (exit 77: no Go toolchain or JDK)
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks, inquest_json, require, run_lab_scenario  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
checks = Checks()
check = checks.check


def check_scenario(name, out, scenario):
    expect = scenario["expect"]
    docs = []
    for cmd in scenario["analyze"]:
        code, doc = inquest_json(INQUEST, cmd, out)
        check(code == expect["exit_code"],
              f"{name}: inquest {' '.join(cmd)} exits {expect['exit_code']} (got {code})")
        verdicts = [v for d in doc["dumps"] for v in d.get("verdicts", [])]
        titles = [v["title"] for v in verdicts]
        for want in expect["verdicts"]:
            got = [v for v in verdicts if v["kind"] == want["kind"]]
            check(bool(got), f"{name} {cmd[-1]}: a {want['kind']} verdict (got {titles})")
            for text in want.get("title_contains", []):
                check(any(text in v["title"] for v in got),
                      f"{name} {cmd[-1]}: {want['kind']} title contains {text!r}")
            for v in got:
                check(all(re.match(r".+:\d+$", e["source"]) for e in v["evidence"]),
                      f"{name} {cmd[-1]}: every {want['kind']} evidence is path:line")
        check(not any("nothing stuck" in t for t in titles), f"{name}: no 'nothing stuck'")
        for d in doc["dumps"]:
            sites = d["detail"]["wait_sites"]
            for resource in expect.get("idle", []):
                idle = [s for s in sites if s["resource"] == resource]
                check(bool(idle) and all(s["normal"] for s in idle),
                      f"{name}: {resource!r} listed as normal waiting")
                check(not any(resource in t for t in titles),
                      f"{name}: {resource!r} is not a verdict")
        docs.append(doc)
    return docs


def fused_analysis(go_out, tmp):
    """A bundle: the Go dump plus a JSON-lines log whose requests time out on the db pool in
    the minutes before the dump was taken."""
    bundle = os.path.join(tmp, "bundle")
    os.makedirs(os.path.join(bundle, "logs"))
    os.makedirs(os.path.join(bundle, "dumps"))
    dump = os.path.join(bundle, "dumps", "goroutines.txt")
    shutil.copy2(os.path.join(go_out, "goroutines.txt"), dump)
    taken = datetime.datetime.fromtimestamp(os.path.getmtime(dump), datetime.timezone.utc)
    start = taken - datetime.timedelta(minutes=40)
    lines = []
    for s in range(0, 40 * 60, 2):
        t = start + datetime.timedelta(seconds=s)
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        req = f"r{s:05d}"
        if s < 30 * 60:
            lines.append({"time": stamp, "level": "info", "service": "reports",
                          "request_id": req, "msg": "GET /orders 200", "duration_ms": 12})
        else:
            lines.append({"time": stamp, "level": "error", "service": "reports",
                          "request_id": req, "pool": "db",
                          "msg": "db pool exhausted: timed out waiting for connection",
                          "waited_ms": 5000})
    with open(os.path.join(bundle, "logs", "reports.jsonl"), "w") as f:
        for rec in lines:
            f.write(json.dumps(rec) + "\n")
    r = subprocess.run([INQUEST, "analyze", bundle], capture_output=True, timeout=300,
                       env=dict(os.environ, NO_COLOR="1"))
    check(r.returncode in (0, 1), f"analyze exits 0 or 1 ({r.returncode}: "
                                  f"{r.stderr.decode()[-300:]})")
    with open(os.path.join(bundle, "inquest-report", "findings.json")) as f:
        doc = json.load(f)
    findings = doc["findings"] if isinstance(doc, dict) else doc
    sat = [x for x in findings if x["kind"] == "saturation"]
    pool = [x for x in findings if x["kind"] == "pool-exhausted"]
    check(len(sat) == 1, f"analyze: one saturation finding ({[x['title'] for x in sat]})")
    check(not pool, f"analyze: the dump's pool verdict is fused, not separate "
                    f"({[x['title'] for x in pool]})")
    if sat:
        sources = [e["source"] for e in sat[0]["evidence"]]
        check(any(s.startswith("logs/reports.jsonl:") for s in sources),
              f"analyze: the fused finding cites the log ({sources})")
        check(any(s.startswith("dumps/goroutines.txt:") for s in sources),
              f"analyze: the fused finding cites the dump ({sources})")
        check("48 goroutines wait for a database/sql connection" in sat[0]["title"],
              f"analyze: the title says what the dump shows ({sat[0]['title']})")


def main():
    require("go", "java", "javac", "jstack")
    with tempfile.TemporaryDirectory() as tmp:
        go_out = os.path.join(tmp, "go-db-pool-exhausted")
        sc = run_lab_scenario("go-db-pool-exhausted", go_out, INQUEST, checks)
        for doc in check_scenario("go-db-pool-exhausted", go_out, sc):
            holds = [s for d in doc["dumps"] for s in d["detail"]["wait_sites"]
                     if s["role"] == "hold" and s["pool"] == "database/sql"]
            check(sum(s["count"] for s in holds) == 8,
                  f"go: the 8 open transactions are counted ({holds})")
        fused_analysis(go_out, tmp)

        java_out = os.path.join(tmp, "java-pool-exhausted")
        sc = run_lab_scenario("java-pool-exhausted", java_out, INQUEST, checks)
        check_scenario("java-pool-exhausted", java_out, sc)
        # The user's own wait site in inquest.toml names the pool instead of the Semaphore.
        config = os.path.join(tmp, "inquest.toml")
        with open(config, "w") as f:
            f.write('[[wait_sites]]\nruntime = "java"\nframe = "SimplePool.borrow"\n'
                    'resource = "a SimplePool connection"\nkind = "pool"\n')
        code, doc = inquest_json(INQUEST, ["dump", "threads.txt", "--config", config], java_out)
        titles = [v["title"] for d in doc["dumps"] for v in d["verdicts"]]
        check(any(t.startswith("pool exhausted: 30 threads wait for a SimplePool connection (in "
                               "Reports.handleRequest") for t in titles),
              f"java: the inquest.toml wait site names the pool ({titles})")
    checks.finish()


main()
