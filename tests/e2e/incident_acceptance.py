#!/usr/bin/env python3
"""Acceptance of `inquest analyze` on generated incidents it was not built around.

For each seed, examples/generate_incident.py writes a bundle and its truth.json into a
temporary folder; `inquest analyze` reads the bundle; its findings.json is checked against the
truth:

  onset     the onset within ONSET_TOLERANCE_S of the true one
  trigger   the true trigger's record (file:line) ranked first among the changes
  failed    failed requests within FAILED_TOLERANCE of the true count
  alert     the first alert at the true first alert's time
  signal    the first signal (alert, page or customer ticket) at the true one's time
  records   the alert, page and ticket exports each taken for what they are
  patterns  every planted contributing-factor pattern reported, none that was not planted
  skew      every skewed host reported with its offset within SKEW_TOLERANCE_S, no other host
  shipped   every ranked change lists under "shipped" exactly the records the truth says it
            shipped by explicit reference (a deploy naming a PR's number or merge commit, or a
            git log range), and no record a deploy shipped is ranked on its own

It prints one row per seed (ok or FAIL for each check), the values behind every failure, the
pass rate of each check, and exits 1 when any check failed.

    tests/e2e/incident_acceptance.py --inquest build/inquest --seeds 20 [--keep DIR]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples"))
from incidentgen.bundle import write_bundle  # noqa: E402

# The tolerances of the acceptance check (the contract analyze is held to).
ONSET_TOLERANCE_S = 60
FAILED_TOLERANCE = 0.05
SKEW_TOLERANCE_S = 0.5
# Alert, page and ticket times are written to the second; a reader that keeps them exactly is
# at most this far off.
SIGNAL_TOLERANCE_S = 1.0
# Contributing-factor patterns analyze reports from logs, changes and signals (the finding
# kinds of src/timeline/detectors). The generator plants any of them; a reported kind outside
# this list (trace, dump or core findings) is shown but not judged.
PATTERNS = {"cache-stampede", "retry-storm", "saturation", "missing-alert", "detection-gap",
            "one-step-rollout"}
CHECKS = ["onset", "trigger", "failed", "alert", "signal", "records", "patterns", "skew",
          "shipped"]
# One bundle's analysis on a busy machine: far more than it should ever take.
ANALYZE_TIMEOUT_S = 600


def ts(text):
    """Seconds since the epoch of an RFC 3339 time, or None."""
    if not text:
        return None
    text = text.replace("Z", "+00:00")
    m = re.match(r"(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)", text)
    if not m:
        return None
    frac = float(m.group(2)) if m.group(2) else 0.0
    return datetime.fromisoformat(m.group(1) + (m.group(3) or "+00:00")).timestamp() + frac


def near(a, b, tol):
    return a is not None and b is not None and abs(a - b) <= tol


def check_detection(truth, fj):
    det = fj.get("detection") or {}
    want = truth["detection"]
    out = {}
    fa = det.get("first_alert") or {}
    wa = want["first_alert"]
    out["alert"] = (near(ts(fa.get("time")), ts(wa["time"]), SIGNAL_TOLERANCE_S) if wa
                    else not fa,
                    f"first alert {fa.get('time')} ({fa.get('source')}), "
                    f"true {wa and wa['time']}")
    fs = det.get("first_signal") or {}
    ws = want["first_signal"]
    ok = near(ts(fs.get("time")), ts(ws["time"]), SIGNAL_TOLERANCE_S) and \
        bool(fs.get("from_customer")) == ws["from_customer"]
    out["signal"] = (ok, f"first signal {fs.get('kind')} {fs.get('time')} customer="
                         f"{fs.get('from_customer')}, true {ws['kind']} {ws['time']} "
                         f"customer={ws['from_customer']}")
    taken = {i.get("file"): i.get("taken_for", "") for i in fj.get("inputs", [])}
    bad = []
    for kind in ("alert", "page", "ticket"):
        f = want[f"first_{kind}"]["file"]
        if not taken.get(f, "").startswith(kind):
            bad.append(f"{f} ({kind}s) taken for {taken.get(f)!r}")
    out["records"] = (not bad, "; ".join(bad) or "alert, page and ticket exports recognised")
    return out


def reported_skew(fj):
    """host (as reported) -> offset in seconds (positive: the host's clock is ahead), from
    clock-skew findings ("The clock of H runs about 3.2 s behind G's") or a top-level list of
    objects with a host and an offset."""
    out = {}
    for f in fj.get("findings", []):
        if "skew" not in f.get("kind", ""):
            continue
        text = f"{f.get('title', '')}"
        host = (f.get("subject") or f.get("service") or "").split(" vs ")[0].strip()
        m = re.search(r"clock of (\S+)", text)
        if m:
            host, text = m.group(1), text[m.end():]  # the offset follows the host's name
        m = re.search(r"([-+]?\d+(?:\.\d+)?)\s*(ms|s|µs|us)\b", text)
        if not m:
            out[host] = None
            continue
        v = float(m.group(1)) / {"ms": 1e3, "s": 1.0, "µs": 1e6, "us": 1e6}[m.group(2)]
        if "behind" in text:
            v = -abs(v)
        elif "ahead" in text:
            v = abs(v)
        out[host] = v
    for key, val in fj.items():
        if "skew" in key and isinstance(val, list):
            for o in val:
                if not isinstance(o, dict):
                    continue
                host = o.get("host") or o.get("name") or ""
                off = next((o[k] for k in o if "offset" in k and isinstance(o[k], (int, float))),
                           None)
                if off is not None and next((k for k in o if "offset" in k), "").endswith("ms"):
                    off /= 1e3
                out[host] = off
    return out


def names_host(reported, host):
    """Whether a reported host (a name, or a file path holding the host's logs) is `host`: the
    name itself, or a path component that is the name or starts with it and a separator."""
    for part in re.split(r"[/\\\s]+", reported):
        if part == host or (part.startswith(host) and part[len(host):len(host) + 1] in "-._"
                            and len(part) > len(host)):
            return True
    return False


def check_skew(truth, fj):
    want = truth["skewed_hosts"]
    got = reported_skew(fj)

    def match(h):
        return next((r for r in got if r and names_host(r, h)), None)

    bad = []
    for h, off in sorted(want.items()):
        r = match(h)
        if r is None:
            bad.append(f"{h} {off:+.1f}s not found")
        elif got[r] is None or abs(got[r] - off) > SKEW_TOLERANCE_S:
            bad.append(f"{h} {off:+.1f}s reported {got[r]}")
    for r in got:
        if not any(r and names_host(r, h) for h in want):
            bad.append(f"{r} reported ({got[r]}) but not skewed")
    planted = ", ".join(f"{h} {o:+.1f}s" for h, o in sorted(want.items())) or "none"
    return (not bad, f"planted {planted}; " + ("; ".join(bad) if bad else "all found"))


def check_shipped(truth, fj):
    """Each ranked change's "shipped" sources against the truth's links (deploy file:line ->
    shipped file:line); a shipped record ranked on its own is a link missed."""
    links = {(x["deploy"], x["shipped"]) for x in truth.get("links", [])}
    shipped = {x for _, x in links}
    bad = []
    for c in fj.get("changes") or []:
        src = c.get("source")
        want = {x for d, x in links if d == src}
        got = {s.get("source") for s in c.get("shipped") or []}
        if got != want:
            bad.append(f"{src} ships {sorted(got)}, true {sorted(want)}")
        if src in shipped:
            bad.append(f"{src} ranked on its own, though shipped by "
                       f"{sorted(d for d, x in links if x == src)}")
    mode = truth.get("link_mode")
    return (not bad, f"link {mode or 'n/a'}, {len(links)} planted; " +
            ("; ".join(bad) if bad else "all as planted"))


def check_seed(truth, fj):
    res = {}
    on = ts((fj.get("onset") or {}).get("time"))
    true_on = ts(truth["onset"])
    res["onset"] = (near(on, true_on, ONSET_TOLERANCE_S),
                    f"onset {(fj.get('onset') or {}).get('time')}, true {truth['onset']}"
                    + (f" ({on - true_on:+.0f}s)" if on else ""))
    tr = truth["trigger"]
    want = f"{tr['file']}:{tr['line']}"
    ch = fj.get("changes") or []
    top = ch[0] if ch else {}
    rank = next((i + 1 for i, c in enumerate(ch) if c.get("source") == want), None)
    res["trigger"] = (top.get("source") == want,
                      f"first {top.get('source')} {top.get('time')} {top.get('what', '')[:60]!r}; "
                      f"true {want} {tr['time']} ({tr['ref']}) ranked {rank or 'not at all'}")
    failed = (fj.get("impact") or {}).get("failed")
    wf = truth["failed_requests"]
    res["failed"] = (failed is not None and abs(failed - wf) <= FAILED_TOLERANCE * wf,
                     f"failed {failed}, true {wf}")
    res.update(check_detection(truth, fj))
    kinds = {f.get("kind") for f in fj.get("findings", [])}
    got = kinds & PATTERNS
    want_p = set(truth["patterns"])
    missing, extra = sorted(want_p - got), sorted(got - want_p)
    others = sorted(k for k in kinds - PATTERNS if k and "skew" not in k)
    res["patterns"] = (not missing and not extra,
                       f"planted {sorted(want_p)}; missing {missing}, not planted {extra}"
                       + (f"; other kinds {others}" if others else ""))
    res["skew"] = check_skew(truth, fj)
    res["shipped"] = check_shipped(truth, fj)
    return res


def run_seed(inquest, seed, work):
    bundle = os.path.join(work, f"seed-{seed}")
    out = os.path.join(work, f"report-{seed}")
    for stale in (bundle, out):
        shutil.rmtree(stale, ignore_errors=True)
    # The truth is kept out of the bundle so that analyze cannot read it as evidence.
    truth = write_bundle(bundle, seed, os.path.join(work, f"truth-{seed}.json"))
    start = time.monotonic()
    try:
        p = subprocess.run([inquest, "analyze", bundle, "--out", out], capture_output=True,
                           text=True, timeout=ANALYZE_TIMEOUT_S)
        code, err = p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        code, err = None, f"timed out after {ANALYZE_TIMEOUT_S} s"
    secs = time.monotonic() - start
    path = os.path.join(out, "findings.json")
    if code != 0 or not os.path.exists(path):
        why = f"analyze exit {code}: {err.strip()[-300:]}"
        return truth, {c: (False, why) for c in CHECKS}, secs
    with open(path) as f:
        fj = json.load(f)
    return truth, check_seed(truth, fj), secs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inquest", required=True)
    ap.add_argument("--seeds", type=int, default=20, help="seeds 1..N")
    ap.add_argument("--first", type=int, default=1, help="first seed")
    ap.add_argument("--keep", help="write bundles and reports here and keep them")
    args = ap.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="inquest-acceptance-")
    os.makedirs(work, exist_ok=True)
    rows = []
    head = f"{'seed':>4} {'scenario':<16}" + "".join(f" {c:<8}" for c in CHECKS) + "  secs"
    print(head)
    for seed in range(args.first, args.first + args.seeds):
        truth, res, secs = run_seed(args.inquest, seed, work)
        rows.append((seed, truth, res))
        print(f"{seed:>4} {truth['scenario']:<16}" +
              "".join(f" {'ok' if res[c][0] else 'FAIL':<8}" for c in CHECKS) + f"  {secs:4.1f}",
              flush=True)
        for c in CHECKS:
            if not res[c][0]:
                print(f"       {c}: {res[c][1]}", flush=True)
    print()
    total_fail = 0
    for c in CHECKS:
        n = sum(1 for _, _, r in rows if r[c][0])
        total_fail += len(rows) - n
        print(f"{c:<9} {n:>3}/{len(rows)} passed")
    clean = sum(1 for _, _, r in rows if all(r[c][0] for c in CHECKS))
    print(f"overall: {clean}/{len(rows)} seeds passed every check, "
          f"{len(rows) * len(CHECKS) - total_fail}/{len(rows) * len(CHECKS)} checks passed")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if total_fail else 0)


if __name__ == "__main__":
    main()
