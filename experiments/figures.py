"""Figures from results files only (no model fitting): the learning curve.

Writes ``paper/figures/learning_curve.png`` from ``results/classifier/learning_curve/curve.csv``.
Run: ``python experiments/figures.py``
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from framing.plots import plot_learning_curve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    curve = pd.read_csv(ROOT / "results" / "classifier" / "learning_curve" / "curve.csv")
    ax = plot_learning_curve(curve)
    ax.set_title("Combined model: test F1 by training-set size")
    ax.figure.tight_layout()
    out = ROOT / "paper" / "figures" / "learning_curve.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    ax.figure.savefig(out, dpi=120)
    plt.close(ax.figure)
    print(out)


if __name__ == "__main__":
    main()
