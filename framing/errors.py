"""Exceptions with enough context to fix the input."""
from __future__ import annotations

from pathlib import Path


class FramingError(Exception):
    """Base class of the library's own errors."""


class DataError(FramingError, ValueError):
    """Bad input data, located by file, row and field where they are known.

    Parameters
    ----------
    message : str
        What is wrong.
    path : str or Path, optional
        The file (or folder) being read.
    row : int, optional
        1-based data row (the line number for JSONL, the data row for CSV/Parquet).
    field : str, optional
        The column or field involved.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = None if path is None else str(path)
        self.row = row
        self.field = field
        self.reason = message
        where = []
        if self.path is not None:
            where.append(self.path)
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field {field!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class MissingDataError(FramingError, FileNotFoundError):
    """A file or corpus the call needs is not where it was looked for."""
