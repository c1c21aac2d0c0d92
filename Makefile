# On a fresh machine: `make run` sets up .venv with only what the app needs and opens it on
# your diary; `make demo` opens it on a generated diary; `make test` adds the test and lint
# tools and runs them. Each step says what it is doing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP := $(VENV)/.app-installed
DEV := $(VENV)/.dev-installed
# Nothing is byte-compiled ahead: the app compiles what it imports when it first starts.
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile

.PHONY: run demo test test-fast lint bench clean

$(APP): pyproject.toml
	@echo "Setting up $(VENV) with the packages the app needs (first time only)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(PIP) -e .
	@touch $(APP)
	@echo "Ready. Next time: 'make run' (your diary), 'make demo' (a generated one),"
	@echo "or '$(BIN)/companion' with any of its commands ('$(BIN)/companion --help')."

$(DEV): $(APP)
	@echo "Adding the test and lint tools to $(VENV) (first time only)..."
	@$(PIP) -e '.[dev]'
	@touch $(DEV)

run: $(APP)
	$(BIN)/companion

demo: $(APP)
	$(BIN)/companion --demo

lint: $(DEV)
	$(BIN)/ruff check companion screens tests benchmarks scripts
	$(BIN)/ruff format --check companion screens tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/readme.py --check

test: lint
	$(BIN)/python -m pytest -n 2

# While working: every test but those marked slow (4 s or more each: kills and races between
# processes, 20,000-entry diaries, tours of every screen), without the lint; make test runs all.
test-fast: $(DEV)
	$(BIN)/python -m pytest -n 2 -m "not slow"

bench: $(DEV)
	$(PIP) -e '.[dev,bench]'
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) dist build .mypy_cache .ruff_cache
