# The two commands of the README: `make demo` (set-up, then the demo) and `make test` (set-up, then tests).
.PHONY: setup demo test bench

setup:
	./scripts/setup.sh

demo: setup
	.venv/bin/newsmon demo

test: setup
	./scripts/test.sh

bench: setup
	.venv/bin/python bench/run.py
