"""Every reported number comes from results files: README, data card and model card are
checked against what the scripts generate from ``results/``; the shipped model reproduces
its reported test scores; README code runs."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest

import framing
from framing.evaluate import evaluate_predictions

from .conftest import ROOT


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "experiments" / script), *args], capture_output=True,
                          text=True, cwd=ROOT)


def test_generated_blocks_are_up_to_date(corpora_home) -> None:
    out = run("summarize.py", "--check")
    assert out.returncode == 0, out.stdout + out.stderr


def test_model_card_is_up_to_date(corpora_home) -> None:
    out = run("train_pretrained.py", "--check-card")
    assert out.returncode == 0, out.stdout + out.stderr


def test_shipped_model_reproduces_reported_test_scores(gold, pretrained) -> None:
    metrics = json.loads((ROOT / "results" / "classifier" / "test" / "metrics.json").read_text())
    test = gold[gold["split"] == "test"]
    P = pretrained.predict(test["text"].tolist())
    scores = evaluate_predictions(test[list(framing.LABEL_NAMES)].to_numpy(), P, labels=framing.LABEL_NAMES, n_boot=0)
    for row in scores.itertuples():
        assert row.f1 == pytest.approx(metrics["models"]["combined"][row.label]["f1"], abs=1e-4), row.label
    card = json.loads((ROOT / "framing" / "data" / "framing_model.json").read_text())
    assert np.allclose(pretrained.thresholds_, [card["thresholds"][x] for x in framing.LABEL_NAMES])


def test_readme_python_blocks_run() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_readme_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text()
    assert "\ndemo:" in makefile and "\ntest:" in makefile
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_speed_budget_of_candidates_matches_benchmark() -> None:
    """The candidates ``selection`` excludes for speed are those the benchmark puts over budget."""
    sys.path.insert(0, str(ROOT / "experiments"))
    try:
        from evaluate_classifier import CANDIDATES, OVER_SPEED_BUDGET
    finally:
        sys.path.remove(str(ROOT / "experiments"))
    import pandas as pd

    bench = pd.read_csv(ROOT / "results" / "benchmark" / "candidates.csv")
    assert set(bench["candidate"]) == set(CANDIDATES)
    assert set(bench.loc[~bench["within_budget"], "candidate"]) == set(OVER_SPEED_BUDGET)
    selection = json.loads((ROOT / "results" / "classifier" / "selection" / "metrics.json").read_text())
    for name, cand in selection["candidates"].items():
        assert cand["within_speed_budget"] == (name not in OVER_SPEED_BUDGET)
    assert selection["best"] not in OVER_SPEED_BUDGET
