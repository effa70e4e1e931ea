"""Inter-annotator agreement: Krippendorff's alpha (nominal), per label.

Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": build the
coincidence matrix from units with at least two values, then
``alpha = 1 - (n - 1) * D_o / D_e`` with the nominal distance.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["krippendorff_alpha", "alpha_per_label"]


def krippendorff_alpha(reliability_data: Any) -> float:
    """Krippendorff's alpha for nominal data.

    Parameters
    ----------
    reliability_data : array-like of shape (n_coders, n_units)
        Values assigned by each coder to each unit; ``None``/NaN marks a missing value.

    Returns
    -------
    float
        Alpha; NaN when there is no variation at all (expected disagreement 0).

    Examples
    --------
    Krippendorff (2011), binary data, two observers:

    >>> from framing.agreement import krippendorff_alpha
    >>> a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    >>> b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    >>> round(krippendorff_alpha([a, b]), 3)
    0.095
    """
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
