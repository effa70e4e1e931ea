"""Scale out on Dask: label a ``dask.dataframe.DataFrame`` partition by partition, and read
and write partitioned Parquet (or folders of JSONL/CSV files) with framing's checks.

:func:`framing.label_documents` and :func:`framing.label_passages` hand a Dask DataFrame
to :func:`label_documents_dask` and :func:`label_passages_dask`, which return a lazy Dask
DataFrame with the same rows, columns and values as the pandas path (its index restarts
in each partition). Nothing is computed until you call ``.compute()`` or write it.

The model reaches the workers without pickle: the shipped model is loaded on each worker
from the package, a model file by its path, and a model object you pass is sent as its
skops serialisation. Each worker process loads a model once and keeps it (see
:func:`setup_worker` and :func:`worker_plugin` to do that, and freeze the garbage
collector, when the worker starts).

Bad input names its place: a file that cannot be read, a text that is not a string or a
wrong column type raise :class:`framing.DataError` naming the file (for readers) or the
partition, and the row and field; no row is dropped.

Needs the ``dask`` extra: ``pip install 'framing[dask]'``.
"""
from __future__ import annotations

import functools
import gc
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .columns import DOC_ID, TEXT
from .errors import DataError, MissingDataError

__all__ = ["label_documents_dask", "label_passages_dask", "read_corpus", "read_table", "to_parquet",
           "setup_worker", "worker_plugin"]

_INSTALL = "pip install 'framing[dask]'"
_SUFFIXES = (".parquet", ".pq", ".jsonl", ".jsonl.gz", ".ndjson", ".csv", ".csv.gz", ".tsv")


def _dd() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - the extra is installed for the tests
        raise ImportError(f"framing's Dask support needs dask[dataframe]: {_INSTALL}") from exc
    return dd


# ---------------------------------------------------------------- the model on the workers

#: One model per process (a Dask worker): key -> loaded model.
_MODELS: dict[str, Any] = {}


class _ModelRef:
    """Which model to use, in a form that travels to workers without pickling the model:
    the shipped model, a ``.skops`` path, or the skops bytes of a model object."""

    def __init__(self, model: Any) -> None:
        self.path: str | None = None
        self.data: bytes | None = None
        if model is None:
            self.key = "pretrained"
        elif isinstance(model, (str, Path)):
            self.path = str(Path(model).resolve())
            self.key = f"path:{self.path}"
        else:
            import skops.io as sio

            self.data = sio.dumps(model)
            self.key = "skops:" + hashlib.sha256(self.data).hexdigest()
            _MODELS.setdefault(self.key, model)  # the caller's process has it already

    def get(self) -> Any:
        model = _MODELS.get(self.key)
        if model is None:
            if self.key == "pretrained":
                from .model import load_pretrained

                model = load_pretrained()
            elif self.path is not None:
                from .model import load_model

                model = load_model(self.path)
            else:
                import skops.io as sio

                from .model import _trusted

                model = sio.loads(self.data, trusted=_trusted())
            _MODELS[self.key] = model
        return model


def setup_worker(model: Any = None) -> None:
    """Prepare this process to label: load ``model`` once, warm the segmenter, freeze the GC.

    What ``framing label`` does before it starts: the model's look-up tables and Punkt's
    parameters are large, long-lived object graphs, and Python's cyclic garbage collector
    would walk them again and again while labelling. Run it on each worker, e.g.
    ``client.run(framing.dask.setup_worker)``, or register :func:`worker_plugin` so that
    workers that join later run it too.

    Parameters
    ----------
    model : None, path or estimator, optional
        The model that labelling will use (the same argument as for
        :func:`framing.label_documents`); default the shipped model.
    """
    from .segment import sentence_spans

    loaded = _ModelRef(model).get()
    if hasattr(loaded, "predict_proba"):
        loaded.predict_proba(["The ministry said the plot was foiled."])
    sentence_spans("Mr. Smith said so. He left.")
    gc.freeze()


def worker_plugin(model: Any = None) -> Any:
    """A ``distributed.WorkerPlugin`` that runs :func:`setup_worker` on every worker, as it starts.

    Examples
    --------
    >>> import framing.dask
    >>> plugin = framing.dask.worker_plugin()  # doctest: +SKIP
    >>> client.register_plugin(plugin)         # doctest: +SKIP
    """
    try:
        from distributed import WorkerPlugin
    except ImportError as exc:  # pragma: no cover
        raise ImportError(f"framing.dask.worker_plugin needs distributed: {_INSTALL}") from exc

    ref = _ModelRef(model)

    class FramingWorkerPlugin(WorkerPlugin):  # defined here: distributed is optional
        name = f"framing-{ref.key[:40]}"

        def setup(self, worker: Any) -> None:
            setup_worker(ref.path if ref.path else (None if ref.key == "pretrained" else ref.get()))

    return FramingWorkerPlugin()


# ---------------------------------------------------------------- labelling


def _partition_number(partition_info: Mapping[str, Any] | None) -> int | None:
    return None if partition_info is None else partition_info.get("number")


def _label_documents_partition(part: pd.DataFrame, ref: _ModelRef, unit: str, batch_size: int, evidence: bool,
                               partition_info: Mapping[str, Any] | None = None) -> pd.DataFrame:
    from .pipeline import label_documents

    try:
        return label_documents(part, ref.get(), unit=unit, batch_size=batch_size, evidence=evidence)  # type: ignore[arg-type]
    except DataError as exc:
        raise exc.located(partition=_partition_number(partition_info)) from None


def _label_passages_partition(part: pd.DataFrame, ref: _ModelRef, batch_size: int, evidence: bool,
                              partition_info: Mapping[str, Any] | None = None) -> pd.DataFrame:
    from .pipeline import label_passages

    try:
        return label_passages(part.reset_index(drop=True), ref.get(), batch_size=batch_size, evidence=evidence)
    except DataError as exc:
        raise exc.located(partition=_partition_number(partition_info)) from None


def _plain(meta: pd.DataFrame) -> pd.DataFrame:
    """An empty pandas frame like a Dask DataFrame's meta, with text columns as Python objects
    (what framing's readers give), so that meta and partitions are labelled the same way."""
    return meta.iloc[0:0].astype({c: object for c in meta.columns if not pd.api.types.is_numeric_dtype(meta[c])})


def label_documents_dask(ddf: Any, model: Any = None, *, unit: str = "sentence", batch_size: int = 4096,
                         evidence: bool = True) -> Any:
    """Segment and label a Dask DataFrame of documents, lazily, one partition at a time.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Documents (``doc_id`` and ``text`` required; other columns are carried to the
        passages as in :func:`framing.segment`).
    model : None, path or estimator, optional
        The shipped model (default), a ``.skops`` file, or a fitted model (sent to the
        workers as skops bytes, never pickled).
    unit, batch_size, evidence
        As for :func:`framing.label_documents`.

    Returns
    -------
    dask.dataframe.DataFrame
        The passages with labels, probabilities and evidence, with ``meta`` (column names
        and dtypes) as the partitions give them.

    Raises
    ------
    framing.DataError
        Now, when a column is missing; at compute time, naming the partition, row and field
        of a bad document.
    """
    _dd()
    missing = [c for c in (TEXT, DOC_ID) if c not in ddf.columns]
    if missing:
        raise DataError(f"the documents have no {missing[0]!r} column (they have {list(map(str, ddf.columns))})",
                        field=missing[0])
    ref = _ModelRef(model)
    meta = _label_documents_partition(_plain(ddf._meta), ref, unit, batch_size, evidence)
    return ddf.map_partitions(_label_documents_partition, ref, unit, batch_size, evidence, meta=meta,
                              align_dataframes=False, enforce_metadata=False)


def label_passages_dask(ddf: Any, model: Any = None, *, batch_size: int = 4096, evidence: bool = True) -> Any:
    """Label a Dask DataFrame of passages (a ``text`` column), lazily, one partition at a time.

    Parameters and errors as for :func:`label_documents_dask`; the passages' own columns are
    kept, and a column that labelling would write (a label, ``p_<label>``, ``evidence``)
    is an error now, before anything is computed.
    """
    _dd()
    if TEXT not in ddf.columns:
        raise DataError(f"passages need a 'text' column (they have {list(map(str, ddf.columns))})", field=TEXT)
    ref = _ModelRef(model)
    meta = _label_passages_partition(_plain(ddf._meta), ref, batch_size, evidence)
    return ddf.map_partitions(_label_passages_partition, ref, batch_size, evidence, meta=meta,
                              align_dataframes=False, enforce_metadata=False)


# ---------------------------------------------------------------- partitioned files


def _files(source: str | Path | Sequence[str | Path]) -> list[Path]:
    """The data files of a folder (recursively, in name order), a glob pattern, or a list."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(_SUFFIXES)
                           and not p.name.startswith((".", "_")))
        elif any(ch in str(source) for ch in "*?["):
            files = sorted(Path(p) for p in __import__("glob").glob(str(source), recursive=True))
        else:
            files = [path]
    else:
        files = [Path(p) for p in source]
    for file in files:
        if not file.exists():
            raise MissingDataError(f"{file}: no such file or folder")
    if not files:
        raise MissingDataError(f"{source}: no data files ({', '.join(_SUFFIXES)}) there")
    return files


def _objects_kept() -> Any:
    """Keep object columns as framing's readers give them: Dask would otherwise turn them into
    Arrow strings, and a ``meta`` dict into its ``repr``."""
    import dask

    return dask.config.set({"dataframe.convert-string": False})


def _read_corpus_file(path: Path, columns: Mapping[str, str] | None, corpus: str | None, errors: str) -> pd.DataFrame:
    from .corpus import read_corpus as read_one

    return read_one(path, columns=columns, corpus=corpus, errors=errors)  # type: ignore[arg-type]


def _read_table_file(path: Path, text_column: str | None, id_column: str | None, errors: str,
                     columns: list[str] | None) -> pd.DataFrame:
    from .corpus import read_table as read_one

    frame = read_one(path, text_column=text_column, id_column=id_column, errors=errors)  # type: ignore[arg-type]
    if columns is not None and list(frame.columns) != columns:
        raise DataError(f"the file's columns {list(map(str, frame.columns))} differ from the first file's {columns}",
                        path=path)
    return frame


def read_corpus(source: str | Path | Sequence[str | Path], *, columns: Mapping[str, str] | None = None,
                corpus: str | None = None, errors: str = "raise") -> Any:
    """Read documents as a Dask DataFrame: one partition per file, each read by :func:`framing.read_corpus`.

    Parameters
    ----------
    source : path, glob pattern or list of paths
        A folder of Parquet, JSONL or CSV files (a partitioned dataset, read recursively in
        file-name order; names starting with ``.`` or ``_`` are skipped), a pattern such as
        ``"news/*.jsonl.gz"``, or a list of files.
    columns, corpus, errors
        As for :func:`framing.read_corpus` (``corpus`` defaults to each file's stem).

    Returns
    -------
    dask.dataframe.DataFrame
        The columns :data:`framing.columns.DOCUMENT_COLUMNS`; ``meta`` is a dict per row.
        Document ids are checked for duplicates within each file.

    Raises
    ------
    framing.MissingDataError
        No such file, or no data file in the folder.
    framing.DataError
        At compute time, naming the file, row and field (a corrupt file, a text that is not
        a string, a wrong column type).
    """
    dd = _dd()
    files = _files(source)
    meta = _read_corpus_file(files[0], columns, corpus, errors).iloc[0:0]
    # options bound here: from_map keeps a 'columns' keyword for itself
    read = functools.partial(_read_corpus_file, columns=columns, corpus=corpus, errors=errors)
    with _objects_kept():
        return dd.from_map(read, files, meta=meta, enforce_metadata=False, label="framing-read-corpus")


def read_table(source: str | Path | Sequence[str | Path], *, text_column: str | None = None,
               id_column: str | None = None, errors: str = "raise") -> Any:
    """Read a partitioned table of passages as a Dask DataFrame, each file by :func:`framing.corpus.read_table`.

    Every column is kept as it is; the text column is checked (and renamed to ``text``). All
    files must have the first file's columns.

    Parameters
    ----------
    source : path, glob pattern or list of paths
        As for :func:`read_corpus`.
    text_column, id_column, errors
        As for :func:`framing.corpus.read_table`.
    """
    dd = _dd()
    files = _files(source)
    first = _read_table_file(files[0], text_column, id_column, errors, None)
    read = functools.partial(_read_table_file, text_column=text_column, id_column=id_column, errors=errors,
                             columns=list(map(str, first.columns)))
    with _objects_kept():
        return dd.from_map(read, files, meta=first.iloc[0:0], enforce_metadata=False, label="framing-read-table")


def _flat_partition(part: pd.DataFrame, nested: list[str]) -> pd.DataFrame:
    from .pipeline import _flat

    out = _flat(part)
    for col in nested:  # JSON text, or missing, in every partition alike
        out[col] = out[col].astype(object)
    return out


def to_parquet(ddf: Any, path: str | Path, **kwargs: Any) -> None:
    """Write a Dask DataFrame as partitioned Parquet, one file per partition, as framing reads it back.

    Nested values (a ``meta`` dict) are written as JSON text, as :class:`framing.pipeline.TableWriter`
    does, and object columns as text in every file (so a partition where a column is all
    missing has the same schema as the others). Extra keyword arguments go to
    ``dask.dataframe.DataFrame.to_parquet``; the index is not written.
    """
    import pyarrow as pa

    _dd()
    meta = ddf._meta
    nested = [c for c in meta.columns if meta[c].dtype == object]
    flat = ddf.map_partitions(_flat_partition, nested, meta=meta.astype({c: object for c in nested}),
                              enforce_metadata=False)
    fields = []
    for name in meta.columns:
        if name in nested or not pd.api.types.is_numeric_dtype(meta[name]) and not pd.api.types.is_bool_dtype(meta[name]):
            fields.append(pa.field(str(name), pa.string()))
        else:
            fields.append(pa.field(str(name), pa.from_numpy_dtype(meta[name].dtype)))
    kwargs.setdefault("write_index", False)
    flat.to_parquet(str(path), schema=pa.schema(fields), **kwargs)

