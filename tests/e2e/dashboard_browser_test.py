#!/usr/bin/env python3
"""`inquest serve` in headless Chromium: the dashboard shows what the store holds, a status
change made in the page round-trips to the store, an XSS payload in an action's text is shown
as text, and writes are refused without the token, from another origin, or when read-only.

The store is seeded through the command line (`pm import`, `actions add`). The page is read
with --dump-dom (a fresh browser, the page's Content-Security-Policy in force), and the status
form is filled and submitted through the DevTools protocol (a websocket client in the standard
library below), as a person would.

    dashboard_browser_test.py PATH/TO/inquest

Exit codes: 0 pass, 1 fail, 77 skipped (no Chromium on this machine).
"""

import base64
import html.parser
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

SKIP = 77
INQUEST = os.path.abspath(sys.argv[1])
TOKEN = "e2e-token-0123456789abcdef"
XSS = "<script>document.title='pwned'</script><img src=x onerror=alert(1)> cache \"fix\" & more"
# Seconds a browser run or a page load may take before the test gives up.
BROWSER_TIMEOUT_S = 60
# An item untouched since this date is far past the two-week decay threshold on any run date.
OLD_DAY = "2026-01-05"

DOC = """# Checkout outage: pricing cache stampede

- SEV: SEV-2
- Date: 2026-01-04
- Status: Draft

## Summary
Checkout failed for 11% of requests.

## Impact
11% of checkout requests failed for 7 minutes.

## Action items
| ID | Action | Owner | Due | Status |
|----|--------|-------|-----|--------|
| AI-1 | Add singleflight to pricing origin fetch | pricing | 2026-01-20 | open |
| AI-2 | Alert on pricing DB pool > 80% for 5m | sre | 2099-06-05 | in progress |
"""

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
    return cond


def inquest(*args, env=None):
    p = subprocess.run([INQUEST, *args], capture_output=True, timeout=120,
                       env=dict(os.environ, NO_COLOR="1", **(env or {})))
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors="replace"))
        raise SystemExit(f"FAIL: inquest {' '.join(args)} exited with {p.returncode}")
    return p.stdout.decode()


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browser_args(binary, profile):
    return [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-proxy-server", "--user-data-dir=" + profile]


def dump_dom(binary, url, workdir):
    profile = tempfile.mkdtemp(prefix="profile-", dir=workdir)
    r = subprocess.run(browser_args(binary, profile) + ["--dump-dom", url],
                       capture_output=True, timeout=BROWSER_TIMEOUT_S)
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode(errors="replace")[-3000:])
        raise SystemExit(f"FAIL: chromium --dump-dom exited with {r.returncode}")
    return r.stdout.decode("utf-8", errors="replace")


class Cells(html.parser.HTMLParser):
    """Rows of the open-items table: {item id: {"status": data-status, "cells": [text...]}},
    plus every tag name seen (to check no script element exists)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.tags, self.row, self.cell = {}, set(), None, None
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        a = dict(attrs)
        if tag == "title" and not self.title:  # the page's, not an SVG chart's
            self.in_title = True
        if tag == "tr" and (a.get("id") or "").startswith("item-"):
            self.row = {"status": a.get("data-status"), "cells": []}
            self.rows[int(a["id"][5:])] = self.row
        elif tag == "td" and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "td" and self.row is not None and self.cell is not None:
            self.row["cells"].append(self.cell.strip())
            self.cell = None
        elif tag == "tr":
            self.row = None

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.cell is not None:
            self.cell += data


def parse(dom):
    p = Cells()
    p.feed(dom)
    return p


# -- a DevTools protocol client over a websocket (RFC 6455), standard library only ------------
class DevTools:
    def __init__(self, ws_url):
        u = urllib.parse.urlsplit(ws_url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=BROWSER_TIMEOUT_S)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\n"
                           f"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise SystemExit("FAIL: DevTools closed the websocket handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise SystemExit(f"FAIL: DevTools refused the websocket: {head[:200]!r}")
        self.next_id = 0
        self.events = []

    def _recv_exact(self, n):
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise SystemExit("FAIL: DevTools closed the websocket")
            out += chunk
        return out

    def _recv_message(self):
        data = b""
        while True:
            b0, b1 = self._recv_exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._recv_exact(8))[0]
            mask = self._recv_exact(4) if b1 & 0x80 else None
            payload = self._recv_exact(n)
            if mask:
                payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
            opcode = b0 & 0x0F
            if opcode == 8:
                raise SystemExit("FAIL: DevTools closed the websocket")
            if opcode in (9, 10):  # ping / pong: not expected from Chromium; ignore
                continue
            data += payload
            if b0 & 0x80:
                return json.loads(data.decode())

    def _send(self, obj):
        payload = json.dumps(obj).encode()
        mask = os.urandom(4)
        n = len(payload)
        head = bytes([0x81])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        self.sock.sendall(head + mask + bytes(c ^ mask[i % 4] for i, c in enumerate(payload)))

    def call(self, method, **params):
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        while True:
            msg = self._recv_message()
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise SystemExit(f"FAIL: DevTools {method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, method, timeout=BROWSER_TIMEOUT_S):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._recv_message())
        raise SystemExit(f"FAIL: no {method} within {timeout} s")

    def evaluate(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return r.get("result", {}).get("value")


def start_browser(binary, workdir):
    profile = tempfile.mkdtemp(prefix="profile-", dir=workdir)
    proc = subprocess.Popen(browser_args(binary, profile) + ["--remote-debugging-port=0",
                                                             "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + BROWSER_TIMEOUT_S
    line = b""
    while time.time() < deadline:
        line = proc.stderr.readline()
        m = re.search(rb"DevTools listening on (ws://\S+)", line)
        if m:
            port = urllib.parse.urlsplit(m.group(1).decode()).port
            break
        if not line and proc.poll() is not None:
            raise SystemExit("FAIL: chromium exited before DevTools listened")
    else:
        proc.kill()
        raise SystemExit("FAIL: chromium's DevTools did not start")
    with DIRECT.open(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
        targets = json.load(r)
    page = next(t for t in targets if t.get("type") == "page")
    return proc, DevTools(page["webSocketDebuggerUrl"])


# -- the server -----------------------------------------------------------------------------
def start_serve(db, *extra):
    proc = subprocess.Popen([INQUEST, "serve", "--db", db, "--port", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, NO_COLOR="1"))
    line = proc.stdout.readline().decode()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise SystemExit(f"FAIL: inquest serve printed no URL: {line!r} "
                         f"{proc.stderr.read().decode(errors='replace')}")
    return proc, f"http://127.0.0.1:{m.group(1)}/"


def stop(proc):
    proc.terminate()
    try:
        code = proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        code = None
    return code


# Straight to 127.0.0.1, whatever proxy the environment names.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post(url, fields, headers=None):
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(url, data=data, method="POST", headers=headers or {})
    try:
        with DIRECT.open(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def items(db):
    return {i["id"]: i for i in json.loads(inquest("actions", "list", "--db", db,
                                                   "--format", "json"))["items"]}


def main():
    browser = chromium_binary()
    if browser is None:
        print("SKIP: no chromium on this machine (scripts/dev setup installs it)")
        return SKIP
    work = tempfile.mkdtemp(prefix="inquest-dashboard-e2e-")
    try:
        return run(browser, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(browser, work):
    db = os.path.join(work, "inquest.db")
    doc = os.path.join(work, "postmortem.md")
    with open(doc, "w") as f:
        f.write(DOC)
    inquest("pm", "import", "--db", db, "--now", OLD_DAY, doc)
    inquest("actions", "add", "--db", db, "--owner", "checkout", "--class", "mitigate",
            "--due", "2099-01-01", XSS)
    stored = items(db)
    check(len(stored) == 3, f"the store holds 3 items after seeding (got {len(stored)})")
    xss_id = next(i for i, v in stored.items() if v["action"] == XSS)
    old_id = next(i for i, v in stored.items() if v["action"].startswith("Add singleflight"))
    doing_id = next(i for i, v in stored.items() if v["action"].startswith("Alert on"))

    # 1. Read-only: the page as Chromium renders it shows the store; writes are refused.
    proc, url = start_serve(db)
    try:
        dom = dump_dom(browser, url, work)
        page = parse(dom)
        check(set(page.rows) == set(stored),
              f"the open-items table lists exactly the stored items {sorted(stored)} "
              f"(got {sorted(page.rows)})")
        for i, v in stored.items():
            row = page.rows.get(i)
            if not check(row is not None, f"item {i} is on the page"):
                continue
            check(row["status"] == v["status"], f"item {i} shows status {v['status']!r}")
            check(v["action"] in row["cells"], f"item {i} shows its action text exactly")
            check(v["owner"] in row["cells"], f"item {i} shows its owner")
        check("script" not in page.tags and "img" not in page.tags,
              "the XSS payload made no <script> or <img> element")
        check(page.title == "inquest: action items",
              f"no script ran: the title is unchanged ({page.title!r})")
        old = page.rows.get(old_id, {"cells": []})["cells"]
        check(any(c.startswith("overdue") for c in old) and "silent decay" in " ".join(old),
              "the item due and untouched since January is flagged overdue and silent decay")
        check("Checkout outage: pricing cache stampede (SEV-2)" in
              page.rows.get(old_id, {"cells": [""]})["cells"][1],
              "the item names its incident and SEV")
        check("<select" not in dom and "<form" not in dom, "read-only: no status form")
        code, body = post(url + "actions", {"token": TOKEN, f"status-{xss_id}": "done",
                                            f"was-{xss_id}": "open"})
        check(code == 403 and "read-only" in body, f"read-only: a POST is refused (got {code})")
    finally:
        check(stop(proc) == 0, "inquest serve exits 0 on SIGTERM")
    check(items(db)[xss_id]["status"] == "open", "read-only: the store is unchanged")

    # 2. With --allow-writes: a person changes a status in the page.
    proc, url = start_serve(db, "--allow-writes", "--token", TOKEN)
    chrome = None
    try:
        chrome, dev = start_browser(browser, work)
        dev.call("Page.enable")
        dev.call("Page.navigate", url=url)
        dev.wait_event("Page.loadEventFired")
        has_form = dev.evaluate("!!document.querySelector('#status-form')")
        check(has_form is True, "writes allowed: the page has the status form")
        dev.evaluate(f"""(() => {{
            document.querySelector('select[name="status-{xss_id}"]').value = 'done';
            document.querySelector('select[name="status-{doing_id}"]').value = "won't do";
            document.querySelector('input[name="token"]').value = {json.dumps(TOKEN)};
            document.querySelector('button[type="submit"]').click();
        }})()""")
        dev.wait_event("Page.loadEventFired")
        notice = dev.evaluate("(document.querySelector('.notice') || {}).textContent || ''")
        check("2 status changes saved" in (notice or ""),
              f"the page says the two changes were saved ({notice!r})")
        rows = dev.evaluate("[...document.querySelectorAll('tr[id^=item-]')].map(r => r.id)")
        check(rows == [f"item-{old_id}"],
              f"closed items left the open-items table (rows now {rows})")
        after = items(db)
        check(after[xss_id]["status"] == "done", "the store has the XSS item done")
        check(after[doing_id]["status"] == "won't do", "the store has the other item won't do")
        check(after[old_id]["status"] == "open", "the untouched item stayed open")
        listing = inquest("actions", "list", "--db", db, "--format", "json", "--history")
        check("changed in the dashboard" in listing,
              "the history records the change as made in the dashboard")

        # 3. The same form with a wrong token, from another site, or through the API.
        code, body = post(url + "actions", {"token": "wrong-token-0123456789",
                                            f"status-{old_id}": "done", f"was-{old_id}": "open"},
                          {"Origin": url.rstrip("/")})
        check(code == 403 and "token" in body, f"a wrong token is refused (got {code})")
        code, body = post(url + "actions", {"token": TOKEN, f"status-{old_id}": "done",
                                            f"was-{old_id}": "open"},
                          {"Origin": "http://attacker.example"})
        check(code == 403, f"a POST from another origin is refused even with the token ({code})")
        check(items(db)[old_id]["status"] == "open", "refused writes left the store unchanged")
        code, body = post(url + f"api/actions/{old_id}", {"status": "in progress"},
                          {"X-Inquest-Token": TOKEN})
        check(code == 200 and json.loads(body)["status"] == "in progress",
              f"the API changes a status with the token header ({code} {body.strip()})")
        check(items(db)[old_id]["status"] == "in progress", "the API change is in the store")
    finally:
        if chrome is not None:
            chrome.kill()
            chrome.wait()
        check(stop(proc) == 0, "inquest serve --allow-writes exits 0 on SIGTERM")

    # 4. --allow-writes without a usable token is a usage error.
    p = subprocess.run([INQUEST, "serve", "--db", db, "--allow-writes", "--token", "short"],
                       capture_output=True, timeout=30)
    check(p.returncode == 2, f"--allow-writes with a short token exits 2 (got {p.returncode})")

    if failures:
        print(f"{len(failures)} checks failed")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
