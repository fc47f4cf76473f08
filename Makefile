# Two commands for a newcomer: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run` installs only what the bot needs; the test and dev tools come with `make test` and
# the other developer targets. Compat mode puts the checkout itself on the path: edits take
# effect at once, and setuptools has nothing to warn about.
INSTALL := $(BIN)/python -m pip install --quiet --config-settings editable_mode=compat
BOT_STAMP := $(VENV)/.installed-bot
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint typecheck check bench validate schema score fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BOT_STAMP): pyproject.toml | $(BIN)/python
	$(INSTALL) -e '.[ocr]'
	touch $(BOT_STAMP)

$(DEV_STAMP): $(BOT_STAMP)
	$(INSTALL) -e '.[test,dev]'
	touch $(DEV_STAMP)

run: $(BOT_STAMP)
	$(BIN)/anshin run

test: $(DEV_STAMP)
	$(BIN)/anshin validate flows
	$(BIN)/python -m pytest -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check bot tests bench fakebot
	$(BIN)/ruff format --check bot tests bench fakebot

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

check: lint typecheck test

validate: $(BOT_STAMP)
	$(BIN)/anshin validate flows

# The JSON Schemas under flows/schema/ and the editor line atop each flow file.
schema: $(BOT_STAMP)
	$(BIN)/anshin schema

bench: $(DEV_STAMP)
	$(BIN)/python -m bench $(SUITES)

# Hostile input through the assistant's seam on real SQLite files: 800 runs of 100 to 200
# inputs (at least 100,000 in all), with the figures at the end. CI runs a short round.
fuzz: $(DEV_STAMP)
	HYPOTHESIS_PROFILE=explore ANSHIN_FUZZ_EXAMPLES=800 ANSHIN_FUZZ_MOVES=200 $(BIN)/python -m pytest tests/hardening/test_fuzz.py -q -s -p no:cacheprovider

# One process for the whole set (anshin explain --json FILE...): NOTICES=DIR scores another set.
NOTICES ?= ../shared/notices
score: $(BOT_STAMP)
	$(BIN)/python ../shared/tools/score_notices.py $(NOTICES) --batch --cmd "$(BIN)/anshin explain --json {files}"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
