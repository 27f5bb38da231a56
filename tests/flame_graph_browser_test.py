#!/usr/bin/env python3
"""Flame graph SVGs (src/profile/flame_graph.h) in a real browser, headless Chromium.

profile_test writes two graphs of synthetic profiles when INQUEST_FLAME_SVG_OUT names a folder
(FlameGraph.WritesBrowserTestGraphsWhenAsked): cpu.svg (time, warm colours, hostile names such
as x<&">' and C++ templates, 300 narrow frames, a negative stack) and heap.svg (bytes, cool
colours). For each this checks that:
  - the file is well-formed XML with an <svg> root, holds no script, no stylesheet and names no
    external resource;
  - inlined in an HTML page as report.html inlines it, Chromium shows one <g> with a <title>
    and a <rect> per rectangle profile_test reported, the titles read back unescaped (the
    hostile names come out exactly), every label fits inside its rectangle as Chromium measures
    the text, and the widest frame's label is on top at its own position (visible, not
    covered);
  - the graph says what it left out (narrow frames, negative stacks) in its note;
  - a screenshot of the SVG file on its own is not blank and its colours are the palette of the
    unit: mostly warm for cpu.svg, mostly cool for heap.svg. The PNGs stay in OUT for a person
    to look at.

  tests/flame_graph_browser_test.py --profile-test BUILD/profile_test --out BUILD/browser-flame

Exit codes: 0 pass, 1 fail, 77 skipped (no Chromium on this machine).
"""

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_support import Failures, chromium_binary, run_chromium  # noqa: E402

SKIP = 77
SVG_NS = "{http://www.w3.org/2000/svg}"
GTEST_FILTER = "FlameGraph.WritesBrowserTestGraphsWhenAsked"
# Names profile_test puts in cpu.svg that need escaping; they must read back exactly.
HOSTILE_NAMES = ["x<&\">'", "main.Map[go.shape.string,go.shape.int]"]
# Chromium's text measure may exceed the 0.6 em estimate by rounding; more is a real overflow.
FIT_SLACK_PX = 0.5
# Share of the screenshot's pixels that must be drawn (not white): the rectangles of the
# synthetic graphs cover far more than that; a blank or error page covers nothing.
MIN_INKED = 0.15
# Share of the coloured pixels that must be of the unit's palette.
MIN_PALETTE = 0.8
# Headless Chromium paints only part of the page in a window shorter than about 150 px; the
# screenshot window is at least this tall and only the rows of the graph are looked at.
MIN_WINDOW_HEIGHT = 300

PROBE = """
(function () {
  var out = {groups: 0, titles: [], overflow: [], widest: null};
  var gs = document.querySelectorAll('svg.flame g');
  var best = null;
  gs.forEach(function (g) {
    var t = g.querySelector('title'), r = g.querySelector('rect'), x = g.querySelector('text');
    if (!t || !r) return;
    out.groups++;
    out.titles.push(t.textContent);
    var w = r.getBBox().width;
    if (x) {
      var len = x.getComputedTextLength();
      if (x.getBBox().x + len > r.getBBox().x + w + FIT_SLACK) {
        out.overflow.push([t.textContent.split('\\n')[0], x.textContent, len, w]);
      }
    }
    if (g !== gs[0] && x && (best === null || w > best.w)) best = {g: g, x: x, w: w};
  });
  if (best) {
    var box = best.x.getBoundingClientRect();
    var hit = document.elementFromPoint(box.left + Math.min(box.width / 2, 20),
                                        box.top + box.height / 2);
    out.widest = {name: best.g.querySelector('title').textContent.split('\\n')[0],
                  label: best.x.textContent, width: best.w,
                  on_top: hit === best.x || (hit !== null && best.g.contains(hit))};
  }
  var p = document.createElement('pre');
  p.id = 'probe';
  p.textContent = JSON.stringify(out);
  document.body.appendChild(p);
})();
"""




def png_pixels(path):
    """(width, height, rows of (r, g, b)) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, idat, head = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    width, height, depth, color, _, _, interlace = head
    if depth != 8 or color not in (2, 6) or interlace:
        return None
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pred) & 0xFF
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, bpp)])
        prev = line
    return width, height, rows


def check_source(name, text, fail):
    """Well-formed, self-contained; returns the parsed root (or None)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        fail.check(False, f"{name} is not well-formed XML: {e}")
        return None
    fail.check(root.tag == SVG_NS + "svg", f"{name}: root element is {root.tag}, not svg")
    tags = {el.tag.replace(SVG_NS, "") for el in root.iter()}
    fail.check("script" not in tags, f"{name} holds a script")
    fail.check("style" not in tags, f"{name} holds a stylesheet")
    fail.check("foreignObject" not in tags, f"{name} holds a foreignObject")
    urls = re.findall(r"(?:https?:)?//[^\s\"'<>]+", text)
    fail.check(all(u == "http://www.w3.org/2000/svg" for u in urls),
               f"{name} names external resources: {urls[:5]}")
    fail.check("href" not in text and "url(" not in text, f"{name} links to something")
    return root


def check_graph(browser, out, name, reported, fail):
    """One graph; returns a summary line."""
    path = os.path.join(out, name)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    root = check_source(name, text, fail)
    if root is None:
        return ""
    groups = [g for g in root.iter(SVG_NS + "g")
              if g.find(SVG_NS + "title") is not None and g.find(SVG_NS + "rect") is not None]
    fail.check(len(groups) == reported["rects"],
               f"{name}: {len(groups)} titled rectangles in the file, profile_test drew "
               f"{reported['rects']}")
    notes = " ".join(t.text or "" for t in root.iter(SVG_NS + "text")
                     if t.get("class") == "note")
    if reported["narrow"]:
        fail.check(re.search(rf"\b{reported['narrow']:,} frames? narrower than", notes),
                   f"{name}: the note does not say {reported['narrow']} narrow frames were "
                   f"left out: {notes!r}")
    if reported["negative"]:
        fail.check(re.search(rf"\b{reported['negative']} stacks? with a negative value", notes),
                   f"{name}: the note does not mention the negative stacks: {notes!r}")

    # Inlined in an HTML page, as report.html does, with a probe script.
    body = text[text.index("<svg"):]
    page = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n" + body +
            "<script>" + PROBE.replace("FIT_SLACK", str(FIT_SLACK_PX)) + "</script></body></html>")
    page_path = os.path.join(out, name.replace(".svg", "_probe.html"))
    with open(page_path, "w", encoding="utf-8") as f:
        f.write(page)
    dom = run_chromium(browser, "file://" + page_path, ["--dump-dom"], out)
    m = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    if not fail.check(m is not None, f"{name}: the probe did not run in Chromium"):
        return ""
    got = json.loads(m.group(1).replace("&lt;", "<").replace("&gt;", ">")
                     .replace("&quot;", '"').replace("&amp;", "&"))
    fail.check(got["groups"] == reported["rects"],
               f"{name}: Chromium shows {got['groups']} titled rectangles, profile_test drew "
               f"{reported['rects']}")
    fail.check(not got["overflow"], f"{name}: labels overflow their rectangles: "
                                    f"{got['overflow'][:5]}")
    names = {t.split("\n")[0] for t in got["titles"]}
    if name == "cpu.svg":
        for hostile in HOSTILE_NAMES:
            fail.check(hostile in names, f"{name}: no title reads {hostile!r} in Chromium")
    for t in got["titles"]:
        fail.check(re.search(r"\n.+ \(\d+\.\d\d% of total\)", t) is not None,
                   f"{name}: title {t!r} gives no value and share")
    widest = got["widest"]
    if fail.check(widest is not None, f"{name}: no labelled frame besides \"all\""):
        fail.check(widest["on_top"], f"{name}: the widest frame's label {widest['label']!r} is "
                                     f"covered")
        fail.check(widest["label"] == widest["name"],
                   f"{name}: the widest frame's label {widest['label']!r} is cut although "
                   f"{widest['width']:.0f} px wide")

    # The file on its own, screenshot at its size.
    width, height = int(root.get("width")), int(root.get("height"))
    shot = os.path.join(out, name.replace(".svg", ".png"))
    window = (width, max(height, MIN_WINDOW_HEIGHT))
    run_chromium(browser, "file://" + path, ["--hide-scrollbars", "--window-size=%d,%d" % window,
                                             "--screenshot=" + shot], out)
    pixels = png_pixels(shot) if os.path.exists(shot) else None
    if not fail.check(pixels is not None, f"{name}: no 8-bit PNG screenshot at {shot}"):
        return ""
    w, h, rows = pixels
    fail.check((w, h) == window, f"{name}: screenshot is {w}x{h}, want {window[0]}x{window[1]}")
    flat = [p for row in rows[:height] for p in row[:width]]
    inked = [p for p in flat if min(p) < 240]
    coloured = [p for p in inked if max(p) - min(p) > 40]
    warm = sum(1 for r, g, b in coloured if r > b + 40)
    cool = sum(1 for r, g, b in coloured if b > r + 40 or g > r + 40)
    fail.check(len(inked) >= MIN_INKED * len(flat),
               f"{name}: the graph's {width}x{height} px of the screenshot are "
               f"{len(inked) / len(flat):.0%} drawn: blank?")
    share = (warm if name == "cpu.svg" else cool) / max(1, len(coloured))
    fail.check(share >= MIN_PALETTE,
               f"{name}: only {share:.0%} of the coloured pixels are "
               f"{'warm' if name == 'cpu.svg' else 'cool'}")
    return (f"{name}: {got['groups']} rectangles in Chromium, {len(got['overflow'])} labels "
            f"overflow, widest label "
            f"{widest['label'] if widest else None!r} on top; screenshot of {width}x{height} px "
            f"{len(inked) / len(flat):.0%} drawn, {share:.0%} of the palette; {shot}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile-test", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    browser = chromium_binary()
    if browser is None:
        print("SKIP: no chromium on this machine (scripts/dev setup installs it)")
        return SKIP
    out = os.path.abspath(args.out)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    r = subprocess.run([args.profile_test, "--gtest_filter=" + GTEST_FILTER],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=dict(os.environ, INQUEST_FLAME_SVG_OUT=out))
    log = r.stdout.decode(errors="replace")
    if r.returncode != 0:
        sys.stderr.write(log[-4000:])
        print(f"FAIL: profile_test exited with {r.returncode}")
        return 1
    reported = {}
    for m in re.finditer(r"\[flame\] (\S+): (\d+) rectangles, (\d+) narrow, (\d+) negative", log):
        reported[m.group(1)] = {"rects": int(m.group(2)), "narrow": int(m.group(3)),
                                "negative": int(m.group(4))}
    fail = Failures()
    summaries = []
    for name in ("cpu.svg", "heap.svg"):
        if fail.check(name in reported, f"profile_test did not write {name}: {log[-2000:]}"):
            summaries.append(check_graph(browser, out, name, reported[name], fail))
    return fail.finish(summaries)


if __name__ == "__main__":
    sys.exit(main())
