"""Fold assignments shared by every model: outer GroupKFold(5) on train+dev by corpus/doc_id
(same grouping and order as the project's experiments/evaluate_classifier.py cv run), and per
outer fold an inner GroupKFold(3) of the outer-training rows for C / threshold selection."""
import numpy as np
from sklearn.model_selection import GroupKFold
from common import OUT, load_nontest, LABELS

d = load_nontest()
n = len(d)
groups = d["group"].to_numpy()
outer = np.full(n, -1)
for k, (_, te) in enumerate(GroupKFold(n_splits=5).split(np.zeros(n), groups=groups)):
    outer[te] = k
inner = np.full((5, n), -1)
for k in range(5):
    tr = np.flatnonzero(outer != k)
    for i, (_, va) in enumerate(GroupKFold(n_splits=3).split(np.zeros(len(tr)), groups=groups[tr])):
        inner[k, tr[va]] = i
assert (outer >= 0).all()
is_train = (d["split"] == "train").to_numpy()
is_dev = (d["split"] == "dev").to_numpy()
OUT.mkdir(exist_ok=True)
np.savez(OUT / "folds.npz", outer=outer, inner=inner, is_train=is_train, is_dev=is_dev, item_id=d["item_id"].astype(str).to_numpy())
Y = d[LABELS].to_numpy()
for k in range(5):
    print("outer", k, "n_test", (outer == k).sum(), "pos", Y[outer == k].sum(0))
print("n", n, "train", is_train.sum(), "dev", is_dev.sum())
