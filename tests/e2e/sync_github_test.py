#!/usr/bin/env python3
"""`inquest actions sync --to github` against a local GitHub issues API (tests/mock/github_mock.py):
tickets created for open items without one and their URLs stored; statuses pulled back (closed
completed -> done, closed not_planned -> won't do, reopened -> open); pagination over Link
headers (more than 100 labelled issues); a secondary rate limit (429 + Retry-After) waited out;
a spent primary quota (403 + x-ratelimit-remaining: 0, reset in an hour) reported at once
instead of slept; a bad token and a validation error reported; a ticket whose URL never
reached the store adopted instead of duplicated; plain http refused unless on this machine and
asked for (--allow-http-loopback); a Link header's next page on another host, scheme or port not
followed with the token.

    sync_github_test.py PATH/TO/inquest
"""

import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mock"))
from github_mock import GitHubMock  # noqa: E402
from mock_server import Fault  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
TOKEN = "ghp_e2e_token"
REPO = "acme/checkout"
# Issues with the label already in the repository: more than one page of 100.
EXISTING_ISSUES = 130
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy")
failures = []

DOC = """# Checkout outage: pricing cache stampede

- SEV: SEV-2
- Date: 2026-05-29

## Action items
| ID | Action | Owner | Due | Status |
|----|--------|-------|-----|--------|
| AI-1 | Add singleflight to pricing origin fetch | pricing | 2026-06-12 | open |
| AI-2 | Alert on pricing DB pool > 80% for 5m | sre | 2026-06-05 | open |
| AI-3 | Canary 10/50/100% for checkout deploys | sre | 2026-07-01 | done |
"""


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
    return cond


def run(*args, env=None, timeout=120):
    e = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    # The mock is on 127.0.0.1: a proxy from the environment must not take the requests.
    e = {k: v for k, v in e.items() if k.lower() not in PROXY_VARS}
    e.update(NO_COLOR="1", **(env or {}))
    p = subprocess.run([INQUEST, *args], capture_output=True, timeout=timeout, env=e)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def items(db):
    code, out, err = run("actions", "list", "--db", db, "--format", "json")
    assert code == 0, err
    return {i["id"]: i for i in json.loads(out)["items"]}


def main():
    srv = GitHubMock(TOKEN, repos=(REPO,)).start()
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
    doc = os.path.join(d, "pm.md")
    with open(doc, "w") as f:
        f.write(DOC)
    assert run("pm", "import", "--db", db, doc)[0] == 0
    assert run("actions", "add", "--db", db, "--due", "2027-01-31", "--owner", "checkout", "Retry budget of 10% in "
               "the checkout client")[0] == 0
    assert run("actions", "add", "--db", db, "--due", "2027-01-31", "--owner", "sre",
               "--ticket", "https://linear.example/ENG-7",
               "Tracked in another tracker")[0] == 0
    for i in range(EXISTING_ISSUES):
        srv.add_issue(REPO, f"older inquest ticket {i}", body="from another store")
    srv.add_pull_request(REPO, "a pull request carrying the label")
    before = items(db)
    open_ids = sorted(i for i, v in before.items() if v["status"] == "open" and not v["ticket"])
    check(len(open_ids) == 3, f"3 open items without a ticket to sync (got {open_ids})")
    sync = ["actions", "sync", "--to", "github", "--db", db, "--url", srv.url, "--repo", REPO,
            "--format", "json", "--allow-http-loopback"]
    env = {"GITHUB_TOKEN": TOKEN}

    # Plain http carries the token only to this machine, and only when asked for by name.
    n = len(srv.requests)
    code, out, err = run(*sync[:-1], env=env)
    check(code == 2 and "--allow-http-loopback" in err and "plain http" in err,
          f"an http:// API URL without --allow-http-loopback: exit 2 naming it ({code}: "
          f"{err.strip()})")
    code, out, err = run(*[a if a != srv.url else "http://api.example.invalid" for a in sync],
                         env=env)
    check(code == 2 and "not https" in err,
          f"an http:// API URL off this machine is refused even with the flag ({code}: "
          f"{err.strip()})")
    check(len(srv.requests) == n, "refused URLs: nothing was sent")

    # No token: a usage error before any request.
    n = len(srv.requests)
    code, out, err = run(*sync)
    check(code == 2 and "GITHUB_TOKEN" in err, f"no token: exit 2 naming GITHUB_TOKEN ({code})")
    check(len(srv.requests) == n, "no token: nothing was sent")

    # A bad token: the first request is refused and the run stops with exit 3.
    code, out, err = run(*sync, env={"GITHUB_TOKEN": "wrong"})
    check(code == 3 and "401" in err, f"bad token: exit 3 with the 401 ({code}: {err.strip()})")

    # First sync: one ticket per open item without one, over two pages of listing.
    lists_before = srv.count("GET", f"/repos/{REPO}/issues")
    code, out, err = run(*sync, env=env)
    check(code == 0, f"first sync exits 0 ({code}: {err.strip()})")
    report = json.loads(out)
    check(report["counts"]["created"] == 3, f"3 tickets created ({report['counts']})")
    check(report["tickets_listed"] == EXISTING_ISSUES,
          f"all {EXISTING_ISSUES} labelled issues listed, the pull request skipped "
          f"({report['tickets_listed']})")
    lists = srv.count("GET", f"/repos/{REPO}/issues") - lists_before
    check(lists == 2, f"the listing followed the Link header to page 2 ({lists} requests)")
    check(any("page=2" in p for m, p, _ in srv.requests if m == "GET"),
          "the second page was requested by its Link URL")
    after = items(db)
    issues = {i["html_url"]: i for i in srv.issues(REPO)}
    for i in open_ids:
        url = after[i]["ticket"]
        issue = issues.get(url)
        if not check(issue is not None, f"item {i} stores the URL of a created issue ({url})"):
            continue
        check(issue["title"] == after[i]["action"], f"issue for item {i} is titled by the action")
        check(f"inquest-action-id: {i}" in issue["body"], f"issue for item {i} names the item")
        check([l["name"] for l in issue["labels"]] == ["inquest"], f"issue {i} has the label")
    check(after[open_ids[0]]["ticket"] != "" and all(
        after[i]["ticket"] == before[i]["ticket"] for i in after if i not in open_ids),
        "items that were done or ticketed elsewhere were left alone")
    auth = [h for m, p, h in srv.requests if m == "POST"][-1]
    check(auth.get("authorization") == f"Bearer {TOKEN}" and
          auth.get("x-github-api-version") == "2022-11-28" and
          auth.get("accept") == "application/vnd.github+json",
          "requests carry the token, API version and media type GitHub documents")

    # A second sync creates nothing.
    created = len(srv.issues(REPO))
    code, out, err = run(*sync, env=env)
    check(code == 0 and json.loads(out)["counts"]["created"] == 0 and
          len(srv.issues(REPO)) == created, "a second sync creates no duplicate")

    # Status pulled back.
    num = {i: int(after[i]["ticket"].rsplit("/", 1)[1]) for i in open_ids}
    srv.close(REPO, num[open_ids[0]], "completed")
    srv.close(REPO, num[open_ids[1]], "not_planned")
    code, out, err = run(*sync, env=env)
    report = json.loads(out)
    check(code == 0 and report["counts"]["updated"] == 2, f"2 items updated ({report['counts']})")
    now = items(db)
    check(now[open_ids[0]]["status"] == "done", "closed as completed -> done")
    check(now[open_ids[1]]["status"] == "won't do", "closed as not planned -> won't do")
    check(now[open_ids[2]]["status"] == "open", "the open issue's item stays open")
    srv.reopen(REPO, num[open_ids[0]])
    run(*sync, env=env)
    check(items(db)[open_ids[0]]["status"] == "open", "a reopened issue reopens the item")
    code, out, err = run("actions", "list", "--db", db, "--format", "json", "--history")
    check("sync github: ticket closed (not_planned)" in out, "the history says why it changed")

    # A secondary rate limit: 429 with Retry-After 1 s, waited out.
    srv.queue_fault(Fault(429, {"Retry-After": "1"}, {
        "message": "You have exceeded a secondary rate limit.",
        "documentation_url": "https://docs.github.com/rest"}))
    t0 = time.time()
    code, out, err = run(*sync, env=env)
    took = time.time() - t0
    check(code == 0, f"a 429 with Retry-After is retried and the sync succeeds ({code})")
    check(took >= 1.0, f"the retry waited the second Retry-After asked for ({took:.2f} s)")
    check("1 retries" in err, f"stderr reports the retry ({err.strip()})")

    # A spent primary quota, reset in an hour: reported at once, not slept.
    srv.used, srv.reset_at = srv.quota, int(time.time()) + 3600
    t0 = time.time()
    code, out, err = run(*sync, env=env)
    took = time.time() - t0
    check(code == 3, f"a spent quota exits 3 ({code})")
    check("rate limit" in err.lower() and "403" in err, f"the error names the rate limit ({err.strip()})")
    check(took < 30, f"the sync did not wait for the reset ({took:.1f} s)")
    srv.used = 0

    # One item refused (422), the others still synced; the next run creates it.
    assert run("actions", "add", "--db", db, "--due", "2027-01-31", "--owner", "sre", "First new item")[0] == 0
    assert run("actions", "add", "--db", db, "--due", "2027-01-31", "--owner", "sre", "Second new item")[0] == 0
    srv.queue_fault(Fault(422, {}, {"message": "Validation Failed", "errors": [
        {"resource": "Issue", "code": "custom", "field": "title"}]},
        match=lambda m, p: m == "POST"))
    code, out, err = run(*sync, env=env)
    report = json.loads(out)
    check(code == 3 and report["counts"]["failed"] == 1 and report["counts"]["created"] == 1,
          f"a 422 fails one item, the other is created, exit 3 ({code}, {report['counts']})")
    check("Validation Failed" in out, "the failure quotes GitHub's message")
    code, out, err = run(*sync, env=env)
    check(code == 0 and json.loads(out)["counts"]["created"] == 1, "the next run creates it")

    # A ticket created by a run that died before storing the URL is adopted, not duplicated.
    assert run("actions", "add", "--db", db, "--due", "2027-01-31", "--owner", "sre", "Orphaned item")[0] == 0
    orphan_id = max(items(db))
    orphan = srv.add_issue(REPO, "Orphaned item", body=f"...\n\ninquest-action-id: {orphan_id}\n")
    created = len(srv.issues(REPO))
    code, out, err = run(*sync, env=env)
    report = json.loads(out)
    check(code == 0 and report["counts"]["linked"] == 1 and len(srv.issues(REPO)) == created,
          f"the orphan ticket is linked, no new issue ({report['counts']})")
    check(items(db)[orphan_id]["ticket"] == orphan["html_url"], "the orphan's URL is stored")

    # Text output for people.
    code, out, err = run("actions", "sync", "--to", "github", "--db", db, "--url", srv.url,
                         "--repo", REPO, "--dry-run", "--allow-http-loopback", env=env)
    check(code == 0 and out.startswith("github: ") and "created 0" in out,
          f"text output: a header and the counts ({out.strip()[:120]!r})")

    # A Link header whose next page is on another host (the same server by another name, so a
    # request would arrive and be seen) or another scheme: not followed with the token.
    port = srv.url.rsplit(":", 1)[1]
    for base, what in ((f"http://localhost:{port}", "another host"),
                       (f"https://127.0.0.1:{port}", "https instead of the API's http"),
                       (f"http://127.0.0.1:{int(port) % 65535 + 1}", "another port")):
        srv.link_base = base
        n = len(srv.requests)
        code, out, err = run(*sync, env=env)
        seen = srv.requests[n:]
        check(code == 3 and base in err and "not followed" in err,
              f"a next page on {what}: exit 3 naming its URL ({code}: {err.strip()[:200]})")
        check(len(seen) == 1 and "page=2" not in seen[0][1] and
              all(h.get("host", "").startswith("127.0.0.1") for _, _, h in seen),
              f"a next page on {what}: only the first page was asked for, at the API's host "
              f"({[p for _, p, _ in seen]})")
    srv.link_base = None


if __name__ == "__main__":
    sys.exit(main())
