# Convenience targets; scripts/dev does the work (and installs what is missing).
.PHONY: demo test build setup bench format golden
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
