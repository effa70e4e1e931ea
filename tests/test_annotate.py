"""Annotation round-trip: export items, read annotations back from Label Studio's, doccano's
and the CSV format, bad input, agreement between passes."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd
import pytest

import framing
from framing.agreement import krippendorff_alpha
from framing.annotate import ANNOTATION_COLUMNS
from framing.errors import DataError

from .conftest import FIXTURES

ANN = FIXTURES / "annotation"
LABELS = list(framing.LABEL_NAMES)
# what the fixtures' annotators chose (see tests/fixtures/README.md)
READER_A = {"t001": ["state_claim_uncritical"], "t002": ["hedged_attribution"], "t003": ["forced_confession_noted"],
            "t004": ["hedged_attribution", "speculative_motive"], "t005": []}
READER_B = {"t001": [], "t002": ["hedged_attribution"], "t004": ["speculative_motive"]}


@pytest.fixture
def items() -> pd.DataFrame:
    return pd.read_json(ANN / "items.jsonl", lines=True, dtype=False)


def _answers(frame: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    done = frame[frame["status"] == "completed"]
    return {(r.item_id, r.annotator): sorted(r.labels) for r in done.itertuples()}


def _expected(**readers: dict[str, list[str]]) -> dict[tuple[str, str], list[str]]:
    return {(item, who): sorted(labels) for who, answers in readers.items() for item, labels in answers.items()}


def _zip(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f.name)
    return out


# ---------------------------------------------------------------- export


def test_labelstudio_export_tasks_and_config(items: pd.DataFrame, tmp_path: Path) -> None:
    tasks_path, config_path = framing.export_items(items, tmp_path, format="labelstudio", metadata=["corpus", "doc_id"])
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    assert len(tasks) == len(items)
    for task, item in zip(tasks, items.to_dict("records")):
        assert set(task) == {"data"}
        data = task["data"]
        assert {k: data[k] for k in ("item_id", "sha1", "before", "text", "after", "corpus", "doc_id")} == \
            {k: item[k] for k in ("item_id", "sha1", "before", "text", "after", "corpus", "doc_id")}
    root = ElementTree.fromstring(config_path.read_text(encoding="utf-8"))
    assert root.tag == "View"
    texts = {t.get("name"): t.get("value") for t in root.iter("Text")}
    assert texts == {"before": "$before", "text": "$text", "after": "$after"}
    assert all(v[1:] in tasks[0]["data"] for v in texts.values())  # every field the config shows is in the task
    (choices,) = root.iter("Choices")
    assert choices.get("choice") == "multiple" and choices.get("toName") == "text" and choices.get("name") == "labels"
    assert [c.get("value") for c in choices.iter("Choice")] == LABELS
    (note,) = root.iter("TextArea")
    assert note.get("name") == "note" and note.get("toName") == "text"
    # the order on screen: context above, the sentence, context below, then the controls
    order = [e.get("name") for e in root.iter() if e.tag in ("Text", "Choices", "TextArea")]
    assert order == ["before", "text", "after", "labels", "note"]
    own = ElementTree.fromstring(framing.labelstudio_config(["a & b", 'say "x"']))
    assert [c.get("value") for c in own.iter("Choice")] == ["a & b", 'say "x"']


def test_doccano_and_csv_exports(items: pd.DataFrame, tmp_path: Path) -> None:
    (jsonl,) = framing.export_items(items, tmp_path, format="doccano")
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert [line["text"] for line in lines] == items["text"].tolist()
    # no "id": doccano would let a metadata id overwrite its own example id in the export
    assert all(set(line) == {"text", "item_id", "sha1", "before", "after"} for line in lines)
    (csv,) = framing.export_items(items, tmp_path, format="csv", metadata=["doc_id"])
    sheet = pd.read_csv(csv, dtype=str, keep_default_na=False)
    assert sheet.columns.tolist() == ["item_id", "sha1", "before", "text", "after", *LABELS, "note", "annotator",
                                      "doc_id"]
    assert (sheet[LABELS] == "").all().all() and sheet["text"].tolist() == items["text"].tolist()


def test_export_refuses_what_annotators_must_not_see(items: pd.DataFrame, tmp_path: Path) -> None:
    marked = items.assign(sampling="search:x", p_hedged_attribution=0.9, hedged_attribution=1, stratum="TASS|none",
                          inclusion_prob=0.1)
    for column in ("sampling", "p_hedged_attribution", "hedged_attribution", "stratum", "inclusion_prob"):
        with pytest.raises(ValueError, match="prediction, a score or a sampling stratum"):
            framing.export_items(marked, tmp_path, format="csv", metadata=[column])


def test_export_bad_items(items: pd.DataFrame, tmp_path: Path) -> None:
    twice = pd.concat([items, items.iloc[[1]]], ignore_index=True)
    with pytest.raises(DataError, match="duplicate item_id 't002'") as exc:
        framing.export_items(twice, tmp_path, format="doccano")
    assert (exc.value.row, exc.value.field) == (6, "item_id")
    edited = items.copy()
    edited.loc[2, "text"] = edited.loc[2, "text"] + " (updated)"
    with pytest.raises(DataError, match="no longer matches its SHA-1") as exc:
        framing.export_items(edited, tmp_path, format="labelstudio")
    assert (exc.value.row, exc.value.field) == (3, "sha1")
    with pytest.raises(DataError, match="no 'item_id' column"):
        framing.export_items(items.drop(columns="item_id"), tmp_path, format="csv")


# ---------------------------------------------------------------- round trips


def _labelstudio_export(tasks: list[dict[str, Any]], readers: dict[int, dict[str, list[str]]]) -> list[dict[str, Any]]:
    """What Label Studio's Export -> JSON gives after the readers (user ids) labelled the tasks."""
    out, ann_id = [], 500
    for n, task in enumerate(tasks, start=1):
        annotations = []
        for user, answers in readers.items():
            if task["data"]["item_id"] not in answers:
                continue
            ann_id += 1
            chosen = answers[task["data"]["item_id"]]
            result = [{"value": {"choices": chosen}, "id": f"r{ann_id}", "from_name": "labels", "to_name": "text",
                       "type": "choices", "origin": "manual"}] if chosen else []
            annotations.append({"id": ann_id, "completed_by": user, "result": result, "was_cancelled": False,
                                "ground_truth": False, "created_at": "2025-06-02T10:00:00.000000Z",
                                "updated_at": "2025-06-02T10:00:00.000000Z", "lead_time": 3.2, "result_count": 0,
                                "task": n, "project": 1})
        out.append({"id": n, "annotations": annotations, "drafts": [], "predictions": [], "data": task["data"],
                    "meta": {}, "created_at": "2025-06-01T09:00:00.000000Z", "project": 1})
    return out


def test_round_trip_labelstudio(items: pd.DataFrame, tmp_path: Path) -> None:
    tasks_path, _ = framing.export_items(items, tmp_path / "out", format="labelstudio")
    export = _labelstudio_export(json.loads(tasks_path.read_text(encoding="utf-8")), {3: READER_A, 4: READER_B})
    path = tmp_path / "project-1-at-2025-06-02.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    got = framing.read_annotations(path, annotator_pass="pass1", items=items,
                                   annotator_names={3: "reader_a", 4: "reader_b"})
    assert _answers(got) == _expected(reader_a=READER_A, reader_b=READER_B)
    assert len(got) == sum(len(t["annotations"]) for t in export)
    by_item = items.set_index("item_id")
    for row in got.itertuples():
        assert row.text == by_item.loc[row.item_id, "text"] and row.start == by_item.loc[row.item_id, "start"]
        assert row.doc_id == by_item.loc[row.item_id, "doc_id"] and row.annotator_pass == "pass1"


def test_round_trip_doccano(items: pd.DataFrame, tmp_path: Path) -> None:
    (jsonl,) = framing.export_items(items, tmp_path / "out", format="doccano")
    imported = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    folder = tmp_path / "export"
    folder.mkdir()
    for user, answers in {"reader_a": READER_A, "reader_b": READER_B}.items():
        # doccano 1.8: the example id, the text, the metadata as top-level fields, label, Comments
        lines = [{"id": 100 + k, "text": rec["text"], **{f: v for f, v in rec.items() if f != "text"},
                  "label": sorted(answers[rec["item_id"]]), "Comments": []}
                 for k, rec in enumerate(imported) if rec["item_id"] in answers]
        (folder / f"{user}.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    got = framing.read_annotations(_zip(folder, tmp_path / "export.zip"), annotator_pass="pass1", items=items)
    assert _answers(got) == _expected(reader_a=READER_A, reader_b=READER_B)
    assert set(got["source_file"]) == {f"{tmp_path / 'export.zip'}:{u}.jsonl" for u in ("reader_a", "reader_b")}


def test_round_trip_csv(items: pd.DataFrame, tmp_path: Path) -> None:
    (csv,) = framing.export_items(items, tmp_path, format="csv")
    sheet = pd.read_csv(csv, dtype=str, keep_default_na=False)
    for i, item in enumerate(sheet["item_id"]):
        for label in LABELS:
            sheet.loc[i, label] = "1" if label in READER_A[item] else "0"
    sheet["annotator"] = "reader_a"
    sheet.to_csv(csv, index=False)
    got = framing.read_annotations(csv, annotator_pass="pass1", items=items)
    assert _answers(got) == _expected(reader_a=READER_A)
    # a labels column of ';'-separated names works the same
    sheet = sheet.drop(columns=LABELS).assign(labels=[";".join(READER_A[i]) for i in sheet["item_id"]])
    sheet.to_csv(csv, index=False)
    assert _answers(framing.read_annotations(csv, annotator_pass="pass1", items=items)) == _expected(reader_a=READER_A)


# ---------------------------------------------------------------- the fixtures, in the tools' own formats


def test_labelstudio_fixture_rows_in_equal_rows_out(items: pd.DataFrame) -> None:
    path = ANN / "labelstudio_export.json"
    export = json.loads(path.read_text(encoding="utf-8"))
    got = framing.read_annotations(path, annotator_pass="pass1", items=items)
    assert len(got) == sum(len(t["annotations"]) for t in export) == 9
    assert got.columns.tolist() == [*ANNOTATION_COLUMNS[:8], *LABELS, *ANNOTATION_COLUMNS[8:]]
    # completed_by is a user id (3) or, in other versions, an object with the e-mail
    assert _answers(got) == _expected(**{"3": READER_A, "reader_b@example.org": READER_B})
    cancelled = got[got["status"] == "cancelled"]
    assert len(cancelled) == 1 and cancelled["item_id"].iloc[0] == "t005"
    assert cancelled["labels"].iloc[0] is None and cancelled[LABELS].isna().all().all()
    first = got.iloc[0]
    assert (first["source_format"], first["source_task"], first["source_annotation"]) == ("labelstudio", 101, 2001)
    assert first["created_at"] == "2025-06-02T10:00:11.392215Z" and first["lead_time"] == 12.5
    assert got.loc[got["item_id"] == "t004", "note"].iloc[0] == "appear to have been: hedged speculation"
    assert got["annotator_pass"].eq("pass1").all() and got["corpus"].eq("seeds").all()


def test_doccano_fixture_per_user_files(items: pd.DataFrame, tmp_path: Path) -> None:
    path = _zip(ANN / "doccano", tmp_path / "f7e1c0de.zip")
    got = framing.read_annotations(path, annotator_pass="pass2", items=items)
    assert len(got) == 8 and _answers(got) == _expected(reader_a=READER_A, reader_b=READER_B)
    assert got.loc[(got["annotator"] == "reader_a") & (got["item_id"] == "t004"), "note"].iloc[0] == \
        "appear to have been: hedged speculation"
    # one annotator's file outside the zip names no annotator: the caller does
    one = ANN / "doccano" / "reader_b.jsonl"
    with pytest.raises(DataError, match="no annotator") as exc:
        framing.read_annotations(one, annotator_pass="pass2")
    assert (exc.value.path, exc.value.row, exc.value.field) == (str(one), 1, "user")
    alone = framing.read_annotations(one, annotator_pass="pass2", annotator="reader_b")
    assert _answers(alone) == _expected(reader_b=READER_B)
    # doccano 1.5/1.6 wrote the text as "data"
    old = framing.read_annotations(ANN / "doccano_1_6" / "reader_c.jsonl", annotator_pass="p", annotator="reader_c",
                                   items=items)
    assert _answers(old) == {("t001", "reader_c"): [], ("t002", "reader_c"): ["hedged_attribution"]}


def test_csv_fixture_keeps_skipped_rows(items: pd.DataFrame) -> None:
    got = framing.read_annotations(ANN / "filled.csv", annotator_pass="pass3", items=items)
    assert len(got) == len(pd.read_csv(ANN / "filled.csv")) == 5
    assert got["status"].tolist() == ["completed"] * 4 + ["skipped"]
    assert got["source_task"].tolist() == [1, 2, 3, 4, 5]
    assert got.loc[2, "note"] == "forced confessions widely reported"


def test_written_and_read_back_by_the_cli_table_writer(items: pd.DataFrame, tmp_path: Path) -> None:
    from framing.pipeline import write_table

    got = framing.read_annotations(ANN / "labelstudio_export.json", annotator_pass="pass1", items=items)
    back = pd.read_csv(write_table(got, tmp_path / "gold.csv"), dtype={"item_id": str})
    assert len(back) == len(got) and json.loads(back.loc[0, "labels"]) == ["state_claim_uncritical"]


# ---------------------------------------------------------------- bad input


def _ls(tmp_path: Path, edit: Any) -> Path:
    export = json.loads((ANN / "labelstudio_export.json").read_text(encoding="utf-8"))
    edit(export)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    return path


def _set(obj: Any, keys: tuple[Any, ...], value: Any) -> None:
    for key in keys[:-1]:
        obj = obj[key]
    if value is _DELETE:
        del obj[keys[-1]]
    else:
        obj[keys[-1]] = value


_DELETE = object()


@pytest.mark.parametrize(("keys", "value", "message", "row", "field"), [
    ((1, "annotations", 0, "result", 0, "value", "choices"), ["propaganda"],
     "label 'propaganda' is not in the label set", 2, "annotations[0].result[0].value.choices"),
    ((2, "data", "text"), "The practice of forced confessions was reported.", "no longer matches its SHA-1", 3,
     "data.sha1"),
    ((0, "annotations", 1, "completed_by"), _DELETE, "no annotator", 1, "annotations[1].completed_by"),
    ((3, "id"), 101, "duplicate task id 101", 4, "id"),
    ((3, "annotations", 1, "id"), 2001, "duplicate annotation id 2001", 4, "annotations[1].id"),
    ((3, "annotations", 1, "completed_by"), 3, "item 't004' annotated twice by '3'", 4, "data.item_id"),
    ((0, "data", "item_id"), _DELETE, "no item_id", 1, "data.item_id"),
    ((1, "annotations", 0, "result", 0, "type"), "labels", "not a result of type 'labels'", 2,
     "annotations[0].result[0].type"),
])
def test_labelstudio_bad_input(tmp_path: Path, keys: tuple[Any, ...], value: Any, message: str, row: int,
                               field: str) -> None:
    path = _ls(tmp_path, lambda export: _set(export, keys, value))
    with pytest.raises(DataError, match=message) as exc:
        framing.read_annotations(path, annotator_pass="pass1")
    assert (exc.value.path, exc.value.row, exc.value.field) == (str(path), row, field)


def test_labelstudio_checked_against_the_source_items(items: pd.DataFrame, tmp_path: Path) -> None:
    path = ANN / "labelstudio_export.json"
    changed = items.copy()
    changed.loc[1, "text"] = "Some networks function as mafia-type structures."
    changed.loc[1, "sha1"] = None
    with pytest.raises(DataError, match="does not match the source item") as exc:
        framing.read_annotations(path, annotator_pass="pass1", items=changed)
    assert (exc.value.row, exc.value.field) == (2, "data.text")
    with pytest.raises(DataError, match="'t003' is not in the source items") as exc:
        framing.read_annotations(path, annotator_pass="pass1", items=items[items["item_id"] != "t003"])
    assert (exc.value.row, exc.value.field) == (3, "data.item_id")


def test_labelstudio_annotator_given_for_the_file(tmp_path: Path) -> None:
    path = _ls(tmp_path, lambda export: [a.pop("completed_by") for t in export for a in t["annotations"]
                                         if t["id"] == 103])
    got = framing.read_annotations(path, annotator_pass="pass1", annotator="reader_x")
    assert got.loc[got["source_task"] == 103, "annotator"].tolist() == ["reader_x"]


def test_labelstudio_other_exports_get_a_hint(tmp_path: Path) -> None:
    json_min = tmp_path / "min.json"
    json_min.write_text(json.dumps([{"text": "x", "id": 1, "annotator": 3, "annotation_id": 7, "labels": "a"}]))
    with pytest.raises(DataError, match="JSON-MIN"):
        framing.read_annotations(json_min, annotator_pass="p")
    lines = tmp_path / "lines.json"
    lines.write_text('{"text": "x"}\n{"text": "y"}\n')
    with pytest.raises(DataError, match="format='doccano'"):
        framing.read_annotations(lines, annotator_pass="p")


def _doccano(tmp_path: Path, edit: Any) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    for f in (ANN / "doccano").iterdir():
        lines = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()]
        if f.stem == "reader_a":
            edit(lines)
        (folder / f.name).write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return _zip(folder, tmp_path / "export.zip")


@pytest.mark.parametrize(("keys", "value", "message", "row", "field"), [
    ((2, "label"), ["propaganda"], "label 'propaganda' is not in the label set", 3, "label"),
    ((2, "label"), [[0, 4, "hedged_attribution"]], "a list of label names", 3, "label"),
    ((1, "text"), "Some networks function as mafia-type structures.", "no longer matches its SHA-1", 2, "sha1"),
    ((3, "id"), 51, "duplicate example id 51", 4, "id"),
    ((3, "item_id"), "t001", "item 't001' annotated twice by 'reader_a'", 4, "item_id"),
])
def test_doccano_bad_input(tmp_path: Path, keys: tuple[Any, ...], value: Any, message: str, row: int,
                           field: str) -> None:
    path = _doccano(tmp_path, lambda lines: _set(lines, keys, value))
    with pytest.raises(DataError, match=message) as exc:
        framing.read_annotations(path, annotator_pass="pass2")
    assert (exc.value.path, exc.value.row, exc.value.field) == (f"{path}:reader_a.jsonl", row, field)


def test_doccano_checked_against_the_source_items(items: pd.DataFrame, tmp_path: Path) -> None:
    path = _doccano(tmp_path, lambda lines: None)
    changed = items.assign(sha1=None)
    changed.loc[0, "text"] = "Two months later, the United Kingdom arrested four nationals."
    with pytest.raises(DataError, match="text of item 't001' does not match the source item") as exc:
        framing.read_annotations(path, annotator_pass="pass2", items=changed)
    assert exc.value.field == "text"


def _csv(tmp_path: Path, edit: Any) -> Path:
    sheet = pd.read_csv(ANN / "filled.csv", dtype=str, keep_default_na=False)
    sheet = edit(sheet) if callable(edit) else sheet
    path = tmp_path / "filled.csv"
    sheet.to_csv(path, index=False)
    return path


def _cell(row: int, column: str, value: str) -> Any:
    def edit(sheet: pd.DataFrame) -> pd.DataFrame:
        sheet.loc[row, column] = value
        return sheet
    return edit


@pytest.mark.parametrize(("edit", "message", "row", "field"), [
    (_cell(1, "hedged_attribution", "2"), "must be 1 or 0", 2, "hedged_attribution"),
    (_cell(1, "speculative_motive", ""), "empty label cell in an annotated row", 2, "speculative_motive"),
    (lambda s: s.drop(columns=LABELS).assign(labels=["propaganda", "", "", "", ""]),
     "label 'propaganda' is not in the label set", 1, "labels"),
    (_cell(2, "text", "The practice of forced confessions was reported."), "no longer matches its SHA-1", 3, "sha1"),
    (_cell(3, "annotator", ""), "no annotator", 4, "annotator"),
    (lambda s: pd.concat([s, s.iloc[[0]]], ignore_index=True), "item 't001' annotated twice by 'reader_c'", 6,
     "item_id"),
    (lambda s: s.drop(columns=["hedged_attribution"]), "no label columns", None, "labels"),
])
def test_csv_bad_input(tmp_path: Path, edit: Any, message: str, row: int | None, field: str) -> None:
    path = _csv(tmp_path, edit)
    with pytest.raises(DataError, match=message) as exc:
        framing.read_annotations(path, annotator_pass="pass3")
    assert (exc.value.path, exc.value.row, exc.value.field) == (str(path), row, field)


def test_csv_without_annotator_column_needs_one_named(tmp_path: Path) -> None:
    path = _csv(tmp_path, lambda s: s.drop(columns=["annotator"]))
    with pytest.raises(DataError, match="no annotator"):
        framing.read_annotations(path, annotator_pass="pass3")
    got = framing.read_annotations(path, annotator_pass="pass3", annotator="reader_c")
    assert got["annotator"].tolist() == ["reader_c"] * 5


def test_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(framing.MissingDataError):
        framing.read_annotations(tmp_path / "nope.json", annotator_pass="p")
    odd = tmp_path / "export.txt"
    odd.write_text("x")
    with pytest.raises(DataError, match="pass format="):
        framing.read_annotations(odd, annotator_pass="p")


# ---------------------------------------------------------------- agreement


def test_agreement_between_annotators_and_passes(items: pd.DataFrame) -> None:
    ls = framing.read_annotations(ANN / "labelstudio_export.json", annotator_pass="pass1", items=items,
                                  annotator_names={3: "reader_a", "reader_b@example.org": "reader_b"})
    table = framing.annotation_agreement(ls, by="annotator")
    assert table.columns.tolist() == ["label", "measure", "first", "second", "n_units", "value"]
    alpha = table[table["measure"] == "alpha"].set_index("label")
    f1 = table[table["measure"] == "f1"].set_index("label")
    assert alpha.index.tolist() == LABELS and f1.index.tolist() == LABELS
    # reader_b read t001, t002, t004 (t005 was cancelled, which is no reading)
    assert (alpha["n_units"] == 3).all() and (f1["n_units"] == 3).all()
    assert f1.loc["hedged_attribution", "value"] == pytest.approx(2 * 1 / (2 + 1))
    assert f1.loc["speculative_motive", "value"] == 1.0
    assert pd.isna(f1.loc["forced_confession_noted", "value"])
    hedged = [[0, 1, 1], [0, 1, 0]]  # reader_a, reader_b on t001, t002, t004
    assert alpha.loc["hedged_attribution", "value"] == pytest.approx(krippendorff_alpha(hedged))
    # two passes over the same items, three coders in all
    csv = framing.read_annotations(ANN / "filled.csv", annotator_pass="pass2", items=items)
    both = pd.concat([ls[ls["annotator"] == "reader_a"], csv])
    passes = framing.annotation_agreement(both)
    assert set(zip(passes["first"].dropna(), passes["second"].dropna())) == {("pass1", "pass2")}
    assert passes.loc[passes["measure"] == "alpha", "n_units"].eq(4).all()  # t005 was skipped in the CSV
    # one pass with two readers of the same item is not one coder
    with pytest.raises(DataError, match="'pass1' has 2 completed annotations of item 't001'"):
        framing.annotation_agreement(ls)
