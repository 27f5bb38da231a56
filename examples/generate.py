#!/usr/bin/env python3
"""Writes the checkout cache-stampede incident of the primer as an evidence bundle.

The incident (2026-05-29, times UTC): PR #4412 (cache TTL 30s -> 300s) merged at 13:58,
checkout v2.317 deployed to 100% in one step at 14:02, the catalog service publishes its
periodic catalog.invalidate at 14:11:00, every checkout cache clears at once, pricing's origin
fetches stampede its DB pool (no singleflight), checkout retries pricing at a fixed 250 ms
(no jitter), ~12% of POST /cart/checkout fail until the rollback to v2.316 finishes at 14:18.
An alert on the checkout error rate fires at 14:12; nothing alerts on the pricing pool.

    examples/generate.py OUTDIR                  # the small bundle (checked in)
    examples/generate.py OUTDIR --scale 40       # 40x the request rate
    examples/generate.py OUTDIR --size 1GiB      # scale chosen to reach about that size

Deterministic: the same arguments give the same bytes. Python 3 standard library only.
The generator also writes expected.json, its own ground truth (what it wrote and the impact it
simulated), so tests can check an analysis against it. expected.json is pretty-printed JSON,
not JSON lines: it is not evidence and is not taken for it.
"""

import argparse
import calendar
import json
import math
import os
import random
import sys
import time as _time

SEED = 20260529
DAY = calendar.timegm((2026, 5, 29, 0, 0, 0))


def at(hh, mm, ss=0.0):
    return DAY + hh * 3600 + mm * 60 + ss


START = at(13, 30)
END = at(14, 40)
ONSET = at(14, 11)          # the catalog.invalidate that clears every cache
RECOVERY = at(14, 18)       # rollback complete
LAST_FAILING_START = at(14, 17, 55)  # requests started later no longer fail (errors end by 14:18)
DEPLOY = at(14, 2, 31)
ROLLBACK_START = at(14, 15, 4)

# Request rates per second at --scale 1 (kept small so the bundle can be checked in).
POST_RATE = 0.9
GET_RATE = 0.15
# Chance that a POST fails outside the incident (inventory 503s): the onset's baseline.
BASELINE_FAIL = 0.004
# The merge commit of PR #4412: the PR record carries it in full, the v2.317 deploy record names
# its first seven digits, so the deploy is linked to the PR it shipped.
MERGE_COMMIT = "9f1e2ab4c7d05e3b8a61f29c0d4e7b35a18c6f02"
# The primer's anchor request.
ANCHOR_ID = "7af3c2"
ANCHOR_TIME = at(14, 11, 8.114)
# Pricing DB pool size and checkout's fixed retry interval (the missing jitter).
POOL_MAX = 20
RETRY_MS = 250
# Checkout pods whose caches all clear on the invalidate; each refetches the catalog at once.
CHECKOUT_PODS = 24
# Approximate bytes written per unit of --scale (measured on the generator's own output); used
# to turn --size into a scale.
BYTES_PER_SCALE = 4_400_000

LEVELS = {"debug": 1, "info": 2, "warn": 3, "error": 4}


def iso_ms(t):
    ms = int(round(t * 1000))
    s, ms = divmod(ms, 1000)
    return _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(s)) + ".%03dZ" % ms


def log4j_ms(t):
    ms = int(round(t * 1000))
    s, ms = divmod(ms, 1000)
    return _time.strftime("%Y-%m-%d %H:%M:%S", _time.gmtime(s)) + ",%03d" % ms


def clf(t):
    return _time.strftime("%d/%b/%Y:%H:%M:%S +0000", _time.gmtime(int(t)))


def ms_round(t):
    return round(t * 1000) / 1000.0


class Bundle:
    """Buffers lines per file, writes them in time order, and keeps the ground truth."""

    def __init__(self, out):
        self.out = out
        self.pending = {}   # name -> list of (time, seq, line)
        self.files = {}     # name -> open file
        self.lines = {}
        self.seq = 0
        self.requests = {}  # request id -> [first time, last time, level at last time]

    def emit(self, name, t, line, rid=None, level="info"):
        self.seq += 1
        self.pending.setdefault(name, []).append((t, self.seq, line))
        if rid:
            r = self.requests.get(rid)
            lv = LEVELS[level]
            if r is None:
                self.requests[rid] = [t, t, lv]
            else:
                if t < r[0]:
                    r[0] = t
                if t > r[1]:
                    r[1], r[2] = t, lv
                elif t == r[1] and lv > r[2]:
                    r[2] = lv

    def flush(self, before):
        for name in sorted(self.pending):
            items = self.pending[name]
            items.sort()
            keep = [x for x in items if x[0] >= before]
            done = [x for x in items if x[0] < before]
            if done:
                f = self.files.get(name)
                if f is None:
                    path = os.path.join(self.out, name)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    f = self.files[name] = open(path, "w", encoding="utf-8", newline="\n")
                    self.lines[name] = 0
                f.write("".join(x[2] + "\n" for x in done))
                self.lines[name] += sum(x[2].count("\n") + 1 for x in done)
            self.pending[name] = keep

    def close(self):
        self.flush(float("inf"))
        for f in self.files.values():
            f.close()


CHECKOUT = "pods/checkout-7c9f6d-2xk4q.log"
PRICING = "pods/pricing-5b7c9-h8lqz.log"
INVENTORY = "pods/inventory-6f8d4-9wz2t.log"
CATALOG = "pods/catalog-publisher-0.log"
RECS = "pods/recs-api-1.log"
EDGE = "edge/access.log.1"
CHANGES = "exports/0529-a.jsonl"
ALERTS = "exports/0529-b.jsonl"
PAGES = "exports/0529-c.jsonl"
TICKETS = "exports/0529-d.jsonl"


class Ids:
    """Distinct request ids: a bijection of a counter (odd multiplier mod 2^bits)."""

    def __init__(self, bits):
        self.bits = bits
        self.n = 0

    def next(self):
        while True:
            self.n += 1
            v = (self.n * 0x9E3779B1 + 0x5BD1E995) & ((1 << self.bits) - 1)
            s = "%0*x" % (self.bits // 4, v)
            if s != ANCHOR_ID:
                return s


def j(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def version_at(t, rng):
    if t < DEPLOY:
        return "v2.316"
    if t < ROLLBACK_START:
        return "v2.317"
    if t >= RECOVERY:
        return "v2.316"
    # The rollback replaces pods over three minutes.
    share = (t - ROLLBACK_START) / (RECOVERY - ROLLBACK_START)
    return "v2.316" if rng.random() < share else "v2.317"


def fail_chance(t):
    """Share of POST /cart/checkout that fail at time t (the primer's ~12%)."""
    if t < ONSET or t >= LAST_FAILING_START:
        return 0.0
    # Pods move back to v2.316 from 14:15, but with pricing's pool still saturated requests
    # keep failing until the rollback completes and the cache refills at the old TTL.
    return 0.13


class Sim:
    def __init__(self, out, scale):
        self.b = Bundle(out)
        self.scale = scale
        self.rng = random.Random(SEED)
        total = (POST_RATE + GET_RATE) * scale * (END - START) * 1.2
        self.ids = Ids(24 if total < (1 << 22) else 40)
        self.anchor_done = False
        self.pods = ["checkout-7c9f6d-%s" % s for s in
                     ("2xk4q", "8bq2n", "l5w7c", "p9d3x", "t4m8r", "z1k6h")]

    # ---- one checkout request -------------------------------------------------------------
    def checkout_line(self, t, level, msg, rid, **kw):
        rec = {"ts": iso_ms(t), "level": level, "msg": msg, "service": "checkout",
               "request_id": rid}
        rec.update(kw)
        self.b.emit(CHECKOUT, t, j(rec), rid, level)

    def pricing_line(self, t, level, msg, rid=None, **kw):
        parts = ["ts=" + iso_ms(t), "level=" + level, "service=pricing",
                 'msg="%s"' % msg if " " in msg else "msg=" + msg]
        for k, v in kw.items():
            v = str(v)
            parts.append('%s="%s"' % (k, v) if (" " in v or v == "") else "%s=%s" % (k, v))
        if rid:
            parts.append("request_id=" + rid)
        self.b.emit(PRICING, t, " ".join(parts), rid, level)

    def inventory_line(self, t, severity, message, rid, **kw):
        rec = {"time": iso_ms(t), "severity": severity.upper(), "svc": "inventory",
               "message": message, "req_id": rid}
        rec.update(kw)
        self.b.emit(INVENTORY, t, j(rec), rid, severity)

    def edge_line(self, t_end, method, path, status, rt, rid, ref="https://shop.example.com/cart"):
        r = self.rng
        ip = "10.0.%d.%d" % (r.randrange(1, 8), r.randrange(2, 250))
        ua = r.choice([
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/125.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.4 Safari/605.1.15",
            "shop-android/5.12.1 okhttp/4.12.0"])
        size = 167 if status >= 500 else r.randrange(900, 4200)
        line = ('%s - - [%s] "%s %s HTTP/1.1" %d %d "%s" "%s" rt=%.3f uct=0.000 urt=%.3f '
                "request_id=%s" % (ip, clf(t_end), method, path, status, size, ref, ua, rt,
                                   max(0.0, rt - 0.001), rid))
        level = "error" if status >= 500 else ("warn" if status >= 400 else "info")
        self.b.emit(EDGE, float(int(t_end)), line, rid, level)

    def post_checkout(self, t0, rid=None):
        r = self.rng
        rid = rid or self.ids.next()
        pod = r.choice(self.pods)
        ver = version_at(t0, r)
        common = {"endpoint": "/cart/checkout", "pod": pod, "version": ver}
        self.checkout_line(t0, "info", "request.start", rid, **common)
        t = t0 + r.uniform(0.002, 0.006)
        if rid == ANCHOR_ID:
            t = t0 + 0.005  # the primer's 14:11:08.119 cache.miss
        in_incident = ONSET <= t0 < RECOVERY
        failing = r.random() < fail_chance(t0) or rid == ANCHOR_ID
        inv_t = t + r.uniform(0.001, 0.004)
        if not in_incident and r.random() < BASELINE_FAIL:
            # Baseline failure: inventory refuses the reservation.
            self.inventory_line(inv_t, "error", "reservation failed: stock service unavailable",
                                rid, status=503, sku="sku-%05d" % r.randrange(99999))
            t_end = inv_t + r.uniform(0.005, 0.02)
            self.checkout_line(t_end, "error", "request.error", rid, reason="inventory 503",
                               status=500, **common)
            self.edge_line(t_end + 0.001, "POST", "/cart/checkout", 500, t_end - t0 + 0.001, rid)
            return
        self.inventory_line(inv_t, "info", "reservation ok", rid,
                            sku="sku-%05d" % r.randrange(99999), qty=r.randrange(1, 4))
        miss = in_incident or r.random() < 0.05
        if not miss:
            took = r.uniform(0.018, 0.06)
            self.pricing_line(t + 0.001, "info", "price lookup", rid, key="catalog:v98",
                              cache="hit", took_ms=int(took * 1000))
            t_end = t + took + r.uniform(0.003, 0.01)
            self.checkout_line(t_end, "info", "request.done", rid, status=200,
                               duration_ms=int((t_end - t0) * 1000), **common)
            self.edge_line(t_end + 0.001, "POST", "/cart/checkout", 200, t_end - t0 + 0.001, rid)
            return
        self.checkout_line(t, "info", "cache.miss", rid, key="catalog:v98", **common)
        t += 0.002
        self.checkout_line(t, "info", "pricing.fetch.start", rid, **common)
        if not in_incident:
            took = r.uniform(0.03, 0.09)
            self.pricing_line(t + 0.001, "info", "origin fetch", rid, key="catalog:v98",
                              source="pricing-db", took_ms=int(took * 1000))
            t_end = t + took + 0.004
            self.checkout_line(t_end, "info", "request.done", rid, status=200,
                               duration_ms=int((t_end - t0) * 1000), **common)
            self.edge_line(t_end + 0.001, "POST", "/cart/checkout", 200, t_end - t0 + 0.001, rid)
            return
        waiters = r.randrange(31, 70)
        mode = "timeout" if (rid == ANCHOR_ID or r.random() < 0.7) else "retry"
        if failing and mode == "timeout":
            self.pricing_line(t + 0.001, "warn", "db pool acquire waiting", rid,
                              pool="pricing-db", in_use=POOL_MAX, max=POOL_MAX, waiters=waiters)
            after = 4.0 + r.uniform(0.012, 0.03) if rid != ANCHOR_ID else 4.019
            self.pricing_line(t + 4.001, "error", "db pool acquire timeout", rid,
                              pool="pricing-db", waited_ms=4000)
            t_to = t + after
            self.checkout_line(t_to, "error", "pricing.fetch.timeout", rid,
                               after="%dms" % round(after * 1000), **common)
            self.checkout_line(t_to + 0.001, "error", "request.error", rid,
                               reason="context deadline exceeded", status=504, **common)
            self.edge_line(t_to + 0.003, "POST", "/cart/checkout", 504, t_to - t0 + 0.003, rid)
            return
        # Fast rejections from pricing, retried at a fixed interval with no jitter.
        attempts = 3 if failing else r.choice([1, 2, 2, 3])
        for a in range(1, attempts + 1):
            last = a == attempts
            if failing or not last:
                self.pricing_line(t + 0.001, "warn", "pool exhausted, rejecting", rid,
                                  pool="pricing-db", in_use=POOL_MAX, max=POOL_MAX,
                                  waiters=waiters, attempt=a)
                t += r.uniform(0.004, 0.009)
                self.checkout_line(t, "warn", "pricing.fetch.error", rid, status=503,
                                   err="pool exhausted", attempt=a, **common)
                if last:
                    break
                self.checkout_line(t + 0.0005, "warn", "pricing.fetch.retry", rid,
                                   attempt=a + 1, backoff_ms=RETRY_MS, **common)
                t += RETRY_MS / 1000.0 + r.uniform(0.0, 0.002)
            else:
                took = r.uniform(0.9, 3.2)
                self.pricing_line(t + 0.001, "info", "origin fetch", rid, key="catalog:v98",
                                  source="pricing-db", took_ms=int(took * 1000), attempt=a)
                t += took
        if failing:
            self.checkout_line(t + 0.001, "error", "request.error", rid,
                               reason="pricing unavailable after %d attempts" % attempts,
                               status=500, **common)
            self.edge_line(t + 0.003, "POST", "/cart/checkout", 500, t - t0 + 0.003, rid)
        else:
            self.checkout_line(t + 0.003, "warn" if t - t0 > 1 else "info", "request.done", rid,
                               status=200, duration_ms=int((t + 0.003 - t0) * 1000), **common)
            self.edge_line(t + 0.004, "POST", "/cart/checkout", 200, t - t0 + 0.004, rid)

    def get_cart(self, t0):
        r = self.rng
        rid = self.ids.next()
        took = r.uniform(0.008, 0.03)
        self.checkout_line(t0 + took, "info", "request.done", rid, endpoint="/cart", status=200,
                           duration_ms=int(took * 1000), pod=r.choice(self.pods),
                           version=version_at(t0, r))
        self.edge_line(t0 + took + 0.001, "GET", "/cart", 200, took + 0.001, rid)

    # ---- the rest of the system -----------------------------------------------------------
    def background(self, m0, m1):
        """Everything that is not a checkout request, for [m0, m1)."""
        r = self.rng
        for s in range(int(m0), int(m1)):
            # Pricing pool stats every 30 s; during the incident every 5 s, saturated.
            if ONSET <= s < RECOVERY - 20:
                if s % 5 == 0:
                    self.pricing_line(s + 0.5, "warn", "db pool saturated", pool="pricing-db",
                                      in_use=POOL_MAX, max=POOL_MAX, waiters=r.randrange(30, 80))
            elif s % 30 == 0:
                self.pricing_line(s + 0.5, "info", "db pool stats", pool="pricing-db",
                                  in_use=r.randrange(2, 7), max=POOL_MAX, waiters=0)
            # Periodic catalog invalidation at :11, :26, :41, :56.
            mm = (s // 60) % 60
            if s % 60 == 0 and mm % 15 == 11:
                self.invalidate(s)
            # Catalog chatter.
            if s % 20 == 7:
                self.b.emit(CATALOG, s + 0.211, "%s INFO  [sync-worker-2] "
                            "com.shop.catalog.SyncJob - synced %d products from PIM in %dms" %
                            (log4j_ms(s + 0.211), r.randrange(40, 400), r.randrange(80, 300)))
            # Recommendations service noise (logback), with a rare stack trace.
            if r.random() < 0.35 * min(self.scale, 4):
                t = s + r.random()
                self.b.emit(RECS, t, "%s [http-nio-8080-exec-%d] INFO  c.s.recs.CarouselController"
                            " - served carousel items=%d took=%dms" %
                            (log4j_ms(t).replace(",", "."), r.randrange(1, 12),
                             r.randrange(8, 13), r.randrange(9, 60)))
            if s % 1500 == 1337:
                t = s + 0.4
                self.b.emit(RECS, t, "%s [http-nio-8080-exec-3] ERROR c.s.recs.ModelClient - model "
                            "refresh failed\njava.net.SocketTimeoutException: Read timed out\n"
                            "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:"
                            "288)\n\tat com.shop.recs.ModelClient.refresh(ModelClient.java:91)\n\t"
                            "at com.shop.recs.ModelRefresher.run(ModelRefresher.java:44)" %
                            log4j_ms(t).replace(",", "."))

    def invalidate(self, s):
        r = self.rng
        t = s + 0.043
        self.b.emit(CATALOG, t, "%s INFO  [kafka-producer-1] com.shop.catalog.InvalidationPublisher"
                    " - Published catalog.invalidate key=catalog:v98 topic=catalog-events "
                    "partition=3 offset=%d reason=price-sync" % (log4j_ms(t), 99700 + s % 997))
        if s == ONSET:
            # Every checkout pod's cache (entries now live 300 s) clears at once and refetches:
            # the stampede on pricing's origin, all for the same key within a second.
            n = CHECKOUT_PODS * max(1, int(math.sqrt(self.scale))) * 2
            for i in range(n):
                tf = t + 0.050 + i * (0.85 / n) + r.uniform(0, 0.004)
                self.pricing_line(tf, "info", "cache miss, origin fetch", key="catalog:v98",
                                  source="pricing-db", caller="checkout-refresher")
            self.pricing_line(t + 0.95, "warn", "db pool saturated", pool="pricing-db",
                              in_use=POOL_MAX, max=POOL_MAX, waiters=n - POOL_MAX)
        else:
            # With a 30 s TTL only a few entries are live: a handful of refetches.
            for i in range(r.randrange(2, 5)):
                tf = t + 0.06 + i * 0.13 + r.uniform(0, 0.01)
                self.pricing_line(tf, "info", "cache miss, origin fetch", key="catalog:v98",
                                  source="pricing-db", caller="checkout-refresher")

    def run(self):
        r = self.rng
        post_rate = POST_RATE * self.scale
        get_rate = GET_RATE * self.scale
        for m in range(int(START), int(END), 60):
            t = float(m)
            while True:
                t += r.expovariate(post_rate)
                if t >= m + 60:
                    break
                tt = ms_round(t)
                if not self.anchor_done and tt >= ANCHOR_TIME:
                    self.anchor_done = True
                    self.post_checkout(ANCHOR_TIME, ANCHOR_ID)
                self.post_checkout(tt)
            t = float(m)
            while True:
                t += r.expovariate(get_rate)
                if t >= m + 60:
                    break
                self.get_cart(ms_round(t))
            self.background(m, m + 60)
            if m <= DEPLOY < m + 60:
                self.deploy_lines()
            self.b.flush(m + 60)
        self.b.close()

    def deploy_lines(self):
        for i, pod in enumerate(self.pods):
            t = DEPLOY + 20 + i * 0.7
            self.b.emit(CHECKOUT, t, j({"ts": iso_ms(t), "level": "info", "msg": "service.start",
                                        "service": "checkout", "pod": pod, "version": "v2.317",
                                        "cache_ttl": "300s"}))


def records(out):
    """Change, alert, pager and ticket records: small, hand-written, fixed."""
    changes = [
        {"time": "2026-05-29T09:12:40Z", "type": "deploy", "service": "inventory",
         "version": "v1.88.0", "summary":
         "inventory v1.88.0 deployed (canary 10% -> 50% -> 100%)", "rollout": "canary 10%",
         "actor": "deploy-bot"},
        {"time": "2026-05-29T11:40:05Z", "type": "config", "service": "recs",
         "summary": "recs: carousel size 10 -> 12", "ref": "CFG-2291", "actor": "recs on-call"},
        {"time": "2026-05-29T13:20:00Z", "type": "flag", "service": "search",
         "summary": "flag search.semantic_rerank enabled for 25% of sessions", "ref": "FF-118",
         "rollout": "25%"},
        {"time": "2026-05-29T13:58:12Z", "type": "code", "service": "checkout",
         "summary": "PR #4412 merged: cache TTL 30s -> 300s", "ref": "PR #4412",
         "merge_commit": MERGE_COMMIT, "actor": "checkout team"},
        {"time": "2026-05-29T14:02:31Z", "type": "deploy", "service": "checkout",
         "version": "v2.317", "ref": "checkout@" + MERGE_COMMIT[:7],
         "summary": "checkout-service v2.317 deployed to us-east-1", "rollout": "100%",
         "steps": 1, "actor": "deploy-bot"},
        {"time": "2026-05-29T14:15:04Z", "type": "deploy", "service": "checkout",
         "version": "v2.316", "summary": "rollback to v2.316 initiated",
         "rollout": "100%", "actor": "checkout on-call"},
        {"time": "2026-05-29T14:18:02Z", "type": "deploy", "service": "checkout",
         "version": "v2.316", "summary": "rollback to v2.316 complete",
         "rollout": "100%", "actor": "deploy-bot"},
    ]
    alerts = [
        {"startsAt": "2026-05-29T13:37:00Z", "endsAt": "2026-05-29T13:39:00Z",
         "status": "resolved", "labels": {"alertname": "RecsLatencyP99High", "service": "recs",
                                          "severity": "ticket"},
         "annotations": {"summary": "recs p99 > 300ms for 2m"}},
        {"startsAt": "2026-05-29T14:12:04Z", "status": "firing",
         "labels": {"alertname": "CheckoutErrorRateHigh", "service": "checkout",
                    "severity": "page"},
         "annotations": {"summary": "checkout error rate > 5% for 1m"}},
        {"startsAt": "2026-05-29T14:12:04Z", "endsAt": "2026-05-29T14:19:04Z",
         "status": "resolved", "labels": {"alertname": "CheckoutErrorRateHigh",
                                          "service": "checkout", "severity": "page"},
         "annotations": {"summary": "checkout error rate > 5% for 1m"}},
    ]
    pages = [
        {"created_at": "2026-05-29T14:12:10Z", "incident": "INC-2291", "event": "triggered",
         "summary": "[page] CheckoutErrorRateHigh: checkout error rate > 5% for 1m",
         "service": "checkout", "urgency": "high"},
        {"created_at": "2026-05-29T14:13:02Z", "incident": "INC-2291", "event": "acknowledged",
         "summary": "acknowledged by checkout on-call", "service": "checkout"},
        {"created_at": "2026-05-29T14:24:40Z", "incident": "INC-2291", "event": "resolved",
         "summary": "resolved by checkout on-call", "service": "checkout"},
    ]
    tickets = [
        {"opened": "2026-05-29T14:16:31Z", "ticket": "SUP-88213", "channel": "chat",
         "status": "open", "summary": "Customer: checkout spins, then says something went wrong"},
        {"opened": "2026-05-29T14:21:05Z", "ticket": "SUP-88219", "channel": "email",
         "status": "open", "summary": "Customer charged? order page shows error after payment"},
    ]
    for name, rows in ((CHANGES, changes), (ALERTS, alerts), (PAGES, pages), (TICKETS, tickets)):
        path = os.path.join(out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for row in rows:
                f.write(j(row) + "\n")
    return {CHANGES: len(changes), ALERTS: len(alerts), PAGES: len(pages),
            TICKETS: len(tickets)}


def parse_size(s):
    units = {"": 1, "k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20,
             "g": 1 << 30, "gib": 1 << 30}
    s = s.strip().lower()
    i = len(s)
    while i and not s[i - 1].isdigit():
        i -= 1
    unit = s[i:].strip()
    if unit not in units or not s[:i]:
        raise argparse.ArgumentTypeError("size like 500MiB or 1GiB: %r" % s)
    return int(float(s[:i]) * units[unit])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="folder to write the bundle into")
    ap.add_argument("--scale", type=int, default=1, help="multiply the request rate")
    ap.add_argument("--size", type=parse_size, help="aim for about this many bytes (1GiB)")
    args = ap.parse_args()
    scale = args.scale
    if args.size:
        scale = max(1, round(args.size / BYTES_PER_SCALE))
    if scale < 1:
        ap.error("--scale must be at least 1")
    os.makedirs(args.out, exist_ok=True)
    sim = Sim(args.out, scale)
    sim.run()
    counts = dict(sim.b.lines)
    counts.update(records(args.out))

    def in_window(lo, hi):
        failed = total = 0
        for first, _, level in sim.b.requests.values():
            if lo <= first < hi:
                total += 1
                failed += level >= LEVELS["error"]
        return failed, total

    failed, total = in_window(ONSET, RECOVERY)
    all_failed, all_total = in_window(START - 3600, END + 3600)
    expected = {
        "about": "ground truth written by examples/generate.py; not evidence",
        "scale": scale,
        "incident": {
            "onset": iso_ms(ONSET), "recovery": iso_ms(RECOVERY),
            "trigger_change": {"ref": "v2.317", "time": "2026-05-29T14:02:31Z",
                               "shipped": ["PR #4412"]},
            "merged_change": {"ref": "PR #4412", "time": "2026-05-29T13:58:12Z",
                              "merge_commit": MERGE_COMMIT},
            "invalidate": {"time": iso_ms(ONSET + 0.043), "file": CATALOG},
            "stampede_key": "catalog:v98",
            "saturated_service": "pricing", "saturated_resource": "pricing-db",
            "retry_interval_ms": RETRY_MS,
            "anchor_request": ANCHOR_ID,
            "first_alert": "2026-05-29T14:12:04Z",
        },
        "impact": {
            "window": [iso_ms(ONSET), iso_ms(RECOVERY)],
            "failed": failed, "total": total,
            "rule": "a request is a distinct request id placed at its first event; it failed "
                    "when its last event (ties: the worst) is at level error or above "
                    "(an access-log 5xx is an error)",
        },
        "requests": {"failed": all_failed, "total": all_total},
        "lines": {k: counts[k] for k in sorted(counts)},
    }
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8",
              newline="\n") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")
    print("wrote %s: %d files, %d requests in the incident window, %d failed" %
          (args.out, len(counts), total, failed), file=sys.stderr)


if __name__ == "__main__":
    main()
