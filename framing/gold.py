"""The gold set: sentences labelled by reading against ``data/codebook.md``.

Annotations of external corpora are stored stand-off (corpus, doc_id, start, end and
the SHA-1 of the sentence) in ``data/annotations/gold.jsonl``; the text is joined from
the corpora in the data home at load time and checked against the SHA-1. Sentences of
the bundled seed corpus are stored inline. See ``data/annotations/README.md``.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from .columns import CORPUS, DOC_ID, END, LABEL_NAMES, LABELS, OUTLET, SAMPLING, SPLIT, START, TEXT
from .corpus import data_home as _data_home
from .corpus import iter_jsonl
from .errors import DataError, MissingDataError

__all__ = ["load_gold", "GOLD_PATH", "gold_label_matrix"]

GOLD_PATH = Path(__file__).parent / "data" / "annotations" / "gold.jsonl"


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


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
        Annotation file (default: the bundled ``gold.jsonl``).
    corpora : list of str, optional
        Only these corpora (``"seeds"`` needs no data home).

    Returns
    -------
    pandas.DataFrame
        One row per sentence: ``item_id, text, labels`` (list of label names), one 0/1
        column per label, ``corpus, doc_id, outlet, start, end, split, fold, sampling,
        annotator_pass, note``.

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
        seen: dict[str, int] = {}
        for obj in iter_jsonl(file):
            doc_id = str(obj.get(DOC_ID))
            # same renaming as framing.load_corpus for sources with repeated ids
            n = seen.get(doc_id, 0) + 1
            seen[doc_id] = n
            key = doc_id if n == 1 else f"{doc_id}#{n}"
            if key in ids:
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
            if _sha1(text) != rec["sha1"]:
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
            "note": rec.get("note", ""),
        }
        for label in LABEL_NAMES:
            row[label] = int(label in rec[LABELS])
        rows.append(row)
    columns = ["item_id", TEXT, LABELS, *LABEL_NAMES, CORPUS, DOC_ID, OUTLET, START, END, SPLIT, "fold",
               SAMPLING, "annotator_pass", "note"]
    return pd.DataFrame(rows, columns=columns)


def gold_label_matrix(gold: pd.DataFrame) -> pd.DataFrame:
    """The 0/1 label columns of a gold DataFrame, in :data:`framing.LABEL_NAMES` order."""
    return gold[list(LABEL_NAMES)]


def write_gold(records: list[dict[str, Any]], path: str | os.PathLike[str]) -> None:
    """Write gold records as JSONL (used by ``experiments/gold/build_gold.py``)."""
    with open(path, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
