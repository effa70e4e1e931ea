"""Choosing passages to read: active selection keeps its promises (quotas, diversity, no copies,
seeded), and validation samples are probability samples with the right inclusion probabilities."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import framing
from framing.sampling import add_context, predicted_stratum, sample_for_validation, select_for_annotation


def _pool(n: int = 3000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    pool = pd.DataFrame({"corpus": "c", "doc_id": [f"d{i // 5}" for i in range(n)],
                         "text": [f"Sentence {i} mentions topic {rng.integers(0, 10**9)} and more words." for i in range(n)]})
    return pool, rng.random((n, 4))


def test_selection_quotas_strata_and_diversity() -> None:
    pool, P = _pool()
    out = select_for_annotation(pool, 400, proba=P, thresholds=[0.5] * 4, max_per_document=2, random_state=3,
                                label_weights={"state_claim_uncritical": 3, "speculative_motive": 1})
    assert len(out) == 400 and out.index.is_unique
    counts = out["stratum"].str.split(":").str[0].value_counts()
    assert counts["random"] == 60 and counts["uncertain"] == 160 and counts["enrich"] == 180
    assert not out["stratum"].str.contains("hedged|forced").any()  # weight 0 labels get nothing
    assert out.groupby("doc_id").size().max() <= 2
    enrich = out[out["stratum"] == "enrich:state_claim_uncritical"]
    assert (P[enrich.index, 0] >= 0.5).all()
    unc = out[out["stratum"] == "uncertain:state_claim_uncritical"]
    assert np.abs(P[unc.index, 0] - 0.5).mean() < np.abs(P[:, 0] - 0.5).mean() / 3
    again = select_for_annotation(pool, 400, proba=P, thresholds=[0.5] * 4, max_per_document=2, random_state=3,
                                  label_weights={"state_claim_uncritical": 3, "speculative_motive": 1})
    pd.testing.assert_frame_equal(out, again)


def test_selection_skips_texts_already_read_and_copies() -> None:
    pool = pd.DataFrame({"doc_id": ["a", "b", "c", "d"],
                         "text": ["The ministry said the plot was foiled by the security services.",
                                  "the ministry said, the plot was foiled by the security services",
                                  "An entirely different sentence about the weather in Baku today.",
                                  "Already read: the FSB detained two men on Monday in Moscow."]})
    out = select_for_annotation(pool, 4, proba=np.full((4, 4), 0.5), thresholds=[0.5] * 4,
                                exclude_texts=["Already read: the FSB detained two men on Monday in Moscow!"])
    assert len(out) == 2  # one of the two copies, the other sentence; never the read one
    assert {"c"} < set(out["doc_id"]) and "d" not in set(out["doc_id"])


def test_validation_sample_inclusion_probabilities_are_exact() -> None:
    rng = np.random.default_rng(0)
    n = 5000
    df = pd.DataFrame({"doc_id": [f"d{i // 10}" for i in range(n)], "outlet": rng.choice(["A", "B", "C"], n, p=[.6, .3, .1]),
                       "state_claim_uncritical": (rng.random(n) < 0.05).astype(int),
                       "hedged_attribution": (rng.random(n) < 0.2).astype(int)})
    s = sample_for_validation(df, 300, labels=["state_claim_uncritical", "hedged_attribution"], random_state=1)
    assert len(s) == 300 and s.index.is_unique
    sizes = df.assign(predicted=predicted_stratum(df, ["state_claim_uncritical", "hedged_attribution"]))
    sizes = sizes.groupby(["outlet", "predicted"]).size()
    for (outlet, pred), part in s.groupby(["outlet", "predicted"]):
        assert part["stratum_size"].iloc[0] == sizes[(outlet, pred)]
        assert part["inclusion_prob"].iloc[0] == pytest.approx(len(part) / sizes[(outlet, pred)])
    # the Horvitz-Thompson estimate of the population size is exact for a stratified sample
    assert (1 / s["inclusion_prob"]).sum() == pytest.approx(n)
    balanced = sample_for_validation(df, 300, labels=["state_claim_uncritical", "hedged_attribution"],
                                     allocation="balanced", random_state=1)
    assert balanced.groupby("outlet").size().to_dict() == {"A": 100, "B": 100, "C": 100}


def test_validation_sample_is_unbiased_over_repeated_draws() -> None:
    """Over many draws, the weighted sample mean of a variable equals its population mean."""
    rng = np.random.default_rng(1)
    n = 2000
    df = pd.DataFrame({"doc_id": np.arange(n).astype(str), "outlet": rng.choice(["A", "B"], n),
                       "hedged_attribution": (rng.random(n) < 0.1).astype(int)})
    y = rng.random(n) + df["hedged_attribution"]
    est = []
    for seed in range(300):
        s = sample_for_validation(df, 80, labels=["hedged_attribution"], random_state=seed)
        est.append((y[s.index] / s["inclusion_prob"]).sum() / n)
    assert np.mean(est) == pytest.approx(y.mean(), rel=0.01)


def test_validation_sample_bad_input() -> None:
    df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "hedged_attribution": [0, 1]})
    with pytest.raises(framing.DataError, match="bias"):
        sample_for_validation(df, 2, strata=["bias", "predicted"])
    with pytest.raises(framing.DataError, match="too small"):
        sample_for_validation(df, 1, labels=["hedged_attribution"])
    with pytest.raises(framing.DataError, match="larger than"):
        sample_for_validation(df, 3, labels=["hedged_attribution"], min_per_stratum=0)


def test_context_is_the_neighbouring_sentences_of_the_same_paragraph() -> None:
    p = add_context(framing.segment(framing.load_demo_corpus()))
    for i in range(1, 40):
        same = p.loc[i, "doc_id"] == p.loc[i - 1, "doc_id"] and p.loc[i, "paragraph"] == p.loc[i - 1, "paragraph"]
        assert (p.loc[i, "before"] == p.loc[i - 1, "text"][:400].rstrip("…")[:len(p.loc[i, "before"].rstrip("…"))]) \
            if same else p.loc[i, "before"] == ""


def test_context_without_an_index_follows_the_row_order_within_each_document() -> None:
    seg = framing.segment(framing.load_demo_corpus())
    with_index = add_context(seg)
    own = add_context(seg.drop(columns=["index"]))  # a table of one's own passages, in document order
    assert "index" not in own.columns
    assert own["before"].tolist() == with_index["before"].tolist()
    assert own["after"].tolist() == with_index["after"].tolist()
