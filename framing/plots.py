"""Figures from tidy tables (seaborn). Each function takes tidy data and an optional ``ax``,
returns the Axes, and computes no statistics: intervals and rates come from
:mod:`framing.compare`. Without an ``ax``, a figure is made whose size follows the number of
rows, so that many outlets stay readable; ``top_n`` and ``min_passages`` choose which groups
are shown when there are too many, and the figure says how many were left out.
"""
from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "plot_rate_heatmap",
    "plot_rate_intervals",
    "plot_pair_differences",
    "plot_paired_slopes",
    "plot_label_rates",
    "plot_learning_curve",
]

#: Colours of the estimates, the same in every figure.
ESTIMATE_COLOURS = {"naive": "#1f5fa8", "corrected": "#c2410c", "Rogan-Gladen": "#6b7280"}


def _axes(ax: Any, figsize: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _wrap(name: Any, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(str(name), width)) or str(name)


def _choose_groups(rates: pd.DataFrame, group: str, top_n: int | None, min_passages: int) -> tuple[list[str], int]:
    """Groups to show (largest first), and how many were left out."""
    if group not in rates.columns:
        raise ValueError(f"no column {group!r} in the rates table; it has {list(rates.columns)}")
    size = rates.groupby(group, sort=False)["n_passages"].first()
    total = len(size)
    size = size[size >= min_passages].sort_values(ascending=False, kind="stable")
    if top_n is not None:
        size = size.head(top_n)
    return [str(g) for g in size.index], total - len(size)


def _left_out_note(ax: Any, n: int, min_passages: int, top_n: int | None) -> None:
    if n:
        why = []
        if min_passages:
            why.append(f"fewer than {min_passages} passages")
        if top_n is not None:
            why.append(f"beyond the {top_n} largest")
        ax.annotate(f"{n} groups not shown ({' or '.join(why)})", xy=(0, 0), xycoords="figure fraction",
                    xytext=(6, 4), textcoords="offset points", fontsize="small", color="#555")


def plot_rate_heatmap(
    rates: pd.DataFrame,
    *,
    group: str = "outlet",
    value: str = "rate",
    labels: Sequence[str] | None = None,
    top_n: int | None = 40,
    min_passages: int = 0,
    ax: Any = None,
) -> Any:
    """Heatmap of label rates (per cent of passages), groups x labels.

    Parameters
    ----------
    rates : DataFrame
        From :func:`framing.compare.label_rates` (``group, label, n_passages`` and ``value``).
    group : str, default "outlet"
        The grouping column.
    value : str, default "rate"
        The column to show (``rate``, ``rate_corrected`` ...), a share in [0, 1].
    labels : sequence of str, optional
        Labels (columns) to show, in order.
    top_n : int or None, default 40
        Show at most this many groups, the largest by passages.
    min_passages : int, default 0
        Leave out groups with fewer passages.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    import seaborn as sns

    shown, left = _choose_groups(rates, group, top_n, min_passages)
    labels = list(labels) if labels is not None else list(dict.fromkeys(rates["label"]))
    sub = rates[rates[group].astype(str).isin(shown)]
    grid = sub.pivot_table(index=group, columns="label", values=value, aggfunc="first").reindex(index=shown,
                                                                                                columns=labels)
    n = sub.groupby(group)["n_passages"].first().reindex(shown)
    ax = _axes(ax, (2.2 + 1.6 * len(labels), max(3.0, 1.4 + 0.32 * len(shown))))
    sns.heatmap(grid * 100, annot=True, fmt=".1f", cmap="rocket_r", vmin=0, cbar_kws={"label": "% of passages"},
                linewidths=0.5, linecolor="white", ax=ax, annot_kws={"fontsize": "small"})
    ax.set_yticks(np.arange(len(shown)) + 0.5,
                  [f"{_wrap(g, 32)} ({int(c):,})" for g, c in zip(shown, n.to_numpy())], rotation=0)
    ax.set_xticks(np.arange(len(labels)) + 0.5, [_wrap(lab.replace("_", " "), 14) for lab in labels], rotation=0)
    ax.set_xlabel("")
    ax.set_ylabel(f"{group} (passages)")
    _left_out_note(ax, left, min_passages, top_n)
    return ax


def plot_rate_intervals(
    rates: pd.DataFrame,
    *,
    label: str,
    group: str = "outlet",
    estimates: Sequence[str] = ("naive", "corrected", "Rogan-Gladen"),
    top_n: int | None = 40,
    min_passages: int = 0,
    ax: Any = None,
) -> Any:
    """Forest plot of one label's rate per group with intervals: naive, and the corrected
    estimates where the table has them (prediction-powered, Rogan-Gladen).

    Parameters
    ----------
    rates : DataFrame
        From :func:`framing.compare.label_rates`.
    label : str
        The label to show.
    group : str, default "outlet"
    estimates : sequence of str
        Which of ``naive``, ``corrected``, ``Rogan-Gladen`` to draw (those present).
    top_n, min_passages : see :func:`plot_rate_heatmap`
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    columns = {"naive": ("rate", "ci_low", "ci_high"),
               "corrected": ("rate_corrected", "corrected_ci_low", "corrected_ci_high"),
               "Rogan-Gladen": ("rate_rogan_gladen", "rogan_gladen_ci_low", "rogan_gladen_ci_high")}
    sub = rates[rates["label"] == label]
    if sub.empty:
        raise ValueError(f"no rows for label {label!r}")
    shown, left = _choose_groups(sub, group, top_n, min_passages)
    sub = sub.set_index(sub[group].astype(str)).loc[shown]
    present = [e for e in estimates if columns[e][0] in sub.columns and sub[columns[e][0]].notna().any()]
    ax = _axes(ax, (7.5, 1.3 + 0.34 * len(shown) * max(1, len(present) * 0.6)))
    y = np.arange(len(shown))[::-1].astype(float)
    step = 0.22 if len(present) > 1 else 0.0
    for k, est in enumerate(present):
        c, lo, hi = columns[est]
        off = (k - (len(present) - 1) / 2) * step
        x = sub[c].to_numpy(dtype=float) * 100
        err = np.vstack([x - sub[lo].to_numpy(dtype=float) * 100, sub[hi].to_numpy(dtype=float) * 100 - x])
        ax.errorbar(x, y - off, xerr=np.clip(err, 0, None), fmt="o", ms=4, capsize=2, lw=1.2,
                    color=ESTIMATE_COLOURS[est], label=est)
    ax.set_yticks(y, [_wrap(g, 32) for g in shown])
    ax.set_xlabel(f"{label.replace('_', ' ')}: % of passages (95 % interval)")
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="#ddd", lw=0.6)
    if len(present) > 1:
        ax.legend(title="estimate", fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    _left_out_note(ax, left, min_passages, top_n)
    return ax


def plot_pair_differences(
    pairs: pd.DataFrame,
    *,
    labels: Sequence[str] | None = None,
    corrected: bool = True,
    ax: Any = None,
) -> Any:
    """Within-event differences between outlets (percentage points) with intervals, one row
    per pair and label, naive and (when present) corrected; adjusted p-values annotated.

    Parameters
    ----------
    pairs : DataFrame
        From :func:`framing.compare.paired_differences`.
    labels : sequence of str, optional
        Labels to show (default: all in ``pairs``).
    corrected : bool, default True
        Also draw ``diff_corrected`` where present.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    sub = pairs if labels is None else pairs[pairs["label"].isin(list(labels))]
    sub = sub[sub["n_events"] > 0].reset_index(drop=True)
    ax = _axes(ax, (8.0, 1.4 + 0.36 * max(len(sub), 1)))
    y = np.arange(len(sub))[::-1].astype(float)
    have_corr = corrected and "diff_corrected" in sub.columns and sub["diff_corrected"].notna().any()
    off = 0.18 if have_corr else 0.0
    x = sub["diff"].to_numpy(dtype=float)
    ax.errorbar(x, y + off, xerr=np.clip(np.vstack([x - sub["ci_low"], sub["ci_high"] - x]), 0, None), fmt="o", ms=4,
                capsize=2, color=ESTIMATE_COLOURS["naive"], label="naive")
    if have_corr:
        xc = sub["diff_corrected"].to_numpy(dtype=float)
        ax.errorbar(xc, y - off, xerr=np.clip(np.vstack([xc - sub["corrected_ci_low"], sub["corrected_ci_high"] - xc]),
                                              0, None), fmt="s", ms=4, capsize=2, color=ESTIMATE_COLOURS["corrected"],
                    label="corrected")
    ax.axvline(0, color="#333", lw=0.8)
    ax.set_yticks(y, [f"{r.outlet_a} − {r.outlet_b}\n{r.label.replace('_', ' ')}" for r in sub.itertuples()],
                  fontsize="small")
    for yi, r in zip(y, sub.itertuples()):
        ptext = "not testable" if pd.isna(r.p_adjusted) else f"naive p_adj={r.p_adjusted:.2g}"
        ax.annotate(f"{ptext}, {r.n_events} events", xy=(1.01, yi), xycoords=("axes fraction", "data"),
                    va="center", fontsize="x-small", color="#444", annotation_clip=False)
    ax.set_xlabel("within-event difference, percentage points (95 % interval)")
    ax.grid(axis="x", color="#ddd", lw=0.6)
    ax.legend(fontsize="small", loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)
    return ax


def plot_paired_slopes(
    events: pd.DataFrame,
    *,
    outlet_a: str,
    outlet_b: str,
    label: str,
    by: str = "outlet",
    event: str = "event_id",
    summary: pd.Series | None = None,
    ax: Any = None,
) -> Any:
    """Per-event slope plot for two outlets: one line per event they both cover, from
    ``outlet_a``'s rate to ``outlet_b``'s (per cent of passages); with ``summary`` (a row of
    :func:`framing.compare.paired_differences`), the mean rates and the difference's interval.

    Parameters
    ----------
    events : DataFrame
        From :func:`framing.compare.event_rates` (``event, by, rate_<label>``).
    outlet_a, outlet_b : str
        The two outlets.
    label : str
        The label.
    by, event : str
        Column names.
    summary : Series, optional
        The matching row of the paired-differences table.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    col = f"rate_{label}"
    wide = events[events[by].isin([outlet_a, outlet_b])].pivot_table(index=event, columns=by, values=col,
                                                                       aggfunc="first")
    wide = wide.dropna(subset=[c for c in (outlet_a, outlet_b) if c in wide.columns])
    if outlet_a not in wide.columns or outlet_b not in wide.columns:
        raise ValueError(f"no event covered by both {outlet_a!r} and {outlet_b!r}")
    ax = _axes(ax, (5.6, 5.4))
    a, b = wide[outlet_a].to_numpy() * 100, wide[outlet_b].to_numpy() * 100
    jitter = np.random.default_rng(0).uniform(-0.04, 0.04, len(a))  # display only
    for ya, yb, j in zip(a, b, jitter):
        colour = "#c2410c" if ya > yb else "#1f5fa8" if yb > ya else "#9ca3af"
        ax.plot([0 + j, 1 + j], [ya, yb], color=colour, alpha=0.45, lw=1)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="#c2410c", lw=1.5, label=f"event where {_wrap(outlet_a, 24)} is higher"),
               Line2D([], [], color="#1f5fa8", lw=1.5, label=f"event where {_wrap(outlet_b, 24)} is higher")]
    if summary is not None:
        handles += ax.plot([0, 1], [summary["rate_a"], summary["rate_b"]], color="black", lw=2.5, marker="o",
                           label=f"mean over {int(summary['n_events'])} events")
        ax.set_title(f"{label.replace('_', ' ')}\n{outlet_a} − {outlet_b}: {summary['diff']:+.1f} pp "
                     f"[{summary['ci_low']:+.1f}, {summary['ci_high']:+.1f}]", fontsize="medium")
    ax.legend(handles=handles, fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False)
    ax.set_xticks([0, 1], [_wrap(outlet_a, 18), _wrap(outlet_b, 18)])
    ax.set_xlim(-0.3, 1.3)
    ax.set_ylabel(f"{label.replace('_', ' ')}: % of the outlet's passages in the event")
    ax.grid(axis="y", color="#eee", lw=0.6)
    return ax


def plot_label_rates(rates: pd.DataFrame, *, group: str = "outlet", ax: Any = None) -> Any:
    """Bar chart of label rates per group, from :func:`framing.compare.label_rates`
    (few groups; for many, use :func:`plot_rate_heatmap`).

    Returns
    -------
    matplotlib.axes.Axes
    """
    import seaborn as sns

    ax = _axes(ax, (8, 1.5 + 0.5 * rates["label"].nunique()))
    data = rates.assign(percent=rates["rate"] * 100, label=rates["label"].str.replace("_", " "))
    sns.barplot(data=data, x="percent", y="label", hue=group, ax=ax, orient="h")
    ax.set_xlabel("% of passages with the label")
    ax.set_ylabel("")
    ax.legend(title=group, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
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
