"""framing: framing and disinformation analysis of news passages.

The public names below are imported on first use (PEP 562), so ``import framing`` is
quick and has no side effects; ``from framing import X`` works as usual.
"""
from __future__ import annotations

import importlib
from typing import Any

# ``segment`` is both a module and a function: import it now so the name is the function.
from .segment import paragraph_spans, segment, sentence_spans

__version__ = "0.1.0"

# public name -> module of the package that defines it
_EXPORTS: dict[str, str] = {
    "LABEL_NAMES": "columns",
    "export_items": "annotate",
    "labelstudio_config": "annotate",
    "labelstudio_tasks": "annotate",
    "read_annotations": "annotate",
    "annotation_agreement": "agreement",
    "CueDetector": "cues",
    "cue_table": "cues",
    "detect_cues": "cues",
    "CueRuleClassifier": "model",
    "FramingClassifier": "model",
    "load_model": "model",
    "load_pretrained": "model",
    "save_model": "model",
    "evaluate_predictions": "evaluate",
    "load_gold": "gold",
    "DataError": "errors",
    "FramingError": "errors",
    "MissingDataError": "errors",
    "data_home": "corpus",
    "load_corpus": "corpus",
    "load_demo_corpus": "corpus",
    "read_corpus": "corpus",
    "align_events": "events",
    "label_rates": "compare",
    "paired_differences": "compare",
    "event_rates": "compare",
    "compare_outlets": "compare",
    "error_rates": "compare",
    "write_report": "report",
    "sample_for_validation": "sampling",
    "select_for_annotation": "sampling",
}

__all__ = [*_EXPORTS, "paragraph_spans", "segment", "sentence_spans"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
