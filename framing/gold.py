"""The gold set: sentences labelled by reading against ``data/codebook.md``.

Annotations of external corpora are stored stand-off (corpus, doc_id, start, end and
the SHA-1 of the sentence) in ``data/annotations/gold.jsonl.gz``; the text is joined from
the corpora in the data home at load time and checked against the SHA-1. Sentences of
the bundled seed corpus are stored inline. See ``data/annotations/README.md``.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .columns import CORPUS, DOC_ID, END, LABEL_NAMES, LABELS, OUTLET, SAMPLING, SPLIT, START, TEXT
from .corpus import data_home as _data_home
from .corpus import iter_jsonl
from .errors import DataError, MissingDataError
from .sampling import text_sha1

__all__ = ["load_gold", "load_validation", "GOLD_PATH", "VALIDATION_DIR", "gold_label_matrix"]

GOLD_PATH = Path(__file__).parent / "data" / "annotations" / "gold.jsonl.gz"
VALIDATION_DIR = GOLD_PATH.parent / "validation"
_BUNDLED_CORPORA = {"allsides_demo": Path(__file__).parent / "data" / "corpus" / "allsides_demo.jsonl"}



def load_gold(
    *,
    data_home: str | os.PathLike[str] | None = None,
    path: str | os.PathLike[str] | None = None,
    corpora: list[str] | None = None,
) -> pd.DataFrame:
    """Load the gold set as a DataFrame.

    Parameters
    ----------
    data_home : path-like, optional
        Folder with the external corpora (default: ``FRAMING_DATA``; see
        :func:`framing.data_home`).
    path : path-like, optional
        Annotation file, JSON Lines, gzipped or not (default: the bundled ``gold.jsonl.gz``).
    corpora : list of str, optional
        Only these corpora (``"seeds"`` needs no data home).

    Returns
    -------
    pandas.DataFrame
        One row per sentence: ``item_id, text, labels`` (list of label names), one 0/1
        column per label, ``corpus, doc_id, outlet, start, end, split, fold, sampling,
        annotator_pass, annotator, note``.

    Raises
    ------
    MissingDataError
        A corpus file is not in the data home (the message says where to put it).
    DataError
        A sentence's text no longer matches its recorded SHA-1 (the corpus file
        changed), naming the annotation file, row and field.

    Examples
    --------
    >>> import framing
    >>> seeds = framing.load_gold(corpora=["seeds"])
    >>> seeds[["text", "hedged_attribution"]].shape[0] > 300
    True
    """
    path = Path(path) if path is not None else GOLD_PATH
    if not path.exists():
        raise MissingDataError(f"{path}: no gold annotation file")
    records = list(iter_jsonl(path))
    for i, rec in enumerate(records, start=1):
        rec["_row"] = i
    if corpora is not None:
        records = [r for r in records if r[CORPUS] in corpora]
    needed: dict[str, set[str]] = {}
    for rec in records:
        if rec.get(TEXT) is None:
            needed.setdefault(rec[CORPUS], set()).add(rec[DOC_ID])
    home = _data_home(data_home)
    docs: dict[tuple[str, str], dict[str, Any]] = {}
    for corpus, ids in sorted(needed.items()):
        file = home / f"{corpus}.jsonl.gz"
        if not file.exists():
            raise MissingDataError(
                f"the gold set needs the corpus {corpus!r}, but {file} does not exist. Put the corpus files "
                f"(e.g. ../shared/corpora/*.jsonl.gz) in the data home, or set FRAMING_DATA to their folder; "
                f"load_gold(corpora=['seeds']) works without them."
            )
        for key, obj in _documents(file, ids):
            docs[(corpus, key)] = obj
    rows = []
    for rec in records:
        text = rec.get(TEXT)
        outlet = rec.get(OUTLET)
        if text is None:
            doc = docs.get((rec[CORPUS], rec[DOC_ID]))
            if doc is None:
                raise DataError(f"document {rec[DOC_ID]!r} not found in corpus {rec[CORPUS]!r} of {home}",
                                path=path, row=rec["_row"], field=DOC_ID)
            text = doc["text"][rec[START]:rec[END]]
            outlet = doc.get(OUTLET)
            if text_sha1(text) != rec["sha1"]:
                raise DataError(
                    f"checksum mismatch: {rec[CORPUS]}/{rec[DOC_ID]}[{rec[START]}:{rec[END]}] no longer has the "
                    "annotated text (the corpus file differs from the one annotated)",
                    path=path, row=rec["_row"], field="sha1",
                )
        row = {
            "item_id": rec["item_id"],
            TEXT: text,
            LABELS: list(rec[LABELS]),
            CORPUS: rec[CORPUS],
            DOC_ID: rec[DOC_ID],
            OUTLET: outlet,
            START: rec[START],
            END: rec[END],
            SPLIT: rec[SPLIT],
            "fold": rec.get("fold", rec[CORPUS]),
            SAMPLING: rec[SAMPLING],
            "annotator_pass": rec.get("annotator_pass"),
            "annotator": rec.get("annotator"),
            "note": rec.get("note", ""),
        }
        for label in LABEL_NAMES:
            row[label] = int(label in rec[LABELS])
        rows.append(row)
    columns = ["item_id", TEXT, LABELS, *LABEL_NAMES, CORPUS, DOC_ID, OUTLET, START, END, SPLIT, "fold",
               SAMPLING, "annotator_pass", "annotator", "note"]
    return pd.DataFrame(rows, columns=columns)


def _documents(file: Path, ids: set[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The documents of a corpus file whose id is in ``ids``, with the ids :func:`framing.load_corpus`
    gives them (a repeated id becomes ``<id>#2``, ``<id>#3`` ... in file order)."""
    seen: dict[str, int] = {}
    for obj in iter_jsonl(file):
        doc_id = str(obj.get(DOC_ID))
        n = seen.get(doc_id, 0) + 1
        seen[doc_id] = n
        key = doc_id if n == 1 else f"{doc_id}#{n}"
        if key in ids:
            yield key, obj


def gold_label_matrix(gold: pd.DataFrame) -> pd.DataFrame:
    """The 0/1 label columns of a gold DataFrame, in :data:`framing.LABEL_NAMES` order."""
    return gold[list(LABEL_NAMES)]


def write_gold(records: list[dict[str, Any]], path: str | os.PathLike[str]) -> None:
    """Write gold records as JSONL, gzipped when ``path`` ends in ``.gz`` (used by
    ``experiments/gold/build_gold.py``). The gzip header carries no time or name, so the
    same records give the same bytes."""
    text = "".join(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n" for rec in records).encode("utf-8")
    if str(path).endswith(".gz"):
        import gzip

        with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
            fh.write(text)
    else:
        Path(path).write_bytes(text)


def load_validation(
    name: str,
    *,
    data_home: str | os.PathLike[str] | None = None,
    readings: str = "first",
) -> pd.DataFrame:
    """Load a gold validation sample: a stratified probability sample of an experiment's
    passages, read against the codebook, with each passage's inclusion probability.

    These samples correct an analysis for classifier error (:mod:`framing.compare`); they
    are never training data. See ``data/annotations/README.md``.

    Parameters
    ----------
    name : str
        The sample (``basil``, ``allsides_stories``, ``covid_origins``, ``allsides_demo``:
        the files in ``data/annotations/validation/``).
    data_home : path-like, optional
        Folder with the external corpora (the bundled ``allsides_demo`` needs none).
    readings : {"first", "second"}, default "first"
        Which reading's labels: every passage's first reading, or the blind second
        reading of the passages read twice (for agreement).

    Returns
    -------
    pandas.DataFrame
        One row per read passage: ``item_id, corpus, doc_id, start, end, text``, one 0/1
        column per label, ``labels, stratum, stratum_size, stratum_n, inclusion_prob,
        annotator, note``.

    Raises
    ------
    MissingDataError
        No such sample, or its corpus is not in the data home.
    DataError
        A passage's text no longer matches its SHA-1, an unknown label, or a reading of
        an item that is not in the sample.

    Examples
    --------
    >>> import framing
    >>> from framing.gold import load_validation
    >>> demo = load_validation("allsides_demo")
    >>> bool((demo["inclusion_prob"] > 0).all())
    True
    """
    path = VALIDATION_DIR / f"{name}.jsonl"
    if not path.exists():
        known = sorted(p.stem for p in VALIDATION_DIR.glob("*.jsonl"))
        raise MissingDataError(f"no validation sample {name!r} ({path}); there are {known}")
    items = list(iter_jsonl(path))
    suffix = "pass1" if readings == "first" else "pass2"
    pattern = f"validation_{name}_[0-9]*.{suffix}.jsonl" if readings == "first" else f"validation_{name}_dbl_*.pass2.jsonl"
    answers: dict[str, dict[str, Any]] = {}
    label_dir = GOLD_PATH.parent / "labels"
    for f in sorted(label_dir.glob(pattern)):
        for row, rec in enumerate(iter_jsonl(f), start=1):
            bad = sorted(set(rec.get(LABELS, [])) - set(LABEL_NAMES))
            if bad:
                raise DataError(f"unknown label(s) {bad}", path=f, row=row, field=LABELS)
            if rec["id"] in answers:
                raise DataError(f"item {rec['id']!r} read twice", path=f, row=row, field="id")
            answers[rec["id"]] = rec
    known_ids = {r["item_id"] for r in items}
    stray = sorted(set(answers) - known_ids)
    if stray:
        raise DataError(f"readings of items not in the sample, e.g. {stray[:3]}", path=label_dir, field="id")
    bundled = _BUNDLED_CORPORA.get(name)
    docs: dict[tuple[str, str], str] = {}
    needed = {(r[CORPUS], r[DOC_ID]) for r in items if r["item_id"] in answers}
    if bundled is not None:
        for obj in iter_jsonl(bundled):
            docs[(obj[CORPUS], str(obj[DOC_ID]))] = obj[TEXT]
    else:
        home = _data_home(data_home)
        for corpus in sorted({c for c, _ in needed}):
            file = home / f"{corpus}.jsonl.gz"
            if not file.exists():
                raise MissingDataError(f"the validation sample {name!r} needs the corpus {corpus!r}, but {file} does "
                                       "not exist; set FRAMING_DATA to the folder of the corpora")
            for key, obj in _documents(file, {d for c, d in needed if c == corpus}):
                docs[(corpus, key)] = obj[TEXT]
    rows = []
    for row, rec in enumerate(items, start=1):
        ans = answers.get(rec["item_id"])
        if ans is None:
            continue
        text = docs[(rec[CORPUS], rec[DOC_ID])][rec[START]:rec[END]]
        if text_sha1(text) != rec["sha1"]:
            raise DataError("checksum mismatch: the corpus no longer has the annotated text", path=path, row=row,
                            field="sha1")
        out = {"item_id": rec["item_id"], CORPUS: rec[CORPUS], DOC_ID: rec[DOC_ID], START: rec[START],
               END: rec[END], TEXT: text, LABELS: list(ans[LABELS])}
        for label in LABEL_NAMES:
            out[label] = int(label in ans[LABELS])
        out.update({k: rec[k] for k in ("stratum", "stratum_size", "stratum_n", "inclusion_prob")})
        out.update(annotator=ans.get("annotator"), note=ans.get("note", ""))
        rows.append(out)
    columns = ["item_id", CORPUS, DOC_ID, START, END, TEXT, *LABEL_NAMES, LABELS, "stratum", "stratum_size",
               "stratum_n", "inclusion_prob", "annotator", "note"]
    return pd.DataFrame(rows, columns=columns)
