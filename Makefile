# The two commands of the README: `make demo` and `make test`. Each sets up its own venv.
# `make check` is the edit loop's fast tier; `make test` (CI, .ci/run) runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= $(CURDIR)/.demo-office
# Workers of `make check` (pytest-xdist): one per core.
WORKERS ?= auto

.PHONY: demo test check lint bench bench-quick clean venv translations screenshots package wheel

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[ui,dev]"
	touch $(STAMP)

venv: $(STAMP)

# The frozen program's own venv: the runtime dependencies and the `build` extra (PyInstaller,
# build), no test tools, so the folder carries what the wheel installs and nothing more.
BUILD_VENV ?= .venv-package
BUILD_BIN := $(BUILD_VENV)/bin
BUILD_STAMP := $(BUILD_VENV)/.installed
$(BUILD_STAMP): pyproject.toml
	$(PYTHON) -m venv $(BUILD_VENV)
	$(BUILD_BIN)/python -m pip install --quiet --upgrade pip
	$(BUILD_BIN)/python -m pip install --quiet -e ".[ui,build]"
	touch $(BUILD_STAMP)

demo: $(STAMP)
	@$(BIN)/cac demo --data-dir "$(DEMO_DIR)"

test: $(STAMP)
	$(BIN)/ruff check kiosk ui sync printing tests bench packaging
	$(BIN)/mypy kiosk sync printing ui
	$(BIN)/mypy packaging/smoke.py packaging/wheel_check.py
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

# Every test but the benches, the fuzzer and the whole-program runs (pytest markers, see
# pyproject.toml), on WORKERS processes: the edit loop. Lint and the rest stay with `make test`.
check: $(STAMP)
	$(BIN)/python -m pytest -q -n $(WORKERS) -m "not bench and not fuzz and not system"

lint: $(STAMP)
	$(BIN)/ruff check kiosk ui sync printing tests bench packaging
	$(BIN)/mypy kiosk sync printing ui
	$(BIN)/mypy packaging/smoke.py packaging/wheel_check.py
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/queue_latency.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/sync_push.py
	$(BIN)/python bench/hub_load.py
	$(BIN)/python bench/app_start.py
	$(BIN)/python bench/stats_year.py
	$(BIN)/python bench/login_flood.py
	$(BIN)/python bench/idle_connections.py
	$(BIN)/python bench/central_scale.py
	$(BIN)/python bench/sign_minute.py

bench-quick: $(STAMP)
	$(BIN)/python bench/queue_latency.py --quick
	$(BIN)/python bench/search.py --quick
	$(BIN)/python bench/sync_push.py --quick
	$(BIN)/python bench/hub_load.py --quick
	$(BIN)/python bench/app_start.py --quick
	$(BIN)/python bench/stats_year.py --quick
	$(BIN)/python bench/login_flood.py --quick
	$(BIN)/python bench/idle_connections.py --quick
	$(BIN)/python bench/central_scale.py --quick
	$(BIN)/python bench/sign_minute.py --quick

# Every window rendered offscreen into screenshots/ (file names say which window).
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ui.screenshots

# Refresh the .ts sources from the code, then compile them (translate new texts in between).
translations: $(STAMP)
	for lang in qu ay en; do \
		$(BIN)/pyside6-lupdate ui/kiosk/*.py -no-obsolete -locations none \
			-target-language $$lang -ts assets/i18n/kiosk_$$lang.ts; \
		$(BIN)/pyside6-lrelease assets/i18n/kiosk_$$lang.ts -qm assets/i18n/kiosk_$$lang.qm; \
	done

# The one-folder program a municipality installs (README «Install on an office PC»):
# dist/cac/cac from packaging/cac.spec (the same spec on Windows), then its smoke run.
package: $(BUILD_STAMP)
	rm -rf dist/cac dist/smoke-screenshots
	$(BUILD_BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
		packaging/cac.spec
	$(BUILD_BIN)/python packaging/smoke.py

# The wheel and sdist in dist/wheel/, installed on a clean venv and run there.
wheel: $(BUILD_STAMP)
	rm -rf dist/wheel
	$(BUILD_BIN)/python packaging/wheel_check.py

clean:
	rm -rf $(VENV) $(BUILD_VENV) .demo-office .pytest_cache .mypy_cache .ruff_cache build dist
