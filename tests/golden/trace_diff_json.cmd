trace tests/golden/trace_checkout-good.jaeger.json --id 5af7183fb1d4cf5f --diff tests/golden/trace_checkout-bad.otlp.json --format json
