# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# External corpora live beside the project, never inside it (see data/README.md).
export FRAMING_DATA ?= $(abspath ../shared/corpora)

.PHONY: demo test install results benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed-test

demo: $(VENV)/.installed-test
	$(BIN)/framing demo -o reports/demo

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

results: $(VENV)/.installed-test
	$(BIN)/python experiments/run_all.py

benchmark: $(VENV)/.installed-test
	$(BIN)/python benchmarks/fast_paths.py
	$(BIN)/python benchmarks/bench_label.py

clean:
	rm -rf $(VENV) reports build *.egg-info
