#!/usr/bin/env python3
"""The incident generator's own truth, checked from the bytes it writes (no inquest needed; the
inquest argument is accepted and ignored):

- the same seed gives the same bytes;
- every seed's truth names a trigger record that is there at its file and line, and every
  export parses (JSON lines, JSON documents, CSV with its header and quoted commas);
- the failed requests of the truth equal the 5xx lines of the edge access log in the incident,
  counted independently from the written file (when the bundle has an edge);
- a failed request's last record is an error on every host whatever the hosts' clocks say, so
  the truth's count is the count a reader of the records must find;
- the patterns follow the detectors' rules from the truth's own signals;
- twenty seeds cover every scenario, log family, change-export format and skew;
- every deploy-to-change link of the truth joins two change records that are there; a linked
  pair that is not a git log range names one reference in both records (the same commit by a
  prefix, or the same PR number); the seeds cover linked and unlinked deploys, and a git log
  seed links the commits between two releases.
"""
import csv
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples"))
from e2e_support import Checks  # noqa: E402
from incidentgen import plan as pl  # noqa: E402
from incidentgen import traffic  # noqa: E402
from incidentgen.bundle import write_bundle  # noqa: E402

SEEDS = range(1, 21)
# A seed whose trigger deploy ships a PR through a git log (examples/incidentgen/changes.py).
GIT_LINK_SEED = 88


def tree(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


def ts(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def parses(path):
    """Whether an export parses as what its name says; the reason when not."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(text)))
        if any(len(r) != len(rows[0]) for r in rows):
            return "CSV rows of unequal width"
        if not any("," in cell for r in rows[1:] for cell in r):
            return "no quoted comma in any CSV field"
        return ""
    if path.endswith(".txt"):
        return "" if text.startswith("commit ") else "git log does not start with a commit"
    try:
        json.loads(text)
        return ""
    except ValueError:
        pass
    for n, line in enumerate(text.splitlines(), 1):
        try:
            json.loads(line)
        except ValueError:
            return f"line {n} is not JSON"
    return ""


def record_at(bundle, where):
    """The text of the change record at "file:line" (a git log commit with its message)."""
    rel, line = where.rsplit(":", 1)
    lines = open(os.path.join(bundle, rel)).read().split("\n")
    at = int(line) - 1
    return "\n".join(lines[at:at + 8]) if lines[at].startswith("commit ") else lines[at]


def shared_reference(a, b):
    """A commit (7+ hex digits, one a prefix of the other) or PR number both texts name."""
    hexes = lambda t: {m.lower() for m in re.findall(r"(?<![0-9a-zA-Z])[0-9a-fA-F]{7,40}", t)}
    nums = lambda t: set(re.findall(r"(?:#|!|/pull/)(\d+)", t))
    return bool(nums(a) & nums(b)) or any(x.startswith(y) or y.startswith(x)
                                          for x in hexes(a) for y in hexes(b))


def check_links(checks, seed, bundle, truth):
    for link in truth["links"]:
        d, x = record_at(bundle, link["deploy"]), record_at(bundle, link["shipped"])
        checks.check(d.strip() and x.strip(),
                     f"seed {seed}: link {link['deploy']} -> {link['shipped']}: both records exist")
        if not x.startswith("commit ") or shared_reference(d, x):
            checks.check(shared_reference(d, x),
                         f"seed {seed}: {link['deploy']} and {link['shipped']} name one reference")


def edge_failed(bundle, truth):
    """5xx requests of the edge log whose line falls in the incident (onset .. last failure
    plus the longest request), counted from the written bytes."""
    lo, hi = ts(truth["onset"]) - 1, ts(truth["recovery"]) + 6
    n = 0
    for rel, info in truth["files"].items():
        if info.get("what") != "edge access log":
            continue
        for line in open(os.path.join(bundle, rel)):
            m = re.search(r'\[(.*?)\] "[^"]*" (\d+) .* rt=([\d.]+)', line)
            t = datetime.strptime(m.group(1), "%d/%b/%Y:%H:%M:%S %z").timestamp()
            if int(m.group(2)) >= 500 and lo <= t - float(m.group(3)) <= hi:
                n += 1
        return n
    return None


def last_record_rule(seed):
    """For a simulated incident (seeded apart from the bundles): mismatches between a
    request's outcome and whether its last record (by written time,
    skew applied) is an error."""
    rng = random.Random(seed)
    plan = pl.make_plan(seed, rng)
    sc = pl.SCENARIOS[plan["scenario"]]
    plan["trigger_kind"], plan["on_service"] = sc["trigger"], sc["on"]
    plan["pool"], plan["pool_service"] = "p-db", plan["front"]
    by_host, reqs = traffic.simulate(plan, rng)
    last = {}
    for h, recs in by_host.items():
        for r in recs:
            if r["rid"]:
                key = (r["t"] + plan["skew"][h], r["level"] == "error")
                last[r["rid"]] = max(last.get(r["rid"], key), key)
    return sum(1 for q in reqs if last[q["rid"]][1] != q["failed"]), sum(q["failed"] for q in reqs)


def main():
    checks = Checks()
    work = tempfile.mkdtemp(prefix="incidentgen-")
    a, b = os.path.join(work, "a"), os.path.join(work, "b")
    write_bundle(a, 5)
    write_bundle(b, 5)
    checks.check(tree(a) == tree(b), "seed 5 written twice gives the same bytes")

    seen = {"scenario": set(), "family": set(), "export": set(), "skewed": 0,
            "customer_first": 0, "one_step": 0, "link_modes": set()}
    for seed in SEEDS:
        bundle = os.path.join(work, f"seed-{seed}")
        truth = write_bundle(bundle, seed, os.path.join(work, f"truth-{seed}.json"))
        seen["scenario"].add(truth["scenario"])
        tr = truth["trigger"]
        lines = open(os.path.join(bundle, tr["file"])).read().split("\n")
        at = lines[tr["line"] - 1]
        record = "\n".join(lines[tr["line"] - 1:tr["line"] + 8]) if at.startswith("commit ") \
            else at
        checks.check(tr["ref"] in record and (at.startswith("commit ") or
                                              tr["what"].split(",")[0] in record),
                     f"seed {seed}: trigger {tr['ref']} is at {tr['file']}:{tr['line']}")
        for rel, info in truth["files"].items():
            if rel.startswith("exports/"):
                why = parses(os.path.join(bundle, rel))
                checks.check(not why, f"seed {seed}: {rel} parses {why}")
                seen["export"].add(info["what"])
            if "layout" in info:
                seen["family"].add(info["layout"]["family"] + info["layout"].get("text_kind", ""))
        n = edge_failed(bundle, truth)
        if n is not None:
            checks.check(abs(n - truth["failed_requests"]) <= max(2, 0.01 * n),
                         f"seed {seed}: edge 5xx {n} = truth failed {truth['failed_requests']}")
        det = truth["detection"]
        first_is_customer = det["first_signal"]["from_customer"]
        late = ts(det["first_alert"]["time"]) - ts(truth["onset"]) > pl.LATE_DETECTION_S
        checks.check(("detection-gap" in truth["patterns"]) == (first_is_customer or late),
                     f"seed {seed}: detection-gap planted iff a customer was first or the "
                     f"alert late")
        checks.check(truth["failed_requests"] > 50 and
                     truth["failed_requests"] <= truth["total_requests"],
                     f"seed {seed}: {truth['failed_requests']} of {truth['total_requests']} "
                     f"requests failed")
        check_links(checks, seed, bundle, truth)
        if truth["link_mode"]:
            seen["link_modes"].add(truth["link_mode"])
        seen["skewed"] += bool(truth["skewed_hosts"])
        seen["customer_first"] += first_is_customer
        seen["one_step"] += "one-step-rollout" in truth["patterns"]
        if seed <= len(pl.SCENARIOS):  # one simulation of each scenario
            bad, failed = last_record_rule(seed)
            checks.check(bad == 0, f"simulation {seed}: all {failed} failed requests end in "
                                   f"an error record on every clock ({bad} do not)")
    checks.check(seen["scenario"] == set(pl.SCENARIOS), f"scenarios {sorted(seen['scenario'])}")
    checks.check(len(seen["family"]) >= 6, f"log families {sorted(seen['family'])}")
    checks.check(len(seen["export"]) >= 7, f"exports {sorted(seen['export'])}")
    checks.check(5 <= seen["skewed"] < len(SEEDS), f"{seen['skewed']} seeds with skewed hosts")
    checks.check(3 <= seen["customer_first"] < len(SEEDS),
                 f"{seen['customer_first']} seeds where a customer ticket came first")
    checks.check(3 <= seen["one_step"] < len(SEEDS), f"{seen['one_step']} one-step rollouts")
    checks.check("none" in seen["link_modes"] and len(seen["link_modes"]) >= 4,
                 f"deploys shipping PRs named as {sorted(seen['link_modes'])}")
    # The first seed whose deploy ships through a git log: the commits between the previous
    # release's and the merge commit are linked too.
    bundle = os.path.join(work, "git-links")
    truth = write_bundle(bundle, GIT_LINK_SEED, os.path.join(work, "truth-git.json"))
    check_links(checks, GIT_LINK_SEED, bundle, truth)
    checks.check(truth["link_mode"] == "git" and len(truth["trigger"]["shipped"]) >= 2,
                 f"seed {GIT_LINK_SEED}: a git log range ships "
                 f"{truth['trigger']['shipped']} ({truth['link_mode']})")
    shutil.rmtree(work, ignore_errors=True)
    checks.finish()


if __name__ == "__main__":
    main()
