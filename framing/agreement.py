"""Inter-annotator agreement: Krippendorff's alpha (nominal), per label.

Alpha is computed by the ``krippendorff`` package (fast-krippendorff). The hand-written
computation that framing used before, after Krippendorff (2011), "Computing
Krippendorff's Alpha-Reliability" (build the coincidence matrix from units with at least
two values, then ``alpha = 1 - (n - 1) * D_o / D_e`` with the nominal distance), is kept
as :func:`_reference_alpha`; the tests check that both give the same value.
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from .columns import ANNOTATOR_PASS, ITEM_ID, LABEL_NAMES, STATUS, STATUS_COMPLETED
from .errors import DataError

__all__ = ["krippendorff_alpha", "alpha_per_label", "annotation_agreement"]


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def krippendorff_alpha(reliability_data: Any) -> float:
    """Krippendorff's alpha for nominal data.

    Parameters
    ----------
    reliability_data : array-like of shape (n_coders, n_units)
        Values assigned by each coder to each unit (any hashable values: 0/1, codes,
        label names); ``None``/NaN marks a missing value.

    Returns
    -------
    float
        Alpha; NaN when no unit has two values or the paired values do not vary
        (expected disagreement 0), where the ``krippendorff`` package raises instead.

    Examples
    --------
    Krippendorff (2011), binary data, two observers:

    >>> from framing.agreement import krippendorff_alpha
    >>> a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    >>> b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    >>> round(krippendorff_alpha([a, b]), 3)
    0.095
    """
    import krippendorff

    data = pd.DataFrame(reliability_data, dtype=object)  # coders x units
    codes: dict[Any, int] = {}
    matrix = np.array([[np.nan if _is_missing(v) else codes.setdefault(v, len(codes)) for v in row]
                       for row in data.itertuples(index=False)], dtype=float).reshape(data.shape)
    # only units with two or more values are pairable; the package needs two values among them
    matrix = matrix[:, (~np.isnan(matrix)).sum(axis=0) >= 2]
    if len(np.unique(matrix[~np.isnan(matrix)])) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def _reference_alpha(reliability_data: Any) -> float:
    """The hand-written nominal alpha (Krippendorff 2011), kept to test the package against."""
    data = pd.DataFrame(reliability_data, dtype=object).T  # units x coders
    values: dict[Any, int] = {}
    pairs: dict[tuple[int, int], float] = {}
    for _, unit in data.iterrows():
        vals = [v for v in unit.tolist() if v is not None and not (isinstance(v, float) and np.isnan(v))]
        m = len(vals)
        if m < 2:
            continue
        codes = [values.setdefault(v, len(values)) for v in vals]
        for i in range(m):
            for j in range(m):
                if i != j:
                    key = (codes[i], codes[j])
                    pairs[key] = pairs.get(key, 0.0) + 1.0 / (m - 1)
    k = len(values)
    if k == 0:
        return float("nan")
    o = np.zeros((k, k))
    for (c, d), w in pairs.items():
        o[c, d] += w
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d_o = o.sum() - np.trace(o)
    d_e = (n * n - (n_c**2).sum()) / (n - 1) if n > 1 else 0.0
    if d_e == 0:
        return float("nan")
    return float(1.0 - d_o / d_e)


def alpha_per_label(first: pd.DataFrame, second: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Alpha per label for two annotation passes over the same units.

    Parameters
    ----------
    first, second : DataFrame
        One row per unit (same index), one 0/1 column per label.
    labels : sequence of str
        Label columns to compare.

    Returns
    -------
    DataFrame
        Columns ``label, alpha, n_units, positives_first, positives_second, agreement, f1``;
        ``f1`` is the F1 of one pass scored against the other (symmetric:
        ``2 * both / (positives_first + positives_second)``), the number to set beside a
        model's F1. NaN when neither pass has a positive.
    """
    second = second.loc[first.index]
    rows = []
    for label in labels:
        a, b = first[label].astype(int).to_numpy(), second[label].astype(int).to_numpy()
        total = int(a.sum() + b.sum())
        rows.append({
            "label": label,
            "alpha": krippendorff_alpha([a, b]),
            "n_units": len(a),
            "positives_first": int(a.sum()),
            "positives_second": int(b.sum()),
            "agreement": float((a == b).mean()),
            "f1": 2.0 * float((a & b).sum()) / total if total else float("nan"),
        })
    return pd.DataFrame(rows)


def annotation_agreement(
    annotations: pd.DataFrame,
    *,
    labels: Sequence[str] | None = None,
    by: str = ANNOTATOR_PASS,
) -> pd.DataFrame:
    """Agreement between annotation passes (or annotators) that read the same items.

    Parameters
    ----------
    annotations : pandas.DataFrame
        Imported annotations, as :func:`framing.read_annotations` returns them: one row
        per annotation with ``item_id``, ``status``, the coder column ``by`` and one 0/1
        column per label. Only rows with status ``completed`` count; a cancelled or
        skipped annotation is no reading.
    labels : sequence of str, optional
        The label columns (default: :data:`framing.LABEL_NAMES`).
    by : str, default "annotator_pass"
        The column that names a coder: each pass, or each annotator (``by="annotator"``).

    Returns
    -------
    pandas.DataFrame
        Tidy, columns ``label, measure, first, second, n_units, value``. For each label,
        one ``alpha`` row: Krippendorff's alpha (nominal) over all coders, ``first`` and
        ``second`` empty, ``n_units`` the items read by at least two coders; then, for each
        pair of coders, one ``f1`` row: the F1 of one coder's labels scored against the
        other's (symmetric, ``2 * both / (positives_first + positives_second)``; NaN when
        neither has a positive) over the ``n_units`` items both read.

    Raises
    ------
    DataError
        A column is missing, a completed annotation has no coder, or one coder has two
        completed annotations of the same item (group by ``"annotator"`` instead).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.agreement import annotation_agreement
    >>> ann = pd.DataFrame({
    ...     "item_id": ["a", "b", "c", "a", "b", "c"],
    ...     "annotator_pass": ["pass1"] * 3 + ["pass2"] * 3,
    ...     "status": "completed",
    ...     "hedged_attribution": [1, 0, 1, 1, 0, 0],
    ... })
    >>> annotation_agreement(ann, labels=["hedged_attribution"]).round(3)
                    label measure  first second  n_units  value
    0  hedged_attribution   alpha    NaN    NaN        3  0.444
    1  hedged_attribution      f1  pass1  pass2        3  0.667
    """
    labels = list(LABEL_NAMES if labels is None else labels)
    missing = [c for c in (ITEM_ID, STATUS, by, *labels) if c not in annotations.columns]
    if missing:
        raise DataError(f"no column(s) {missing}; the annotations have {[str(c) for c in annotations.columns]}",
                        field=missing[0])
    done = annotations[annotations[STATUS] == STATUS_COMPLETED]
    if done[by].isna().any():
        raise DataError(f"a completed annotation has no {by!r} (row {int(np.argmax(done[by].isna())) + 1} of "
                        "the completed ones)", field=by)
    twice = done[done.duplicated([ITEM_ID, by], keep=False)]
    if len(twice):
        coder, item = twice[by].iloc[0], twice[ITEM_ID].iloc[0]
        n = int(((twice[by] == coder) & (twice[ITEM_ID] == item)).sum())
        raise DataError(f"{by} {coder!r} has {n} completed annotations of item {item!r}; agreement needs one per "
                        "coder and item (group by 'annotator' instead, or keep one)", field=by)
    coders = sorted(done[by].unique(), key=str)
    rows: list[dict[str, Any]] = []
    for label in labels:
        table = done.pivot(index=ITEM_ID, columns=by, values=label)  # items x coders
        rows.append({"label": label, "measure": "alpha", "first": None, "second": None,
                     "n_units": int((table.notna().sum(axis=1) >= 2).sum()),
                     "value": krippendorff_alpha(table.T.astype(object).to_numpy())})
    for a, b in combinations(coders, 2):
        first = done[done[by] == a].set_index(ITEM_ID)
        second = done[done[by] == b].set_index(ITEM_ID)
        common = first.index.intersection(second.index)
        scores = alpha_per_label(first.loc[common], second.loc[common], labels)
        rows.extend({"label": r["label"], "measure": "f1", "first": a, "second": b, "n_units": int(r["n_units"]),
                     "value": r["f1"]} for r in scores.to_dict("records"))
    return pd.DataFrame(rows, columns=["label", "measure", "first", "second", "n_units", "value"])
