"""The classifier: estimator contract, determinism, bad input, persistence, the shipped model."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

import framing
from framing.model import CueRuleClassifier, FramingClassifier, label_matrix, load_model, save_model, tune_thresholds

X = [
    "The ministry said the network was run by Mossad.",
    "The ministry claimed, without evidence, that the plot was foreign.",
    "It rained in Baku on Tuesday.",
    "He reportedly left the country.",
    "Rights groups say his televised confession was forced.",
    "Moscow may have ordered the raids to send a message.",
] * 6
Y = [["state_claim_uncritical"], ["hedged_attribution"], [], ["hedged_attribution"],
     ["forced_confession_noted"], ["speculative_motive"]] * 6


@pytest.fixture(scope="module")
def fitted() -> FramingClassifier:
    return FramingClassifier(min_df=1, threshold=0.5).fit(X, Y)


def test_contract_init_stores_params_only() -> None:
    clf = FramingClassifier(C=2.0, ngram_range=(1, 3))
    assert clf.get_params()["C"] == 2.0
    assert not [k for k in vars(clf) if k.endswith("_")]
    assert clone(clf).get_params() == clf.get_params()
    assert clf.set_params(C=3.0) is clf and clf.C == 3.0


def test_fit_returns_self_and_learned_state(fitted: FramingClassifier) -> None:
    assert list(fitted.classes_) == list(framing.LABEL_NAMES)
    assert fitted.thresholds_.shape == (4,)
    assert len(fitted.estimators_) == 4
    P = fitted.predict(X[:6])
    assert P.shape == (6, 4) and set(np.unique(P)) <= {0, 1}
    proba = fitted.predict_proba(X[:6])
    assert ((proba >= 0) & (proba <= 1)).all()
    assert fitted.score(X, Y) > 0.9


def test_pipeline_and_grid_search() -> None:
    pipe = Pipeline([("lower", FunctionTransformer(lambda xs: [x.lower() for x in xs])),
                     ("clf", FramingClassifier(min_df=1, threshold=0.5))])
    pipe.fit(X, label_matrix(Y)[0])
    assert pipe.predict(X[:2]).shape == (2, 4)
    grid = GridSearchCV(FramingClassifier(min_df=1, threshold=0.5), {"C": [0.5, 4.0]}, cv=3)
    grid.fit(X, label_matrix(Y)[0])
    assert grid.best_params_["C"] in (0.5, 4.0)


def test_deterministic() -> None:
    a = FramingClassifier(min_df=1, random_state=3).fit(X, Y)
    b = FramingClassifier(min_df=1, random_state=3).fit(X, Y)
    assert np.array_equal(a.predict_proba(X), b.predict_proba(X))
    assert np.array_equal(a.thresholds_, b.thresholds_)


def test_dev_threshold_tuning(fitted: FramingClassifier) -> None:
    clf = FramingClassifier(min_df=1).fit(X, Y, dev=(X[:12], Y[:12]))
    assert ((clf.thresholds_ > 0) & (clf.thresholds_ < 1)).all()


def test_tune_thresholds_picks_the_best() -> None:
    Yt = np.array([[1], [1], [0], [0]])
    P = np.array([[0.9], [0.6], [0.4], [0.1]])
    assert tune_thresholds(Yt, P)[0] == pytest.approx(0.425, abs=0.03) or 0.4 < tune_thresholds(Yt, P)[0] <= 0.6


@pytest.mark.parametrize(
    "bad_inputs",
    [["", None, float("nan")], ["x" * 100_000], ["Президент заявил, что сеть управлялась Моссадом.", "伊朗外交部发言人说"],
     ["\U0001F525\U0001F525 Breaking \U0001F6A8", "   "]],
)
def test_odd_inputs_one_prediction_per_row(fitted: FramingClassifier, bad_inputs: list) -> None:
    P = fitted.predict(bad_inputs)
    assert P.shape == (len(bad_inputs), 4)
    assert fitted.predict_proba(bad_inputs).shape == (len(bad_inputs), 4)


def test_wrong_types_and_shapes(fitted: FramingClassifier) -> None:
    with pytest.raises(TypeError, match="single string"):
        fitted.predict("one string")
    with pytest.raises(TypeError, match=r"X\[1\]"):
        fitted.predict(["ok", 5])
    with pytest.raises(ValueError, match="1-D"):
        fitted.predict(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="rows"):
        FramingClassifier().fit(X, Y[:3])
    with pytest.raises(ValueError, match="unknown label"):
        FramingClassifier().fit(["a"], [["nope"]])
    assert fitted.predict([]).shape == (0, 4)
    for not_a_sequence in ({"a": 1}, {"a"}, b"bytes"):
        with pytest.raises(TypeError, match="1-D sequence"):
            fitted.predict(not_a_sequence)


def test_pandas_missing_values_are_empty_passages(fitted: FramingClassifier) -> None:
    texts = pd.array(["The ministry claimed it.", pd.NA, None], dtype="string")
    assert fitted.predict(texts).shape == (3, 4)
    assert np.array_equal(fitted.predict_proba(texts)[1], fitted.predict_proba([""])[0])
    assert fitted.explain(None) == fitted.explain("") == fitted.explain(float("nan"))
    with pytest.raises(TypeError, match="str"):
        fitted.explain(5)


def test_custom_label_set() -> None:
    clf = FramingClassifier(min_df=1, threshold=0.5, use_cues=False, labels=["rain", "other"])
    clf.fit(["It rained.", "He left.", "Rain again.", "She won."] * 3, [[1, 0], [0, 1], [1, 0], [0, 1]] * 3)
    assert list(clf.classes_) == ["rain", "other"]
    assert clf.predict(["Rain fell."]).shape == (1, 2)


def test_explain(fitted: FramingClassifier) -> None:
    ex = fitted.explain("The ministry claimed, without evidence, that the plot was foreign.")
    assert set(ex) == set(framing.LABEL_NAMES)
    hedge = ex["hedged_attribution"]
    assert {c["cue_type"] for c in hedge["cues"]} >= {"distancing_verb", "non_verification"}
    assert all(w > 0 for _, w in hedge["top_features"])


def test_explain_gives_no_codebook_cues_for_own_labels() -> None:
    clf = FramingClassifier(min_df=1, threshold=0.5, labels=["economy", "other"])
    clf.fit(["Prices rose.", "He left.", "Inflation rose.", "She won."] * 3, [[1, 0], [0, 1], [1, 0], [0, 1]] * 3)
    ex = clf.explain("Prices reportedly rose, the ministry claimed.")
    assert set(ex) == {"economy", "other"}
    assert ex["economy"]["cues"] == [] and ex["other"]["cues"] == []  # 'reportedly', 'claimed' are no evidence here
    assert ex["economy"]["top_features"]  # the features still explain the score


def test_skops_roundtrip(tmp_path: Path, fitted: FramingClassifier) -> None:
    path = save_model(fitted, tmp_path / "m.skops", card={"note": "test"})
    assert (tmp_path / "m.json").exists()
    loaded = load_model(path)
    assert np.array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    assert b"pickle" not in path.read_bytes()[:0]  # skops zip, not a pickle stream
    assert path.read_bytes()[:2] == b"PK"


def test_cue_rules_baseline() -> None:
    rules = CueRuleClassifier().fit(X, Y)
    P = rules.predict(["He allegedly confessed under torture.", "It rained."])
    assert P.tolist() == [[0, 1, 1, 0], [0, 0, 0, 0]]


def test_pretrained_contract(pretrained: FramingClassifier) -> None:
    assert list(pretrained.classes_) == ["state_claim_uncritical", "hedged_attribution", "forced_confession_noted",
                                         "speculative_motive"]
    P = pretrained.predict(["The ministry claimed, without offering evidence, that the network was run by Mossad.",
                            "It rained in Baku."])
    assert P.dtype.kind in "iu" and P.shape == (2, 4)
    assert P[0, 1] == 1 and P[1].sum() == 0


def test_ngram_vectorizer_equals_scikit_learn(tmp_path: Path) -> None:
    # Same matrices as TfidfVectorizer, also after a skops round trip that stores the
    # vocabulary as one string.
    from sklearn.feature_extraction.text import TfidfVectorizer

    from framing.features import NgramVectorizer

    train = ["The ministry said the plot was run by Mossad.", "Officials claimed it's a ‘terror’ plot.",
             "The ministry claimed the plot was foreign.", "Он сказал, что это заговор.", "the the the ministry"] * 3
    new = ["The ministry said so.", "", "Он сказал", "emoji 🙂 plot plot plot", "unseen words only", "x" * 1000]
    params = dict(ngram_range=(1, 3), min_df=1, sublinear_tf=True, token_pattern=r"(?u)\b\w[\w'\u2019-]*\b",
                  dtype=np.float32)
    ours, theirs = NgramVectorizer(**params).fit(train), TfidfVectorizer(**params).fit(train)
    from framing.features import _SEPARATOR

    for batch in (new, new + [f"plot {_SEPARATOR} plot"], ["plot"]):  # fast path, fallback, one row
        A, B = ours.transform(batch), theirs.transform(batch)
        assert A.shape == B.shape and (A != B).nnz == 0 and np.array_equal(A.indices, B.indices)
    import skops.io as sio

    sio.dump(ours, tmp_path / "v.skops")
    loaded = sio.load(tmp_path / "v.skops", trusted=["framing.features.NgramVectorizer",
                                                       "sklearn.feature_extraction.text.TfidfTransformer",
                                                       "numpy.float32", "numpy.float64", "numpy.dtype", "numpy.int64"])
    assert loaded.vocabulary_ == theirs.vocabulary_
    assert (loaded.transform(new) != theirs.transform(new)).nnz == 0
    with pytest.raises(ValueError, match="string object received"):
        ours.transform("one string")
