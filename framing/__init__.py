"""framing: framing and disinformation analysis of news passages."""
from __future__ import annotations

from .columns import LABEL_NAMES
from .corpus import data_home, load_corpus, load_demo_corpus, read_corpus
from .errors import DataError, FramingError, MissingDataError
from .segment import paragraph_spans, segment, sentence_spans

__version__ = "0.1.0"

__all__ = [
    "LABEL_NAMES",
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
