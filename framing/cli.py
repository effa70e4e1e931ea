"""The ``framing`` command line: a thin layer over the public API.

Exit codes: 0 success, 2 usage error, 3 bad input data, 4 missing file or corpus,
5 the output cannot be written, 1 anything unexpected.

Every command that reads a corpus or a passage table streams it in batches
(:func:`framing.corpus.iter_corpus`, :func:`framing.corpus.iter_table`), so memory stays
flat as the input grows.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import json
import sys
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .columns import LABEL_NAMES, LABELS, PROBA_PREFIX, TEXT
from .errors import DataError, MissingDataError, OutputError, RepairWarning, writing_to

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_DATA, EXIT_MISSING, EXIT_OUTPUT = 0, 1, 2, 3, 4, 5

#: The library's spelling of an option in its messages -> the command line's.
_CLI_SPELLING = (
    ("columns={'<name>': 'text'}", "--text-column <name>"),
    ("text_column= / --text-column", "--text-column"),
    ("errors='coerce'", "--errors coerce"),
)


def _read_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", help="a .jsonl[.gz], .csv (delimiter , ; tab or | as in its header), .parquet file or "
                                 "folder of them, a folder of .txt files, or a saved HF dataset")
    p.add_argument("--format", choices=("jsonl", "csv", "parquet", "txt", "hf"), help="override the format guessed from the suffix")
    p.add_argument("--text-column", default=None, help="name of the column holding the text (default: text)")
    p.add_argument("--id-column", default=None, help="name of the column holding the document id (default: doc_id)")
    p.add_argument("--errors", choices=("raise", "coerce"), default="raise",
                   help="bad rows: stop with an error (default) or repair them and warn (a missing text becomes "
                        "'', text not in UTF-8 is decoded in the encoding detected, duplicate ids get #2, #3...)")


def _columns(args: argparse.Namespace) -> dict[str, str] | None:
    columns = {}
    if args.text_column:
        columns[args.text_column] = TEXT
    if args.id_column:
        columns[args.id_column] = "doc_id"
    return columns or None


def _chunks(args: argparse.Namespace) -> Iterator[pd.DataFrame]:
    """The input's documents, streamed in small chunks (long documents keep peak memory low)."""
    from .corpus import iter_corpus

    return iter_corpus(args.input, chunk_size=256, format=args.format, columns=_columns(args), errors=args.errors)


def _read_table(path: str, *, text_column: str | None = None, format: str | None = None,
                id_column: str | None = None, errors: str = "raise") -> pd.DataFrame:
    """Read a labelled or passage table as is (every column kept), validated like a corpus."""
    from .corpus import read_table

    return read_table(path, format=format, text_column=text_column, id_column=id_column, errors=errors)  # type: ignore[arg-type]


class _Progress:
    """A progress bar over the input: bytes of the file read (with the time remaining) when the
    reader says how far it is, else a count; ``unit`` items (passages) shown beside."""

    def __init__(self, args: argparse.Namespace, desc: str, unit: str) -> None:
        from tqdm.auto import tqdm

        self.unit, self.count = unit, 0
        self.bar = tqdm(total=None, desc=desc, disable=args.quiet, unit="B", unit_scale=True, unit_divisor=1024,
                        dynamic_ncols=True)

    def update(self, source: pd.DataFrame, added: int) -> None:
        self.count += added
        done, total = source.attrs.get("bytes_read"), source.attrs.get("bytes_total")
        if done is None:  # a source read whole (a saved dataset): documents, not bytes
            done, total = source.attrs.get("rows_read"), source.attrs.get("rows_total")
            self.bar.unit, self.bar.unit_scale = "doc", False
        if total is not None and self.bar.total != total:
            self.bar.total = total
        if done is not None:
            self.bar.update(done - self.bar.n)
        self.bar.set_postfix_str(f"{self.count:,} {self.unit}", refresh=False)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.bar.close()


def _documents(args: argparse.Namespace, progress: _Progress, counts: Counter) -> Iterator[dict[str, Any]]:
    """Document records of the input, counted (documents, empty texts) and shown on ``progress``."""
    for chunk in _chunks(args):
        counts["documents"] += len(chunk)
        counts["empty"] += int((chunk[TEXT].str.strip() == "").sum())
        yield from chunk.to_dict("records")
        progress.update(chunk, 0)


_TRUE, _FALSE = {"1", "true", "yes"}, {"0", "false", "no", ""}


def _binary_column(frame: pd.DataFrame, name: str, path: str) -> list[int]:
    """A 0/1 label column as ints; anything else is an error naming the row."""
    out = []
    for i, value in enumerate(frame[name].tolist(), start=1):
        if isinstance(value, (bool, int, float)) and not pd.isna(value) and value in (0, 1):
            out.append(int(value))
        elif isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            out.append(int(value.strip().lower() in _TRUE))
        else:
            raise DataError(f"a label column must hold 0/1 (or true/false), got {value!r}", path=path, row=i,
                            field=name)
    return out


def _looks_binary(column: pd.Series) -> bool:
    values = set(column.dropna().astype(str).str.strip().str.lower().unique()[:10])
    return bool(values) and values <= _TRUE | _FALSE | {"1.0", "0.0"}


def _labels_from_table(frame: pd.DataFrame, label_names: list[str] | None, label_column: str, path: str) -> tuple[Any, list[str]]:
    """The label matrix of a table: one 0/1 column per label, or a column of label lists.

    Per-label columns are used when every wanted label has one (the names given, else the
    codebook's four); otherwise ``label_column`` holds a list or a ';'-separated string.
    """
    from .model import label_matrix

    wanted = label_names or list(LABEL_NAMES)
    if all(n in frame.columns for n in wanted):
        return pd.DataFrame({n: _binary_column(frame, n, path) for n in wanted}).to_numpy(), wanted
    if label_column not in frame.columns:
        binary = [str(c) for c in frame.columns if c != TEXT and _looks_binary(frame[c])]
        hint = (f"; to train on your own 0/1 columns name them: --labels {','.join(binary)}"
                if binary and not label_names else "")
        raise DataError(f"no label column {label_column!r} (a list or ';'-separated labels per row), and not one "
                        f"0/1 column for each of {wanted}; the table has {[str(c) for c in frame.columns]}{hint}",
                        path=path, field=label_column)
    lists = []
    for i, value in enumerate(frame[label_column].tolist(), start=1):
        if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, str)):
            lists.append([str(v) for v in (value.tolist() if hasattr(value, "tolist") else value)])
        elif value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
            lists.append([])
        elif isinstance(value, str):
            value = value.strip()
            if value.startswith("["):
                try:
                    lists.append([str(v) for v in json.loads(value)])
                except json.JSONDecodeError:
                    raise DataError("labels are not a valid JSON list", path=path, row=i, field=label_column) from None
            else:
                lists.append([v.strip() for v in value.split(";") if v.strip()])
        else:
            raise DataError(f"labels must be a list or a ';'-separated string, not {type(value).__name__}",
                            path=path, row=i, field=label_column)
    found = {v for row in lists for v in row}
    if label_names:
        names = label_names
    elif found <= set(LABEL_NAMES):
        names = list(LABEL_NAMES)
    else:
        names = sorted(found)
    for i, row in enumerate(lists, start=1):
        unknown = [v for v in row if v not in names]
        if unknown:
            raise DataError(f"unknown label(s) {unknown}; the labels are {names}", path=path, row=i,
                            field=label_column)
    return label_matrix(lists, names)


# ---------------------------------------------------------------- commands


def cmd_corpus_info(args: argparse.Namespace) -> int:
    from .segment import sentence_spans

    counts: Counter = Counter()
    outlets: Counter = Counter()
    events: set[str] = set()
    first = last = None
    with _Progress(args, "reading", "documents") as progress:
        for chunk in _chunks(args):
            counts["documents"] += len(chunk)
            counts["characters"] += int(chunk[TEXT].str.len().sum())
            counts["empty_texts"] += int((chunk[TEXT].str.strip() == "").sum())
            outlets.update(chunk["outlet"].fillna("(none)").astype(str))
            events.update(chunk["event_id"].dropna().astype(str))
            dates = chunk["date"].dropna().astype(str)
            if len(dates):
                first = min(first or dates.min(), dates.min())
                last = max(last or dates.max(), dates.max())
            if args.sentences:
                counts["sentences"] += sum(len(sentence_spans(t)) for t in chunk[TEXT])
            progress.update(chunk, len(chunk))
    info: dict[str, Any] = {
        "documents": counts["documents"],
        "characters": counts["characters"],
        "empty_texts": counts["empty_texts"],
        "outlets": dict(outlets.most_common(args.top)),
        "events": len(events),
        "dates": [first, last] if first is not None else None,
    }
    if args.sentences:
        info["sentences"] = counts["sentences"]
    if args.json:
        print(json.dumps(info, indent=2, default=str))
    else:
        for key, value in info.items():
            print(f"{key:>12}: {value}")
    return EXIT_OK


def cmd_segment(args: argparse.Namespace) -> int:
    from .pipeline import TableWriter
    from .segment import empty_passages, iter_passage_frames

    counts: Counter = Counter()
    with TableWriter(args.output) as writer, _Progress(args, "segmenting", f"{args.unit}s") as progress:
        for frame in iter_passage_frames(_documents(args, progress, counts), unit=args.unit, batch_size=4096):
            writer.write(frame)
            progress.update(frame, len(frame))
        if not writer.rows:
            writer.write(empty_passages())
    print(f"{counts['documents']} documents{_empty_note(counts)} -> {writer.rows} {args.unit}s -> {args.output}",
          file=sys.stderr)
    return EXIT_OK


def _empty_note(counts: Counter) -> str:
    return f" ({counts['empty']} with an empty text, which yield no passage)" if counts["empty"] else ""


def _probe_output(path: str) -> None:
    """Fail now, with an OutputError, if a file cannot be created at ``path``."""
    out = Path(path)
    probe = out.with_name(f".{out.name}.probe")
    with writing_to(out):
        if out.is_dir():
            raise OutputError("is a folder; give a file name", path=out)
        out.parent.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()


def _probe_folder(path: str) -> None:
    """Fail now, with an OutputError, if files cannot be written in the folder ``path``."""
    out = Path(path)
    with writing_to(out):
        if out.exists() and not out.is_dir():
            raise OutputError("is a file; give a folder for the output", path=out)
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".framing.probe"
        probe.write_bytes(b"")
        probe.unlink()


def _model(path: str | None) -> Any:
    from .model import load_model, load_pretrained

    return load_pretrained() if path is None else load_model(path)


def _settle(model: Any) -> None:
    """Build the model's look-up tables now, then exempt everything alive from garbage collection.

    The cue trie, the n-gram vocabulary and Punkt's parameters are large object graphs
    that live as long as the command; Python's cyclic collector would otherwise walk them
    again and again while labelling (up to a fifth of the run). ``gc.freeze`` is a
    process-wide setting, so the command sets it, not the library.
    """
    from .segment import sentence_spans

    if hasattr(model, "predict_proba"):
        model.predict_proba(["The ministry said the plot was foiled."])
    sentence_spans("Mr. Smith said so. He left.")
    gc.freeze()


def cmd_label(args: argparse.Namespace) -> int:
    from .pipeline import TableWriter, iter_labelled, iter_labelled_documents

    writer = TableWriter(args.output)  # fails now, before any work, if the output cannot be written
    counts: Counter = Counter()
    try:
        model = _model(args.model)
        with _Progress(args, "labelling", "passages") as progress:
            if args.passages:
                from .corpus import iter_table

                def frames() -> Iterator[pd.DataFrame]:
                    for frame in iter_table(args.input, batch_size=args.batch_size, format=args.format,
                                            text_column=args.text_column, id_column=args.id_column,
                                            errors=args.errors):
                        yield frame
                        progress.update(frame, 0)

                batches = iter_labelled(frames(), model, batch_size=args.batch_size, evidence=not args.no_evidence)
            else:
                batches = iter_labelled_documents(_documents(args, progress, counts), model, unit=args.unit,
                                                  batch_size=args.batch_size, evidence=not args.no_evidence)
            _settle(model)  # undone when the command ends
            try:
                for batch in batches:
                    writer.write(batch)
                    progress.update(batch, len(batch))
            finally:
                gc.unfreeze()  # as it was, for a caller that goes on (a notebook, a test)
    except DataError as exc:
        writer.abort()
        if not args.passages and exc.field == "doc_id" and "duplicate" in exc.reason:
            raise DataError(f"{exc.reason}; if each row is a passage (e.g. the output of 'framing segment'), "
                            "label it with --passages", path=exc.path, row=exc.row, field=exc.field) from None
        raise
    except BaseException:
        writer.abort()
        raise
    writer.close()
    if args.passages:
        print(f"{writer.rows} passages labelled -> {args.output}", file=sys.stderr)
    else:
        print(f"{counts['documents']} documents{_empty_note(counts)} -> {writer.rows} passages labelled -> "
              f"{args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    from .model import FramingClassifier, save_model

    frame = _read_table(args.input, text_column=args.text_column)
    label_names = [s.strip() for s in args.labels.split(",")] if args.labels else None
    Y, names = _labels_from_table(frame, label_names, args.label_column, args.input)
    dev = None
    if args.dev:
        dev_frame = _read_table(args.dev, text_column=args.text_column)
        dev = (dev_frame[TEXT].tolist(), _labels_from_table(dev_frame, names, args.label_column, args.dev)[0])
    _probe_output(args.output)  # before the training, not after
    clf = FramingClassifier(labels=names, random_state=args.random_state, use_cues=not args.no_cues)
    clf.fit(frame[TEXT].tolist(), Y, dev=dev)
    card = {"labels": names, "n_train": len(frame), "thresholds": dict(zip(names, map(float, clf.thresholds_))),
            "trained_on": str(args.input), "dev": str(args.dev) if args.dev else None}
    with writing_to(Path(args.output)):
        save_model(clf, args.output, card=card)
    print(f"trained on {len(frame)} passages, labels {names} -> {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_predictions

    if args.output:
        _probe_output(args.output)
    model = _model(args.model)
    frame = _read_table(args.input, text_column=args.text_column)
    names = [str(c) for c in model.classes_]
    if args.label_prefix:
        gold_cols = {f"{args.label_prefix}{n}": n for n in names}
        missing = [c for c in gold_cols if c not in frame.columns]
        if missing:
            raise DataError(f"no gold column {missing[0]!r} (--label-prefix {args.label_prefix})", path=args.input,
                            field=missing[0])
        frame = frame.drop(columns=[n for n in names if n in frame.columns]).rename(columns=gold_cols)
    else:
        predicted = [n for n in names if n in frame.columns and f"{PROBA_PREFIX}{n}" in frame.columns]
        if predicted:
            raise DataError(
                f"the label columns {predicted} have their p_<label> probabilities beside them: they were written by "
                "'framing label', so they are the model's predictions, not gold labels, and scoring them against the "
                "model measures nothing. Put the labels read by people in columns such as gold_<label> and pass "
                "--label-prefix gold_", path=args.input, field=predicted[0])
    Y, _ = _labels_from_table(frame, names, args.label_column, args.input)
    P = model.predict(frame[TEXT].tolist())
    groups = None
    if "doc_id" in frame.columns:
        ids = frame["doc_id"]
        blank = ids.isna() | (ids.astype(str).str.strip() == "")
        if blank.all():
            print("note: doc_id is empty in every row: the intervals resample passages, which overstates their "
                  "precision when passages of one document are scored together", file=sys.stderr)
        else:
            if blank.any():
                print(f"note: doc_id is empty in {int(blank.sum())} of {len(frame)} rows; each of those rows counts "
                      "as a document of its own in the intervals", file=sys.stderr)
            groups = [f"\x00row{i}" if b else str(v) for i, (v, b) in enumerate(zip(ids, blank))]
    weight = None
    if "inclusion_prob" in frame.columns:
        pi = pd.to_numeric(frame["inclusion_prob"], errors="coerce")
        bad = pi.isna() | (pi <= 0) | (pi > 1)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise DataError(f"inclusion_prob must be in (0, 1]; row {row + 1} has {frame['inclusion_prob'].iloc[row]!r}",
                            path=args.input, field="inclusion_prob")
        weight = 1.0 / pi.to_numpy()
        print("note: scores are weighted by 1/inclusion_prob (estimates for the population the sample was drawn "
              "from, not for the sample)", file=sys.stderr)
    scores = evaluate_predictions(Y, P, labels=names, groups=groups, n_boot=args.n_boot, random_state=0,
                                  sample_weight=weight)
    if args.output:
        with writing_to(Path(args.output)):
            Path(args.output).write_text(scores.to_json(orient="records", indent=2) + "\n")
    print(scores[["label", "support", "precision", "recall", "f1", "f1_lo", "f1_hi"]].round(3).to_string(index=False))
    left_out = scores.loc[~scores["in_macro"] & (scores["label"] != "macro"), "label"].tolist()
    if left_out:
        print(f"macro: the mean over the labels with support; left out (no gold positive): {', '.join(left_out)}",
              file=sys.stderr)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .compare import pretrained_error_rates
    from .corpus import load_demo_corpus
    from .events import align_events
    from .gold import load_validation
    from .pipeline import label_documents
    from .report import write_report

    out = Path(args.output)
    _probe_folder(args.output)
    docs = align_events(load_demo_corpus("allsides"))  # the bundled events are kept; wire copy is marked
    labelled = label_documents(docs)
    carried = [c for c in ("title", "bias", "duplicate_of") if c not in labelled.columns]
    labelled = labelled.merge(docs[["doc_id", *carried]], on="doc_id", how="left")
    gold = load_validation("allsides_demo")
    write_report(labelled, out, by="bias", gold=gold, error_rates=pretrained_error_rates(),
                 model_scores=_shipped_scores(), title="framing demo: left, centre and right outlets on eight shared "
                 "events (bundled AllSides subset)")
    seeds = load_demo_corpus()
    write_report(label_documents(seeds), out / "seeds", title="framing demo: 2025 reporting on Russia-Azerbaijan "
                 "relations (bundled seed texts)", model_scores=_shipped_scores())
    n_events = labelled.groupby("event_id")["bias"].nunique().ge(2).sum()
    print(f"{len(docs)} documents on {n_events} shared events, {len(labelled)} sentences labelled, compared by bias "
          f"with a gold sample of {len(gold)} -> {out}/index.html (seed texts: {out}/seeds/index.html)",
          file=sys.stderr)
    return EXIT_OK


def _shipped_scores() -> pd.DataFrame | None:
    """The shipped model's precision, recall and F1 per label on the gold test split (from its card)."""
    from .model import PRETRAINED_PATH

    card = PRETRAINED_PATH.with_suffix(".json")
    if not card.exists():
        return None
    scores = json.loads(card.read_text(encoding="utf-8")).get("test_scores")
    if not scores:
        return None
    return pd.DataFrame([{"label": k, **v, "source": "gold test split"} for k, v in scores.items()])


def _gold_sample(args: argparse.Namespace) -> pd.DataFrame | None:
    """The --gold sample (read labels), joined to its --design (inclusion probabilities) if given."""
    if not args.gold:
        return None
    from .columns import ITEM_ID

    from .report import read_labelled

    gold = read_labelled(args.gold)
    if "status" in gold.columns:  # framing annotate import output: completed readings only
        done = gold["status"] == "completed"
        if not done.any():
            counts = ", ".join(f"{n} {k}" for k, n in gold["status"].value_counts().items())
            raise DataError(f"the gold sample has no completed reading ({counts or 'no rows'}): read the tasks, "
                            "then import them again", path=args.gold, field="status")
        if not done.all():
            print(f"note: {int((~done).sum())} gold rows that are not completed readings are left out "
                  f"({', '.join(f'{n} {k}' for k, n in gold.loc[~done, 'status'].value_counts().items())})",
                  file=sys.stderr)
        gold = gold[done]
    if args.design:
        design = read_labelled(args.design)
        if ITEM_ID not in gold.columns or ITEM_ID not in design.columns:
            raise DataError(f"--gold and --design are joined on {ITEM_ID!r}, which one of them lacks",
                            path=args.design, field=ITEM_ID)
        cols = [c for c in ("corpus", "doc_id", "start", "row", "inclusion_prob", "stratum", "stratum_size",
                            "stratum_n")
                if c in design.columns]
        gold[ITEM_ID] = gold[ITEM_ID].astype(str)
        design = design.assign(**{ITEM_ID: design[ITEM_ID].astype(str)})
        unknown = sorted(set(gold[ITEM_ID]) - set(design[ITEM_ID]))
        if unknown:
            raise DataError(f"{len(unknown)} gold items are not in the design (e.g. {unknown[:3]}): --design must be "
                            "the design.csv of the sample these readings are of", path=args.gold, field=ITEM_ID)
        merged = gold.merge(design[[ITEM_ID, *cols]], on=ITEM_ID, how="left", suffixes=("", "_design"),
                            validate="many_to_one")
        for c in cols:  # the design's value where the readings have none (annotation tools keep no positions)
            if f"{c}_design" in merged.columns:
                merged[c] = merged[c].where(merged[c].notna() & (merged[c].astype(str) != ""), merged[f"{c}_design"])
                merged = merged.drop(columns=f"{c}_design")
        gold = merged
    for col in ("doc_id",):
        if col in gold.columns:
            gold[col] = gold[col].astype(str)
    for col in ("start", "row"):
        if col in gold.columns:
            gold[col] = pd.to_numeric(gold[col], errors="coerce").astype("Int64").astype(str)
    return gold


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare_outlets, pretrained_error_rates
    from .report import read_labelled, write_comparison

    _probe_folder(args.output)
    columns, labels = _labelled_columns(args)
    frame = read_labelled(args.input, columns=["corpus", "doc_id", "start", args.by, args.event, "duplicate_of",
                                               *labels])
    _check_columns(frame, args, columns)
    on = ("doc_id", "start")
    if args.gold and "start" not in frame.columns:
        # passages without offsets (framing label --passages on one's own table): join the gold sample on the
        # row number 'framing sample' recorded
        frame["row"] = [str(i) for i in range(1, len(frame) + 1)]
        on = ("row",)
        print("note: the table has no start offsets: the gold sample is joined on its row numbers (the 'row' column "
              "'framing sample' wrote to design.csv), so the table must be the one that was sampled, unchanged",
              file=sys.stderr)
    errors = None
    if not args.no_rogan_gladen and set(labels) <= set(LABEL_NAMES):
        errors = pretrained_error_rates()
    pairs = [tuple(p.split(":", 1)) for p in args.pairs.split(",")] if args.pairs else None
    with _locating(args):
        result = compare_outlets(frame, by=args.by, event=args.event, labels=labels, pairs=pairs, on=on,
                                 gold=_gold_sample(args), assume_srs=args.assume_srs, error_rates=errors,
                                 exclude_duplicates=args.exclude_duplicates, adjust=args.adjust, n_boot=args.n_boot,
                                 n_perm=args.n_perm, random_state=args.random_state)
    if errors is not None:
        result.notes.append("the Rogan-Gladen columns use the shipped model's error rates: they apply only if the "
                            "table was labelled by the shipped model (--no-rogan-gladen to leave them out)")
    written = write_comparison(result, args.output, by=args.by, figures=not args.no_figures, top_n=args.top_n,
                               min_passages=args.min_passages)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"{len(frame)} passages compared by {args.by} -> {len(written)} files in {args.output}", file=sys.stderr)
    return EXIT_OK


def _check_columns(frame: pd.DataFrame, args: argparse.Namespace, columns: list[str], *,
                   by_required: bool = True) -> None:
    """The --by column must exist (in the table or in its meta); an --event given explicitly too.

    With ``by_required=False`` (the report) a missing *default* ``outlet`` is allowed: the report
    then describes the passages without comparing groups.
    """
    if args.by not in frame.columns and (by_required or args.by != "outlet"):
        raise DataError(f"no column {args.by!r} to compare by, neither in the table nor in its meta; the table has "
                        f"{columns}", path=args.input, field=args.by)
    if args.event not in frame.columns and args.event != "event_id":
        raise DataError(f"no event column {args.event!r}; the table has {columns}", path=args.input,
                        field=args.event)


def _labelled_columns(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """The columns of a labelled table and its label columns (--labels, else those with p_<label>)."""
    from .report import labels_in

    columns = _columns_of_table(args.input)
    labels = _names(args.labels) or labels_in(columns)
    if not labels:
        raise DataError("not a labelled table (no label column with its p_<label> probability); run 'framing "
                        "label' first", path=args.input)
    if not args.labels:  # a codebook label whose column or probability is missing is not compared: say so
        half = [lab for lab in LABEL_NAMES if lab not in labels and (lab in columns or f"{PROBA_PREFIX}{lab}" in columns)]
        for lab in half:
            print(f"note: {lab!r} is left out: the table has its {'label' if lab in columns else 'probability'} "
                  f"column but not its {'probability' if lab in columns else 'label'} column (pass --labels to "
                  "choose the label columns)", file=sys.stderr)
    return columns, labels


def _columns_of_table(path: str) -> list[str]:
    from .report import _columns_of

    if not Path(path).exists():
        raise MissingDataError(f"{path}: no such file")
    return _columns_of(path)


def cmd_align(args: argparse.Namespace) -> int:
    from .events import align_events
    from .pipeline import write_table

    from .corpus import read_corpus

    # alignment compares every pair of documents in a date window, so the corpus is read whole
    docs = read_corpus(args.input, format=args.format, columns=_columns(args), errors=args.errors)
    out = align_events(docs, recompute=args.recompute, threshold=args.threshold, window_days=args.window_days,
                       date_decay_days=args.date_decay_days, duplicate_threshold=args.duplicate_threshold)
    write_table(out, args.output)
    shared = out.groupby("event_id")["outlet"].nunique().ge(2).sum() if "outlet" in out.columns else 0
    print(f"{len(out)} documents -> {out['event_id'].nunique()} events ({shared} covered by two or more outlets), "
          f"{int(out['duplicate_of'].notna().sum())} marked as copies -> {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_sample(args: argparse.Namespace) -> int:
    from .annotate import export_items
    from .report import labels_in, read_labelled
    from .sampling import sample_for_validation, text_sha1

    _probe_folder(args.output)
    strata = _names(args.strata) or ["outlet", "predicted"]
    labelled = read_labelled(args.input, extra_from_meta=[c for c in strata if c != "predicted"])
    labels = _names(args.labels) or labels_in(labelled.columns)
    if labelled.empty:
        raise DataError("the labelled table has no passages: there is nothing to sample", path=args.input)
    # 'row': the passage's row in the input table (1-based), the key 'framing compare --gold' joins on when the
    # table has no start offsets
    labelled = labelled.assign(row=range(1, len(labelled) + 1))
    sample = sample_for_validation(_with_context(labelled), args.n, strata=strata, labels=labels,
                                   allocation=args.allocation, min_per_stratum=args.min_per_stratum,
                                   random_state=args.random_state)
    rng = __import__("numpy").random.default_rng(args.random_state)
    sample = sample.iloc[rng.permutation(len(sample))].reset_index(drop=True)  # annotators see no order
    sample["item_id"] = [f"v{i:05d}" for i in range(len(sample))]
    sample["sha1"] = sample["text"].map(text_sha1)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    positions = [c for c in ("corpus", "doc_id", "start", "end", "row") if c in sample.columns]
    design = sample[["item_id", *positions, "sha1", "stratum", "stratum_size", "stratum_n", "inclusion_prob"]]
    design.to_csv(out / "design.csv", index=False)
    items = sample[["item_id", "sha1", "before", "text", "after"]]
    export_items(items, out, format="labelstudio", labels=labels)
    export_items(items, out, format="csv", labels=labels)
    # the items with their positions, for 'framing annotate import --items' (checks every SHA-1)
    sample[["item_id", "sha1", "text", "before", "after", *positions]].to_csv(out / "items.csv", index=False)
    print(f"{len(sample)} of {len(labelled)} passages drawn from {sample['stratum'].nunique()} strata -> "
          f"{out}/tasks.json (Label Studio, with tasks.xml), {out}/tasks.csv (to fill in), {out}/items.csv (for "
          f"'framing annotate import --items'), {out}/design.csv (inclusion probabilities: keep it from annotators; "
          "pass it to 'framing compare --design')", file=sys.stderr)
    return EXIT_OK


def _with_context(labelled: pd.DataFrame) -> pd.DataFrame:
    """Neighbouring passages for the annotators. Policy for tables that are not whole segmented
    documents: without ``index``, the row order within each ``doc_id`` is the passage order;
    without ``paragraph``, neighbours may cross paragraphs; without ``doc_id``, no neighbours."""
    from .sampling import add_context

    if "doc_id" not in labelled.columns:
        print("note: no doc_id column: annotators will see each passage without its neighbours", file=sys.stderr)
        return labelled.assign(before="", after="")
    if "index" not in labelled.columns:
        print("note: no index column: the row order within each document is taken as the passage order, for the "
              "neighbours annotators see", file=sys.stderr)
    return add_context(labelled, same_paragraph="paragraph" in labelled.columns)


def cmd_report(args: argparse.Namespace) -> int:
    from .report import read_labelled

    _probe_folder(args.output)
    columns, labels = _labelled_columns(args)
    _check_columns(read_labelled(args.input, columns=[args.by, args.event], limit=1000), args, columns,
                   by_required=False)
    with _locating(args):
        out = _write_report(args, labels)
    print(f"report -> {out}/index.html", file=sys.stderr)
    return EXIT_OK


def _write_report(args: argparse.Namespace, labels: list[str]) -> Path:
    from .compare import pretrained_error_rates
    from .report import write_report

    shipped = set(labels) <= set(LABEL_NAMES)
    return write_report(args.input, args.output, labels=labels, by=args.by, event=args.event,
                       gold=_gold_sample(args), assume_srs=args.assume_srs,
                       error_rates=pretrained_error_rates() if shipped and not args.no_rogan_gladen else None,
                       model_scores=_shipped_scores() if shipped else None, title=args.title,
                       exclude_duplicates=args.exclude_duplicates, max_documents=args.max_documents,
                       top_n=args.top_n, min_passages=args.min_passages, n_boot=args.n_boot, n_perm=args.n_perm)


@contextlib.contextmanager
def _locating(args: argparse.Namespace) -> Iterator[None]:
    """Name the file a library DataError is about: the --gold sample when the error is about it,
    else the input table."""
    try:
        yield
    except DataError as exc:
        if exc.path is not None:
            raise
        about_gold = getattr(args, "gold", None) and ("gold" in exc.reason or "inclusion probab" in exc.reason)
        raise exc.located(path=args.gold if about_gold else args.input) from exc


def _names(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _read_items(path: str) -> pd.DataFrame:
    from .columns import AFTER, BEFORE, ITEM_ID, SHA1
    from .corpus import read_table

    return read_table(path, strings=(ITEM_ID, SHA1, BEFORE, AFTER))


def cmd_annotate_export(args: argparse.Namespace) -> int:
    from .annotate import export_items

    items = _read_items(args.input)
    try:
        paths = export_items(items, args.output, format=args.format, labels=_names(args.labels),
                             metadata=_names(args.metadata) or (), name=args.name)
    except DataError:
        raise
    except ValueError as exc:  # a refused metadata column or label name: the command line asked for it
        print(f"framing: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{len(items)} items -> {', '.join(str(p) for p in paths)}", file=sys.stderr)
    return EXIT_OK


def cmd_annotate_import(args: argparse.Namespace) -> int:
    from .annotate import read_annotations
    from .columns import ANNOTATOR, STATUS
    from .pipeline import write_table

    items = _read_items(args.items) if args.items else None
    frame = read_annotations(args.input, format=args.format, annotator_pass=args.annotator_pass,
                             labels=_names(args.labels), items=items, annotator=args.annotator)
    write_table(frame, args.output)
    counts = ", ".join(f"{n} {status}" for status, n in frame[STATUS].value_counts().items())
    print(f"{len(frame)} annotations ({counts or 'none'}) by {frame[ANNOTATOR].nunique()} annotator(s) -> "
          f"{args.output}", file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------- parser


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="framing",
        description="Framing analysis of news passages: segment, label with evidence, train, evaluate, report.",
        epilog="Exit codes: 0 ok, 2 usage error, 3 bad input data, 4 missing file or corpus, "
               "5 the output cannot be written.",
    )
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    corpus = sub.add_parser("corpus", help="inspect a corpus")
    corpus.set_defaults(func=lambda args: _usage(corpus))
    corpus_sub = corpus.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND")
    info = corpus_sub.add_parser("info", help="documents, outlets, dates, events of a corpus")
    _read_args(info)
    info.add_argument("--sentences", action="store_true", help="also count sentences (segments the corpus)")
    info.add_argument("--top", type=int, default=10, help="outlets to list")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=cmd_corpus_info)

    seg = sub.add_parser("segment", help="split documents into passages with character offsets")
    _read_args(seg)
    seg.add_argument("-o", "--output", required=True, help="output .csv, .jsonl or .parquet")
    seg.add_argument("--unit", choices=("sentence", "paragraph"), default="sentence")
    seg.set_defaults(func=cmd_segment)

    lab = sub.add_parser("label", help="label documents (segmenting them) or passages with framing categories")
    _read_args(lab)
    lab.add_argument("-o", "--output", required=True, help="output .csv, .jsonl or .parquet (one row per passage)")
    lab.add_argument("--passages", action="store_true", help="the input is already segmented: one passage per row")
    lab.add_argument("--unit", choices=("sentence", "paragraph"), default="sentence")
    lab.add_argument("--model", help="a .skops model from 'framing train' (default: the shipped model)")
    lab.add_argument("--batch-size", type=_positive_int, default=4096, help="passages per batch (default 4096)")
    lab.add_argument("--no-evidence", action="store_true", help="skip the evidence column")
    lab.set_defaults(func=cmd_label)

    tr = sub.add_parser("train", help="train a classifier on your own annotations")
    tr.add_argument("input", help="a .csv/.jsonl/.parquet table with a text column and labels")
    tr.add_argument("-o", "--output", required=True, help="model file to write (.skops)")
    tr.add_argument("--labels", help="comma-separated label names: your own 0/1 columns, or the names to expect in "
                                     "--label-column (default: the codebook's four 0/1 columns if the table has them, "
                                     "else the names found in --label-column)")
    tr.add_argument("--label-column", default=LABELS,
                    help="column with a list or ';'-separated labels, used unless there is one 0/1 column per label "
                         "(the --labels names, else the codebook's four)")
    tr.add_argument("--text-column", default=TEXT)
    tr.add_argument("--dev", help="a held-out table for threshold tuning")
    tr.add_argument("--no-cues", action="store_true", help="n-grams only (for label sets the cues do not fit)")
    tr.add_argument("--random-state", type=int, default=0)
    tr.set_defaults(func=cmd_train)

    ev = sub.add_parser("evaluate", help="score a model on labelled data (P/R/F1 with bootstrap CIs)")
    ev.add_argument("input", help="a labelled .csv/.jsonl/.parquet table")
    ev.add_argument("--model", help="a .skops model (default: the shipped model)")
    ev.add_argument("--label-column", default=LABELS)
    ev.add_argument("--label-prefix", help="read the gold labels from columns <prefix><label>, e.g. gold_ (needed "
                                           "when the table also holds the model's own label columns)")
    ev.add_argument("--text-column", default=TEXT)
    ev.add_argument("--n-boot", type=int, default=1000)
    ev.add_argument("-o", "--output", help="write the scores as JSON")
    ev.set_defaults(func=cmd_evaluate)

    def comparison_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("input", help="output of 'framing label' (.csv, .jsonl or .parquet; read in chunks)")
        p.add_argument("-o", "--output", required=True, help="folder to write")
        p.add_argument("--by", default="outlet", help="column to compare by: outlet (default), or a document "
                                                       "column such as bias, country, affiliation")
        p.add_argument("--event", default="event_id", help="event column for the paired comparison "
                                                            "(default: event_id; see 'framing align')")
        p.add_argument("--labels", help="comma-separated label columns (default: those with p_<label>)")
        p.add_argument("--gold", help="a gold sample of these passages, read against the codebook ('framing "
                                      "annotate import' output, or a table with doc_id, start, 0/1 label columns "
                                      "and inclusion_prob): adds corrected estimates")
        p.add_argument("--design", help="the sample's design.csv from 'framing sample' (inclusion probabilities), "
                                        "joined to --gold on item_id")
        p.add_argument("--assume-srs", action="store_true", help="treat a gold sample without inclusion "
                                                                 "probabilities as a simple random sample")
        p.add_argument("--exclude-duplicates", action="store_true", help="leave out wire copy (duplicate_of)")
        p.add_argument("--no-rogan-gladen", action="store_true",
                       help="leave out the sensitivity analysis with the shipped model's test-split error rates")
        p.add_argument("--top-n", type=_positive_int, default=40, help="groups shown in the figures (default 40)")
        p.add_argument("--min-passages", type=int, default=0, help="leave groups with fewer passages out of figures")
        p.add_argument("--n-boot", type=_positive_int, default=2000, help="bootstrap replicates (default 2000)")
        p.add_argument("--n-perm", type=_positive_int, default=10000, help="sign flips (default 10000)")

    cmp_ = sub.add_parser("compare", help="rates per outlet and within-event differences with CIs, naive and "
                                          "corrected; tables and figures")
    comparison_args(cmp_)
    cmp_.add_argument("--pairs", help="outlet pairs as A:B,C:D (default: every pair)")
    cmp_.add_argument("--adjust", choices=("holm", "bh"), default="holm", help="multiple-comparison adjustment")
    cmp_.add_argument("--no-figures", action="store_true")
    cmp_.add_argument("--random-state", type=int, default=0)
    cmp_.set_defaults(func=cmd_compare)

    rep = sub.add_parser("report", help="one self-contained HTML report (tables, figures, documents with evidence)")
    comparison_args(rep)
    rep.add_argument("--title", default="Framing report")
    rep.add_argument("--max-documents", type=_positive_int, default=200, help="documents shown in full")
    rep.set_defaults(func=cmd_report)

    aln = sub.add_parser("align", help="give documents event ids (the same event across outlets); mark wire copy")
    _read_args(aln)
    aln.add_argument("-o", "--output", required=True, help="output .csv, .jsonl or .parquet (the documents, with "
                                                            "event_id, event_source, duplicate_of)")
    aln.add_argument("--recompute", action="store_true", help="recompute event ids the input already has")
    aln.add_argument("--threshold", type=float, default=0.06, help="similarity below which groups stay apart")
    aln.add_argument("--window-days", type=float, default=7.0)
    aln.add_argument("--date-decay-days", type=float, default=1.0)
    aln.add_argument("--duplicate-threshold", type=float, default=0.8)
    aln.set_defaults(func=cmd_align)

    smp = sub.add_parser("sample", help="draw a stratified gold sample of labelled passages for reading (Label "
                                        "Studio tasks, a CSV, and the design with inclusion probabilities)")
    smp.add_argument("input", help="output of 'framing label'")
    smp.add_argument("-n", type=_positive_int, required=True, help="passages to draw")
    smp.add_argument("-o", "--output", required=True, help="folder to write")
    smp.add_argument("--strata", help="comma-separated stratum columns (default: outlet,predicted)")
    smp.add_argument("--allocation", choices=("sqrt", "proportional", "equal", "balanced"), default="sqrt")
    smp.add_argument("--min-per-stratum", type=int, default=2, help="passages drawn from every stratum at least "
                                                                    "(default 2)")
    smp.add_argument("--labels", help="comma-separated label columns (default: those with p_<label>)")
    smp.add_argument("--random-state", type=int, default=0)
    smp.set_defaults(func=cmd_sample)

    ann = sub.add_parser("annotate", help="export sentences to Label Studio, doccano or CSV; read the labels back")
    ann.set_defaults(func=lambda args: _usage(ann))
    ann_sub = ann.add_subparsers(dest="annotate_command", metavar="SUBCOMMAND")
    exp = ann_sub.add_parser("export", help="write annotation items as Label Studio tasks + config, doccano JSONL "
                                            "or CSV")
    exp.add_argument("input", help="the items: a .csv/.jsonl/.parquet table with item_id, text and optional before, "
                                   "after, sha1")
    exp.add_argument("-o", "--output", required=True, help="folder to write to")
    exp.add_argument("--format", required=True, choices=("labelstudio", "doccano", "csv"))
    exp.add_argument("--labels", help="comma-separated label names (default: the codebook's four)")
    exp.add_argument("--metadata", help="comma-separated item columns to carry along (shown to annotators; never a "
                                        "prediction, score or sampling stratum)")
    exp.add_argument("--name", default="tasks", help="file name stem (default: tasks)")
    exp.set_defaults(func=cmd_annotate_export)
    imp = ann_sub.add_parser("import", help="read a Label Studio JSON export, doccano JSONL/zip or filled-in CSV "
                                            "into gold rows (one per annotation)")
    imp.add_argument("input", help="the exported annotations (.json Label Studio, .jsonl/.zip doccano, .csv)")
    imp.add_argument("--format", choices=("labelstudio", "doccano", "csv"), help="default: by suffix")
    imp.add_argument("--pass", dest="annotator_pass", required=True, help="name of this pass, e.g. pass1")
    imp.add_argument("-o", "--output", required=True, help="output .csv, .jsonl or .parquet")
    imp.add_argument("--items", help="the items file that was exported: checks each sentence's SHA-1 and carries "
                                     "corpus, doc_id, start, end")
    imp.add_argument("--annotator", help="the annotator of annotations that name none (else they are an error)")
    imp.add_argument("--labels", help="comma-separated label names (default: the codebook's four)")
    imp.set_defaults(func=cmd_annotate_import)

    demo = sub.add_parser("demo", help="align, label and compare the bundled same-event set; write the report")
    demo.add_argument("-o", "--output", default="reports/demo", help="report folder")
    demo.set_defaults(func=cmd_demo)
    return parser


def _for_cli(message: str) -> str:
    """A library message with its Python spellings of options given as the command line's."""
    for python, cli in _CLI_SPELLING:
        message = message.replace(python, cli)
    return message


def _show_warning(message: Any, category: type, filename: str, lineno: int, file: Any = None,
                  line: str | None = None) -> None:
    """Warnings as plain messages (no source line): repairs under --errors coerce, mostly."""
    kind = "warning" if issubclass(category, RepairWarning) else category.__name__
    print(f"framing: {kind}: {_for_cli(str(message))}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 usage, 3 bad data, 4 missing input, 5 output)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        return _usage(parser)
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning  # restored when the command ends
        try:
            return int(args.func(args))
        except MissingDataError as exc:
            print(f"framing: error: {_for_cli(str(exc))}", file=sys.stderr)
            return EXIT_MISSING
        except OutputError as exc:
            print(f"framing: error: {exc}", file=sys.stderr)
            return EXIT_OUTPUT
        except (DataError, UnicodeDecodeError) as exc:
            print(f"framing: error: {_for_cli(str(exc))}", file=sys.stderr)
            return EXIT_DATA
        except KeyboardInterrupt:  # pragma: no cover
            return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
