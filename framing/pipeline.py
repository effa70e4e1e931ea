"""Label passages at scale: documents -> passages -> labels, probabilities, evidence, in
batches, so memory stays flat as the corpus grows. One output row per passage: no
passage is dropped (empty or missing texts get a row with no labels).

:func:`label_documents` and :func:`label_passages` also take a ``dask.dataframe.DataFrame``
and return a lazy one (see :mod:`framing.dask`).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .columns import EVIDENCE, PASSAGE_COLUMNS, PROBA_PREFIX, TEXT
from .corpus import _batched
from .errors import DataError, OutputError, writing_to
from .segment import Unit, _documents, empty_passages, iter_passage_frames

__all__ = ["label_passages", "iter_labelled", "iter_labelled_documents", "label_documents", "write_table",
           "TableWriter"]


def _label_batch(model: Any, frame: pd.DataFrame, evidence: bool) -> pd.DataFrame:
    texts = frame[TEXT].tolist()
    names = [str(c) for c in model.classes_]
    if evidence and hasattr(model, "predict_with_evidence"):
        labels, proba, ev = model.predict_with_evidence(texts)
    else:
        proba = model.predict_proba(texts)
        labels = model.predict(texts)
        ev = None
    # one new frame from the input's columns (not copied) and the new ones: inserting columns
    # one by one into a copy costs more than the labels themselves on wide tables
    columns: dict[Any, Any] = {col: frame[col] for col in frame.columns}
    labels = labels.astype(np.int64)
    proba = proba.round(4)
    for j, name in enumerate(names):
        columns[name] = labels[:, j]
    for j, name in enumerate(names):
        columns[f"{PROBA_PREFIX}{name}"] = proba[:, j]
    if evidence:
        values = [json.dumps(e, ensure_ascii=False) if e else "[]" for e in ev] if ev is not None \
            else ["[]"] * len(frame)
        columns[EVIDENCE] = pd.Series(values, index=frame.index, dtype=object)
    return pd.DataFrame(columns, index=frame.index, copy=False)


def _resolve(model: Any) -> Any:
    if model is None:
        from .model import load_pretrained

        return load_pretrained()
    return model


def iter_labelled(
    passages: pd.DataFrame | Iterable[dict[str, Any]] | Iterable[pd.DataFrame],
    model: Any = None,
    *,
    batch_size: int = 4096,
    evidence: bool = True,
) -> Iterator[pd.DataFrame]:
    """Label passages batch by batch; yields one DataFrame per batch.

    Parameters
    ----------
    passages : DataFrame, iterable of dict, or iterable of DataFrames
        Passage records with a ``text`` column (from :func:`framing.segment`, or your own);
        an iterable of DataFrames (e.g. :func:`framing.corpus.iter_table`) is labelled
        frame by frame, each cut into batches of at most ``batch_size`` rows.
    model : estimator, optional
        A fitted classifier with ``classes_``, ``predict`` and ``predict_proba``
        (default: :func:`framing.load_pretrained`).
    batch_size : int, default 4096
        Passages per batch.
    evidence : bool, default True
        Add an ``evidence`` column: the cue spans behind each predicted label (JSON).

    Examples
    --------
    >>> from framing.pipeline import iter_labelled
    >>> [len(b) for b in iter_labelled([{"text": "He reportedly left."}] * 3, batch_size=2)]
    [2, 1]
    """
    model = _resolve(model)
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    names = [str(c) for c in model.classes_]
    written = set(names) | {f"{PROBA_PREFIX}{n}" for n in names} | ({EVIDENCE} if evidence else set())
    for frame in _frames(passages, batch_size):
        if TEXT not in frame.columns:
            raise DataError(f"passages need a 'text' column (they have {[str(c) for c in frame.columns]})",
                            field=TEXT)
        clash = [str(c) for c in frame.columns if c in written]
        if clash:
            raise DataError(f"the passages already have the column(s) {clash}, which labelling writes; rename them "
                            "first (e.g. gold_<label> for your own labels) so that nothing is overwritten",
                            field=clash[0])
        yield _label_batch(model, frame, evidence)


def _frames(passages: Any, size: int) -> Iterator[pd.DataFrame]:
    """Frames of at most ``size`` rows, from a DataFrame, records, or DataFrames."""
    if isinstance(passages, pd.DataFrame):
        for start in range(0, max(len(passages), 1), size):
            yield passages.iloc[start:start + size].reset_index(drop=True)
        return
    if isinstance(passages, str):
        raise TypeError("passages must be a DataFrame with a 'text' column or records, not a str; for texts use "
                        "label_passages([...])")
    items = iter(passages)
    first = next(items, None)
    if first is None:
        return
    if isinstance(first, pd.DataFrame):
        for frame in _chain(first, items):
            for start in range(0, max(len(frame), 1), size):
                part = frame.iloc[start:start + size]
                yield part.reset_index(drop=True) if start or len(part) < len(frame) else part
        return
    for batch in _batched(_chain(first, items), size):
        yield pd.DataFrame(batch)


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


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
    passages : DataFrame with a ``text`` column, iterable of str, or dask.dataframe.DataFrame
        The passages. A Dask DataFrame is labelled lazily, partition by partition
        (:func:`framing.dask.label_passages_dask`), and a lazy one is returned.
    model : estimator, optional
        Default: the shipped model. On Dask also a ``.skops`` path.
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
    if _is_dask(passages):
        from .dask import label_passages_dask

        return label_passages_dask(passages, model, batch_size=batch_size, evidence=evidence)
    if not isinstance(passages, pd.DataFrame):
        if isinstance(passages, str):
            raise TypeError("passages must be a DataFrame with a 'text' column or a list of texts, not a str; "
                            "wrap one text in a list")
        passages = pd.DataFrame({TEXT: pd.Series(list(passages), dtype=object)})
    parts = list(iter_labelled(passages, model, batch_size=batch_size, evidence=evidence))
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def _is_dask(obj: Any) -> bool:
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr") and hasattr(obj, "map_partitions")


def label_documents(
    docs: pd.DataFrame | Iterable[dict[str, Any]],
    model: Any = None,
    *,
    unit: Unit = "sentence",
    batch_size: int = 4096,
    evidence: bool = True,
) -> pd.DataFrame:
    """Segment documents into passages and label them (see :func:`label_passages`).

    Parameters
    ----------
    docs : DataFrame, datasets.Dataset, iterable of dict, or dask.dataframe.DataFrame
        Documents (``doc_id`` and ``text`` required); their other columns are carried to
        each passage (see :func:`framing.segment`). A Dask DataFrame is labelled lazily,
        partition by partition (:func:`framing.dask.label_documents_dask`).
    model : estimator, path, optional
        Default: the shipped model. On Dask also a ``.skops`` path.
    unit : {"sentence", "paragraph"}, default "sentence"
        Passage unit.
    batch_size : int, default 4096
        Passages per batch.
    evidence : bool, default True
        Add the ``evidence`` column.

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        One row per passage: the passage columns, the documents' other columns, one 0/1
        column per label, ``p_<label>`` probabilities and ``evidence``. Lazy for Dask input,
        with the same columns, dtypes and values.

    Examples
    --------
    >>> import framing
    >>> from framing.pipeline import label_documents
    >>> labelled = label_documents(framing.load_demo_corpus())
    >>> len(labelled) == len(framing.segment(framing.load_demo_corpus()))
    True
    """
    if _is_dask(docs):
        from .dask import label_documents_dask

        return label_documents_dask(docs, model, unit=unit, batch_size=batch_size, evidence=evidence)
    parts = list(iter_labelled_documents(docs, model, unit=unit, batch_size=batch_size, evidence=evidence))
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


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
    records = _documents(docs, "iter_labelled_documents")
    empty = True
    for frame in iter_passage_frames(records, unit=unit, batch_size=batch_size):
        empty = False
        yield _label_batch(model, frame, evidence)
    if empty:  # no passages: one empty frame with every column, so that a table written from it has its header
        extra = [str(c) for c in docs.columns if c not in PASSAGE_COLUMNS and c != TEXT] \
            if isinstance(docs, pd.DataFrame) else []
        yield _label_batch(model, empty_passages(extra), evidence)


class TableWriter:
    """Append DataFrames to a CSV, JSONL or Parquet file, batch by batch.

    The format follows the suffix (``.csv``, ``.jsonl``, ``.parquet``). Batches go to a
    hidden ``.<name>.partial`` file beside the output, which replaces the output only when
    the writer is closed without an error; used as a context manager, an error deletes the
    partial file and leaves any earlier output untouched. The partial file is created at
    once, so an output that cannot be written fails before any work is done.

    A batch with no rows still gives the table its columns: a CSV header, a Parquet
    schema (a JSONL file of no rows is empty). Nested values (a ``meta`` dict) are written
    as JSON text.

    Raises
    ------
    framing.DataError
        The suffix is not one of the three formats.
    framing.OutputError
        The output's folder cannot be created or the file cannot be written.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in (".csv", ".jsonl", ".parquet"):
            raise DataError("unknown output format; use a .csv, .jsonl or .parquet file", path=self.path)
        self.format = suffix[1:]
        self._tmp = self.path.with_name(f".{self.path.name}.partial")
        if self.path.is_dir():
            raise OutputError("is a folder; give a file name (.csv, .jsonl or .parquet)", path=self.path)
        with self._output_errors():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._tmp.write_bytes(b"")
        self._first = True
        self._parquet: Any = None
        self.rows = 0

    def _output_errors(self) -> Any:
        return writing_to(self.path)

    def write(self, frame: pd.DataFrame) -> None:
        """Append one batch."""
        frame = _flat(frame)
        with self._output_errors():
            if self.format == "csv":
                frame.to_csv(self._tmp, mode="w" if self._first else "a", header=self._first, index=False)
            elif self.format == "jsonl":
                with open(self._tmp, "w" if self._first else "a", encoding="utf-8") as fh:
                    if len(frame):
                        frame.to_json(fh, orient="records", lines=True, force_ascii=False)
            else:
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(frame, preserve_index=False)
                if self._parquet is None:
                    # a column with no value in the first batch is text, not Arrow's null type, so
                    # that later batches with values fit the file's schema
                    schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f
                                        for f in table.schema], metadata=table.schema.metadata)
                    self._parquet = pq.ParquetWriter(self._tmp, schema)
                self._parquet.write_table(table.cast(self._parquet.schema))
        self._first = False
        self.rows += len(frame)

    def close(self) -> None:
        """Finish the file and move it into place (an empty file if nothing was written)."""
        with self._output_errors():
            if self._parquet is not None:
                self._parquet.close()
                self._parquet = None
            self._tmp.replace(self.path)

    def abort(self) -> None:
        """Discard what was written; an earlier file at the output path stays as it was."""
        if self._parquet is not None:
            try:
                self._parquet.close()
            except OSError:
                pass
            self._parquet = None
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if exc is None:
            self.close()
        else:
            self.abort()


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with nested values (dicts, lists: a ``meta`` column) as JSON text, so every format
    takes them; a value shared by many rows (a document's meta, on each of its passages) is
    serialised once."""
    nested = [col for col in frame.columns if frame[col].dtype == object
              and pd.api.types.infer_dtype(frame[col], skipna=True) not in ("string", "empty", "integer", "floating")
              and any(isinstance(v, (dict, list)) for v in frame[col].tolist())]
    if not nested:
        return frame
    frame = frame.copy()
    for col in nested:
        cache: dict[int, str] = {}
        values = frame[col].tolist()
        for i, v in enumerate(values):
            if isinstance(v, (dict, list)):
                key = id(v)
                text = cache.get(key)
                if text is None:
                    text = cache[key] = json.dumps(v, ensure_ascii=False)
                values[i] = text
        frame[col] = pd.Series(values, index=frame.index, dtype=object)
    return frame


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a DataFrame as CSV, JSONL or Parquet (by suffix)."""
    with TableWriter(path) as writer:
        writer.write(frame)
    return Path(path)
