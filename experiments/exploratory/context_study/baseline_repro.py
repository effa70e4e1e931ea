"""Reproduce the project's CV baseline with the project's own code path
(experiments/evaluate_classifier.py: cv_scores -> framing.evaluate.grouped_cross_val_predict,
FramingClassifier(random_state=0)), on gold train+dev only.

Run: FRAMING_DATA=../shared/corpora python baseline_repro.py
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
import time

import numpy as np

import framing
from framing.evaluate import evaluate_predictions, grouped_cross_val_predict
from framing.model import FramingClassifier

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from evaluate_classifier import LABELS, cv_scores  # noqa: E402

t0 = time.time()
gold = framing.load_gold()
data = gold[gold["split"] != "test"].reset_index(drop=True)
del gold
Y = data[LABELS].to_numpy()
groups = (data["corpus"] + "/" + data["doc_id"]).to_numpy()
P, fold = grouped_cross_val_predict(lambda: FramingClassifier(random_state=0), data["text"].tolist(), Y,
                                    groups.tolist(), n_splits=5)
print(evaluate_predictions(Y, P, labels=LABELS, n_boot=0)[["label", "support", "precision", "recall", "f1"]]
      .round(3).to_string(index=False))
np.savez(Path(os.environ.get("CONTEXT_STUDY_WORK", "/tmp/ctx_study")) / "baseline_project_oof.npz", P=P, fold=fold)
print(f"{time.time() - t0:.0f}s")
