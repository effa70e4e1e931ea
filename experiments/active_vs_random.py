"""Did the actively sampled rounds gain more per sentence read than randomly drawn ones would have?

Every active annotation round (``experiments/gold/active_round.py``) kept a random control
slice: sentences drawn uniformly from the same pool, read the same way. For each round k:

* **yield**: positives found per 1,000 sentences read, in the random slice and in the
  actively chosen part of the round (uncertain, enrich, census), per label;
* **gain**: test-split F1 of the model trained on everything read before round k (the
  base), then on the base plus the random slice, and on the base plus as many actively
  chosen sentences of that round (``repeats`` random subsets of the same size); the gain
  per 1,000 sentences is the difference to the base, scaled. Thresholds are tuned on dev.

Writes ``results/classifier/active_vs_random/`` (``yield.csv``, ``gain.csv``, ``metrics.json``).
Run: ``FRAMING_DATA=../shared/corpora python experiments/active_vs_random.py``
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import framing
from experiment_data import load_config  # same folder (experiments/)
from framing.columns import LABEL_NAMES
from framing.evaluate import evaluate_predictions
from framing.experiment import RunDir
from framing.model import FramingClassifier

LABELS = list(LABEL_NAMES)
ROOT = Path(__file__).resolve().parents[1]


def fit_score(train: pd.DataFrame, dev: pd.DataFrame, test: pd.DataFrame, seed: int) -> dict[str, float]:
    model = FramingClassifier(random_state=seed).fit(train["text"].tolist(), train[LABELS].to_numpy(),
                                                     dev=(dev["text"].tolist(), dev[LABELS].to_numpy()))
    scores = evaluate_predictions(test[LABELS].to_numpy(), model.predict(test["text"].tolist()), labels=LABELS,
                                  n_boot=0)
    return {r.label: float(r.f1) for r in scores.itertuples()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    config = load_config("e1_classifier")["active_vs_random"]
    run = RunDir(ROOT / "results", "classifier", "active_vs_random", overwrite=args.overwrite)
    if run.skip():
        return
    seed, repeats = config["random_state"], config["repeats"]
    gold = framing.load_gold()
    dev, test = gold[gold["split"] == "dev"], gold[gold["split"] == "test"]
    train = gold[gold["split"] == "train"].copy()
    active = train["sampling"].str.startswith("active:")
    train["round"] = np.where(active, train["sampling"].str.split(":").str[1].str[1:], "0").astype(int)
    train["kind"] = np.where(active, train["sampling"].str.split(":").str[2], "before")
    rounds = sorted(r for r in train["round"].unique() if r > 0)
    yields, gains = [], []
    rng = np.random.default_rng(seed)
    for k in rounds:
        part = train[train["round"] == k]
        rand = part[part["kind"] == "random"]
        chosen = part[part["kind"] != "random"]
        for name, sub in (("random", rand), ("active", chosen)):
            yields.append({"round": k, "draw": name, "n_read": len(sub),
                           **{lab: 1000 * float(sub[lab].mean()) if len(sub) else np.nan for lab in LABELS}})
        base = train[train["round"] < k]
        b = fit_score(base, dev, test, seed)
        r = fit_score(pd.concat([base, rand]), dev, test, seed)
        gains.append({"round": k, "draw": "random", "repeat": 0, "n_added": len(rand), "n_base": len(base),
                      **{f"f1_{x}": r[x] for x in [*LABELS, "macro"]},
                      **{f"gain_per_1000_{x}": 1000 * (r[x] - b[x]) / len(rand) for x in [*LABELS, "macro"]}})
        for rep in range(repeats):
            pick = chosen.iloc[np.sort(rng.choice(len(chosen), size=len(rand), replace=False))]
            a = fit_score(pd.concat([base, pick]), dev, test, seed)
            gains.append({"round": k, "draw": "active", "repeat": rep, "n_added": len(pick), "n_base": len(base),
                          **{f"f1_{x}": a[x] for x in [*LABELS, "macro"]},
                          **{f"gain_per_1000_{x}": 1000 * (a[x] - b[x]) / len(pick) for x in [*LABELS, "macro"]}})
        gains.append({"round": k, "draw": "base", "repeat": 0, "n_added": 0, "n_base": len(base),
                      **{f"f1_{x}": b[x] for x in [*LABELS, "macro"]}})
        print(f"round {k}: base macro {b['macro']:.3f}, +random {r['macro']:.3f}", flush=True)
    yields, gains = pd.DataFrame(yields), pd.DataFrame(gains)
    metrics: dict[str, Any] = {"rounds": {}}
    for k in rounds:
        y = yields[yields["round"] == k].set_index("draw")
        g = gains[gains["round"] == k]
        act = g[g["draw"] == "active"]
        ran = g[g["draw"] == "random"].iloc[0]
        metrics["rounds"][str(k)] = {
            "positives_per_1000_read": {d: {lab: float(y.loc[d, lab]) for lab in LABELS} for d in ("random", "active")},
            "n_random": int(y.loc["random", "n_read"]), "n_active": int(y.loc["active", "n_read"]),
            "macro_gain_per_1000": {"random": float(ran["gain_per_1000_macro"]),
                                    "active_mean": float(act["gain_per_1000_macro"].mean()),
                                    "active_sd": float(act["gain_per_1000_macro"].std(ddof=1))},
        }
    pooled = yields.groupby("draw")[["n_read"]].sum().join(
        yields.assign(**{lab: yields[lab] * yields["n_read"] / 1000 for lab in LABELS}).groupby("draw")[LABELS].sum())
    metrics["pooled_positives_per_1000_read"] = {d: {lab: float(1000 * pooled.loc[d, lab] / pooled.loc[d, "n_read"])
                                                     for lab in LABELS} for d in pooled.index}
    act = gains[gains["draw"] == "active"].groupby("round")["gain_per_1000_macro"].mean()
    ran = gains[gains["draw"] == "random"].set_index("round")["gain_per_1000_macro"]
    metrics["macro_gain_per_1000_mean_over_rounds"] = {"random": float(ran.mean()), "active": float(act.mean())}
    metrics["active_gained_more_in_rounds"] = int((act > ran).sum())
    metrics["n_rounds"] = len(rounds)
    run.write(metrics, config, {"yield": yields, "gain": gains})


if __name__ == "__main__":
    main()
