"""How outlets frame the same events: label rates and within-event differences, with
honest uncertainty and corrections for classifier error. Statistics only (tidy DataFrames
out); figures are in :mod:`framing.plots`, the report in :mod:`framing.report`.

Units and uncertainty
---------------------
Sentences of one document are not independent, and neither are documents of one event.
Every interval here resamples the independent unit: **documents** for the rate of a group
(a cluster bootstrap within each group), **events** for a paired difference between two
outlets (an event-cluster bootstrap, and a sign-flip permutation test over events). A
fixed-effects regression with event-clustered standard errors is the model-based check.

Corrections for classifier error
--------------------------------
* **With a gold sample** (a probability sample of the analysed passages, read against the
  codebook, with each passage's inclusion probability; see
  :func:`framing.sampling.sample_for_validation`): prediction-powered estimates
  (Angelopoulos et al., *Science* 2023), in their design-based form (the difference
  estimator of survey sampling, as in Egami et al., NeurIPS 2023). Each document's label
  total is its predicted total plus the inverse-probability-weighted prediction errors of
  its gold passages,
  ``T_d = sum(Yhat) + sum_gold((Y - Yhat) / pi)``, an unbiased estimate of its true total
  whatever the classifier's errors. Rates and differences are then computed from the
  corrected totals and resampled by document or event exactly as the naive ones, so the
  intervals carry both the sampling of documents and of gold passages.
* **Without one**: a sensitivity analysis (Rogan and Gladen, 1978) that corrects a rate
  ``p`` with a label's sensitivity and specificity measured elsewhere (the gold test
  split), ``(p + sp - 1) / (se + sp - 1)``. It **assumes those error rates carry over** to
  the corpus analysed; the output says so.
"""
from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .columns import CORPUS, DOC_ID, END, EVENT_ID, LABEL_NAMES, OUTLET, START
from .errors import DataError

__all__ = [
    "label_rates",
    "paired_differences",
    "event_rates",
    "error_rates",
    "compare_outlets",
    "adjust_pvalues",
    "rogan_gladen",
    "Comparison",
    "ErrorRates",
    "pretrained_error_rates",
]

MISSING_GROUP = "(missing)"
DUPLICATE_OF = "duplicate_of"
INCLUSION_PROB = "inclusion_prob"
_KEY = "_framing_doc"


# ----------------------------------------------------------------------------- inputs


def _labels_of(labelled: pd.DataFrame, labels: Sequence[str] | None) -> list[str]:
    if labels is None:
        found = [lab for lab in LABEL_NAMES if lab in labelled.columns]
        if not found:
            raise DataError("no label columns: pass labels=[...] (the 0/1 columns to compare)", field="labels")
        return found
    labels = list(labels)
    missing = [lab for lab in labels if lab not in labelled.columns]
    if missing:
        raise DataError(f"no label column {missing[0]!r}; the table has {[str(c) for c in labelled.columns]}",
                        field=missing[0])
    return labels


def _require(labelled: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    for col in columns:
        if col not in labelled.columns:
            raise DataError(f"no {what} column {col!r}; the table has {[str(c) for c in labelled.columns]}",
                            field=col)


def _doc_key(frame: pd.DataFrame) -> pd.Series:
    if DOC_ID not in frame.columns:  # _prepare notes it: every passage is then its own document
        return pd.Series([f"\x1e{i}" for i in range(len(frame))], index=frame.index, dtype=object)
    ids = frame[DOC_ID]
    # a passage without a document id is its own document (its own resampling unit)
    key = pd.Series([f"\x1e{i}" if pd.isna(v) else str(v) for i, v in enumerate(ids.tolist())], index=frame.index,
                    dtype=object)
    if CORPUS in frame.columns:
        key = frame[CORPUS].map(lambda v: "" if pd.isna(v) else str(v)).astype(object) + "\x1f" + key
    return key


def _binary(frame: pd.DataFrame, labels: Sequence[str], what: str) -> np.ndarray:
    Y = frame[list(labels)]
    bad = ~Y.isin([0, 1, True, False])
    if bad.to_numpy().any():
        row, col = np.argwhere(bad.to_numpy())[0]
        raise DataError(f"{what} label columns must hold 0/1, got {_plain(Y.iloc[row, col])!r}", row=int(row) + 1,
                        field=str(Y.columns[col]))
    return Y.to_numpy(dtype=float)


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (for readable messages)."""
    return value.item() if hasattr(value, "item") else value


def _group_values(frame: pd.DataFrame, by: Sequence[str]) -> pd.Series:
    parts = [frame[c].astype(object).where(frame[c].notna(), MISSING_GROUP).astype(str) for c in by]
    key = parts[0]
    for p in parts[1:]:
        key = key + " | " + p
    return key


@dataclass
class _Docs:
    """Per-document totals: the resampled units."""

    key: np.ndarray          # document key
    group: np.ndarray        # group value (str)
    event: np.ndarray | None  # event id (str) or None
    n: np.ndarray            # passages
    k: np.ndarray            # predicted positives, (docs, labels)
    r: np.ndarray | None     # inverse-probability-weighted gold residuals, (docs, labels)
    n_gold: np.ndarray | None


def _doc_table(frame: pd.DataFrame, labels: list[str], group: pd.Series, event: pd.Series | None,
               residuals: np.ndarray | None, gold_counts: np.ndarray | None) -> _Docs:
    key = _doc_key(frame).to_numpy()
    codes, uniques = pd.factorize(key)
    m = len(uniques)
    n = np.bincount(codes, minlength=m).astype(float)
    Yhat = _binary(frame, labels, "predicted")
    k = np.zeros((m, len(labels)))
    np.add.at(k, codes, Yhat)
    first = np.zeros(m, dtype=int)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    g = group.to_numpy()[first]
    differ = (pd.Series(g[codes]) != group.reset_index(drop=True)).to_numpy()
    if differ.any():
        row = int(np.flatnonzero(differ)[0])
        raise DataError(f"the passages of document {str(key[row]).replace(chr(31), '/')!r} have different "
                        f"{group.name!r} values ({g[codes[row]]!r} and {group.iloc[row]!r}); group by a "
                        "document-level column", row=row + 1, field=str(group.name))
    ev = None
    if event is not None:
        ev = event.to_numpy()[first]
        differ = (pd.Series(ev[codes]) != event.reset_index(drop=True)).to_numpy()
        if differ.any():
            row = int(np.flatnonzero(differ)[0])
            raise DataError(f"the passages of document {str(key[row]).replace(chr(31), '/')!r} have different event "
                            "ids", row=row + 1, field=EVENT_ID)
    r = ng = None
    if residuals is not None:
        r = np.zeros((m, len(labels)))
        np.add.at(r, codes, residuals)
        ng = np.bincount(codes, weights=gold_counts, minlength=m)
    return _Docs(np.asarray(uniques, dtype=object), g, ev, n, k, r, ng)


def _gold_join(labelled: pd.DataFrame, gold: pd.DataFrame, labels: list[str], on: Sequence[str],
               assume_srs: bool, notes: list[str]) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Per passage of ``labelled``: sum of (Y - Yhat) / pi over its gold readings, and 1 if read.

    Returns the residual matrix, the gold indicator and the gold sample's strata table.
    """
    on = list(on)
    _require(gold, on, "gold-sample key")
    _require(labelled, on, "passage key (to join the gold sample)")
    missing = [lab for lab in labels if lab not in gold.columns]
    if missing:
        raise DataError(f"the gold sample has no label column {missing[0]!r} (one 0/1 column per label)",
                        field=missing[0])
    gold = gold.reset_index(drop=True)
    if INCLUSION_PROB not in gold.columns:
        if not assume_srs:
            raise DataError(
                "the gold sample has no 'inclusion_prob' column: corrected estimates need the probability with "
                "which each gold passage was drawn (framing.sample_for_validation records it). If it is a simple "
                "random sample of all the labelled passages, pass assume_srs=True (--assume-srs).",
                field=INCLUSION_PROB)
        gold = gold.assign(**{INCLUSION_PROB: len(gold) / len(labelled)})
        notes.append(f"gold sample: no inclusion probabilities given; treated as a simple random sample of the "
                     f"{len(labelled)} labelled passages (pi = {len(gold) / len(labelled):.4g})")
    pi = pd.to_numeric(gold[INCLUSION_PROB], errors="coerce")
    bad = pi.isna() | (pi <= 0) | (pi > 1)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"inclusion probability must be in (0, 1], got {_plain(gold[INCLUSION_PROB].iloc[row])!r}",
                        row=row + 1, field=INCLUSION_PROB)
    Y = _binary(gold, labels, "gold")
    left = labelled[on].astype(str).reset_index(drop=True)
    right = gold[on].astype(str)
    if left.duplicated().any():
        raise DataError(f"the passage key {on} is not unique in the labelled table", field=on[0])
    twice = right.duplicated(keep=False)
    if twice.any():
        row = int(np.flatnonzero(twice.to_numpy())[0])
        raise DataError(f"the gold sample has {int(twice.sum())} rows for passages read more than once (e.g. "
                        f"{right.iloc[row].to_dict()}); the correction needs one reading per sampled passage: keep "
                        "the first pass, or an adjudicated reading, and use the others for agreement",
                        row=row + 1, field=on[0])
    index = pd.MultiIndex.from_frame(left)
    pos = index.get_indexer(pd.MultiIndex.from_frame(right))
    lost = pos < 0
    if len(gold) and lost.all():
        raise DataError(f"none of the {len(gold)} gold passages is in the labelled data (joined on {on}, e.g. "
                        f"{right.head(2).to_dict('records')} in the gold sample against "
                        f"{left.head(2).to_dict('records')} in the labelled table); check that both come from the "
                        "same corpus and segmentation", field=on[0])
    if lost.any():
        examples = right[lost].head(3).to_dict("records")
        notes.append(f"gold sample: {int(lost.sum())} of {len(gold)} gold passages are not in the labelled data and "
                     f"were left out (e.g. {examples})")
        warnings.warn(notes[-1], UserWarning, stacklevel=3)
    Yhat = _binary(labelled, labels, "predicted")
    residual = np.zeros((len(labelled), len(labels)))
    read = np.zeros(len(labelled))
    keep = ~lost
    np.add.at(residual, pos[keep], (Y[keep] - Yhat[pos[keep]]) / pi.to_numpy()[keep, None])
    np.add.at(read, pos[keep], 1.0)
    strata = pd.DataFrame({"n_gold": np.ones(len(gold)), "n_found": keep.astype(int)})
    if "stratum" in gold.columns:
        strata["stratum"] = gold["stratum"].astype(str)
        agg = {"n_gold": ("n_gold", "sum"), "n_found": ("n_found", "sum")}
        if "stratum_size" in gold.columns:
            strata["stratum_size"] = gold["stratum_size"]
            agg["stratum_size"] = ("stratum_size", "first")
        strata["inclusion_prob"] = pi
        agg["inclusion_prob"] = ("inclusion_prob", "first")
        table = strata.groupby("stratum", sort=True).agg(**agg).reset_index()
    else:
        table = pd.DataFrame({"stratum": ["(all)"], "n_gold": [len(gold)], "n_found": [int(keep.sum())]})
    return residual, read, table


# ----------------------------------------------------------------------------- resampling


def _boot_weights(rng: np.random.Generator, n_units: int, n_boot: int) -> np.ndarray:
    """Multinomial counts: row b says how often each unit is drawn in replicate b."""
    if n_units == 0:
        return np.zeros((n_boot, 0))
    return rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_boot).astype(float)


def _percentile(draws: np.ndarray, ci: float, n_clusters: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of bootstrap draws (along axis 0).

    With ``n_clusters`` (the number of resampled units), the interval is widened about the
    draws' median by ``sqrt(G / (G - 1)) * t(G - 1) / z``: the bootstrap's variance lacks the
    ``G / (G - 1)`` factor and the normal quantile ignores that the variance is estimated
    from ``G`` clusters, so plain percentile intervals cover too rarely with few clusters
    (about 92 % at nominal 95 % with 25 events; ``experiments/simulate_statistics.py``).
    """
    lo, hi = np.nanpercentile(draws, [(1 - ci) / 2 * 100, (1 + ci) / 2 * 100], axis=0)
    if n_clusters is not None and n_clusters > 2:
        from scipy import stats

        q = (1 + ci) / 2
        factor = np.sqrt(n_clusters / (n_clusters - 1)) * stats.t.ppf(q, n_clusters - 1) / stats.norm.ppf(q)
        mid = np.nanmedian(draws, axis=0)
        lo, hi = mid - (mid - lo) * factor, mid + (hi - mid) * factor
    return lo, hi


def _sign_flip_p(d: np.ndarray, n_perm: int, rng: np.random.Generator) -> np.ndarray:
    """Two-sided sign-flip permutation p-values of mean(d) = 0, one per column of ``d``
    (events x labels). Exact (all 2^E sign vectors) when that is at most ``n_perm``."""
    E = d.shape[0]
    if E == 0:
        return np.full(d.shape[1], np.nan)
    obs = np.abs(d.sum(axis=0))
    if 2**E <= n_perm:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=E)))
        stats = np.abs(signs @ d)
        return (stats >= obs - 1e-12).mean(axis=0)
    hits = np.zeros(d.shape[1])
    done = 0
    while done < n_perm:  # in chunks, to bound memory
        m = min(2000, n_perm - done)
        signs = rng.choice((-1.0, 1.0), size=(m, E))
        hits += (np.abs(signs @ d) >= obs - 1e-12).sum(axis=0)
        done += m
    return (1.0 + hits) / (1.0 + n_perm)


def adjust_pvalues(p: Sequence[float], method: str = "holm") -> np.ndarray:
    """Adjust p-values for multiple comparisons: ``"holm"`` (family-wise error) or ``"bh"``
    (Benjamini-Hochberg false discovery rate). NaNs are left out and stay NaN.

    Examples
    --------
    >>> from framing.compare import adjust_pvalues
    >>> adjust_pvalues([0.01, 0.04, 0.03], "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_pvalues([0.01, 0.04, 0.03], "bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    m = len(q)
    if m == 0:
        return out
    order = np.argsort(q, kind="stable")
    if method == "holm":
        adj = np.maximum.accumulate((m - np.arange(m)) * q[order])
    elif method == "bh":
        adj = np.minimum.accumulate((m / np.arange(1, m + 1) * q[order])[::-1])[::-1]
    else:
        raise ValueError(f"method must be 'holm' or 'bh', not {method!r}")
    res = np.empty(m)
    res[order] = np.minimum(adj, 1.0)
    out[ok] = res
    return out


# ----------------------------------------------------------------------------- rates


@dataclass
class ErrorRates:
    """A classifier's sensitivity and specificity per label, with bootstrap draws, measured
    on a gold set (for :func:`rogan_gladen`). Build it with :func:`error_rates`."""

    labels: list[str]
    sensitivity: np.ndarray
    specificity: np.ndarray
    draws: np.ndarray  # (n_boot, n_labels, 2): sensitivity, specificity
    source: str = "gold test split"

    def to_dict(self, n_draws: int = 200) -> dict[str, Any]:
        """JSON-able form (the first ``n_draws`` bootstrap draws, rounded), e.g. for a model card."""
        return {"labels": self.labels, "source": self.source,
                "sensitivity": np.round(self.sensitivity, 4).tolist(),
                "specificity": np.round(self.specificity, 4).tolist(),
                "draws": np.round(self.draws[:n_draws], 4).tolist()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ErrorRates:
        """The inverse of :meth:`to_dict`."""
        return cls(list(data["labels"]), np.asarray(data["sensitivity"], dtype=float),
                   np.asarray(data["specificity"], dtype=float), np.asarray(data["draws"], dtype=float),
                   data.get("source", "gold test split"))

    def table(self) -> pd.DataFrame:
        """Tidy: ``label, sensitivity, specificity`` and their 95 % intervals."""
        lo, hi = _percentile(self.draws, 0.95)
        return pd.DataFrame({"label": self.labels, "sensitivity": self.sensitivity,
                             "sensitivity_low": lo[:, 0], "sensitivity_high": hi[:, 0],
                             "specificity": self.specificity, "specificity_low": lo[:, 1],
                             "specificity_high": hi[:, 1]})


def error_rates(
    Y_true: Any,
    Y_pred: Any,
    *,
    labels: Sequence[str],
    groups: Sequence[Any] | None = None,
    n_boot: int = 1000,
    random_state: int = 0,
    source: str = "gold test split",
) -> ErrorRates:
    """Sensitivity and specificity of predictions per label, with a cluster bootstrap.

    Parameters
    ----------
    Y_true, Y_pred : array-like of shape (n, n_labels)
        Gold and predicted 0/1 labels (e.g. the gold test split and the model's predictions).
    labels : sequence of str
        Label names, in column order.
    groups : sequence, optional
        Document of each row (the bootstrap resamples documents).
    n_boot : int, default 1000
        Bootstrap replicates.
    random_state : int, default 0
        Seed.
    source : str
        Where the rates were measured (shown in outputs).

    Examples
    --------
    >>> from framing.compare import error_rates
    >>> er = error_rates([[1], [1], [0], [0]], [[1], [0], [0], [0]], labels=["x"], n_boot=10)
    >>> float(er.sensitivity[0]), float(er.specificity[0])
    (0.5, 1.0)
    """
    Y = np.asarray(Y_true, dtype=float)
    P = np.asarray(Y_pred, dtype=float)
    if Y.shape != P.shape or Y.ndim != 2 or Y.shape[1] != len(labels):
        raise ValueError(f"Y_true {Y.shape} and Y_pred {P.shape} must both be (n, {len(labels)})")
    codes = pd.factorize(pd.Series(list(groups), dtype=object))[0] if groups is not None else np.arange(len(Y))
    m = codes.max() + 1 if len(codes) else 0
    tp, pos, tn, neg = (np.zeros((m, Y.shape[1])) for _ in range(4))
    np.add.at(tp, codes, Y * P)
    np.add.at(pos, codes, Y)
    np.add.at(tn, codes, (1 - Y) * (1 - P))
    np.add.at(neg, codes, 1 - Y)

    def rates(w: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.stack([(w @ tp) / (w @ pos), (w @ tn) / (w @ neg)], axis=-1)

    point = rates(np.ones((1, m)))[0]
    W = _boot_weights(np.random.default_rng(random_state), m, n_boot)
    draws = rates(W)
    return ErrorRates(list(labels), point[:, 0], point[:, 1], draws, source)


def pretrained_error_rates() -> ErrorRates | None:
    """The shipped model's sensitivity and specificity on the gold test split, from its card
    (``framing/data/framing_model.json``); None if the card has none."""
    import json

    from .model import PRETRAINED_PATH

    card = PRETRAINED_PATH.with_suffix(".json")
    if not card.exists():
        return None
    data = json.loads(card.read_text(encoding="utf-8")).get("error_rates")
    return ErrorRates.from_dict(data) if data else None


def rogan_gladen(rate: Any, sensitivity: Any, specificity: Any) -> np.ndarray:
    """Rogan-Gladen correction of an observed rate for known sensitivity and specificity.

    ``(rate + specificity - 1) / (sensitivity + specificity - 1)``, clipped to [0, 1];
    NaN where ``sensitivity + specificity <= 1`` (the labels carry no information).

    Examples
    --------
    >>> from framing.compare import rogan_gladen
    >>> round(float(rogan_gladen(0.14, 0.8, 0.95)), 4)
    0.12
    """
    rate, se, sp = (np.asarray(x, dtype=float) for x in (rate, sensitivity, specificity))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (rate + sp - 1.0) / (se + sp - 1.0)
    return np.where(se + sp - 1.0 > 0, np.clip(out, 0.0, 1.0), np.nan)


def _rates_from_docs(docs: _Docs, labels: list[str], by: list[str], n_boot: int, ci: float,
                     rng: np.random.Generator, errors: ErrorRates | None) -> pd.DataFrame:
    rows = []
    for g in sorted(set(docs.group.tolist())):
        sel = docs.group == g
        n, k = docs.n[sel], docs.k[sel]
        W = _boot_weights(rng, int(sel.sum()), n_boot)
        N = n.sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = k.sum(axis=0) / N
            boot = (W @ k) / (W @ n)[:, None]
            share = (k > 0).mean(axis=0)
            boot_share = (W @ (k > 0)) / sel.sum()
        m = int(sel.sum())
        # shares lie in [0, 1]: the widened intervals are truncated to it
        lo, hi = (np.clip(v, 0.0, 1.0) for v in _percentile(boot, ci, m))
        slo, shi = (np.clip(v, 0.0, 1.0) for v in _percentile(boot_share, ci, m))
        if m < 2:  # one document: resampling it says nothing about the uncertainty
            lo = hi = slo = shi = np.full(len(labels), np.nan)
        else:  # no positive at all: the bootstrap collapses to [0, 0]; the rule of three on documents bounds it
            zero = k.sum(axis=0) == 0
            hi = np.where(zero, 1 - ((1 - ci) / 2) ** (1 / m), hi)
            shi = np.where(zero, 1 - ((1 - ci) / 2) ** (1 / m), shi)
        corr = None
        if docs.r is not None:
            T = k + docs.r[sel]
            with np.errstate(invalid="ignore", divide="ignore"):
                corr = T.sum(axis=0) / N
                cboot = (W @ T) / (W @ n)[:, None]
            clo, chi = _percentile(cboot, ci, m)
            # a rate lies in [0, 1]: the estimate and interval are truncated to it
            corr, clo, chi = (np.clip(v, 0.0, 1.0) for v in (corr, clo, chi))
            # no variation at all (no predicted and no read positive): no interval can be given
            flat = np.nanstd(cboot, axis=0) == 0
            if m < 2 or flat.any():
                clo, chi = np.where(flat | (m < 2), np.nan, clo), np.where(flat | (m < 2), np.nan, chi)
        if errors is not None:
            idx = [errors.labels.index(lab) for lab in labels]
            draw = errors.draws[rng.integers(0, len(errors.draws), n_boot)][:, idx]
            rg = rogan_gladen(rate, errors.sensitivity[idx], errors.specificity[idx])
            rg_boot = rogan_gladen(boot, draw[:, :, 0], draw[:, :, 1])
            rlo, rhi = (np.clip(v, 0.0, 1.0) for v in _percentile(rg_boot, ci, m))
        values = g.split(" | ") if len(by) > 1 else [g]
        for j, lab in enumerate(labels):
            row = {**dict(zip(by, values)), "label": lab, "n_documents": int(sel.sum()), "n_passages": int(N),
                   "n_labelled": int(k[:, j].sum()), "rate": rate[j], "ci_low": lo[j], "ci_high": hi[j],
                   "doc_share": share[j], "doc_share_low": slo[j], "doc_share_high": shi[j]}
            if corr is not None:
                row.update(n_gold=int(docs.n_gold[sel].sum()), rate_corrected=corr[j], corrected_ci_low=clo[j],
                           corrected_ci_high=chi[j])
            if errors is not None:
                row.update(rate_rogan_gladen=rg[j], rogan_gladen_ci_low=rlo[j], rogan_gladen_ci_high=rhi[j])
            rows.append(row)
    return pd.DataFrame(rows)


def _prepare(labelled: pd.DataFrame, by: Sequence[str], labels: Sequence[str] | None, exclude_duplicates: bool,
             notes: list[str]) -> tuple[pd.DataFrame, list[str], list[str]]:
    if not isinstance(labelled, pd.DataFrame):
        raise TypeError(f"labelled must be a pandas DataFrame of labelled passages, not {type(labelled).__name__}")
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ValueError("by must name at least one grouping column")
    _require(labelled, by, "grouping")
    labels = _labels_of(labelled, labels)
    if len(labelled) == 0:
        raise DataError("the labelled table has no passages: there is nothing to compare")
    frame = labelled.reset_index(drop=True)
    if exclude_duplicates:
        _require(frame, [DUPLICATE_OF], "wire-copy (run framing.align_events first)")
        copy = frame[DUPLICATE_OF].notna()
        n_docs = frame.loc[copy, DOC_ID].nunique()
        notes.append(f"wire copy left out: {n_docs} documents ({int(copy.sum())} passages) that copy an earlier "
                     "document (duplicate_of)")
        frame = frame[~copy].reset_index(drop=True)
    if DOC_ID not in frame.columns:
        notes.append("no 'doc_id' column: every passage is treated as its own document, so the intervals assume "
                     "passages are independent (they are too narrow if passages share documents)")
    for col in by:
        n_missing = int(frame[col].isna().sum())
        if n_missing:
            notes.append(f"{n_missing} passages have no {col!r}; they form the group {MISSING_GROUP!r}")
    for lab in labels:
        if len(frame) and not frame[lab].astype(bool).any():
            notes.append(f"label {lab!r} is never predicted in these passages (rate 0 everywhere)")
    return frame, by, labels


def label_rates(
    labelled: pd.DataFrame,
    *,
    by: Sequence[str] | str = (OUTLET,),
    labels: Sequence[str] | None = None,
    gold: pd.DataFrame | None = None,
    on: Sequence[str] = (DOC_ID, START),
    assume_srs: bool = False,
    error_rates: ErrorRates | None = None,
    exclude_duplicates: bool = False,
    n_boot: int = 1000,
    ci: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Rate of each label per group, with document-cluster bootstrap intervals.

    Parameters
    ----------
    labelled : DataFrame
        Labelled passages (one 0/1 column per label, ``doc_id``), e.g. from
        :func:`framing.label_documents`.
    by : str or sequence of str, default ("outlet",)
        Grouping column(s): outlet, or any document-level column (bias, country,
        affiliation). A missing column is an error; missing values form a group
        ``"(missing)"``.
    labels : sequence of str, optional
        Label columns (default: the codebook's labels present).
    gold : DataFrame, optional
        A gold sample of these passages (0/1 label columns read against the codebook,
        ``inclusion_prob``, and the key columns ``on``); adds prediction-powered
        ``rate_corrected`` with its interval, and ``n_gold``.
    on : sequence of str, default ("doc_id", "start")
        Columns that identify a passage in both tables.
    assume_srs : bool, default False
        Treat a gold sample without ``inclusion_prob`` as a simple random sample of all
        labelled passages (otherwise that is an error).
    error_rates : ErrorRates, optional
        Sensitivity and specificity measured on a gold set (:func:`error_rates`); adds the
        Rogan-Gladen sensitivity analysis ``rate_rogan_gladen`` (it assumes those error
        rates hold in this corpus).
    exclude_duplicates : bool, default False
        Leave out documents marked as copies in ``duplicate_of``.
    n_boot : int, default 1000
        Bootstrap replicates (documents resampled within each group).
    ci : float, default 0.95
        Interval level.
    random_state : int, default 0
        Seed.

    Returns
    -------
    DataFrame
        Tidy, one row per group and label: the ``by`` columns, ``label, n_documents,
        n_passages, n_labelled, rate, ci_low, ci_high`` (share of passages), ``doc_share,
        doc_share_low, doc_share_high`` (share of documents with at least one labelled
        passage), and the corrected columns when asked for.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.compare import label_rates
    >>> df = pd.DataFrame({"doc_id": ["a", "a", "b", "c"], "outlet": ["X", "X", "X", "Y"], "x": [1, 0, 1, 0]})
    >>> label_rates(df, labels=["x"], n_boot=200)[["outlet", "n_passages", "rate", "doc_share"]].round(3)
      outlet  n_passages   rate  doc_share
    0      X           3  0.667        1.0
    1      Y           1  0.000        0.0
    """
    notes: list[str] = []
    frame, by, labels = _prepare(labelled, by, labels, exclude_duplicates, notes)
    residual = read = None
    if gold is not None:
        residual, read, _ = _gold_join(frame, gold, labels, on, assume_srs, notes)
    docs = _doc_table(frame, labels, _group_values(frame, by).rename(by[0]), None, residual, read)
    out = _rates_from_docs(docs, labels, by, n_boot, ci, np.random.default_rng(random_state), error_rates)
    out.attrs["notes"] = notes
    return out


# ----------------------------------------------------------------------------- events


def _event_cells(docs: _Docs) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Per event x group: passages, predicted positives, and gold residual totals."""
    ev_codes, events = pd.factorize(pd.Series(docs.event, dtype=object))
    g_codes, groups = pd.factorize(pd.Series(docs.group, dtype=object))
    E, G, L = len(events), len(groups), docs.k.shape[1]
    N = np.zeros((E, G))
    np.add.at(N, (ev_codes, g_codes), docs.n)
    K = np.zeros((E, G, L))
    np.add.at(K, (ev_codes, g_codes), docs.k)
    cells = {"N": N, "K": K}
    if docs.r is not None:
        R = np.zeros((E, G, L))
        np.add.at(R, (ev_codes, g_codes), docs.r)
        cells["R"] = R
        NG = np.zeros((E, G))
        np.add.at(NG, (ev_codes, g_codes), docs.n_gold)
        cells["NG"] = NG
    return np.asarray(events, dtype=object), np.asarray(groups, dtype=object), cells


def _fe_regression(Na: np.ndarray, Nb: np.ndarray, Ka: np.ndarray, Kb: np.ndarray, ci: float) -> dict[str, np.ndarray]:
    """Passage-level linear probability model ``y ~ outlet_a + event fixed effects`` with
    event-clustered standard errors, from event totals (exact, no passage loop).

    Small-sample factor G/(G-1) * (N-1)/(N-1-1) (event effects are nested in the clusters
    and not counted, as reghdfe does); t distribution with G-1 degrees of freedom.
    """
    from scipy import stats

    Ne = Na + Nb
    xbar = Na / Ne
    sxx = (Ne * xbar * (1 - xbar)).sum()
    sxy_e = (1 - xbar)[:, None] * Ka - xbar[:, None] * Kb  # events x labels
    beta = sxy_e.sum(axis=0) / sxx
    score = sxy_e - beta[None, :] * (Ne * xbar * (1 - xbar))[:, None]
    G, N = len(Ne), Ne.sum()
    factor = G / (G - 1) * (N - 1) / (N - 2) if G > 1 and N > 2 else np.nan
    se = np.sqrt(factor * (score**2).sum(axis=0)) / sxx
    with np.errstate(invalid="ignore", divide="ignore"):
        t = beta / se
    df = max(G - 1, 1)
    p = 2 * stats.t.sf(np.abs(t), df)
    q = stats.t.ppf((1 + ci) / 2, df)
    return {"beta": beta, "se": se, "low": beta - q * se, "high": beta + q * se, "p": p}


def event_rates(
    labelled: pd.DataFrame,
    *,
    by: str = OUTLET,
    event: str = EVENT_ID,
    labels: Sequence[str] | None = None,
    exclude_duplicates: bool = False,
) -> pd.DataFrame:
    """Label rates per event and group (outlet): the per-event table behind the paired tests.

    Returns
    -------
    DataFrame
        ``event, <by>, n_documents, n_passages`` and one rate column per label (``rate_<label>``).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.compare import event_rates
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"], "event_id": ["e1", "e1"], "x": [1, 0]})
    >>> event_rates(df, labels=["x"])
      event_id outlet  n_documents  n_passages  rate_x
    0       e1      X            1           1     1.0
    1       e1      Y            1           1     0.0
    """
    notes: list[str] = []
    frame, _, labels = _prepare(labelled, [by], labels, exclude_duplicates, notes)
    _require(frame, [event], "event")
    frame = frame.assign(**{_KEY: _doc_key(frame)})
    grouped = frame.groupby([event, by], sort=True, dropna=False)
    out = grouped.agg(n_documents=(_KEY, "nunique"), n_passages=(_KEY, "size"),
                      **{f"rate_{lab}": (lab, "mean") for lab in labels}).reset_index()
    out.attrs["notes"] = notes
    return out


def paired_differences(
    labelled: pd.DataFrame,
    *,
    by: str = OUTLET,
    event: str = EVENT_ID,
    labels: Sequence[str] | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
    gold: pd.DataFrame | None = None,
    on: Sequence[str] = (DOC_ID, START),
    assume_srs: bool = False,
    exclude_duplicates: bool = False,
    adjust: str = "holm",
    n_boot: int = 2000,
    n_perm: int = 10000,
    ci: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Within-event differences between outlets, in percentage points, on the events both cover.

    For a pair of outlets (a, b) and a label, each event that both outlets cover
    contributes ``rate_a - rate_b`` (the share of each outlet's passages in that event
    with the label); the estimate is their mean, so each event counts once whatever its
    size. Events covered by only one of the two are left out (counted in
    ``n_events_a_only``, ``n_events_b_only``).

    * ``ci_low, ci_high``: event-cluster bootstrap percentile interval;
    * ``p_value``: sign-flip permutation test over events (exact when there are few);
      ``p_adjusted`` across all pairs x labels (Holm by default, or Benjamini-Hochberg);
    * ``fe_diff, fe_ci_low, fe_ci_high, fe_p_value``: the model-based check, a
      passage-level linear probability model with event fixed effects and
      event-clustered standard errors (it weights events by their passages);
    * with ``gold``: ``diff_corrected`` and its interval and p-value, from
      prediction-powered event rates (see the module docstring).

    Parameters
    ----------
    labelled : DataFrame
        Labelled passages with ``doc_id``, the ``by`` and ``event`` columns.
    by : str, default "outlet"
        The column whose values are compared.
    event : str, default "event_id"
        Event column (:func:`framing.align_events`).
    labels : sequence of str, optional
        Label columns.
    pairs : sequence of (str, str), optional
        Pairs to compare (default: every pair of values of ``by``, sorted).
    gold, on, assume_srs, exclude_duplicates
        As for :func:`label_rates`.
    adjust : {"holm", "bh"}, default "holm"
        Multiple-comparison adjustment across the pairs x labels tested.
    n_boot, n_perm : int
        Bootstrap replicates and random sign flips.
    ci : float, default 0.95
        Interval level.
    random_state : int, default 0
        Seed.

    Returns
    -------
    DataFrame
        One row per pair and label: ``outlet_a, outlet_b, label, n_events, n_events_a_only,
        n_events_b_only, n_passages_a, n_passages_b, rate_a, rate_b, diff, ci_low, ci_high,
        p_value, p_adjusted, fe_diff, fe_ci_low, fe_ci_high, fe_p_value`` (+ corrected
        columns). Rates and differences are in percentage points.
    """
    notes: list[str] = []
    frame, _, labels = _prepare(labelled, [by], labels, exclude_duplicates, notes)
    _require(frame, [event], "event")
    n_no_event = int(frame[event].isna().sum())
    if n_no_event:
        notes.append(f"{n_no_event} passages have no {event!r} and are left out of the paired comparison")
        frame = frame[frame[event].notna()].reset_index(drop=True)
    residual = read = None
    if gold is not None:
        residual, read, _ = _gold_join(frame, gold, labels, on, assume_srs, notes)
    docs = _doc_table(frame, labels, _group_values(frame, [by]).rename(by), frame[event].astype(str), residual, read)
    events, groups, cells = _event_cells(docs)
    gindex = {g: i for i, g in enumerate(groups)}
    if pairs is None:
        present = sorted(g for g in groups if g != MISSING_GROUP)
        pairs = list(itertools.combinations(present, 2))
    rng = np.random.default_rng(random_state)
    rows = []
    no_shared: list[str] = []
    for a, b in pairs:
        for name in (a, b):
            note = f"{by} {name!r} has no passages here; its pairs are left out"
            if name not in gindex and note not in notes:
                notes.append(note)
        if a not in gindex or b not in gindex:
            continue
        ia, ib = gindex[a], gindex[b]
        Na, Nb = cells["N"][:, ia], cells["N"][:, ib]
        both = (Na > 0) & (Nb > 0)
        only_a, only_b = int(((Na > 0) & ~both).sum()), int(((Nb > 0) & ~both).sum())
        E = int(both.sum())
        Ka, Kb = cells["K"][both, ia], cells["K"][both, ib]
        base = {"outlet_a": a, "outlet_b": b, "n_events": E, "n_events_a_only": only_a, "n_events_b_only": only_b,
                "n_passages_a": int(Na[both].sum()), "n_passages_b": int(Nb[both].sum())}
        if E == 0:
            no_shared.append(f"{a} / {b}")
            continue
        ra, rb = Ka / Na[both, None], Kb / Nb[both, None]
        d = (ra - rb) * 100
        W = _boot_weights(rng, E, n_boot)
        boot = (W @ d) / E
        lo, hi = _percentile(boot, ci, E)
        p = _sign_flip_p(d, n_perm, rng)
        if E < 2:  # one event: no resampling interval, no test
            lo = hi = p = np.full(len(labels), np.nan)
        fe = _fe_regression(Na[both], Nb[both], Ka, Kb, ci) if E > 1 else None
        corr = None
        if "R" in cells:
            ca = (Ka + cells["R"][both, ia]) / Na[both, None]
            cb = (Kb + cells["R"][both, ib]) / Nb[both, None]
            dc = (ca - cb) * 100
            cboot = (W @ dc) / E
            clo, chi = _percentile(cboot, ci, E)
            if E < 2:
                clo = chi = np.full(len(labels), np.nan)
            corr = (dc.mean(axis=0), clo, chi, _sign_flip_p(dc, n_perm, rng), ca.mean(axis=0), cb.mean(axis=0),
                    int(cells["NG"][both, ia].sum()), int(cells["NG"][both, ib].sum()))
        for j, lab in enumerate(labels):
            row = {**base, "label": lab, "rate_a": ra[:, j].mean() * 100, "rate_b": rb[:, j].mean() * 100,
                   "diff": d[:, j].mean(), "ci_low": lo[j], "ci_high": hi[j], "p_value": p[j]}
            if fe is not None:
                row.update(fe_diff=fe["beta"][j] * 100, fe_ci_low=fe["low"][j] * 100, fe_ci_high=fe["high"][j] * 100,
                           fe_p_value=fe["p"][j])
            if corr is not None:
                row.update(n_gold_a=corr[6], n_gold_b=corr[7], rate_a_corrected=corr[4][j] * 100,
                           rate_b_corrected=corr[5][j] * 100, diff_corrected=corr[0][j],
                           corrected_ci_low=corr[1][j], corrected_ci_high=corr[2][j], corrected_p_value=corr[3][j])
            rows.append(row)
    if no_shared:
        shown = ", ".join(no_shared[:5]) + (" ..." if len(no_shared) > 5 else "")
        notes.append(f"{len(no_shared)} of {len(pairs)} {by} pairs cover no event together and are left out of the "
                     f"paired comparison ({shown})")
    cols = ["outlet_a", "outlet_b", "label", "n_events", "n_events_a_only", "n_events_b_only", "n_passages_a",
            "n_passages_b", "rate_a", "rate_b", "diff", "ci_low", "ci_high", "p_value", "p_adjusted", "fe_diff",
            "fe_ci_low", "fe_ci_high", "fe_p_value"]
    out = pd.DataFrame(rows)
    for c in cols:
        if c not in out.columns:
            out[c] = np.nan
    # the family adjusted for: the differences that can be tested (two or more events, and the
    # label predicted in one of the two outlets); the others keep p_adjusted NaN and testable False
    if len(out):
        flat = (out["rate_a"].fillna(0) == 0) & (out["rate_b"].fillna(0) == 0)
        out["testable"] = (out["n_events"].fillna(0) >= 2) & ~flat & out["p_value"].notna()
        out["p_adjusted"] = np.nan
        out.loc[out["testable"], "p_adjusted"] = adjust_pvalues(out.loc[out["testable"], "p_value"].to_numpy(float),
                                                               adjust)
        # the smallest p-value the sign-flip test can give with E events (exact enumeration)
        out["min_p"] = np.where(out["n_events"].fillna(0) >= 1, np.minimum(1.0, 2.0 ** (1 - out["n_events"].fillna(0))),
                                np.nan)
    else:
        out["p_adjusted"] = []
    extra = [c for c in out.columns if c not in cols]
    if "corrected_p_value" in out.columns:
        out["corrected_p_adjusted"] = np.nan
        ok = out["testable"] & out["corrected_p_value"].notna()
        out.loc[ok, "corrected_p_adjusted"] = adjust_pvalues(out.loc[ok, "corrected_p_value"].to_numpy(float), adjust)
        extra = [c for c in out.columns if c not in cols]
    out = out[cols + extra]
    out.attrs["notes"] = notes
    return out


# ----------------------------------------------------------------------------- all together


@dataclass
class Comparison:
    """The result of :func:`compare_outlets`: tidy tables and what was left out, and why."""

    rates: pd.DataFrame
    pairs: pd.DataFrame
    events: pd.DataFrame
    gold_strata: pd.DataFrame | None = None
    error_rates: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)


def compare_outlets(
    labelled: pd.DataFrame,
    *,
    by: str = OUTLET,
    event: str = EVENT_ID,
    labels: Sequence[str] | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
    gold: pd.DataFrame | None = None,
    on: Sequence[str] = (DOC_ID, START),
    assume_srs: bool = False,
    error_rates: ErrorRates | None = None,
    exclude_duplicates: bool = False,
    adjust: str = "holm",
    n_boot: int = 2000,
    n_perm: int = 10000,
    ci: float = 0.95,
    random_state: int = 0,
) -> Comparison:
    """Rates per outlet (or other group), paired within-event differences and the per-event
    table, naive and corrected, with notes on everything left out.

    Takes the arguments of :func:`label_rates` and :func:`paired_differences`; the paired
    part is skipped (with a note) when there is no ``event`` column.

    Examples
    --------
    >>> import framing
    >>> from framing.compare import compare_outlets
    >>> from framing.pipeline import label_documents
    >>> result = compare_outlets(label_documents(framing.load_demo_corpus()), n_boot=100, n_perm=100)
    >>> sorted(result.rates.columns)[:3]
    ['ci_high', 'ci_low', 'doc_share']
    """
    common = {"labels": labels, "gold": gold, "on": on, "assume_srs": assume_srs,
              "exclude_duplicates": exclude_duplicates, "ci": ci, "random_state": random_state}
    rates = label_rates(labelled, by=[by], error_rates=error_rates, n_boot=n_boot, **common)
    notes = list(rates.attrs.get("notes", []))
    gold_strata = None
    if gold is not None:
        frame, _, labs = _prepare(labelled, [by], labels, exclude_duplicates, [])
        _, _, gold_strata = _gold_join(frame, gold, labs, on, assume_srs, [])
    if event in labelled.columns:
        pair_table = paired_differences(labelled, by=by, event=event, pairs=pairs, adjust=adjust, n_boot=n_boot,
                                        n_perm=n_perm, **common)
        notes += [n for n in pair_table.attrs.get("notes", []) if n not in notes]
        events = event_rates(labelled, by=by, event=event, labels=labels, exclude_duplicates=exclude_duplicates)
        covered = events.groupby(event)[by].nunique()
        single = int((covered < 2).sum())
        if single:
            notes.append(f"{single} of {len(covered)} events are covered by one {by} only; they enter the rates but "
                         "not the paired comparison")
    else:
        notes.append(f"no {event!r} column: no paired comparison (run framing.align_events to add event ids)")
        pair_table = pd.DataFrame(columns=["outlet_a", "outlet_b", "label", "n_events", "diff", "ci_low", "ci_high",
                                           "p_value", "p_adjusted"])
        events = pd.DataFrame()
    er_table = None
    if error_rates is not None:
        er_table = error_rates.table().assign(source=error_rates.source)
        notes.append(f"rate_rogan_gladen assumes the classifier's sensitivity and specificity measured on the "
                     f"{error_rates.source} hold in this corpus; it is a sensitivity analysis, not a measurement")
    return Comparison(rates, pair_table, events, gold_strata, er_table, notes)
