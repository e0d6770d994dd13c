# Two commands set everything up: `make run` (serve the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUNTIME := $(VENV)/.installed-runtime
STAMP_DEV := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format typecheck migrate bench bench-quick check install install-dev clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ needed")'
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "Python's venv module is missing: on Debian/Ubuntu run 'sudo apt install python3-venv'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUNTIME): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	@touch $@

$(STAMP_DEV): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@ $(STAMP_RUNTIME)

install: $(STAMP_RUNTIME)
install-dev: $(STAMP_DEV)

run: $(STAMP_RUNTIME)  ## serve the demo on SQLite and a local media folder
	$(BIN)/marketplace demo --host $(HOST) --port $(PORT)

test: $(STAMP_DEV)  ## the suite (SQLite; set MARKETPLACE_TEST_DATABASE_URL for PostgreSQL)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP_DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

migrate: $(STAMP_RUNTIME)  ## apply migrations to MARKETPLACE_DATABASE_URL
	$(BIN)/marketplace db upgrade

bench: $(STAMP_DEV)  ## benchmarks: figures beside a plain baseline measured in the same run
	@set -e; for script in bench/*.py; do \
		case $$script in bench/_*) continue;; esac; \
		echo "== $$script"; $(BIN)/python $$script; done

bench-quick: $(STAMP_DEV)  ## catalog and checkout on PostgreSQL only, short loads (a shared machine)
	$(BIN)/python bench/catalog.py --quick
	$(BIN)/python bench/orders.py --quick

check: lint typecheck test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var
