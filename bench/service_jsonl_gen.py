#!/usr/bin/env python3
"""Writes about SIZE bytes of JSON lines in the shape most services log: a time, a level, a
message, a request id, a numeric status and a latency_ms per line, a few percent of errors and
an error burst in the middle. Deterministic (seeded).

    bench/service_jsonl_gen.py OUT.jsonl 1GiB
"""
import random
import sys
from datetime import datetime, timedelta, timezone


def parse_size(s):
    units = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}
    for u, m in units.items():
        if s.endswith(u):
            return int(float(s[: -len(u)]) * m)
    return int(s)


def main():
    out, size = sys.argv[1], parse_size(sys.argv[2])
    rng = random.Random(7)
    t = datetime(2026, 5, 29, 9, 0, 0, tzinfo=timezone.utc)
    paths = ["/api/cart", "/api/checkout", "/api/items", "/api/user", "/healthz"]
    written = 0
    n = 0
    with open(out, "w", buffering=1 << 20) as f:
        batch = []
        while written < size:
            t += timedelta(microseconds=rng.randrange(200, 4000))
            burst = 0.45 < written / size < 0.5
            err = rng.random() < (0.3 if burst else 0.01)
            status = rng.choice([500, 502, 503]) if err else rng.choice([200, 200, 200, 201, 404])
            line = ('{"time":"%s","level":"%s","msg":"%s","request_id":"%016x","path":"%s",'
                    '"status":%d,"latency_ms":%d,"pod":"api-%d"}\n' % (
                        t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                        "error" if err else "info",
                        "upstream failed" if err else "request served",
                        rng.getrandbits(64), rng.choice(paths), status,
                        rng.randrange(800, 4000) if err else rng.randrange(2, 180),
                        rng.randrange(8)))
            batch.append(line)
            written += len(line)
            n += 1
            if len(batch) >= 10000:
                f.write("".join(batch))
                batch = []
        f.write("".join(batch))
    print("wrote %s: %d lines, %d bytes" % (out, n, written))


if __name__ == "__main__":
    main()
