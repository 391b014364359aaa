# Two commands for a fresh clone: `make demo` (offline end-to-end run) and `make test` (the suite).
# Both create .venv and install what they need into it, nothing outside it. `make browser` (opt-in)
# installs Chromium system-wide for the one rendered-digest test, which skips without it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: install demo test lint format browser benchmarks clean

# Bytecode is compiled once at install, as pip does for a wheel: where PYTHONDONTWRITEBYTECODE is set
# (as in CI) every process would otherwise compile what it imports (Prefect alone: ~3 CPU-s a process).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	$(BIN)/python -m compileall -q -j 0 src flows  # the editable checkout too
	touch $(STAMP)

install: $(STAMP)

# The demo keeps its warehouse and digests in the checkout (made anew each time).
demo: install
	rm -f warehouse/demo.duckdb warehouse/demo.duckdb.wal
	$(BIN)/ivig-lit demo --warehouse warehouse/demo.duckdb --out warehouse/demo-digests

# Opt-in, outside the venv: headless Chromium (apt-get, as root) for the rendered-digest test.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the digest browser test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: the browser test will skip"; \
	  else echo "no chromium and no root apt-get: the browser test will skip"; fi; }

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup  # groups: see tests/conftest.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cog --check README.md

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/cog -r README.md

benchmarks: install
	$(BIN)/python benchmarks/parse_speed.py --sizes 20000
	$(BIN)/python benchmarks/tagging_eval.py
	$(BIN)/python benchmarks/direction_eval.py
	$(BIN)/python benchmarks/status_eval.py
	$(BIN)/python benchmarks/retrieval_eval.py
	$(BIN)/python benchmarks/nightly_requests.py
	$(BIN)/python benchmarks/load_speed.py
	$(BIN)/python benchmarks/chart_speed.py

clean:
	rm -rf $(VENV) warehouse/*.duckdb warehouse/*.wal warehouse/digests warehouse/demo-digests
