"""Label passages at scale: documents -> passages -> labels, probabilities, evidence, in
batches, so memory stays flat as the corpus grows. One output row per passage: no
passage is dropped (empty or missing texts get a row with no labels).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .columns import EVIDENCE, PASSAGE_COLUMNS, PROBA_PREFIX, TEXT
from .errors import DataError
from .segment import Unit, iter_passage_frames

__all__ = ["label_passages", "iter_labelled", "iter_labelled_documents", "label_documents", "write_table",
           "TableWriter"]


def _batches(records: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for rec in records:
        batch.append(rec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _label_batch(model: Any, frame: pd.DataFrame, evidence: bool) -> pd.DataFrame:
    texts = frame[TEXT].tolist()
    names = [str(c) for c in model.classes_]
    if evidence and hasattr(model, "predict_with_evidence"):
        labels, proba, ev = model.predict_with_evidence(texts)
    else:
        proba = model.predict_proba(texts)
        labels = model.predict(texts)
        ev = None
    out = frame.copy()
    for j, name in enumerate(names):
        out[name] = labels[:, j].astype(int)
    for j, name in enumerate(names):
        out[f"{PROBA_PREFIX}{name}"] = proba[:, j].round(4)
    if evidence:
        out[EVIDENCE] = [json.dumps(e, ensure_ascii=False) if e else "[]" for e in ev] if ev is not None else "[]"
    return out


def _resolve(model: Any) -> Any:
    if model is None:
        from .model import load_pretrained

        return load_pretrained()
    return model


def iter_labelled(
    passages: pd.DataFrame | Iterable[dict[str, Any]],
    model: Any = None,
    *,
    batch_size: int = 4096,
    evidence: bool = True,
) -> Iterator[pd.DataFrame]:
    """Label passages batch by batch; yields one DataFrame per batch.

    Parameters
    ----------
    passages : DataFrame or iterable of dict
        Passage records with a ``text`` column (from :func:`framing.segment`, or your own).
    model : estimator, optional
        A fitted classifier with ``classes_``, ``predict`` and ``predict_proba``
        (default: :func:`framing.load_pretrained`).
    batch_size : int, default 4096
        Passages per batch.
    evidence : bool, default True
        Add an ``evidence`` column: the cue spans behind each predicted label (JSON).
    """
    model = _resolve(model)
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    records = passages.to_dict("records") if isinstance(passages, pd.DataFrame) else passages
    names = [str(c) for c in model.classes_]
    written = set(names) | {f"{PROBA_PREFIX}{n}" for n in names} | ({EVIDENCE} if evidence else set())
    for batch in _batches(records, batch_size):
        frame = pd.DataFrame(batch)
        if TEXT not in frame.columns:
            raise DataError("passages need a 'text' column", field=TEXT)
        clash = [str(c) for c in frame.columns if c in written]
        if clash:
            raise DataError(f"the passages already have the column(s) {clash}, which labelling writes; rename them "
                            "first (e.g. gold_<label> for your own labels) so that nothing is overwritten",
                            field=clash[0])
        yield _label_batch(model, frame, evidence)


def label_passages(
    passages: pd.DataFrame | Iterable[str],
    model: Any = None,
    *,
    batch_size: int = 4096,
    evidence: bool = True,
) -> pd.DataFrame:
    """Label passages and return one row per input passage, in order.

    Parameters
    ----------
    passages : DataFrame with a ``text`` column, or iterable of str
        The passages.
    model : estimator, optional
        Default: the shipped model.
    batch_size : int, default 4096
        Passages per batch.
    evidence : bool, default True
        Add the ``evidence`` column.

    Returns
    -------
    pandas.DataFrame
        The input columns plus one 0/1 column per label, ``p_<label>`` probabilities
        and ``evidence``.

    Examples
    --------
    >>> import framing
    >>> from framing.pipeline import label_passages
    >>> out = label_passages(["The ministry claimed, without evidence, that the plot was foreign.", ""])
    >>> len(out), int(out["hedged_attribution"].iloc[0])
    (2, 1)
    """
    if not isinstance(passages, pd.DataFrame):
        passages = pd.DataFrame({TEXT: list(passages)})
    parts = list(iter_labelled(passages, model, batch_size=batch_size, evidence=evidence))
    if not parts:
        return passages.iloc[0:0].copy()
    return pd.concat(parts, ignore_index=True)


def label_documents(
    docs: pd.DataFrame | Iterable[dict[str, Any]],
    model: Any = None,
    *,
    unit: Unit = "sentence",
    batch_size: int = 4096,
    evidence: bool = True,
) -> pd.DataFrame:
    """Segment documents into passages and label them (see :func:`label_passages`).

    Examples
    --------
    >>> import framing
    >>> from framing.pipeline import label_documents
    >>> labelled = label_documents(framing.load_demo_corpus())
    >>> len(labelled) == len(framing.segment(framing.load_demo_corpus()))
    True
    """
    parts = list(iter_labelled_documents(docs, model, unit=unit, batch_size=batch_size, evidence=evidence))
    if not parts:
        return pd.DataFrame(columns=list(PASSAGE_COLUMNS))
    return pd.concat(parts, ignore_index=True)


def iter_labelled_documents(
    docs: pd.DataFrame | Iterable[dict[str, Any]],
    model: Any = None,
    *,
    unit: Unit = "sentence",
    batch_size: int = 4096,
    evidence: bool = True,
) -> Iterator[pd.DataFrame]:
    """Segment documents and label their passages batch by batch; yields one DataFrame per batch.

    The streaming form of :func:`label_documents` (what ``framing label`` runs): memory
    stays flat however many documents ``docs`` yields.

    Parameters
    ----------
    docs : DataFrame or iterable of dict
        Document records (``doc_id`` and ``text`` required).
    model : estimator, optional
        Default: the shipped model.
    unit : {"sentence", "paragraph"}, default "sentence"
        Passage unit.
    batch_size : int, default 4096
        Passages per batch.
    evidence : bool, default True
        Add the ``evidence`` column.

    Examples
    --------
    >>> import framing
    >>> from framing.pipeline import iter_labelled_documents
    >>> batches = iter_labelled_documents(framing.load_demo_corpus(), batch_size=100)
    >>> len(next(batches))
    100
    """
    model = _resolve(model)
    for frame in iter_passage_frames(docs, unit=unit, batch_size=batch_size):
        yield _label_batch(model, frame, evidence)


class TableWriter:
    """Append DataFrames to a CSV, JSONL or Parquet file, batch by batch.

    The format follows the suffix (``.csv``, ``.jsonl``, ``.parquet``). Batches go to a
    hidden ``.<name>.partial`` file beside the output, which replaces the output only when
    the writer is closed without an error; used as a context manager, an error deletes the
    partial file and leaves any earlier output untouched.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in (".csv", ".jsonl", ".parquet"):
            raise DataError("unknown output format; use a .csv, .jsonl or .parquet file", path=self.path)
        self.format = suffix[1:]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = self.path.with_name(f".{self.path.name}.partial")
        self._first = True
        self._parquet: Any = None
        self.rows = 0

    def write(self, frame: pd.DataFrame) -> None:
        """Append one batch."""
        frame = frame.copy()
        for col in frame.columns:  # nested values (meta) as JSON text, so every format takes them
            if frame[col].dtype != object or pd.api.types.infer_dtype(frame[col], skipna=True) in ("string", "empty"):
                continue
            if frame[col].map(lambda v: isinstance(v, (dict, list))).any():
                frame[col] = frame[col].map(lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
        if self.format == "csv":
            frame.to_csv(self._tmp, mode="w" if self._first else "a", header=self._first, index=False)
        elif self.format == "jsonl":
            with open(self._tmp, "w" if self._first else "a", encoding="utf-8") as fh:
                frame.to_json(fh, orient="records", lines=True, force_ascii=False)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame, preserve_index=False)
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self._tmp, table.schema)
            self._parquet.write_table(table.cast(self._parquet.schema))
        self._first = False
        self.rows += len(frame)

    def close(self) -> None:
        """Finish the file and move it into place (an empty file if nothing was written)."""
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        elif self._first:
            self._tmp.write_text("" if self.format != "csv" else "\n")
        self._tmp.replace(self.path)

    def abort(self) -> None:
        """Discard what was written; an earlier file at the output path stays as it was."""
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if exc is None:
            self.close()
        else:
            self.abort()


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a DataFrame as CSV, JSONL or Parquet (by suffix)."""
    with TableWriter(path) as writer:
        writer.write(frame)
    return Path(path)
