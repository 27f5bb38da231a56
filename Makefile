# Convenience targets; scripts/dev does the work (and installs what is missing).
.PHONY: demo test build setup bench format golden fuzz
demo:
	scripts/dev demo
test:
	scripts/dev test
build:
	scripts/dev build
setup:
	scripts/dev setup
bench:
	bench/compare.sh
format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i
golden:
	scripts/regen-golden
# Every fuzz target from its corpus for FUZZ_SECONDS each (default 15): make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 15
fuzz:
	INQUEST_FUZZ_SECONDS=$(FUZZ_SECONDS) INQUEST_TEST_SETS=fuzz scripts/dev test
