#! stderr
trace tests/golden/trace_broken.json --id 0102030405060708090a0b0c0d0e0f10
