"""Labelling on Dask (a distributed.LocalCluster with 2 worker processes) equals the pandas path,
rows in == rows out, partitioned Parquet round trips, and bad input at scale names its place."""
from __future__ import annotations

import gc
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import framing.dask as fdask  # noqa: E402

LABEL_COLUMNS = [*framing.LABEL_NAMES, *[f"p_{n}" for n in framing.LABEL_NAMES], "evidence"]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  memory_limit="3GiB") as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def docs(demo_docs: pd.DataFrame) -> pd.DataFrame:
    # the demo corpus with a column of the user's own and a document without passages
    extra = pd.DataFrame([{"doc_id": "empty", "text": "", "corpus": "seeds"}])
    return pd.concat([demo_docs, extra], ignore_index=True).assign(bias=lambda d: [f"b{i}" for i in range(len(d))])


def _as_dask(frame: pd.DataFrame, n: int):
    with __import__("dask").config.set({"dataframe.convert-string": False}):  # keep meta dicts as dicts
        return dd.from_pandas(frame, npartitions=n, sort=False)


def test_label_documents_on_dask_equals_pandas(client, docs: pd.DataFrame, pretrained) -> None:
    ddf = _as_dask(docs, 3)
    assert ddf.npartitions == 3
    lazy = framing.label_documents(ddf)
    assert isinstance(lazy, dd.DataFrame)
    got = lazy.compute().reset_index(drop=True)
    expected = framing.label_documents(docs, pretrained)
    assert len(got) == len(framing.segment(docs)) == len(expected)  # rows in == rows out
    pd.testing.assert_frame_equal(got, expected)
    assert list(lazy.columns) == list(expected.columns)
    assert lazy._meta.dtypes.to_dict() == got.dtypes.to_dict()  # meta is what the partitions give
    assert got["bias"].tolist() == got["doc_id"].map(docs.set_index("doc_id")["bias"]).tolist()


def test_label_passages_on_dask_equals_pandas(client, pretrained) -> None:
    texts = ["The FSB claimed he was a spy.", "", None, "x" * 10_000, "He reportedly left.", "Президент заявил."] * 5
    passages = pd.DataFrame({"text": pd.Series(texts, dtype=object), "k": range(len(texts))})
    lazy = framing.label_passages(_as_dask(passages, 4), batch_size=7)
    got = lazy.compute().reset_index(drop=True)
    expected = framing.label_passages(passages, pretrained, batch_size=7)
    pd.testing.assert_frame_equal(got, expected)
    assert got["k"].tolist() == list(range(len(texts)))
    assert lazy._meta.dtypes.to_dict() == got.dtypes.to_dict()
    with pytest.raises(framing.DataError, match="which labelling writes"):
        framing.label_passages(_as_dask(passages.assign(hedged_attribution=1), 2))  # before any compute


def test_own_model_travels_as_skops_not_pickle(client) -> None:
    X = ["It rained in Baku.", "Storms hit Moscow.", "The ministry met.", "Talks were held."] * 4
    clf = framing.FramingClassifier(min_df=1, threshold=0.5, use_cues=False, labels=["weather"]).fit(
        X, [[1], [1], [0], [0]] * 4)
    passages = pd.DataFrame({"text": X})
    got = framing.label_passages(_as_dask(passages, 2), clf).compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(got, framing.label_passages(passages, clf))
    ref = fdask._ModelRef(clf)
    assert ref.data[:2] == b"PK" and ref.key.startswith("skops:")  # a skops zip


def test_partitioned_parquet_round_trip(client, docs: pd.DataFrame, tmp_path: Path, pretrained) -> None:
    src = tmp_path / "corpus"
    src.mkdir()
    plain = docs.drop(columns=["meta"])
    for i, rows in enumerate(np.array_split(np.arange(len(plain)), 3)):
        plain.iloc[rows].to_parquet(src / f"part.{i}.parquet", index=False)
    ddf = fdask.read_corpus(src, corpus="seeds")
    assert ddf.npartitions == 3
    read = ddf.compute()
    assert len(read) == len(docs) and read["doc_id"].tolist() == docs["doc_id"].tolist()
    assert [m["bias"] for m in read["meta"]] == docs["bias"].tolist()  # unknown columns fold into meta
    out = tmp_path / "labelled"
    fdask.to_parquet(framing.label_documents(ddf), out)
    written = pd.read_parquet(out)
    expected = framing.label_documents(framing.read_corpus(src / "part.0.parquet", corpus="seeds"), pretrained)
    assert len(written) == len(framing.segment(framing.read_corpus(plain, corpus="seeds")))
    first = written[written["doc_id"].isin(expected["doc_id"])].reset_index(drop=True)
    assert first["passage_id"].tolist() == expected["passage_id"].tolist()
    assert (first[list(framing.LABEL_NAMES)].to_numpy() == expected[list(framing.LABEL_NAMES)].to_numpy()).all()
    assert json.loads(first["meta"].iloc[0])["bias"] == expected["meta"].iloc[0]["bias"]
    # a labelled table read back as passages, labelled again: the same number of rows
    table = fdask.read_table(out)
    assert table.npartitions == 3 and len(table) == len(written)


def test_a_corrupt_partition_names_its_file(client, docs: pd.DataFrame, tmp_path: Path) -> None:
    src = tmp_path / "corpus"
    src.mkdir()
    docs.drop(columns=["meta"]).iloc[:3].to_parquet(src / "part.0.parquet", index=False)
    (src / "part.1.parquet").write_bytes(b"PAR1 this is not parquet PAR1")
    ddf = fdask.read_corpus(src)
    with pytest.raises(framing.DataError, match="part.1.parquet") as exc:
        framing.label_documents(ddf).compute()
    assert exc.value.path.endswith("part.1.parquet")


def test_a_wrong_column_type_names_file_row_and_field(client, tmp_path: Path) -> None:
    src = tmp_path / "corpus"
    src.mkdir()
    pd.DataFrame({"doc_id": ["a", "b"], "text": ["One. Two.", "Three."]}).to_parquet(src / "part.0.parquet")
    pd.DataFrame({"doc_id": ["c", "d"], "text": [4, 5]}).to_parquet(src / "part.1.parquet")  # ints, not text
    with pytest.raises(framing.DataError, match="text must be a string") as exc:
        fdask.read_corpus(src).compute()
    assert exc.value.path.endswith("part.1.parquet") and exc.value.row == 1 and exc.value.field == "text"
    coerced = fdask.read_corpus(src, errors="coerce").compute()
    assert coerced["text"].tolist() == ["One. Two.", "Three.", "4", "5"]  # no row lost


def test_a_bad_row_in_a_dask_partition_names_partition_and_row(client) -> None:
    docs = pd.DataFrame({"doc_id": list("abcdef"), "text": ["One.", "Two.", "Three.", "Four.", None, "Six."]})
    with pytest.raises(framing.DataError, match="text is missing") as exc:
        framing.label_documents(_as_dask(docs, 3)).compute()
    assert exc.value.partition == 2 and exc.value.row == 1 and exc.value.field == "text"
    assert "partition 2, row 1" in str(exc.value)


def test_a_10_mb_document_in_a_partition_loses_no_row(client, tmp_path: Path) -> None:
    sentence = "The ministry claimed, without evidence, that the network was run from abroad. "
    big = sentence * (10_000_000 // len(sentence) + 1)
    assert len(big) >= 10_000_000
    pd.DataFrame({"doc_id": ["small", "big"], "text": ["One. Two.", big]}).to_parquet(tmp_path / "a.parquet")
    pd.DataFrame({"doc_id": ["after"], "text": ["Last one."]}).to_parquet(tmp_path / "b.parquet")
    got = framing.label_documents(fdask.read_corpus(tmp_path), evidence=False).compute()
    n_big = len(framing.sentence_spans(big))
    assert n_big > 100_000
    assert got["doc_id"].value_counts().to_dict() == {"big": n_big, "small": 2, "after": 1}
    assert (got.loc[got["doc_id"] == "big", "hedged_attribution"] == 1).all()


def test_worker_plugin_loads_the_model_and_freezes_gc(client) -> None:
    client.register_plugin(fdask.worker_plugin())
    state = client.run(lambda: (gc.get_freeze_count() > 0, "pretrained" in __import__("framing.dask").dask._MODELS))
    assert len(state) == 2 and all(frozen and loaded for frozen, loaded in state.values())


def test_missing_extra_message_names_the_install() -> None:
    assert "pip install 'framing[dask]'" in fdask._INSTALL
