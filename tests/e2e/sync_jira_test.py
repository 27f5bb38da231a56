#!/usr/bin/env python3
"""`inquest actions sync --to jira` against a local Jira REST API v2 (tests/mock/jira_mock.py):
issues created in the project for open items without a ticket (URL /browse/KEY stored); status
pulled back by status category (new -> open, indeterminate -> in progress, done -> done, or
won't do for a "Won't Do" resolution); the search paged with startAt/maxResults against a
server that caps pages at 2; HTTP Basic auth with JIRA_EMAIL, bearer without; a 429 with
Retry-After waited out; a 400 on create failing that item only; a bad token stopping the run.

    sync_jira_test.py PATH/TO/inquest
"""

import base64
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mock"))
from jira_mock import JiraMock  # noqa: E402
from mock_server import Fault  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
TOKEN = "jira-e2e-token"
EMAIL = "sre-bot@acme.example"
# The mock's page cap: small, so five issues take three search requests.
PAGE_CAP = 2
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
    return cond


def run(*args, env=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("JIRA_")}
    # The mock is on 127.0.0.1: a proxy from the environment must not take the requests.
    e = {k: v for k, v in e.items() if k.lower() not in PROXY_VARS}
    e.update(NO_COLOR="1", **(env or {}))
    p = subprocess.run([INQUEST, *args], capture_output=True, timeout=120, env=e)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def items(db):
    code, out, err = run("actions", "list", "--db", db, "--format", "json")
    assert code == 0, err
    return {i["id"]: i for i in json.loads(out)["items"]}


def main():
    srv = JiraMock(TOKEN, email=EMAIL, projects=("OPS",), max_results=PAGE_CAP).start()
    try:
        with tempfile.TemporaryDirectory() as d:
            scenario(srv, d)
    finally:
        srv.stop()
    if failures:
        print(f"{len(failures)} checks failed")
        return 1
    print("PASS")
    return 0


def scenario(srv, d):
    db = os.path.join(d, "inquest.db")
    for text in ("Add singleflight to pricing origin fetch", "Alert on pool > 80% for 5m",
                 "Canary 10/50/100% for checkout deploys", "Runbook for the pricing cache"):
        assert run("actions", "add", "--db", db, "--due", "2027-01-31", "--owner", "sre", text)[0] == 0
    ids = sorted(items(db))
    env = {"JIRA_URL": srv.url, "JIRA_PROJECT": "OPS", "JIRA_EMAIL": EMAIL, "JIRA_TOKEN": TOKEN}
    sync = ["actions", "sync", "--to", "jira", "--db", db, "--format", "json",
            "--allow-http-loopback"]  # the mock is plain http on 127.0.0.1

    # Missing project: a usage error naming where it can come from.
    code, out, err = run(*sync, env={k: v for k, v in env.items() if k != "JIRA_PROJECT"})
    check(code == 2 and "JIRA_PROJECT" in err, f"no project: exit 2 ({code}: {err.strip()})")

    # A bad token stops the run with the 401.
    code, out, err = run(*sync, env=dict(env, JIRA_TOKEN="nope"))
    check(code == 3 and "401" in err, f"bad token: exit 3 with the 401 ({code})")

    # First sync (with one 429 on the way): four issues created, then found by the search.
    srv.queue_fault(Fault(429, {"Retry-After": "1", "X-RateLimit-Limit": "100",
                                "X-RateLimit-Remaining": "0",
                                "X-RateLimit-Reset": "2030-01-01T00:00Z"},
                          {"errorMessages": ["Rate limit exceeded."], "errors": {}}))
    first = len(srv.requests)
    t0 = time.time()
    code, out, err = run(*sync, env=env)
    took = time.time() - t0
    report = json.loads(out) if out else {}
    check(code == 0 and report.get("counts", {}).get("created") == 4,
          f"first sync creates 4 issues ({code}, {report.get('counts')}, {err.strip()})")
    check(took >= 1.0 and "1 retries" in err, f"the 429 was waited out ({took:.2f} s)")
    basic = "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
    check(len(srv.requests) > first and
          all(h.get("authorization") == basic for _, _, h in srv.requests[first:]),
          "with JIRA_EMAIL every request uses HTTP Basic email:token")
    after = items(db)
    keys = {}
    for i in ids:
        url = after[i]["ticket"]
        key = url.rsplit("/", 1)[-1]
        keys[i] = key
        check(url == f"{srv.url}/browse/{key}" and key.startswith("OPS-"),
              f"item {i} stores its issue's browse URL ({url})")
        issue = srv.find(key)
        check(issue["fields"]["summary"] == after[i]["action"], f"{key} is titled by the action")
        check(f"inquest-action-id: {i}" in issue["fields"]["description"], f"{key} names item {i}")
        check(issue["fields"]["labels"] == ["inquest"], f"{key} has the label")

    # Another project's labelled issue and one more of ours: five to page through at 2 a page.
    srv.issues.append({"id": "99", "key": "OPS-99", "self": "x", "fields": {
        "summary": "made elsewhere", "description": None, "labels": ["inquest"],
        "issuetype": {"name": "Task"}, "project": {"key": "OPS"}}})
    srv.transition("OPS-99", "To Do", "new")
    srv.transition(keys[ids[0]], "In Progress", "indeterminate")
    srv.transition(keys[ids[1]], "Done", "done", "Done")
    srv.transition(keys[ids[2]], "Closed", "done", "Won't Do")
    searches = srv.count("GET", "/rest/api/2/search")
    code, out, err = run(*sync, env=env)
    report = json.loads(out)
    check(code == 0 and report["tickets_listed"] == 5,
          f"all 5 labelled issues listed ({report['tickets_listed']})")
    pages = srv.count("GET", "/rest/api/2/search") - searches
    check(pages == 3, f"the search was paged with startAt at {PAGE_CAP} a page ({pages} requests)")
    check(report["counts"]["updated"] == 3, f"3 items updated ({report['counts']})")
    now = items(db)
    check(now[ids[0]]["status"] == "in progress", "In Progress (indeterminate) -> in progress")
    check(now[ids[1]]["status"] == "done", "Done -> done")
    check(now[ids[2]]["status"] == "won't do", "resolution Won't Do -> won't do")
    check(now[ids[3]]["status"] == "open", "To Do -> open")

    # Back to To Do: Jira reports progress, so the item goes back to open.
    srv.transition(keys[ids[0]], "To Do", "new")
    run(*sync, env=env)
    check(items(db)[ids[0]]["status"] == "open", "back in To Do -> open again")

    # A create refused with 400 fails that item only; bearer auth without JIRA_EMAIL.
    assert run("actions", "add", "--db", db, "--due", "2027-01-31", "--owner", "sre", "One more")[0] == 0
    code, out, err = run(*sync, env=dict(env, JIRA_ISSUE_TYPE="Epic"))
    report = json.loads(out)
    check(code == 3 and report["counts"]["failed"] == 1, f"an unknown issue type fails the item "
          f"with exit 3 ({code}, {report['counts']})")
    check("Specify a valid issue type" in out, "the failure quotes Jira's field error")
    bearer = {k: v for k, v in env.items() if k != "JIRA_EMAIL"}
    n = len(srv.requests)
    code, out, err = run(*sync, env=bearer)
    check(code == 0 and json.loads(out)["counts"]["created"] == 1, "bearer token: created")
    check(all(h.get("authorization") == f"Bearer {TOKEN}" for _, _, h in srv.requests[n:]),
          "without JIRA_EMAIL requests carry the bearer token")


if __name__ == "__main__":
    sys.exit(main())
