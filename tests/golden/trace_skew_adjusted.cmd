#! stderr
trace ../shared/fixtures/traces/zipkin/skew.json --id 1e223ff1f80f1c69 --adjust-skew
