"""Choose which passages people read: active selection for training, and stratified
probability samples for validating an analysis.

The model may choose *which* passages are read, never their labels: nothing here puts a
prediction, a score or a stratum in front of an annotator. The functions return the
chosen passages with the stratum each came from and, for validation samples, the
inclusion probability of every sampled passage, which the corrected estimates of
:mod:`framing.compare` need.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .columns import DOC_ID, INDEX, LABEL_NAMES, OUTLET, PARAGRAPH, PROBA_PREFIX, TEXT
from .duplicates import near_duplicate_groups, normalise_text
from .errors import DataError

__all__ = [
    "add_context",
    "predicted_stratum",
    "select_for_annotation",
    "sample_for_validation",
    "text_sha1",
    "STRATUM",
    "INCLUSION_PROB",
]

STRATUM = "stratum"
INCLUSION_PROB = "inclusion_prob"
STRATUM_SIZE = "stratum_size"
STRATUM_N = "stratum_n"
PREDICTED = "predicted"
BEFORE, AFTER = "before", "after"


def text_sha1(text: str) -> str:
    """SHA-1 of a passage's UTF-8 text (how stand-off annotations check their source).

    Examples
    --------
    >>> from framing.sampling import text_sha1
    >>> text_sha1("It rained.")
    'fffe2334bdd568f3598af6eaaa3abe328a7ea86c'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def add_context(
    passages: pd.DataFrame,
    *,
    window: int = 1,
    same_paragraph: bool = True,
    max_chars: int = 400,
) -> pd.DataFrame:
    """Add the neighbouring passages of each passage as ``before`` and ``after`` columns.

    Annotators read a sentence with its neighbours (the codebook's unit), so that they
    can tell who is speaking and what a claim refers to.

    Parameters
    ----------
    passages : DataFrame
        Passages of whole documents as :func:`framing.segment` returns them (``doc_id``,
        ``index`` and ``text``; ``paragraph`` for ``same_paragraph``), in any order. Without
        an ``index`` column (a table of one's own passages), the row order within each
        document is the passage order.
    window : int, default 1
        Passages on each side.
    same_paragraph : bool, default True
        Only neighbours from the passage's own paragraph.
    max_chars : int, default 400
        Each side is clipped to this many characters (with an ellipsis).

    Returns
    -------
    DataFrame
        A copy with ``before`` and ``after`` (empty strings where there is none).

    Examples
    --------
    >>> import framing
    >>> from framing.sampling import add_context
    >>> p = add_context(framing.segment(framing.load_demo_corpus()))
    >>> p.loc[1, "before"] == p.loc[0, "text"] or p.loc[1, "paragraph"] != p.loc[0, "paragraph"]
    True
    """
    for col in (DOC_ID, TEXT):
        if col not in passages.columns:
            raise DataError(f"passages need a {col!r} column to find neighbours", field=col)
    if same_paragraph and PARAGRAPH not in passages.columns:
        raise DataError("passages need a 'paragraph' column for same_paragraph=True", field=PARAGRAPH)
    frame = passages.copy()
    keys = [c for c in ("corpus", DOC_ID) if c in frame.columns]
    if INDEX not in frame.columns:
        frame[INDEX] = frame.groupby(keys, sort=False, dropna=False).cumcount()
        result = add_context(frame, window=window, same_paragraph=same_paragraph, max_chars=max_chars)
        return result.drop(columns=INDEX)
    ordered = frame.sort_values([*keys, INDEX], kind="stable")
    groups = ordered.groupby(keys, sort=False, dropna=False)
    sides: dict[str, list[pd.Series]] = {BEFORE: [], AFTER: []}
    for side, steps in ((BEFORE, range(window, 0, -1)), (AFTER, range(-1, -window - 1, -1))):
        for k in steps:
            text = groups[TEXT].shift(k)
            # a neighbour only where it is really adjacent (the table may hold part of a document)
            ok = text.notna() & (groups[INDEX].shift(k) == ordered[INDEX] - k)
            if same_paragraph:
                ok &= groups[PARAGRAPH].shift(k) == ordered[PARAGRAPH]
            sides[side].append(text.where(ok, ""))
    for side, parts in sides.items():
        if len(parts) == 1:
            joined = parts[0]
        else:
            joined = pd.concat(parts, axis=1).apply(lambda row: " ".join(t for t in row if t), axis=1)
        frame[side] = joined.reindex(frame.index).fillna("").map(lambda t: _clip(t, max_chars))
    return frame


def _proba_matrix(proba: Any, labels: Sequence[str], n: int) -> np.ndarray:
    if isinstance(proba, pd.DataFrame):
        missing = [f"{PROBA_PREFIX}{lab}" for lab in labels if f"{PROBA_PREFIX}{lab}" not in proba.columns]
        if missing:
            raise DataError(f"no probability column(s) {missing}", field=missing[0])
        P = proba[[f"{PROBA_PREFIX}{lab}" for lab in labels]].to_numpy(dtype=float)
    else:
        P = np.asarray(proba, dtype=float)
    if P.shape != (n, len(labels)):
        raise ValueError(f"proba has shape {P.shape}, expected {(n, len(labels))}")
    return P


def _largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` into integers proportional to ``weights`` (ties broken by key order)."""
    keys = list(weights)
    w = np.array([max(float(weights[k]), 0.0) for k in keys])
    if total <= 0 or w.sum() == 0:
        return {k: 0 for k in keys}
    raw = w / w.sum() * total
    out = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - out), kind="stable")[: total - out.sum()]:
        out[i] += 1
    return dict(zip(keys, out.tolist()))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def select_for_annotation(
    pool: pd.DataFrame,
    n: int,
    *,
    proba: Any,
    thresholds: Mapping[str, float] | Sequence[float],
    labels: Sequence[str] | None = None,
    shares: Mapping[str, float] | None = None,
    label_weights: Mapping[str, float] | None = None,
    max_per_document: int = 3,
    exclude_texts: Sequence[str] = (),
    near_duplicate_threshold: float = 0.8,
    candidates_per_slot: int = 4,
    random_state: int = 0,
) -> pd.DataFrame:
    """Choose passages to read from an unlabelled pool, with the current model's help.

    Three kinds of draw, each recorded in the ``stratum`` column:

    * ``random``: uniform over the pool, a control slice (what reading without the model
      would have given);
    * ``uncertain:<label>``: passages whose probability is closest to the label's
      decision threshold (on the logit scale), drawn at random among the
      ``candidates_per_slot`` closest per place to fill, so that the draw is not one
      narrow band of near-identical passages;
    * ``enrich:<label>``: expected positives: passages at or above the threshold, drawn
      with probability proportional to the model's probability.

    The selection is kept diverse: at most ``max_per_document`` passages of one document,
    and no passage that is a copy or near copy (word-shingle Jaccard at least
    ``near_duplicate_threshold``) of another chosen passage or of one in
    ``exclude_texts`` (those already read).

    Parameters
    ----------
    pool : DataFrame
        Candidate passages (``doc_id`` and ``text``; ``corpus`` if ids repeat across
        corpora), one row each.
    n : int
        Passages to choose (fewer only if the pool, under the per-document cap and without
        copies, runs out).
    proba : array of shape (len(pool), n_labels) or DataFrame with ``p_<label>`` columns
        The current model's probabilities for the pool.
    thresholds : mapping or sequence
        The model's decision threshold per label.
    labels : sequence of str, optional
        Label names (default: the codebook's four).
    shares : mapping, optional
        Shares of ``n`` for ``random``, ``uncertain`` and ``enrich``
        (default 0.15, 0.40, 0.45).
    label_weights : mapping, optional
        How the uncertain and enrich draws are split between labels (default: equal); a
        label with weight 0 gets none.
    max_per_document : int, default 3
        Passages per document at most.
    exclude_texts : sequence of str
        Texts already read: neither they nor their near copies are chosen.
    near_duplicate_threshold : float, default 0.8
        Jaccard similarity of 3-word shingles from which two passages count as copies.
    candidates_per_slot : int, default 4
        Width of the uncertainty band, in candidates per passage to choose.
    random_state : int, default 0
        Seed; the same inputs and seed give the same selection.

    Returns
    -------
    DataFrame
        The chosen rows of ``pool`` (their index kept) in the order chosen, with
        ``stratum``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from framing.sampling import select_for_annotation
    >>> pool = pd.DataFrame({"doc_id": [f"d{i // 5}" for i in range(200)],
    ...                      "text": [f"Sentence number {i} about topic {i % 7}." for i in range(200)]})
    >>> P = np.random.default_rng(0).random((200, 4))
    >>> chosen = select_for_annotation(pool, 20, proba=P, thresholds=[0.5] * 4, random_state=1)
    >>> len(chosen), bool(chosen.groupby("doc_id").size().max() <= 3)
    (20, True)
    """
    labels = list(labels) if labels is not None else list(LABEL_NAMES)
    for col in (DOC_ID, TEXT):
        if col not in pool.columns:
            raise DataError(f"the pool needs a {col!r} column", field=col)
    if n < 0:
        raise ValueError("n must be non-negative")
    if max_per_document < 1:
        raise ValueError("max_per_document must be at least 1")
    P = _proba_matrix(proba, labels, len(pool))
    if isinstance(thresholds, Mapping):
        missing = [lab for lab in labels if lab not in thresholds]
        if missing:
            raise ValueError(f"no threshold for {missing}")
        t = np.array([float(thresholds[lab]) for lab in labels])
    else:
        t = np.asarray(thresholds, dtype=float)
        if t.shape != (len(labels),):
            raise ValueError(f"thresholds has shape {t.shape}, expected {(len(labels),)}")
    shares = dict(shares) if shares is not None else {"random": 0.15, "uncertain": 0.40, "enrich": 0.45}
    unknown = set(shares) - {"random", "uncertain", "enrich"}
    if unknown:
        raise ValueError(f"unknown shares {sorted(unknown)}; use random, uncertain, enrich")
    weights = {lab: 1.0 for lab in labels} if label_weights is None else {lab: float(label_weights.get(lab, 0.0))
                                                                           for lab in labels}
    rng = np.random.default_rng(random_state)
    kinds = _largest_remainder(n, {k: shares.get(k, 0.0) for k in ("random", "uncertain", "enrich")})
    quota: dict[str, int] = {"random": kinds["random"]}
    for kind in ("uncertain", "enrich"):
        for lab, q in _largest_remainder(kinds[kind], weights).items():
            quota[f"{kind}:{lab}"] = q

    # ordered candidates per stratum (pool positions), long enough to survive the filters
    size = len(pool)
    candidates: dict[str, np.ndarray] = {}
    for stratum, q in quota.items():
        if q == 0:
            continue
        depth = max(q * candidates_per_slot * 3, 200)
        if stratum == "random":
            candidates[stratum] = rng.permutation(size)[:depth]
            continue
        kind, lab = stratum.split(":", 1)
        j = labels.index(lab)
        if kind == "uncertain":
            margin = np.abs(_logit(P[:, j]) - _logit(np.array([t[j]]))[0])
            order = np.argsort(margin, kind="stable")
            band = order[: q * candidates_per_slot]
            candidates[stratum] = np.concatenate([rng.permutation(band), order[len(band):depth]])
        else:
            p = P[:, j]
            eligible = np.flatnonzero(p >= t[j])
            # weighted sampling without replacement (Efraimidis & Spirakis): key u ** (1 / w)
            keys = rng.random(len(eligible)) ** (1.0 / np.maximum(p[eligible], 1e-9))
            drawn = eligible[np.argsort(-keys, kind="stable")]
            rest = np.setdiff1d(np.argsort(-p, kind="stable")[:depth], drawn, assume_unique=False)
            candidates[stratum] = np.concatenate([drawn[:depth], rest])[:depth]

    # copies: one group id per distinct text among the candidates and the excluded texts
    positions = np.unique(np.concatenate(list(candidates.values()))) if candidates else np.array([], dtype=int)
    texts = pool[TEXT].fillna("").astype(str).to_numpy()
    excluded = [str(x) for x in exclude_texts]
    joint = excluded + [texts[i] for i in positions]
    groups = near_duplicate_groups(joint, threshold=near_duplicate_threshold) if joint else np.array([], dtype=int)
    blocked = set(groups[: len(excluded)].tolist())
    group_of = dict(zip(positions.tolist(), groups[len(excluded):].tolist()))
    empty = {i for i in positions.tolist() if not normalise_text(texts[i])}

    doc_key = (pool["corpus"].astype(str) + "\x1f" if "corpus" in pool.columns else "") + pool[DOC_ID].astype(str)
    docs = doc_key.to_numpy()
    per_doc: dict[str, int] = {}
    taken: list[int] = []
    strata: list[str] = []
    used: set[int] = set()
    for stratum, q in quota.items():
        got = 0
        for i in candidates.get(stratum, ()):
            if got >= q:
                break
            i = int(i)
            g = group_of[i]
            if i in used or i in empty or g in blocked or per_doc.get(docs[i], 0) >= max_per_document:
                continue
            used.add(i)
            blocked.add(g)
            per_doc[docs[i]] = per_doc.get(docs[i], 0) + 1
            taken.append(i)
            strata.append(stratum)
            got += 1
    out = pool.iloc[taken].copy()
    out[STRATUM] = strata
    return out


def _fill(alloc: dict[str, int], sizes: Mapping[str, int], remaining: int, allocation: str) -> None:
    """Add ``remaining`` draws to ``alloc`` over the strata in ``sizes``, by weight, within capacity."""
    while remaining > 0:
        room = {h: sizes[h] - alloc[h] for h in sizes if sizes[h] > alloc[h]}
        if not room:
            return
        w = {h: (float(sizes[h]) if allocation == "proportional" else np.sqrt(float(sizes[h]))
                 if allocation == "sqrt" else 1.0) for h in room}
        added = {h: min(q, room[h]) for h, q in _largest_remainder(remaining, w).items()}
        for h, q in added.items():
            alloc[h] += q
        remaining -= sum(added.values())


def predicted_stratum(labelled: pd.DataFrame, labels: Sequence[str] | None = None) -> pd.Series:
    """One predicted-label stratum per passage: its rarest predicted label, or ``"none"``.

    Rarity is the label's predicted rate in ``labelled``, so a passage predicted with a
    rare and a common label lands in the rare label's stratum, where it matters most.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.sampling import predicted_stratum
    >>> df = pd.DataFrame({"a": [1, 1, 1, 0], "b": [0, 1, 0, 0]})
    >>> predicted_stratum(df, ["a", "b"]).tolist()
    ['a', 'b', 'a', 'none']
    """
    labels = list(labels) if labels is not None else [lab for lab in LABEL_NAMES if lab in labelled.columns]
    missing = [lab for lab in labels if lab not in labelled.columns]
    if missing:
        raise DataError(f"no label column(s) {missing} in the labelled passages", field=missing[0])
    Y = labelled[labels].to_numpy(dtype=int)
    rate = Y.mean(axis=0) if len(Y) else np.zeros(len(labels))
    order = np.argsort(rate, kind="stable")
    out = np.full(len(Y), "none", dtype=object)
    for j in order[::-1]:  # rarest last, so it wins
        out[Y[:, j] == 1] = labels[j]
    return pd.Series(out, index=labelled.index, name=PREDICTED)


def sample_for_validation(
    labelled: pd.DataFrame,
    n: int,
    *,
    strata: Sequence[str] = (OUTLET, PREDICTED),
    labels: Sequence[str] | None = None,
    allocation: str = "sqrt",
    min_per_stratum: int = 2,
    random_state: int = 0,
) -> pd.DataFrame:
    """Draw a stratified probability sample of labelled passages for reading (a gold sample).

    Every passage belongs to exactly one stratum (by default outlet x predicted label, see
    :func:`predicted_stratum`); within a stratum, passages are drawn uniformly without
    replacement, so each sampled passage's inclusion probability is known exactly:
    ``stratum_n / stratum_size``. That is what lets :mod:`framing.compare` correct the
    classifier's rates with the labels read on the sample.

    Parameters
    ----------
    labelled : DataFrame
        The analysed passages, labelled (one 0/1 column per label), e.g. from
        :func:`framing.label_documents`. Every row is part of the population.
    n : int
        Passages to draw.
    strata : sequence of str, default ("outlet", "predicted")
        Columns whose combinations are the strata; ``"predicted"`` is computed when
        absent. Missing values form their own stratum, ``"(missing)"``.
    labels : sequence of str, optional
        Label columns for the ``predicted`` stratum (default: the codebook's labels present).
    allocation : {"sqrt", "proportional", "equal", "balanced"}, default "sqrt"
        How ``n`` is shared between strata: in proportion to the square root of their
        sizes (a compromise that gives rare predicted labels more than their share),
        to their sizes, or equally; ``"balanced"`` gives every value of the first stratum
        column (every outlet) the same total, shared by square root within it, so that
        small outlets are estimated as precisely as large ones. Never more than a stratum
        holds.
    min_per_stratum : int, default 2
        Every stratum gets at least this many (or all it holds), so that each stratum
        has a variance estimate.
    random_state : int, default 0
        Seed.

    Returns
    -------
    DataFrame
        The sampled rows (index kept), with ``predicted`` (if computed), ``stratum``,
        ``stratum_size`` (passages of the stratum in ``labelled``), ``stratum_n``
        (sampled from it) and ``inclusion_prob``.

    Raises
    ------
    DataError
        A stratum column is missing, or ``n`` is smaller than the strata need.

    Examples
    --------
    >>> import framing
    >>> from framing.pipeline import label_documents
    >>> from framing.sampling import sample_for_validation
    >>> labelled = label_documents(framing.load_demo_corpus())
    >>> s = sample_for_validation(labelled, 40, random_state=0)
    >>> len(s), bool(((s["stratum_n"] / s["stratum_size"]) == s["inclusion_prob"]).all())
    (40, True)
    """
    if allocation not in ("sqrt", "proportional", "equal", "balanced"):
        raise ValueError(f"allocation must be 'sqrt', 'proportional', 'equal' or 'balanced', not {allocation!r}")
    frame = labelled.copy()
    strata = list(strata)
    if PREDICTED in strata and PREDICTED not in frame.columns:
        frame[PREDICTED] = predicted_stratum(frame, labels)
    missing = [c for c in strata if c not in frame.columns]
    if missing:
        raise DataError(f"no stratum column {missing[0]!r}; the passages have {[str(c) for c in frame.columns]}",
                        field=missing[0])
    if len(frame) == 0:
        raise DataError("no passages to sample from")
    key = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    for k, col in enumerate(strata):
        part = frame[col].astype(object).where(frame[col].notna(), "(missing)").astype(str)
        key = part if k == 0 else key + " | " + part
    frame[STRATUM] = key
    sizes = frame[STRATUM].value_counts().sort_index()
    base = {h: min(min_per_stratum, int(N)) for h, N in sizes.items()}
    if sum(base.values()) > n:
        raise DataError(f"n={n} is too small: {len(sizes)} strata need {sum(base.values())} passages at "
                        f"min_per_stratum={min_per_stratum}; draw more, use fewer strata, or lower min_per_stratum "
                        "(--min-per-stratum)")
    if n > len(frame):
        raise DataError(f"n={n} is larger than the {len(frame)} passages")
    alloc = dict(base)
    if allocation == "balanced":
        # equal totals per value of the first stratum column, square root of sizes within it
        first = frame.groupby(STRATUM)[strata[0]].first().astype(object).where(lambda v: v.notna(), "(missing)")
        top = {h: str(first[h]) for h in sizes.index}
        values = sorted(set(top.values()))
        totals = _largest_remainder(n, {v: 1.0 for v in values})
        for v in values:  # a value with fewer passages than its share passes the rest on
            members = [h for h in sizes.index if top[h] == v]
            totals[v] = min(totals[v], int(sum(int(sizes[h]) for h in members)))
        spare = n - sum(totals.values())
        while spare > 0:
            room = {v: int(sum(int(sizes[h]) for h in sizes.index if top[h] == v)) - totals[v] for v in values}
            room = {v: r for v, r in room.items() if r > 0}
            for v, q in _largest_remainder(spare, {v: 1.0 for v in room}).items():
                totals[v] += min(q, room[v])
            spare = n - sum(totals.values())
        for v in values:
            members = [h for h in sizes.index if top[h] == v]
            _fill(alloc, {h: int(sizes[h]) for h in members}, totals[v] - sum(alloc[h] for h in members), "sqrt")
    else:
        _fill(alloc, {h: int(N) for h, N in sizes.items()}, n - sum(alloc.values()), allocation)
    rng = np.random.default_rng(random_state)
    chosen: list[Any] = []
    for h in sizes.index:
        members = frame.index[frame[STRATUM].to_numpy() == h]
        pick = np.sort(rng.choice(len(members), size=alloc[h], replace=False))
        chosen.extend(members[pick])
    out = frame.loc[chosen].copy()
    out[STRATUM_SIZE] = out[STRATUM].map(sizes).astype(int)
    out[STRATUM_N] = out[STRATUM].map(alloc).astype(int)
    out[INCLUSION_PROB] = out[STRATUM_N] / out[STRATUM_SIZE]
    return out
