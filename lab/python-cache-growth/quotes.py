"""The quote service's pricing: renders a quote for a symbol and a customer tier, and caches
every rendered quote forever."""
import json

# Rendered quotes by (symbol, tier, minute). Nothing ever evicts an entry: the minute in the key
# makes every minute's quotes new entries, so the cache grows for as long as the service runs.
_QUOTE_CACHE = {}

_TIER_MARGIN = {"retail": 0.015, "pro": 0.006, "desk": 0.002}


def render_quote(symbol, tier, minute, mid):
    margin = _TIER_MARGIN[tier]
    body = {"symbol": symbol, "tier": tier, "minute": minute,
            "bid": round(mid * (1 - margin), 4), "ask": round(mid * (1 + margin), 4),
            "disclaimer": "Indicative only; not an offer to trade. " * 16}
    return json.dumps(body)


def cache_quote(symbol, tier, minute, mid):
    key = (symbol, tier, minute)
    quote = _QUOTE_CACHE.get(key)
    if quote is None:
        quote = _QUOTE_CACHE[key] = render_quote(symbol, tier, minute, mid).encode()
    return quote


def cached_quotes():
    return len(_QUOTE_CACHE)
