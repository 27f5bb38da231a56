"""The plan of one incident: which scenario, which services and hosts, when the trigger, the
onset and the recovery happen, which hosts' clocks are off and by how much, and which
contributing-factor patterns the scenario plants. Everything else (logs, changes, signals) is
written from the plan, so the truth is known before a byte is written.

Scenario kinds are data (SCENARIOS): what kind of change triggers the incident, on which
service, how the failure shows, and which patterns it plants by construction.
"""
import datetime as _dt

FRONT_NAMES = ["checkout", "storefront", "api-gateway", "orders", "booking", "payments-api",
               "cart", "auth-gw", "search-api", "billing-web", "signup", "quotes-api"]
BACK_NAMES = ["pricing", "inventory", "ledger", "profile", "catalog", "rates", "shipping",
              "tax", "fraud-score", "accounts", "notifier", "reco"]
WORKER_NAMES = ["batch-runner", "sync-agent", "report-cron", "indexer", "mailer"]
PATHS = ["/v1/orders", "/cart/checkout", "/api/quote", "/login", "/v2/search", "/pay",
         "/session", "/items", "/book", "/api/v3/profile"]

# Scenario kinds. trigger: the change kind; on: the service the change touches (front: the
# entry service, back: its dependency); lead: minutes from the trigger to the onset;
# patterns: contributing-factor findings (analyze's names) the failure plants by construction.
# Patterns that depend on the signals and rollouts (detection-gap, missing-alert,
# one-step-rollout) are derived in derive_patterns().
SCENARIOS = {
    "flag_leak": dict(trigger="flag", on="front", lead=(2, 8), patterns={"saturation"}),
    "bad_config": dict(trigger="config", on="front", lead=(0.2, 1.5), patterns=set()),
    "slow_dependency": dict(trigger="deploy", on="back", lead=(1, 6), patterns={"saturation"}),
    "memory_leak": dict(trigger="deploy", on="back", lead=(18, 40), patterns=set()),
    "expired_cert": dict(trigger="infra", on="back", lead=(1, 4), patterns=set()),
    "dns_failure": dict(trigger="infra", on="back", lead=(0.5, 3), patterns=set()),
    "retry_storm": dict(trigger="deploy", on="front", lead=(3, 12), patterns={"retry-storm"}),
    "cache_stampede": dict(trigger="config", on="back", lead=(4, 15),
                           patterns={"cache-stampede", "saturation"}),
}

# The detectors' judgments the truth must agree with, restated from their definitions:
# a first alert later than this after the onset is late detection (detection-gap).
LATE_DETECTION_S = 5 * 60
# No planted alert delay within this margin of LATE_DETECTION_S: the onset is found on a
# one-minute grid, so a delay near the line is not decidable from the evidence.
LATE_MARGIN_S = 75
# Planted skew: at least this many seconds, so it is clearly above any sensible threshold and
# far from the network latency (milliseconds) that bounds a host's offset.
MIN_SKEW_S = 1.5
MAX_SKEW_S = 6.0


def _host_names(rng, service, n):
    style = rng.choice(["pod", "ip", "fqdn", "numbered", "ec2"])
    out = []
    for i in range(n):
        if style == "pod":
            out.append(f"{service}-{rng.randrange(16**6):06x}-{rng.randrange(36**5):05x}"[:40])
        elif style == "ip":
            out.append(f"ip-10-{rng.randrange(256)}-{rng.randrange(256)}-{rng.randrange(256)}")
        elif style == "fqdn":
            out.append(f"{service}{i + 1:02d}.{rng.choice(['eu-west', 'us-east', 'ap-se'])}"
                       f".prod.internal")
        elif style == "numbered":
            out.append(f"{rng.choice(['node', 'web', 'app', 'srv'])}{rng.randrange(10, 99)}")
        else:
            out.append(f"i-0{rng.randrange(16**12):012x}")
    return sorted(set(out))


def make_plan(seed, rng):
    kind = sorted(SCENARIOS)[(seed - 1) % len(SCENARIOS)] if seed > 0 else \
        rng.choice(sorted(SCENARIOS))
    sc = SCENARIOS[kind]
    front = rng.choice(FRONT_NAMES)
    back = rng.choice([b for b in BACK_NAMES if b != front])
    worker = rng.choice(WORKER_NAMES)
    # Incidents happen in 2026 before this generator's reference day, so a year-less log
    # resolves to the most recent past (the convention of syslog readers).
    day = _dt.date(2026, 1, 1) + _dt.timedelta(days=rng.randrange(0, 320))
    start = _dt.datetime(day.year, day.month, day.day, rng.randrange(0, 21),
                         rng.randrange(60), tzinfo=_dt.timezone.utc).timestamp()
    pre = rng.uniform(45, 70) * 60
    onset = start + pre + rng.uniform(0, 59)
    lead = rng.uniform(*sc["lead"]) * 60
    duration = rng.uniform(7, 18) * 60
    plan = {
        "seed": seed, "scenario": kind, "front": front, "back": back, "worker": worker,
        "day": day.day, "start": start, "onset": onset, "trigger_time": onset - lead,
        "recovery": onset + duration, "end": onset + duration + rng.uniform(10, 20) * 60,
        "rate": rng.uniform(1.5, 3.0), "calls_back": rng.uniform(0.45, 0.95),
        "hosts": {
            front: _host_names(rng, front, rng.randint(1, 3)),
            back: _host_names(rng, back, rng.randint(2, 3)),
            worker: _host_names(rng, worker, 1),
        },
        "edge": rng.random() < 0.6,
        "pool": f"{rng.choice([front, back])}-{rng.choice(['db', 'pg', 'mysql', 'primary'])}",
        "peak_fail": rng.uniform(0.2, 0.6),
    }
    if plan["edge"]:
        plan["hosts"]["edge"] = _host_names(rng, "edge", 1)
    # Skewed clocks: none, one or two hosts of the two request-serving services, each off by
    # MIN_SKEW_S..MAX_SKEW_S either way; every other host is exact.
    candidates = plan["hosts"][front] + plan["hosts"][back]
    n_skewed = rng.choice([0, 1, 1, 2])
    skew = {h: 0.0 for hs in plan["hosts"].values() for h in hs}
    for h in rng.sample(candidates, min(n_skewed, len(candidates) - 1)):
        skew[h] = round(rng.choice([-1, 1]) * rng.uniform(MIN_SKEW_S, MAX_SKEW_S), 1)
    plan["skew"] = skew
    plan["patterns"] = set(sc["patterns"])
    return plan


def derive_patterns(plan, signals, trigger_one_step, pool_alert):
    """The detection and rollout patterns, from what the signals and the trigger's rollout
    are: detection-gap when the first signal after the onset came from a customer or the first
    alert came late (or never); missing-alert when a saturation is planted and no alert names
    the saturated resource; one-step-rollout when the trigger went to 100% in one step."""
    pats = set(plan["patterns"])
    onset = plan["onset"]
    opening = [s for s in signals if s["opening"] and s["time"] >= onset - 120]
    alerts = [s for s in opening if s["kind"] in ("alert", "page") and not s["customer"]]
    first = min(opening, key=lambda s: s["time"]) if opening else None
    first_alert = min(alerts, key=lambda s: s["time"]) if alerts else None
    if first is None or first_alert is None or first["customer"] or \
            first_alert["time"] - onset > LATE_DETECTION_S:
        pats.add("detection-gap")
    if "saturation" in pats and not pool_alert:
        pats.add("missing-alert")
    if trigger_one_step:
        pats.add("one-step-rollout")
    return pats
