#!/usr/bin/env python3
"""End-to-end bad-input test for `inquest trace`: a trace export cut at every few bytes, wrong
JSON types, ids of the wrong length, end before start, a span that is its own parent, absurd
durations, a parent cycle, deep nesting, a gzip file cut short, and a file that is no trace at
all. Nothing crashes or hangs, every problem is named with file and byte offset (or span id) on
stderr, the rest is analysed, exit codes follow DESIGN.md (0 done, 3 bad input).

    traces_bad_input_test.py PATH/TO/inquest
"""
import gzip
import json
import os
import subprocess
import sys
import tempfile

INQUEST = os.path.abspath(sys.argv[1])
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(*args):
    p = subprocess.run([INQUEST, "trace", *args], capture_output=True, timeout=60,
                       env=dict(os.environ, NO_COLOR="1"))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def span(i, parent=None, start=1780059068000000000, dur=1000000, **extra):
    s = {"traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": "%016x" % (i + 1),
         "name": "op-%d" % i, "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + dur)}
    if parent is not None:
        s["parentSpanId"] = "%016x" % (parent + 1)
    s.update(extra)
    return s


def otlp(spans):
    return json.dumps({"resourceSpans": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": "svc"}}]},
        "scopeSpans": [{"spans": spans}]}]}, indent=1)


with tempfile.TemporaryDirectory() as d:
    good = [span(0, dur=50000000)] + [span(i, 0, 1780059068000000000 + i * 1000000)
                                      for i in range(1, 40)]
    text = otlp(good)
    path = os.path.join(d, "good.json")
    open(path, "w").write(text)
    code, out, err = run(path, "--id", "0102030405060708090a0b0c0d0e0f10")
    check(code == 0 and "40 spans" in out, "the whole file reads: 40 spans")

    # Cut at many points: never a crash, spans before the cut kept, the cut reported.
    crashed, unreported = [], []
    for cut in range(1, len(text), max(1, len(text) // 60)):
        p = os.path.join(d, "cut.json")
        open(p, "w").write(text[:cut])
        code, out, err = run(p)
        if code not in (0, 3):
            crashed.append((cut, code))
        elif code == 0 and "cut.json: byte" not in err:
            unreported.append(cut)
    check(not crashed, "truncated files never crash (exit 0 or 3): %s" % crashed[:3])
    check(not unreported, "every truncation is reported with a byte offset: %s" % unreported[:3])

    bad = [span(0, dur=100000000),
           span(1, 1, spanId="%016x" % 2, parentSpanId="%016x" % 2),  # its own parent
           span(2, 0, dur=-5000),                                      # ends before it starts
           span(3, 0, dur=10 ** 18),                                   # absurd duration
           span(4, 0, spanId="abc"),                                   # wrong length
           span(5, 0, name=17),                                        # wrong type
           span(6, 7), span(7, 6),                                     # a cycle
           span(8, 99)]                                                # an orphan
    p = os.path.join(d, "bad.json")
    open(p, "w").write(otlp(bad))
    code, out, err = run(p, "--id", "0102030405060708090a0b0c0d0e0f10")
    check(code == 0, "bad spans: exit 0, the rest analysed (%d)" % code)
    for what in ["span 0000000000000002: is its own parent", "ends 5µs before it starts",
                 "absurd duration", "span id 'abc' is neither", "field \"name\"",
                 "cycle of parents", "parent 0000000000000064 is not in the trace"]:
        check(what in err, "reported: " + what)
    check("svc op-0" in out and "(missing parent 0000000000000064)" in out, "the rest is drawn")

    deep = "[" * 100000 + "]" * 100000
    p = os.path.join(d, "deep.json")
    open(p, "w").write('[{"traceId": "1e223ff1f80f1c69", "id": ' + deep + "}]")
    code, out, err = run(p)
    check(code in (0, 3) and "deep.json" in err, "deep nesting: an error naming the file")

    p = os.path.join(d, "cut.json.gz")
    raw = gzip.compress(text.encode())
    open(p, "wb").write(raw[: len(raw) // 2])
    code, out, err = run(p)
    check(code in (0, 3) and "cut.json.gz" in err, "truncated gzip: named, no crash (%d)" % code)

    p = os.path.join(d, "notes.txt")
    open(p, "w").write("not a trace\n")
    code, out, err = run(p, path)
    check(code == 3 and "notes.txt" in err and "40 spans" in err,
          "a file that is no trace: exit 3, named, the other file still read")

if failures:
    print("%d failed" % len(failures))
    sys.exit(1)
print("all passed")
