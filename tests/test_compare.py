"""The comparison statistics on synthetic data with known answers: a planted outlet difference
is found, none is found under the null at about the nominal rate, and intervals cover at about
their level; the corrections for classifier error remove a planted bias. Plus bad input."""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from framing.compare import (adjust_pvalues, compare_outlets, error_rates, event_rates, label_rates,
                             paired_differences, rogan_gladen)
from framing.errors import DataError
from framing.sampling import sample_for_validation
from framing.simulate import simulate_same_events


def simulate(rng: np.random.Generator, *, n_events: int = 30, delta: float = 0.0, doc_sd: float = 0.04,
             fnr: dict[str, float] | None = None, fpr: float = 0.0) -> pd.DataFrame:
    """Two outlets, A and B, on the same events, with a known within-event difference
    ``delta`` (:func:`framing.simulate.simulate_same_events`, which the S1 experiment uses too):
    ``y`` is the true label, ``x`` the classifier's, missing a positive with probability
    ``fnr[outlet]`` and inventing one with probability ``fpr``."""
    return simulate_same_events(n_events=n_events, delta=delta, doc_sd=doc_sd, miss_rate=fnr,
                                false_alarm_rate=fpr, random_state=rng)


def test_planted_difference_is_found() -> None:
    df = simulate(np.random.default_rng(1), n_events=60, delta=0.08)
    out = paired_differences(df, labels=["x"], n_boot=1000, n_perm=2000)
    row = out.iloc[0]
    assert (row.outlet_a, row.outlet_b, row.n_events) == ("A", "B", 60)
    assert row.ci_low > 0 and row.ci_low < 8 < row.ci_high
    assert row.p_value < 0.01 and row.fe_p_value < 0.01
    assert 0 < row.fe_ci_low and row.fe_ci_high > 0


def test_no_difference_under_the_null_at_about_the_nominal_rate_and_intervals_cover() -> None:
    rng = np.random.default_rng(7)
    sims = 200
    reject = fe_reject = covered = 0
    for s in range(sims):
        df = simulate(rng, n_events=25, delta=0.0)
        row = paired_differences(df, labels=["x"], n_boot=400, n_perm=400, random_state=s).iloc[0]
        reject += row.p_value < 0.05
        fe_reject += row.fe_p_value < 0.05
        covered += row.ci_low <= 0 <= row.ci_high
    # binomial(200, 0.05): 95 % of runs fall within 4-16 rejections
    assert 2 <= reject <= 18, reject
    assert 2 <= fe_reject <= 20, fe_reject
    assert 0.90 <= covered / sims <= 0.99, covered / sims


def test_interval_covers_a_planted_nonzero_difference() -> None:
    rng = np.random.default_rng(11)
    sims = 200
    covered = sum(
        (lambda r: r.ci_low <= 6 <= r.ci_high)(
            paired_differences(simulate(rng, n_events=25, delta=0.06), labels=["x"], n_boot=400, n_perm=100,
                               random_state=s).iloc[0])
        for s in range(sims))
    assert 0.90 <= covered / sims <= 0.99, covered / sims


def test_rate_intervals_resample_documents_and_cover() -> None:
    """With strong within-document correlation, document-cluster intervals cover the true rate
    at about 95 %, where intervals that treated sentences as independent would not."""
    rng = np.random.default_rng(3)
    sims, covered, widths, naive_widths = 200, 0, [], []
    for s in range(sims):
        docs = []
        for d in range(30):
            p = 0.2 + rng.uniform(-0.15, 0.15)
            n = int(rng.integers(10, 40))
            docs += [{"doc_id": f"d{d}", "outlet": "A", "x": int(v)} for v in rng.random(n) < p]
        df = pd.DataFrame(docs)
        r = label_rates(df, labels=["x"], n_boot=400, random_state=s).iloc[0]
        covered += r.ci_low <= 0.2 <= r.ci_high
        widths.append(r.ci_high - r.ci_low)
        naive_widths.append(2 * 1.96 * np.sqrt(r.rate * (1 - r.rate) / r.n_passages))
    assert 0.90 <= covered / sims <= 0.99, covered / sims
    assert np.mean(widths) > 1.3 * np.mean(naive_widths)


def test_gold_sample_correction_removes_a_planted_bias() -> None:
    """The classifier misses 40 % of A's positives and 5 % of B's: the naive difference is
    biased towards B, the prediction-powered one is not, and its interval covers."""
    rng = np.random.default_rng(5)
    sims = 120
    naive_cover = corr_cover = 0
    naive_est, corr_est = [], []
    for s in range(sims):
        df = simulate(rng, n_events=25, delta=0.05, fnr={"A": 0.4, "B": 0.05}, fpr=0.01)
        gold = sample_for_validation(df.rename(columns={"x": "state_claim_uncritical"}), 400,
                                     strata=["outlet", "predicted"], labels=["state_claim_uncritical"],
                                     random_state=s)
        gold = gold.assign(x=gold["y"])[["doc_id", "start", "x", "inclusion_prob"]]
        row = paired_differences(df, labels=["x"], gold=gold, n_boot=400, n_perm=200, random_state=s).iloc[0]
        naive_cover += row.ci_low <= 5 <= row.ci_high
        corr_cover += row.corrected_ci_low <= 5 <= row.corrected_ci_high
        naive_est.append(row["diff"])
        corr_est.append(row.diff_corrected)
    assert abs(np.mean(corr_est) - 5) < 0.6, np.mean(corr_est)
    assert np.mean(naive_est) < 0  # the planted bias: A's misses outweigh its real excess
    assert 0.88 <= corr_cover / sims <= 0.99, corr_cover / sims
    assert naive_cover / sims < 0.5


def test_corrected_rates_are_unbiased_and_gold_is_counted() -> None:
    rng = np.random.default_rng(9)
    est, cover = [], 0
    for s in range(100):
        df = simulate(rng, n_events=20, delta=0.0, fnr={"A": 0.5, "B": 0.5})
        truth = df.groupby("outlet")["y"].mean()
        gold = sample_for_validation(df.rename(columns={"x": "hedged_attribution"}), 300,
                                     labels=["hedged_attribution"], random_state=s)
        gold = gold.assign(x=gold["y"])[["doc_id", "start", "x", "inclusion_prob", "stratum", "stratum_size"]]
        r = label_rates(df, labels=["x"], gold=gold, n_boot=300, random_state=s).set_index("outlet")
        assert r["n_gold"].sum() == 300
        est.append(r.loc["A", "rate_corrected"] - truth["A"])
        cover += r.loc["A", "corrected_ci_low"] <= df.loc[df.outlet == "A", "y"].mean() <= r.loc["A", "corrected_ci_high"]
    assert abs(np.mean(est)) < 0.01, np.mean(est)
    assert cover >= 85, cover


def test_sign_flip_p_value_is_exact_for_few_events() -> None:
    df = pd.DataFrame({"doc_id": [f"{o}{e}" for e in range(4) for o in "AB"],
                       "outlet": list("AB" * 4), "event_id": [f"e{e}" for e in range(4) for _ in "AB"],
                       "x": [1, 0, 1, 0, 1, 0, 0, 1]})
    row = paired_differences(df, labels=["x"], n_perm=10000).iloc[0]
    d = np.array([100, 100, 100, -100])
    stats = [abs(sum(s * d)) for s in itertools.product((1, -1), repeat=4)]
    assert row.p_value == pytest.approx(np.mean([t >= abs(d.sum()) for t in stats]))
    assert row["diff"] == pytest.approx(50.0)


def test_fixed_effects_check_matches_statsmodels() -> None:
    sm = pytest.importorskip("statsmodels.api")
    df = simulate(np.random.default_rng(2), n_events=15, delta=0.05)
    row = paired_differences(df, labels=["x"], n_perm=100).iloc[0]
    X = pd.get_dummies(df["event_id"], dtype=float)
    X.insert(0, "a", (df["outlet"] == "A").astype(float))
    fit = sm.OLS(df["x"].astype(float), X).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(df["event_id"])[0]})
    assert row.fe_diff == pytest.approx(fit.params["a"] * 100, rel=1e-9)
    # statsmodels counts the event dummies in its small-sample factor (N-1)/(N-K); we, like
    # reghdfe, do not count effects nested in the clusters; and we use t with G-1 degrees of freedom
    from scipy import stats

    n, k, g = len(df), X.shape[1], df["event_id"].nunique()
    ratio = np.sqrt(((n - 1) / (n - k)) / ((n - 1) / (n - 2)))
    our_se = (row.fe_ci_high - row.fe_diff) / 100 / stats.t.ppf(0.975, g - 1)
    assert our_se == pytest.approx(fit.bse["a"] / ratio, rel=1e-6)


def test_adjusted_p_values_match_statsmodels() -> None:
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    p = np.random.default_rng(0).random(12) ** 2
    for ours, theirs in (("holm", "holm"), ("bh", "fdr_bh")):
        assert np.allclose(adjust_pvalues(p, ours), multitest.multipletests(p, method=theirs)[1])


def test_rogan_gladen_recovers_the_true_rate() -> None:
    rng = np.random.default_rng(4)
    y = rng.random((20000, 1)) < 0.15
    se, sp = 0.6, 0.97
    x = np.where(y, rng.random(y.shape) < se, rng.random(y.shape) >= sp)
    df = pd.DataFrame({"doc_id": np.arange(len(y)) // 10, "outlet": "A", "x": x[:, 0].astype(int)})
    test_y = rng.random((3000, 1)) < 0.3
    test_x = np.where(test_y, rng.random(test_y.shape) < se, rng.random(test_y.shape) >= sp)
    er = error_rates(test_y.astype(int), test_x.astype(int), labels=["x"], n_boot=300)
    r = label_rates(df, labels=["x"], error_rates=er, n_boot=300).iloc[0]
    assert abs(r.rate - 0.15) > 0.025  # the naive rate is off
    assert r.rogan_gladen_ci_low <= 0.15 <= r.rogan_gladen_ci_high
    assert float(rogan_gladen(0.5, 0.5, 0.5)) != float(rogan_gladen(0.5, 0.5, 0.5))  # NaN: no information


def test_rows_in_equal_rows_counted_and_notes_say_what_was_left_out() -> None:
    df = simulate(np.random.default_rng(6), n_events=6)
    extra = pd.DataFrame({"doc_id": ["C0"], "outlet": ["C"], "event_id": ["solo"], "start": [0], "x": [0], "y": [0]})
    df = pd.concat([df, extra], ignore_index=True)
    df["never"] = 0
    res = compare_outlets(df, labels=["x", "never"], pairs=[("A", "B"), ("A", "Z")], n_boot=50, n_perm=50)
    assert res.rates.groupby("label")["n_passages"].sum().eq(len(df)).all()
    notes = " ".join(res.notes)
    assert "'Z' has no passages" in notes
    assert "covered by one outlet only" in notes
    assert "'never' is never predicted" in notes
    assert set(res.pairs["outlet_b"]) == {"B"}
    ev = event_rates(df, labels=["x"])
    assert ev["n_passages"].sum() == len(df)


def test_missing_grouping_column_is_an_error_naming_it() -> None:
    df = simulate(np.random.default_rng(0), n_events=3)
    with pytest.raises(DataError, match="outlte"):
        label_rates(df, by=("outlte",), labels=["x"])
    with pytest.raises(DataError, match="event"):
        paired_differences(df.drop(columns="event_id"), labels=["x"])


def test_missing_group_values_form_their_own_group_with_a_note() -> None:
    df = simulate(np.random.default_rng(0), n_events=3)
    df.loc[df["doc_id"].str.startswith("B"), "outlet"] = None
    out = label_rates(df, labels=["x"], n_boot=20)
    assert "(missing)" in set(out["outlet"])
    assert any("have no 'outlet'" in n for n in out.attrs["notes"])


def test_gold_sample_problems() -> None:
    df = simulate(np.random.default_rng(0), n_events=5)
    gold = df.sample(30, random_state=0)[["doc_id", "start"]].assign(x=1)
    with pytest.raises(DataError, match="inclusion_prob"):
        label_rates(df, labels=["x"], gold=gold)
    out = label_rates(df, labels=["x"], gold=gold, assume_srs=True, n_boot=20)
    assert any("simple random sample" in n for n in out.attrs["notes"])
    stray = pd.concat([gold, pd.DataFrame({"doc_id": ["nope"], "start": [0], "x": [1]})]).assign(inclusion_prob=0.01)
    with pytest.warns(UserWarning, match="not in the labelled data"):
        out = label_rates(df, labels=["x"], gold=stray, n_boot=20)
    assert out["n_gold"].sum() == 30
    assert any("1 of 31 gold passages" in n for n in out.attrs["notes"])
    with pytest.raises(DataError, match="inclusion probability"):
        label_rates(df, labels=["x"], gold=gold.assign(inclusion_prob=0.0))
    with pytest.raises(DataError, match="no label column 'x'"):
        label_rates(df, labels=["x"], gold=gold.drop(columns="x").assign(inclusion_prob=0.1))


def test_wire_copies_can_be_left_out() -> None:
    df = simulate(np.random.default_rng(0), n_events=4)
    df["duplicate_of"] = np.where(df["doc_id"] == "A0-0", "B0-0", None)
    out = label_rates(df, labels=["x"], exclude_duplicates=True, n_boot=20)
    assert out["n_passages"].sum() == len(df) - int((df["doc_id"] == "A0-0").sum())
    assert any("wire copy left out: 1 documents" in n for n in out.attrs["notes"])
    with pytest.raises(DataError, match="duplicate_of"):
        label_rates(df.drop(columns="duplicate_of"), labels=["x"], exclude_duplicates=True)


def test_same_seed_same_numbers() -> None:
    df = simulate(np.random.default_rng(0), n_events=10, delta=0.05)
    a = paired_differences(df, labels=["x"], random_state=3, n_boot=200, n_perm=200)
    b = paired_differences(df, labels=["x"], random_state=3, n_boot=200, n_perm=200)
    pd.testing.assert_frame_equal(a, b)


def test_one_reading_per_gold_passage_and_some_must_match() -> None:
    df = simulate(np.random.default_rng(0), n_events=5)
    gold = df.sample(20, random_state=0)[["doc_id", "start"]].assign(x=1, inclusion_prob=0.05)
    with pytest.raises(DataError, match="read more than once"):
        label_rates(df, labels=["x"], gold=pd.concat([gold, gold]))
    with pytest.raises(DataError, match="none of the 20 gold passages"):
        label_rates(df, labels=["x"], gold=gold.assign(doc_id=[f"elsewhere{i}" for i in range(len(gold))]))


def test_no_interval_from_one_unit_and_a_bound_for_zero_counts() -> None:
    df = pd.DataFrame({"doc_id": ["a", "a", "b", "c", "d"], "outlet": ["X", "X", "Y", "Y", "Y"], "x": [1, 0, 0, 0, 0]})
    r = label_rates(df, labels=["x"], n_boot=100).set_index("outlet")
    assert np.isnan(r.loc["X", "ci_low"]) and np.isnan(r.loc["X", "ci_high"])  # one document
    assert r.loc["Y", "rate"] == 0 and r.loc["Y", "ci_low"] == 0
    assert r.loc["Y", "ci_high"] == pytest.approx(1 - 0.025 ** (1 / 3))  # rule of three on 3 documents


def test_adjustment_family_leaves_out_what_cannot_be_tested() -> None:
    df = simulate(np.random.default_rng(1), n_events=12, delta=0.1)
    df["never"] = 0
    solo = pd.DataFrame({"doc_id": ["C0", "D0"], "outlet": ["C", "D"], "event_id": ["e0", "e0"], "start": [0, 0],
                         "x": [1, 0], "y": [0, 0], "never": [0, 0]})
    out = paired_differences(pd.concat([df, solo], ignore_index=True), labels=["x", "never"], n_boot=100, n_perm=500)
    testable = out[out["testable"]]
    assert set(testable["label"]) == {"x"} and (testable["n_events"] >= 2).all()
    assert out.loc[~out["testable"], "p_adjusted"].isna().all()
    cd = out[(out["outlet_a"] == "C") & (out["outlet_b"] == "D") & (out["label"] == "x")].iloc[0]
    assert cd["n_events"] == 1 and np.isnan(cd["ci_low"]) and np.isnan(cd["p_value"])
    raw = testable["p_value"].to_numpy()
    assert np.allclose(np.sort(testable["p_adjusted"]), np.sort(adjust_pvalues(raw, "holm")))
