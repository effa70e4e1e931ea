"""The command line: every subcommand, exit codes, rows in == rows out."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from framing.cli import EXIT_DATA, EXIT_MISSING, EXIT_USAGE, main

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
    for cmd in ("corpus", "segment", "label", "train", "evaluate", "report", "demo"):
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
    assert "OC Media" in html and "<mark>" in html
    rates = pd.read_csv(out / "label_rates.csv")
    assert set(rates["label"]) == {"state_claim_uncritical", "hedged_attribution", "forced_confession_noted",
                                   "speculative_motive"}
    assert (out / "label_rates.png").stat().st_size > 5000
    again = tmp_path / "again"
    assert main(["report", str(out / "passages.csv"), "-o", str(again)]) == 0
    assert (again / "report.md").exists()
