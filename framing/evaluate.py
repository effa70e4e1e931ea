"""Evaluation: per-label precision, recall and F1 with document-cluster bootstrap CIs,
grouped cross-validation, cross-corpus evaluation, learning curves, segmentation F1.

All functions take plain arrays or tidy DataFrames and return tidy DataFrames; the
experiment scripts in ``experiments/`` write them to results files.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

from .model import label_matrix

__all__ = [
    "prf",
    "evaluate_predictions",
    "cluster_bootstrap",
    "grouped_cross_val_predict",
    "cross_corpus",
    "learning_curve",
    "extrapolate_learning_curve",
    "boundary_f1",
    "bcubed",
    "alignment_scores",
]


def prf(y_true: np.ndarray, y_pred: np.ndarray, weight: np.ndarray | None = None) -> tuple[float, float, float]:
    """Precision, recall and F1 of one binary label (0 where undefined)."""
    w = np.ones(len(y_true)) if weight is None else np.asarray(weight, dtype=float)
    t, p = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp = float(w[t & p].sum())
    fp = float(w[~t & p].sum())
    fn = float(w[t & ~p].sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return precision, recall, f1


def _scores(Y: np.ndarray, P: np.ndarray, with_support: np.ndarray | None = None,
            weight: np.ndarray | None = None) -> np.ndarray:
    """Rows: labels then macro; columns: precision, recall, f1.

    The macro average is over the labels with support (``with_support``, by default those
    with a positive in ``Y``): a label with no positives has no defined F1, and counting it
    as 0 would understate every other label's score.
    """
    rows = [prf(Y[:, j], P[:, j], weight) for j in range(Y.shape[1])]
    arr = np.array(rows).reshape(Y.shape[1], 3)
    keep = (Y.sum(axis=0) > 0) if with_support is None else with_support
    macro = arr[keep].mean(axis=0) if keep.any() else np.full(3, np.nan)
    return np.vstack([arr, macro])


def cluster_bootstrap(
    Y: np.ndarray,
    P: np.ndarray,
    groups: Sequence[Any] | None = None,
    *,
    n_boot: int = 1000,
    random_state: int = 0,
    sample_weight: np.ndarray | None = None,
) -> np.ndarray:
    """Bootstrap distribution of per-label and macro precision/recall/F1.

    Resamples whole clusters (documents) with replacement when ``groups`` is given,
    since sentences of one document are not independent; otherwise sentences.

    Returns
    -------
    ndarray of shape (n_boot, n_labels + 1, 3)
    """
    rng = np.random.default_rng(random_state)
    if groups is None:
        groups = np.arange(len(Y))
    codes, uniques = pd.factorize(pd.Series(list(groups), dtype=object))
    members = [np.flatnonzero(codes == g) for g in range(len(uniques))]
    support = Y.sum(axis=0) > 0  # the macro of every replicate averages the same labels
    out = np.empty((n_boot, Y.shape[1] + 1, 3))
    for b in range(n_boot):
        pick = rng.integers(0, len(members), len(members))
        idx = np.concatenate([members[g] for g in pick]) if len(pick) else np.array([], dtype=int)
        out[b] = _scores(Y[idx], P[idx], support, None if sample_weight is None else sample_weight[idx])
    return out


def evaluate_predictions(
    Y_true: Any,
    Y_pred: Any,
    *,
    labels: Sequence[str] | None = None,
    groups: Sequence[Any] | None = None,
    n_boot: int = 1000,
    ci: float = 0.95,
    random_state: int = 0,
    sample_weight: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Per-label and macro precision, recall, F1 with bootstrap confidence intervals.

    Parameters
    ----------
    Y_true, Y_pred : array-like (n, k) or label lists
        Gold and predicted labels.
    labels : sequence of str, optional
        Label names (see :func:`framing.model.label_matrix`).
    groups : sequence, optional
        Cluster (document) id per row, for the cluster bootstrap.
    n_boot : int, default 1000
        Bootstrap replicates (0 for none).
    ci : float, default 0.95
        Confidence level of the percentile intervals.
    random_state : int, default 0
        Seed of the bootstrap.
    sample_weight : sequence of float, optional
        Row weights, e.g. ``1 / inclusion_prob`` of a stratified validation sample, so that
        the scores estimate those on the population sampled (counts of true and false
        positives and negatives are weighted sums). ``support`` stays the unweighted count.

    Returns
    -------
    pandas.DataFrame
        One row per label plus ``macro``: ``label, support, in_macro, precision, recall, f1,
        precision_lo, precision_hi, recall_lo, recall_hi, f1_lo, f1_hi``. The macro average
        is over the labels **with support** (at least one positive in ``Y_true``); a label
        without any has no defined F1 and is left out of it (``in_macro`` False).

    Examples
    --------
    >>> from framing.evaluate import evaluate_predictions
    >>> t = [[1, 0], [0, 1], [1, 1], [0, 0]]
    >>> p = [[1, 0], [0, 0], [1, 1], [0, 0]]
    >>> evaluate_predictions(t, p, labels=["a", "b"], n_boot=0)[["label", "f1"]].round(3)
       label     f1
    0      a  1.000
    1      b  0.667
    2  macro  0.833

    A label with no positives does not pull the macro down:

    >>> evaluate_predictions([[1, 0], [0, 0]], [[1, 0], [0, 0]], labels=["a", "none"], n_boot=0)[
    ...     ["label", "in_macro", "f1"]]
       label  in_macro   f1
    0      a      True  1.0
    1   none     False  0.0
    2  macro      True  1.0
    """
    Y, names = label_matrix(Y_true, labels)
    P, _ = label_matrix(Y_pred, names)
    if Y.shape != P.shape:
        raise ValueError(f"Y_true has shape {Y.shape} but Y_pred has shape {P.shape}")
    w = None
    if sample_weight is not None:
        w = np.asarray(sample_weight, dtype=float)
        if w.shape != (len(Y),) or not np.isfinite(w).all() or (w < 0).any():
            raise ValueError(f"sample_weight must be {len(Y)} finite non-negative numbers")
    point = _scores(Y, P, weight=w)
    rows = []
    dist = (cluster_bootstrap(Y, P, groups, n_boot=n_boot, random_state=random_state, sample_weight=w)
            if n_boot else None)
    lo_q, hi_q = (1 - ci) / 2 * 100, (1 + ci) / 2 * 100
    for j, name in enumerate([*names, "macro"]):
        row: dict[str, Any] = {
            "label": name,
            "support": int(Y[:, j].sum()) if j < len(names) else int(Y.sum()),
            "in_macro": bool(Y[:, j].sum() > 0) if j < len(names) else bool(Y.sum() > 0),
            "precision": point[j, 0], "recall": point[j, 1], "f1": point[j, 2],
        }
        for m, metric in enumerate(("precision", "recall", "f1")):
            if dist is not None:
                row[f"{metric}_lo"] = float(np.percentile(dist[:, j, m], lo_q))
                row[f"{metric}_hi"] = float(np.percentile(dist[:, j, m], hi_q))
            else:
                row[f"{metric}_lo"] = row[f"{metric}_hi"] = float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def grouped_cross_val_predict(
    make_model: Callable[[], Any],
    texts: Sequence[str],
    Y: np.ndarray,
    groups: Sequence[Any],
    *,
    n_splits: int = 5,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold predictions with document-grouped folds.

    Returns ``(predictions, fold_of_row)``.
    """
    texts = list(texts)
    P = np.zeros_like(Y)
    fold = np.full(len(texts), -1)
    for k, (train, test) in enumerate(GroupKFold(n_splits=n_splits).split(texts, Y, groups)):
        model = make_model().fit([texts[i] for i in train], Y[train])
        P[test] = model.predict([texts[i] for i in test])
        fold[test] = k
    return P, fold


def cross_corpus(
    make_model: Callable[[], Any],
    frame: pd.DataFrame,
    *,
    labels: Sequence[str],
    corpus_column: str = "corpus",
    text_column: str = "text",
    min_sentences: int = 100,
) -> pd.DataFrame:
    """Train without corpus X, test on X, for each corpus with enough sentences.

    Returns a tidy DataFrame ``held_out, label, support, precision, recall, f1``.
    """
    out = []
    for corpus in sorted(frame[corpus_column].unique()):
        test = frame[frame[corpus_column] == corpus]
        if len(test) < min_sentences:
            continue
        train = frame[frame[corpus_column] != corpus]
        model = make_model().fit(train[text_column].tolist(), train[list(labels)].to_numpy())
        P = model.predict(test[text_column].tolist())
        res = evaluate_predictions(test[list(labels)].to_numpy(), P, labels=labels, n_boot=0)
        res.insert(0, "held_out", corpus)
        out.append(res[["held_out", "label", "support", "precision", "recall", "f1"]])
    return pd.concat(out, ignore_index=True)


def learning_curve(
    make_model: Callable[[], Any],
    train: pd.DataFrame,
    test: pd.DataFrame,
    *,
    labels: Sequence[str],
    fractions: Sequence[float] = (0.1, 0.25, 0.5, 0.75, 1.0),
    n_repeats: int = 1,
    group_column: str = "doc_id",
    text_column: str = "text",
    random_state: int = 0,
) -> pd.DataFrame:
    """Test-set F1 when training on growing fractions of the training documents.

    Parameters
    ----------
    make_model : callable
        Returns a fresh, unfitted multi-label estimator.
    train, test : pandas.DataFrame
        Gold rows with a text column, a group column and one 0/1 column per label.
    labels : sequence of str
        Label columns.
    fractions : sequence of float, default (0.1, 0.25, 0.5, 0.75, 1.0)
        Shares of the training *documents* (whole documents are kept together).
    n_repeats : int, default 1
        Independent document orders; within one repeat the subsets are nested. At
        fraction 1.0 every repeat trains on the same rows.
    group_column, text_column : str
        Column names.
    random_state : int, default 0
        Seed of the document orders.

    Returns
    -------
    pandas.DataFrame
        Tidy rows ``repeat, fraction, n_train, label, f1`` (``label`` includes ``macro``).
    """
    if n_repeats < 1:
        raise ValueError(f"n_repeats must be at least 1, got {n_repeats}")
    rng = np.random.default_rng(random_state)
    docs = np.array(sorted(train[group_column].astype(str).unique()))
    rows = []
    for repeat in range(n_repeats):
        order = docs[rng.permutation(len(docs))]
        for frac in fractions:
            keep = set(order[: max(1, int(round(frac * len(docs))))])
            part = train[train[group_column].astype(str).isin(keep)]
            model = make_model().fit(part[text_column].tolist(), part[list(labels)].to_numpy())
            res = evaluate_predictions(test[list(labels)].to_numpy(), model.predict(test[text_column].tolist()),
                                       labels=labels, n_boot=0)
            for r in res.itertuples():
                rows.append({"repeat": repeat, "fraction": frac, "n_train": len(part), "label": r.label,
                             "f1": r.f1})
    return pd.DataFrame(rows)


def extrapolate_learning_curve(curve: pd.DataFrame, *, target: float, min_fraction: float = 0.0) -> pd.DataFrame:
    """Fit F1 = a + b * log2(n_train) per label and say how much data would reach ``target``.

    The fit is ordinary least squares over every row of ``curve`` (all repeats) with
    ``fraction >= min_fraction``. Learning curves flatten as data grows, so a straight line
    in log2(n) is an *optimistic* extrapolation: the training size it gives is a lower bound
    on what a model of this kind would need, not a forecast.

    Parameters
    ----------
    curve : pandas.DataFrame
        Output of :func:`learning_curve`.
    target : float
        F1 to reach.
    min_fraction : float, default 0.0
        Leave out the smallest subsets, whose F1 is dominated by labels not yet seen.

    Returns
    -------
    pandas.DataFrame
        One row per label: ``label, f1_full`` (mean F1 at the largest training size),
        ``n_full``, ``gain_per_doubling`` (slope b), ``r2``, ``doublings_to_target`` and
        ``n_train_for_target`` (``inf`` where the slope is not positive; 0 doublings where
        the target is already reached).
    """
    rows = []
    part = curve[curve["fraction"] >= min_fraction]
    for label, g in part.groupby("label", sort=False):
        x = np.log2(g["n_train"].to_numpy(dtype=float))
        y = g["f1"].to_numpy(dtype=float)
        if len(np.unique(x)) < 2:
            raise ValueError(f"label {label!r}: need at least two training sizes to fit a curve")
        slope, intercept = np.polyfit(x, y, 1)
        resid = y - (intercept + slope * x)
        ss_tot = float(((y - y.mean()) ** 2).sum())
        r2 = 1.0 - float((resid ** 2).sum()) / ss_tot if ss_tot > 0 else float("nan")
        n_full = float(g["n_train"].max())
        f1_full = float(g.loc[g["n_train"] == n_full, "f1"].mean())
        fitted_full = intercept + slope * np.log2(n_full)
        if fitted_full >= target:
            doublings = 0.0
        elif slope > 1e-9:  # a fitted slope of ~0 (rounding) means flat
            doublings = float((target - fitted_full) / slope)
        else:
            doublings = float("inf")
        rows.append({"label": label, "f1_full": f1_full, "n_full": int(n_full),
                     "gain_per_doubling": float(slope), "r2": r2, "doublings_to_target": doublings,
                     "n_train_for_target": n_full * 2.0 ** doublings if np.isfinite(doublings) else float("inf")})
    return pd.DataFrame(rows)


def boundary_f1(gold_ends: Sequence[int], predicted_ends: Sequence[int]) -> tuple[float, float, float]:
    """Precision, recall, F1 of sentence-end offsets (each end is a boundary).

    Examples
    --------
    >>> from framing.evaluate import boundary_f1
    >>> boundary_f1([10, 20, 30], [10, 30, 25])
    (0.6666666666666666, 0.6666666666666666, 0.6666666666666666)
    """
    g, p = set(gold_ends), set(predicted_ends)
    tp = len(g & p)
    precision = tp / len(p) if p else 0.0
    recall = tp / len(g) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bcubed(gold: Sequence[Any], predicted: Sequence[Any]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against a gold grouping (Bagga and
    Baldwin 1998; Amigo et al. 2009): for each item, the share of its predicted cluster that
    shares its gold group (precision) and the share of its gold group in its predicted
    cluster (recall), averaged over items.

    Examples
    --------
    >>> from framing.evaluate import bcubed
    >>> [round(x, 3) for x in bcubed(["a", "a", "b"], [1, 1, 1])]
    [0.556, 1.0, 0.714]
    """
    frame = pd.DataFrame({"g": pd.Series(list(gold), dtype=object).astype(str),
                          "p": pd.Series(list(predicted), dtype=object).astype(str)})
    if frame.empty:
        return float("nan"), float("nan"), float("nan")
    both = frame.groupby(["g", "p"])["g"].transform("size").to_numpy(dtype=float)
    precision = float((both / frame.groupby("p")["p"].transform("size").to_numpy()).mean())
    recall = float((both / frame.groupby("g")["g"].transform("size").to_numpy()).mean())
    return precision, recall, 2 * precision * recall / (precision + recall)


def alignment_scores(gold: Sequence[Any], predicted: Sequence[Any]) -> dict[str, float]:
    """B-cubed precision, recall, F1 and the adjusted Rand index of an event alignment.

    Examples
    --------
    >>> from framing.evaluate import alignment_scores
    >>> alignment_scores(["a", "a", "b", "b"], [1, 1, 2, 2])["bcubed_f1"]
    1.0
    """
    from sklearn.metrics import adjusted_rand_score

    p, r, f = bcubed(gold, predicted)
    g = pd.Series(list(gold), dtype=object).astype(str)
    q = pd.Series(list(predicted), dtype=object).astype(str)
    return {"bcubed_precision": p, "bcubed_recall": r, "bcubed_f1": f, "ari": float(adjusted_rand_score(g, q)),
            "n_documents": int(len(g)), "n_gold_groups": int(g.nunique()), "n_predicted_groups": int(q.nunique())}
