"""Pipeline (rows in == rows out, batching), comparison tables, evaluation helpers, API hygiene."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import framing
from framing.compare import label_rates
from framing.evaluate import cluster_bootstrap, evaluate_predictions, prf
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
    assert rates.set_index("outlet")["rate"].to_dict() == {"(unknown)": 1.0, "A": 0.5}


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


def test_public_api_is_small_and_import_has_no_side_effects() -> None:
    assert len(framing.__all__) <= 30
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
