# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# External corpora live beside the project, never inside it (see data/README.md).
export FRAMING_DATA ?= $(abspath ../shared/corpora)

.PHONY: demo test install results paper reproduce benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The editable install also compiles the optional C scanners (setup.py, framing/_speedups.c).
$(VENV)/.installed-test: pyproject.toml setup.py framing/_speedups.c | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed-test

demo: $(VENV)/.installed-test
	$(BIN)/framing demo -o reports/demo

# FRAMING_REQUIRE_SPEEDUPS: in CI, and wherever a C compiler and Python's headers are present,
# the compiled scanners must have been built, so their equality tests cannot be skipped; on a
# machine without a compiler the pure-Python paths are tested instead.
REQUIRE_SPEEDUPS = $(if $(filter true 1 yes,$(CI)),1,$(shell $(BIN)/python scripts/has_c_compiler.py))
test: $(VENV)/.installed-test
	FRAMING_REQUIRE_SPEEDUPS=$(REQUIRE_SPEEDUPS) $(BIN)/python -m pytest -q

# Every result, the shipped model, figures and generated documents; finished runs are skipped.
results: $(VENV)/.installed-test
	$(BIN)/python experiments/run_all.py

# The paper from the results files: paper.md, then HTML (pandoc) and PDF (headless chromium).
# It names a missing tool and how to install it rather than installing it.
paper: $(VENV)/.installed-test
	$(BIN)/python experiments/figures.py
	$(BIN)/python paper/build.py

# Everything from data to paper PDF, from scratch, timed (results/reproduce/timing.json).
reproduce: $(VENV)/.installed-test
	$(BIN)/python scripts/reproduce.py

benchmark: $(VENV)/.installed-test
	$(BIN)/python benchmarks/fast_paths.py
	$(BIN)/python benchmarks/bench_label.py
	$(BIN)/python benchmarks/bench_candidates.py
	$(BIN)/python benchmarks/bench_memory.py
	$(BIN)/python benchmarks/bench_dask.py

clean:
	rm -rf $(VENV) reports build *.egg-info
