# Two commands for a newcomer: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck check bench validate schema score clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/anshin run

test: $(STAMP)
	$(BIN)/anshin validate flows
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

validate: $(STAMP)
	$(BIN)/anshin validate flows

# The JSON Schemas under flows/schema/ and the editor line atop each flow file.
schema: $(STAMP)
	$(BIN)/anshin schema

bench: $(STAMP)
	$(BIN)/python -m bench $(SUITES)

score: $(STAMP)
	$(BIN)/python ../shared/tools/score_notices.py ../shared/notices

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
