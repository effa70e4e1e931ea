"""framing: framing and disinformation analysis of news passages.

A short tour, in the order the data flows (each name is ``framing.<name>``):

Read documents
    ``read_corpus(path_or_frame_or_dataset)`` (JSONL, CSV, Parquet, a folder of .txt files,
    a Hugging Face dataset), ``load_corpus(name)`` from the data home (``data_home()``),
    ``load_demo_corpus()`` (``"seeds"``, or ``"allsides"``: outlets on shared events).
    Bad input raises ``DataError`` naming file, row and field.
The same event across outlets
    ``align_events(docs)`` adds ``event_id`` (title, lead, entities, dates) and marks
    wire copy in ``duplicate_of``.
Segment
    ``segment(docs)``: one row per sentence (or ``unit="paragraph"``) with exact
    character offsets; ``sentence_spans(text)`` and ``paragraph_spans(text)`` for one text.
Cues (the evidence)
    ``detect_cues(text)``, ``cue_table(passages)``, ``CueDetector``.
Label
    ``label_documents(docs)`` segments and labels; ``label_passages(passages)`` labels your
    own passages; ``iter_labelled_documents(docs)`` streams batches for corpora larger than
    memory. Both ``label_*`` functions take a pandas or a ``dask.dataframe.DataFrame``.
Models
    ``load_pretrained()``, ``FramingClassifier`` (a scikit-learn estimator),
    ``CueRuleClassifier`` (the baseline), ``save_model`` / ``load_model`` (skops, never
    pickle), ``LABEL_NAMES``.
Compare outlets
    ``compare_outlets(labelled)`` (rates with document-cluster CIs, within-event paired
    differences with event-bootstrap CIs and permutation tests, corrected with a gold
    sample), or its parts ``label_rates``, ``paired_differences``, ``error_rates``;
    ``write_report(labelled, folder)`` writes one self-contained HTML page.
Annotate
    ``sample_for_validation(labelled, n)`` (a gold sample with inclusion probabilities),
    ``select_for_annotation(pool, n, proba=...)`` (active selection), ``export_items`` and
    ``labelstudio_config`` (Label Studio, doccano, CSV), ``read_annotations``,
    ``annotation_agreement``.
Evaluate
    ``evaluate_predictions(Y_true, Y_pred)``, ``load_gold()``, ``load_validation(name)``.

Examples
--------
>>> import framing
>>> docs = framing.load_demo_corpus()
>>> labelled = framing.label_documents(docs)
>>> len(labelled) == len(framing.segment(docs))
True

The public names are imported on first use (PEP 562), so ``import framing`` is quick and
has no side effects; ``from framing import X`` works as usual.
"""
import importlib as _importlib

# ``segment`` is both a module and a function: import it now so the name is the function.
from .segment import paragraph_spans, segment, sentence_spans

__version__ = "0.1.0"

# public name -> module of the package that defines it, grouped by stage; add new exports here
_EXPORTS: dict = {
    # corpus
    "data_home": "corpus",
    "load_corpus": "corpus",
    "load_demo_corpus": "corpus",
    "read_corpus": "corpus",
    # events
    "align_events": "events",
    # cues
    "CueDetector": "cues",
    "cue_table": "cues",
    "detect_cues": "cues",
    # labelling
    "iter_labelled_documents": "pipeline",
    "label_documents": "pipeline",
    "label_passages": "pipeline",
    # models
    "LABEL_NAMES": "columns",
    "CueRuleClassifier": "model",
    "FramingClassifier": "model",
    "load_model": "model",
    "load_pretrained": "model",
    "save_model": "model",
    # comparison and report
    "compare_outlets": "compare",
    "label_rates": "compare",
    "paired_differences": "compare",
    "error_rates": "compare",
    "write_report": "report",
    # annotation
    "sample_for_validation": "sampling",
    "select_for_annotation": "sampling",
    "export_items": "annotate",
    "labelstudio_config": "annotate",
    "read_annotations": "annotate",
    "annotation_agreement": "agreement",
    # evaluation and gold
    "evaluate_predictions": "evaluate",
    "load_gold": "gold",
    "load_validation": "gold",
    # errors
    "DataError": "errors",
    "FramingError": "errors",
    "MissingDataError": "errors",
    "OutputError": "errors",
}

__all__ = [*_EXPORTS, "paragraph_spans", "segment", "sentence_spans"]


def __getattr__(name: str):  # noqa: ANN202 - PEP 562 hook
    if name in _EXPORTS:
        value = getattr(_importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


def __dir__() -> list:
    return sorted([*__all__, "__version__"])
