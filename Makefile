# Two commands set everything up: `make run` (serve the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUNTIME := $(VENV)/.installed-runtime
STAMP_DEV := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
# gettext: English msgids, the Indonesian catalog compiled to .mo by the build (not committed)
LOCALE := src/marketplace/locale
CATALOG := $(LOCALE)/id/LC_MESSAGES/messages.po
COMPILED := $(LOCALE)/id/LC_MESSAGES/messages.mo
BABEL_KEYWORDS := -k gettext_in:2

.PHONY: run test lint format typecheck migrate bench bench-quick check install install-dev clean \
	translations translations-compile check-translations

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ needed")'
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "Python's venv module is missing: on Debian/Ubuntu run 'sudo apt install python3-venv'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUNTIME): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	$(BIN)/pybabel -q compile -i $(CATALOG) -o $(COMPILED)
	@touch $@

$(STAMP_DEV): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/pybabel -q compile -i $(CATALOG) -o $(COMPILED)
	@touch $@ $(STAMP_RUNTIME)

# a changed catalog is compiled again before the next run or test
$(COMPILED): $(CATALOG) | $(STAMP_RUNTIME)
	$(BIN)/pybabel -q compile -i $(CATALOG) -o $(COMPILED)

translations-compile: $(STAMP_RUNTIME)  ## compile the catalog (.po -> .mo)
	$(BIN)/pybabel -q compile -i $(CATALOG) -o $(COMPILED)

translations: $(STAMP_DEV)  ## extract the texts into var/messages.pot and merge them into the id catalog
	@mkdir -p var
	$(BIN)/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output \
		-o var/messages.pot src templates
	$(BIN)/pybabel -q update -i var/messages.pot -o $(CATALOG) -l id --ignore-obsolete

check-translations: $(STAMP_DEV)  ## fail on a text missing, untranslated, fuzzy or obsolete in the catalog
	$(BIN)/python .ci/translations

install: $(STAMP_RUNTIME)
install-dev: $(STAMP_DEV)

run: $(STAMP_RUNTIME) $(COMPILED)  ## serve the demo on SQLite and a local media folder
	$(BIN)/marketplace demo --host $(HOST) --port $(PORT)

test: $(STAMP_DEV) $(COMPILED)  ## the suite (SQLite; set MARKETPLACE_TEST_DATABASE_URL for PostgreSQL)
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

check: lint typecheck check-translations test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var
