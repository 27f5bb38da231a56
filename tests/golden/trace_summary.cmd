trace tests/golden/trace_checkout-bad.otlp.json tests/golden/trace_checkout-good.jaeger.json
