# The two commands of the README: `make demo` and `make test`. Each sets up its own venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= $(CURDIR)/.demo-office

.PHONY: demo test lint bench bench-quick clean venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[ui,dev]"
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/cac demo --data-dir "$(DEMO_DIR)"

test: $(STAMP)
	$(BIN)/ruff check kiosk ui sync printing tests bench
	$(BIN)/mypy kiosk sync printing
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check kiosk ui sync printing tests bench
	$(BIN)/mypy kiosk sync printing
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/queue_latency.py

bench-quick: $(STAMP)
	$(BIN)/python bench/queue_latency.py --quick

clean:
	rm -rf $(VENV) .demo-office .pytest_cache .mypy_cache .ruff_cache
