#!/usr/bin/env python3
"""Writes seeded incident bundles with their truth, for testing inquest on evidence it was not
built around (see examples/README.md, "Generated incidents").

    examples/generate_incident.py /tmp/incidents --seeds 1-20   # /tmp/incidents/seed-1 ...
    examples/generate_incident.py /tmp/one --seed 7             # /tmp/one (one bundle)

The same seed always gives the same bytes. Python 3 standard library only.
"""
import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from incidentgen.bundle import write_bundle  # noqa: E402


def seed_range(text):
    lo, _, hi = text.partition("-")
    return range(int(lo), int(hi or lo) + 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="the bundle folder (--seed) or the folder of bundles (--seeds)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--seed", type=int, default=1, help="one bundle written to OUT")
    g.add_argument("--seeds", type=seed_range, help="A-B: bundles OUT/seed-A .. OUT/seed-B")
    args = ap.parse_args()
    targets = [(s, os.path.join(args.out, f"seed-{s}")) for s in args.seeds] if args.seeds \
        else [(args.seed, args.out)]
    for seed, out in targets:
        if os.path.exists(out):
            shutil.rmtree(out)
        truth = write_bundle(out, seed)
        print(f"{out}: {truth['scenario']}, onset {truth['onset']}, "
              f"{truth['failed_requests']} failed requests")


if __name__ == "__main__":
    main()
