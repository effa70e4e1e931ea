"""The paper's figures, from results files only (no model fitting, no statistics).

Writes ``paper/figures/``:

* ``learning_curve.png``: test F1 by training-set size, the curve measured before the
  active annotation rounds beside the one after them;
* ``active_yield.png``: positives found per 1,000 sentences read, random control slice
  against the actively chosen sentences, per round and label;
* ``e3_pairs.png``, ``e4_pairs.png``, ``e5_pairs.png``: within-event differences between
  outlets, naive and corrected;
* ``e3_rates.png``: BASIL rates per outlet, naive, corrected and Rogan-Gladen;
* ``e5_claimants.png``: covid_origins, whose state's claims each outlet carries.

Run: ``python experiments/figures.py`` (after ``make results``)
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from framing.plots import plot_learning_curve, plot_pair_differences, plot_rate_intervals  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "results"
OUT = ROOT / "paper" / "figures"
LABELS = ["state_claim_uncritical", "hedged_attribution", "forced_confession_noted", "speculative_motive"]


def save(fig: plt.Figure, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # no timestamp or software version in the file: the same results give the same bytes
    fig.savefig(OUT / name, dpi=150, metadata={"Software": None})
    plt.close(fig)
    print(OUT / name)


def learning_curve() -> None:
    after = pd.read_csv(RESULTS / "classifier" / "learning_curve" / "curve.csv")
    before = RESULTS / "classifier" / "learning_curve_before_active_rounds" / "curve.csv"
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained", sharey=True)
    if before.exists():
        plot_learning_curve(pd.read_csv(before), ax=axes[0])
        axes[0].set_title("gold train split before the active rounds")
        axes[0].get_legend().remove()
    plot_learning_curve(after, ax=axes[1])
    axes[1].set_title("after the active rounds (new points)")
    save(fig, "learning_curve.png")


def active_yield() -> None:
    y = pd.read_csv(RESULTS / "classifier" / "active_vs_random" / "yield.csv")
    long = y.melt(id_vars=["round", "draw", "n_read"], value_vars=LABELS, var_name="label", value_name="per_1000")
    long["label"] = long["label"].str.replace("_", " ")
    long["draw"] = long["draw"].map({"random": "random control slice", "active": "chosen by the model"})
    grid = sns.catplot(data=long, x="round", y="per_1000", hue="draw", col="label", kind="bar", height=3, aspect=0.9,
                       palette={"random control slice": "#9ca3af", "chosen by the model": "#c2410c"})
    grid.set_axis_labels("annotation round", "positives per 1,000 read")
    grid.set_titles("{col_name}")
    sns.move_legend(grid, "lower center", bbox_to_anchor=(0.45, -0.06), ncol=2, title=None, frameon=False)
    grid.figure.set_size_inches(11, 3.4)
    grid.figure.tight_layout()
    save(grid.figure, "active_yield.png")


def pairs(experiment: str, name: str, labels: list[str]) -> None:
    table = pd.read_csv(RESULTS / experiment / "main" / "pairs.csv")
    table = table[table["label"].isin(labels) & (table["n_events"] > 0)]
    ax = plot_pair_differences(table)
    save(ax.figure, name)


def e3_rates() -> None:
    rates = pd.read_csv(RESULTS / "e3_basil" / "main" / "rates.csv")
    labs = ["state_claim_uncritical", "hedged_attribution", "speculative_motive"]
    fig, axes = plt.subplots(1, len(labs), figsize=(13, 2.8), layout="constrained")
    for ax, lab in zip(axes, labs):
        plot_rate_intervals(rates, label=lab, ax=ax)
        if ax is not axes[-1] and ax.get_legend():
            ax.get_legend().remove()
    save(fig, "e3_rates.png")


def e5_claimants() -> None:
    rates = pd.read_csv(RESULTS / "e5_covid_origins" / "main" / "rates.csv")
    rates = rates.drop(columns=[c for c in rates.columns if "rogan" in c])  # Rogan-Gladen: not for sub-labels
    labs = ["state_claim_uncritical|China", "state_claim_uncritical|United States", "hedged_attribution|China",
            "hedged_attribution|United States"]
    fig, axes = plt.subplots(2, 2, figsize=(12, 6), layout="constrained")
    for ax, lab in zip(axes.ravel(), labs):
        plot_rate_intervals(rates, label=lab, ax=ax)
        base, who = lab.split("|")
        ax.set_xlabel(f"{base.replace('_', ' ')}, claims of {who}:\n% of passages (95 % interval)")
        if ax is not axes.ravel()[1] and ax.get_legend():
            ax.get_legend().remove()
    save(fig, "e5_claimants.png")


def main() -> None:
    learning_curve()
    active_yield()
    # forced_confession_noted is never predicted in these corpora (a row of zeros): left out
    shown = ["state_claim_uncritical", "hedged_attribution", "speculative_motive"]
    pairs("e3_basil", "e3_pairs.png", shown)
    pairs("e4_allsides_stories", "e4_pairs.png", shown)
    pairs("e5_covid_origins", "e5_pairs.png", shown)
    e3_rates()
    e5_claimants()


if __name__ == "__main__":
    main()
