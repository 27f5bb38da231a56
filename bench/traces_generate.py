#!/usr/bin/env python3
"""Writes a large OTLP/JSON trace export for bench/traces_compare.sh: JSON lines as the
OpenTelemetry Collector's file exporter writes them, one ExportTraceServiceRequest per line, each
holding one trace of 6-14 spans across four services (one resourceSpans per service). Ids are
lower-case hex, times nanoseconds as strings, as the exporter writes them. Deterministic (fixed
seed), so runs compare the same bytes.

    bench/traces_generate.py --size 1GiB bench/data/traces-1g.json
    bench/traces_generate.py --single-document --size 64MiB out.json   # one {"resourceSpans"}

Prints the id of a trace from the middle of the file (for --id) on stdout.
"""
import argparse
import random
import re
import sys

SERVICES = [("checkout", "10.0.0.11"), ("pricing", "10.0.0.12"), ("inventory", "10.0.0.13"),
            ("postgres-proxy", "10.0.0.14")]
OPS = {"checkout": ["POST /cart/checkout", "validate", "render"],
       "pricing": ["fetchCatalog", "applyDiscounts", "cache.get"],
       "inventory": ["reserve", "GET /stock"],
       "postgres-proxy": ["db.acquire", "SELECT catalog", "UPDATE stock"]}

SPAN = ('{{"traceId":"{tid}","spanId":"{sid}","parentSpanId":"{pid}","name":"{name}","kind":{kind},'
        '"startTimeUnixNano":"{start}","endTimeUnixNano":"{end}","attributes":['
        '{{"key":"http.method","value":{{"stringValue":"POST"}}}},'
        '{{"key":"http.route","value":{{"stringValue":"/api/v2/{name}"}}}},'
        '{{"key":"http.status_code","value":{{"intValue":"{status}"}}}},'
        '{{"key":"net.peer.name","value":{{"stringValue":"{peer}.internal.example.com"}}}},'
        '{{"key":"thread.id","value":{{"intValue":"{thread}"}}}},'
        '{{"key":"request.id","value":{{"stringValue":"req-{tid8}-{n}"}}}},'
        '{{"key":"user.agent","value":{{"stringValue":"Mozilla/5.0 (X11; Linux x86_64) inquest-bench/1.0"}}}},'
        '{{"key":"db.statement","value":{{"stringValue":"SELECT id, name, price FROM catalog WHERE sku = $1 AND region = $2"}}}}'
        '],"events":[{events}],"status":{{{status_obj}}}}}')
EVENT = ('{{"timeUnixNano":"{t}","name":"exception","attributes":['
         '{{"key":"exception.type","value":{{"stringValue":"TimeoutError"}}}},'
         '{{"key":"exception.message","value":{{"stringValue":"pool exhausted after 4000 ms"}}}}]}}')
RESOURCE = ('{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"{svc}"}}}},'
            '{{"key":"host.name","value":{{"stringValue":"{host}"}}}},'
            '{{"key":"telemetry.sdk.language","value":{{"stringValue":"go"}}}}]}},'
            '"scopeSpans":[{{"scope":{{"name":"bench","version":"1.0.0"}},"spans":[{spans}]}}]}}')


def parse_size(s):
    m = re.fullmatch(r"(\d+)\s*(KiB|MiB|GiB|)", s)
    if not m:
        sys.exit(f"bad --size {s!r} (e.g. 1GiB, 64MiB)")
    return int(m.group(1)) * {"": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[m.group(2)]


def trace(rng, t0, n_trace):
    tid = "%032x" % rng.getrandbits(128)
    n = rng.randint(6, 14)
    spans = []  # (service index, text)
    ids = []
    start = t0
    for i in range(n):
        sid = "%016x" % rng.getrandbits(64)
        svc = 0 if i == 0 else rng.randrange(len(SERVICES))
        if i == 0:
            pid, s, e = "", start, start + rng.randint(20, 400) * 1_000_000
            root_end = e
        else:
            p = rng.randrange(len(ids))
            pid = ids[p][0]
            ps, pe = ids[p][1], ids[p][2]
            s = min(pe, ps + rng.randint(0, max(1, (pe - ps) // 2)))
            e = min(pe, s + rng.randint(1, max(2, (pe - s))))
        err = rng.random() < 0.02
        events = EVENT.format(t=e) if err else ""
        name = rng.choice(OPS[SERVICES[svc][0]])
        spans.append((svc, SPAN.format(
            tid=tid, sid=sid, pid=pid, name=name, kind=2 if i == 0 else 3, start=s, end=e,
            status=500 if err else 200, peer=SERVICES[svc][0], thread=rng.randint(1, 64),
            tid8=tid[:8], n=i, events=events,
            status_obj='"code":2,"message":"pool exhausted"' if err else "")))
        ids.append((sid, s, e))
    return tid, spans


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1GiB")
    ap.add_argument("--single-document", action="store_true")
    ap.add_argument("out")
    a = ap.parse_args()
    target = parse_size(a.size)
    rng = random.Random(20260529)
    t0 = 1_780_000_000_000_000_000
    written = 0
    middle = None
    n = 0
    with open(a.out, "w") as f:
        if a.single_document:
            f.write('{"resourceSpans":[')
        first = True
        while written < target:
            tid, spans = trace(rng, t0 + n * 1_000_000, n)
            by = {}
            for svc, text in spans:
                by.setdefault(svc, []).append(text)
            rs = ",".join(RESOURCE.format(svc=SERVICES[s][0], host=SERVICES[s][1],
                                          spans=",".join(t)) for s, t in sorted(by.items()))
            if a.single_document:
                line = ("" if first else ",\n") + rs
            else:
                line = '{"resourceSpans":[' + rs + ']}\n'
            first = False
            f.write(line)
            written += len(line)
            n += 1
            if middle is None and written >= target // 2:
                middle = tid
        if a.single_document:
            f.write("]}\n")
    print(middle)


if __name__ == "__main__":
    main()
