# Two commands for people: `make serve` and `make test`. Each installs what it needs
# from the project's own files (pyproject.toml, package-lock.json, Debian packages),
# and a second run reuses what is already installed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
# Extra build options, e.g. `make build BUILD_FLAGS=--pyodide-cdn` to load Pyodide from a CDN.
BUILD_FLAGS ?=

BASE_STAMP := $(VENV)/.installed-base
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
NODE_STAMP := node_modules/.installed

.PHONY: serve build test check strict update-expected update-golden bench chromium clean

serve: $(BASE_STAMP) $(NODE_STAMP)
	$(PY) build.py --serve --port $(PORT) $(BUILD_FLAGS)

build: $(BASE_STAMP) $(NODE_STAMP)
	$(PY) build.py $(BUILD_FLAGS)

test: $(TEST_STAMP) $(NODE_STAMP) chromium
	$(PY) -m pytest

# Run every demo in CPython against its expected log, check the exercises, build, check links.
check: $(BASE_STAMP) $(NODE_STAMP)
	$(PY) build.py --check

# Build with warnings as errors, exercises checked.
strict: $(BASE_STAMP) $(NODE_STAMP)
	$(PY) build.py --strict

# Rewrite the expected logs from the demos, and show what changed (review the diff!).
update-expected: $(BASE_STAMP)
	$(PY) build.py --update-expected

# Re-capture the conformance suite's golden transcripts from real Prefect (review the diff!).
update-golden: $(TEST_STAMP)
	CONFORMANCE_UPDATE_GOLDEN=1 $(PY) -m pytest tests/conformance -m real

bench: $(TEST_STAMP) $(BENCH_STAMP) $(NODE_STAMP) chromium
	$(PY) -m bench

chromium:
	@bash scripts/ensure-chromium.sh

$(PY):
	$(PYTHON) -m venv $(VENV)

$(BASE_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml $(BASE_STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

$(BENCH_STAMP): pyproject.toml $(BASE_STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf _site .build test-artifacts
