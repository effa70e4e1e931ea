"""FramingClassifier with optional document-context feature blocks.

Passages are packed as one string "sentence \\x1e prev \\x1e next \\x1e window" so that
FramingClassifier's own fit / inner threshold CV (_oof_proba: KFold(3, shuffle, seed 0))
/ predict code is reused unchanged. With ``context=()`` the feature matrix is exactly
FramingClassifier's (same n-gram vectorizer and cue block, same column order), so the
baseline and the variants share one code path.

Context blocks (appended after the sentence's own blocks, each multiplied by a weight):
  prev_cues   CueFeatures of the previous sentence (22 cols)
  next_cues   CueFeatures of the next sentence
  prev_ngrams separate TF-IDF word 1-2-gram block fitted on previous sentences ("prev:" tokens)
  next_ngrams same for next sentences
  ind_state   binary: previous sentence names a state actor; window (+-3 sentences) names one;
              plus the next sentence names one
  ind_attrib  binary: previous sentence has a state actor AND a reporting verb or direct quote
              (who-is-speaking carry-over), and previous sentence has any distancing cue
  carry       interactions aimed at the error analysis (speaker named only in the previous
              sentence): own sentence has a reporting verb / direct quote but no state actor
              AND previous sentence has a state actor; own sentence has contested content but
              no state actor AND previous (resp. window) has a state actor; same plus no
              distancing in the own sentence
"""
from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from framing.cues import CueDetector
from framing.features import CUE_FEATURE_NAMES, CueFeatures, NgramVectorizer
from framing.model import FramingClassifier

SEP = "\x1e"
_TOKENS = r"(?u)\b\w[\w'\u2019-]*\b"
_CI = {n: i for i, n in enumerate(CUE_FEATURE_NAMES)}


def pack(text: str, prev: str, nxt: str, window: str) -> str:
    for s in (text, prev, nxt, window):
        assert SEP not in s
    return SEP.join((text, prev, nxt, window))


def unpack(texts: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    parts = [t.split(SEP) for t in texts]
    for p in parts:
        assert len(p) == 4, p
    return tuple(list(c) for c in zip(*parts))  # type: ignore[return-value]


class ContextClassifier(FramingClassifier):
    def __init__(self, *, context: tuple[str, ...] = (), ctx_weight: float = 1.0, **kw: Any) -> None:
        super().__init__(**kw)
        self.context = context
        self.ctx_weight = ctx_weight

    # sklearn's get_params reads the signature: declare every parameter explicitly
    @classmethod
    def _get_param_names(cls) -> list[str]:
        return sorted(set(FramingClassifier._get_param_names()) | {"context", "ctx_weight"})

    def _ctx_blocks(self, prev: list[str], nxt: list[str], window: list[str], fit: bool,
                    own: list[str] | None = None) -> list[sp.csr_matrix]:
        w = self.ctx_weight
        blocks = []
        if fit:
            self.ctx_cues_ = CueFeatures(self.extra_lexicon).fit(prev)
            self.ctx_vecs_ = {}
        need_cues = any(c in self.context for c in ("prev_cues", "next_cues", "ind_state", "ind_attrib", "carry"))
        cp = self.ctx_cues_.transform(prev) if need_cues else None
        cn = self.ctx_cues_.transform(nxt) if need_cues else None
        for c in self.context:
            if c == "prev_cues":
                blocks.append(sp.csr_matrix(cp * w))
            elif c == "next_cues":
                blocks.append(sp.csr_matrix(cn * w))
            elif c in ("prev_ngrams", "next_ngrams"):
                src = prev if c == "prev_ngrams" else nxt
                if fit:
                    self.ctx_vecs_[c] = NgramVectorizer(
                        ngram_range=tuple(self.ngram_range), min_df=self.min_df, max_features=self.max_features,
                        sublinear_tf=True, lowercase=True, token_pattern=_TOKENS, dtype=np.float32)
                    X = self.ctx_vecs_[c].fit_transform(src)
                else:
                    X = self.ctx_vecs_[c].transform(src)
                blocks.append(sp.csr_matrix(X * w))
            elif c == "ind_state":
                cw = self.ctx_cues_.transform(window)
                cols = [cp[:, _CI["cue_state_actor"]] > 0, cw[:, _CI["cue_state_actor"]] > 0,
                        cn[:, _CI["cue_state_actor"]] > 0]
                blocks.append(sp.csr_matrix(np.column_stack(cols).astype(float) * w))
            elif c == "ind_attrib":
                state = cp[:, _CI["cue_state_actor"]] > 0
                speech = (cp[:, _CI["cue_neutral_verb"]] > 0) | (cp[:, _CI["cue_direct_quote"]] > 0)
                cols = [state & speech, cp[:, _CI["combo_distanced"]] > 0]
                blocks.append(sp.csr_matrix(np.column_stack(cols).astype(float) * w))
            elif c == "carry":
                co, cw = self.ctx_cues_.transform(own), self.ctx_cues_.transform(window)
                o_state = co[:, _CI["cue_state_actor"]] > 0
                o_speech = (co[:, _CI["cue_neutral_verb"]] > 0) | (co[:, _CI["cue_direct_quote"]] > 0)
                o_cont = co[:, _CI["cue_contested"]] > 0
                o_plain = (co[:, _CI["combo_distanced"]] == 0) & (co[:, _CI["cue_denial"]] == 0)
                p_state = cp[:, _CI["cue_state_actor"]] > 0
                w_state = cw[:, _CI["cue_state_actor"]] > 0
                cols = [o_speech & ~o_state & p_state, o_cont & ~o_state & p_state, o_cont & ~o_state & w_state,
                        o_cont & o_plain & ~o_state & p_state, o_speech & o_cont & o_plain & ~o_state & p_state]
                blocks.append(sp.csr_matrix(np.column_stack(cols).astype(float) * w))
            else:
                raise ValueError(c)
        return blocks

    def _fit_features(self, texts: list[str]) -> sp.csr_matrix:
        own, prev, nxt, window = unpack(texts)
        F = super()._fit_features(own)
        blocks = self._ctx_blocks(prev, nxt, window, fit=True, own=own)
        return sp.hstack([F, *blocks], format="csr") if blocks else F

    def _features_and_cues(self, texts: list[str]) -> tuple[sp.csr_matrix, Any]:
        own, prev, nxt, window = unpack(texts)
        F, cues = super()._features_and_cues(own)
        blocks = self._ctx_blocks(prev, nxt, window, fit=False, own=own)
        return (sp.hstack([F, *blocks], format="csr") if blocks else F), cues
