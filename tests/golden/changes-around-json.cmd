changes tests/golden/changes-deploys.jsonl --around 2026-05-29T14:00:00Z --window 30m --format json
