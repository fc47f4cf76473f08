# Two commands for a newcomer: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck check bench validate score fuzz clean

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

bench: $(STAMP)
	$(BIN)/python -m bench $(SUITES)

# Hostile input through the assistant's seam on real SQLite files: 800 runs of 100 to 200
# inputs (at least 100,000 in all), with the figures at the end. CI runs a short round.
fuzz: $(STAMP)
	ANSHIN_FUZZ_EXAMPLES=800 ANSHIN_FUZZ_MOVES=200 $(BIN)/python -m pytest tests/hardening/test_fuzz.py -q -s -p no:cacheprovider

score: $(STAMP)
	$(BIN)/python ../shared/tools/score_notices.py ../shared/notices

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
