"""Shared helpers for the encoder experiment (runs under both venvs: numpy/pandas/sklearn only).

Rows: the non-test gold rows (split in {train, dev}) in load_gold() order. Test rows are
dropped here and never touched anywhere.
"""
import sys
from pathlib import Path
import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
# the project's own threshold tuning (framing.model needs only numpy, pandas and
# scikit-learn, which the encoder environment has)
sys.path.insert(0, str(HERE.parents[2]))
from framing.model import tune_thresholds  # noqa: E402
OUT = HERE / "out"
LABELS = ["state_claim_uncritical", "hedged_attribution", "forced_confession_noted", "speculative_motive"]
SEED = 0
GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)  # same grid as framing.model.tune_thresholds


def load_nontest():
    g = pd.read_parquet(HERE / "gold.parquet")
    d = g[g["split"] != "test"].reset_index(drop=True)
    assert set(d["split"]) == {"train", "dev"}
    d["group"] = d["corpus"] + "/" + d["doc_id"]
    return d


def best_f1(y, p, grid=GRID):
    """Max F1 over the threshold grid for one label (used to pick C)."""
    t = tune_thresholds(y.reshape(-1, 1), p.reshape(-1, 1), grid=grid)[0]
    return f1(y, (p >= t).astype(int)), t


def f1(y, pred):
    tp = float(np.sum((pred == 1) & (y == 1)))
    d = pred.sum() + y.sum()
    return 2 * tp / d if d else 0.0


def prf_table(Y, Pred):
    """Per-label precision/recall/F1/support and macro (unweighted mean of per-label values)."""
    rows = {}
    for j, name in enumerate(LABELS):
        y, p = Y[:, j], Pred[:, j]
        tp = float(np.sum((p == 1) & (y == 1)))
        prec = tp / p.sum() if p.sum() else 0.0
        rec = tp / y.sum() if y.sum() else 0.0
        rows[name] = {"precision": prec, "recall": rec, "f1": f1(y, p), "support": int(y.sum()),
                      "n_pred": int(p.sum())}
    rows["macro"] = {k: float(np.mean([rows[n][k] for n in LABELS])) for k in ("precision", "recall", "f1")}
    rows["macro"]["support"] = int(Y.sum())
    rows["macro_excl_forced_confession"] = {
        "f1": float(np.mean([rows[n]["f1"] for n in LABELS if n != "forced_confession_noted"]))}
    return rows
