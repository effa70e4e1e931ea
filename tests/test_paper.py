"""The paper's numbers come from the results files: paper/paper.md is what the template gives
with today's results, and the template has no number typed into it."""
from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_paper_numbers_equal_the_results_files() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "paper" / "build.py"), "--check"], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_template_has_no_typed_numbers() -> None:
    sys.path.insert(0, str(ROOT / "paper"))
    try:
        from build import stray_numbers
    finally:
        sys.path.remove(str(ROOT / "paper"))
    template = (ROOT / "paper" / "paper.md.in").read_text()
    assert stray_numbers(template) == []
    # the check would catch one
    assert stray_numbers(template + "\nThe classifier reached 0.71 on test.\n") == ["0.71"]


def test_paper_pdf_and_figures_exist() -> None:
    assert (ROOT / "paper" / "paper.pdf").stat().st_size > 50_000
    for name in ("learning_curve.png", "e3_pairs.png", "e5_claimants.png", "active_yield.png"):
        assert (ROOT / "paper" / "figures" / name).exists(), name
