"""The framing classifier: cue features + word n-grams -> one logistic regression per label,
with per-label decision thresholds; a cue-rules baseline; skops persistence.

The estimators follow scikit-learn's contract: ``__init__`` only stores parameters,
learned state ends in ``_``, ``fit`` returns ``self``; they work with ``clone``,
``Pipeline`` and ``GridSearchCV``. Input ``X`` is a 1-D sequence of passages (str);
``Y`` is a 0/1 matrix (n_samples, n_labels), a DataFrame whose columns name the labels,
or a list of label lists.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from .columns import LABEL_NAMES
from .cues import CueDetector
from .features import CUE_FEATURE_NAMES, CueFeatures, NgramVectorizer, as_texts

__all__ = [
    "FramingClassifier",
    "CueRuleClassifier",
    "label_matrix",
    "tune_thresholds",
    "save_model",
    "load_model",
    "load_pretrained",
    "PRETRAINED_PATH",
    "LABEL_CUES",
]

PRETRAINED_PATH = Path(__file__).parent / "data" / "framing_model.skops"

#: Cue types that are evidence for each codebook label (used by ``explain``).
LABEL_CUES: dict[str, tuple[str, ...]] = {
    "state_claim_uncritical": ("state_actor", "neutral_verb", "contested", "direct_quote"),
    "hedged_attribution": ("distancing_verb", "hedge", "non_verification", "scare_quote"),
    "forced_confession_noted": ("confession", "coercion"),
    "speculative_motive": ("speculation", "purpose"),
}


def _is_label_lists(Y: Any) -> bool:
    """True for a non-empty sequence whose rows are collections of label names (str);
    rows of numbers are an indicator matrix instead."""
    return (isinstance(Y, (list, tuple, pd.Series)) and len(Y) > 0
            and all(isinstance(row, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in row)
                    for row in Y))


def label_matrix(Y: Any, labels: Sequence[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """Return ``(matrix, label_names)`` for a label argument in any supported form.

    Parameters
    ----------
    Y : array-like of shape (n, k), DataFrame, or sequence of label lists
        0/1 indicators, a DataFrame whose columns are the label names, or one list of
        label names per passage.
    labels : sequence of str, optional
        Label names (and order). Defaults to the DataFrame's columns, to
        :data:`framing.LABEL_NAMES` when there are four columns or label lists, else
        ``label_0 ...``.

    Examples
    --------
    >>> from framing.model import label_matrix
    >>> M, names = label_matrix([["hedged_attribution"], []])
    >>> M.tolist(), names[1]
    ([[0, 1, 0, 0], [0, 0, 0, 0]], 'hedged_attribution')
    """
    if isinstance(Y, pd.DataFrame):
        names = list(labels) if labels is not None else [str(c) for c in Y.columns]
        M = Y[names].to_numpy() if labels is not None else Y.to_numpy()
    elif _is_label_lists(Y):
        names = list(labels) if labels is not None else list(LABEL_NAMES)
        index = {n: j for j, n in enumerate(names)}
        M = np.zeros((len(Y), len(names)), dtype=int)
        for i, row in enumerate(Y):
            for name in row:
                if name not in index:
                    raise ValueError(f"Y[{i}] has unknown label {name!r}; labels are {names}")
                M[i, index[name]] = 1
    else:
        M = np.asarray(Y)
        if M.ndim == 1:
            M = M.reshape(-1, 1)
        if M.ndim != 2:
            raise ValueError(f"Y must be 2-D (n_samples, n_labels), got shape {M.shape}")
        k = M.shape[1]
        names = list(labels) if labels is not None else (list(LABEL_NAMES) if k == len(LABEL_NAMES) else [f"label_{j}" for j in range(k)])
    M = np.asarray(M)
    if M.size and not np.isin(M, (0, 1)).all():
        raise ValueError("Y must hold 0/1 indicators")
    if len(names) != M.shape[1]:
        raise ValueError(f"{len(names)} label names for {M.shape[1]} label columns")
    return M.astype(int), names


def tune_thresholds(Y: np.ndarray, P: np.ndarray, *, grid: np.ndarray | None = None) -> np.ndarray:
    """Per-label thresholds that maximise F1 of ``P >= t`` against ``Y`` (ties: the lower t).

    A label with no positives in ``Y`` keeps 0.5.
    """
    grid = np.round(np.arange(0.05, 0.951, 0.025), 3) if grid is None else grid
    out = np.full(Y.shape[1], 0.5)
    for j in range(Y.shape[1]):
        y = Y[:, j]
        if y.sum() == 0:
            continue
        best, best_t = -1.0, 0.5
        for t in grid:
            pred = P[:, j] >= t
            tp = float(np.sum(pred & (y == 1)))
            denom = pred.sum() + y.sum()
            f1 = 2 * tp / denom if denom else 0.0
            if f1 > best + 1e-12:
                best, best_t = f1, float(t)
        out[j] = best_t
    return out


def _masked(texts: Sequence[str], cues: Sequence[Sequence[Any]]) -> list[str]:
    """Each text with its cue spans replaced by ``__<cue_type>__`` tokens."""
    out = []
    for text, row in zip(texts, cues):
        parts, pos = [], 0
        for c in row:
            if c.start < pos or c.cue_type in ("scare_quote", "direct_quote"):
                continue
            parts.append(text[pos:c.start])
            parts.append(f" __{c.cue_type}__ ")
            pos = c.end
        parts.append(text[pos:])
        out.append("".join(parts))
    return out


class FramingClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label framing classifier over passages.

    Parameters
    ----------
    use_cues : bool, default True
        Include cue features (:class:`framing.features.CueFeatures`).
    use_ngrams : bool, default True
        Include word n-gram TF-IDF features.
    ngram_range : tuple of int, default (1, 2)
        Word n-gram range.
    min_df : int, default 2
        Minimum document frequency of an n-gram.
    max_features : int or None, default 100_000
        Cap on the n-gram vocabulary.
    C : float, default 4.0
        Inverse regularisation strength of each logistic regression.
    cue_weight : float, default 1.0
        Multiplier on the cue feature block (relative to the TF-IDF block).
    class_weight : {"balanced", None}, default "balanced"
        Class weighting of each logistic regression.
    threshold : "tune" or float, default "tune"
        Decision threshold on the probability. ``"tune"`` picks per-label thresholds
        maximising F1 on ``dev`` (a ``fit`` argument) or, without one, on
        out-of-fold predictions of ``threshold_cv`` folds of the training data.
    threshold_cv : int, default 3
        Folds for threshold tuning without a dev set.
    labels : sequence of str, optional
        Label names; by default taken from ``Y`` (see :func:`label_matrix`).
    extra_lexicon : mapping, optional
        Extra cue terms per cue type (see :class:`framing.cues.CueDetector`).
    cue_ngrams : bool, default False
        Also use word 1-3-grams of the passage with each cue span replaced by its type
        (``"the __state_actor__ __neutral_verb__ the network ..."``), so that patterns
        generalise across actors and verbs. Needs ``use_cues``.
    random_state : int, default 0
        Seed of the cross-validation shuffle and the solvers.

    Attributes
    ----------
    classes_ : ndarray of str
        Label names, the column order of ``predict`` and ``predict_proba``.
    thresholds_ : ndarray of float
        Per-label decision thresholds.
    estimators_ : list of LogisticRegression
        One fitted model per label.

    Examples
    --------
    >>> from framing import FramingClassifier
    >>> X = ["The ministry said the plot was run by Mossad.", "The ministry claimed the plot was foreign.",
    ...      "It rained.", "He reportedly left."] * 5
    >>> Y = [["state_claim_uncritical"], ["hedged_attribution"], [], ["hedged_attribution"]] * 5
    >>> clf = FramingClassifier(threshold=0.5, min_df=1).fit(X, Y)
    >>> clf.predict(["The ministry claimed the plot was foreign."]).shape
    (1, 4)
    """

    def __init__(
        self,
        *,
        use_cues: bool = True,
        use_ngrams: bool = True,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int = 2,
        max_features: int | None = 100_000,
        C: float = 4.0,
        cue_weight: float = 1.0,
        class_weight: str | None = "balanced",
        threshold: str | float = "tune",
        threshold_cv: int = 3,
        labels: Sequence[str] | None = None,
        extra_lexicon: Mapping[str, Sequence[str]] | None = None,
        cue_ngrams: bool = False,
        random_state: int | None = 0,
    ) -> None:
        self.use_cues = use_cues
        self.use_ngrams = use_ngrams
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.C = C
        self.cue_weight = cue_weight
        self.class_weight = class_weight
        self.threshold = threshold
        self.threshold_cv = threshold_cv
        self.labels = labels
        self.extra_lexicon = extra_lexicon
        self.cue_ngrams = cue_ngrams
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    def _fit_features(self, texts: list[str]) -> sp.csr_matrix:
        if not (self.use_cues or self.use_ngrams):
            raise ValueError("at least one of use_cues and use_ngrams must be True")
        blocks = []
        if self.use_ngrams:
            self.vectorizer_ = NgramVectorizer(
                ngram_range=tuple(self.ngram_range), min_df=self.min_df, max_features=self.max_features,
                sublinear_tf=True, lowercase=True, token_pattern=r"(?u)\b\w[\w'\u2019-]*\b", dtype=np.float32,
            )
            blocks.append(self.vectorizer_.fit_transform(texts))
        else:
            self.vectorizer_ = None
        self.masked_vectorizer_ = None
        if self.use_cues:
            self.cue_features_ = CueFeatures(self.extra_lexicon).fit(texts)
            dense, cues = self.cue_features_.transform_with_cues(texts)
            blocks.append(sp.csr_matrix(dense * self.cue_weight))
            if self.cue_ngrams:
                self.masked_vectorizer_ = NgramVectorizer(
                    ngram_range=(1, 3), min_df=max(2, self.min_df), max_features=self.max_features, sublinear_tf=True,
                    lowercase=True, token_pattern=r"(?u)\b\w[\w'\u2019-]*\b", dtype=np.float32)
                blocks.append(self.masked_vectorizer_.fit_transform(_masked(texts, cues)))
        else:
            self.cue_features_ = None
        return sp.hstack(blocks, format="csr")

    def _features(self, texts: list[str]) -> sp.csr_matrix:
        return self._features_and_cues(texts)[0]

    def _features_and_cues(self, texts: list[str]) -> tuple[sp.csr_matrix, list[list[Any]] | None]:
        blocks = []
        cues = None
        if self.vectorizer_ is not None:
            blocks.append(self.vectorizer_.transform(texts))
        if self.cue_features_ is not None:
            dense, cues = self.cue_features_.transform_with_cues(texts)
            blocks.append(sp.csr_matrix(dense * self.cue_weight))
            if getattr(self, "masked_vectorizer_", None) is not None:
                blocks.append(self.masked_vectorizer_.transform(_masked(texts, cues)))
        return sp.hstack(blocks, format="csr"), cues

    def _new_lr(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear",
                                  max_iter=1000, random_state=self.random_state)

    def _fit_models(self, F: sp.csr_matrix, M: np.ndarray) -> list[Any]:
        models = []
        for j in range(M.shape[1]):
            y = M[:, j]
            if y.min() == y.max():  # a label with one class in the training data
                models.append(float(y[0]))
            else:
                models.append(self._new_lr().fit(F, y))
        return models

    @staticmethod
    def _proba(models: list[Any], F: sp.csr_matrix) -> np.ndarray:
        cols = [np.full(F.shape[0], m) if isinstance(m, float) else m.predict_proba(F)[:, 1] for m in models]
        return np.column_stack(cols) if cols else np.zeros((F.shape[0], 0))

    def fit(self, X: Any, Y: Any, *, dev: tuple[Any, Any] | None = None, groups: Any = None) -> FramingClassifier:
        """Fit on passages ``X`` and labels ``Y``.

        Parameters
        ----------
        X : sequence of str
            Passages.
        Y : array-like (n, k), DataFrame or sequence of label lists
            Labels (see :func:`label_matrix`).
        dev : (X_dev, Y_dev), optional
            Held-out data for threshold tuning (when ``threshold="tune"``).
        groups : array-like, optional
            Group ids (e.g. documents) for the internal threshold folds.

        Returns
        -------
        self
        """
        texts = as_texts(X)
        M, names = label_matrix(Y, self.labels)
        if len(texts) != M.shape[0]:
            raise ValueError(f"X has {len(texts)} passages but Y has {M.shape[0]} rows")
        if len(texts) == 0:
            raise ValueError("cannot fit on zero passages")
        self.classes_ = np.array(names, dtype=object)
        F = self._fit_features(texts)
        self.estimators_ = self._fit_models(F, M)
        self.n_features_ = F.shape[1]
        if self.threshold != "tune":
            t = float(self.threshold)
            if not 0.0 < t < 1.0:
                raise ValueError(f"threshold must be 'tune' or in (0, 1), got {self.threshold!r}")
            self.thresholds_ = np.full(M.shape[1], t)
        elif dev is not None:
            dev_texts = as_texts(dev[0], name="dev X")
            M_dev, _ = label_matrix(dev[1], names)
            self.thresholds_ = tune_thresholds(M_dev, self._proba(self.estimators_, self._features(dev_texts)))
        else:
            self.thresholds_ = tune_thresholds(M, self._oof_proba(texts, M, groups))
        return self

    def _oof_proba(self, texts: list[str], M: np.ndarray, groups: Any) -> np.ndarray:
        from sklearn.model_selection import GroupKFold, KFold

        P = np.zeros(M.shape, dtype=float)
        n_splits = min(self.threshold_cv, len(texts))
        if n_splits < 2:
            return np.full(M.shape, 0.5)
        if groups is not None:
            splits = GroupKFold(n_splits=n_splits).split(texts, groups=groups)
        else:
            splits = KFold(n_splits=n_splits, shuffle=True, random_state=self.random_state).split(texts)
        for train, test in splits:
            inner = clone(self).set_params(threshold=0.5)
            inner.fit([texts[i] for i in train], M[train], )
            P[test] = inner.predict_proba([texts[i] for i in test])
        return P

    # --------------------------------------------------------------- prediction
    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of each label, shape (n_samples, n_labels), columns ``classes_``."""
        check_is_fitted(self, "estimators_")
        texts = as_texts(X)
        if not texts:
            return np.zeros((0, len(self.classes_)))
        return self._proba(self.estimators_, self._features(texts))

    def predict(self, X: Any) -> np.ndarray:
        """0/1 label matrix, shape (n_samples, n_labels), columns ``classes_``."""
        return (self.predict_proba(X) >= self.thresholds_).astype(int)

    def predict_with_evidence(self, X: Any) -> tuple[np.ndarray, np.ndarray, list[list[dict[str, Any]]]]:
        """Predict labels and probabilities, and return the evidence for each passage.

        Returns
        -------
        labels : ndarray (n, k)
        proba : ndarray (n, k)
        evidence : list of list of dict
            Per passage, the cue spans (``start, end, cue_type, match, label``) that are
            evidence for a predicted label. Cues are detected once, for features and
            evidence alike. Only the codebook's labels have cue evidence (each its own cue
            types); a label of your own gets none (see :meth:`explain` for its features).
        """
        check_is_fitted(self, "estimators_")
        texts = as_texts(X)
        k = len(self.classes_)
        if not texts:
            return np.zeros((0, k), dtype=int), np.zeros((0, k)), []
        F, cues = self._features_and_cues(texts)
        proba = self._proba(self.estimators_, F)
        labels = (proba >= self.thresholds_).astype(int)
        if cues is None:
            detector = CueDetector(self.extra_lexicon)
            cues = [detector.detect(t) for t in texts]
        evidence: list[list[dict[str, Any]]] = [[] for _ in texts]
        names = [str(c) for c in self.classes_]
        for i, j in zip(*np.nonzero(labels)):  # rows with a predicted label only
            label = names[j]
            wanted = LABEL_CUES.get(label)
            if wanted is None:
                continue
            evidence[i] += [{"start": c.start, "end": c.end, "cue_type": c.cue_type, "match": c.match, "label": label}
                            for c in cues[i] if c.cue_type in wanted]
        return labels, proba, evidence

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Macro-averaged F1 over labels (the model-selection metric)."""
        from sklearn.metrics import f1_score

        M, _ = label_matrix(y, list(self.classes_))
        return float(f1_score(M, self.predict(X), average="macro", zero_division=0, sample_weight=sample_weight))

    def feature_names_out(self) -> np.ndarray:
        """Names of the model's input features (n-grams, then cue features)."""
        check_is_fitted(self, "estimators_")
        names: list[str] = []
        if self.vectorizer_ is not None:
            names += [f"ngram:{n}" for n in self.vectorizer_.get_feature_names_out()]
        if self.cue_features_ is not None:
            names += list(CUE_FEATURE_NAMES)
        if getattr(self, "masked_vectorizer_", None) is not None:
            names += [f"masked:{n}" for n in self.masked_vectorizer_.get_feature_names_out()]
        return np.array(names, dtype=object)

    def explain(self, text: str, *, top: int = 5) -> dict[str, dict[str, Any]]:
        """Explain the prediction for one passage.

        Returns, per label, the probability, the threshold, whether it is predicted,
        the cue spans that are evidence for it (for the codebook's labels only: a label of
        your own has no cue types, so its ``cues`` list is empty), and the ``top`` features
        with the largest positive contribution (weight x value) to its score.

        Examples
        --------
        >>> import framing
        >>> clf = framing.load_pretrained()
        >>> ex = clf.explain("The ministry claimed, without evidence, that the plot was foreign.")
        >>> sorted(ex)[0], "cues" in ex["hedged_attribution"]
        ('forced_confession_noted', True)
        """
        check_is_fitted(self, "estimators_")
        text = as_texts([text], name="text")[0]  # None and NaN are the empty passage, as in predict
        F = self._features([text])
        proba = self._proba(self.estimators_, F)[0]
        names = self.feature_names_out()
        detector = self.cue_features_.detector_ if self.cue_features_ is not None else CueDetector(self.extra_lexicon)
        cues = detector.detect(text)
        row = F.tocsr()
        out: dict[str, dict[str, Any]] = {}
        for j, label in enumerate(self.classes_):
            model = self.estimators_[j]
            contributions: list[tuple[str, float]] = []
            if not isinstance(model, float):
                coef = model.coef_[0]
                idx = row.indices
                vals = row.data * coef[idx]
                order = np.argsort(-vals)[:top]
                contributions = [(str(names[idx[i]]), float(vals[i])) for i in order if vals[i] > 0]
            wanted = LABEL_CUES.get(str(label))
            out[str(label)] = {
                "probability": float(proba[j]),
                "threshold": float(self.thresholds_[j]),
                "predicted": bool(proba[j] >= self.thresholds_[j]),
                # only the codebook's labels have cue evidence, as in predict_with_evidence
                "cues": [c._asdict() for c in cues if wanted is not None and c.cue_type in wanted],
                "top_features": contributions,
            }
        return out


class CueRuleClassifier(ClassifierMixin, BaseEstimator):
    """Baseline: hand-written rules over cue spans, no learning (``fit`` only records labels).

    Rules: ``state_claim_uncritical`` = state actor + contested content + no distancing,
    denial or scare quote; ``hedged_attribution`` = a distancing verb, hedge,
    non-verification note or scare quote; ``forced_confession_noted`` = confession +
    coercion term; ``speculative_motive`` = an imputed-purpose construction, or a
    speculation marker.

    Examples
    --------
    >>> from framing.model import CueRuleClassifier
    >>> CueRuleClassifier().fit(["x"], [[0, 0, 0, 0]]).predict(["He allegedly confessed under torture."])
    array([[0, 1, 1, 0]])
    """

    def __init__(self, extra_lexicon: Mapping[str, Sequence[str]] | None = None) -> None:
        self.extra_lexicon = extra_lexicon

    def fit(self, X: Any, Y: Any = None) -> CueRuleClassifier:
        as_texts(X)
        names = list(LABEL_NAMES) if Y is None else label_matrix(Y)[1]
        if names != list(LABEL_NAMES):
            raise ValueError(f"the cue rules only know the codebook labels {list(LABEL_NAMES)}")
        self.classes_ = np.array(names, dtype=object)
        self.features_ = CueFeatures(self.extra_lexicon).fit(X)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "features_")
        F = self.features_.transform(as_texts(X))
        col = {n: i for i, n in enumerate(CUE_FEATURE_NAMES)}
        state = F[:, col["combo_state_contested_plain"]] > 0
        hedged = F[:, col["combo_distanced"]] > 0
        confession = F[:, col["combo_confession_coercion"]] > 0
        motive = (F[:, col["cue_purpose"]] > 0) | (F[:, col["cue_speculation"]] > 0)
        return np.column_stack([state, hedged, confession, motive]).astype(float)

    def predict(self, X: Any) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)


# ---------------------------------------------------------------- persistence


def _trusted() -> list[str]:
    return [
        "framing.model.FramingClassifier",
        "framing.features.CueFeatures",
        "framing.cues.CueDetector",
        "framing.features.NgramVectorizer",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "numpy.float32",
        "numpy.float64",
        "numpy.int64",
        "numpy.dtype",
    ]


def save_model(model: BaseEstimator, path: str | Path, *, card: Mapping[str, Any] | None = None) -> Path:
    """Save a fitted model with skops (never pickle), with an optional JSON card beside it.

    Parameters
    ----------
    model : estimator
        A fitted :class:`FramingClassifier`.
    path : path-like
        Destination ``.skops`` file.
    card : mapping, optional
        Metadata written to ``<path>.json`` (training data, metrics, version).
    """
    import skops.io as sio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    import zipfile

    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    if card is not None:
        path.with_suffix(".json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def load_model(path: str | Path, *, trusted: Sequence[str] | None = None) -> Any:
    """Load a model saved by :func:`save_model`, trusting only the library's own types.

    Parameters
    ----------
    path : path-like
        A ``.skops`` file.
    trusted : sequence of str, optional
        Extra type names to trust (for models with custom components). Loading
        fails with an error listing any untrusted type the file holds.
    """
    import skops.io as sio

    path = Path(path)
    if not path.exists():
        from .errors import MissingDataError

        raise MissingDataError(f"{path}: no such model file")
    allowed = _trusted() + list(trusted or [])
    import zipfile

    if not zipfile.is_zipfile(path):
        from .errors import DataError

        raise DataError("not a skops model file (save one with framing.model.save_model or 'framing train')",
                        path=path)
    try:
        return sio.load(path, trusted=allowed)
    except sio.exceptions.UntrustedTypesFoundException:
        unknown = [t for t in sio.get_untrusted_types(file=path) if t not in allowed]
        raise ValueError(f"{path} holds types that are not trusted: {unknown}; pass trusted=[...] if you trust them") from None


def load_pretrained() -> FramingClassifier:
    """Load the classifier shipped with the package (trained on the gold train split).

    The model card is ``framing/data/MODEL_CARD.md``.

    Examples
    --------
    >>> import framing
    >>> clf = framing.load_pretrained()
    >>> list(clf.classes_)
    ['state_claim_uncritical', 'hedged_attribution', 'forced_confession_noted', 'speculative_motive']
    >>> clf.predict(["The ministry claimed the plot was foreign."]).shape
    (1, 4)
    """
    return load_model(PRETRAINED_PATH)
