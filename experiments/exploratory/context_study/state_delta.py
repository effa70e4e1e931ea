"""Paired document-cluster bootstrap (1000, seed 0) of the state_claim_uncritical F1 delta vs
the baseline at the same seed, for each seed 0/1/2 run.
Run: python state_delta.py"""
import sys
from pathlib import Path
import numpy as np
import pandas as pd
sys.path.insert(0, str(Path(__file__).resolve().parent))
from analyse import f1s  # noqa: E402
from cv_context import LABELS, ROOT, load  # noqa: E402

data = load()
Y = data[LABELS].to_numpy()[:, :1]
codes, _ = pd.factorize((data["corpus"] + "/" + data["doc_id"]).to_numpy())
members = [np.flatnonzero(codes == g) for g in range(codes.max() + 1)]
rng = np.random.default_rng(0)
boots = [np.concatenate([members[g] for g in rng.integers(0, len(members), len(members))]) for _ in range(1000)]
for v in ("a_prev_cues", "b_prev_ngrams_w0.3", "c_ind_state", "d_carry"):
    for s in ("", "@1", "@2"):
        P = np.load(ROOT / "oof" / f"{v}{s}.npz")["P"][:, :1]
        B = np.load(ROOT / "oof" / f"baseline{s}.npz")["P"][:, :1]
        d = np.array([f1s(Y[i], P[i])[0] - f1s(Y[i], B[i])[0] for i in boots])
        print(f"{v + s:22s} state F1 delta {f1s(Y, P)[0] - f1s(Y, B)[0]:+.3f}  95% CI [{np.percentile(d, 2.5):+.3f}, {np.percentile(d, 97.5):+.3f}]")
