"""The same event across outlets: event ids for documents, and wire copy marked as such.

:func:`align_events` groups documents that report the same event, from their title and
lead, the named entities they mention and their dates, with no model downloads:

* four similarities per pair of documents: TF-IDF cosine of the titles, of the title
  and lead as words (unigrams and bigrams) and as character 4-5-grams, and of the
  capitalised n-grams of the title and lead (a cheap stand-in for named entities);
* their weighted sum, damped by the date difference (``exp(-days / date_decay_days)``)
  and zero beyond ``window_days``;
* average-linkage agglomerative clustering, cut where the average similarity of two
  groups falls below ``threshold``.

The default setting is one for every corpus, chosen on half of the events of BASIL and
AllSides' story roundups and scored on the other half and on ECB+
(``experiments/align_events.py``; ``results/events/``).

:func:`align_events` also marks near-duplicate texts, such as one AP, Reuters or AFP
story printed by several outlets, in ``duplicate_of``: such copy is not independent
framing, and :mod:`framing.compare` can leave it out.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .columns import DATE, DOC_ID, EVENT_ID, TEXT, TITLE
from .duplicates import near_duplicate_groups
from .errors import DataError

__all__ = ["align_events", "capitalised_ngrams", "DEFAULT_WEIGHTS", "DUPLICATE_OF", "EVENT_SOURCE"]

DUPLICATE_OF = "duplicate_of"
EVENT_SOURCE = "event_source"

#: Weights of the four similarities (titles; title and lead as words, as characters; entities).
DEFAULT_WEIGHTS: dict[str, float] = {"title": 0.2, "words": 0.3, "characters": 0.3, "entities": 0.2}

_CAPITALISED = re.compile(r"\b[A-Z][\w'\u2019\-]*\.?(?:\s+(?:(?:of|the|de|al|bin|van|von|for|and|&)\s+)?[A-Z][\w'\u2019\-]*\.?)*")
_FUNCTION_WORDS = frozenset(
    """The A An In On At For But And Or If As It He She They We I You This That These Those His Her Their Its Our
    Mr Mrs Ms Dr After Before When While With Without From By To Of Not No So Yet Also Then There Here What Who Why
    How Where Which Some Many Most More Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
    March April May June July August September October November December""".split())


def capitalised_ngrams(text: str) -> list[str]:
    """Runs of capitalised words (with "of", "the", "al" ... inside), lower-cased: a cheap
    stand-in for named entities, with leading function words dropped.

    Examples
    --------
    >>> from framing.events import capitalised_ngrams
    >>> capitalised_ngrams("On Monday the Federal Security Service of Russia said Ilham Aliyev left.")
    ['federal security service of russia', 'ilham aliyev']
    """
    out = []
    for m in _CAPITALISED.finditer(text):
        words = m.group(0).split()
        while words and words[0].rstrip(".").capitalize() in _FUNCTION_WORDS:
            words = words[1:]
        while words and words[-1].lower() in ("of", "the", "de", "al", "bin", "van", "von", "for", "and", "&"):
            words = words[:-1]
        entity = " ".join(words).rstrip(".").lower()
        if len(entity) > 1:
            out.append(entity)
    return out


def _unit_rows(X: Any) -> Any:
    from sklearn.preprocessing import normalize

    return normalize(X, norm="l2", copy=False)


def _similarity(frame: pd.DataFrame, weights: Mapping[str, float], lead_chars: int) -> np.ndarray:
    """The weighted similarity matrix of a block of documents (no date damping)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    title = frame[TITLE].fillna("").astype(str)
    lead = title + " . " + frame[TEXT].fillna("").astype(str).str.slice(0, lead_chars)
    n = len(frame)
    S = np.zeros((n, n), dtype=np.float32)

    def add(weight: float, make: Any, texts: pd.Series) -> None:
        if weight == 0 or n == 0:
            return
        try:
            X = _unit_rows(make().fit_transform(texts))
        except ValueError:  # an empty vocabulary: nothing in common to measure
            return
        S[:] += weight * (X @ X.T).toarray().astype(np.float32)

    add(weights.get("title", 0.0), lambda: TfidfVectorizer(sublinear_tf=True, stop_words="english",
                                                           ngram_range=(1, 2)), title)
    add(weights.get("words", 0.0), lambda: TfidfVectorizer(sublinear_tf=True, stop_words="english",
                                                           ngram_range=(1, 2)), lead)
    add(weights.get("characters", 0.0), lambda: TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5),
                                                                sublinear_tf=True, min_df=2), lead)
    entities = lead.map(lambda t: "\x1f".join(capitalised_ngrams(t)))
    add(weights.get("entities", 0.0), lambda: TfidfVectorizer(tokenizer=lambda s: [x for x in s.split("\x1f") if x],
                                                              lowercase=False, token_pattern=None,
                                                              sublinear_tf=True), entities)
    return S


def _cluster_block(frame: pd.DataFrame, days: np.ndarray, *, weights: Mapping[str, float], lead_chars: int,
                   threshold: float, window_days: float, date_decay_days: float) -> np.ndarray:
    """Average-linkage clusters of one block; returns a label per document (0-based, arbitrary)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(frame)
    if n == 1:
        return np.zeros(1, dtype=int)
    S = _similarity(frame, weights, lead_chars)
    dated = ~np.isnan(days)
    if dated.any():
        dd = np.abs(days[:, None] - days[None, :])
        both = dated[:, None] & dated[None, :]
        damp = np.where(both, np.exp(-np.nan_to_num(dd) / date_decay_days), 1.0).astype(np.float32)
        S *= damp
        S[both & (np.nan_to_num(dd) > window_days)] = 0.0
    D = np.clip(1.0 - S, 0.0, 1.0)
    np.fill_diagonal(D, 0.0)
    D = np.maximum(D, D.T)
    Z = linkage(squareform(D, checks=False).astype(np.float64), method="average")
    return fcluster(Z, t=1.0 - threshold, criterion="distance") - 1


def _cap_span(labels: np.ndarray, days: np.ndarray, max_span_days: float | None) -> np.ndarray:
    """Cut every cluster whose dates span more than ``max_span_days`` into consecutive spans.

    Linkage can chain documents a few days apart into a "story" that runs for months on a
    dense corpus; an event is bounded in time. Members are taken in date order and a new
    span starts when a document is more than ``max_span_days`` after the span's first
    document. Undated members stay in the cluster's first span.
    """
    if max_span_days is None:
        return labels
    out = labels.astype(np.int64).copy()
    next_label = int(out.max()) + 1 if len(out) else 0
    for lab in np.unique(labels):
        members = np.flatnonzero(labels == lab)
        d = days[members]
        dated = members[~np.isnan(d)]
        if len(dated) < 2 or np.nanmax(d) - np.nanmin(d) <= max_span_days:
            continue
        order = dated[np.argsort(days[dated], kind="stable")]
        start = days[order[0]]
        current = lab
        for m in order:
            if days[m] - start > max_span_days:
                current, next_label, start = next_label, next_label + 1, days[m]
            out[m] = current
    return out


def _blocks(days: np.ndarray, order: np.ndarray, window_days: float, max_block: int) -> list[np.ndarray]:
    """Cut the date-sorted documents where consecutive dates are more than ``window_days``
    apart (no pair across such a gap can be linked), then cut blocks larger than
    ``max_block`` at their widest date gap."""
    blocks: list[np.ndarray] = []
    start = 0
    d = days[order]
    for i in range(1, len(order) + 1):
        if i == len(order) or (not np.isnan(d[i]) and not np.isnan(d[i - 1]) and d[i] - d[i - 1] > window_days):
            blocks.append(order[start:i])
            start = i
    out: list[np.ndarray] = []
    while blocks:
        b = blocks.pop(0)
        if len(b) <= max_block:
            out.append(b)
            continue
        gaps = np.diff(np.nan_to_num(days[b]))
        lo, hi = len(b) // 4, 3 * len(b) // 4  # cut near the middle, at the widest gap there
        cut = lo + int(np.argmax(gaps[lo:hi])) + 1 if hi > lo else len(b) // 2
        blocks[:0] = [b[:cut], b[cut:]]
    return out


def align_events(
    documents: pd.DataFrame,
    *,
    recompute: bool = False,
    threshold: float = 0.06,
    window_days: float = 7.0,
    date_decay_days: float = 1.0,
    weights: Mapping[str, float] | None = None,
    lead_chars: int = 1000,
    duplicate_threshold: float = 0.8,
    max_span_days: float | None = 14.0,
    max_block: int = 5000,
) -> pd.DataFrame:
    """Give each document the id of the event it reports, and mark wire copy.

    Parameters
    ----------
    documents : DataFrame
        Documents with ``doc_id`` and ``text``; ``title``, ``date`` (ISO) and ``outlet``
        are used when present (a missing title or date simply contributes nothing).
    recompute : bool, default False
        Recompute every event id. By default ids already given are kept, and only
        documents without one are aligned (among themselves), with ids ``auto-<k>``.
    threshold : float, default 0.06
        Average similarity of two groups of documents below which they stay apart.
        Higher gives smaller, purer events.
    window_days : float, default 7
        Documents more than this many days apart are never linked directly.
    date_decay_days : float, default 1
        Similarity is multiplied by ``exp(-days apart / date_decay_days)``.
    weights : mapping, optional
        Weights of the ``title``, ``words``, ``characters`` and ``entities``
        similarities (default :data:`DEFAULT_WEIGHTS`).
    lead_chars : int, default 1000
        Characters of the text read as the lead.
    duplicate_threshold : float, default 0.8
        Jaccard similarity of the texts' 5-word shingles from which a document is a copy
        of an earlier one (``duplicate_of``); 1 marks exact copies only.
    max_span_days : float or None, default 14
        An event lasts at most this long: a group whose dates span more is cut into
        consecutive spans (linkage would otherwise chain a dense corpus's daily stories on
        one topic into "events" of months). None leaves groups as they are.
    max_block : int, default 5000
        Documents clustered together at most (memory grows with its square). Dated
        corpora are first cut at gaps of more than ``window_days``; a larger block is
        cut at its widest date gap near the middle, and an undated corpus larger than
        this in input order, with a warning (events across a cut are not joined).

    Returns
    -------
    DataFrame
        A copy of ``documents`` with ``event_id``, ``event_source`` (``"given"`` or
        ``"computed"``) and ``duplicate_of`` (the ``doc_id`` of the earliest document
        whose text this one copies, by date then input order; None for an original).

    Raises
    ------
    DataError
        No ``doc_id``/``text`` column, repeated ``doc_id`` values, or a date that is
        not an ISO date.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.events import align_events
    >>> docs = pd.DataFrame({
    ...     "doc_id": ["a", "b", "c"],
    ...     "outlet": ["X", "Y", "Z"],
    ...     "date": ["2025-06-30", "2025-06-30", "2025-03-01"],
    ...     "title": ["Russian police raid Azerbaijani homes in Yekaterinburg",
    ...               "Yekaterinburg raids: Azerbaijani brothers die in Russian police custody",
    ...               "Parliament passes budget"],
    ...     "text": ["Russian police raided homes of Azerbaijanis in Yekaterinburg.",
    ...              "Two Azerbaijani brothers died after police raids in Yekaterinburg.",
    ...              "The budget passed."]})
    >>> out = align_events(docs)
    >>> out["event_id"].tolist()
    ['auto-1', 'auto-1', 'auto-0']
    """
    for col in (DOC_ID, TEXT):
        if col not in documents.columns:
            raise DataError(f"documents need a {col!r} column; they have {[str(c) for c in documents.columns]}",
                            field=col)
    dup = documents[DOC_ID].astype(str).duplicated()
    if dup.any():
        first = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(f"repeated doc_id {documents[DOC_ID].iloc[first]!r}; event alignment needs unique ids",
                        row=first + 1, field=DOC_ID)
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    if date_decay_days <= 0 or window_days < 0:
        raise ValueError("date_decay_days must be positive and window_days non-negative")
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(weights) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValueError(f"unknown similarity weights {sorted(unknown)}; use {sorted(DEFAULT_WEIGHTS)}")
    out = documents.copy()
    for col in (TITLE, DATE):
        if col not in out.columns:
            out[col] = None
    days = _days(out[DATE])

    given = out[EVENT_ID] if EVENT_ID in out.columns else pd.Series(None, index=out.index, dtype=object)
    has_id = given.notna() & (given.astype(str).str.strip() != "") & ~recompute
    event = given.where(has_id, None).astype(object)
    todo = np.flatnonzero(~has_id.to_numpy())
    if len(todo):
        order = todo[np.lexsort((todo, np.nan_to_num(days[todo], nan=np.inf)))]
        if np.isnan(days[todo]).all() and len(todo) > max_block:
            warnings.warn(f"{len(todo)} undated documents are aligned in blocks of {max_block} in input order; "
                          "events across blocks are not joined (raise max_block if memory allows)", UserWarning,
                          stacklevel=2)
        labels = np.empty(len(out), dtype=object)
        next_id = 0
        for block in _blocks(days, order, window_days, max_block):
            local = _cluster_block(out.iloc[block], days[block], weights=weights, lead_chars=lead_chars,
                                   threshold=threshold, window_days=window_days, date_decay_days=date_decay_days)
            local = _cap_span(local, days[block], max_span_days)
            # number events by their first document (date order), so ids are stable
            mapping: dict[int, str] = {}
            for pos, lab in zip(block, local):
                if lab not in mapping:
                    mapping[lab] = f"auto-{next_id}"
                    next_id += 1
                labels[pos] = mapping[lab]
        event.iloc[todo] = labels[todo]
    out[EVENT_ID] = event
    out[EVENT_SOURCE] = np.where(has_id, "given", "computed")

    order = np.lexsort((np.arange(len(out)), np.nan_to_num(days, nan=np.inf)))
    texts = out[TEXT].fillna("").astype(str).to_numpy()
    groups = near_duplicate_groups([texts[i] for i in order], threshold=duplicate_threshold, k=5, min_words=20)
    ids = out[DOC_ID].astype(str).to_numpy()
    copy_of = np.full(len(out), None, dtype=object)
    for pos, g in enumerate(groups):
        if g != pos:
            copy_of[order[pos]] = ids[order[g]]
    out[DUPLICATE_OF] = copy_of
    return out


def _days(dates: pd.Series) -> np.ndarray:
    """Days since the epoch (float), NaN where the date is missing."""
    parsed = pd.to_datetime(dates, errors="coerce", format="mixed")
    bad = dates.notna() & parsed.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"date {dates.iloc[row]!r} is not an ISO date (YYYY-MM-DD)", row=row + 1, field=DATE)
    values = parsed.to_numpy().astype("datetime64[D]").astype("float64")
    values[parsed.isna().to_numpy()] = np.nan
    return values
