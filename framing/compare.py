"""Tidy comparison tables from labelled passages: label rates by outlet (and event).

Statistics only; plotting lives in :mod:`framing.plots`.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .columns import LABEL_NAMES, OUTLET

__all__ = ["label_rates"]


def label_rates(
    labelled: pd.DataFrame,
    *,
    by: Sequence[str] = (OUTLET,),
    labels: Sequence[str] = LABEL_NAMES,
    missing: str = "(unknown)",
) -> pd.DataFrame:
    """Share of passages carrying each label, per group.

    Parameters
    ----------
    labelled : DataFrame
        Labelled passages (one 0/1 column per label), e.g. from
        :func:`framing.pipeline.label_documents`.
    by : sequence of str, default ("outlet",)
        Grouping columns; missing values are grouped as ``missing``.
    labels : sequence of str
        Label columns.
    missing : str
        Group name for missing values.

    Returns
    -------
    pandas.DataFrame
        Tidy: the ``by`` columns, ``label, n_passages, n_labelled, rate``.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.compare import label_rates
    >>> df = pd.DataFrame({"outlet": ["A", "A", "B"], "x": [1, 0, 1]})
    >>> label_rates(df, labels=["x"])
      outlet label  n_passages  n_labelled  rate
    0      A     x           2           1   0.5
    1      B     x           1           1   1.0
    """
    by = list(by)
    frame = labelled.copy()
    for col in by:
        frame[col] = frame[col].fillna(missing) if col in frame else missing
    grouped = frame.groupby(by, sort=True, dropna=False)
    rows = []
    for key, part in grouped:
        key = key if isinstance(key, tuple) else (key,)
        for label in labels:
            n = len(part)
            k = int(part[label].sum())
            rows.append({**dict(zip(by, key)), "label": label, "n_passages": n, "n_labelled": k,
                         "rate": k / n if n else float("nan")})
    return pd.DataFrame(rows, columns=[*by, "label", "n_passages", "n_labelled", "rate"])
