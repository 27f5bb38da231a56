trace tests/golden/trace_checkout-bad.otlp.json --id 4bf92f3577b34da6a3ce929d0e0e4736 --format json
