# Two commands on a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test fuzz bench install clean catalogue

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ucj needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/ucj simulate scenarios/blitar-2025.yaml

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

fuzz: $(TEST_STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzz.py -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python bench/bench.py

catalogue: $(STAMP)
	$(BIN)/python -m ucj_cli.i18n.msgfmt

clean:
	rm -rf $(VENV) build *.egg-info
