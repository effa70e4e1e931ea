"""Tables from the saved out-of-fold predictions (oof/*.npz): pooled per-label F1, per-fold
macro-F1 (mean, sd, min-max), paired per-fold deltas vs the baseline, and a paired
document-cluster bootstrap (1000 resamples of documents, seed 0) of the pooled macro-F1
difference. Also macro over the three labels other than forced_confession_noted
(26 positives in train+dev; per-fold 2-9 positives, so very noisy).

Run: python analyse.py > results.md
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from framing.evaluate import prf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cv_context import LABELS, VARIANTS, load  # noqa: E402

ROOT = Path(os.environ.get("CONTEXT_STUDY_WORK", "/tmp/ctx_study"))  # scratch (holds corpus text): never committed
SHORT = ["state", "hedged", "forced", "spec"]


def md(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    fmt = lambda v: f"{v:.3f}" if isinstance(v, float) else str(v)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


def f1s(Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    return np.array([prf(Y[:, j], P[:, j])[2] for j in range(Y.shape[1])])


def main() -> None:
    data = load()
    Y = data[LABELS].to_numpy()
    docs = (data["corpus"] + "/" + data["doc_id"]).to_numpy()
    codes, uniq = pd.factorize(docs)
    members = [np.flatnonzero(codes == g) for g in range(len(uniq))]
    rng = np.random.default_rng(0)
    boots = [np.concatenate([members[g] for g in rng.integers(0, len(members), len(members))]) for _ in range(1000)]

    runs = {n: np.load(ROOT / "oof" / f"{n}.npz") for n in VARIANTS if (ROOT / "oof" / f"{n}.npz").exists()}
    base = runs["baseline"]
    fold = base["fold"]
    K = fold.max() + 1
    print("Fold sizes (rows / positives per label):")
    for k in range(K):
        m = fold == k
        print(f"  fold {k}: {m.sum()} rows, positives " + ", ".join(f"{s}={Y[m, j].sum()}" for j, s in enumerate(SHORT)))
    print()

    def per_fold(P: np.ndarray, labels: list[int]) -> np.ndarray:
        return np.array([f1s(Y[fold == k][:, labels], P[fold == k][:, labels]).mean() for k in range(K)])

    base_pf = per_fold(base["P"], [0, 1, 2, 3])
    base_pf3 = per_fold(base["P"], [0, 1, 3])
    base_state_pf = per_fold(base["P"], [0])
    rows = []
    for name, r in runs.items():
        P = r["P"]
        assert (r["fold"] == fold).all()
        f = f1s(Y, P)
        pf = per_fold(P, [0, 1, 2, 3])
        pf3 = per_fold(P, [0, 1, 3])
        st = per_fold(P, [0])
        d_boot = np.array([f1s(Y[i], P[i]).mean() - f1s(Y[i], base["P"][i]).mean() for i in boots])
        d_boot3 = np.array([f1s(Y[i], P[i])[[0, 1, 3]].mean() - f1s(Y[i], base["P"][i])[[0, 1, 3]].mean()
                            for i in boots])
        rows.append({
            "variant": name, "macro": f.mean(), **{s: f[j] for j, s in enumerate(SHORT)},
            "macro3": f[[0, 1, 3]].mean(),
            "fold_macro": " ".join(f"{v:.3f}" for v in pf), "fold_mean": pf.mean(), "fold_sd": pf.std(ddof=1),
            "fold_delta": " ".join(f"{v:+.3f}" for v in pf - base_pf),
            "n_fold_better": int((pf > base_pf + 1e-12).sum()),
            "fold_delta3": " ".join(f"{v:+.3f}" for v in pf3 - base_pf3),
            "n_fold_better3": int((pf3 > base_pf3 + 1e-12).sum()),
            "fold_delta_state": " ".join(f"{v:+.3f}" for v in st - base_state_pf),
            "d_macro": f.mean() - f1s(Y, base["P"]).mean(),
            "d_ci": f"[{np.percentile(d_boot, 2.5):+.3f}, {np.percentile(d_boot, 97.5):+.3f}]",
            "d_macro3": f[[0, 1, 3]].mean() - f1s(Y, base["P"])[[0, 1, 3]].mean(),
            "d3_ci": f"[{np.percentile(d_boot3, 2.5):+.3f}, {np.percentile(d_boot3, 97.5):+.3f}]",
        })
    t = pd.DataFrame(rows)
    pd.set_option("display.width", 250)
    print("## Pooled out-of-fold F1 (GroupKFold(5) by document, train+dev, n=%d)\n" % len(Y))
    print(md(t[["variant", "macro", *SHORT, "macro3"]]))
    print("\n## Per-fold macro-F1 (4 labels) and spread\n")
    print(md(t[["variant", "fold_macro", "fold_mean", "fold_sd", "fold_delta", "n_fold_better"]]
          ))
    print("\n## Paired differences vs baseline: pooled macro-F1 delta with 95% document-cluster bootstrap CI;"
          " 3-label macro (no forced_confession); per-fold deltas\n")
    print(md(t[["variant", "d_macro", "d_ci", "d_macro3", "d3_ci", "fold_delta3", "n_fold_better3", "fold_delta_state"]]
          ))


def seeds() -> None:
    """Pooled F1 of variants re-run with random_state 1 and 2 (inner threshold folds reshuffled)."""
    data = load()
    Y = data[LABELS].to_numpy()
    rows = []
    bases = sorted({p.stem.split("@")[0] for p in (ROOT / "oof").glob("*@*.npz")}, key=list(VARIANTS).index)
    for b in bases:
        vals = []
        for s in ("", "@1", "@2"):
            f = ROOT / "oof" / f"{b}{s}.npz"
            if f.exists():
                v = f1s(Y, np.load(f)["P"])
                vals.append((v.mean(), v[[0, 1, 3]].mean(), v[0], v[2]))
        a = np.array(vals)
        rows.append({"variant": b, "seeds": len(vals),
                     "macro by seed": " ".join(f"{x:.3f}" for x in a[:, 0]), "macro mean": a[:, 0].mean(),
                     "macro3 by seed": " ".join(f"{x:.3f}" for x in a[:, 1]), "macro3 mean": a[:, 1].mean(),
                     "state by seed": " ".join(f"{x:.3f}" for x in a[:, 2]), "state mean": a[:, 2].mean(),
                     "forced by seed": " ".join(f"{x:.3f}" for x in a[:, 3])})
    print("\n## Seed robustness: same outer folds, random_state 0/1/2 (inner threshold-tuning folds reshuffled)\n")
    print(md(pd.DataFrame(rows)))


if __name__ == "__main__":
    main()
    seeds()
