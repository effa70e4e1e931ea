"""The student notebooks run, top to bottom, on the bundled data, and each .ipynb is the
jupytext pair of its .py (the .py is the text that diffs; the .ipynb opens in Jupyter)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "experiments" / "notebooks").glob("*.py"))


def test_there_are_at_least_three_notebooks() -> None:
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_pair_is_in_sync(path: Path) -> None:
    jupytext = pytest.importorskip("jupytext")
    paired = path.with_suffix(".ipynb")
    assert paired.exists(), f"{paired.name} missing: run 'jupytext --to ipynb {path.name}'"
    text = [(c.cell_type, c.source) for c in jupytext.read(path).cells]
    notebook = [(c.cell_type, c.source) for c in jupytext.read(paired).cells]
    assert text == notebook, f"{paired.name} differs from {path.name}: run 'jupytext --sync {path.name}'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_bundled_data(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    # bundled data only: no data home
    monkeypatch.setenv("FRAMING_DATA", str(tmp_path / "no_corpora_here"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = jupytext.read(path)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    assert os.environ.get("FRAMING_DATA", "").endswith("no_corpora_here")
