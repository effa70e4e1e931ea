"""Pipeline (rows in == rows out, batching), comparison tables, evaluation helpers, API hygiene."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import framing
from framing.compare import label_rates
from framing.evaluate import cluster_bootstrap, evaluate_predictions, extrapolate_learning_curve, learning_curve, prf
from framing.pipeline import TableWriter, label_documents, label_passages


def test_label_passages_rows_in_equals_rows_out_across_batches(pretrained) -> None:
    texts = ["The FSB claimed he was a spy.", "", None, "x" * 100_000, "\U0001F525", "Президент заявил."] * 7
    out = label_passages(pd.DataFrame({"text": texts, "k": range(len(texts))}), pretrained, batch_size=5)
    assert out["k"].tolist() == list(range(len(texts)))
    whole = label_passages(pd.DataFrame({"text": texts, "k": range(len(texts))}), pretrained, batch_size=1000)
    pd.testing.assert_frame_equal(out, whole)


def test_label_documents_matches_segment(demo_docs, pretrained) -> None:
    labelled = label_documents(demo_docs, pretrained)
    assert len(labelled) == len(framing.segment(demo_docs))
    assert labelled[list(framing.LABEL_NAMES)].isin([0, 1]).all().all()


def test_table_writer_rejects_unknown_suffix(tmp_path) -> None:
    with pytest.raises(framing.DataError, match="unknown output format"):
        TableWriter(tmp_path / "x.txt")


def test_label_rates() -> None:
    df = pd.DataFrame({"outlet": ["A", "A", None], "x": [1, 0, 1]})
    rates = label_rates(df, labels=["x"])
    assert rates.set_index("outlet")["rate"].to_dict() == {"(missing)": 1.0, "A": 0.5}
    assert any("no 'doc_id' column" in n for n in rates.attrs["notes"])


def test_prf_and_macro() -> None:
    assert prf(np.array([1, 1, 0]), np.array([1, 0, 0])) == (1.0, 0.5, 2 / 3)
    scores = evaluate_predictions([[1, 0], [0, 1]], [[1, 0], [0, 0]], labels=["a", "b"], n_boot=0)
    assert scores.set_index("label").loc["macro", "f1"] == pytest.approx(0.5)


def test_cluster_bootstrap_is_deterministic_and_resamples_clusters() -> None:
    Y = np.array([[1], [1], [0], [0], [1], [0]])
    P = np.array([[1], [0], [0], [1], [1], [0]])
    a = cluster_bootstrap(Y, P, groups=[1, 1, 2, 2, 3, 3], n_boot=200, random_state=4)
    b = cluster_bootstrap(Y, P, groups=[1, 1, 2, 2, 3, 3], n_boot=200, random_state=4)
    assert np.array_equal(a, b) and a.shape == (200, 2, 3)
    scores = evaluate_predictions(Y, P, labels=["x"], groups=[1, 1, 2, 2, 3, 3], n_boot=200)
    row = scores.iloc[0]
    assert row.f1_lo <= row.f1 <= row.f1_hi


class _Memorizer:
    """Predicts label 'a' for the texts it saw with 'a' in training: F1 grows with the data."""

    def fit(self, texts, Y):
        self.pos_ = {t for t, y in zip(texts, Y) if y[0]}
        return self

    def predict(self, texts):
        return np.array([[int(t in self.pos_), 0] for t in texts])


def _curve_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    train = pd.DataFrame({"doc_id": [f"d{i // 2}" for i in range(40)], "text": [f"s{i}" for i in range(40)],
                          "a": [int(i % 3 == 0) for i in range(40)], "b": 0})
    return train, train.copy()


def test_learning_curve_repeats_are_nested_seeded_and_complete() -> None:
    train, test = _curve_data()
    kw = dict(labels=["a", "b"], fractions=(0.25, 0.5, 1.0), n_repeats=3, random_state=7)
    curve = learning_curve(_Memorizer, train, test, **kw)
    assert len(curve) == 3 * 3 * 3  # repeats x fractions x (labels + macro)
    assert list(curve.columns) == ["repeat", "fraction", "n_train", "label", "f1"]
    sizes = curve[curve["label"] == "a"].pivot(index="repeat", columns="fraction", values="n_train")
    assert (sizes[1.0] == 40).all() and (sizes[0.25] == 10).all()  # whole documents of 2 sentences
    f1 = curve[curve["label"] == "a"].pivot(index="repeat", columns="fraction", values="f1")
    assert (f1.diff(axis=1).iloc[:, 1:] >= 0).all().all()  # nested subsets: a memorizer never gets worse
    assert (f1[1.0] == 1.0).all() and f1[0.25].nunique() > 1  # repeats draw different documents
    pd.testing.assert_frame_equal(curve, learning_curve(_Memorizer, train, test, **kw))
    with pytest.raises(ValueError, match="n_repeats"):
        learning_curve(_Memorizer, train, test, labels=["a", "b"], n_repeats=0)


def test_extrapolate_learning_curve_recovers_a_log_linear_curve() -> None:
    n = np.array([100, 200, 400, 800, 1600])
    rows = [{"repeat": 0, "fraction": n_ / 1600, "n_train": n_, "label": lab, "f1": f}
            for n_ in n for lab, f in [("up", 0.1 + 0.05 * np.log2(n_)), ("flat", 0.4), ("done", 0.9)]]
    ex = extrapolate_learning_curve(pd.DataFrame(rows), target=0.8).set_index("label")
    assert ex.loc["up", "gain_per_doubling"] == pytest.approx(0.05)
    assert ex.loc["up", "r2"] == pytest.approx(1.0)
    # 0.1 + 0.05 * log2(n) = 0.8  <=>  n = 2 ** 14
    assert ex.loc["up", "n_train_for_target"] == pytest.approx(2.0 ** 14)
    assert ex.loc["up", "doublings_to_target"] == pytest.approx(14 - np.log2(1600))
    assert np.isinf(ex.loc["flat", "n_train_for_target"])
    assert ex.loc["done", "doublings_to_target"] == 0 and ex.loc["done", "n_train_for_target"] == 1600
    # min_fraction drops the small subsets from the fit
    bent = pd.DataFrame(rows).assign(f1=lambda d: np.where(d["n_train"] == 100, 0.0, d["f1"]))
    full = extrapolate_learning_curve(bent, target=0.8).set_index("label").loc["up", "gain_per_doubling"]
    cut = extrapolate_learning_curve(bent, target=0.8, min_fraction=0.1).set_index("label")
    assert full != pytest.approx(0.05) and cut.loc["up", "gain_per_doubling"] == pytest.approx(0.05)
    with pytest.raises(ValueError, match="two training sizes"):
        extrapolate_learning_curve(pd.DataFrame(rows[:3]), target=0.8)


def test_public_api_is_small_and_import_has_no_side_effects() -> None:
    assert len(framing.__all__) <= 40
    # framing's dependencies may register warning filters when imported; framing itself must
    # add no logging handlers, warning filters or global seeds on top of them
    code = ("import logging, warnings, numpy, pandas, sklearn.linear_model, sklearn.feature_extraction.text, scipy.sparse, "
            "nltk.tokenize.punkt, tqdm.auto; import random; state = random.getstate(); npstate = numpy.random.get_state()[1].copy(); "
            "before = (list(logging.getLogger().handlers), list(warnings.filters)); "
            "import framing; after = (list(logging.getLogger().handlers), list(warnings.filters)); "
            "assert before == after, (before, after); assert random.getstate() == state; "
            "assert (numpy.random.get_state()[1] == npstate).all(); print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_weighted_scores_recover_the_population_from_a_stratified_sample() -> None:
    """A population where precision is 0.5; a sample that over-draws true positives reads
    higher unweighted, and the 1/pi weights bring it back (a known answer)."""
    from framing.evaluate import evaluate_predictions

    # population: 100 TP, 100 FP, 50 FN, 750 TN -> precision 0.5, recall 2/3
    cells = {(1, 1): 100, (0, 1): 100, (1, 0): 50, (0, 0): 750}
    drawn = {(1, 1): 50, (0, 1): 10, (1, 0): 25, (0, 0): 75}  # stratified by cell, unequal rates
    Y, P, w = [], [], []
    for (t, p), n in drawn.items():
        Y += [[t]] * n
        P += [[p]] * n
        w += [cells[(t, p)] / n] * n
    raw = evaluate_predictions(Y, P, labels=["x"], n_boot=0).set_index("label")
    weighted = evaluate_predictions(Y, P, labels=["x"], n_boot=50, sample_weight=w).set_index("label")
    assert raw.loc["x", "precision"] > 0.8
    assert weighted.loc["x", "precision"] == pytest.approx(0.5)
    assert weighted.loc["x", "recall"] == pytest.approx(2 / 3)
    assert weighted.loc["x", "support"] == 75
    with pytest.raises(ValueError, match="sample_weight"):
        evaluate_predictions(Y, P, labels=["x"], sample_weight=[1.0] * 3)
