#!/usr/bin/env python3
"""report.html in a real browser: `inquest analyze` on an example bundle, then headless Chromium.

Checks that the page, as Chromium renders it, shows what findings.json says:
  - the SVG timeline has an error-rate series with many points (a path/polyline, or one bar per
    window), whose peak lies between the onset and the recovery;
  - one mark per ranked change inside the charted time span, and one per alert (first signal,
    first alert), each at the x position of its time on the chart's own time axis, plus the
    onset and recovery marks;
  - the ranked-changes table lists the changes in findings.json order, and every finding's
    title is on the page;
  - every citation link (<a href="#ex-N">) lands on an excerpt element of the page whose
    highlighted line is the cited line: the same number, and the same text as that line of the
    bundle's file (read here; redacted or cut lines are counted and must say so); citations
    without an excerpt are plain text with a title saying why, and every internal link has a
    target;
  - the merged timeline holds every change, alert, page and ticket record of the bundle: the
    records of the files matching --records (counted here, one per non-empty JSON line, and
    checked against the files findings.json took for such records) each have a row citing them,
    and no other record rows; plus the onset, the recovery and one row per finding;
  - the timeline's filter works in Chromium: a copy of the page with a probe script (allowed by
    adding its hash to the page's Content-Security-Policy) clicks a service's and a kind's chip
    and records which rows are displayed, then resets the form;
  - the page makes no network request: report.html names no http(s) resource, has no script
    and a Content-Security-Policy of default-src 'none', and Chromium's net log holds no request
    started by the page (hosts also resolve to nothing).
It also takes a screenshot (OUT/report.png) for a person to look at.

  tests/report_browser_test.py --inquest BUILD/inquest --bundle examples/checkout-stampede \
      --out BUILD/browser [--records 'exports/*.jsonl']

Exit codes: 0 pass, 1 fail, 77 skipped (no Chromium on this machine).
"""

import argparse
import base64
import datetime
import glob
import gzip
import hashlib
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_support import Failures, chromium_binary, run_chromium  # noqa: E402

SKIP = 77

# Fewest points the error-rate series may have: the example spans well over half an hour at
# one-minute windows, so a handful of points means the series was cut or not drawn.
MIN_SERIES_POINTS = 10
# Most a mark may sit from where its time falls on the chart's axis, in SVG pixels (the chart
# rounds coordinates to 0.1 px; a whole pixel is already a visible error).
MAX_MARK_OFFSET_PX = 1.5
# Browser window for the screenshot: wide enough for the 960 px chart plus margins, tall
# enough for the key figures, the chart and the top of the ranked-changes table.
WINDOW = (1100, 1400)
# A rendered page with text, a chart and tables compresses to far more than a blank one
# (a blank 1100x1400 PNG is about 5 KB).
MIN_SCREENSHOT_BYTES = 30_000
# Where the example bundle keeps its change, alert, page and ticket records (JSON lines).
DEFAULT_RECORDS = "exports/*.jsonl"
# What findings.json calls the files taken for those records.
RECORD_INPUTS = {"changes", "alert records", "page records", "ticket records", "chat records"}
# Timeline kinds of those records' rows.
RECORD_KINDS = {"change", "alert", "page", "ticket", "chat"}
# Markers Redact() puts in place of secrets (src/base/redact.h).
REDACTION_MARKERS = ("[REDACTED]", "[email]", "[card]")
# A "file:line" citation as analyze writes them.
CITATION = re.compile(r"^[\w.@+~-][\w./@+~-]*:\d+$")

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], ""

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def find_all(self, tag):
        return [n for n in self.walk() if n.tag == tag]

    def child(self, tag):
        return next((c for c in self.children if c.tag == tag), None)

    def all_text(self):
        return self.text + "".join(c.all_text() for c in self.children)


class TreeBuilder(html.parser.HTMLParser):
    """A DOM tree from serialized HTML (Chromium's --dump-dom output is well formed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.text += data


def parse_html(text):
    b = TreeBuilder()
    b.feed(text)
    b.close()
    return b.root


def classes(node):
    return set((node.attrs.get("class") or "").split())


def inside(node, pred):
    n = node.parent
    while n is not None:
        if pred(n):
            return n
        n = n.parent
    return None


def parse_time(s):
    """RFC 3339 UTC time from findings.json -> aware datetime."""
    s = s.replace("Z", "+00:00")
    m = re.match(r"(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$", s)
    frac = (m.group(2) or ".0")[:7]  # datetime takes at most microseconds
    return datetime.datetime.fromisoformat(m.group(1) + frac + m.group(3))




def external_urls_in_source(text):
    """http(s) or protocol-relative URLs that the page would load (attributes and CSS)."""
    found = []

    class P(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            for k, v in attrs:
                if k in ("src", "href", "xlink:href", "srcset", "action", "poster", "data",
                         "formaction", "background") and v and \
                        re.match(r"\s*(https?:)?//", v, re.I):
                    found.append(f"<{tag} {k}={v}>")

    P().feed(text)
    for m in re.finditer(r"url\(\s*['\"]?\s*((https?:)?//[^)'\"]*)|@import\s+['\"]?((https?:)?//\S+)",
                         text, re.I):
        found.append(m.group(0))
    return found


def page_requests(netlog_path):
    """URLs of requests the page itself started (the browser's own service requests have no
    origin and are left out; the host resolver rules make them all fail anyway)."""
    with open(netlog_path) as f:
        log = json.load(f)
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    out = []
    for e in log["events"]:
        p = e.get("params") or {}
        if e["type"] != start_job or "url" not in p:
            continue
        if p.get("initiator") == "not an origin" or p["url"].startswith(("file:", "data:")):
            continue
        out.append(p["url"])
    return out


def numbers(s):
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", s or "")]


def check_chart(svg, findings, fail):
    """The timeline against findings.json; returns a summary line."""
    # The time axis: tick labels HH:MM at their x positions give the chart's own scale.
    ticks = []
    for t in svg.find_all("text"):
        label = t.all_text().strip()
        if re.fullmatch(r"\d\d:\d\d", label) and "x" in t.attrs:
            ticks.append((float(t.attrs["x"]), int(label[:2]) * 60 + int(label[3:])))
    if not fail.check(len(ticks) >= 2, f"time axis has {len(ticks)} HH:MM tick labels, want 2+"):
        return ""
    onset = parse_time(findings["onset"]["time"]) if findings.get("onset") else None
    day = (onset or parse_time(findings["changes"][0]["time"])).replace(
        hour=0, minute=0, second=0, microsecond=0)
    # Ticks are in time order; a label smaller than the one before crossed midnight.
    times, minute_offset, prev = [], 0, None
    for x, m in sorted(ticks):
        if prev is not None and m < prev:
            minute_offset += 24 * 60
        prev = m
        times.append((x, day + datetime.timedelta(minutes=m + minute_offset)))
    (x0, t0), (x1, t1) = times[0], times[-1]
    px_per_s = (x1 - x0) / (t1 - t0).total_seconds()
    fail.check(px_per_s > 0, "time axis does not grow to the right")
    for x, t in times:
        fail.check(abs(x0 + (t - t0).total_seconds() * px_per_s - x) <= MAX_MARK_OFFSET_PX,
                   f"tick at x={x} is off the linear time axis")

    def x_of(iso):
        return x0 + (parse_time(iso) - t0).total_seconds() * px_per_s

    # The error-rate series: a path/polyline with many points, or one titled bar per window.
    best_line = 0
    for n in svg.find_all("polyline") + svg.find_all("path"):
        pts = numbers(n.attrs.get("points") or n.attrs.get("d"))
        best_line = max(best_line, len(pts) // 2)
    bars = [r for r in svg.find_all("rect") if r.child("title") is not None]
    points = max(best_line, len(bars))
    fail.check(points >= MIN_SERIES_POINTS,
               f"error-rate series has {points} points, want {MIN_SERIES_POINTS}+")
    # The plotted span: the widest untitled rect is the plot area; else the bars' extent.
    frames = [r for r in svg.find_all("rect") if r.child("title") is None and "width" in r.attrs]
    if frames:
        frame = max(frames, key=lambda r: float(r.attrs["width"]))
        left = float(frame.attrs["x"])
        right = left + float(frame.attrs["width"])
    else:
        xs = [float(r.attrs["x"]) for r in bars]
        left, right = min(xs), max(float(r.attrs["x"]) + float(r.attrs["width"]) for r in bars)
    if bars:
        heights = [float(r.attrs.get("height", 0)) for r in bars]
        fail.check(len(set(heights)) > 1 and max(heights) > 0,
                   "error-rate bars are all the same height: no spike drawn")
        peak = max(bars, key=lambda r: float(r.attrs.get("height", 0)))
        peak_x = float(peak.attrs["x"])
        if findings.get("onset") and findings.get("recovery", {}).get("time"):
            lo, hi = x_of(findings["onset"]["time"]), x_of(findings["recovery"]["time"])
            fail.check(lo - MAX_MARK_OFFSET_PX <= peak_x <= hi + MAX_MARK_OFFSET_PX,
                       f"tallest bar at x={peak_x:.1f} is outside onset..recovery "
                       f"({lo:.1f}..{hi:.1f})")

    # Marks: a group holding a title and a vertical line.
    marks = []
    for g in svg.find_all("g"):
        title, line = g.child("title"), g.child("line")
        if title is not None and line is not None:
            marks.append({"x": float(line.attrs.get("x1", "nan")), "title": title.all_text(),
                          "used": False})

    def expect_mark(what, iso, words):
        x = x_of(iso)
        if not left - MAX_MARK_OFFSET_PX <= x <= right + MAX_MARK_OFFSET_PX:
            return None  # outside the charted span: not drawn, by design
        for m in marks:
            if not m["used"] and abs(m["x"] - x) <= MAX_MARK_OFFSET_PX and \
                    any(w and w in m["title"] for w in words):
                m["used"] = True
                return True
        fail.check(False, f"no mark for {what} at {iso} (x={x:.1f}); marks: "
                          + "; ".join(f"{m['x']:.1f} {m['title'][:40]!r}" for m in marks))
        return False

    changes = findings.get("changes") or []
    drawn_changes = [c for c in changes
                     if expect_mark(f"change {c.get('ref')!r}", c["time"],
                                    [c.get("ref"), c.get("what")]) is not None]
    alerts = []
    det = findings.get("detection") or {}
    for key in ("first_signal", "first_alert"):
        s = det.get(key)
        if s and s.get("time") and all(a["time"] != s["time"] or a.get("name") != s.get("name")
                                       for a in alerts):
            alerts.append(s)
    drawn_alerts = [a for a in alerts
                    if expect_mark(f"alert {a.get('name')!r}", a["time"],
                                   [a.get("name"), a.get("summary"), a.get("source")])
                    is not None]
    if findings.get("onset"):
        expect_mark("the onset", findings["onset"]["time"], ["baseline", "onset"])
    fail.check(len(drawn_changes) > 0, "no ranked change falls inside the chart")
    fail.check(len(alerts) == 0 or len(drawn_alerts) > 0, "no alert falls inside the chart")
    return (f"series {points} points; {len(drawn_changes)} of {len(changes)} ranked changes "
            f"in the charted span, each marked; {len(drawn_alerts)} of {len(alerts)} alerts "
            f"marked; {len(marks)} marks in all")


def check_tables(dom, findings, fail):
    text = dom.all_text()
    for f in findings.get("findings") or []:
        fail.check(f["title"] in text, f"finding title not on the page: {f['title']!r}")
    changes = findings.get("changes") or []
    table = next((t for t in dom.find_all("table")
                  if any("score" in th.all_text().lower() for th in t.find_all("th"))), None)
    if not fail.check(table is not None, "no ranked-changes table (a table with a Score column)"):
        return
    rows = [tr for tr in table.find_all("tr") if tr.find_all("td")]
    fail.check(0 < len(rows) <= len(changes),
               f"ranked-changes table has {len(rows)} rows for {len(changes)} changes")
    for i, (tr, c) in enumerate(zip(rows, changes)):
        row = tr.all_text()
        fail.check((c.get("ref") or c.get("what")) in row,
                   f"ranked-changes row {i + 1} is not change {c.get('ref')!r}: {row[:80]!r}")


def file_line(bundle, rel, number, cache):
    """Line `number` (1-based) of a bundle file as the report shows it before redaction and
    cutting (a trailing CR dropped, control characters replaced), or None past the end."""
    if rel not in cache:
        path = os.path.join(bundle, rel)
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            cache[rel] = f.read().decode("utf-8", errors="replace").split("\n")
    lines = cache[rel]
    if number > len(lines) or (number == len(lines) and lines[-1] == ""):
        return None
    text = lines[number - 1]
    if text.endswith("\r"):
        text = text[:-1]
    return "".join("\ufffd" if (ord(c) < 0x20 and c != "\t") or ord(c) == 0x7f else c
                   for c in text)


def same_line(shown, actual):
    """'exact', 'redacted' or 'cut' when `shown` is how the report may show `actual`."""
    if shown == actual:
        return "exact"
    if any(m in shown for m in REDACTION_MARKERS):
        return "redacted"
    if shown.endswith("\u2026") and actual.startswith(shown[:-1]):
        return "cut"
    return None


def check_citations(dom, bundle, fail):
    """Every citation link lands on an excerpt holding the cited line; returns a summary."""
    ids = {n.attrs["id"]: n for n in dom.walk() if "id" in n.attrs}
    for a in dom.find_all("a"):
        href = a.attrs.get("href", "")
        if href.startswith("#"):
            fail.check(href[1:] in ids, f"link to {href} has no target in the page")
    links = [a for a in dom.find_all("a") if a.attrs.get("href", "").startswith("#ex-")]
    fail.check(len(links) > 0, "no citation links (<a href='#ex-N'>) in the page")
    cache, kinds, checked = {}, {"exact": 0, "redacted": 0, "cut": 0}, set()
    for a in links:
        cited = a.all_text().strip()
        target = ids.get(a.attrs["href"][1:])
        if target is None:
            continue  # reported above
        if not fail.check("excerpt" in classes(target),
                          f"{a.attrs['href']} for {cited!r} is not an excerpt element"):
            continue
        if target.attrs["id"] in checked:
            continue
        checked.add(target.attrs["id"])
        head = next((n for n in target.walk() if "exh" in classes(n)), None)
        fail.check(head is not None and head.all_text().strip() == cited,
                   f"excerpt {target.attrs['id']} is headed "
                   f"{head.all_text().strip() if head else None!r}, the link cites {cited!r}")
        m = re.match(r"^(.*):(\d+)$", cited)
        if not fail.check(m is not None, f"citation link text {cited!r} is not file:line"):
            continue
        rel, number = m.group(1), int(m.group(2))
        rows = [n for n in target.walk() if "l" in classes(n)]
        hl = [n for n in rows if "hl" in classes(n)]
        if not fail.check(len(hl) == 1, f"excerpt of {cited} has {len(hl)} highlighted lines"):
            continue
        prev = None
        for row in rows:
            ln = next((n for n in row.walk() if "ln" in classes(n)), None)
            lt = next((n for n in row.walk() if "lt" in classes(n)), None)
            if not fail.check(ln is not None and lt is not None,
                              f"excerpt of {cited}: a line without number or text"):
                break
            n = int(ln.all_text())
            fail.check(prev is None or n == prev + 1,
                       f"excerpt of {cited}: line {n} does not follow line {prev}")
            prev = n
            if row is hl[0]:
                fail.check(n == number, f"excerpt of {cited} highlights line {n}")
            actual = file_line(bundle, rel, n, cache)
            shown = lt.all_text()
            how = None if actual is None else same_line(shown, actual)
            if how is None:
                at = next((i for i, (x, y) in enumerate(zip(shown, actual or "")) if x != y),
                          min(len(shown), len(actual or "")))
                fail.check(False, f"excerpt of {cited}: line {n} reads "
                                  f"{shown[max(0, at - 20):at + 40]!r} at column {at + 1}, the "
                                  f"file has {(actual or '<no such line>')[max(0, at - 20):at + 40]!r}")
                continue
            if row is hl[0]:
                kinds[how] += 1
    # Citations without an excerpt say why; no file:line is left bare.
    for c in dom.find_all("code"):
        text = c.all_text().strip()
        if not CITATION.match(text):
            continue
        if inside(c, lambda n: "exh" in classes(n)):
            continue  # an excerpt's own heading
        linked = inside(c, lambda n: n.tag == "a" and
                        n.attrs.get("href", "").startswith("#ex-"))
        plain = "cite-none" in classes(c) and c.attrs.get("title")
        fail.check(linked is not None or plain,
                   f"citation {text!r} is neither a link to its excerpt nor says why not")
    return (f"{len(links)} citation links to {len(checked)} excerpts; cited lines "
            f"{kinds['exact']} exact, {kinds['redacted']} redacted, {kinds['cut']} cut")


def record_files(bundle, pattern, findings, fail):
    """The bundle's change/alert/page/ticket record files (by --records), checked against what
    findings.json took for such records."""
    files = sorted(os.path.relpath(p, bundle).replace(os.sep, "/")
                   for p in glob.glob(os.path.join(bundle, pattern)))
    taken = sorted(i["file"] for i in findings.get("inputs") or []
                   if i.get("taken_for") in RECORD_INPUTS)
    fail.check(files == taken, f"record files {files} (--records {pattern!r}) are not the files "
                               f"findings.json took for records: {taken}")
    return files


def check_timeline(dom, bundle, pattern, findings, fail):
    """The timeline holds every record of the bundle; returns (summary, table)."""
    table = next((t for t in dom.find_all("table") if "tlt" in classes(t)), None)
    if not fail.check(table is not None, "no timeline table (table.tlt)"):
        return "", None
    rows = [tr for tr in table.find_all("tr") if "r" in classes(tr)]
    expected = set()
    for rel in record_files(bundle, pattern, findings, fail):
        with open(os.path.join(bundle, rel), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    expected.add(f"{rel}:{number}")
    cited = []
    for tr in rows:
        if tr.attrs.get("data-kind") in RECORD_KINDS:
            cells = tr.find_all("td")
            cited.append(cells[-1].find_all("code")[0].all_text().strip()
                         if cells and cells[-1].find_all("code") else "")
    missing = sorted(expected - set(cited))
    extra = sorted(set(cited) - expected)
    fail.check(not missing, f"timeline lacks records: {missing[:10]}")
    fail.check(not extra, f"timeline has record rows citing no record of the bundle: {extra[:10]}")
    fail.check(len(cited) == len(expected),
               f"timeline has {len(cited)} record rows for {len(expected)} records")
    kinds = [tr.attrs.get("data-kind") for tr in rows]
    if findings.get("onset"):
        fail.check(kinds.count("onset") == 1, "timeline has no onset row")
    if (findings.get("recovery") or {}).get("time"):
        fail.check(kinds.count("recovery") == 1, "timeline has no recovery row")
    fail.check(kinds.count("finding") == len(findings.get("findings") or []),
               f"timeline has {kinds.count('finding')} finding rows for "
               f"{len(findings.get('findings') or [])} findings")
    # Services are named as findings.json names them for the same records.
    named = {s["source"]: s["service"]
             for s in (findings.get("example_request") or {}).get("steps") or []}
    for tr in rows:
        cells = tr.find_all("td")
        codes = cells[-1].find_all("code") if cells else []
        src = codes[0].all_text().strip() if codes else ""
        if src in named and tr.attrs.get("data-kind") == "log":
            fail.check(tr.attrs.get("data-service") == named[src],
                       f"timeline names the service of {src} {tr.attrs.get('data-service')!r}, "
                       f"findings.json {named[src]!r}")
    return (f"timeline {len(rows)} rows: all {len(expected)} change/alert/page/ticket records "
            f"of the bundle", table)


PROBE = """
(function () {
  function shown() {
    var out = [];
    document.querySelectorAll('table.tlt tr.r').forEach(function (tr) {
      out.push(getComputedStyle(tr).display === 'none' ? 0 : 1);
    });
    return out.join('');
  }
  var before = shown();
  document.querySelector('label[for=SERVICE_BOX]').click();
  document.querySelector('label[for=KIND_BOX]').click();
  var filtered = shown();
  document.querySelector('form.tl').reset();
  var after = shown();
  var p = document.createElement('pre');
  p.id = 'probe';
  p.textContent = JSON.stringify({before: before, filtered: filtered, after: after});
  document.body.appendChild(p);
})();
"""


def check_filter(browser, html_path, source, table, out, fail):
    """Clicks a service chip and a kind chip in Chromium and checks which rows are shown."""
    rows = [tr for tr in table.find_all("tr") if "r" in classes(tr)]
    form = inside(table, lambda n: n.tag == "form")
    if not fail.check(form is not None, "the timeline table is not inside the filter form"):
        return ""
    boxes = {i.attrs.get("id"): i for i in form.find_all("input")
             if i.attrs.get("type") == "checkbox"}
    labels = {lab.attrs.get("for") for lab in form.find_all("label")}

    def box_of(row, prefix):
        cls = [c for c in classes(row) if re.fullmatch(prefix + r"\d+", c)]
        return "tl-" + cls[0] if len(cls) == 1 else None

    for tr in rows:
        for prefix in ("s", "k"):
            box = box_of(tr, prefix)
            fail.check(box in boxes and box in labels and "checked" in boxes[box].attrs,
                       f"timeline row {tr.attrs.get('data-kind')} has no checked {prefix} filter "
                       f"box with a chip ({box})")
    # The most common service and the kind "log" (or the most common kind) are switched off.
    by_service, by_kind = {}, {}
    for tr in rows:
        by_service.setdefault(box_of(tr, "s"), []).append(tr)
        by_kind.setdefault(box_of(tr, "k"), []).append(tr)
    service = max(by_service, key=lambda b: len(by_service[b]))
    kind = next((box_of(tr, "k") for tr in rows if tr.attrs.get("data-kind") == "alert"),
                max(by_kind, key=lambda b: len(by_kind[b])))
    script = PROBE.replace("SERVICE_BOX", service).replace("KIND_BOX", kind)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    m = re.search(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', source)
    if not fail.check(m is not None and "default-src 'none'" in m.group(2),
                      "report.html has no Content-Security-Policy with default-src 'none'"):
        return ""
    probed = (source[:m.start()] + m.group(1) + m.group(2) + f"; script-src 'sha256-{digest}'" +
              m.group(3) + source[m.end():]).replace("</body>", f"<script>{script}</script></body>")
    probe_path = os.path.join(out, "report_probe.html")
    with open(probe_path, "w", encoding="utf-8") as f:
        f.write(probed)
    dom = parse_html(run_chromium(browser, "file://" + probe_path, ["--dump-dom"], out))
    pre = next((n for n in dom.find_all("pre") if n.attrs.get("id") == "probe"), None)
    if not fail.check(pre is not None, "the filter probe did not run in Chromium"):
        return ""
    got = json.loads(pre.all_text())
    want = "".join("0" if box_of(tr, "s") == service or box_of(tr, "k") == kind else "1"
                   for tr in rows)
    fail.check(got["before"] == "1" * len(rows), "timeline rows hidden before any filter")
    fail.check(got["filtered"] == want,
               f"after clicking {service} and {kind}, rows shown {got['filtered']}, want {want}")
    fail.check(got["after"] == "1" * len(rows), "the reset button does not show every row again")
    return (f"filter: {service} and {kind} off hide {want.count('0')} of {len(rows)} rows; "
            f"reset shows all")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inquest", required=True)
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--records", default=DEFAULT_RECORDS,
                    help="glob (inside the bundle) of the change, alert, page and ticket record "
                         "files, JSON lines")
    args = ap.parse_args()

    browser = chromium_binary()
    if browser is None:
        print("SKIP: no chromium on this machine (scripts/dev setup installs it)")
        return SKIP
    out = os.path.abspath(args.out)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    report_dir = os.path.join(out, "report")
    env = dict(os.environ, NO_COLOR="1", TZ="UTC")
    r = subprocess.run([args.inquest, "analyze", args.bundle, "--out", report_dir],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if r.returncode not in (0, 1):
        sys.stderr.write(r.stderr.decode(errors="replace"))
        print(f"FAIL: inquest analyze exited with {r.returncode}")
        return 1
    html_path = os.path.join(report_dir, "report.html")
    with open(os.path.join(report_dir, "findings.json")) as f:
        findings = json.load(f)
    with open(html_path, encoding="utf-8") as f:
        source = f.read()

    fail = Failures()
    ext = external_urls_in_source(source)
    fail.check(not ext, "report.html loads external resources: " + ", ".join(ext[:5]))
    fail.check("<script" not in source.lower(), "report.html holds a script")

    url = "file://" + html_path
    netlog = os.path.join(out, "netlog.json")
    dom_text = run_chromium(browser, url, ["--log-net-log=" + netlog, "--dump-dom"], out)
    with open(os.path.join(out, "dom.html"), "w", encoding="utf-8") as f:
        f.write(dom_text)
    reqs = page_requests(netlog)
    fail.check(not reqs, "the page made network requests: " + ", ".join(reqs[:5]))

    dom = parse_html(dom_text)
    svgs = dom.find_all("svg")
    summary = ""
    if fail.check(len(svgs) > 0, "no <svg> in the rendered page"):
        svg = max(svgs, key=lambda s: sum(1 for _ in s.walk()))
        summary = check_chart(svg, findings, fail)
    check_tables(dom, findings, fail)
    bundle = os.path.abspath(args.bundle)
    summaries = [summary, check_citations(dom, bundle, fail)]
    timeline_summary, table = check_timeline(dom, bundle, args.records, findings, fail)
    summaries.append(timeline_summary)
    if table is not None:
        summaries.append(check_filter(browser, html_path, source, table, out, fail))

    shot = os.path.join(out, "report.png")
    run_chromium(browser, url, ["--hide-scrollbars", "--window-size=%d,%d" % WINDOW,
                                "--screenshot=" + shot], out)
    size = png_size(shot) if os.path.exists(shot) else None
    if fail.check(size is not None, f"no PNG screenshot at {shot}"):
        fail.check(size == WINDOW, f"screenshot is {size}, want {WINDOW}")
        fail.check(os.path.getsize(shot) >= MIN_SCREENSHOT_BYTES,
                   f"screenshot is only {os.path.getsize(shot)} bytes: blank page?")

    return fail.finish(summaries + [f"screenshot: {shot}"])


if __name__ == "__main__":
    sys.exit(main())
