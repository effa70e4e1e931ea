"""The ``framing`` command line: a thin layer over the public API.

Exit codes: 0 success, 2 usage error, 3 bad input data, 4 missing file or corpus,
1 anything unexpected.
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .columns import LABEL_NAMES, LABELS, PROBA_PREFIX, TEXT
from .errors import DataError, MissingDataError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_DATA, EXIT_MISSING = 0, 1, 2, 3, 4


def _read_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", help="a .jsonl[.gz], .csv, .parquet file, a folder of .txt files, or a saved HF dataset")
    p.add_argument("--format", choices=("jsonl", "csv", "parquet", "txt", "hf"), help="override the format guessed from the suffix")
    p.add_argument("--text-column", default=None, help="name of the column holding the text (default: text)")
    p.add_argument("--id-column", default=None, help="name of the column holding the document id (default: doc_id)")
    p.add_argument("--errors", choices=("raise", "coerce"), default="raise",
                   help="bad rows: stop with an error (default) or repair them and warn")


def _read(args: argparse.Namespace) -> pd.DataFrame:
    from .corpus import read_corpus

    columns = {}
    if args.text_column:
        columns[args.text_column] = TEXT
    if args.id_column:
        columns[args.id_column] = "doc_id"
    return read_corpus(args.input, format=args.format, columns=columns or None, errors=args.errors)


def _read_table(path: str, *, text_column: str | None = None, format: str | None = None,
                id_column: str | None = None, errors: str = "raise") -> pd.DataFrame:
    """Read a labelled or passage table as is (every column kept), validated like a corpus."""
    from .corpus import read_table

    return read_table(path, format=format, text_column=text_column, id_column=id_column, errors=errors)  # type: ignore[arg-type]


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
        raise DataError(f"no label column {label_column!r} (a list or ';'-separated labels per row), and not one "
                        f"0/1 column for each of {wanted}; the table has {[str(c) for c in frame.columns]}",
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
    from .segment import segment

    docs = _read(args)
    info: dict[str, Any] = {
        "documents": len(docs),
        "characters": int(docs[TEXT].str.len().sum()),
        "empty_texts": int((docs[TEXT].str.strip() == "").sum()),
        "outlets": docs["outlet"].value_counts(dropna=False).head(args.top).to_dict(),
        "events": int(docs["event_id"].nunique()),
        "dates": [docs["date"].dropna().min(), docs["date"].dropna().max()] if docs["date"].notna().any() else None,
    }
    if args.sentences:
        info["sentences"] = len(segment(docs, progress=not args.quiet))
    info["outlets"] = {str(k): int(v) for k, v in info["outlets"].items()}
    if args.json:
        print(json.dumps(info, indent=2, default=str))
    else:
        for key, value in info.items():
            print(f"{key:>12}: {value}")
    return EXIT_OK


def cmd_segment(args: argparse.Namespace) -> int:
    from .pipeline import write_table
    from .segment import segment

    docs = _read(args)
    passages = segment(docs, unit=args.unit, progress=not args.quiet)
    write_table(passages, args.output)
    print(f"{len(docs)} documents -> {len(passages)} {args.unit}s -> {args.output}", file=sys.stderr)
    return EXIT_OK


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
    from tqdm.auto import tqdm

    from .pipeline import TableWriter, iter_labelled, iter_labelled_documents

    model = _model(args.model)
    if args.passages:
        frame = _read_table(args.input, text_column=args.text_column, format=args.format, id_column=args.id_column,
                            errors=args.errors)
        total: int | None = len(frame)
        batches = iter_labelled(frame.to_dict("records"), model, batch_size=args.batch_size,
                                evidence=not args.no_evidence)
    else:
        from .corpus import iter_corpus

        columns = {}
        if args.text_column:
            columns[args.text_column] = TEXT
        if args.id_column:
            columns[args.id_column] = "doc_id"
        # small document chunks keep peak memory low on corpora with long documents
        chunks = iter_corpus(args.input, chunk_size=256, format=args.format, columns=columns or None,
                             errors=args.errors)
        counts = {"documents": 0, "empty": 0}

        def counted(chunks: Any) -> Any:
            for chunk in chunks:
                counts["documents"] += len(chunk)
                counts["empty"] += int((chunk[TEXT].str.strip() == "").sum())
                yield from chunk.to_dict("records")

        docs = counted(chunks)
        total = None
        batches = iter_labelled_documents(docs, model, unit=args.unit, batch_size=args.batch_size,
                                          evidence=not args.no_evidence)
    n = 0
    _settle(model)  # undone when the command ends
    try:
        with TableWriter(args.output) as writer, \
                tqdm(total=total, unit="passage", disable=args.quiet, desc="labelling") as bar:
            for batch in batches:
                writer.write(batch)
                n += len(batch)
                bar.update(len(batch))
    finally:
        gc.unfreeze()  # as it was, for a caller that goes on (a notebook, a test)
    if args.passages:
        print(f"{n} passages labelled -> {args.output}", file=sys.stderr)
    else:
        empty = f" ({counts['empty']} with an empty text, which yield no passage)" if counts["empty"] else ""
        print(f"{counts['documents']} documents{empty} -> {n} passages labelled -> {args.output}", file=sys.stderr)
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
    clf = FramingClassifier(labels=names, random_state=args.random_state, use_cues=not args.no_cues)
    clf.fit(frame[TEXT].tolist(), Y, dev=dev)
    card = {"labels": names, "n_train": len(frame), "thresholds": dict(zip(names, map(float, clf.thresholds_))),
            "trained_on": str(args.input), "dev": str(args.dev) if args.dev else None}
    save_model(clf, args.output, card=card)
    print(f"trained on {len(frame)} passages, labels {names} -> {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_predictions

    model = _model(args.model)
    frame = _read_table(args.input, text_column=args.text_column)
    names = [str(c) for c in model.classes_]
    Y, _ = _labels_from_table(frame, names, args.label_column, args.input)
    P = model.predict(frame[TEXT].tolist())
    groups = frame["doc_id"].tolist() if "doc_id" in frame.columns else None
    scores = evaluate_predictions(Y, P, labels=names, groups=groups, n_boot=args.n_boot, random_state=0)
    if args.output:
        Path(args.output).write_text(scores.to_json(orient="records", indent=2) + "\n")
    print(scores[["label", "support", "precision", "recall", "f1", "f1_lo", "f1_hi"]].round(3).to_string(index=False))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .corpus import load_demo_corpus
    from .pipeline import label_documents
    from .report import write_report

    docs = load_demo_corpus()
    labelled = label_documents(docs)
    out = write_report(labelled, args.output, title="framing demo: 2025 reporting on Russia-Azerbaijan relations")
    print(f"{len(docs)} documents, {len(labelled)} sentences labelled -> {out}/index.html", file=sys.stderr)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    frame = _read_table(args.input)
    # the labels are the columns that 'framing label' wrote with their probabilities
    labels = [str(c)[len(PROBA_PREFIX):] for c in frame.columns
              if str(c).startswith(PROBA_PREFIX) and str(c)[len(PROBA_PREFIX):] in frame.columns]
    if not labels:
        raise DataError("not a labelled table (no label column with its p_<label> probability); run "
                        "'framing label' first", path=args.input)
    for label in labels:
        frame[label] = _binary_column(frame, label, args.input)
    out = write_report(frame, args.output, title=args.title, labels=labels)
    print(f"report -> {out}/index.html", file=sys.stderr)
    return EXIT_OK


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
        epilog="Exit codes: 0 ok, 2 usage error, 3 bad input data, 4 missing file or corpus.",
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
    tr.add_argument("--labels", help="comma-separated label names (default: the codebook's four, or those found)")
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
    ev.add_argument("--text-column", default=TEXT)
    ev.add_argument("--n-boot", type=int, default=1000)
    ev.add_argument("-o", "--output", help="write the scores as JSON")
    ev.set_defaults(func=cmd_evaluate)

    rep = sub.add_parser("report", help="write an HTML/Markdown report from a labelled table")
    rep.add_argument("input", help="output of 'framing label' (any label set; outlet, event and ids optional)")
    rep.add_argument("-o", "--output", required=True, help="report folder")
    rep.add_argument("--title", default="Framing report")
    rep.set_defaults(func=cmd_report)

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

    demo = sub.add_parser("demo", help="label the bundled corpus and write a report")
    demo.add_argument("-o", "--output", default="reports/demo", help="report folder")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        return _usage(parser)
    try:
        return int(args.func(args))
    except MissingDataError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return EXIT_MISSING
    except (DataError, UnicodeDecodeError) as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
