# Two entry points (see README): `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test setup setup-dev lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

setup: $(BIN)/python
	$(PIP) install -c constraints.txt -e .

setup-dev: $(BIN)/python
	$(PIP) install -c constraints.txt -e '.[dev,postgresql,batch,web]'

demo: setup
	$(BIN)/claimtrace demo

LINTED := $(wildcard src tests bench training)

lint: setup-dev
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: setup-dev
	$(BIN)/mypy

# pytest exits 5 when it collects no tests: that is a failure here, as any non-zero exit is.
pytest: setup-dev
	$(BIN)/python -m pytest

test: lint typecheck pytest

bench: setup-dev
	$(BIN)/python -m bench.speed

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist
