# Two commands for people: `make serve` and `make test`. Each installs what it needs
# from the project's own files (pyproject.toml, package-lock.json, Debian packages),
# and a second run reuses what is already installed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
# Extra build options, e.g. `make build BUILD_FLAGS=--pyodide-cdn` to load Pyodide from a CDN.
BUILD_FLAGS ?=

# What each installs (pyproject.toml): the package with the build extra; the test extra
# (which includes the build extra); the bench extra.
BUILD_STAMP := $(VENV)/.installed-build
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
NODE_STAMP := node_modules/.installed

.PHONY: serve build test check strict update-expected update-golden bench chromium clean

serve: $(BUILD_STAMP) $(NODE_STAMP)
	$(PY) -m lessonbuild --serve --port $(PORT) $(BUILD_FLAGS)

build: $(BUILD_STAMP) $(NODE_STAMP)
	$(PY) -m lessonbuild $(BUILD_FLAGS)

test: $(TEST_STAMP) $(NODE_STAMP) chromium
	$(PY) -m pytest

# Run every demo in CPython against its expected log, check the exercises, build, check links.
check: $(BUILD_STAMP) $(NODE_STAMP)
	$(PY) -m lessonbuild --check

# Build with warnings as errors, exercises checked.
strict: $(BUILD_STAMP) $(NODE_STAMP)
	$(PY) -m lessonbuild --strict

# Rewrite the expected logs from the demos, and show what changed (review the diff!).
update-expected: $(BUILD_STAMP)
	$(PY) -m lessonbuild --update-expected

# Re-capture the conformance suite's golden transcripts from real Prefect (review the diff!).
update-golden: $(TEST_STAMP)
	CONFORMANCE_UPDATE_GOLDEN=1 $(PY) -m pytest tests/conformance -m real

bench: $(TEST_STAMP) $(BENCH_STAMP) $(NODE_STAMP) chromium
	$(PY) -m bench

chromium:
	@bash scripts/ensure-chromium.sh

$(PY):
	$(PYTHON) -m venv $(VENV)

$(BUILD_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[build]'
	@touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

$(BENCH_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[bench]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf _site .build test-artifacts
