"""Annotation: send sentences to annotation tools and read the labels back as gold rows.

Beside the data flow (see ``../shared/STYLE.md``): sentences to read go out as *items*,
labels read against ``data/codebook.md`` come back as stand-off gold rows.

Which passages are read is chosen in :mod:`framing.sampling` (active selection, the
stratified validation sample; :func:`framing.sampling.add_context` adds the neighbouring
sentences); this module takes the chosen items to the annotation tools and back.

Items
-----
An items table has one row per sentence to read: ``item_id`` (unique), ``text`` (the
sentence), optionally ``before`` and ``after`` (the neighbouring sentences, shown as
context), ``sha1`` (checked against the text, computed when absent) and any other
columns, such as the stand-off position ``corpus, doc_id, start, end``.
:func:`export_items` writes them for Label Studio (task JSON plus labeling config XML),
doccano (JSONL for text classification) or as a CSV to fill in. Every format carries
the item id and the SHA-1 of the sentence, so the labels can be joined back to the
sentence and checked against it.

Annotators never see a prediction, a score or a sampling stratum: :func:`export_items`
refuses to export such columns (a label name, ``p_<label>``, ``evidence``, ``sampling``,
and the sampler's ``stratum``, ``predicted``, ``inclusion_prob``, ``stratum_size``,
``stratum_n``) as metadata. Keep them in the items table and join on ``item_id`` after
import.

Imported annotations
--------------------
:func:`read_annotations` reads a Label Studio JSON export, a doccano JSONL export (one
``<username>.jsonl`` or the zip of them) or a filled-in CSV into one row per annotation,
that is per (item, annotator), with the columns :data:`ANNOTATION_COLUMNS` plus one 0/1
column per label after ``labels``:

- ``item_id, corpus, doc_id, start, end, sha1, text``: the sentence (the stand-off
  position from the source items when they are given, else from the task where it carries
  them, else empty);
- ``labels`` (list of label names) and one 0/1 column per label; ``note``;
- ``annotator``, ``annotator_pass`` (the caller's name for the pass, e.g. ``"pass1"``);
- ``status``: ``completed`` (a reading: the labels, possibly none, are the answer),
  ``cancelled`` (Label Studio's skipped/cancelled annotation, ``was_cancelled``) or
  ``skipped`` (a CSV row whose label cells are all empty). Only ``completed`` rows are
  readings; the others have ``labels`` None and empty label columns, and are returned so
  that no annotation is dropped without a trace;
- provenance: ``source_format`` (``labelstudio``, ``doccano``, ``csv``), ``source_file``,
  ``source_task`` (Label Studio task id, doccano example id, CSV data row),
  ``source_annotation`` (Label Studio annotation id), ``created_at`` and ``lead_time``
  (seconds; Label Studio only).

Bad input is a :class:`framing.DataError` naming the file, the task or row, and the
field: a label outside the label set; a text that no longer matches its SHA-1 (in the
task, and against the source items when they are given); an item id that is not in the
source items; an annotation without an annotator (unless ``annotator=`` names one for the
whole file); the same item annotated twice by the same annotator in one file; a duplicate
task or annotation id.

In a Label Studio export, a task that nobody annotated gives no row, and drafts and
predictions are not annotations and are not read.

doccano's export marks no annotation as done: every annotator's file lists every example,
with ``label: []`` where the annotator chose nothing, and that is read as a reading with no
label. Export with *Export only approved documents* so that each file holds only the
examples its annotator confirmed.
"""
from __future__ import annotations

import io
import json
import math
import os
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pandas as pd

from .columns import (
    AFTER,
    ANNOTATOR,
    ANNOTATOR_PASS,
    BEFORE,
    CORPUS,
    CREATED_AT,
    DOC_ID,
    END,
    EVIDENCE,
    ITEM_COLUMNS,
    ITEM_ID,
    LABEL_NAMES,
    LABELS,
    LEAD_TIME,
    NOTE,
    PROBA_PREFIX,
    SAMPLING,
    SHA1,
    SOURCE_ANNOTATION,
    SOURCE_FILE,
    SOURCE_FORMAT,
    SOURCE_TASK,
    START,
    STATUS,
    STATUS_CANCELLED,
    STATUS_COMPLETED,
    STATUS_SKIPPED,
    TEXT,
)
from .errors import DataError
from .sampling import INCLUSION_PROB, PREDICTED, STRATUM, STRATUM_N, STRATUM_SIZE, text_sha1

__all__ = [
    "ANNOTATION_COLUMNS",
    "FORMATS",
    "export_items",
    "labelstudio_config",
    "labelstudio_tasks",
    "read_annotations",
]

#: The formats of :func:`export_items` and :func:`read_annotations`.
FORMATS: tuple[str, ...] = ("labelstudio", "doccano", "csv")

#: Columns of :func:`read_annotations`' table; one 0/1 column per label follows ``labels``.
ANNOTATION_COLUMNS: tuple[str, ...] = (
    ITEM_ID, CORPUS, DOC_ID, START, END, SHA1, TEXT, LABELS, NOTE, ANNOTATOR, ANNOTATOR_PASS, STATUS,
    SOURCE_FORMAT, SOURCE_FILE, SOURCE_TASK, SOURCE_ANNOTATION, CREATED_AT, LEAD_TIME,
)

#: Names in the Label Studio labeling config: the Choices and TextArea controls.
LS_CHOICES = "labels"
LS_NOTE = NOTE

_POSITION = (CORPUS, DOC_ID, START, END)
_STATUSES = (STATUS_COMPLETED, STATUS_CANCELLED, STATUS_SKIPPED)
# columns that would show annotators what the model or the sampler thinks
_HIDDEN = (SAMPLING, EVIDENCE, STRATUM, PREDICTED, INCLUSION_PROB, STRATUM_SIZE, STRATUM_N)
# doccano names the file of a collaborative project "all", and (1.5/1.6) files unlabelled examples under "unknown"
_DOCCANO_NO_USER = ("all", "unknown")
_TRUE, _FALSE = ("1", "true", "yes"), ("0", "false", "no")


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _plain(value: Any) -> Any:
    """A metadata value as JSON takes it (numpy scalars and arrays, timestamps, NaN as null)."""
    if isinstance(value, (list, tuple, dict)):
        return value
    if hasattr(value, "tolist") and not isinstance(value, str):
        return value.tolist()
    if _missing(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# ---------------------------------------------------------------- export


def _checked_items(items: pd.DataFrame, metadata: Sequence[str], labels: Sequence[str]) -> pd.DataFrame:
    """The items to export, validated: ids unique, texts strings, SHA-1 checked or computed."""
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"items must be a pandas DataFrame, not {type(items).__name__}")
    where = "<items>"
    for col in (ITEM_ID, TEXT):
        if col not in items.columns:
            raise DataError(f"no {col!r} column; the items have {[str(c) for c in items.columns]}", path=where,
                            field=col)
    metadata = list(metadata)
    hidden = [c for c in metadata if c in _HIDDEN or c in labels or str(c).startswith(PROBA_PREFIX)]
    if hidden:
        raise ValueError(f"metadata {hidden} would show annotators a prediction, a score or a sampling stratum; "
                         "keep such columns in the items table and join them on item_id after import")
    absent = [c for c in metadata if c not in items.columns]
    if absent:
        raise DataError(f"no metadata column(s) {absent}", path=where, field=absent[0])
    repeated = [c for c in metadata if c in ITEM_COLUMNS]
    if repeated:
        raise ValueError(f"{repeated} are exported anyway; leave them out of metadata")
    rows = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(items.to_dict("records"), start=1):
        item_id = rec[ITEM_ID]
        if _missing(item_id) or str(item_id) == "":
            raise DataError("item_id is missing", path=where, row=i, field=ITEM_ID)
        item_id = str(item_id)
        if item_id in seen:
            raise DataError(f"duplicate item_id {item_id!r} (first at row {seen[item_id]})", path=where, row=i,
                            field=ITEM_ID)
        seen[item_id] = i
        text = rec[TEXT]
        if not isinstance(text, str):
            raise DataError(f"text must be a string, got {type(text).__name__}", path=where, row=i, field=TEXT)
        digest = text_sha1(text)
        given = rec.get(SHA1)
        if not _missing(given) and given != digest:
            raise DataError("the text no longer matches its SHA-1", path=where, row=i, field=SHA1)
        context = {}
        for col in (BEFORE, AFTER):
            value = rec.get(col, "")
            if _missing(value):
                value = ""
            if not isinstance(value, str):
                raise DataError(f"{col} must be a string, got {type(value).__name__}", path=where, row=i, field=col)
            context[col] = value
        rows.append({ITEM_ID: item_id, SHA1: digest, BEFORE: context[BEFORE], TEXT: text, AFTER: context[AFTER],
                     **{c: _plain(rec[c]) for c in metadata}})
    return pd.DataFrame(rows, columns=[*ITEM_COLUMNS, *metadata])


def labelstudio_config(labels: Sequence[str] | None = None) -> str:
    """The Label Studio labeling config for sentence labels with context.

    The sentence (task field ``text``) is shown between its neighbours (``before``,
    ``after``, in grey); the labels are a ``Choices`` control named ``labels`` with
    ``choice="multiple"`` (check every label that applies; none is a valid answer); a
    ``TextArea`` named ``note`` takes a free-text note.

    Parameters
    ----------
    labels : sequence of str, optional
        The choices (default: :data:`framing.LABEL_NAMES`, the codebook's four).

    Returns
    -------
    str
        The XML, to paste into the project's *Labeling Interface* settings or to pass as
        ``label_config`` when creating a project through the API.

    Examples
    --------
    >>> import framing
    >>> print(framing.labelstudio_config(["a", "b"]))  # doctest: +ELLIPSIS
    <View>
    ...
      <Choices name="labels" toName="text" choice="multiple">
        <Choice value="a"/>
        <Choice value="b"/>
      </Choices>
    ...
    </View>
    """
    names = list(LABEL_NAMES if labels is None else labels)
    _check_label_names(names)
    choices = "\n".join(f"    <Choice value={quoteattr(n)}/>" for n in names)
    grey = 'style="color: #666; font-size: 90%"'
    return (
        "<View>\n"
        f"  <View {grey}>\n"
        f'    <Text name="{BEFORE}" value="${BEFORE}" selectionEnabled="false"/>\n'
        "  </View>\n"
        '  <View style="padding: 0.5em 0; font-weight: bold">\n'
        f'    <Text name="{TEXT}" value="${TEXT}" selectionEnabled="false"/>\n'
        "  </View>\n"
        f"  <View {grey}>\n"
        f'    <Text name="{AFTER}" value="${AFTER}" selectionEnabled="false"/>\n'
        "  </View>\n"
        '  <Header value="Labels of the bold sentence (check every one that applies; none is an answer)"/>\n'
        f'  <Choices name="{LS_CHOICES}" toName="{TEXT}" choice="multiple">\n'
        f"{choices}\n"
        "  </Choices>\n"
        '  <Header value="Note (optional)"/>\n'
        f'  <TextArea name="{LS_NOTE}" toName="{TEXT}" rows="2" maxSubmissions="1" editable="true"/>\n'
        "</View>\n"
    )


def _check_label_names(names: Sequence[str]) -> None:
    bad = [n for n in names if not isinstance(n, str) or not n or n != n.strip()]
    if bad or len(set(names)) != len(names):
        raise ValueError(f"labels must be distinct non-empty names without surrounding spaces, got {list(names)}")


def labelstudio_tasks(items: pd.DataFrame, *, metadata: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Label Studio tasks for the items: ``{"data": {...}}``, one per item, in order.

    Parameters
    ----------
    items : pandas.DataFrame
        The items (see the module docstring).
    metadata : sequence of str, optional
        More item columns to put in each task's ``data``.

    Returns
    -------
    list of dict
        Each ``data`` holds ``item_id, sha1, before, text, after`` and the metadata, as
        Label Studio imports them (a JSON file of this list, or the API's task import).

    Examples
    --------
    >>> import pandas as pd, framing
    >>> items = pd.DataFrame({"item_id": ["x1"], "text": ["He allegedly fled."]})
    >>> framing.annotate.labelstudio_tasks(items)[0]["data"]["sha1"][:12]
    '87928094ee9c'
    """
    table = _checked_items(items, metadata, LABEL_NAMES)
    return [{"data": rec} for rec in table.to_dict("records")]


def export_items(
    items: pd.DataFrame,
    directory: str | os.PathLike[str],
    *,
    format: str,
    labels: Sequence[str] | None = None,
    metadata: Sequence[str] = (),
    name: str = "tasks",
) -> list[Path]:
    """Write annotation items for an annotation tool, or as a CSV to fill in.

    Parameters
    ----------
    items : pandas.DataFrame
        One row per sentence to read: ``item_id``, ``text``, optionally ``before``,
        ``after``, ``sha1`` (see the module docstring and
        :func:`framing.sampling.add_context`).
    directory : path-like
        Folder to write to (created if needed).
    format : {"labelstudio", "doccano", "csv"}
        ``labelstudio``: ``<name>.json`` (the tasks, see :func:`labelstudio_tasks`) and
        ``<name>.xml`` (the labeling config, see :func:`labelstudio_config`).
        ``doccano``: ``<name>.jsonl`` for a text-classification project, one line
        ``{"text": sentence, "item_id", "sha1", "before", "after", ...}`` per item; doccano
        keeps the other fields as the example's metadata and shows them beside it.
        ``csv``: ``<name>.csv`` with ``item_id, sha1, before, text, after``, one empty
        column per label (fill 1 where the label applies and 0 where it does not), ``note``
        and ``annotator``, then the metadata.
    labels : sequence of str, optional
        The label set (default: :data:`framing.LABEL_NAMES`). doccano takes its labels
        from the project's settings: create them there with these names.
    metadata : sequence of str, optional
        More item columns to carry along (shown to annotators in every tool; never a
        prediction, score or sampling stratum, which is refused).
    name : str, default "tasks"
        File name stem.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    DataError
        A missing or duplicate item id, a text that is not a string or no longer matches
        the item's ``sha1``, a missing metadata column.

    Examples
    --------
    >>> import tempfile, pandas as pd, framing
    >>> items = pd.DataFrame({"item_id": ["x1", "x2"], "text": ["He allegedly fled.", "It rained."]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in framing.export_items(items, tmp, format="labelstudio")]
    ['tasks.json', 'tasks.xml']
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {format!r}")
    names = list(LABEL_NAMES if labels is None else labels)
    _check_label_names(names)
    table = _checked_items(items, metadata, names)
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    if format == "labelstudio":
        tasks, config = out / f"{name}.json", out / f"{name}.xml"
        tasks.write_text(json.dumps([{"data": rec} for rec in table.to_dict("records")], ensure_ascii=False,
                                    indent=1) + "\n", encoding="utf-8")
        config.write_text(labelstudio_config(names), encoding="utf-8")
        return [tasks, config]
    if format == "doccano":
        path = out / f"{name}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for rec in table.to_dict("records"):
                # doccano keeps every field but text (and label) as metadata; an "id" field would
                # overwrite doccano's own example id in its export, hence item_id
                fh.write(json.dumps({TEXT: rec.pop(TEXT), **rec}, ensure_ascii=False) + "\n")
        return [path]
    path = out / f"{name}.csv"
    sheet = table[list(ITEM_COLUMNS)].copy()
    for label in names:
        sheet[label] = ""
    sheet[NOTE] = ""
    sheet[ANNOTATOR] = ""
    for col in metadata:
        sheet[col] = table[col].map(lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
    sheet.to_csv(path, index=False, encoding="utf-8")
    return [path]


# ---------------------------------------------------------------- import


def read_annotations(
    path: str | os.PathLike[str],
    *,
    annotator_pass: str,
    format: str | None = None,
    labels: Sequence[str] | None = None,
    items: pd.DataFrame | None = None,
    annotator: str | None = None,
    annotator_names: Mapping[Any, str] | None = None,
) -> pd.DataFrame:
    """Read completed annotations back into stand-off gold rows, one per annotation.

    Parameters
    ----------
    path : path-like
        A Label Studio export in its *JSON* format (a list of tasks with their
        ``annotations``); a doccano text-classification export in *JSONL* (the zip
        doccano downloads, which holds one ``<username>.jsonl`` per annotator, or one such
        file); or a CSV written by :func:`export_items` and filled in (one 0/1 column per
        label, or a ``labels`` column of ``;``-separated names).
    annotator_pass : str
        The name of this pass, e.g. ``"pass1"``; kept in ``annotator_pass``.
    format : {"labelstudio", "doccano", "csv"}, optional
        Default: by suffix (``.json`` Label Studio, ``.jsonl`` or ``.zip`` doccano,
        ``.csv`` CSV).
    labels : sequence of str, optional
        The label set (default: :data:`framing.LABEL_NAMES`); any other label is an error.
    items : pandas.DataFrame, optional
        The items that were exported (``item_id`` with ``text`` or ``sha1``; the
        stand-off ``corpus, doc_id, start, end`` are carried over). Every annotation's
        item must be among them, with the same SHA-1.
    annotator : str, optional
        The annotator of annotations that name none (a doccano file outside its zip, a CSV
        without an ``annotator`` column, a collaborative doccano project's ``all.jsonl``).
        Without it such an annotation is an error.
    annotator_names : mapping, optional
        Names for the annotators the file names, e.g. Label Studio user ids or e-mails:
        ``{10: "reader_a"}``.

    Returns
    -------
    pandas.DataFrame
        :data:`ANNOTATION_COLUMNS`, with one 0/1 column per label after ``labels`` (empty
        where ``status`` is not ``completed``); see the module docstring.

    Raises
    ------
    DataError
        Bad input, naming the file, the task or row and the field (see the module
        docstring). MissingDataError when the file does not exist.

    Examples
    --------
    >>> import tempfile, pandas as pd, framing
    >>> items = pd.DataFrame({"item_id": ["x1", "x2"], "text": ["He allegedly fled.", "It rained."]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     (path,) = framing.export_items(items, tmp, format="csv")
    ...     sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    ...     sheet[list(framing.LABEL_NAMES)] = "0"
    ...     sheet.loc[0, "hedged_attribution"] = "1"
    ...     sheet["annotator"] = "reader_a"
    ...     sheet.to_csv(path, index=False)
    ...     gold = framing.read_annotations(path, annotator_pass="pass1", items=items)
    >>> gold[["item_id", "labels", "annotator", "status"]]
      item_id                 labels annotator     status
    0      x1  [hedged_attribution]  reader_a  completed
    1      x2                     []  reader_a  completed
    """
    from .errors import MissingDataError

    path = Path(path)
    if not path.exists():
        raise MissingDataError(f"{path}: no such file")
    if format is None:
        format = _infer_format(path)
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {format!r}")
    names = list(LABEL_NAMES if labels is None else labels)
    _check_label_names(names)
    if format == "labelstudio":
        rows, fields = _labelstudio_rows(path), {ITEM_ID: "data.item_id", SHA1: "data.sha1", TEXT: "data.text"}
    elif format == "doccano":
        rows, fields = _doccano_rows(path), {ITEM_ID: ITEM_ID, SHA1: SHA1, TEXT: TEXT}
    else:
        rows, fields = _csv_rows(path, names)
    return _gold_rows(rows, fields, path=path, fmt=format, names=names, items=items, annotator_pass=annotator_pass,
                      annotator=annotator, annotator_names=annotator_names)


def _infer_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    formats = {".json": "labelstudio", ".jsonl": "doccano", ".zip": "doccano", ".csv": "csv"}
    if suffix not in formats:
        raise DataError(f"cannot tell the format from the suffix {suffix or 'none'!r}; pass format= (one of "
                        f"{', '.join(FORMATS)})", path=path)
    return formats[suffix]


def _row(**values: Any) -> dict[str, Any]:
    """One annotation as a reader found it; ``_where``/``_row``/``_*_field`` locate it for errors."""
    base: dict[str, Any] = {ITEM_ID: None, SHA1: None, TEXT: None, LABELS: None, NOTE: "", ANNOTATOR: None,
                            STATUS: STATUS_COMPLETED, SOURCE_TASK: None, SOURCE_ANNOTATION: None, CREATED_AT: None,
                            LEAD_TIME: None, "_path": None, "_label_field": LABELS, "_annotator_field": ANNOTATOR}
    base.update(values)
    return base


def _labelstudio_rows(path: Path) -> list[dict[str, Any]]:
    try:
        tasks = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataError(f"invalid UTF-8 at byte {exc.start}", path=path) from None
    except json.JSONDecodeError as exc:
        hint = ("; this looks like JSON Lines (doccano's format?): pass format='doccano'"
                if exc.msg == "Extra data" else "")
        raise DataError(f"not valid JSON ({exc.msg} at line {exc.lineno}){hint}", path=path) from None
    if isinstance(tasks, dict) and "data" in tasks:
        tasks = [tasks]  # cloud-storage targets hold one task per file
    if not isinstance(tasks, list):
        raise DataError(f"expected Label Studio's JSON export, a list of tasks, got a {type(tasks).__name__}",
                        path=path)
    rows: list[dict[str, Any]] = []
    task_ids: dict[Any, int] = {}
    annotation_ids: dict[str, str] = {}
    for i, task in enumerate(tasks, start=1):
        if not isinstance(task, dict):
            raise DataError(f"a task must be a JSON object, got {type(task).__name__}", path=path, row=i)
        if not isinstance(task.get("data"), dict):
            hint = (": this looks like Label Studio's JSON-MIN export; export as JSON, which keeps the annotators "
                    "and the annotation ids" if "annotator" in task or "annotation_id" in task else "")
            raise DataError(f"task {i} has no 'data' object{hint}", path=path, row=i, field="data")
        task_id = task.get("id", i)
        where = f"task {i} (id {task_id})"
        if task_id in task_ids:
            raise DataError(f"{where}: duplicate task id {task_id!r} (first at task {task_ids[task_id]})", path=path,
                            row=i, field="id")
        task_ids[task_id] = i
        data = task["data"]
        annotations = task.get("annotations", task.get("completions")) or []  # "completions" before 1.0
        if not isinstance(annotations, list):
            raise DataError(f"{where}: 'annotations' must be a list", path=path, row=i, field="annotations")
        for j, ann in enumerate(annotations):
            at = f"annotations[{j}]"
            if not isinstance(ann, dict):
                raise DataError(f"{where}: an annotation must be a JSON object", path=path, row=i, field=at)
            ann_id = ann.get("id")
            if ann_id is not None:
                if str(ann_id) in annotation_ids:
                    raise DataError(f"{where}: duplicate annotation id {ann_id!r} (first in "
                                    f"{annotation_ids[str(ann_id)]})", path=path, row=i, field=f"{at}.id")
                annotation_ids[str(ann_id)] = where
            labels: list[str] = []
            label_fields: dict[str, str] = {}
            notes: list[str] = []
            result = ann.get("result") or []
            if not isinstance(result, list):
                raise DataError(f"{where}: 'result' must be a list", path=path, row=i, field=f"{at}.result")
            for k, res in enumerate(result):
                kind = res.get("type") if isinstance(res, dict) else None
                value = res.get("value") if isinstance(res, dict) else None
                field = f"{at}.result[{k}]"
                if kind == "choices" and isinstance(value, dict) and isinstance(value.get("choices"), list):
                    for choice in value["choices"]:
                        if not isinstance(choice, str):
                            raise DataError(f"{where}: a choice must be a label name, got {choice!r}", path=path,
                                            row=i, field=f"{field}.value.choices")
                        label_fields.setdefault(choice, f"{field}.value.choices")
                        if choice not in labels:
                            labels.append(choice)
                elif kind == "textarea" and isinstance(value, dict):
                    text = value.get("text", [])
                    notes.extend([text] if isinstance(text, str) else [str(t) for t in text])
                else:
                    raise DataError(f"{where}: framing reads sentence labels (a 'choices' result) and notes (a "
                                    f"'textarea' result), not a result of type {kind!r}", path=path, row=i,
                                    field=f"{field}.type")
            cancelled = bool(ann.get("was_cancelled"))
            rows.append(_row(
                **{ITEM_ID: data.get(ITEM_ID), SHA1: data.get(SHA1), TEXT: data.get(TEXT),
                   **{c: data.get(c) for c in _POSITION}},
                **{LABELS: None if cancelled else labels, NOTE: "\n".join(notes),
                   ANNOTATOR: _labelstudio_user(ann.get("completed_by")),
                   STATUS: STATUS_CANCELLED if cancelled else STATUS_COMPLETED,
                   SOURCE_TASK: task_id, SOURCE_ANNOTATION: ann_id, CREATED_AT: ann.get("created_at"),
                   LEAD_TIME: ann.get("lead_time")},
                _where=f"{where}, {at}", _row=i, _label_field=label_fields, _annotator_field=f"{at}.completed_by",
            ))
    return rows


def _labelstudio_user(value: Any) -> Any:
    """``completed_by``: a user id, or (some versions and API calls) an object with the e-mail."""
    if isinstance(value, dict):
        for key in ("email", "username", "id"):
            if not _missing(value.get(key)) and value.get(key) != "":
                return value[key]
        return None
    return value


def _doccano_rows(path: Path) -> list[dict[str, Any]]:
    members: list[tuple[str, bytes, Any]] = []
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.is_dir():
                    continue
                stem, suffix = os.path.splitext(os.path.basename(info.filename))
                if suffix.lower() != ".jsonl":
                    raise DataError(f"{info.filename} is not a JSONL file; export the doccano project as JSONL",
                                    path=path)
                # doccano writes one <username>.jsonl per annotator
                members.append((f"{path}:{info.filename}", zf.read(info),
                                None if stem in _DOCCANO_NO_USER else stem))
    else:
        members.append((str(path), path.read_bytes(), None))
    rows: list[dict[str, Any]] = []
    for label, raw, user in members:
        seen: dict[Any, int] = {}
        for lineno, line in enumerate(io.BytesIO(raw), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise DataError(f"invalid UTF-8 at byte {exc.start} of the line", path=label, row=lineno) from None
            except json.JSONDecodeError as exc:
                raise DataError(f"invalid JSON ({exc.msg} at column {exc.colno})", path=label, row=lineno) from None
            if not isinstance(rec, dict):
                raise DataError(f"expected a JSON object, got {type(rec).__name__}", path=label, row=lineno)
            meta = rec.get("meta") if isinstance(rec.get("meta"), dict) else {}  # doccano before 1.2 nested it

            def field(name: str, rec: dict[str, Any] = rec, meta: dict[str, Any] = meta) -> Any:
                return rec.get(name, meta.get(name))

            doc_id = rec.get("id")
            if doc_id is not None:
                if doc_id in seen:
                    raise DataError(f"duplicate example id {doc_id!r} (first at line {seen[doc_id]})", path=label,
                                    row=lineno, field="id")
                seen[doc_id] = lineno
            label_key = "label" if "label" in rec else "labels"
            labels = rec.get(label_key, [])
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise DataError(f"'{label_key}' must be a list of label names (a text-classification project), got "
                                f"{labels!r}", path=label, row=lineno, field=label_key)
            comments = rec.get("Comments", [])
            note = "\n".join(c.get("text", "") if isinstance(c, dict) else str(c) for c in comments) \
                if isinstance(comments, list) else str(comments)
            name = next((rec[k] for k in ("user", "username", "annotator") if not _missing(rec.get(k))), None)
            rows.append(_row(
                **{ITEM_ID: field(ITEM_ID), SHA1: field(SHA1), TEXT: rec.get(TEXT, rec.get("data")),
                   **{c: field(c) for c in _POSITION}},
                **{LABELS: list(dict.fromkeys(labels)), NOTE: note,
                   ANNOTATOR: user if name is None or name in _DOCCANO_NO_USER else name, SOURCE_TASK: doc_id},
                _path=label, _where=f"line {lineno}", _row=lineno, _label_field=label_key,
                _annotator_field="user",
            ))
    return rows


def _csv_rows(path: Path, names: list[str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    from .corpus import read_table

    frame = read_table(path, format="csv", strings=(ITEM_ID, "id", SHA1, NOTE, ANNOTATOR, LABELS, STATUS, CREATED_AT,
                                                   *names))
    id_col = ITEM_ID if ITEM_ID in frame.columns else "id"
    if id_col not in frame.columns:
        raise DataError(f"no {ITEM_ID!r} column; the table has {[str(c) for c in frame.columns]}", path=path,
                        field=ITEM_ID)
    per_label = all(n in frame.columns for n in names)
    if not per_label and LABELS not in frame.columns:
        raise DataError(f"no label columns: one 0/1 column for each of {names}, or a {LABELS!r} column of "
                        f"';'-separated names; the table has {[str(c) for c in frame.columns]}", path=path,
                        field=LABELS)
    rows = []
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        status = rec.get(STATUS)
        status = None if _missing(status) or status == "" else str(status).strip()
        if status is not None and status not in _STATUSES:
            raise DataError(f"status must be one of {_STATUSES}, got {status!r}", path=path, row=i, field=STATUS)
        label_field = LABELS
        if per_label:
            cells = {n: _cell(rec[n], path, i, n) for n in names}
            blank = [n for n, v in cells.items() if v is None]
            if len(blank) == len(names) and status in (None, STATUS_SKIPPED):
                status, labels = STATUS_SKIPPED, None
            elif blank and status != STATUS_CANCELLED:
                raise DataError("empty label cell in an annotated row: fill 1 where the label applies and 0 where it "
                                "does not (a row with every label cell empty is read as skipped)", path=path,
                                row=i, field=blank[0])
            else:
                labels = [n for n in names if cells[n] == 1]
        else:
            labels = _label_list(rec[LABELS], path, i)
        status = status or STATUS_COMPLETED
        note = rec.get(NOTE)
        rows.append(_row(
            **{ITEM_ID: rec[id_col], SHA1: rec.get(SHA1), TEXT: rec[TEXT], **{c: rec.get(c) for c in _POSITION}},
            **{LABELS: labels if status == STATUS_COMPLETED else None, NOTE: "" if _missing(note) else str(note),
               ANNOTATOR: rec.get(ANNOTATOR), STATUS: status, SOURCE_TASK: i, CREATED_AT: rec.get(CREATED_AT)},
            _where=f"row {i}", _row=i, _label_field=label_field,
        ))
    return rows, {ITEM_ID: id_col, SHA1: SHA1, TEXT: TEXT}


def _cell(value: Any, path: Path, row: int, field: str) -> int | None:
    """A 0/1 label cell: 1, 0 or None (empty)."""
    if _missing(value) or (isinstance(value, str) and value.strip() == ""):
        return None
    text = str(value).strip().lower()
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    raise DataError(f"a label cell must be 1 or 0 (or true/false, yes/no), got {value!r}", path=path, row=row,
                    field=field)


def _label_list(value: Any, path: Path, row: int) -> list[str]:
    """A ``labels`` cell: ``;``-separated names or a JSON list; empty is no label."""
    if _missing(value) or str(value).strip() == "":
        return []
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            raise DataError("labels are not a valid JSON list", path=path, row=row, field=LABELS) from None
        return list(dict.fromkeys(str(v) for v in parsed))
    return list(dict.fromkeys(v.strip() for v in text.split(";") if v.strip()))


def _source_index(items: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The source items by id: their SHA-1 (checked against their text) and stand-off position."""
    where = "<items>"
    if ITEM_ID not in items.columns or (TEXT not in items.columns and SHA1 not in items.columns):
        raise DataError(f"the items need an 'item_id' column and a 'text' or 'sha1' column; they have "
                        f"{[str(c) for c in items.columns]}", path=where, field=ITEM_ID)
    index: dict[str, dict[str, Any]] = {}
    for i, rec in enumerate(items.to_dict("records"), start=1):
        item_id = str(rec[ITEM_ID])
        if item_id in index:
            raise DataError(f"duplicate item_id {item_id!r}", path=where, row=i, field=ITEM_ID)
        text, digest = rec.get(TEXT), rec.get(SHA1)
        if isinstance(text, str):
            if not _missing(digest) and digest != text_sha1(text):
                raise DataError("the text no longer matches its SHA-1", path=where, row=i, field=SHA1)
            digest = text_sha1(text)
        elif _missing(digest):
            raise DataError("neither a text nor a SHA-1", path=where, row=i, field=SHA1)
        index[item_id] = {SHA1: digest, TEXT: text if isinstance(text, str) else None,
                          **{c: rec.get(c) for c in _POSITION}}
    return index


def _gold_rows(
    rows: list[dict[str, Any]],
    fields: dict[str, str],
    *,
    path: Path,
    fmt: str,
    names: list[str],
    items: pd.DataFrame | None,
    annotator_pass: str,
    annotator: str | None,
    annotator_names: Mapping[Any, str] | None,
) -> pd.DataFrame:
    """Check every annotation (labels, SHA-1, item, annotator, duplicates) and build the table."""
    source = _source_index(items) if items is not None else None
    renames = {str(k): v for k, v in (annotator_names or {}).items()}
    done: dict[tuple[str, str], str] = {}
    out = []
    for r in rows:
        at = {"path": r["_path"] or path, "row": r["_row"]}
        where = r["_where"]
        if r[LABELS] is not None:
            for label in r[LABELS]:
                if label not in names:
                    lf = r["_label_field"]
                    raise DataError(f"{where}: label {label!r} is not in the label set {names}", **at,
                                    field=lf.get(label, LABELS) if isinstance(lf, dict) else lf)
        if _missing(r[ITEM_ID]) or str(r[ITEM_ID]) == "":
            raise DataError(f"{where}: no item_id, so the annotation cannot be joined to its sentence (items "
                            "exported by framing.export_items carry it)", **at, field=fields[ITEM_ID])
        item_id = str(r[ITEM_ID])
        text, digest = r[TEXT], r[SHA1]
        digest = None if _missing(digest) or digest == "" else str(digest)
        if isinstance(text, str):
            if digest is not None and digest != text_sha1(text):
                raise DataError(f"{where}: the text no longer matches its SHA-1 (item {item_id!r}): it was changed "
                                "after export, or the SHA-1 belongs to another sentence", **at, field=fields[SHA1])
            digest = text_sha1(text)
        elif not _missing(text):
            raise DataError(f"{where}: text must be a string, got {type(text).__name__}", **at, field=fields[TEXT])
        else:
            text = None
        position = {c: None if _missing(r.get(c)) else r.get(c) for c in _POSITION}
        if source is not None:
            src = source.get(item_id)
            if src is None:
                raise DataError(f"{where}: item_id {item_id!r} is not in the source items", **at,
                                field=fields[ITEM_ID])
            if digest is not None and digest != src[SHA1]:
                raise DataError(f"{where}: the text of item {item_id!r} does not match the source item (SHA-1 "
                                f"{digest[:10]}... against {src[SHA1][:10]}...)", **at,
                                field=fields[TEXT] if text is not None else fields[SHA1])
            digest, text = src[SHA1], text if text is not None else src[TEXT]
            position = {c: None if _missing(src.get(c)) else src.get(c) for c in _POSITION}
        if digest is None:
            raise DataError(f"{where}: neither the sentence's text nor its SHA-1; pass items= to join them",
                            **at, field=fields[TEXT])
        who = r[ANNOTATOR]
        if _missing(who) or str(who).strip() == "":
            who = annotator
        elif str(who) in renames:
            who = renames[str(who)]
        if who is None and r[STATUS] != STATUS_SKIPPED:
            raise DataError(f"{where}: the annotation has no annotator; pass annotator= to name the annotator of "
                            "the whole file", **at, field=r["_annotator_field"])
        who = None if who is None else str(who)
        if r[STATUS] == STATUS_COMPLETED:
            key = (item_id, str(who))
            if key in done:
                raise DataError(f"{where}: item {item_id!r} annotated twice by {who!r} (also {done[key]})", **at,
                                field=fields[ITEM_ID])
            done[key] = where if r["_path"] is None else f"{r['_path']} {where}"
        labels = r[LABELS]
        out.append({
            ITEM_ID: item_id, **position, SHA1: digest, TEXT: text, LABELS: labels,
            **{n: pd.NA if labels is None else int(n in labels) for n in names},
            NOTE: r[NOTE], ANNOTATOR: who, ANNOTATOR_PASS: annotator_pass, STATUS: r[STATUS],
            SOURCE_FORMAT: fmt, SOURCE_FILE: str(r["_path"] or path), SOURCE_TASK: r[SOURCE_TASK],
            SOURCE_ANNOTATION: r[SOURCE_ANNOTATION], CREATED_AT: r[CREATED_AT], LEAD_TIME: r[LEAD_TIME],
        })
    columns = [*ANNOTATION_COLUMNS[: ANNOTATION_COLUMNS.index(LABELS) + 1], *names,
               *ANNOTATION_COLUMNS[ANNOTATION_COLUMNS.index(LABELS) + 1:]]
    frame = pd.DataFrame(out, columns=columns)
    for n in names:
        frame[n] = frame[n].astype("Int8")
    for c in (START, END):
        try:
            frame[c] = pd.to_numeric(frame[c]).astype("Int64")
        except (TypeError, ValueError):
            bad = next(v for v in frame[c] if not _missing(v) and not str(v).strip().lstrip("-").isdigit())
            raise DataError(f"{c} must be a character offset (a whole number), got {bad!r}", path=path,
                            field=c) from None
    return frame


def write_reading_batch(items: pd.DataFrame, path: str | Path) -> Path:
    """Write a blind batch for readers working without an annotation tool: one JSON object
    per line, ``{"id", "before", "sentence", "after"}``, and nothing else (no stratum, score
    or prediction), in the order given (shuffle first).

    Parameters
    ----------
    items : DataFrame
        ``item_id`` (or ``id``), ``text`` (or ``sentence``), and optional ``before``/``after``.
    path : path-like
        The file to write.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from framing.annotate import write_reading_batch
    >>> p = write_reading_batch(pd.DataFrame({"item_id": ["a1"], "text": ["He allegedly fled."]}),
    ...                         pathlib.Path(tempfile.mkdtemp()) / "batch.jsonl")
    >>> p.read_text()
    '{"id": "a1", "before": "", "sentence": "He allegedly fled.", "after": ""}\\n'
    """
    frame = items.rename(columns={"item_id": "id", TEXT: "sentence"})
    for col in ("id", "sentence"):
        if col not in frame.columns:
            raise DataError(f"reading items need a {col!r} column", field=col)
    path = Path(path)
    with open(path, "w", encoding="utf-8") as fh:
        for rec in frame.to_dict("records"):
            out = {"id": str(rec["id"]), "before": rec.get("before") or "", "sentence": rec["sentence"],
                   "after": rec.get("after") or ""}
            fh.write(json.dumps(out, ensure_ascii=False) + "\n")
    return path
