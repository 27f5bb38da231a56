"""The requests of an incident and the log records they leave on each host.

Every request enters the front service (and the edge proxy when there is one), may call the
back service, and succeeds or fails according to the scenario's failure mode at its start
time. A failed request's last record on every host it touched is at level error, so the
outcome a user saw is the outcome the records show whatever a host's clock says. Background
records (periodic stats, routine config and deploy mentions, a worker's jobs) are added so a
reader that matches words is fooled.

simulate(plan, rng) -> (records by host, requests), where a request is a dict with t (its
first record's true time), failed (bool) and incident (failed because of the incident).
"""
import math

from .plan import PATHS

RID_STYLES = ["hex16", "uuid", "prefixed", "hex12"]


def _rid(rng, style, n):
    if style == "hex16":
        return f"{rng.getrandbits(64):016x}"
    if style == "uuid":
        h = f"{rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"
    if style == "prefixed":
        return f"req-{rng.getrandbits(40):010x}"
    return f"{rng.getrandbits(48):012x}"


class Sink:
    """Collects records per host."""

    def __init__(self, plan, rng):
        self.by_host = {h: [] for hs in plan["hosts"].values() for h in hs}
        self.pids = {h: rng.randrange(100, 60000) for h in self.by_host}
        self.service_of = {h: s for s, hs in plan["hosts"].items() for h in hs}
        self.rng = rng

    def add(self, host, t, level, msg, kv=None, rid=None, component="app"):
        self.by_host[host].append({
            "t": t, "level": level, "msg": msg, "kv": kv or {}, "rid": rid, "host": host,
            "service": self.service_of[host], "component": component,
            "pid": self.pids[host], "srcline": self.rng.randrange(20, 900)})


def _ramp(plan, t, ramp_s):
    """0 before the onset and after the recovery, rising to 1 over ramp_s after the onset."""
    if t < plan["onset"] or t >= plan["recovery"]:
        return 0.0
    return min(1.0, (t - plan["onset"]) / ramp_s + 0.05)


def _restart_windows(plan, rng):
    """Memory leak: each back host is OOM-killed and restarts, again and again, until the
    recovery; a restart leaves the host unreachable for 20-45 s."""
    out = {}
    hosts = plan["hosts"][plan["back"]]
    for i, h in enumerate(hosts):
        t = plan["onset"] + (0 if i == 0 else rng.uniform(20, 90))
        wins = []
        while t < plan["recovery"] - 30:
            wins.append((t, t + rng.uniform(20, 45)))
            t = wins[-1][1] + rng.uniform(40, 120)
        out[h] = wins
    return out


def simulate(plan, rng):
    sink = Sink(plan, rng)
    F, B = plan["front"], plan["back"]
    fh, bh = plan["hosts"][F], plan["hosts"][B]
    edge = plan["hosts"].get("edge", [None])[0]
    kind = plan["scenario"]
    rid_style = rng.choice(RID_STYLES)
    retry_ms = rng.choice([200, 250, 500])
    attempts = rng.choice([3, 4, 5])
    restarts = _restart_windows(plan, rng) if kind == "memory_leak" else {}
    cache_key = f"{rng.choice(['catalog', 'price', 'sku', 'tenant'])}:v{rng.randrange(10, 99)}"
    plan["cache_key"] = cache_key
    stampede_end = plan["onset"] + rng.uniform(60, 150)
    # Where a failure's cause is written: in the message ("request failed: dial tcp ...") or
    # in an error field beside a bare "request failed" (zap, logrus and slog style).
    cause_in_message = rng.random() < 0.5
    if kind == "cache_stampede":
        _herd(plan, rng, sink, cache_key)
    requests = []
    t = plan["start"]
    n = 0
    while True:
        t += rng.expovariate(plan["rate"])
        if t >= plan["end"]:
            break
        n += 1
        rid = _rid(rng, rid_style, n)
        f = rng.choice(fh)
        b = rng.choice(bh)
        path = rng.choice(PATHS)
        calls_b = rng.random() < plan["calls_back"]
        p = _ramp(plan, t, 45)
        lines_f = [(t, "info", "request started", {"method": "POST", "path": path})]
        lines_b = []
        dur = rng.lognormvariate(math.log(60), 0.5) / 1000
        failed, incident, err = False, False, ""
        status = 200
        if kind in ("flag_leak", "slow_dependency") and p > 0 and \
                (kind == "flag_leak" or calls_b) and rng.random() < p * plan["peak_fail"]:
            pool = plan["pool"]
            wait_ms = rng.choice([2000, 3000, 5000])
            lines_f.append((t + 0.002, "warn", "waiting for connection from pool",
                            {"pool": pool, "waiters": rng.randrange(8, 60)}))
            failed, incident, status = True, True, 503
            err = f"acquire connection timed out after {wait_ms}ms"
            dur = wait_ms / 1000 + 0.01
            calls_b = False
            kvx = {"pool": pool, "waited_ms": wait_ms}
        elif kind == "bad_config" and calls_b and p > 0 and rng.random() < min(1.0, p * 2):
            failed, incident, status = True, True, 502
            err = (f"call {B}: dial tcp 10.{rng.randrange(40, 60)}.3.14:8443: connect: "
                   f"connection refused")
            calls_b, dur, kvx = False, rng.uniform(0.002, 0.02), {}
        elif kind == "memory_leak" and calls_b and any(a <= t < z for a, z in restarts.get(b, [])):
            failed, incident, status = True, True, 502
            err = f"call {B}: dial tcp {b}:8080: connect: connection refused"
            calls_b, dur, kvx = False, rng.uniform(0.002, 0.02), {}
        elif kind == "expired_cert" and calls_b and p > 0:
            failed, incident, status = True, True, 502
            err = (f"call {B}: tls: failed to verify certificate: x509: certificate has expired "
                   f"or is not yet valid")
            calls_b, dur, kvx = False, rng.uniform(0.01, 0.05), {}
        elif kind == "dns_failure" and calls_b and p > 0 and rng.random() < min(1.0, p * 1.5):
            failed, incident, status = True, True, 502
            err = f"call {B}: lookup {B}.svc.cluster.local on 10.96.0.10:53: no such host"
            calls_b, dur, kvx = False, rng.uniform(0.005, 0.05), {}
        elif kind == "retry_storm" and calls_b and p > 0 and rng.random() < p * 0.8:
            # Every attempt is shed by the back service within milliseconds; the front waits
            # a fixed interval (no jitter) before the next one.
            tt = t + 0.003
            for k in range(1, attempts + 1):
                svc = rng.uniform(0.002, 0.005)
                lines_b.append((tt + 0.001, "error",
                                "responded 503 Service Unavailable (overloaded)",
                                {"status": 503, "attempt": k}))
                tt += svc
                if k < attempts:
                    lines_f.append((tt, "warn", f"call {B} returned 503, retrying",
                                    {"attempt": k + 1, "backoff_ms": retry_ms}))
                    tt += retry_ms / 1000
            failed, incident, status = True, True, 503
            err = f"call {B} failed after {attempts} attempts: 503"
            calls_b, dur, kvx = False, tt - t + 0.001, {}
        elif kind == "cache_stampede" and calls_b and plan["onset"] <= t < plan["recovery"] \
                and rng.random() < (0.9 if t < stampede_end else p * plan["peak_fail"] * 0.5):
            wait_ms = 3000
            tb = t + 0.004
            lines_b.append((tb, "info", "cache miss", {"key": cache_key}))
            lines_b.append((tb + 0.001, "info", "origin fetch started", {"key": cache_key}))
            lines_b.append((tb + wait_ms / 1000, "error", "db pool acquire timed out",
                            {"pool": plan["pool"], "waited_ms": wait_ms, "key": cache_key}))
            failed, incident, status = True, True, 504
            err = f"call {B} failed: 504 gateway timeout"
            calls_b, dur, kvx = False, wait_ms / 1000 + 0.02, {}
        elif rng.random() < 0.002:
            failed, status = True, 500
            err = "internal error: unexpected EOF reading request body"
            calls_b, kvx = False, {}
        if calls_b:
            slow = kind == "slow_dependency" and p > 0
            bd = rng.uniform(0.8, 2.2) if slow else rng.lognormvariate(math.log(15), 0.4) / 1000
            tc = t + 0.002
            lines_f.append((tc, "debug", f"calling {B}", {"op": "GET"}))
            lines_b.append((tc + 0.001 + bd, "warn" if slow else "info", "handled request",
                            {"status": 200, "dur_ms": int(bd * 1000)}))
            dur = max(dur, bd + 0.006)
            if kind == "cache_stampede" and rng.random() < 0.01:
                lines_b.insert(0, (tc + 0.0005, "info", "cache miss",
                                   {"key": f"sku:{rng.randrange(10000)}"}))
        end = t + dur
        if failed:
            if cause_in_message:
                lines_f.append((end, "error", f"request failed: {err}", dict(kvx, status=status)))
            else:
                lines_f.append((end, "error", "request failed",
                                dict(kvx, status=status, error=err)))
        else:
            lines_f.append((end, "info", "request completed",
                            {"status": status, "dur_ms": int(dur * 1000)}))
        for (tt, lv, msg, kv) in lines_f:
            sink.add(f, tt, lv, msg, kv, rid, component="http")
        for (tt, lv, msg, kv) in lines_b:
            sink.add(b, tt, lv, msg, kv, rid, component="handler")
        if edge:
            sink.add(edge, end + 0.001, "error" if failed else "info", "access",
                     {"path": path, "status": status, "rt": round(dur + 0.001, 3)}, rid)
        requests.append({"t": t, "failed": failed, "incident": incident, "rid": rid})
    _background(plan, rng, sink, restarts)
    for recs in sink.by_host.values():
        recs.sort(key=lambda r: r["t"])
    return sink.by_host, requests


def _herd(plan, rng, sink, key):
    """The stampede itself: when the key expires, every concurrent caller inside the back
    service (page renders fan out to dozens of lookups) misses it within a second and goes to
    the origin, whose pool then times them out."""
    t0 = plan["onset"] + 0.05
    for i in range(rng.randrange(40, 120)):
        h = rng.choice(plan["hosts"][plan["back"]])
        t = t0 + rng.uniform(0, 0.8)
        sink.add(h, t, "info", "cache miss", {"key": key}, component="prefetch")
        sink.add(h, t + 0.001, "info", "origin fetch started", {"key": key}, component="prefetch")
        if rng.random() < 0.5:
            sink.add(h, t + 3.0, "error", "db pool acquire timed out",
                     {"pool": plan["pool"], "waited_ms": 3000, "key": key}, component="prefetch")


def _background(plan, rng, sink, restarts):
    """Records without request ids: pool stats, routine config and deploy mentions that are not
    changes, a worker's jobs, and the scenario's own state lines (heap, restarts, reloads)."""
    F, B, W = plan["front"], plan["back"], plan["worker"]
    w = plan["hosts"][W][0]
    t = plan["start"] + rng.uniform(0, 60)
    other = rng.choice(["search", "mailer", "thumbs", "geo", "audit"])
    while t < plan["end"]:
        r = rng.random()
        if r < 0.25:
            sink.add(w, t, "info", "reloaded config from consul, no keys changed",
                     {"revision": rng.randrange(100, 999)}, component="config")
        elif r < 0.4:
            sink.add(w, t, "info", f"deployment of {other} reported healthy by health check",
                     {"version": f"v{rng.randrange(1, 9)}.{rng.randrange(0, 40)}"},
                     component="hooks")
        else:
            sink.add(w, t, "info", "job finished", {"job": rng.choice(["reindex", "digest",
                                                                        "export"]),
                                                     "dur_ms": rng.randrange(100, 9000)},
                     component="jobs")
        t += rng.uniform(20, 140)
    for h in plan["hosts"][F]:
        t = plan["start"] + rng.uniform(0, 30)
        while t < plan["end"]:
            sink.add(h, t, "info", "feature flags refreshed", {"flags": rng.randrange(10, 30),
                                                               "rev": rng.randrange(500, 900)},
                     component="flags")
            t += 300
    if plan["scenario"] == "memory_leak":
        for h in plan["hosts"][B]:
            t = plan["trigger_time"] + 60
            used = 30.0
            while t < plan["end"]:
                wins = restarts.get(h, [])
                crash = next((a for a, z in wins if a <= t < z), None)
                if crash is not None:
                    z = next(z for a, z in wins if a == crash)
                    sink.add(h, crash - 0.5, "error", "fatal error: runtime: out of memory",
                             {"heap_mb": 2040}, component="runtime")
                    sink.add(h, z - 0.2, "info", f"starting {B}", {"pid": rng.randrange(10, 999)},
                             component="main")
                    used = 35.0
                    t = z + 5
                    continue
                if plan["onset"] > t or t >= plan["recovery"]:
                    used = min(used + 1.5, 85.0)
                else:
                    used = min(used + 6.0, 97.0)
                sink.add(h, t, "warn" if used > 80 else "info", "heap usage",
                         {"used_pct": round(used, 1)}, component="runtime")
                t += 30
    if plan["scenario"] == "expired_cert":
        for h in plan["hosts"][B]:
            sink.add(h, plan["onset"] - rng.uniform(0.5, 3), "info",
                     "tls certificate loaded from /etc/tls/tls.crt", {"serial": "4f:1c:a9"},
                     component="tls")
