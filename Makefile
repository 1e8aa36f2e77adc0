# The front door. `make run` and `make test` work on a fresh machine with Python 3.11, pip and make.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: install run test test-fast dev lint bench clean system-deps suites

$(STAMP): pyproject.toml requirements.lock
	@test -d $(VENV) || { echo "creating $(VENV) ..."; $(PYTHON) -m venv $(VENV); }
	@echo "installing the pinned packages into $(VENV) (about 60 s on a fresh machine) ..."
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install the pinned dependencies
	@bash scripts/vendor_data_docs_assets.sh
	@$(BIN)/python -c "from orchestration.dbt.project import ensure_manifest; ensure_manifest()"

run: install  ## build the warehouse from the bundled sample reports
	@# Dagster's instance goes beside the warehouse (warehouse/.dagster) unless DAGSTER_HOME is set by
	@# the caller: the .dagster_home default above is make dev's
	$(if $(filter file,$(origin DAGSTER_HOME)),env -u DAGSTER_HOME) $(BIN)/provreport run --landing samples/landing --warehouse warehouse/provincial.duckdb

system-deps:  ## PostgreSQL and Chromium from Debian packages, for the tests that need them
	@bash scripts/system_deps.sh

# Python's bytecode and pytest's rewritten test modules are cached outside the checkout, so a run does not
# compile and rewrite them all again (as it would under PYTHONDONTWRITEBYTECODE) and writes nothing in the tree
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$${TMPDIR:-/tmp}/provreport-pycache

test: install system-deps  ## the whole test suite (CI calls this)
	$(TEST_ENV) $(BIN)/python -m pytest

test-fast: install  ## unit tests only, under 60 s: no pipeline, dbt, Great Expectations, browser, reader process or PostgreSQL
	$(TEST_ENV) $(BIN)/python -m pytest -m "not slow and not postgres"

dev: install  ## Dagster's UI on http://127.0.0.1:3000
	@# exec: make's shell becomes `provreport dev`, which runs `dagster dev` in its own process group and
	@# ends that whole group on SIGTERM/SIGINT/SIGHUP or when make itself ends (dagster dev started by a
	@# script ignores SIGINT and SIGTERM)
	exec $(BIN)/provreport dev -m orchestration.definitions -h 127.0.0.1 -p 3000

suites: $(STAMP)  ## write the committed Great Expectations suites (expectations/gx) from expectations/suites.py
	$(BIN)/python -c 'from expectations.validate import main; main()'

lint: install
	$(BIN)/ruff check .
	DUCKDB_PATH=$${DUCKDB_PATH:-/tmp/provreport-lint.duckdb} $(BIN)/sqlfluff lint dbt_project/models dbt_project/tests

clean:
	rm -rf warehouse .dagster_home dbt_project/target dbt_project/logs
