# Every target creates .venv on first use, so a fresh clone needs nothing else.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test demo train-ner ner-eval clean-venv

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11+ or run 'make PYTHON=python3 ...'"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: track every source in sources.toml (live HTTP), print the change report
run: $(STAMP)
	$(BIN)/rosterwatch track

## demo: replay the fixture history offline into ./demo-data and print the report
demo: $(STAMP)
	$(BIN)/rosterwatch --data-dir demo-data track --replay tests/fixtures/history

## test: the test suite (what CI runs)
test: $(STAMP)
	$(BIN)/python -m pytest -q

clean-venv:
	rm -rf $(VENV)
