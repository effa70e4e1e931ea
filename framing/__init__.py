"""framing: framing and disinformation analysis of news passages."""
from __future__ import annotations

from .columns import LABEL_NAMES
from .corpus import data_home, load_corpus, load_demo_corpus, read_corpus
from .cues import CueDetector, cue_table, detect_cues
from .errors import DataError, FramingError, MissingDataError
from .evaluate import evaluate_predictions
from .gold import load_gold
from .model import CueRuleClassifier, FramingClassifier, load_model, load_pretrained, save_model
from .segment import paragraph_spans, segment, sentence_spans

__version__ = "0.1.0"

__all__ = [
    "LABEL_NAMES",
    "CueDetector",
    "CueRuleClassifier",
    "FramingClassifier",
    "cue_table",
    "detect_cues",
    "evaluate_predictions",
    "load_gold",
    "load_model",
    "load_pretrained",
    "save_model",
    "DataError",
    "FramingError",
    "MissingDataError",
    "data_home",
    "load_corpus",
    "load_demo_corpus",
    "paragraph_spans",
    "read_corpus",
    "segment",
    "sentence_spans",
]
