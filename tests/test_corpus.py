"""Corpus readers: formats, column mapping, data home, and the bad-input policy."""
from __future__ import annotations

import gzip
import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import framing
from framing.columns import DOCUMENT_COLUMNS
from framing.corpus import read_table
from framing.errors import DataError, MissingDataError, RepairWarning

ROWS = [
    {"doc_id": "a", "outlet": "TASS", "date": "2025-06-30", "title": "T1", "text": "The FSB said so. It was late."},
    {"doc_id": "b", "outlet": "OC Media", "date": None, "title": None, "text": "Baku reportedly detained two."},
    {"doc_id": "c", "outlet": None, "text": "", "extra_field": 5},
]


def write_jsonl(path: Path, rows: list[dict], gz: bool = False) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".csv", ".parquet"])
def test_formats_roundtrip_rows_in_equals_rows_out(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"corpus{suffix}"
    if suffix.startswith(".jsonl"):
        write_jsonl(path, ROWS, gz=suffix.endswith(".gz"))
    elif suffix == ".csv":
        pd.DataFrame(ROWS).to_csv(path, index=False)
    else:
        pd.DataFrame(ROWS).to_parquet(path)
    docs = framing.read_corpus(path)
    assert list(docs.columns) == list(DOCUMENT_COLUMNS)
    assert len(docs) == len(ROWS)
    assert docs["doc_id"].tolist() == ["a", "b", "c"]
    assert docs.loc[0, "outlet"] == "TASS"
    assert docs.loc[2, "text"] == ""  # empty text kept, not dropped
    assert docs.loc[0, "corpus"] == "corpus"
    assert float(docs.loc[2, "meta"]["extra_field"]) == 5  # unknown columns folded into meta


def test_txt_folder_with_metadata(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("First text. Two sentences.", encoding="utf-8")
    (tmp_path / "two.txt").write_text("Second text.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("doc_id,outlet\none,RT\n", encoding="utf-8")
    docs = framing.read_corpus(tmp_path)
    assert docs["doc_id"].tolist() == ["one", "two"]
    assert docs.loc[0, "outlet"] == "RT" and pd.isna(docs.loc[1, "outlet"])


def test_column_mapping(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [{"id": "1", "body": "Text here.", "source": "RT"}])
    docs = framing.read_corpus(path, columns={"id": "doc_id", "body": "text", "source": "outlet"})
    assert docs.loc[0, ["doc_id", "text", "outlet"]].tolist() == ["1", "Text here.", "RT"]


def test_hf_dataset_object_saved_folder_and_load_dataset_path(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_list([{"doc_id": "x", "text": "One. Two."}, {"doc_id": "y", "text": "Three."}])
    assert framing.read_corpus(ds)["doc_id"].tolist() == ["x", "y"]
    ds.save_to_disk(str(tmp_path / "saved"))
    assert len(framing.read_corpus(tmp_path / "saved")) == 2
    # the hub-name code path (datasets.load_dataset) on a local folder of data files
    folder = tmp_path / "hub_like"
    folder.mkdir()
    write_jsonl(folder / "train.jsonl", [{"doc_id": "h1", "text": "Hub text."}])
    docs = framing.read_corpus(str(folder), format="hf")
    assert docs["doc_id"].tolist() == ["h1"]


def test_missing_file_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(MissingDataError, match="no such file"):
        framing.read_corpus(tmp_path / "nope.jsonl")
    odd = tmp_path / "corpus.xyz"
    odd.write_text("x")
    with pytest.raises(DataError, match="unknown format"):
        framing.read_corpus(odd)


def test_missing_text_column_names_file_and_field(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [{"doc_id": "1", "body": "t"}])
    with pytest.raises(DataError) as exc:
        framing.read_corpus(path)
    assert exc.value.field == "text" and str(path) in str(exc.value) and "body" in str(exc.value)


@pytest.mark.parametrize("bad", [None, float("nan")])
def test_missing_text_raises_with_row_or_coerces(tmp_path: Path, bad: object) -> None:
    frame = pd.DataFrame({"doc_id": ["1", "2"], "text": ["ok", bad]})
    with pytest.raises(DataError) as exc:
        framing.read_corpus(frame)
    assert exc.value.row == 2 and exc.value.field == "text"
    with pytest.warns(UserWarning, match="repaired 1 row"):
        docs = framing.read_corpus(frame, errors="coerce")
    assert len(docs) == 2 and docs.loc[1, "text"] == ""
    assert docs.loc[1, "meta"]["framing_repairs"]


def test_non_string_text(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [{"doc_id": "1", "text": "fine"}, {"doc_id": "2", "text": 42}])
    with pytest.raises(DataError, match="must be a string") as exc:
        framing.read_corpus(path)
    assert exc.value.row == 2
    with pytest.warns(UserWarning):
        assert framing.read_corpus(path, errors="coerce").loc[1, "text"] == "42"


def test_invalid_utf8_jsonl_csv_txt(tmp_path: Path) -> None:
    jl = tmp_path / "x.jsonl"
    jl.write_bytes(b'{"doc_id": "1", "text": "ok"}\n{"doc_id": "2", "text": "El Pa\xeds informa"}\n')
    with pytest.raises(DataError, match="invalid UTF-8") as exc:
        framing.read_corpus(jl)
    assert exc.value.row == 2
    with pytest.warns(RepairWarning):
        repaired = framing.read_corpus(jl, errors="coerce")
    assert repaired.loc[1, "text"] == "El País informa"  # not "El Pa\ufffds"
    assert repaired.loc[1, "meta"]["framing_repairs"] == ["invalid UTF-8: decoded as cp1252"]
    csv = tmp_path / "x.csv"
    csv.write_bytes(b"doc_id,text\n1,ok\n2,\x93Caf\xe9\x94 au lait\n3,fine\n")
    with pytest.raises(DataError, match="line 3"):
        framing.read_corpus(csv)
    with pytest.warns(RepairWarning, match="repaired 1 row"):
        repaired = framing.read_corpus(csv, errors="coerce")
    assert repaired["text"].tolist() == ["ok", "\u201cCafé\u201d au lait", "fine"]
    assert repaired.loc[1, "meta"]["framing_repairs"] == ["invalid UTF-8: decoded as cp1252"]
    assert "framing_repairs" not in repaired.loc[2, "meta"]
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"bad \xff")
    with pytest.raises(DataError, match="a.txt"):
        framing.read_corpus(folder)


def test_coerce_decodes_other_encodings_by_detection(tmp_path: Path) -> None:
    path = tmp_path / "ru.csv"
    text = "Президент заявил что всё в порядке"
    path.write_bytes("doc_id,text\n1,".encode() + text.encode("cp1251") + b"\n")
    with pytest.warns(RepairWarning):
        docs = framing.read_corpus(path, errors="coerce")
    assert docs.loc[0, "text"] == text
    assert docs.loc[0, "meta"]["framing_repairs"] == ["invalid UTF-8: decoded as cp1251"]


def test_coerce_marks_the_right_row_after_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes(b'doc_id,text\n1,"two\n\nlines"\n2,caf\xe9\n3,ok\n')
    with pytest.warns(RepairWarning, match="row 2"):
        table = read_table(path, errors="coerce")
    assert table["text"].tolist() == ["two\n\nlines", "café", "ok"]


def test_invalid_json_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"doc_id": "1", "text": "ok"}\n{"doc_id": 2, "text": \n', encoding="utf-8")
    with pytest.raises(DataError, match="invalid JSON") as exc:
        framing.read_corpus(path)
    assert exc.value.row == 2


def test_duplicate_ids_raise_or_rename(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [{"doc_id": "d", "text": "a"}, {"doc_id": "d", "text": "b"}])
    with pytest.raises(DataError, match="duplicate doc_id 'd'") as exc:
        framing.read_corpus(path)
    assert exc.value.row == 2 and exc.value.field == "doc_id"
    docs = framing.read_corpus(path, duplicate_ids="rename")
    assert docs["doc_id"].tolist() == ["d", "d#2"]
    # a known corpus whose source repeats ids is renamed however it is read (file, chunks)
    basil = write_jsonl(tmp_path / "basil.jsonl.gz", [{"doc_id": "empty", "text": "a"}, {"doc_id": "empty", "text": "b"}],
                        gz=True)
    from framing.corpus import iter_corpus

    assert framing.read_corpus(basil)["doc_id"].tolist() == ["empty", "empty#2"]
    assert next(iter_corpus(basil))["doc_id"].tolist() == ["empty", "empty#2"]
    with pytest.raises(DataError, match="duplicate"):
        framing.read_corpus(basil, duplicate_ids="raise")


def test_numeric_dates_are_unix_times(tmp_path: Path) -> None:
    # what DataFrame.to_json writes for datetimes by default (pandas < 4): epoch milliseconds
    ms = [1752537600000, 1752624000000, None, 1735776000000]
    path = write_jsonl(tmp_path / "d.jsonl", [{"text": t, "date": d} for t, d in zip("abcd", ms)])
    dates = framing.read_corpus(path)["date"]
    assert dates.tolist()[:2] + dates.tolist()[3:] == ["2025-07-15", "2025-07-16", "2025-01-02"]
    assert pd.isna(dates.iloc[2])
    seconds = framing.read_corpus(pd.DataFrame({"text": ["a", "b"], "date": [1752537600, 2025]}))
    assert seconds["date"].tolist() == ["2025-07-15", "2025"]  # a bare year stays a year


def test_missing_ids_become_row_numbers(tmp_path: Path) -> None:
    docs = framing.read_corpus(pd.DataFrame({"text": ["a", "b"]}))
    assert docs["doc_id"].tolist() == ["1", "2"]


def test_ten_megabyte_document(tmp_path: Path) -> None:
    sentence = "The ministry said the network was run by Mossad, officials added. "
    text = sentence * (10_000_000 // len(sentence))
    path = write_jsonl(tmp_path / "big.jsonl", [{"doc_id": "big", "text": text}])
    docs = framing.read_corpus(path)
    assert len(docs.loc[0, "text"]) >= 9_900_000
    spans = framing.sentence_spans(docs.loc[0, "text"][:200_000])
    assert len(spans) > 2000


def test_data_home_and_missing_corpus_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRAMING_DATA", str(tmp_path))
    assert framing.data_home() == tmp_path
    with pytest.raises(MissingDataError) as exc:
        framing.load_corpus("basil")
    message = str(exc.value)
    assert str(tmp_path) in message and "basil.jsonl.gz" in message and "FRAMING_DATA" in message


def test_load_corpus_real(corpora_home: Path) -> None:
    basil = framing.load_corpus("basil", data_home=corpora_home)
    assert len(basil) == 300  # every document, the repeated "empty" ids renamed
    assert basil["doc_id"].is_unique
    assert basil["event_id"].notna().all()


def test_demo_corpus(demo_docs: pd.DataFrame) -> None:
    assert len(demo_docs) >= 4
    assert demo_docs["doc_id"].is_unique
    assert demo_docs["outlet"].notna().sum() >= 3
    events = pd.read_csv(Path(framing.__file__).parent / "data" / "corpus" / "events.csv")
    assert {"yekaterinburg-raids-2025-06", "sputnik-azerbaijan-raid-2025-06", "azal-crash-2024-12",
            "stavropol-arrest-2025"} <= set(events["event_id"])
    assert set(demo_docs["event_id"].dropna()) <= set(events["event_id"])
    for text in demo_docs["text"]:
        assert "Donate" not in text and "No comments yet" not in text and "Related Articles" not in text


def test_no_warnings_on_clean_read(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", ROWS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        framing.read_corpus(path)


def test_hf_dataset_integers_with_nulls_stay_integers() -> None:
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"doc_id": [1, None, 3], "text": ["a", "b", "c"]})
    assert framing.read_corpus(ds)["doc_id"].tolist() == ["1", "2", "3"]  # the missing id: its row number
