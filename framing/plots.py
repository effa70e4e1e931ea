"""Figures from tidy tables. Each function takes tidy data and an optional ``ax``, returns
the Axes, and computes no statistics.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["plot_label_rates", "plot_learning_curve"]


def _axes(ax: Any, figsize: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_label_rates(rates: pd.DataFrame, *, group: str = "outlet", ax: Any = None) -> Any:
    """Bar chart of label rates per group, from :func:`framing.compare.label_rates`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import seaborn as sns

    ax = _axes(ax, (8, 4.5))
    sns.barplot(data=rates, x="rate", y="label", hue=group, ax=ax, orient="h")
    ax.set_xlabel("share of passages with the label")
    ax.set_ylabel("")
    ax.legend(title=group, fontsize="small", loc="lower right")
    return ax


def plot_learning_curve(curve: pd.DataFrame, *, ax: Any = None) -> Any:
    """Test F1 against training-set size (log scale), one line per label, from
    :func:`framing.evaluate.learning_curve`; with several repeats, the line is their mean
    and the band one standard deviation.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import seaborn as sns

    ax = _axes(ax, (8, 4))
    # repeats draw different documents, so sizes differ slightly at one fraction: place each
    # fraction at its mean size so the repeats line up
    curve = curve.assign(n_train=curve.groupby("fraction")["n_train"].transform("mean"))
    sns.lineplot(data=curve, x="n_train", y="f1", hue="label", marker="o", errorbar="sd", ax=ax)
    ax.set_xscale("log", base=2)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel("training sentences (log scale)")
    ax.set_ylabel("test F1")
    ax.set_ylim(0, 1)
    ax.legend(title="label", fontsize="small", bbox_to_anchor=(1.02, 1), loc="upper left")
    return ax
