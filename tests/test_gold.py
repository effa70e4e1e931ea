"""The gold set: loader, checksums, counts, splits, agreement."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing
from framing.agreement import _reference_alpha, alpha_per_label, krippendorff_alpha
from framing.errors import DataError, MissingDataError
from framing.corpus import iter_jsonl
from framing.gold import GOLD_PATH

from .conftest import ROOT


def test_krippendorff_published_examples() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": nominal example
    # with four observers and missing values, alpha = 0.743; binary example, alpha = 0.095
    n = None
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
            [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
    binary = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    for alpha in (krippendorff_alpha, _reference_alpha):  # the krippendorff package and the hand-written one
        assert round(alpha(data), 3) == 0.743
        assert round(alpha(binary), 3) == 0.095
    same = pd.DataFrame({"x": [1, 0, 1]})
    assert alpha_per_label(same, same, ["x"])["alpha"].iloc[0] == 1.0


def test_krippendorff_package_matches_the_hand_written_alpha() -> None:
    rng = np.random.default_rng(0)
    for _ in range(300):
        coders, units, values = rng.integers(2, 6), rng.integers(2, 40), rng.integers(2, 5)
        data = rng.integers(0, values, size=(coders, units)).astype(object)
        data[rng.random((coders, units)) < 0.35] = None  # missing values
        expected = _reference_alpha(data)
        got = krippendorff_alpha(data)
        assert got == pytest.approx(expected, abs=1e-9) or (np.isnan(got) and np.isnan(expected))
    names = [["a", "b", None, "a"], ["a", "b", "b", None]]  # any hashable values, as before
    assert krippendorff_alpha(names) == pytest.approx(_reference_alpha(names)) == 1.0
    for degenerate in ([[1, 1], [1, 1]], [[1, None], [None, 1]], [[0, 1], [None, None]]):
        assert np.isnan(krippendorff_alpha(degenerate)) and np.isnan(_reference_alpha(degenerate))


def test_f1_between_passes_is_symmetric_and_counts_shared_positives() -> None:
    a = pd.DataFrame({"x": [1, 1, 1, 0, 0], "y": [0, 0, 0, 0, 0]})
    b = pd.DataFrame({"x": [1, 0, 0, 1, 0], "y": [0, 0, 0, 0, 0]})
    ab = alpha_per_label(a, b, ["x", "y"]).set_index("label")["f1"]
    assert ab["x"] == pytest.approx(2 * 1 / (3 + 2))  # one shared positive of 3 and 2
    assert alpha_per_label(b, a, ["x"])["f1"].iloc[0] == ab["x"]
    assert pd.isna(ab["y"])  # no positive in either pass


def test_seed_gold_loads_without_corpora(tmp_path: Path) -> None:
    seeds = framing.load_gold(corpora=["seeds"], data_home=tmp_path)
    assert len(seeds) == 364
    assert (seeds["sampling"] == "census:seeds").all()


def test_missing_corpora_error(tmp_path: Path) -> None:
    with pytest.raises(MissingDataError) as exc:
        framing.load_gold(data_home=tmp_path)
    assert "FRAMING_DATA" in str(exc.value) and str(tmp_path) in str(exc.value)


def test_checksum_failure_names_row(tmp_path: Path, corpora_home: Path) -> None:
    lines = gzip.decompress(GOLD_PATH.read_bytes()).decode("utf-8").splitlines()
    first_ext = next(i for i, line in enumerate(lines) if json.loads(line)["text"] is None)
    rec = json.loads(lines[first_ext])
    rec["sha1"] = "0" * 40
    lines[first_ext] = json.dumps(rec)
    bad = tmp_path / "gold.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="checksum") as exc:
        framing.load_gold(path=bad, data_home=corpora_home)
    assert exc.value.row == first_ext + 1 and exc.value.field == "sha1"


def test_counts_and_composition(gold: pd.DataFrame) -> None:
    external = gold[gold["corpus"] != "seeds"]
    assert len(external) >= 3000
    assert (gold["corpus"] == "seeds").sum() == 364
    for label in ("state_claim_uncritical", "hedged_attribution", "speculative_motive"):
        assert gold[label].sum() >= 150, label
    assert gold["forced_confession_noted"].sum() >= 20
    # the keyword-searched rounds keep a third drawn at random; every active round keeps a random
    # control slice of about 15 % (what reading without the model would have given)
    searched = external[~external["sampling"].str.startswith("active:")]
    assert searched["sampling"].str.startswith("random").mean() >= 0.30
    active = external[external["sampling"].str.startswith("active:")]
    for round_, part in active.groupby(active["sampling"].str.split(":").str[1]):
        assert part["sampling"].str.endswith(":random").mean() >= 0.12, round_
    # validation-sample documents are never training data, nor dev/test documents drawn actively
    assert set(active["split"]) <= {"train"}
    validation = {(r["corpus"], r["doc_id"]) for f in (ROOT / "data" / "annotations" / "validation").glob("*.jsonl")
                  for r in map(json.loads, f.read_text().splitlines())}
    assert not validation & set(zip(active["corpus"], active["doc_id"]))
    assert set(gold.columns) >= {"text", "labels", "corpus", "doc_id", "outlet", "split", "sampling"}
    for row in gold.head(50).itertuples():
        assert sorted(row.labels) == sorted(lab for lab in framing.LABEL_NAMES if getattr(row, lab))


def test_splits_are_document_grouped_and_fixed(gold: pd.DataFrame) -> None:
    per_doc = gold.groupby(["corpus", "doc_id"])["split"].nunique()
    assert (per_doc == 1).all()
    recorded = pd.read_csv(ROOT / "data" / "annotations" / "splits.csv", dtype=str)
    merged = gold[["corpus", "doc_id", "split"]].drop_duplicates().merge(recorded, on=["corpus", "doc_id"],
                                                                         how="left", suffixes=("", "_recorded"))
    assert (merged["split"] == merged["split_recorded"]).all()
    assert set(gold["split"]) == {"train", "dev", "test"}
    for split in ("dev", "test"):
        assert gold.loc[gold["split"] == split, "forced_confession_noted"].sum() >= 1


def test_agreement_results_match_annotation_files() -> None:
    metrics = json.loads((ROOT / "results" / "agreement" / "metrics.json").read_text())
    assert metrics["n_units"] == 300
    labels_dir = ROOT / "data" / "annotations" / "labels"
    pass1 = {}
    for f in labels_dir.glob("*.pass1.jsonl"):
        for line in f.read_text().splitlines():
            rec = json.loads(line)
            pass1[rec["id"]] = rec["labels"]
    pass2 = {json.loads(line)["id"]: json.loads(line)["labels"] for line in (labels_dir / "agreement.pass2.jsonl").read_text().splitlines()}
    ids = sorted(pass2)
    a = pd.DataFrame([{lab: int(lab in pass1[i]) for lab in framing.LABEL_NAMES} for i in ids], index=ids)
    b = pd.DataFrame([{lab: int(lab in pass2[i]) for lab in framing.LABEL_NAMES} for i in ids], index=ids)
    alpha = alpha_per_label(a, b, framing.LABEL_NAMES).set_index("label")["alpha"]
    for label, value in metrics["alpha"].items():
        assert alpha[label] == pytest.approx(value, abs=1e-4)
    adjudicated = [json.loads(line) for line in (ROOT / "data" / "annotations" / "agreement" / "adjudication.jsonl").read_text().splitlines()]
    assert len(adjudicated) == metrics["n_disagreements"]


def _pass_labels(pattern: str) -> dict[str, list[str]]:
    out = {}
    for f in (ROOT / "data" / "annotations" / "labels").glob(pattern):
        for line in f.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            out[rec["id"]] = rec["labels"]
    return out


def test_dev_test_readings_decide_the_gold_labels() -> None:
    """Every dev/test sentence is read twice; a third blind reading decides by majority."""
    gold = list(iter_jsonl(GOLD_PATH))
    first, second, third = _pass_labels("*.pass1.jsonl"), _pass_labels("pass2_*.pass2.jsonl"), _pass_labels("pass3_*.pass3.jsonl")
    agreement = _pass_labels("agreement.pass2.jsonl")
    seen = {"pass1+pass2": 0, "majority-of-3": 0}
    for rec in gold:
        i = rec["item_id"]
        if rec["split"] == "train":
            assert i not in second and i not in third
            continue
        if i in agreement:
            continue
        assert i in second, f"{i}: dev/test sentence without a second reading"
        if sorted(first[i]) == sorted(second[i]):
            assert i not in third and rec["annotator_pass"] == "pass1+pass2"
            assert sorted(rec["labels"]) == sorted(first[i])
        else:
            assert rec["annotator_pass"] == "majority-of-3"
            votes = [first[i], second[i], third[i]]
            assert sorted(rec["labels"]) == sorted(lab for lab in framing.LABEL_NAMES
                                                   if sum(lab in v for v in votes) >= 2)
        seen[rec["annotator_pass"]] += 1
    assert seen["pass1+pass2"] > 0 and seen["majority-of-3"] > 0


def test_dev_test_agreement_results_match_annotation_files() -> None:
    metrics = json.loads((ROOT / "results" / "agreement" / "metrics.json").read_text())["dev_test"]
    first, second = _pass_labels("*.pass1.jsonl"), _pass_labels("pass2_*.pass2.jsonl")
    ids = sorted(second)
    a = pd.DataFrame([{lab: int(lab in first[i]) for lab in framing.LABEL_NAMES} for i in ids], index=ids)
    b = pd.DataFrame([{lab: int(lab in second[i]) for lab in framing.LABEL_NAMES} for i in ids], index=ids)
    table = alpha_per_label(a, b, framing.LABEL_NAMES).set_index("label")
    assert metrics["all"]["n_units"] == len(ids)
    assert metrics["all"]["n_disagreements"] == int((a != b).any(axis=1).sum())
    assert metrics["n_third_readings"] == len(_pass_labels("pass3_*.pass3.jsonl"))
    for label in framing.LABEL_NAMES:
        assert metrics["all"]["alpha"][label] == pytest.approx(table.loc[label, "alpha"], abs=1e-4)
        assert metrics["all"]["f1_first_vs_second"][label] == pytest.approx(table.loc[label, "f1"], abs=1e-4)
