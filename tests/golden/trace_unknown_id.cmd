#! stderr
trace tests/golden/trace_checkout-bad.otlp.json --id 0123
