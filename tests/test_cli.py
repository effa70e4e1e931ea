"""The command line: every subcommand, exit codes, rows in == rows out."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.cli import EXIT_DATA, EXIT_MISSING, EXIT_OUTPUT, EXIT_USAGE, main
from framing.columns import LABEL_NAMES

DOCS = [
    {"doc_id": "a", "outlet": "TASS", "text": "The FSB said the man was a spy. He confessed on camera."},
    {"doc_id": "b", "outlet": "OC Media", "text": "The FSB claimed, without evidence, that he was a spy."},
    {"doc_id": "c", "outlet": "OC Media", "text": ""},
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    return path


def test_help_lists_subcommands() -> None:
    out = subprocess.run([sys.executable, "-m", "framing.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for cmd in ("corpus", "segment", "label", "train", "evaluate", "report", "annotate", "demo"):
        assert cmd in out.stdout


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["label"])
    assert exc.value.code == EXIT_USAGE
    assert main([]) == EXIT_USAGE
    assert main(["corpus"]) == EXIT_USAGE


def test_corpus_info(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "corpus", "info", str(corpus), "--json", "--sentences"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["documents"] == 3 and info["empty_texts"] == 1 and info["sentences"] == 3


def test_segment(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "passages.csv"
    assert main(["-q", "segment", str(corpus), "-o", str(out)]) == 0
    passages = pd.read_csv(out)
    assert len(passages) == 3 and set(passages["doc_id"]) == {"a", "b"}


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_label_documents(corpus: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"labelled{suffix}"
    assert main(["-q", "label", str(corpus), "-o", str(out)]) == 0
    frame = pd.read_csv(out) if suffix == ".csv" else (pd.read_parquet(out) if suffix == ".parquet" else pd.read_json(out, lines=True))
    assert len(frame) == 3
    assert {"hedged_attribution", "p_hedged_attribution", "evidence", "start", "end"} <= set(frame.columns)
    ev = json.loads(frame.loc[frame["doc_id"] == "b", "evidence"].iloc[0])
    assert any(e["cue_type"] == "distancing_verb" for e in ev)


def test_label_documents_reports_empty_documents(corpus: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "label", str(corpus), "-o", str(tmp_path / "o.csv")]) == 0
    assert "3 documents (1 with an empty text, which yield no passage)" in capsys.readouterr().err


def test_label_passages_rows_in_equals_rows_out(tmp_path: Path) -> None:
    src = tmp_path / "passages.csv"
    pd.DataFrame({"id": [1, 2, 3, 4], "sentence": ["He reportedly left.", "", "\U0001F525", "x" * 5000]}).to_csv(src, index=False)
    out = tmp_path / "out.jsonl"
    assert main(["-q", "label", str(src), "--passages", "--text-column", "sentence", "-o", str(out)]) == 0
    frame = pd.read_json(out, lines=True)
    assert frame["id"].tolist() == [1, 2, 3, 4]


def test_train_and_evaluate_custom_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [("It rained in Baku.", "weather"), ("Storms hit Moscow.", "weather"), ("The ministry met.", ""),
            ("Snow fell.", "weather"), ("Talks were held.", ""), ("A parade took place.", "")] * 4
    train = tmp_path / "train.csv"
    pd.DataFrame({"text": [r[0] for r in rows], "labels": [r[1] for r in rows]}).to_csv(train, index=False)
    model = tmp_path / "m.skops"
    assert main(["-q", "train", str(train), "-o", str(model), "--labels", "weather", "--no-cues"]) == 0
    assert model.exists() and model.with_suffix(".json").exists()
    scores = tmp_path / "scores.json"
    assert main(["-q", "evaluate", str(train), "--model", str(model), "--n-boot", "50", "-o", str(scores)]) == 0
    table = json.loads(scores.read_text())
    assert table[0]["label"] == "weather"


def test_bad_data_exit_3_and_missing_exit_4(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "1", "body": "no text field"}\n', encoding="utf-8")
    assert main(["-q", "segment", str(bad), "-o", str(tmp_path / "o.csv")]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "bad.jsonl" in err and "text" in err
    assert main(["-q", "segment", str(tmp_path / "absent.jsonl"), "-o", str(tmp_path / "o.csv")]) == EXIT_MISSING
    assert main(["-q", "label", str(bad), "-o", str(tmp_path / "o.txt")]) == EXIT_DATA


def test_demo_and_report(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "-o", str(out)]) == 0
    html = (out / "index.html").read_text()
    assert "Outlets on the same events" in html and "class='cue'" in html and "Gold sample" in html
    rates = pd.read_csv(out / "rates.csv")
    assert set(rates["label"]) == {"state_claim_uncritical", "hedged_attribution", "forced_confession_noted",
                                   "speculative_motive"}
    assert set(rates["bias"]) == {"left", "center", "right"}
    assert "rate_corrected" in rates.columns
    assert (pd.read_csv(out / "pairs.csv")["n_events"] == 8).all()
    assert (out / "rates_heatmap.png").stat().st_size > 5000
    seeds = (out / "seeds" / "index.html").read_text()
    assert "OC Media" in seeds


def test_label_passages_keeps_ids_text_and_renames(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "p.csv"
    src.write_text("ref,sentence\n007,The ministry claimed it.\n010,2025\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    argv = ["-q", "label", str(src), "--passages", "--text-column", "sentence", "--id-column", "ref", "-o", str(out)]
    assert main(argv) == 0
    frame = pd.read_csv(out, dtype={"doc_id": str, "text": str})
    assert frame["doc_id"].tolist() == ["007", "010"]  # ids as written, not as numbers
    assert frame["text"].tolist() == ["The ministry claimed it.", "2025"]  # an all-digit text is a text
    # naming a column that is not there is an error, even when a 'text' column exists
    plain = tmp_path / "plain.csv"
    plain.write_text("text\nHe said so.\n", encoding="utf-8")
    assert main(["-q", "label", str(plain), "--passages", "--text-column", "body", "-o", str(out)]) == EXIT_DATA
    assert "'body'" in capsys.readouterr().err
    assert main(["-q", "label", str(plain), "--text-column", "body", "-o", str(out)]) == EXIT_DATA
    assert "'body'" in capsys.readouterr().err


def test_label_refuses_to_overwrite_the_inputs_label_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "gold.csv"
    pd.DataFrame({"text": ["The FSB claimed he was a spy."], "hedged_attribution": [1]}).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    assert main(["-q", "label", str(src), "--passages", "-o", str(out)]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "hedged_attribution" in err and "rename" in err
    assert not out.exists() and not list(tmp_path.glob(".*partial"))
    pd.read_csv(src).rename(columns={"hedged_attribution": "gold_hedged"}).to_csv(src, index=False)
    assert main(["-q", "label", str(src), "--passages", "-o", str(out)]) == 0
    assert pd.read_csv(out)["gold_hedged"].tolist() == [1]


def _gz_truncated(path: Path) -> None:
    import gzip

    data = gzip.compress(b"".join(json.dumps(d).encode() + b"\n" for d in DOCS * 50))
    path.write_bytes(data[: len(data) // 2])


MALFORMED = {
    "ragged.csv": lambda p: p.write_text('doc_id,text\nq,The FSB said, allegedly, it was so\n', encoding="utf-8"),
    "empty.csv": lambda p: p.write_bytes(b""),
    "cut.jsonl.gz": _gz_truncated,
    "plain.jsonl.gz": lambda p: p.write_text(json.dumps(DOCS[0]) + "\n", encoding="utf-8"),
    "corrupt.parquet": lambda p: p.write_bytes(b"PAR1 not really parquet"),
    "bad_line.jsonl": lambda p: p.write_text(json.dumps(DOCS[0]) + "\n{not json\n", encoding="utf-8"),
    "array_line.jsonl": lambda p: p.write_text(json.dumps(DOCS[0]) + "\n[1, 2]\n", encoding="utf-8"),
    "latin1.csv": lambda p: p.write_bytes("doc_id,text\na,caf\xe9 au lait\n".encode("latin-1")),
}


@pytest.mark.parametrize("passages", [False, True])
@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_files_exit_3_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
                                                 passages: bool) -> None:
    src = tmp_path / name
    MALFORMED[name](src)
    argv = ["-q", "label", str(src), "-o", str(tmp_path / "o.csv")] + (["--passages"] if passages else [])
    assert main(argv) == EXIT_DATA
    err = capsys.readouterr().err
    assert name in err and "Traceback" not in err
    if name in ("bad_line.jsonl", "array_line.jsonl", "latin1.csv"):
        assert "row 2" in err or "line 2" in err


def test_a_json_array_file_gets_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "docs.json"
    for text in (json.dumps(DOCS), json.dumps(DOCS, indent=2)):  # one line, or pretty-printed
        src.write_text(text, encoding="utf-8")
        assert main(["-q", "label", str(src), "-o", str(tmp_path / "o.csv")]) == EXIT_DATA
        assert "JSON Lines" in capsys.readouterr().err


def test_failed_label_run_leaves_the_earlier_output(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert main(["-q", "label", str(corpus), "-o", str(out)]) == 0
    before = out.read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(DOCS[0]) + "\n" + json.dumps(DOCS[1]) + "\n{oops\n", encoding="utf-8")
    assert main(["-q", "label", str(bad), "--passages", "--batch-size", "1", "-o", str(out)]) == EXIT_DATA
    assert main(["-q", "label", str(bad), "--batch-size", "1", "-o", str(out)]) == EXIT_DATA
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_batch_size_must_be_positive(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["-q", "label", str(corpus), "--batch-size", "0", "-o", str(tmp_path / "o.csv")])
    assert exc.value.code == EXIT_USAGE


def test_train_and_evaluate_errors_name_row_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = pd.DataFrame({"text": ["It rained.", "The FSB claimed so.", "Snow fell."] * 4,
                         "labels": ["weather", "", "weather; sport"] * 4})
    src = tmp_path / "t.csv"
    rows.to_csv(src, index=False)
    model = tmp_path / "m.skops"
    assert main(["-q", "train", str(src), "-o", str(model), "--labels", "weather"]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "row 3" in err and "'labels'" in err and "sport" in err
    cols = pd.DataFrame({"text": rows["text"], "weather": ["1", "0", "maybe"] * 4})
    cols.to_csv(src, index=False)
    assert main(["-q", "train", str(src), "-o", str(model), "--labels", "weather"]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "row 3" in err and "'weather'" in err and "maybe" in err
    assert main(["-q", "evaluate", str(src), "--model", str(src)]) == EXIT_DATA
    assert "not a skops model" in capsys.readouterr().err


def test_train_uses_the_codebook_label_columns(tmp_path: Path) -> None:
    names = ["state_claim_uncritical", "hedged_attribution", "forced_confession_noted", "speculative_motive"]
    texts = ["The FSB said he was a spy.", "He allegedly spied.", "His confession was forced.", "He may want revenge."]
    frame = pd.DataFrame({"text": texts * 5, **{n: [int(i == j) for i in range(4)] * 5 for j, n in enumerate(names)}})
    src = tmp_path / "gold.parquet"
    frame.to_parquet(src)
    model = tmp_path / "m.skops"
    assert main(["-q", "train", str(src), "-o", str(model)]) == 0
    assert json.loads(model.with_suffix(".json").read_text())["labels"] == names


def test_report_on_own_passages_and_own_labels(tmp_path: Path) -> None:
    rows = [("It rained in Baku.", "weather"), ("Storms hit Moscow.", "weather"), ("The ministry met.", "")] * 8
    train = tmp_path / "train.csv"
    pd.DataFrame({"text": [r[0] for r in rows], "labels": [r[1] for r in rows]}).to_csv(train, index=False)
    model = tmp_path / "m.skops"
    assert main(["-q", "train", str(train), "-o", str(model), "--labels", "weather"]) == 0
    texts = tmp_path / "texts.csv"
    pd.DataFrame({"text": ["Snow fell in Baku.", "The FSB claimed he was a spy."]}).to_csv(texts, index=False)
    for name, extra in (("own", ["--model", str(model)]), ("codebook", [])):
        labelled = tmp_path / f"{name}.csv"
        assert main(["-q", "label", str(texts), "--passages", "-o", str(labelled), *extra]) == 0
        if name == "own":  # a label outside the codebook has no cue evidence
            assert pd.read_csv(labelled)["evidence"].tolist() == ["[]", "[]"]
        assert main(["-q", "report", str(labelled), "-o", str(tmp_path / f"rep_{name}")]) == 0
        rates = pd.read_csv(tmp_path / f"rep_{name}" / "rates.csv")
        assert set(rates["outlet"]) == {"(missing)"}
        assert set(rates["label"]) == ({"weather"} if name == "own" else {
            "state_claim_uncritical", "hedged_attribution", "forced_confession_noted", "speculative_motive"})


ANNOTATION = Path(__file__).resolve().parent / "fixtures" / "annotation"


@pytest.mark.parametrize(("fmt", "files"), [("labelstudio", ["tasks.json", "tasks.xml"]), ("doccano", ["tasks.jsonl"]),
                                            ("csv", ["tasks.csv"])])
def test_annotate_export(tmp_path: Path, fmt: str, files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["annotate", "export", str(ANNOTATION / "items.jsonl"), "-o", str(out), "--format", fmt,
                 "--metadata", "corpus,doc_id"]) == 0
    assert sorted(p.name for p in out.iterdir()) == files
    assert "5 items ->" in capsys.readouterr().err


def test_annotate_import_each_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    items = str(ANNOTATION / "items.jsonl")
    doccano = tmp_path / "doccano.zip"
    with zipfile.ZipFile(doccano, "w") as zf:
        for f in (ANNOTATION / "doccano").iterdir():
            zf.write(f, f.name)
    for source, rows in ((ANNOTATION / "labelstudio_export.json", 9), (doccano, 8), (ANNOTATION / "filled.csv", 5)):
        out = tmp_path / f"{source.stem}.csv"
        assert main(["annotate", "import", str(source), "--pass", "pass1", "--items", items, "-o", str(out)]) == 0
        gold = pd.read_csv(out, dtype={"item_id": str})
        assert len(gold) == rows and gold["annotator_pass"].eq("pass1").all()
        assert {"corpus", "doc_id", "start", "end", "sha1", "labels", "annotator", "status"} <= set(gold.columns)
    err = capsys.readouterr().err
    assert "9 annotations (8 completed, 1 cancelled) by 2 annotator(s)" in err
    assert "5 annotations (4 completed, 1 skipped) by 1 annotator(s)" in err


def test_annotate_bad_input_exits_3_naming_file_row_and_field(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    sheet = pd.read_csv(ANNOTATION / "filled.csv", dtype=str, keep_default_na=False)
    sheet.loc[1, "hedged_attribution"] = "maybe"
    bad = tmp_path / "filled.csv"
    sheet.to_csv(bad, index=False)
    assert main(["annotate", "import", str(bad), "--pass", "p", "-o", str(tmp_path / "o.csv")]) == EXIT_DATA
    assert f"{bad}, row 2, field 'hedged_attribution'" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()
    export = json.loads((ANNOTATION / "labelstudio_export.json").read_text(encoding="utf-8"))
    export[0]["annotations"][0]["result"][0]["value"]["choices"] = ["propaganda"]
    bad = tmp_path / "export.json"
    bad.write_text(json.dumps(export), encoding="utf-8")
    assert main(["annotate", "import", str(bad), "--pass", "p", "-o", str(tmp_path / "o.csv")]) == EXIT_DATA
    assert "label 'propaganda' is not in the label set" in capsys.readouterr().err
    assert main(["annotate", "import", str(tmp_path / "none.json"), "--pass", "p", "-o", "o.csv"]) == EXIT_MISSING


def test_annotate_export_refuses_hidden_columns_and_bad_items(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    items = pd.read_json(ANNOTATION / "items.jsonl", lines=True, dtype=False).assign(sampling="random:x")
    src = tmp_path / "items.csv"
    items.to_csv(src, index=False)
    assert main(["annotate", "export", str(src), "-o", str(tmp_path), "--format", "csv",
                 "--metadata", "sampling"]) == EXIT_USAGE
    assert "sampling stratum" in capsys.readouterr().err
    pd.concat([items, items.iloc[[0]]]).to_csv(src, index=False)
    assert main(["annotate", "export", str(src), "-o", str(tmp_path), "--format", "csv"]) == EXIT_DATA
    assert "duplicate item_id 't001'" in capsys.readouterr().err
    assert main(["annotate"]) == EXIT_USAGE


# ---------------------------------------------------------------- compare, align, sample, report


@pytest.fixture(scope="module")
def demo_labelled_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import framing as fr
    from framing.pipeline import label_documents, write_table

    docs = fr.align_events(fr.load_demo_corpus("allsides"))
    labelled = label_documents(docs)  # passages carry the documents' columns (bias, title)
    return write_table(labelled, tmp_path_factory.mktemp("cmp") / "labelled.csv")


def test_compare_writes_rates_pairs_and_figures(demo_labelled_file: Path, tmp_path: Path) -> None:
    code = main(["-q", "compare", str(demo_labelled_file), "-o", str(tmp_path / "out"), "--by", "bias",
                 "--n-boot", "200", "--n-perm", "200"])
    assert code == 0
    rates = pd.read_csv(tmp_path / "out" / "rates.csv")
    assert {"bias", "label", "rate", "ci_low", "ci_high", "rate_rogan_gladen"} <= set(rates.columns) or \
        {"bias", "label", "rate", "ci_low", "ci_high"} <= set(rates.columns)
    pairs = pd.read_csv(tmp_path / "out" / "pairs.csv")
    assert list(pairs.columns[:3]) == ["outlet_a", "outlet_b", "label"]
    assert {"n_events", "diff", "ci_low", "ci_high", "p_value", "p_adjusted"} <= set(pairs.columns)
    assert (tmp_path / "out" / "rates_heatmap.png").exists()


def test_compare_with_a_gold_sample_and_its_design(demo_labelled_file: Path, tmp_path: Path) -> None:
    from framing.gold import load_validation

    gold = load_validation("allsides_demo")
    gold[["item_id", "doc_id", "start", *LABEL_NAMES]].to_csv(tmp_path / "gold.csv", index=False)
    gold[["item_id", "inclusion_prob", "stratum", "stratum_size"]].to_csv(tmp_path / "design.csv", index=False)
    assert main(["-q", "compare", str(demo_labelled_file), "-o", str(tmp_path / "g"), "--by", "bias", "--gold",
                 str(tmp_path / "gold.csv"), "--design", str(tmp_path / "design.csv"), "--no-figures",
                 "--n-boot", "100", "--n-perm", "100"]) == 0
    rates = pd.read_csv(tmp_path / "g" / "rates.csv")
    assert rates["n_gold"].groupby(rates["label"]).sum().eq(200).all()
    assert (tmp_path / "g" / "gold_strata.csv").exists()
    # without inclusion probabilities the corrected estimates cannot be made: a clear error
    code = main(["-q", "compare", str(demo_labelled_file), "-o", str(tmp_path / "h"), "--by", "bias", "--gold",
                 str(tmp_path / "gold.csv"), "--no-figures"])
    assert code == EXIT_DATA


def test_compare_bad_input(demo_labelled_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["-q", "compare", str(demo_labelled_file), "-o", str(tmp_path / "x"), "--by", "outlte"]) == EXIT_DATA
    assert "outlte" in capsys.readouterr().err
    assert main(["-q", "compare", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "x")]) == EXIT_MISSING


def test_align_adds_event_ids(tmp_path: Path) -> None:
    import framing as fr

    from framing.evaluate import bcubed

    docs = fr.load_demo_corpus("allsides")
    docs.drop(columns=["meta", "event_id"]).to_json(tmp_path / "docs.jsonl", orient="records", lines=True)
    assert main(["-q", "align", str(tmp_path / "docs.jsonl"), "-o", str(tmp_path / "aligned.csv")]) == 0
    out = pd.read_csv(tmp_path / "aligned.csv", dtype=str)
    assert len(out) == 58 and {"event_source", "duplicate_of"} <= set(out.columns)
    precision, recall, _ = bcubed(docs["event_id"], out["event_id"])
    assert precision >= 0.95 and recall >= 0.6  # the eight events, some split, none merged


def test_sample_writes_tasks_csv_and_design(demo_labelled_file: Path, tmp_path: Path) -> None:
    assert main(["-q", "sample", str(demo_labelled_file), "-n", "60", "-o", str(tmp_path / "s"), "--strata",
                 "bias,predicted"]) == 0
    design = pd.read_csv(tmp_path / "s" / "design.csv")
    assert len(design) == 60 and design["inclusion_prob"].between(0, 1).all()
    tasks = json.loads((tmp_path / "s" / "tasks.json").read_text())
    assert len(tasks) == 60
    shown = set().union(*(t["data"] for t in tasks))
    assert not shown & {"stratum", "inclusion_prob", "predicted", "stratum_size"}  # annotators see no design
    assert (tmp_path / "s" / "tasks.csv").exists() and (tmp_path / "s" / "tasks.xml").exists()


def test_compare_and_sample_take_a_grouping_column_from_meta(demo_labelled_file: Path, tmp_path: Path) -> None:
    table = pd.read_csv(demo_labelled_file, dtype={"doc_id": str})
    table["meta"] = [json.dumps({"leaning": b}) for b in table["bias"]]
    table = table.drop(columns=["bias"])
    table.to_csv(tmp_path / "meta.csv", index=False)
    assert main(["-q", "compare", str(tmp_path / "meta.csv"), "-o", str(tmp_path / "c"), "--by", "leaning",
                 "--no-figures", "--n-boot", "50", "--n-perm", "50"]) == 0
    rates = pd.read_csv(tmp_path / "c" / "rates.csv")
    assert set(rates["leaning"]) == set(pd.read_csv(demo_labelled_file)["bias"])
    assert main(["-q", "sample", str(tmp_path / "meta.csv"), "-n", "40", "-o", str(tmp_path / "s"), "--strata",
                 "leaning", "--min-per-stratum", "5"]) == 0
    design = pd.read_csv(tmp_path / "s" / "design.csv")
    assert design["stratum"].value_counts().min() >= 5
    items = pd.read_csv(tmp_path / "s" / "items.csv")
    assert list(items["item_id"]) == list(design["item_id"]) and items["sha1"].notna().all()


def test_report_from_a_file(demo_labelled_file: Path, tmp_path: Path) -> None:
    assert main(["-q", "report", str(demo_labelled_file), "-o", str(tmp_path / "r"), "--by", "bias",
                 "--n-boot", "100", "--n-perm", "100", "--max-documents", "5"]) == 0
    page = (tmp_path / "r" / "index.html").read_text()
    assert page.count("<article class='doc'") == 5
# ---------------------------------------------------------------- a new user's rough edges (issue 16)


def test_error_hints_name_cli_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(json.dumps({"doc_id": "1", "body": "The FSB said so."}) + "\n", encoding="utf-8")
    assert main(["-q", "label", str(src), "-o", str(tmp_path / "o.csv")]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "--text-column <name>" in err and "columns={" not in err
    src.write_text(json.dumps({"doc_id": "1", "text": None}) + "\n", encoding="utf-8")
    assert main(["-q", "segment", str(src), "-o", str(tmp_path / "o.csv")]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "--errors coerce" in err and "errors='coerce'" not in err


def test_a_passage_table_without_passages_flag_gets_a_hint(corpus: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    passages = tmp_path / "passages.csv"
    assert main(["-q", "segment", str(corpus), "-o", str(passages)]) == 0
    pd.read_csv(passages).assign(doc_id="a").to_csv(passages, index=False)  # two passages of one document
    assert main(["-q", "label", str(passages), "-o", str(tmp_path / "o.csv")]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "duplicate doc_id" in err and "--passages" in err
    assert not (tmp_path / "o.csv").exists()


def test_semicolon_csv_is_read(tmp_path: Path) -> None:
    src = tmp_path / "docs.csv"
    src.write_text('doc_id;text\n1;"The FSB claimed, without evidence; that he was a spy."\n2;He left.\n',
                   encoding="utf-8")
    out = tmp_path / "o.csv"
    assert main(["-q", "label", str(src), "-o", str(out)]) == 0
    frame = pd.read_csv(out, dtype={"doc_id": str})
    assert frame["doc_id"].tolist() == ["1", "2"]
    assert frame["text"].iloc[0] == "The FSB claimed, without evidence; that he was a spy."
    assert main(["-q", "label", str(src), "--passages", "-o", str(out)]) == 0
    assert len(pd.read_csv(out)) == 2


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
@pytest.mark.parametrize("command", ["segment", "label", "label-passages"])
@pytest.mark.parametrize("empty", ["empty.jsonl", "header.csv"])
def test_empty_input_writes_a_table_with_its_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     empty: str, command: str, suffix: str) -> None:
    src = tmp_path / empty
    src.write_text("" if empty.endswith(".jsonl") else "doc_id,text\n", encoding="utf-8")
    if command == "label-passages" and empty.endswith(".jsonl"):
        pytest.skip("an empty JSONL file has no columns, so no text column: covered below")
    out = tmp_path / f"o{suffix}"
    argv = ["-q", command.split("-")[0], str(src), "-o", str(out)] + (["--passages"] if "passages" in command else [])
    assert main(argv) == 0
    assert re.search(r"-> 0 |^0 passages", capsys.readouterr().err)
    if suffix == ".jsonl":
        assert out.read_bytes() == b""  # JSON Lines has no header: zero rows is an empty file
        return
    frame = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert len(frame) == 0
    assert {"doc_id", "text"} <= set(frame.columns)
    if command == "segment":
        assert {"passage_id", "start", "end"} <= set(frame.columns)
    else:
        assert {"hedged_attribution", "p_hedged_attribution", "evidence"} <= set(frame.columns)
    if suffix == ".parquet" and command != "label-passages":
        assert str(frame["start"].dtype) == "int64"


def test_empty_jsonl_passages_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "empty.jsonl"
    src.write_text("", encoding="utf-8")
    assert main(["-q", "label", str(src), "--passages", "-o", str(tmp_path / "o.csv")]) == EXIT_DATA
    assert "empty" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["segment", "label", "train", "evaluate"])
def test_unwritable_output_exits_5_with_a_clear_error(corpus: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str], command: str) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "sub" / "o.csv"  # a folder inside a file: cannot be created, even as root
    if command in ("segment", "label"):
        argv = ["-q", command, str(corpus), "-o", str(out)]
    else:
        table = tmp_path / "t.csv"
        pd.DataFrame({"text": ["It rained.", "He left."] * 6, "labels": ["weather", ""] * 6}).to_csv(table, index=False)
        argv = ["-q", "train", str(table), "--labels", "weather", "--no-cues", "-o", str(blocker / "m.skops")] \
            if command == "train" else ["-q", "evaluate", str(table), "-o", str(out), "--n-boot", "10"]
    assert main(argv) == EXIT_OUTPUT
    err = capsys.readouterr().err
    assert "cannot write the output" in err and "Traceback" not in err and str(blocker) in err


def test_output_exit_code_is_documented() -> None:
    out = subprocess.run([sys.executable, "-m", "framing.cli", "--help"], capture_output=True, text=True)
    assert "5 the output cannot be written" in " ".join(out.stdout.split())


def test_coerce_repairs_are_a_plain_message(tmp_path: Path) -> None:
    src = tmp_path / "latin1.csv"
    src.write_bytes("doc_id,text\n1,El Pa\xeds dijo que s\xed.\n2,007\n".encode("latin-1"))
    out = tmp_path / "o.csv"
    run = subprocess.run([sys.executable, "-m", "framing.cli", "-q", "segment", str(src), "-o", str(out),
                          "--errors", "coerce"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "framing: warning:" in run.stderr and "repaired 1 row" in run.stderr
    assert "UserWarning" not in run.stderr and "warnings.warn" not in run.stderr and ".py:" not in run.stderr
    frame = pd.read_csv(out, dtype=str)
    assert frame["text"].tolist() == ["El País dijo que sí.", "007"]
    assert json.loads(frame["meta"].iloc[0])["framing_repairs"] == ["invalid UTF-8: decoded as cp1252"]


def test_integer_text_and_ids_with_nulls_stay_as_written(tmp_path: Path) -> None:
    src = tmp_path / "p.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in
                           [{"doc_id": 1, "text": 123}, {"doc_id": None, "text": None}, {"doc_id": 3, "text": "ok"}]),
                   encoding="utf-8")
    out = tmp_path / "o.csv"
    assert main(["-q", "label", str(src), "--passages", "--errors", "coerce", "-o", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame["text"].tolist() == ["123", "", "ok"]
    assert frame["doc_id"].tolist() == ["1", "", "3"]
    parquet = tmp_path / "p.parquet"
    pd.DataFrame({"doc_id": pd.array([1, None, 3], dtype="Int64"), "text": pd.array([123, None, 5], dtype="Int64")}
                 ).to_parquet(parquet)
    assert main(["-q", "label", str(parquet), "--passages", "--errors", "coerce", "-o", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame["text"].tolist() == ["123", "", "5"] and frame["doc_id"].tolist() == ["1", "", "3"]


def test_progress_shows_bytes_and_time_remaining(corpus: Path, tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "framing.cli", "label", str(corpus), "-o", str(tmp_path / "o.csv")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    size = corpus.stat().st_size
    bar = run.stderr.replace("\r", "\n")
    assert "100%" in bar and f"{size}/{size}" in bar.replace(".00", "") or f"{size}B/{size}B" in bar
    assert "3 passages" in bar and "<00:00" in bar


def test_train_suggests_labels_for_own_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "own.csv"
    pd.DataFrame({"text": ["It rained.", "He won.", "Snow fell.", "She lost."] * 3, "weather": [1, 0, 1, 0] * 3,
                  "sport": [0, 1, 0, 1] * 3, "source": ["a", "b", "c", "d"] * 3}).to_csv(src, index=False)
    model = tmp_path / "m.skops"
    assert main(["-q", "train", str(src), "-o", str(model)]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "--labels weather,sport" in err
    assert main(["-q", "train", str(src), "-o", str(model), "--labels", "weather,sport", "--no-cues"]) == 0
    help_text = subprocess.run([sys.executable, "-m", "framing.cli", "train", "--help"], capture_output=True,
                               text=True).stdout
    assert "your own 0/1 columns" in " ".join(help_text.split())


def test_segment_and_label_carry_document_columns(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(json.dumps({"doc_id": "a", "title": "Spies", "url": "https://x/a", "bias": "left",
                               "text": "The FSB said so. He left."}) + "\n", encoding="utf-8")
    for command in ("segment", "label"):
        out = tmp_path / f"{command}.parquet"
        assert main(["-q", command, str(src), "-o", str(out)]) == 0
        frame = pd.read_parquet(out)
        assert frame["title"].tolist() == ["Spies", "Spies"] and frame["url"].tolist() == ["https://x/a"] * 2
        assert [json.loads(m)["bias"] for m in frame["meta"]] == ["left", "left"]


def test_evaluate_refuses_the_models_own_output_as_gold(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text("\n".join(json.dumps(d) for d in DOCS) + "\n")
    labelled = tmp_path / "labelled.csv"
    assert main(["-q", "label", str(src), "-o", str(labelled)]) == 0
    assert main(["-q", "evaluate", str(labelled), "--n-boot", "0"]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "model's predictions, not gold labels" in err and "--label-prefix gold_" in err
    frame = pd.read_csv(labelled)
    for lab in LABEL_NAMES:  # labels read by a person, in their own columns
        frame[f"gold_{lab}"] = 0
    frame.loc[0, "gold_hedged_attribution"] = 1
    frame.to_csv(labelled, index=False)
    assert main(["-q", "evaluate", str(labelled), "--label-prefix", "gold_", "--n-boot", "0"]) == 0
    out = capsys.readouterr()
    assert "left out (no gold positive): state_claim_uncritical, forced_confession_noted, speculative_motive" in out.err


def test_evaluate_weights_by_inclusion_probability_and_handles_empty_doc_ids(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from framing.gold import load_validation

    gold = load_validation("allsides_demo")
    table = gold[["text", *LABEL_NAMES]].assign(doc_id="")
    table.to_csv(tmp_path / "g.csv", index=False)
    assert main(["-q", "evaluate", str(tmp_path / "g.csv"), "--n-boot", "20", "-o", str(tmp_path / "u.json")]) == 0
    assert "doc_id is empty in every row" in capsys.readouterr().err
    table.assign(inclusion_prob=gold["inclusion_prob"]).to_csv(tmp_path / "w.csv", index=False)
    assert main(["-q", "evaluate", str(tmp_path / "w.csv"), "--n-boot", "20", "-o", str(tmp_path / "w.json")]) == 0
    assert "weighted by 1/inclusion_prob" in capsys.readouterr().err
    u = pd.read_json(tmp_path / "u.json").set_index("label")
    w = pd.read_json(tmp_path / "w.json").set_index("label")
    assert (u["support"] == w["support"]).all()
    assert not np.allclose(u["precision"], w["precision"])  # the strata have different inclusion probabilities
    table.assign(inclusion_prob=0).to_csv(tmp_path / "bad.csv", index=False)
    assert main(["-q", "evaluate", str(tmp_path / "bad.csv")]) == EXIT_DATA
    assert "inclusion_prob" in capsys.readouterr().err


def test_gold_errors_name_the_gold_file(demo_labelled_file: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from framing.gold import load_validation

    gold = load_validation("allsides_demo")
    twice = pd.concat([gold, gold.head(3)])  # three passages read twice, not marked as such
    twice[["item_id", "doc_id", "start", *LABEL_NAMES, "inclusion_prob"]].to_csv(tmp_path / "gold.csv", index=False)
    code = main(["-q", "compare", str(demo_labelled_file), "-o", str(tmp_path / "g"), "--by", "bias", "--gold",
                 str(tmp_path / "gold.csv"), "--no-figures", "--n-boot", "20", "--n-perm", "20"])
    assert code == EXIT_DATA
    assert str(tmp_path / "gold.csv") in capsys.readouterr().err


def test_sample_and_compare_own_passages_without_offsets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A user's own passage table (no index, no start): sample draws with neighbours by row
    order, and compare joins the read sample back on the row numbers sample recorded."""
    import framing as fr

    p = fr.segment(fr.load_demo_corpus("allsides"))
    p[["doc_id", "bias", "event_id", "text"]].to_csv(tmp_path / "passages.csv", index=False)
    assert main(["-q", "label", "--passages", str(tmp_path / "passages.csv"), "-o", str(tmp_path / "lab.csv")]) == 0
    assert main(["-q", "sample", str(tmp_path / "lab.csv"), "-n", "40", "-o", str(tmp_path / "s"), "--strata",
                 "bias"]) == 0
    design = pd.read_csv(tmp_path / "s" / "design.csv")
    assert "row" in design.columns and "start" not in design.columns
    lab = pd.read_csv(tmp_path / "lab.csv")
    items = pd.read_csv(tmp_path / "s" / "items.csv").set_index("item_id")
    assert (lab["text"].iloc[design["row"] - 1].to_numpy() == items.loc[design["item_id"], "text"].to_numpy()).all()
    assert items["before"].fillna("").ne("").any()  # neighbours by row order within the document
    tasks = pd.read_csv(tmp_path / "s" / "tasks.csv")
    tasks["annotator"] = "r1"
    tasks.to_csv(tmp_path / "blank.csv", index=False)  # nothing read yet: every task skipped
    assert main(["-q", "annotate", "import", str(tmp_path / "blank.csv"), "--items", str(tmp_path / "s" / "items.csv"),
                 "--pass", "1", "-o", str(tmp_path / "blank_gold.csv")]) == 0
    assert main(["-q", "compare", str(tmp_path / "lab.csv"), "-o", str(tmp_path / "b"), "--by", "bias", "--gold",
                 str(tmp_path / "blank_gold.csv"), "--design", str(tmp_path / "s" / "design.csv")]) == EXIT_DATA
    assert "no completed reading" in capsys.readouterr().err
    tasks[list(LABEL_NAMES)] = 0
    tasks.loc[tasks.index[::4], "hedged_attribution"] = 1
    tasks.to_csv(tmp_path / "done.csv", index=False)
    assert main(["-q", "annotate", "import", str(tmp_path / "done.csv"), "--items", str(tmp_path / "s" / "items.csv"),
                 "--pass", "1", "-o", str(tmp_path / "gold.csv")]) == 0
    assert main(["-q", "compare", str(tmp_path / "lab.csv"), "-o", str(tmp_path / "c"), "--by", "bias", "--gold",
                 str(tmp_path / "gold.csv"), "--design", str(tmp_path / "s" / "design.csv"), "--no-figures",
                 "--n-boot", "50", "--n-perm", "50"]) == 0
    rates = pd.read_csv(tmp_path / "c" / "rates.csv")
    assert rates.groupby("label")["n_gold"].sum().eq(40).all(), rates[["bias", "label", "n_gold"]]
    # readings disagree with the model: the corrected rates move away from the naive ones
    assert not np.allclose(rates["rate_corrected"], rates["rate"])
    with pytest.raises(SystemExit):  # a usage error (exit 2)
        main(["-q", "sample", str(tmp_path / "lab.csv"), "-n", "0", "-o", str(tmp_path / "z")])
