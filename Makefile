# `make run` and `make test` bootstrap a virtual environment from nothing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_ARGS ?=
SERVE_ARGS ?=

.PHONY: run demo-cli test lint typecheck unit bench fuzz clean

$(STAMP): setup.cfg pyproject.toml constraints-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=69" wheel
	$(BIN)/python -m pip install --quiet -e ".[dev]" -c constraints-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/supplier-qual serve --demo $(SERVE_ARGS)

demo-cli: $(STAMP)
	$(BIN)/supplier-qual assess examples/submissions/northwind-components.json --as-of 2026-11-25 \
		--performance examples/submissions/northwind-performance.json -f text

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/assess_throughput.py $(BENCH_ARGS)
	$(BIN)/python bench/xlsx_upload.py
	$(BIN)/python bench/service_uploads.py
	$(BIN)/python bench/xlsx_worst.py
	$(BIN)/python bench/pages.py

# A longer run of the readers' fuzz tests than `make test` does (FUZZ_EXAMPLES inputs per reader).
FUZZ_EXAMPLES ?= 5000
fuzz: $(STAMP)
	SUPPLIER_QUAL_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -p no:cacheprovider tests/test_fuzz.py

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache .hypothesis
