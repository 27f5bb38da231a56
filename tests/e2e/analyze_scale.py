#!/usr/bin/env python3
"""`inquest analyze` on a large bundle draws the same conclusions as on the small one.

Generates examples/generate.py --size SIZE (default 1GiB; kept in --data when given), runs
`inquest analyze`, and checks against the generator's expected.json: the onset minute, the
trigger deploy and the merged TTL change as the top two ranked changes, the failed and total
requests exactly, and the saturation, retry-storm and cache-stampede findings. Prints the wall
time and the peak RSS (measured, never asserted: performance is bench/analyze_compare.sh's).

    tests/e2e/analyze_scale.py --inquest build/inquest [--size 1GiB] [--data DIR]
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inquest", required=True)
    ap.add_argument("--size", default="1GiB")
    ap.add_argument("--data", help="folder to keep the generated bundle in (reused when present)")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="inquest-scale-")
    try:
        bundle = os.path.join(args.data or tmp, "bundle-" + args.size)
        if not os.path.isdir(bundle):
            subprocess.run([sys.executable, os.path.join(ROOT, "examples", "generate.py"),
                            "--size", args.size, bundle + ".tmp"], check=True,
                           stdout=subprocess.DEVNULL)
            os.rename(bundle + ".tmp", bundle)
        expected = json.load(open(os.path.join(bundle, "expected.json")))
        out = os.path.join(tmp, "report")
        start = time.monotonic()
        run = subprocess.run([args.inquest, "analyze", bundle, "--out", out],
                             capture_output=True, text=True)
        wall = time.monotonic() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print("analyze %s: %.1f s, peak %d MiB (exit %d)" % (args.size, wall, peak, run.returncode))
        if run.returncode != 0:
            print(run.stderr)
            return 1
        f = json.load(open(os.path.join(out, "findings.json")))
        inc = expected["incident"]
        failures = []

        def check(what, ok, detail):
            print("  %-28s %s  %s" % (what, "ok  " if ok else "FAIL", detail))
            if not ok:
                failures.append(what)

        check("onset", f["onset"]["time"].startswith(inc["onset"][:16]),
              "%s vs %s" % (f["onset"]["time"], inc["onset"]))
        top = [c.get("ref", "") + " " + c.get("what", "") for c in f["changes"][:2]]
        check("trigger ranked first", inc["trigger_change"]["ref"] in top[0], top[0])
        # The PR the deploy shipped (both name its merge commit) ranks with it, not as a rival.
        shipped = [s.get("ref", "") + " " + s.get("what", "")
                   for s in f["changes"][0].get("shipped", [])]
        check("merged change shipped by the trigger",
              any(inc["merged_change"]["ref"] in s for s in shipped), "; ".join(shipped))
        check("failed requests", f["impact"]["failed"] == expected["impact"]["failed"],
              "%s vs %s" % (f["impact"]["failed"], expected["impact"]["failed"]))
        check("requests", f["impact"]["total"] == expected["impact"]["total"],
              "%s vs %s" % (f["impact"]["total"], expected["impact"]["total"]))
        kinds = {x["kind"]: x for x in f["findings"]}
        for kind in ("saturation", "retry-storm", "cache-stampede"):
            check(kind + " found", kind in kinds, kinds.get(kind, {}).get("title", "")[:100])
        if "cache-stampede" in kinds:
            check("stampede key", kinds["cache-stampede"]["subject"] == inc["stampede_key"],
                  kinds["cache-stampede"]["subject"])
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
