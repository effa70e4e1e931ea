"""Exceptions with enough context to fix the input."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
    partition : int, optional
        The 0-based partition of a Dask DataFrame the row is in (``row`` then counts
        within the partition).

    Examples
    --------
    >>> from framing.errors import DataError
    >>> str(DataError("text must be a string", path="docs.parquet", row=3, field="text"))
    "docs.parquet, row 3, field 'text': text must be a string"
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        row: int | None = None,
        field: str | None = None,
        partition: int | None = None,
    ) -> None:
        self.path = None if path is None else str(path)
        self.row = row
        self.field = field
        self.partition = partition
        self.reason = message
        where = []
        if self.path is not None:
            where.append(self.path)
        if partition is not None:
            where.append(f"partition {partition}")
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field {field!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)

    def __reduce__(self) -> tuple:
        # keep the location when the error travels between processes (Dask workers)
        return _rebuild_data_error, (type(self), self.reason, self.path, self.row, self.field, self.partition)

    def located(self, **where: object) -> DataError:
        """A copy of this error with more of its location filled in (``path``, ``row``, ``partition``...)."""
        fields = {"path": self.path, "row": self.row, "field": self.field, "partition": self.partition}
        fields.update({k: v for k, v in where.items() if fields.get(k) is None})
        return type(self)(self.reason, **fields)  # type: ignore[arg-type]


def _rebuild_data_error(kind: type, reason: str, path: str | None, row: int | None, field: str | None,
                        partition: int | None) -> DataError:
    return kind(reason, path=path, row=row, field=field, partition=partition)


class MissingDataError(FramingError, FileNotFoundError):
    """A file or corpus the call needs is not where it was looked for."""


class OutputError(FramingError, OSError):
    """The output cannot be written (a folder that cannot be created, no permission, a full disk).

    Parameters
    ----------
    message : str
        What went wrong.
    path : str or Path
        The output path.
    """

    def __init__(self, message: str, *, path: str | Path) -> None:
        self.path = str(path)
        self.reason = message
        super().__init__(f"{self.path}: {message}")

    def __reduce__(self) -> tuple:
        return _rebuild_output_error, (type(self), self.reason, self.path)


def _rebuild_output_error(kind: type, reason: str, path: str) -> OutputError:
    return kind(reason, path=path)


@contextmanager
def writing_to(path: str | Path) -> Iterator[None]:
    """Turn an operating-system failure while writing ``path`` into an :class:`OutputError` naming it.

    Examples
    --------
    >>> from framing.errors import OutputError, writing_to
    >>> try:
    ...     with writing_to("/no/such/folder/out.csv"):
    ...         open("/no/such/folder/out.csv", "w")
    ... except OutputError as exc:
    ...     print(exc)
    /no/such/folder/out.csv: cannot write the output: No such file or directory
    """
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        other = getattr(exc, "filename", None)
        where = f" ({other})" if other and str(other) != str(path) else ""
        raise OutputError(f"cannot write the output: {reason}{where}", path=path) from exc


class RepairWarning(UserWarning):
    """Rows were repaired under ``errors="coerce"``; the message lists them (the CLI prints it plainly)."""
