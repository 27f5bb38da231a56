#!/usr/bin/env python3
"""End-to-end bad-input test: garbage, invalid UTF-8, wrong JSON types, a 10 MiB line, records
without a time, a truncated last line, an empty file, a truncated gzip and a decompression bomb,
through `inquest timeline`, `inquest rate` and `inquest analyze`. Every bad record is named with file and line on
stderr, the rest is read, nothing crashes or hangs, exit codes follow DESIGN.md.

    bad_input_test.py PATH/TO/inquest
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


def run(*args, cwd):
    p = subprocess.run([INQUEST, *args], cwd=cwd, capture_output=True, timeout=120,
                       env=dict(os.environ, NO_COLOR="1"))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def good(i):
    return json.dumps({"ts": "2026-05-29T14:%02d:%02dZ" % (i // 60 % 60, i % 60),
                       "level": "error" if i % 10 == 0 else "info",
                       "msg": "event %d" % i, "request_id": "r%d" % i, "service": "api"})


def write_bundle(d):
    lines = [good(i).encode() for i in range(200)]
    # 1-based line numbers of what we plant, after insertion.
    planted = {
        11: b'{"ts": "2026-05-29T14:00:30Z", "level": "error", "msg": "caf\xe9 \xff latin-1"}',
        21: b'{"ts": 12, "level": ["x"], "msg": {"nested": true}}',
        31: b'{"level": "warn", "msg": "no time here"}',
        41: b'{"ts": "2026-05-29T14:00:41Z", "msg": "' + b"x" * (10 << 20) + b'"}',
        46: b"not json at all",
    }
    for line_no in sorted(planted):
        lines.insert(line_no - 1, planted[line_no])
    body = b"\n".join(lines) + b'\n{"ts": "2026-05-29T14:59:00Z", "msg": "cut off'
    with open(os.path.join(d, "app.jsonl"), "wb") as f:
        f.write(body)
    total_lines = len(lines) + 1
    with open(os.path.join(d, "garbage.bin"), "wb") as f:
        f.write(bytes((i * 7919 + 13) % 256 for i in range(200000)))
    open(os.path.join(d, "empty.log"), "wb").close()
    packed = gzip.compress(b"\n".join(good(i).encode() for i in range(2000)) + b"\n")
    with open(os.path.join(d, "cut.jsonl.gz"), "wb") as f:
        f.write(packed[: len(packed) // 2])
    return total_lines


with tempfile.TemporaryDirectory() as d:
    total_lines = write_bundle(d)

    code, out, err = run("timeline", "--format", "json", "garbage.bin", cwd=d)
    check(code == 3, "garbage alone: exit 3 (got %d)" % code)
    check("garbage.bin" in err, "garbage alone: the error names the file")

    code, out, err = run("timeline", "--format", "json", "app.jsonl", cwd=d)
    events = [json.loads(l) for l in out.splitlines()]
    check(code == 0, "app.jsonl: exit 0 (got %d)" % code)
    # Two lines are not records (46: not JSON, the last: cut off); everything else is kept.
    check(len(events) == total_lines - 2,
          "app.jsonl: %d of %d lines kept as events" % (len(events), total_lines))
    check("app.jsonl:46" in err, "app.jsonl: the non-JSON line is named with its line")
    check("app.jsonl:%d" % total_lines in err, "app.jsonl: the cut-off last line is named")
    check("without a time" in err, "app.jsonl: records without a time are reported")
    repaired = [e for e in events if e["source"] == "app.jsonl:11"]
    check(len(repaired) == 1 and "\ufffd" in repaired[0]["message"],
          "app.jsonl: the invalid UTF-8 record is kept, with U+FFFD")
    big = [e for e in events if e["source"] == "app.jsonl:41"]
    check(len(big) == 1 and len(big[0]["message"]) == 10 << 20, "app.jsonl: the 10 MiB line is whole")
    times = [e["time"] for e in events]
    check(times == sorted(times), "app.jsonl: events come out in time order")

    code, out, err = run("timeline", "--format", "json", "cut.jsonl.gz", cwd=d)
    n = len(out.splitlines())
    check(code == 0 and 0 < n < 2000, "truncated gzip: what was readable is read (%d events)" % n)
    check("truncated gzip" in err and "cut.jsonl.gz" in err, "truncated gzip: said, with the file")

    code, out, err = run("timeline", "empty.log", cwd=d)
    check(code == 0 and "empty" in err, "empty file: exit 0 and a warning")

    code, out, err = run("analyze", d, "--out", os.path.join(d, "report"), cwd=d)
    check(code in (0, 1), "analyze on the bad bundle finishes (exit %d)" % code)
    path = os.path.join(d, "report", "findings.json")
    check(os.path.exists(path), "analyze wrote findings.json")
    if os.path.exists(path):
        findings = json.load(open(path))
        inputs = {os.path.basename(i.get("path", i.get("file", ""))): i
                  for i in findings.get("inputs", [])}
        check(set(inputs) >= {"app.jsonl", "garbage.bin", "empty.log", "cut.jsonl.gz"},
              "analyze lists every input file, including the unreadable ones")

# A decompression bomb: 100 MiB of one repeated log line in a few KB of zstd (zstd, from the
# test packages, packs it thousands of times; gzip cannot pass about 1,000). Every reader stops
# at the expansion ratio with exit 3 and the file's name, in bounded memory; a user who trusts
# the file raises --max-ratio.
with tempfile.TemporaryDirectory() as d:
    line = good(7).encode() + b"\n"
    raw = line * ((100 << 20) // len(line))
    packed = subprocess.run(["zstd", "-q", "-c"], input=raw, capture_output=True, check=True).stdout
    check(len(packed) * 2000 < len(raw), "bomb: %d bytes expand to %d" % (len(packed), len(raw)))
    with open(os.path.join(d, "bomb.jsonl.zst"), "wb") as f:
        f.write(packed)
    for cmd in (["timeline", "bomb.jsonl.zst"], ["rate", "--by", "1m", "bomb.jsonl.zst"]):
        code, out, err = run(*cmd, cwd=d)
        check(code == 3 and "bomb.jsonl.zst" in err and "--max-ratio" in err,
              "bomb: %s stops with exit 3 naming the file and the flag (exit %d: %s)"
              % (cmd[0], code, err.strip()[-200:]))
    # analyze goes on with the other evidence and lists the bomb as not read, with the reason.
    with open(os.path.join(d, "app.jsonl"), "w") as f:
        f.write("\n".join(good(i) for i in range(300)) + "\n")
    code, out, err = run("analyze", d, "--out", os.path.join(d, "report"), cwd=d)
    check(code in (0, 1), "bomb: analyze finishes on the rest of the bundle (exit %d)" % code)
    path = os.path.join(d, "report", "findings.json")
    inputs = json.load(open(path)).get("inputs", []) if os.path.exists(path) else []
    bomb = [i for i in inputs if "bomb.jsonl.zst" in i.get("file", i.get("path", ""))]
    check(len(bomb) == 1 and "--max-ratio" in json.dumps(bomb[0]),
          "bomb: analyze lists it as not read, saying why (%s)" % bomb)
    code, out, err = run("rate", "--by", "1m", "--max-ratio", "1000000", "bomb.jsonl.zst", cwd=d)
    check(code in (0, 1) and str(len(raw) // len(line)) in out,
          "bomb: rate reads it whole once --max-ratio is raised (exit %d)" % code)

# One record dated a year before the others (a stray line, a misread date) is named with its
# file and line and left out of the windows; it must not stretch them over a year.
with tempfile.TemporaryDirectory() as d:
    stray = json.dumps({"ts": "2025-05-29T14:00:00Z", "level": "error", "msg": "stray",
                        "request_id": "old", "service": "api"})
    with open(os.path.join(d, "app.jsonl"), "w") as f:
        f.write("\n".join([good(i) for i in range(150)] + [stray] +
                          [good(i) for i in range(150, 300)]) + "\n")
    code, out, err = run("analyze", d, "--out", os.path.join(d, "report"), cwd=d)
    check(code in (0, 1), "stray record: analyze finishes (exit %d: %s)" % (code, err.strip()[-200:]))
    check("app.jsonl: line 151: dated 2025-05-29T14:00:00" in err,
          "stray record: named with its file and line on stderr")
    # --since leaves it out by the user's choice instead, and the findings say so.
    code, out, err = run("analyze", d, "--out", os.path.join(d, "r2"), "--since",
                         "2026-01-01T00:00:00Z", "--by", "5m", cwd=d)
    notes = json.load(open(os.path.join(d, "r2", "findings.json"))).get("notes", []) \
        if code in (0, 1) else []
    check(any("1 log records outside --since/--until" in n for n in notes),
          "stray record: --since leaves it out and says so (exit %d, notes %s)" % (code, notes))

sys.exit(1 if failures else 0)
