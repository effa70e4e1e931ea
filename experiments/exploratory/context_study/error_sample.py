"""Sample 40 out-of-fold false negatives and 40 false positives of the baseline for
state_claim_uncritical (numpy default_rng(0), without replacement) and print each with its
previous sentence, for manual judgement against data/codebook.md.

Run: python error_sample.py > error_sample.txt
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cv_context import LABELS, ROOT, load  # noqa: E402

data = load()
P = np.load(ROOT / "oof" / "baseline.npz")["P"]
y, p = data["state_claim_uncritical"].to_numpy(), P[:, 0]
rng = np.random.default_rng(0)
fn = np.flatnonzero((y == 1) & (p == 0))
fp = np.flatnonzero((y == 0) & (p == 1))
print(f"baseline OOF state_claim_uncritical: {len(fn)} FN, {len(fp)} FP")
for kind, pool in (("FN", fn), ("FP", fp)):
    pick = np.sort(rng.choice(pool, 40, replace=False))
    for n, i in enumerate(pick, 1):
        r = data.iloc[i]
        print(f"\n=== {kind}{n:02d} row={i} {r['corpus']}/{r['doc_id']} outlet={r['outlet']} gold={r['labels']}")
        print(f"PREV: {r['prev_text']}")
        print(f"SENT: {r['text']}")
