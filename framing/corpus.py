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

With ``errors="coerce"`` nothing is raised for row-level problems and no row is
dropped: missing texts become ``""``, non-strings are converted with ``str``, invalid
UTF-8 bytes become U+FFFD, duplicate ids get a ``#2``, ``#3`` ... suffix, and each
repair is recorded in the row's ``meta["framing_repairs"]`` and summarised in one
:class:`UserWarning`.
"""
from __future__ import annotations

import gzip
import io
import json
import math
import os
import warnings
from collections.abc import Iterable, Iterator, Mapping
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
from .errors import DataError, MissingDataError

__all__ = [
    "read_corpus",
    "iter_corpus",
    "load_corpus",
    "load_demo_corpus",
    "data_home",
    "iter_jsonl",
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


def load_demo_corpus() -> pd.DataFrame:
    """Load the bundled demo corpus: 2025 reporting on Russia-Azerbaijan relations.

    Returns
    -------
    pandas.DataFrame
        One row per document, with outlet, date, title and hand-assigned ``event_id``
        (see ``data/corpus/README.md``).

    Examples
    --------
    >>> import framing
    >>> docs = framing.load_demo_corpus()
    >>> docs["corpus"].unique().tolist()
    ['seeds']
    """
    return read_corpus(_BUNDLED / "documents.jsonl", corpus="seeds")


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
    if fmt == "jsonl":
        records = list(_jsonl_records(path, errors))
    elif fmt == "csv":
        records = _csv_records(path, errors)
    elif fmt == "parquet":
        records = pd.read_parquet(path).to_dict("records")
    elif fmt == "txt":
        records = _txt_records(path, errors)
    else:
        raise DataError(f"unknown format {fmt!r}; supported: {', '.join(FORMATS)}", path=path)
    return _normalise(records, str(path), name, columns, errors, dup)


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

    JSONL files are streamed line by line; other sources are read whole and cut into
    chunks. Takes the arguments of :func:`read_corpus`; yields DataFrames of at most
    ``chunk_size`` documents, with the same validation (row numbers and duplicate ids
    are tracked across chunks).

    Examples
    --------
    >>> import framing
    >>> from framing.corpus import iter_corpus
    >>> sum(len(c) for c in iter_corpus(framing.load_demo_corpus(), chunk_size=2))
    6
    """
    dup = duplicate_ids or ("raise" if errors == "raise" else "rename")
    path = None if isinstance(source, pd.DataFrame) or _is_hf_dataset(source) else Path(source)
    if path is not None and path.exists() and (format or _infer_format(path)) == "jsonl":
        seen: dict[str, int] = {}
        offset = 0
        chunk: list[dict[str, Any]] = []
        for rec in _jsonl_records(path, errors):
            chunk.append(rec)
            if len(chunk) >= chunk_size:
                yield _normalise(chunk, str(path), corpus or _stem(path), columns, errors, dup, seen, offset)
                offset += len(chunk)
                chunk = []
        if chunk or offset == 0:
            yield _normalise(chunk, str(path), corpus or _stem(path), columns, errors, dup, seen, offset)
        return
    frame = read_corpus(source, format=format, columns=columns, corpus=corpus, errors=errors, duplicate_ids=dup)
    for start in range(0, max(len(frame), 1), chunk_size):
        yield frame.iloc[start:start + chunk_size].reset_index(drop=True)


def iter_jsonl(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield the JSON objects of a (optionally gzipped) JSONL file, one per line.

    Raises :class:`DataError` with the line number on invalid UTF-8, invalid JSON or a
    line that is not an object.
    """
    yield from _jsonl_records(Path(path), "raise")


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


def _open_binary(path: Path) -> io.BufferedIOBase:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _decode(raw: bytes, path: Path, row: int | None, errors: Errors) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError as exc:
        if errors == "raise":
            raise DataError(
                f"invalid UTF-8 at byte {exc.start} of the row ({exc.reason}); re-encode the "
                "file as UTF-8 or read it with errors='coerce'",
                path=path,
                row=row,
            ) from None
        return raw.decode("utf-8", errors="replace"), True


def _jsonl_records(path: Path, errors: Errors) -> Iterator[dict[str, Any]]:
    with _open_binary(path) as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue  # blank lines are not rows
            line, repaired = _decode(raw, path, lineno, errors)
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"invalid JSON ({exc.msg} at column {exc.colno})", path=path, row=lineno) from None
            if not isinstance(obj, dict):
                raise DataError(f"expected a JSON object, got {type(obj).__name__}", path=path, row=lineno)
            if repaired:
                obj["__repairs__"] = ["invalid UTF-8 replaced"]
            yield obj


def _csv_records(path: Path, errors: Errors) -> list[dict[str, Any]]:
    with _open_binary(path) as fh:
        raw = fh.read()
    repaired = False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if errors == "raise":
            raise DataError(
                f"invalid UTF-8 at line {line} of the file ({exc.reason}); re-encode it as UTF-8 "
                "or read it with errors='coerce'",
                path=path,
            ) from None
        text = raw.decode("utf-8", errors="replace")
        repaired = True
    sep = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
    frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[])
    records = frame.to_dict("records")
    if repaired:  # record the repair on the rows that carry a replacement character
        for rec in records:
            if any(isinstance(v, str) and "\ufffd" in v for v in rec.values()):
                rec["__repairs__"] = ["invalid UTF-8 replaced"]
    return records


def _txt_records(path: Path, errors: Errors) -> list[dict[str, Any]]:
    files = [path] if path.is_file() else sorted(path.glob("*.txt"))
    meta: dict[str, dict[str, Any]] = {}
    if path.is_dir() and (path / "metadata.csv").exists():
        for rec in _csv_records(path / "metadata.csv", errors):
            if DOC_ID not in rec:
                raise DataError("metadata.csv needs a doc_id column", path=path / "metadata.csv", field=DOC_ID)
            meta[str(rec[DOC_ID])] = rec
    records = []
    for f in files:
        text, repaired = _decode(f.read_bytes(), f, None, errors)
        rec: dict[str, Any] = {**meta.get(f.stem, {}), DOC_ID: f.stem, TEXT: text}
        if repaired:
            rec["__repairs__"] = ["invalid UTF-8 replaced"]
        records.append(rec)
    return records


def _is_hf_dataset(obj: Any) -> bool:
    mod = type(obj).__module__
    return mod.startswith("datasets.") and type(obj).__name__ in ("Dataset", "DatasetDict", "IterableDataset")


def _read_hf(
    source: Any, *, columns: Mapping[str, str] | None, corpus: str | None, errors: Errors, split: str,
    dup: str,
) -> pd.DataFrame:
    import datasets  # a core dependency, imported late to keep `import framing` light

    label = "<datasets.Dataset>"
    ds = source
    if not _is_hf_dataset(source):
        label = str(source)
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
    records = ds.to_pandas().to_dict("records") if hasattr(ds, "to_pandas") else list(ds)
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
        text = rec.get(TEXT)
        if _is_missing(text):
            if errors == "raise":
                raise DataError("text is missing (None/NaN); fill it or read with errors='coerce'",
                                path=label, row=i, field=TEXT)
            text = ""
            repairs.append("missing text set to ''")
        elif not isinstance(text, str):
            if errors == "raise":
                raise DataError(f"text must be a string, got {type(text).__name__}",
                                path=label, row=i, field=TEXT)
            text = str(text)
            repairs.append(f"non-string text converted from {type(text).__name__}")
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
                DATE: _optional_str(rec.get(DATE)),
                TITLE: _optional_str(rec.get(TITLE)),
                URL: _optional_str(rec.get(URL)),
                EVENT_ID: _optional_str(rec.get(EVENT_ID)),
                TEXT: text,
                META: {k: _clean_meta_value(v) for k, v in meta.items()},
            }
        )
    if repairs_total and errors == "coerce":
        shown = "; ".join(repairs_total[:5]) + (" ..." if len(repairs_total) > 5 else "")
        warnings.warn(f"{label}: repaired {len(repairs_total)} row(s): {shown}", UserWarning, stacklevel=3)
    frame = pd.DataFrame(rows, columns=list(DOCUMENT_COLUMNS))
    return frame
