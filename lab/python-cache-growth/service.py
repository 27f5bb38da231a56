"""A quote service under tracemalloc: it answers a stream of quote requests, one simulated
minute at a time, and writes two tracemalloc snapshots a few minutes apart through the dump
handler (handlers/python/inquest_dumps.py), as the primer teaches for a Python process whose
memory creeps up.

    python3 service.py OUTDIR [MINUTES_BEFORE] [MINUTES_BETWEEN]

The handler writes into OUTDIR: quotes-PID-TIME-tracemalloc.pickle twice and manifest.json.
"""
import os
import random
import sys

HANDLERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "handlers",
                        "python")
sys.path.insert(0, os.path.normpath(HANDLERS))
import inquest_dumps  # noqa: E402

# First thing, before the service's modules are imported, so that their allocations are traced:
# the handler starts tracemalloc with 25 frames (deep enough to see which request handler called
# the cache, as in production). In production SIGUSR2 or the watchdog (traced_limit=...) would
# take the snapshots; the drill takes them at fixed points with dump_now().
handler = inquest_dumps.install(sys.argv[1], program="quotes", tracemalloc_frames=25)

import quotes  # noqa: E402

SYMBOLS = ["ACME", "GLOBX", "INITECH", "UMBRL", "WAYNE", "STARK", "TYRELL", "CYBRD", "HOOLI",
           "PIEDP", "SOYL", "MASSV", "OSCP", "VNDLY", "WONKA", "BLUTH", "DUNMF", "SIRUS",
           "GRNGT", "NAKAT", "YOYO", "KRUST", "ZORG", "OCP", "MOMCO", "VIDCN", "TREDS", "NUKA",
           "RDAIR", "APERT", "BIGKA", "GEKKO", "LACUN", "OMNI", "PLNXP", "QUIX", "RAVEN",
           "SPCLY", "TAGGA", "ULTOR"]
TIERS = ["retail", "pro", "desk"]


class Session:
    """A client's session: a small, bounded history of the quotes it saw."""

    def __init__(self, client):
        self.client = client
        self.recent = []

    def saw(self, quote):
        self.recent.append(len(quote))
        del self.recent[:-16]


def handle_request(sessions, rng, minute):
    client = "client-%d" % rng.randrange(200)
    session = sessions.setdefault(client, Session(client))
    symbol = rng.choice(SYMBOLS)
    tier = rng.choice(TIERS)
    quote = quotes.cache_quote(symbol, tier, minute, 100 + rng.random() * 50)
    session.saw(quote)
    return quote


def serve(sessions, rng, first_minute, minutes, requests_per_minute=600):
    for minute in range(first_minute, first_minute + minutes):
        for _ in range(requests_per_minute):
            handle_request(sessions, rng, minute)


def main():
    before = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    between = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    rng = random.Random(7)
    sessions = {}
    serve(sessions, rng, 0, before)
    first = handler.dump_now(kinds=("tracemalloc",))
    print("%s: %d cached quotes" % (" ".join(map(os.path.basename, first)),
                                    quotes.cached_quotes()), file=sys.stderr)
    serve(sessions, rng, before, between)
    second = handler.dump_now(kinds=("tracemalloc",))
    print("%s: %d cached quotes" % (" ".join(map(os.path.basename, second)),
                                    quotes.cached_quotes()), file=sys.stderr)
    handler.uninstall()
    if not first or not second:
        sys.exit(1)


if __name__ == "__main__":
    main()
