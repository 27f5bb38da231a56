#!/usr/bin/env python3
"""Secrets planted in every kind of evidence never leave inquest, whichever output they would
take (the output boundary, base/output.h; docs/SECURITY.md).

A copy of examples/checkout-stampede gets real-looking secrets in each log format (JSON lines,
logfmt, an access log, log4j and a Java-style line), in a change record (`token=abc123secret`),
an alert summary, a page and a ticket, a trace export's span attributes and status, and a gdb
transcript's locals; a post-mortem with a secret in an action item goes into a store. Then every
command that writes for a person runs in every format it has: analyze (findings.json,
postmortem.md, report.html, its summary), timeline (the bundle and one request), rate, changes,
detect, trace, timeline --trace, dump, pm new, pm lint (text, JSON, SARIF), actions list and the
dashboard page. No output may hold a secret; the JSON outputs still parse.

The same commands with --no-redact must show every secret somewhere: the plants reach an
output, so the first half of the test is not vacuous.

    python3 tests/e2e/redaction_test.py build/inquest      (from the source folder)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLE = os.path.join(SOURCE, "examples", "checkout-stampede")

JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwbGFudCJ9."
       "c2lnbmF0dXJlUExBTlQxMjM0NTY3ODkw")
# What must never come out. Each is planted below; a card number in any of its spellings.
SECRETS = {
    "change token": "abc123secret",
    "sk- key": "sk-proj-4fR8tY2uI9oP3aS7dF1gH6jK0lZ5xC",
    "json password": "hunter2PW",
    "jwt": JWT,
    "cookie": "s3cr3tCookieVal",
    "basic": "YWxpY2U6czNjcjN0UExBTlQ=",
    "private key": "MIIEplantKEY",
    "slack token": "xoxb-2648376192-1234567890123-AbCdEfGhIjKlMnOp",
    "logfmt token": "tok_PLANT_9f8e7d",
    "url password": "pgPassw0rd",
    "aws key id": "AKIAIOSFODNN7EXAMPLE",
    "aws secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "slack webhook": "XXsecretXXwebhook",
    "github token": "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "gitlab token": "glpat-xT9vR2mK8qL4wN6pZ1cY",
    "query password": "accessPW99",
    "query api key": "accessKEY77",
    "referrer password": "refPassw0rd",
    "-p password": "MyS3cretPw",
    "--password": "hunter3PW",
    "alert api key": "grafApiKey77",
    "x-amz-signature": "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
    "email": "jane.doe@example.com",
    "azure sig": "3KAjw%2B9fY7rP0sZ1WqvN8uT5xEoLkB2mHcD4gR6yVa0%3D",
    "span bearer": "sp4nT0kenPLANT1234567890",
    "span password": "spanPassPLANT",
    "gdb password": "gdbS3cretPW",
    "gdb conninfo": "gdbConnPW",
    "action item token": "dashTok3nPLANT",
}
CARD_SPELLINGS = ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111"]
# What the redacted JSON shows of them (escaped as JSON writes them).
ESCAPED = {k: json.dumps(v)[1:-1] for k, v in SECRETS.items()}

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def insert_before(path, minute_marker, *lines):
    """Inserts `lines` before the first line holding `minute_marker` (keeps the file in time
    order)."""
    with open(path) as f:
        old = f.read().split("\n")
    at = next(i for i, l in enumerate(old) if minute_marker in l)
    with open(path, "w") as f:
        f.write("\n".join(old[:at] + list(lines) + old[at:]))


def append(path, *lines):
    with open(path, "a") as f:
        for l in lines:
            f.write(l + "\n")


def plant(bundle):
    pods = os.path.join(bundle, "pods")
    insert_before(os.path.join(pods, "checkout-7c9f6d-2xk4q.log"), "2026-05-29T14:14:",
                  json.dumps({"ts": "2026-05-29T14:13:50.000Z", "level": "error",
                              "msg": "payment auth failed password=hunter2PW Authorization: "
                                     "Bearer " + JWT,
                              "service": "checkout", "request_id": "pl4nt2",
                              "password": "hunter2PW", "card": "4111 1111 1111 1111",
                              "status": 500, "endpoint": "/cart/checkout"},
                             separators=(",", ":")),
                  json.dumps({"ts": "2026-05-29T14:13:51.000Z", "level": "error",
                              "msg": "session replay Cookie: session=s3cr3tCookieVal",
                              "service": "checkout", "request_id": "pl4nt2",
                              "upstream": "sent Basic YWxpY2U6czNjcjN0UExBTlQ= upstream",
                              "tls": "-----BEGIN PRIVATE KEY-----\nMIIEplantKEY\n"
                                     "-----END PRIVATE KEY-----",
                              "notify": "slack xoxb-2648376192-1234567890123-AbCdEfGhIjKlMnOp"},
                             separators=(",", ":")))
    insert_before(os.path.join(pods, "pricing-5b7c9-h8lqz.log"), "2026-05-29T14:14:",
                  'ts=2026-05-29T14:13:50.000Z level=error service=pricing '
                  'msg="db auth failed token=tok_PLANT_9f8e7d" '
                  'dsn=postgres://app:pgPassw0rd@pricing-db:5432/pricing request_id=pl4nt2')
    insert_before(os.path.join(pods, "catalog-publisher-0.log"), "2026-05-29 14:14:",
                  "2026-05-29 14:13:50,000 ERROR [sync-worker-2] com.shop.catalog.SyncJob - "
                  "export to AWS failed with key AKIAIOSFODNN7EXAMPLE secret "
                  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    insert_before(os.path.join(pods, "inventory-6f8d4-9wz2t.log"), "2026-05-29T14:14:",
                  json.dumps({"time": "2026-05-29T14:13:50.000Z", "severity": "ERROR",
                              "svc": "inventory",
                              "message": "webhook https://hooks.slack.com/services/T0PLANT/"
                                         "B0PLANT/XXsecretXXwebhook failed; ci token "
                                         "ghp_16C7e42F292c6912E7710c838347Ae178B4a and "
                                         "glpat-xT9vR2mK8qL4wN6pZ1cY",
                              "req_id": "pl4nt2"}, separators=(",", ":")))
    insert_before(os.path.join(pods, "recs-api-1.log"), "2026-05-29 14:14:",
                  "2026-05-29 14:13:50.000 [http-nio-8080-exec-3] ERROR c.s.recs.DbClient - "
                  "reconnect failed: mysql -uroot -pMyS3cretPw --password hunter3PW recs")
    insert_before(os.path.join(bundle, "edge", "access.log.1"), "29/May/2026:14:14:",
                  '10.0.5.39 - - [29/May/2026:14:13:50 +0000] "GET /login?user=bob&password='
                  'accessPW99&api_key=accessKEY77 HTTP/1.1" 500 12 "https://bob:refPassw0rd@'
                  'shop.example.com/" "curl/8.0" rt=0.047 uct=0.000 urt=0.046 request_id=pl4nt2')
    exports = os.path.join(bundle, "exports")
    append(os.path.join(exports, "0529-a.jsonl"),
           json.dumps({"time": "2026-05-29T14:05:00Z", "type": "config", "service": "pricing",
                       "summary": "pricing: rotate db creds token=abc123secret (model key "
                                  "sk-proj-4fR8tY2uI9oP3aS7dF1gH6jK0lZ5xC)",
                       "ref": "CFG-9999", "actor": "jane.doe@example.com"},
                      separators=(",", ":")))
    append(os.path.join(exports, "0529-b.jsonl"),
           json.dumps({"startsAt": "2026-05-29T14:12:30Z", "status": "firing",
                       "labels": {"alertname": "PricingAuthErrors", "service": "pricing",
                                  "severity": "page"},
                       "annotations": {"summary": "pricing auth errors, see https://grafana."
                                                  "example.com/d/x?api_key=grafApiKey77"}},
                      separators=(",", ":")))
    append(os.path.join(exports, "0529-c.jsonl"),
           json.dumps({"created_at": "2026-05-29T14:12:40Z", "incident": "INC-2292",
                       "event": "triggered",
                       "summary": "[page] runbook https://s3.amazonaws.com/b/k?X-Amz-Signature="
                                  "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f"
                                  "1024&X-Amz-Date=20260529", "service": "pricing",
                       "urgency": "high"}, separators=(",", ":")))
    append(os.path.join(exports, "0529-d.jsonl"),
           json.dumps({"opened": "2026-05-29T14:17:00Z", "ticket": "SUP-88299",
                       "channel": "email", "status": "open",
                       "summary": "Customer jane.doe@example.com paid with 4111-1111-1111-1111; "
                                  "receipt https://acct.blob.core.windows.net/c/r?sv=2021&sig="
                                  "3KAjw%2B9fY7rP0sZ1WqvN8uT5xEoLkB2mHcD4gR6yVa0%3D"},
                      separators=(",", ":")))
    # A trace export: a span attribute holding a header, a status message holding a password.
    with open(os.path.join(SOURCE, "tests", "golden", "trace_checkout-bad.otlp.json")) as f:
        trace = f.read()
    trace = trace.replace(
        '"attributes": [{"key": "http.status_code", "value": {"intValue": "504"}}]',
        '"attributes": [{"key": "http.status_code", "value": {"intValue": "504"}}, '
        '{"key": "http.request.header.authorization", "value": {"stringValue": '
        '"Bearer sp4nT0kenPLANT1234567890"}}]', 1)
    trace = trace.replace('"message": "upstream timeout"',
                          '"message": "upstream timeout password=spanPassPLANT"', 1)
    trace = trace.replace('"message": "deadline exceeded"',
                          '"message": "deadline exceeded, sent Bearer sp4nT0kenPLANT1234567890"',
                          1)
    assert "sp4nT0kenPLANT" in trace and "spanPassPLANT" in trace
    os.makedirs(os.path.join(bundle, "traces"))
    with open(os.path.join(bundle, "traces", "checkout.otlp.json"), "w") as f:
        f.write(trace)
    # A gdb transcript whose locals hold a password and a connection string.
    with open(os.path.join(SOURCE, "tests", "golden", "dump_gdb_null.txt")) as f:
        gdb = f.read()
    gdb = gdb.replace("        qty = 4",
                      '        qty = 4\n        db_password = 0x555555556004 "gdbS3cretPW"\n'
                      '        conninfo = 0x555555556010 "host=db user=app password=gdbConnPW"',
                      1)
    assert "gdbS3cretPW" in gdb
    os.makedirs(os.path.join(bundle, "dumps"))
    with open(os.path.join(bundle, "dumps", "gdb-bt.txt"), "w") as f:
        f.write(gdb)


POSTMORTEM = """# Post-Mortem: Pricing credentials leak        SEV-2   2026-05-29
Incident: inc-20260529-1411-9e1f00    Status: Final    Author: payments on-call    Reviewers: SRE lead

- Services: pricing
- Started: 2026-05-29 14:11 UTC
- Detected: 2026-05-29 14:12 UTC
- Mitigated: 2026-05-29 14:18 UTC
- Resolved: 2026-05-29 14:40 UTC
- Trigger: a config change that logged token=abc123secret

## Summary
The pricing service logged its database token=abc123secret and paged jane.doe@example.com.

## Action items
| ID | Action | Owner | Due | Status | Class | Ticket |
|----|--------|-------|-----|--------|-------|--------|
| AI-1 | Rotate the leaked token=dashTok3nPLANT and tell jane.doe@example.com | pricing team lead | 2026-06-12 | open | prevent | https://tickets.example/PAY-201 |
"""


def run_all(bundle, work, flag):
    """Runs every command; returns {name: text} of everything they wrote."""
    extra = [flag] if flag else []
    outputs = {}

    def run(name, *args, code=None):
        p = subprocess.run([INQUEST, *args, *extra], capture_output=True, text=True,
                           env=dict(os.environ, NO_COLOR="1"), errors="replace")
        outputs[name + " stdout"] = p.stdout
        outputs[name + " stderr"] = p.stderr
        if code is not None and p.returncode != code:
            print(f"  {name}: exit {p.returncode}\n{p.stderr[-2000:]}")
        return p

    report = os.path.join(work, "report" + (flag or ""))
    run("analyze", "analyze", bundle, "--out", report, code=0)
    for name in ("findings.json", "postmortem.md", "report.html"):
        path = os.path.join(report, name)
        outputs["analyze " + name] = open(path, errors="replace").read() if os.path.exists(path) \
            else ""
    logs = [os.path.join(bundle, "pods"), os.path.join(bundle, "edge")]
    for fmt in ("text", "json", "md"):
        run(f"timeline {fmt}", "timeline", bundle, "--format", fmt)
        run(f"timeline request {fmt}", "timeline", bundle, "--request", "pl4nt2", "--format", fmt)
        run(f"rate {fmt}", "rate", *logs, "--group-by", "service", "--format", fmt)
        run(f"changes {fmt}", "changes", os.path.join(bundle, "exports", "0529-a.jsonl"),
            "--logs", *logs, "--format", fmt)
        trace = os.path.join(bundle, "traces", "checkout.otlp.json")
        run(f"trace {fmt}", "trace", trace, "--format", fmt)
        run(f"trace id {fmt}", "trace", trace, "--id", TRACE_ID, "--format", fmt)
        run(f"timeline trace {fmt}", "timeline",
            os.path.join(SOURCE, "tests", "golden", "trace_checkout-logs.jsonl"), trace,
            "--trace", TRACE_ID, "--format", fmt)
        run(f"dump {fmt}", "dump", os.path.join(bundle, "dumps", "gdb-bt.txt"), "--format", fmt)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(bundle) for f in fs
                   if "report" not in d)
    for fmt in ("text", "json"):
        run(f"detect {fmt}", "detect", *files, "--format", fmt, "-v")
    run("pm new", "pm", "new", "--from", os.path.join(report, "findings.json"))
    pm_out = os.path.join(work, "pm-new" + (flag or "") + ".md")
    run("pm new --out", "pm", "new", "--from", os.path.join(report, "findings.json"), "--out",
        pm_out)
    outputs["pm new file"] = open(pm_out).read() if os.path.exists(pm_out) else ""
    doc = os.path.join(work, "leak.md")
    for fmt in ("text", "json", "sarif"):
        run(f"pm lint {fmt}", "pm", "lint", doc, "--format", fmt)
    db = os.path.join(work, "store" + (flag or "") + ".db")
    run("pm import", "pm", "import", doc, "--db", db, "--now", "2026-05-30")
    for fmt in ("text", "json"):
        run(f"actions list {fmt}", "actions", "list", "--db", db, "--format", fmt,
            "--now", "2026-05-30")
    outputs["dashboard page"] = dashboard_page(db, extra)
    return outputs


def dashboard_page(db, extra):
    proc = subprocess.Popen([INQUEST, "serve", "--db", db, "--port", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, NO_COLOR="1"))
    try:
        line = proc.stdout.readline().decode()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            return "no dashboard: " + line
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with direct.open(f"http://127.0.0.1:{m.group(1)}/", timeout=10) as r:
            return r.read().decode(errors="replace")
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def leaks(text):
    found = [k for k, v in SECRETS.items() if v in text or ESCAPED[k] in text]
    found += ["card " + c for c in CARD_SPELLINGS if c in text]
    return found


def main():
    checks = Checks()
    work = tempfile.mkdtemp(prefix="inquest-redaction-")
    try:
        bundle = os.path.join(work, "bundle")
        shutil.copytree(EXAMPLE, bundle, ignore=shutil.ignore_patterns("inquest-report"))
        plant(bundle)
        with open(os.path.join(work, "leak.md"), "w") as f:
            f.write(POSTMORTEM)

        redacted = run_all(bundle, work, None)
        for name, text in sorted(redacted.items()):
            found = leaks(text)
            checks.check(not found, f"{name}: no secret" + (f" (leaked: {found})" if found else ""))
        # The redacted JSON is still JSON.
        json.loads(redacted["analyze findings.json"])
        for name in ("timeline json stdout", "rate json stdout", "changes json stdout",
                     "detect json stdout", "timeline request json stdout"):
            lines = [l for l in redacted[name].splitlines() if l.strip()]
            checks.check(lines and all(json.loads(l) is not None for l in lines),
                         f"{name}: {len(lines)} JSON lines that parse")
        for name in ("trace json stdout", "dump json stdout", "pm lint json stdout",
                     "pm lint sarif stdout", "actions list json stdout"):
            json.loads(redacted[name])
            checks.check(True, f"{name}: parses")
        summary = redacted["analyze stderr"]
        m = re.search(r"redacted (\d+) secrets \(([^)]*)\)", summary)
        checks.check(m is not None and int(m.group(1)) >= 20,
                     "analyze says what it redacted: " + (m.group(0) if m else summary[-300:]))
        checks.check("[REDACTED]" in redacted["analyze report.html"] and
                     "Text from the evidence is redacted" in redacted["analyze report.html"],
                     "report.html shows the markers and says so")

        # --no-redact: each plant reaches some output, so the checks above were not vacuous.
        shown = run_all(bundle, work, "--no-redact")
        everything = "\n".join(shown.values())
        for key, secret in SECRETS.items():
            where = [n for n, t in shown.items() if secret in t or ESCAPED[key] in t]
            checks.check(where, f"--no-redact shows the {key} (in {', '.join(where[:3])})")
        checks.check(any(c in everything for c in CARD_SPELLINGS), "--no-redact shows the card")
        checks.check("redacted" not in shown["analyze stderr"],
                     "--no-redact: no redaction count")
        checks.finish()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
