"""Features: cue counts and cue combinations, word n-grams, and input validation for text.

:class:`CueFeatures` is a scikit-learn transformer from passages (strings) to a dense
matrix of cue features; the classifier joins it with word n-grams.
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .cues import CUE_TYPES, Cue, CueDetector

try:  # optional compiled tokenizer (framing/_speedups.c); the same matrices without it
    from . import _speedups
except ImportError:  # pragma: no cover - an install without a C compiler
    _speedups = None  # type: ignore[assignment]

#: Token patterns ``_speedups.ngram_counts`` reproduces: scikit-learn's default and framing's.
_COMPILED_TOKENS = {r"(?u)\b\w\w+\b": 0, r"(?u)\b\w[\w'\u2019-]*\b": 1}

__all__ = ["CueFeatures", "NgramVectorizer", "as_texts", "CUE_FEATURE_NAMES"]

_COMBOS = (
    "combo_state_contested_plain",  # state actor + contested content, no distancing or denial
    "combo_state_neutral_contested_plain",  # ... and a neutral reporting verb
    "combo_distanced",  # any distancing cue
    "combo_confession_coercion",
    "combo_confession_plain",
    "combo_speculation_purpose",
    "combo_speculation_or_purpose",
    "combo_denial_with_state",
)
#: Names of the columns :class:`CueFeatures` returns.
CUE_FEATURE_NAMES: tuple[str, ...] = tuple(f"cue_{t}" for t in CUE_TYPES) + _COMBOS
_INDEX = {t: i for i, t in enumerate(CUE_TYPES)}
_DISTANCE = ("distancing_verb", "hedge", "non_verification", "scare_quote")


def as_texts(X: Any, *, name: str = "X") -> list[str]:
    """Validate a 1-D collection of passages and return it as a list of str.

    None and NaN become ``""`` (one prediction per input row, documented policy);
    anything else that is not a string raises a ``TypeError`` naming the row.

    Examples
    --------
    >>> from framing.features import as_texts
    >>> as_texts(["a", None, float("nan")])
    ['a', '', '']
    """
    if isinstance(X, str):
        raise TypeError(f"{name} must be a 1-D sequence of strings, not a single string; wrap it in a list")
    if hasattr(X, "ndim") and getattr(X, "ndim") != 1:
        raise ValueError(f"{name} must be 1-D (one passage per row), got an array of shape {getattr(X, 'shape', '?')}")
    if hasattr(X, "columns"):
        raise ValueError(f"{name} must be 1-D: pass a column (e.g. df['text']), not a DataFrame")
    if not isinstance(X, Iterable) or isinstance(X, (Mapping, set, frozenset, bytes)):
        raise TypeError(f"{name} must be a 1-D sequence of strings, not {type(X).__name__}")
    if isinstance(X, list) and set(map(type, X)) <= {str}:
        return list(X)  # the common case, checked at C speed
    out: list[str] = []
    for i, value in enumerate(X):
        if isinstance(value, str):
            out.append(value)
        elif value is None or type(value).__name__ == "NAType" or (isinstance(value, float) and math.isnan(value)):
            out.append("")
        else:
            raise TypeError(f"{name}[{i}] must be a string (or None), not {type(value).__name__}: {value!r:.60}")
    return out


class CueFeatures(TransformerMixin, BaseEstimator):
    """Cue counts (log-scaled) and cue combinations for each passage.

    Parameters
    ----------
    extra_lexicon : mapping of str to sequence of str, optional
        Extra terms per cue type, passed to :class:`framing.cues.CueDetector`.

    Examples
    --------
    >>> from framing.features import CueFeatures
    >>> X = CueFeatures().fit_transform(["The ministry claimed the plot was foreign."])
    >>> X.shape
    (1, 22)
    """

    def __init__(self, extra_lexicon: Mapping[str, Sequence[str]] | None = None) -> None:
        self.extra_lexicon = extra_lexicon

    def fit(self, X: Any, y: Any = None) -> CueFeatures:
        as_texts(X)
        self.detector_ = CueDetector(self.extra_lexicon)
        self.n_features_out_ = len(CUE_FEATURE_NAMES)
        return self

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.array(CUE_FEATURE_NAMES, dtype=object)

    def transform(self, X: Any) -> np.ndarray:
        return self.transform_with_cues(X)[0]

    def transform_with_cues(self, X: Any) -> tuple[np.ndarray, list[list[Cue]]]:
        """Like :meth:`transform`, and also return each passage's cue spans (one detection pass)."""
        texts = as_texts(X)
        det = getattr(self, "detector_", None)
        if det is None:
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("CueFeatures is not fitted yet; call fit first")
        n, n_types = len(texts), len(CUE_TYPES)
        all_cues = [det.detect(text) for text in texts]
        # counts by one bincount over (row, type) codes: no Python work per row and cue type
        index = _INDEX
        codes = np.fromiter((index[cue.cue_type] for cues in all_cues for cue in cues), dtype=np.int64)
        rows = np.repeat(np.arange(n, dtype=np.int64), np.fromiter(map(len, all_cues), dtype=np.int64, count=n))
        counts = np.bincount(rows * n_types + codes, minlength=n * n_types).reshape(n, n_types).astype(np.float64)
        has = counts > 0
        state, contested, denial = has[:, _INDEX["state_actor"]], has[:, _INDEX["contested"]], has[:, _INDEX["denial"]]
        neutral, conf, coerc = has[:, _INDEX["neutral_verb"]], has[:, _INDEX["confession"]], has[:, _INDEX["coercion"]]
        spec, purpose = has[:, _INDEX["speculation"]], has[:, _INDEX["purpose"]]
        distanced = has[:, [_INDEX[t] for t in _DISTANCE]].any(axis=1)
        plain = state & contested & ~distanced & ~denial
        combos = np.column_stack([
            plain,
            plain & neutral,
            distanced,
            conf & coerc,
            conf & ~coerc,
            spec & purpose,
            spec | purpose,
            denial & state,
        ]).reshape(n, len(_COMBOS))
        out = np.hstack([np.log1p(counts), combos.astype(np.float64)])
        return out, all_cues


# Joins a batch of documents for one tokenizer pass: a word token no news text holds
# (checked; a batch that holds it is vectorised by scikit-learn's own code).
_SEPARATOR = "qxjzframingdocbreakqxjz"


class NgramVectorizer(TfidfVectorizer):
    """scikit-learn's :class:`~sklearn.feature_extraction.text.TfidfVectorizer`, faster to apply and to load.

    Same parameters, same fitted attributes and the same matrices. Two differences:

    * ``transform`` looks n-grams up in the vocabulary in one pass per passage (C-level
      ``map``) and lets scipy sum the counts; with a custom analyzer, tokenizer,
      preprocessor, stop words, accent stripping or ``binary=True`` it is scikit-learn's.
    * Saved with skops, the vocabulary is one string of terms in column order rather
      than a mapping with one stored integer per term, so a model loads in a fraction
      of the time.

    Examples
    --------
    >>> from framing.features import NgramVectorizer
    >>> vec = NgramVectorizer(ngram_range=(1, 2)).fit(["the ministry said", "the ministry claimed"])
    >>> vec.transform(["the ministry said so"]).nnz
    5
    """

    def _fast(self) -> bool:
        return (self.analyzer == "word" and self.tokenizer is None and self.preprocessor is None
                and self.stop_words is None and self.strip_accents is None and not self.binary
                and self.input == "content")

    def transform(self, raw_documents: Any) -> sp.csr_matrix:
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        docs = list(raw_documents)
        if not self._fast() or not all(isinstance(d, str) for d in docs):
            return super().transform(docs)
        check_is_fitted(self, "vocabulary_", msg="The TF-IDF vectorizer is not fitted")
        lower, (lo, hi) = self.lowercase, self.ngram_range
        texts = [d.lower() for d in docs] if lower else docs
        mode = _COMPILED_TOKENS.get(self.token_pattern)
        table = self._table() if mode is not None and 1 <= lo <= hi else None
        if table is not None:
            indices, counts, indptr = (np.frombuffer(b, dtype=np.int64)
                                       for b in _speedups.ngram_counts(texts, table, lo, hi, mode))
            shape = (len(docs), len(self.vocabulary_))
            # the count matrix as scikit-learn has it: columns sorted and summed per row
            return self._tfidf.transform(sp.csr_matrix((counts.astype(self.dtype), indices, indptr), shape=shape),
                                         copy=False)
        # Without the extension: one pass over the whole batch, documents joined by a
        # separator token that no document contains, n-grams looked up with C-level maps,
        # rows found by counting separators. Separator n-grams are never in the vocabulary.
        pattern = re.compile(self.token_pattern)
        lookup = self._lookup()
        if pattern.groups or lookup is None or any(_SEPARATOR in t for t in texts):
            return super().transform(docs)
        tokens = pattern.findall(f" {_SEPARATOR} ".join(texts))
        get, missing = lookup.get, itertools.repeat(-1)
        token_ids = np.fromiter(map(get, tokens, missing), dtype=np.int64, count=len(tokens))
        row = np.cumsum(token_ids == -2)  # the document of each token
        ids, rows = [], []
        if lo == 1:
            ids.append(token_ids)
            rows.append(row)
        for n in range(max(lo, 2), hi + 1):
            count = max(len(tokens) - n + 1, 0)
            grams = map(" ".join, zip(*(tokens[k:] for k in range(n))))
            ids.append(np.fromiter(map(get, grams, missing), dtype=np.int64, count=count))
            rows.append(row[:count])
        all_ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        all_rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        keep = all_ids >= 0
        counts = sp.csr_matrix((np.ones(int(keep.sum()), dtype=self.dtype), (all_rows[keep], all_ids[keep])),
                               shape=(len(docs), len(self.vocabulary_)))
        counts.sum_duplicates()  # counts per n-gram, indices sorted, as scikit-learn has them
        return self._tfidf.transform(counts, copy=False)

    def _table(self) -> Any:
        """The vocabulary compiled for ``_speedups.ngram_counts`` (cached); None without the extension."""
        if _speedups is None:
            return None
        cached = getattr(self, "_table_cache", None)
        if cached is not None and cached[0] is self.vocabulary_:
            return cached[1]
        table = _speedups.ngram_table(self.vocabulary_)
        self._table_cache = (self.vocabulary_, table)
        return table

    def _lookup(self) -> dict[str, int] | None:
        """The vocabulary plus the separator (-2), cached; None if a term holds the separator."""
        cached = getattr(self, "_lookup_cache", None)
        if cached is not None and cached[0] is self.vocabulary_:
            return cached[1]
        lookup: dict[str, int] | None = dict(self.vocabulary_)
        if any(_SEPARATOR in term for term in self.vocabulary_):
            lookup = None
        else:
            lookup[_SEPARATOR] = -2  # type: ignore[index]
        self._lookup_cache = (self.vocabulary_, lookup)
        return lookup

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("_lookup_cache", None)
        state.pop("_table_cache", None)
        vocabulary = state.get("vocabulary_")
        if isinstance(vocabulary, dict) and vocabulary and not any("\n" in t for t in vocabulary):
            del state["vocabulary_"]
            state["vocabulary_terms_"] = "\n".join(sorted(vocabulary, key=vocabulary.__getitem__))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        terms = state.pop("vocabulary_terms_", None)
        if terms is not None:
            state["vocabulary_"] = {t: i for i, t in enumerate(terms.split("\n"))}
        super().__setstate__(state)
