"""Corpus records: read documents from JSONL, CSV, Parquet, a folder of .txt files or a
Hugging Face dataset into one tidy table.

Every reader returns a :class:`pandas.DataFrame` with the columns
:data:`framing.columns.DOCUMENT_COLUMNS` (``corpus, doc_id, outlet, date, title, url,
event_id, text, meta``), one row per input row, in input order.

Bad-input policy (``errors="raise"``, the default)
--------------------------------------------------
A :class:`framing.errors.DataError` naming the file, row and field is raised for: a
missing text column, a text that is None/NaN or not a string, invalid UTF-8, a row that
is not valid JSON or not an object, and duplicate document ids. Empty texts are kept
(they yield no passages). Documents of any size are accepted.

A ``date`` given as a number of the size of a Unix time (seconds, or milliseconds as
``DataFrame.to_json`` writes dates) is read as that time and kept as an ISO date (UTC);
other dates are kept as text.

With ``errors="coerce"`` nothing is raised for row-level problems and no row is
dropped: missing texts become ``""``, non-strings are converted with ``str`` (an integer
stays as written: ``123``, not ``123.0``), a line that is not valid UTF-8 is decoded in
the encoding ``charset-normalizer`` finds for it (Windows-1252 where that reads the same,
so "El Pa\xeds" becomes "El País"; U+FFFD only where no encoding fits), duplicate ids get
a ``#2``, ``#3`` ... suffix, and each repair is recorded in the row's
``meta["framing_repairs"]`` and summarised in one :class:`framing.errors.RepairWarning`.

CSV files are read with the delimiter their header line uses (``,``, ``;``, tab or ``|``;
tab for ``.tsv``). Every format is read in batches, so :func:`iter_corpus` and
:func:`iter_table` keep memory flat however large the file.
"""
from __future__ import annotations

import gzip
import io
import json
import math
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .columns import (
    CORPUS,
    DATE,
    DOC_ID,
    DOCUMENT_COLUMNS,
    EVENT_ID,
    META,
    OUTLET,
    TEXT,
    TITLE,
    URL,
)
from .errors import DataError, MissingDataError, RepairWarning

__all__ = [
    "read_corpus",
    "iter_corpus",
    "iter_table",
    "load_corpus",
    "load_demo_corpus",
    "data_home",
    "iter_jsonl",
    "read_table",
    "FORMATS",
    "KNOWN_CORPORA",
]

Errors = Literal["raise", "coerce"]

#: Formats :func:`read_corpus` understands, by name.
FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "txt", "hf")

#: Corpora a data home is expected to hold (``<name>.jsonl.gz``); see ``data/README.md``.
KNOWN_CORPORA: tuple[str, ...] = (
    "allsides",
    "allsides_stories",
    "basil",
    "dailymail_2020",
    "ecbplus",
    "polnear",
    "semeval2023_en",
    "tehran_times",
)

_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}

#: Known corpora whose source repeats a doc_id; ``load_corpus`` renames the repeats
#: ``<id>#2``, ``<id>#3`` ... in file order (BASIL has four HuffPost articles with the id
#: "empty"). The renaming is deterministic, so stand-off annotations can point at them.
_RENAME_DUPLICATE_IDS = frozenset({"basil"})

_BUNDLED = Path(__file__).parent / "data" / "corpus"


def data_home(data_home: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder where external corpora are looked for.

    Parameters
    ----------
    data_home : path-like, optional
        An explicit folder. When None, the ``FRAMING_DATA`` environment variable is
        used, and when that is unset, ``~/framing_data``.

    Returns
    -------
    pathlib.Path
        The folder (it may not exist).

    Examples
    --------
    >>> import framing
    >>> framing.data_home("/tmp/corpora").as_posix()
    '/tmp/corpora'
    """
    if data_home is not None:
        return Path(data_home).expanduser()
    env = os.environ.get("FRAMING_DATA")
    if env:
        return Path(env).expanduser()
    return Path.home() / "framing_data"


def load_corpus(
    name: str,
    *,
    data_home: str | os.PathLike[str] | None = None,
    errors: Errors = "raise",
) -> pd.DataFrame:
    """Load an external corpus by name from the data home.

    Parameters
    ----------
    name : str
        Corpus name, e.g. ``"basil"`` or ``"tehran_times"``; the file
        ``<data_home>/<name>.jsonl.gz`` (or ``.jsonl``, ``.parquet``) is read.
    data_home : path-like, optional
        Folder holding the corpora; see :func:`data_home`.
    errors : {"raise", "coerce"}, default "raise"
        Bad-row policy; see the module docstring.

    Returns
    -------
    pandas.DataFrame
        One row per document with :data:`framing.columns.DOCUMENT_COLUMNS`.

    Raises
    ------
    MissingDataError
        When no file for ``name`` is in the data home; the message says where to put it.

    Examples
    --------
    >>> import framing
    >>> basil = framing.load_corpus("basil")  # doctest: +SKIP
    """
    home = globals()["data_home"](data_home)
    for suffix in (".jsonl.gz", ".jsonl", ".parquet"):
        path = home / f"{name}{suffix}"
        if path.exists():
            return read_corpus(path, corpus=name, errors=errors,
                               duplicate_ids="rename" if name in _RENAME_DUPLICATE_IDS else None)
    known = ", ".join(KNOWN_CORPORA)
    raise MissingDataError(
        f"corpus {name!r} was not found in the data home {home} (looked for "
        f"{name}.jsonl.gz, {name}.jsonl, {name}.parquet). Put the corpus files there, or "
        f"point FRAMING_DATA (or data_home=) at the folder that holds them, e.g. "
        f"FRAMING_DATA=../shared/corpora. Known corpora: {known}."
    )


def load_demo_corpus(name: str = "seeds") -> pd.DataFrame:
    """Load a bundled demo corpus.

    Parameters
    ----------
    name : {"seeds", "allsides"}, default "seeds"
        ``"seeds"``: 2025 reporting on Russia-Azerbaijan relations (six documents, with
        hand-assigned events). ``"allsides"``: 58 articles by left, centre and right
        outlets on eight shared events (``event_id``, and a ``bias`` column). See
        ``data/corpus/README.md``.

    Returns
    -------
    pandas.DataFrame
        One row per document (the ``allsides`` set also has ``bias`` and ``topic``).

    Examples
    --------
    >>> import framing
    >>> framing.load_demo_corpus()["corpus"].unique().tolist()
    ['seeds']
    >>> framing.load_demo_corpus("allsides")["bias"].value_counts().sort_index().to_dict()
    {'center': 22, 'left': 17, 'right': 19}
    """
    if name == "seeds":
        return read_corpus(_BUNDLED / "documents.jsonl", corpus="seeds")
    if name == "allsides":
        frame = read_corpus(_BUNDLED / "allsides_demo.jsonl", corpus="allsides")
        for col in ("bias", "topic"):
            frame[col] = frame[META].map(lambda m, col=col: m.get(col))
        return frame
    raise ValueError(f"unknown demo corpus {name!r}; use 'seeds' or 'allsides'")


def read_corpus(
    source: Any,
    *,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    corpus: str | None = None,
    errors: Errors = "raise",
    split: str = "train",
    duplicate_ids: Literal["raise", "rename"] | None = None,
) -> pd.DataFrame:
    """Read documents from a file, a folder or a Hugging Face dataset.

    Parameters
    ----------
    source : path-like, pandas.DataFrame, datasets.Dataset or str
        A ``.jsonl``/``.jsonl.gz``, ``.csv``, ``.parquet`` file; a folder of ``.txt``
        files (one document each, ``doc_id`` = file stem, optional ``metadata.csv``
        with a ``doc_id`` column); a folder written by ``Dataset.save_to_disk``; a
        ``datasets.Dataset``/``DatasetDict``; or, with ``format="hf"``, anything
        :func:`datasets.load_dataset` accepts (a local folder of data files, or a hub
        name, which downloads and so needs a network).
    format : {"jsonl", "csv", "parquet", "txt", "hf"}, optional
        Overrides the format inferred from the suffix.
    columns : mapping, optional
        Renames source columns to the library's names, pandas style
        ``{source_name: framing_name}``, e.g. ``{"body": "text", "id": "doc_id"}``.
    corpus : str, optional
        Corpus name for rows that carry none (default: the file stem).
    errors : {"raise", "coerce"}, default "raise"
        Bad-row policy; see the module docstring.
    split : str, default "train"
        Which split to take from a ``DatasetDict`` or ``load_dataset``.
    duplicate_ids : {"raise", "rename"}, optional
        What to do with a repeated ``doc_id``; defaults to ``"raise"`` with
        ``errors="raise"`` and ``"rename"`` (``#2``, ``#3`` ... in file order) with
        ``errors="coerce"``.

    Returns
    -------
    pandas.DataFrame
        One row per input row, in order, with :data:`framing.columns.DOCUMENT_COLUMNS`.
        Columns the library does not know are folded into ``meta`` (a dict per row).

    Raises
    ------
    MissingDataError
        The file or folder does not exist.
    DataError
        Unknown format, missing text column, or (with ``errors="raise"``) a bad row.

    Examples
    --------
    >>> import pandas as pd, framing
    >>> df = pd.DataFrame({"id": ["a"], "body": ["The FSB said so."]})
    >>> framing.read_corpus(df, columns={"id": "doc_id", "body": "text"})[["doc_id", "text"]]
      doc_id              text
    0      a  The FSB said so.
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    dup = duplicate_ids or ("raise" if errors == "raise" else "rename")
    if isinstance(source, pd.DataFrame):
        return _normalise(source.to_dict("records"), "<DataFrame>", corpus or "corpus", columns, errors, dup)
    if _is_hf_dataset(source) or format == "hf":
        return _read_hf(source, columns=columns, corpus=corpus, errors=errors, split=split, dup=dup)

    path = Path(source)
    if not path.exists():
        raise MissingDataError(f"{path}: no such file or folder")
    fmt = format or _infer_format(path)
    name = corpus or _stem(path)
    if fmt == "hf":
        return _read_hf(path, columns=columns, corpus=corpus, errors=errors, split=split, dup=dup)
    if fmt not in FORMATS:
        raise DataError(f"unknown format {fmt!r}; supported: {', '.join(FORMATS)}", path=path)
    if duplicate_ids is None and name in _RENAME_DUPLICATE_IDS:
        dup = "rename"  # a known corpus whose source repeats ids (see _RENAME_DUPLICATE_IDS)
    return _normalise(_records(path, fmt, errors), str(path), name, columns, errors, dup)


def _records(path: Path, fmt: str, errors: Errors) -> list[dict[str, Any]]:
    """The raw records of a file or folder in one of the file formats."""
    return [rec for batch in _record_batches(path, fmt, errors, 65536) for rec in batch]


def _record_batches(path: Path, fmt: str, errors: Errors, size: int,
                    meter: _Meter | None = None) -> Iterator[list[dict[str, Any]]]:
    """The raw records of a file or folder (not a saved HF dataset), ``size`` at a time, as they
    are written (ids and numbers not converted); read failures are DataErrors naming the file."""
    with _ReadFailure(path, fmt):
        if fmt == "jsonl":
            yield from _batched(_jsonl_records(path, errors, meter=meter), size)
        elif fmt == "csv":
            for frame in _csv_chunks(path, errors, str, size, meter=meter):
                yield frame.to_dict("records")
        elif fmt == "parquet":
            for batch in _parquet_batches(path, size, meter=meter):
                yield batch.to_pylist()
        else:
            yield from _batched(_txt_records(path, errors), size)


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _parquet_batches(path: Path, size: int, meter: _Meter | None = None) -> Iterator[Any]:
    """The record batches of a Parquet file, or of every ``*.parquet`` file of a folder (a
    partitioned dataset, in file-name order); a failure names the file."""
    import pyarrow.parquet as pq

    files = sorted(p for p in path.rglob("*.parquet") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        with _ReadFailure(file, "parquet"):
            reader = pq.ParquetFile(file)
            share = file.stat().st_size / max(reader.metadata.num_rows, 1)
            for batch in reader.iter_batches(batch_size=size):
                if meter is not None:
                    meter.advance(round(batch.num_rows * share))
                yield batch


def iter_corpus(
    source: Any,
    *,
    chunk_size: int = 2000,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    corpus: str | None = None,
    errors: Errors = "raise",
    duplicate_ids: Literal["raise", "rename"] | None = None,
) -> Iterator[pd.DataFrame]:
    """Read documents in chunks, for corpora larger than memory.

    Files of every format are read in batches (JSONL line by line, CSV and Parquet in
    blocks), so memory stays flat; a DataFrame or Hugging Face dataset is cut into chunks.
    Takes the arguments of :func:`read_corpus`; yields DataFrames of at most
    ``chunk_size`` documents, with the same validation (row numbers and duplicate ids
    are tracked across chunks). For a file, ``chunk.attrs["bytes_read"]`` and
    ``chunk.attrs["bytes_total"]`` say how far into the file the chunk ends (compressed
    bytes for a ``.gz`` file), for progress bars.

    Examples
    --------
    >>> import framing
    >>> from framing.corpus import iter_corpus
    >>> sum(len(c) for c in iter_corpus(framing.load_demo_corpus(), chunk_size=2))
    6
    """
    dup = duplicate_ids or ("raise" if errors == "raise" else "rename")
    path = None if isinstance(source, pd.DataFrame) or _is_hf_dataset(source) else Path(source)
    fmt = None
    if path is not None:
        if not path.exists():
            raise MissingDataError(f"{path}: no such file or folder")
        fmt = format or _infer_format(path)
        if fmt not in FORMATS:
            raise DataError(f"unknown format {fmt!r}; supported: {', '.join(FORMATS)}", path=path)
        if duplicate_ids is None and (corpus or _stem(path)) in _RENAME_DUPLICATE_IDS:
            dup = "rename"
    if path is None or fmt == "hf":
        frame = read_corpus(source, format=format, columns=columns, corpus=corpus, errors=errors, duplicate_ids=dup)
        for start in range(0, max(len(frame), 1), chunk_size):
            chunk = frame.iloc[start:start + chunk_size].reset_index(drop=True)
            chunk.attrs.update(rows_read=start + len(chunk), rows_total=len(frame))
            yield chunk
        return
    seen: dict[str, int] = {}
    offset = 0
    meter = _Meter(path)
    for records in _record_batches(path, fmt, errors, chunk_size, meter):
        chunk = _normalise(records, str(path), corpus or _stem(path), columns, errors, dup, seen, offset)
        offset += len(records)
        chunk.attrs.update(bytes_read=meter.read(), bytes_total=meter.total)
        yield chunk
    if offset == 0:
        yield _normalise([], str(path), corpus or _stem(path), columns, errors, dup, seen, offset)


class _Meter:
    """How far a reader is into its file, for progress bars: the position in the raw file (the
    compressed position for a .gz file), or the bytes of the Parquet batches read so far."""

    def __init__(self, path: Path) -> None:
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        self.total = sum(p.stat().st_size for p in files)
        self._raw: Any = None
        self._advanced = 0

    def attach(self, raw: Any) -> None:
        self._raw = raw

    def advance(self, n: int) -> None:
        self._advanced += n

    def read(self) -> int:
        if self._raw is not None:
            try:
                return min(self._raw.tell(), self.total)
            except (ValueError, OSError):  # closed: the whole file was read
                return self.total
        return min(self._advanced, self.total)


def read_table(
    source: Any,
    *,
    format: str | None = None,
    text_column: str | None = None,
    id_column: str | None = None,
    errors: Errors = "raise",
    split: str = "train",
    strings: Sequence[str] = (),
) -> pd.DataFrame:
    """Read a table of passages or labelled rows *as is*: every column kept, one row per row.

    The reader behind ``framing train``, ``framing evaluate`` and ``framing report``
    (``framing label --passages`` streams the same batches with :func:`iter_table`). It
    takes the sources :func:`read_corpus` takes, with the same failure policy, but does not
    fold columns into ``meta``: label columns, offsets and ids come back as they are. The
    text and id columns keep their values as written (CSV fields as strings, so ``007``
    stays ``007``; an integer stays an integer, never ``123.0``); other columns get pandas'
    type inference. An empty CSV field is missing, except in the text column, where it is
    the empty text.

    Parameters
    ----------
    source : path-like, pandas.DataFrame or datasets.Dataset
        A ``.jsonl``/``.jsonl.gz``, ``.csv``/``.tsv`` (optionally ``.gz``), ``.parquet``
        file or folder of Parquet files, a ``.txt`` file or folder, or a saved Hugging Face
        dataset.
    format : {"jsonl", "csv", "parquet", "txt", "hf"}, optional
        Overrides the format inferred from the suffix.
    text_column : str, optional
        The column holding the text, renamed to ``text`` (default: ``text``). Naming a
        column that does not exist is an error.
    id_column : str, optional
        A column to rename to ``doc_id``.
    errors : {"raise", "coerce"}, default "raise"
        A missing or non-string text, or invalid UTF-8: :class:`DataError` naming file, row
        and field, or (``"coerce"``) the repairs of the module docstring and one
        :class:`framing.errors.RepairWarning` listing the repaired rows.
    split : str, default "train"
        Which split of a saved ``DatasetDict``.
    strings : sequence of str, optional
        More CSV columns to read as strings, as the text and id columns are (ids such as
        ``007``, SHA-1 digests, free text); columns the file lacks are ignored.

    Returns
    -------
    pandas.DataFrame
        The table, in input order, with the text column named ``text``.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.corpus import read_table
    >>> read_table(pd.DataFrame({"body": ["The FSB said so."], "x": [1]}), text_column="body")
                   text  x
    0  The FSB said so.  1
    """
    parts = list(iter_table(source, format=format, text_column=text_column, id_column=id_column, errors=errors,
                            split=split, strings=strings, batch_size=1 << 20, _stacklevel=3))
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    frame.attrs.clear()
    return frame


def iter_table(
    source: Any,
    *,
    batch_size: int = 4096,
    format: str | None = None,
    text_column: str | None = None,
    id_column: str | None = None,
    errors: Errors = "raise",
    split: str = "train",
    strings: Sequence[str] = (),
    _stacklevel: int = 2,
) -> Iterator[pd.DataFrame]:
    """Read a table of passages as :func:`read_table` does, ``batch_size`` rows at a time.

    Memory stays flat however large the file (CSV, JSONL and Parquet are read in blocks).
    Row numbers in errors count from the start of the file; repairs under
    ``errors="coerce"`` are summarised in one warning at the end. At least one frame is
    yielded, with the table's columns, even for a table with no rows. For a file,
    ``frame.attrs["bytes_read"]`` and ``frame.attrs["bytes_total"]`` say how far into the
    file the frame ends (for progress bars).

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.corpus import iter_table
    >>> [len(f) for f in iter_table(pd.DataFrame({"text": ["a", "b", "c"]}), batch_size=2)]
    [2, 1]
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    text_col = text_column or TEXT
    strings = {text_col, id_column or DOC_ID, *strings}
    meter = None
    if isinstance(source, pd.DataFrame) or _is_hf_dataset(source):
        label = "<DataFrame>" if isinstance(source, pd.DataFrame) else "<datasets.Dataset>"
        whole = source if isinstance(source, pd.DataFrame) else _load_hf(source, split, label).to_pandas()
        frames: Iterable[pd.DataFrame] = (whole.iloc[i:i + batch_size].copy()
                                          for i in range(0, max(len(whole), 1), batch_size))
    else:
        path = Path(source)
        if not path.exists():
            raise MissingDataError(f"{path}: no such file or folder")
        label = str(path)
        fmt = format or _infer_format(path)
        if fmt not in FORMATS:
            raise DataError(f"unknown format {fmt!r}; supported: {', '.join(FORMATS)}", path=path)
        meter = _Meter(path)
        frames = _table_frames(path, fmt, errors, text_col, strings, batch_size, split, meter)
    repaired: list[str] = []
    offset = 0
    for frame in frames:
        frame = _checked_table(frame, label, text_column, id_column, errors, offset, repaired)
        offset += len(frame)
        if meter is not None:
            frame.attrs.update(bytes_read=meter.read(), bytes_total=meter.total)
        yield frame
    _warn_repaired(label, repaired, stacklevel=_stacklevel)


def _table_frames(path: Path, fmt: str, errors: Errors, text_col: str, strings: set[str], size: int, split: str,
                  meter: _Meter) -> Iterator[pd.DataFrame]:
    """Raw frames of a table file, the text and id columns (``strings``) as written."""
    with _ReadFailure(path, fmt):
        if fmt == "csv":
            yielded = False
            for frame in _csv_chunks(path, errors, {c: str for c in strings}, size, meter=meter):
                if text_col in frame.columns:  # CSV has no None: an empty text field is an empty text
                    frame[text_col] = frame[text_col].fillna("")
                yielded = True
                yield frame
            if not yielded:
                yield pd.DataFrame()
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            batches = _parquet_batches(path, size, meter=meter)
            first = True
            for batch in batches:
                first = False
                yield _exact_frame(batch.to_pandas(), {c: batch.column(c).to_pylist() for c in strings
                                                       if c in batch.schema.names})
            if first:
                files = sorted(p for p in path.rglob("*.parquet")) if path.is_dir() else [path]
                yield pq.read_schema(files[0]).empty_table().to_pandas() if files else pd.DataFrame()
        elif fmt == "hf":
            yield _load_hf(path, split, str(path)).to_pandas()
        else:
            batches = _record_batches(path, fmt, errors, size, meter)
            first = True
            for records in batches:
                first = False
                frame = pd.DataFrame.from_records(records)
                yield _exact_frame(frame, {c: [r.get(c) for r in records] for c in strings if c in frame.columns})
            if first:
                yield pd.DataFrame()


def _exact_frame(frame: pd.DataFrame, exact: Mapping[str, list[Any]]) -> pd.DataFrame:
    """``frame`` with the given columns replaced by their values as written (an integer column
    with a missing value would otherwise become floats: ``123.0``)."""
    for col, values in exact.items():
        frame[col] = pd.Series(values, index=frame.index, dtype=object)
    return frame


def _checked_table(frame: pd.DataFrame, label: str, text_column: str | None, id_column: str | None,
                   errors: Errors, offset: int, repaired: list[str]) -> pd.DataFrame:
    """Rename the text and id columns, check every text (rows numbered from ``offset + 1``)."""
    renames = {}
    for given, name in ((text_column, TEXT), (id_column, DOC_ID)):
        if given is None or given == name:
            continue
        if given not in frame.columns:
            raise DataError(f"no column {given!r}; the table has {_shown_columns(frame)}", path=label, field=given)
        if name in frame.columns:
            raise DataError(f"cannot rename {given!r} to {name!r}: the table already has a {name!r} column",
                            path=label, field=name)
        renames[given] = name
    frame = frame.rename(columns=renames)
    if TEXT not in frame.columns:
        if not len(frame.columns):
            raise DataError("the table is empty (no header, no rows)", path=label)
        raise DataError(f"no text column; the table has {_shown_columns(frame)} (name it with "
                        "text_column= / --text-column)", path=label, field=TEXT)
    repairs = [list(r) if isinstance(r, list) else [] for r in frame.pop("__repairs__")] \
        if "__repairs__" in frame.columns else [[] for _ in range(len(frame))]
    frame[TEXT] = pd.Series([_checked_text(t, label, offset + i + 1, errors, repairs[i])
                             for i, t in enumerate(frame[TEXT])], index=frame.index, dtype=object)
    repaired += [f"row {offset + i + 1}: {'; '.join(r)}" for i, r in enumerate(repairs) if r]
    return frame.reset_index(drop=True)


def _shown_columns(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns if c != "__repairs__"]


def iter_jsonl(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield the JSON objects of a (optionally gzipped) JSONL file, one per line.

    Raises :class:`DataError` with the line number on invalid UTF-8, invalid JSON or a
    line that is not an object.
    """
    yield from _jsonl_records(Path(path), "raise", checked=True)


# ---------------------------------------------------------------- format readers


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet", ".pq"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name or path.stem


def _infer_format(path: Path) -> str:
    if path.is_dir():
        if (path / "dataset_info.json").exists() or (path / "state.json").exists() or (
            path / "dataset_dict.json"
        ).exists():
            return "hf"
        if any(path.glob("*.txt")):
            return "txt"
        raise DataError(
            "folder holds neither .txt files nor a saved Hugging Face dataset", path=path
        )
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in _SUFFIXES:
        return _SUFFIXES[suffixes[-1]]
    if suffixes and suffixes[-1] == ".txt":
        return "txt"
    raise DataError(
        f"unknown format (suffix {''.join(path.suffixes) or 'none'!r}); supported: "
        ".jsonl[.gz], .csv[.gz], .tsv, .parquet, a folder of .txt files, a saved "
        "Hugging Face dataset; or pass format=",
        path=path,
    )


class _ReadFailure:
    """Turn a reader's low-level failure (truncated gzip, unparsable CSV, corrupt Parquet, a
    folder where a file was expected) into a :class:`DataError` naming the file."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path, self.fmt = path, fmt

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> bool:
        if exc is None or isinstance(exc, (DataError, MissingDataError)):
            return False
        import zlib

        known: tuple[type[BaseException], ...] = (EOFError, gzip.BadGzipFile, zlib.error, pd.errors.ParserError,
                                                  pd.errors.EmptyDataError, IsADirectoryError, NotADirectoryError)
        try:
            import pyarrow as pa

            known += (pa.ArrowException,)
        except ImportError:  # pragma: no cover - pyarrow comes with the datasets dependency
            pass
        if isinstance(exc, known):
            what = {"EmptyDataError": "the file is empty"}.get(type(exc).__name__, f"{type(exc).__name__}: {exc}")
            raise DataError(f"cannot be read as {self.fmt} ({what})", path=self.path) from exc
        return False


def _open_binary(path: Path, meter: _Meter | None = None) -> io.BufferedIOBase:
    fh: Any = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")
    if meter is not None:
        meter.attach(fh.fileobj if path.suffix == ".gz" else fh)  # the raw (compressed) position
    return fh  # type: ignore[no-any-return]


def _decode(raw: bytes, path: Path, row: int | None, errors: Errors, *, what: str = "row") -> tuple[str, str | None]:
    """The text of one line (or file), and the repair made, if any (``errors="coerce"``)."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        if errors == "raise":
            raise DataError(
                f"invalid UTF-8 at byte {exc.start} of the {what} ({exc.reason}); re-encode the "
                "file as UTF-8 or read it with errors='coerce'",
                path=path,
                row=row,
            ) from None
        return _fallback_decode(raw)


def _fallback_decode(raw: bytes) -> tuple[str, str]:
    """Bytes that are not UTF-8, decoded as Windows-1252 where that reads as Western text, else
    in the encoding charset-normalizer finds for them; U+FFFD replaces what nothing decodes.

    Windows-1252 "reads as Western text" when no three non-ASCII letters follow each other
    (accents in Latin words: "El País", "Straße"); Cyrillic or Greek bytes read that way
    become runs of accented letters ("Ïðåçèäåíò") and go to the detector instead.
    """
    try:
        western: str | None = raw.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and not _FOREIGN_RUN.search(western):
        return western, "invalid UTF-8: decoded as cp1252"
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency; without it, Windows-1252 or U+FFFD
        best = None
    else:
        best = from_bytes(raw).best()
    if best is not None:
        return str(best), f"invalid UTF-8: decoded as {best.encoding}"
    if western is not None:
        return western, "invalid UTF-8: decoded as cp1252"
    return raw.decode("utf-8", errors="replace"), "invalid UTF-8 replaced by U+FFFD"


_FOREIGN_RUN = re.compile(r"[^\W\d_a-zA-Z]{3}")


_ARRAY_HINT = ("; this looks like one JSON array, but framing reads JSON Lines (one object per line): convert "
               "it, e.g. pandas.read_json(path).to_json(out, orient='records', lines=True)")


def _jsonl_records(path: Path, errors: Errors, *, checked: bool = False,
                   meter: _Meter | None = None) -> Iterator[dict[str, Any]]:
    if checked:  # a streaming caller: map read failures here, where they happen
        with _ReadFailure(path, "jsonl"):
            yield from _jsonl_records(path, errors, meter=meter)
        return
    with _open_binary(path, meter) as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue  # blank lines are not rows
            line, repair = _decode(raw, path, lineno, errors)
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                hint = _ARRAY_HINT if lineno == 1 and line.lstrip().startswith("[") else ""
                raise DataError(f"invalid JSON ({exc.msg} at column {exc.colno}){hint}", path=path,
                                row=lineno) from None
            if not isinstance(obj, dict):
                hint = _ARRAY_HINT if lineno == 1 and isinstance(obj, list) else ""
                raise DataError(f"expected a JSON object, got {type(obj).__name__}{hint}", path=path, row=lineno)
            if repair:
                obj["__repairs__"] = [repair]
            yield obj


_DELIMITERS = (",", ";", "\t", "|")


def _sniff_delimiter(header: str) -> str:
    """The delimiter a CSV header line uses: the most frequent of , ; tab | outside quotes (``,`` if none)."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {d: outside.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])  # ties go to the earlier: ',' first
    return best if counts[best] else ","


class _DecodedLines:
    """A text stream over a binary file for pandas' CSV parser, decoded line by line: invalid
    UTF-8 raises a DataError naming the line, or (coerce) is decoded by :func:`_fallback_decode`,
    the physical line numbers of such repairs kept in ``repaired``."""

    def __init__(self, fh: Any, path: Path, errors: Errors) -> None:
        self._lines = iter(fh)
        self.path, self.errors = path, errors
        self.lineno = 0
        self.repaired: dict[int, str] = {}
        self._pending = ""

    def readline(self) -> str:
        for raw in self._lines:
            self.lineno += 1
            text, repair = _decode(raw, self.path, None, self.errors, what=f"line {self.lineno}")
            if repair:
                self.repaired[self.lineno] = repair
            return text
        return ""

    def peek_line(self) -> str:
        if not self._pending:
            self._pending = self.readline()
        return self._pending

    def read(self, n: int = -1) -> str:
        out, size = [self._pending], len(self._pending)
        self._pending = ""
        while n < 0 or size < n:
            line = self.readline()
            if not line:
                break
            out.append(line)
            size += len(line)
        return "".join(out)


def _repaired_rows(path: Path, errors: Errors, sep: str) -> dict[int, str]:
    """0-based data row -> repair, for the rows of a CSV file whose lines needed a repair
    (the csv module counts the physical lines of each row, quoted line breaks included)."""
    import csv

    with _open_binary(path) as fh:
        lines = _DecodedLines(fh, path, errors)
        reader = csv.reader(iter(lines.readline, ""), delimiter=sep)
        out: dict[int, str] = {}
        row, last = -1, 0
        for record in reader:
            if record:  # pandas skips blank lines
                spanned = range(last + 1, reader.line_num + 1)
                notes = [lines.repaired[i] for i in spanned if i in lines.repaired]
                if notes and row >= 0:
                    out[row] = notes[0]
                row += 1
            last = reader.line_num
        return out


def _csv_chunks(path: Path, errors: Errors, dtype: Any, size: int, *,
                meter: _Meter | None = None) -> Iterator[pd.DataFrame]:
    """Decode (strict UTF-8 unless coerced) and parse a CSV/TSV file, ``size`` rows at a time.
    Rows whose lines were repaired get a ``__repairs__`` column saying how."""
    with _open_binary(path, meter) as fh:
        lines = _DecodedLines(fh, path, errors)
        header = lines.peek_line()
        if not header:
            raise DataError("cannot be read as csv (the file is empty)", path=path)
        sep = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else _sniff_delimiter(header)
        # only an empty field is missing: "NA", "null", "None" are text
        na: Any = [] if dtype is str else [""]
        reader = pd.read_csv(lines, sep=sep, dtype=dtype, keep_default_na=False, na_values=na, index_col=False,
                             chunksize=size)
        repaired: dict[int, str] | None = None
        start = 0
        while True:
            with warnings.catch_warnings():
                # a first data row with more fields than the header would silently become an index
                # (index_col=None) or lose its extra fields (index_col=False, with this warning)
                warnings.simplefilter("error", pd.errors.ParserWarning)
                try:
                    frame = next(reader)
                except StopIteration:
                    break
                except pd.errors.ParserWarning:
                    raise DataError("a row has more fields than the header; quote fields that contain the "
                                    f"separator {sep!r}", path=path) from None
            if lines.repaired and repaired is None:
                repaired = _repaired_rows(path, errors, sep)
            if repaired:
                frame["__repairs__"] = [[repaired[i]] if i in repaired else []
                                        for i in range(start, start + len(frame))]
            start += len(frame)
            yield frame
        if start == 0:  # a header and no rows: an empty table with the header's columns
            import csv

            yield pd.DataFrame(columns=next(csv.reader([header], delimiter=sep)))


def _txt_records(path: Path, errors: Errors) -> list[dict[str, Any]]:
    files = [path] if path.is_file() else sorted(path.glob("*.txt"))
    meta: dict[str, dict[str, Any]] = {}
    if path.is_dir() and (path / "metadata.csv").exists():
        for batch in _csv_chunks(path / "metadata.csv", errors, str, 65536):
            for rec in batch.to_dict("records"):
                if DOC_ID not in rec:
                    raise DataError("metadata.csv needs a doc_id column", path=path / "metadata.csv", field=DOC_ID)
                meta[str(rec[DOC_ID])] = rec
    records = []
    for f in files:
        text, repair = _decode(f.read_bytes(), f, None, errors, what="file")
        rec: dict[str, Any] = {**meta.get(f.stem, {}), DOC_ID: f.stem, TEXT: text}
        if repair:
            rec["__repairs__"] = [repair]
        records.append(rec)
    return records


def _is_hf_dataset(obj: Any) -> bool:
    mod = type(obj).__module__
    return mod.startswith("datasets.") and type(obj).__name__ in ("Dataset", "DatasetDict", "IterableDataset")


def _load_hf(source: Any, split: str, label: str) -> Any:
    """A ``datasets.Dataset``: as given, from a ``save_to_disk`` folder, or via ``load_dataset``."""
    import datasets  # a core dependency, imported late to keep `import framing` light

    ds = source
    if not _is_hf_dataset(source):
        path = Path(str(source))
        if path.is_dir() and ((path / "dataset_info.json").exists() or (path / "state.json").exists()
                              or (path / "dataset_dict.json").exists()):
            ds = datasets.load_from_disk(str(path))
        else:
            # A local folder of data files, or a hub name (which downloads).
            ds = datasets.load_dataset(str(source), split=split)
    if isinstance(ds, datasets.DatasetDict):
        if split not in ds:
            raise DataError(f"split {split!r} not in the dataset; it has {sorted(ds)}", path=label)
        ds = ds[split]
    return ds


def _read_hf(
    source: Any, *, columns: Mapping[str, str] | None, corpus: str | None, errors: Errors, split: str,
    dup: str,
) -> pd.DataFrame:
    label = "<datasets.Dataset>" if _is_hf_dataset(source) else str(source)
    ds = _load_hf(source, split, label)
    # as written: to_pandas would turn an integer column with a missing value into floats (123.0)
    records = ds.to_list() if hasattr(ds, "to_list") else list(ds)
    return _normalise(records, label, corpus or "hf", columns, errors, dup)


# ---------------------------------------------------------------- normalisation


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT


def _clean_meta_value(value: Any) -> Any:
    if _is_missing(value):
        return None
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    return value


def _optional_str(value: Any) -> str | None:
    if _is_missing(value):
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def _checked_text(text: Any, label: str, row: int, errors: Errors, repairs: list[str]) -> str:
    """The row's text, or the bad-input policy: a DataError, or a repair noted in ``repairs``."""
    if isinstance(text, str):
        return text
    if _is_missing(text):
        if errors == "raise":
            raise DataError("text is missing (None/NaN); fill it or read with errors='coerce'",
                            path=label, row=row, field=TEXT)
        repairs.append("missing text set to ''")
        return ""
    if errors == "raise":
        raise DataError(f"text must be a string, got {type(text).__name__}", path=label, row=row, field=TEXT)
    repairs.append(f"non-string text converted from {type(text).__name__}")
    return str(text)


def _warn_repaired(label: str, repaired: list[str], stacklevel: int) -> None:
    """One warning for all rows repaired under ``errors="coerce"`` (the first five shown)."""
    if repaired:
        shown = "; ".join(repaired[:5]) + (" ..." if len(repaired) > 5 else "")
        warnings.warn(f"{label}: repaired {len(repaired)} row(s): {shown}", RepairWarning, stacklevel=stacklevel + 1)


def _date_str(value: Any) -> str | None:
    """A date as text. Numbers large enough to be Unix times (what ``DataFrame.to_json``
    writes for dates by default: milliseconds) become ISO dates (UTC); other values are
    kept as text, as :func:`_optional_str` gives them."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not _is_missing(value):
        import datetime as dt

        seconds = value / 1000 if 1e11 <= abs(value) < 1e14 else value if 1e8 <= abs(value) < 1e11 else None
        if seconds is not None:
            return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date().isoformat()
    return _optional_str(value)


def _normalise(
    records: Iterable[dict[str, Any]],
    label: str,
    corpus: str,
    columns: Mapping[str, str] | None,
    errors: Errors,
    duplicate_ids: str = "raise",
    seen: dict[str, int] | None = None,
    row_offset: int = 0,
) -> pd.DataFrame:
    records = list(records)
    rename = dict(columns or {})
    known = set(DOCUMENT_COLUMNS)
    if records:
        present = set().union(*(r.keys() for r in records[:1000]))
        absent = [k for k in rename if k not in present]
        if absent:
            raise DataError(f"no column {absent[0]!r} to rename; the rows have "
                            f"{sorted(k for k in present if k != '__repairs__')}", path=label, field=absent[0])
        present = {rename.get(k, k) for k in present}
        if TEXT not in present:
            raise DataError(
                f"no text column; the rows have {sorted(k for k in present if k != '__repairs__')}. "
                "Name the column that holds the text with columns={'<name>': 'text'}",
                path=label,
                field=TEXT,
            )
    rows: list[dict[str, Any]] = []
    seen = {} if seen is None else seen
    repairs_total: list[str] = []
    for i, rec in enumerate(records, start=row_offset + 1):
        rec = {rename.get(k, k): v for k, v in rec.items()}
        repairs: list[str] = list(rec.pop("__repairs__", []))
        text = _checked_text(rec.get(TEXT), label, i, errors, repairs)
        doc_id = _optional_str(rec.get(DOC_ID))
        if doc_id is None:
            doc_id = str(i)  # documented: missing ids become the 1-based row number
        if doc_id in seen:
            if duplicate_ids == "raise":
                raise DataError(
                    f"duplicate doc_id {doc_id!r} (first seen at row {seen[doc_id]})",
                    path=label, row=i, field=DOC_ID,
                )
            n = 2
            while f"{doc_id}#{n}" in seen:
                n += 1
            repairs.append(f"duplicate doc_id renamed from {doc_id!r}")
            doc_id = f"{doc_id}#{n}"
        seen[doc_id] = i
        meta = rec.get(META)
        meta = dict(meta) if isinstance(meta, Mapping) else ({} if _is_missing(meta) else {"meta": meta})
        for key, value in rec.items():
            if key not in known:
                meta[key] = _clean_meta_value(value)
        if repairs:
            meta["framing_repairs"] = repairs
            repairs_total.append(f"row {i}: {'; '.join(repairs)}")
        rows.append(
            {
                CORPUS: _optional_str(rec.get(CORPUS)) or corpus,
                DOC_ID: doc_id,
                OUTLET: _optional_str(rec.get(OUTLET)),
                DATE: _date_str(rec.get(DATE)),
                TITLE: _optional_str(rec.get(TITLE)),
                URL: _optional_str(rec.get(URL)),
                EVENT_ID: _optional_str(rec.get(EVENT_ID)),
                TEXT: text,
                META: {k: _clean_meta_value(v) for k, v in meta.items()},
            }
        )
    if errors == "coerce":
        _warn_repaired(label, repairs_total, stacklevel=3)
    frame = pd.DataFrame(rows, columns=list(DOCUMENT_COLUMNS))
    return frame
