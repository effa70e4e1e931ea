"""Exploratory (not in `make results`): n-gram blocks gated by cue presence, in document-grouped CV.

Each gate copies the word n-gram block, multiplied by a 0/1 indicator of the passage
(a state actor is named; a state actor and a reporting verb or direct quote; a
speculation or purpose cue; a reporting verb or quote), so that a linear model can weigh
words differently where a state actor speaks. Train + dev of the gold set only (the test
split is dropped at load). Folds, inner threshold tuning and scoring are the project's
(`framing.evaluate.grouped_cross_val_predict`, GroupKFold(5) by document).

Run: FRAMING_DATA=../shared/corpora python experiments/exploratory/gated_ngrams.py [variant ...]
"""
from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np
import scipy.sparse as sp

import framing
from framing.columns import LABEL_NAMES
from framing.evaluate import evaluate_predictions, grouped_cross_val_predict
from framing.features import CUE_FEATURE_NAMES
from framing.model import FramingClassifier

LABELS = list(LABEL_NAMES)
CI = {n: i for i, n in enumerate(CUE_FEATURE_NAMES)}


class Gated(FramingClassifier):
    """FramingClassifier plus gated copies of its n-gram block (``gates``, scaled by ``gate_weight``)."""

    def __init__(self, *, gates: tuple[str, ...] = (), gate_weight: float = 1.0, **kw: Any) -> None:
        super().__init__(**kw)
        self.gates = gates
        self.gate_weight = gate_weight

    @classmethod
    def _get_param_names(cls) -> list[str]:
        return sorted(set(FramingClassifier._get_param_names()) | {"gates", "gate_weight"})

    def _gate_cols(self, dense: np.ndarray) -> list[np.ndarray]:
        state = dense[:, CI["cue_state_actor"]] > 0
        speech = (dense[:, CI["cue_neutral_verb"]] > 0) | (dense[:, CI["cue_direct_quote"]] > 0)
        gates = {
            "state": state,
            "state_plain": state & (dense[:, CI["combo_distanced"]] == 0),
            "spec": dense[:, CI["combo_speculation_or_purpose"]] > 0,
            "attrib": speech,
            "state_attrib": state & speech,
        }
        return [gates[g].astype(np.float32) for g in self.gates]

    def _fit_features(self, texts: list[str]) -> sp.csr_matrix:
        return self._add(super()._fit_features(texts))

    def _features_and_cues(self, texts: list[str]) -> tuple[sp.csr_matrix, Any]:
        F, cues = super()._features_and_cues(texts)
        return self._add(F), cues

    def _add(self, F: sp.csr_matrix) -> sp.csr_matrix:
        if not self.gates:
            return F
        nv = len(self.vectorizer_.vocabulary_)
        ngrams = F[:, :nv]
        dense = F[:, nv:nv + len(CUE_FEATURE_NAMES)].toarray() / self.cue_weight
        blocks = [F] + [sp.diags(m * self.gate_weight) @ ngrams for m in self._gate_cols(dense)]
        return sp.hstack(blocks, format="csr")


VARIANTS = {
    "base": {},
    "g_state": {"gates": ("state",)},
    "g_state_plain": {"gates": ("state_plain",)},
    "g_state_attrib": {"gates": ("state_attrib",)},
    "g_spec": {"gates": ("spec",)},
    "g_state_spec": {"gates": ("state", "spec")},
    "g_all": {"gates": ("state", "spec", "attrib")},
    "g_state_spec_w.5": {"gates": ("state", "spec"), "gate_weight": 0.5},
}


def main() -> None:
    d = framing.load_gold()
    d = d[d["split"] != "test"].reset_index(drop=True)
    Y = d[LABELS].to_numpy()
    texts = d["text"].tolist()
    groups = (d["corpus"] + "/" + d["doc_id"]).tolist()
    for name in sys.argv[1:] or list(VARIANTS):
        t0 = time.time()
        P, _ = grouped_cross_val_predict(lambda: Gated(**VARIANTS[name]), texts, Y, groups, n_splits=5)
        r = evaluate_predictions(Y, P, labels=LABELS, n_boot=0)
        f = dict(zip(r["label"], r["f1"]))
        print(f"{name:20s} macro {f['macro']:.3f} " + " ".join(f"{k[:5]} {f[k]:.3f}" for k in LABELS)
              + f"  {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
