#! stderr
changes tests/golden/changes-deploys.jsonl --onset yesterday
