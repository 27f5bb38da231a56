#! stderr
timeline tests/golden/trace_checkout-logs.jsonl tests/golden/trace_checkout-bad.otlp.json --trace 4bf92f3577b34da6a3ce929d0e0e4736
