"""Synthetic outlets on shared events, with a known answer: for checking the comparison
statistics (coverage, false-positive rate, bias under classifier error) and for teaching.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["simulate_same_events"]


def simulate_same_events(
    *,
    n_events: int = 30,
    delta: float = 0.0,
    doc_sd: float = 0.04,
    docs_per_outlet: tuple[int, int] = (1, 3),
    passages_per_doc: tuple[int, int] = (5, 35),
    base_rate: tuple[float, float] = (0.08, 0.30),
    miss_rate: Mapping[str, float] | None = None,
    false_alarm_rate: float = 0.0,
    random_state: int | np.random.Generator = 0,
) -> pd.DataFrame:
    """Passages of two outlets, ``A`` and ``B``, covering the same events.

    Each event has a base rate drawn uniformly from ``base_rate``; outlet A's documents add
    ``delta``. Each document adds its own shift, uniform with standard deviation
    ``doc_sd`` (so sentences of one document are correlated), and has a uniform number of
    passages in ``passages_per_doc``. The true label ``y`` is drawn from the document's
    rate; the classifier's label ``x`` misses a true positive with probability
    ``miss_rate[outlet]`` and flags a true negative with probability ``false_alarm_rate``.
    The expected within-event difference of the true rates, A minus B, is ``delta``.

    Returns
    -------
    DataFrame
        ``doc_id, outlet, event_id, start, x, y``: one row per passage.

    Examples
    --------
    >>> from framing.simulate import simulate_same_events
    >>> sim = simulate_same_events(n_events=3, delta=0.1, random_state=0)
    >>> sorted(sim["outlet"].unique()), sim["event_id"].nunique()
    (['A', 'B'], 3)
    """
    rng = random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)
    miss = {"A": 0.0, "B": 0.0, **(miss_rate or {})}
    rows = []
    for e in range(n_events):
        base = rng.uniform(*base_rate)
        for outlet in ("A", "B"):
            for d in range(int(rng.integers(docs_per_outlet[0], docs_per_outlet[1] + 1))):
                p = base + (delta if outlet == "A" else 0.0) + rng.uniform(-doc_sd, doc_sd) * np.sqrt(3)
                n = int(rng.integers(passages_per_doc[0], passages_per_doc[1] + 1))
                y = rng.random(n) < p
                x = np.where(y, rng.random(n) >= miss[outlet], rng.random(n) < false_alarm_rate)
                for i in range(n):
                    rows.append({"doc_id": f"{outlet}{e}-{d}", "outlet": outlet, "event_id": f"e{e}", "start": i,
                                 "x": int(x[i]), "y": int(y[i])})
    return pd.DataFrame(rows)
