"""Writes one incident bundle and its truth.json: the plan, the simulated traffic rendered in
each service's layout with each host's clock, the change exports, the alert, page and ticket
exports. File names do not say what a file is.

write_bundle(out_dir, seed, truth_path=None) -> the truth, also written to truth_path
(default out_dir/truth.json; a reader under test should not find it among the evidence).
"""
import json
import os
import random

from . import changes as ch
from . import clock
from . import layouts
from . import plan as pl
from . import signals as sg
from .traffic import simulate

# Where each scenario's failure shows: the service whose pool saturates, and the pool.
POOL_OF = {
    "flag_leak": ("front", "{front}-{db}"),
    "slow_dependency": ("front", "{back}-client"),
    "cache_stampede": ("back", "{back}-{db}"),
}


def _write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(line + "\n")


def _access_line(rec, t, zone, rng_ip):
    d = clock.local(t, zone)
    stamp = clock.text_time(t, "apache", zone) + " " + clock.offset_text(zone, "compact")
    kv = rec["kv"]
    return (f'10.{rng_ip[0]}.{rng_ip[1]}.{rng_ip[2]} - - [{stamp}] "POST {kv["path"]} HTTP/1.1" '
            f'{kv["status"]} {512 if kv["status"] == 200 else 167} "-" "okhttp/4.12.0" '
            f'rt={kv["rt"]:.3f} request_id={rec["rid"]}')


def _ship_links(changes, loc, git_order):
    """(deploy, shipped) "file:line" pairs the evidence names explicitly: each deploy's `ships`,
    and for a deploy naming a commit of the git log, every record the log lists after the
    previous deploy's commit up to its own (change_links.h's rule)."""
    pairs = set()
    pos = {id(c): i for i, c in enumerate(git_order)}
    for d in changes:
        for x in d.get("ships", []):
            pairs.add((loc[id(d)], loc[id(x)]))
        if "ships_range" in d:
            older, newer = d["ships_range"]
            for c in git_order[pos[id(newer)]:pos[id(older)]]:
                pairs.add((loc[id(d)], loc[id(c)]))
    return sorted(pairs)


def write_bundle(out_dir, seed, truth_path=None):
    rng = random.Random(seed * 7919 + 17)
    plan = pl.make_plan(seed, rng)
    sc = pl.SCENARIOS[plan["scenario"]]
    plan["trigger_kind"], plan["on_service"] = sc["trigger"], sc["on"]
    db = rng.choice(["db", "pg", "mysql", "primary"])
    side, pool = POOL_OF.get(plan["scenario"], ("front", "{front}-db"))
    plan["pool"] = pool.format(front=plan["front"], back=plan["back"], db=db)
    plan["pool_service"] = plan[side]
    by_host, requests = simulate(plan, rng)
    change_list = ch.plan_changes(plan, rng)
    sigs = sg.plan_signals(plan, rng)

    files = {}
    # Logs: one layout per service, one file per host.
    dirs = rng.choice([("pods", "{host}.log"), ("logs", "{service}/{host}.log"),
                       ("var/log", "{host}/{service}.log"), ("collected", "{host}-{n}.txt")])
    lays = {}
    for service, hosts in plan["hosts"].items():
        if service == "edge":
            continue
        lays[service] = layouts.choose_layout(rng, plan["day"])
    for service, hosts in plan["hosts"].items():
        for n, host in enumerate(hosts):
            rel = os.path.join(dirs[0], dirs[1].format(host=host, service=service, n=n))
            off = plan["skew"][host]
            if service == "edge":
                zone = rng.choice([0, 60, 120, -300, 330])
                ip = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
                lines = [_access_line(r, r["t"] + off, zone, ip) for r in by_host[host]]
                files[rel] = {"what": "edge access log", "host": host, "format": "nginx"}
            else:
                lay = lays[service]
                lines = [layouts.render(lay, r, r["t"] + off) for r in by_host[host]]
                files[rel] = {"what": f"{service} log", "host": host,
                              "layout": {k: v for k, v in lay.items() if k != "rid_key"}}
            _write(os.path.join(out_dir, rel), lines)

    # Change exports.
    day_tag = clock.utc(plan["onset"]).strftime("%m%d")
    trigger = None
    exts = {"jsonl": "jsonl", "csv": "csv", "git": "txt", "flags": "json"}
    letters = iter("abcdefgh")
    loc = {}  # id(change) -> "file:line"
    git_order = []  # the git log's changes as listed (newest first)
    for fmt, cs in sorted(ch.assign_files(change_list, rng).items()):
        base = fmt.rstrip("2")
        rel = f"exports/{day_tag}-{next(letters)}.{exts[base]}"
        lines, where = ch.RENDERERS[base](cs, rng)
        _write(os.path.join(out_dir, rel), lines)
        files[rel] = {"what": f"change records ({base})", "records": len(cs)}
        for c, line in zip(cs, where):
            loc[id(c)] = f"{rel}:{line}"
            if c["role"] == "trigger":
                trigger = dict(file=rel, line=line, time=clock.iso_z(c["time"], 0),
                               ref=c["ref"], what=c["what"], kind=c["kind"],
                               service=c["service"], rollout=c["rollout"])
        if base == "git":
            git_order = [c for _, c in sorted(enumerate(cs), key=lambda x: -x[1]["time"])]
    links = _ship_links(change_list, loc, git_order)
    trigger["shipped"] = sorted(x for d, x in links if d == f"{trigger['file']}:{trigger['line']}")

    # Alerts, pages, tickets.
    alerts = [s for s in sigs if s["kind"] == "alert"]
    page = next(s for s in sigs if s["kind"] == "page")
    tickets = [s for s in sigs if s["kind"] == "ticket"]
    det_files = {}
    for kind, lines in (("alert", sg.render_alerts(alerts, rng)),
                        ("page", sg.render_pages(page, rng)),
                        ("ticket", sg.render_tickets(tickets, rng))):
        one_per_line = len(lines) > 1 and lines[0].startswith("{") and lines[1].startswith("{")
        rel = f"exports/{day_tag}-{next(letters)}.{'jsonl' if one_per_line else 'json'}"
        _write(os.path.join(out_dir, rel), lines)
        files[rel] = {"what": f"{kind} records"}
        det_files[kind] = rel

    incident_failed = [r for r in requests if r["incident"]]
    onset = min(r["t"] for r in incident_failed)
    last = max(r["t"] for r in incident_failed)
    in_window = [r for r in requests if onset <= r["t"] <= last]
    patterns = pl.derive_patterns(plan, sigs, plan["trigger_one_step"], plan["pool_alert"])

    def first(kind, customer=None):
        c = [s for s in sigs if s["kind"] == kind and s["opening"] and not s.get("decoy")]
        if not c:
            return None
        s = min(c, key=lambda s: s["time"])
        return {"time": clock.iso_z(s["time"], 0), "file": det_files[kind], "name": s["name"]}

    live = [s for s in sigs if s["opening"] and not s.get("decoy")]
    fs = min(live, key=lambda s: s["time"])
    truth = {
        "about": "ground truth written by examples/generate_incident.py; not evidence",
        "seed": seed,
        "scenario": plan["scenario"],
        "services": {"front": plan["front"], "back": plan["back"], "worker": plan["worker"]},
        "onset": clock.iso_z(onset),
        "recovery": clock.iso_z(last),
        "trigger": trigger,
        "link_mode": plan["link_mode"],
        "links": [{"deploy": d, "shipped": x} for d, x in links],
        "failed_requests": sum(1 for r in in_window if r["failed"]),
        "total_requests": len(in_window),
        "detection": {
            "first_alert": first("alert"), "first_page": first("page"),
            "first_ticket": first("ticket"),
            "first_signal": {"kind": fs["kind"], "time": clock.iso_z(fs["time"], 0),
                             "from_customer": fs["customer"]},
        },
        "patterns": sorted(patterns),
        "skewed_hosts": {h: o for h, o in sorted(plan["skew"].items()) if o != 0},
        "saturated": {"service": plan["pool_service"], "pool": plan["pool"]}
        if "saturation" in patterns else None,
        "files": files,
    }
    with open(truth_path or os.path.join(out_dir, "truth.json"), "w") as f:
        json.dump(truth, f, indent=2, sort_keys=True)
        f.write("\n")
    return truth
