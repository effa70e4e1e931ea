"""Public column names, in one place.

Every table the library reads or writes uses these names; import them instead of
typing string literals.
"""
from __future__ import annotations

# documents
CORPUS = "corpus"
DOC_ID = "doc_id"
OUTLET = "outlet"
DATE = "date"
TITLE = "title"
URL = "url"
EVENT_ID = "event_id"
TEXT = "text"
META = "meta"

DOCUMENT_COLUMNS: tuple[str, ...] = (CORPUS, DOC_ID, OUTLET, DATE, TITLE, URL, EVENT_ID, TEXT, META)

# passages
PASSAGE_ID = "passage_id"
INDEX = "index"
START = "start"
END = "end"
PARAGRAPH = "paragraph"
UNIT = "unit"

PASSAGE_COLUMNS: tuple[str, ...] = (
    CORPUS, DOC_ID, PASSAGE_ID, INDEX, PARAGRAPH, START, END, TEXT, OUTLET, DATE, EVENT_ID,
)

# cue spans
CUE_TYPE = "cue_type"
MATCH = "match"

# labels and predictions
LABELS = "labels"
SPLIT = "split"
SAMPLING = "sampling"
EVIDENCE = "evidence"
PROBA_PREFIX = "p_"

#: The framing categories, in the fixed column order of every label matrix.
LABEL_NAMES: tuple[str, ...] = (
    "state_claim_uncritical",
    "hedged_attribution",
    "forced_confession_noted",
    "speculative_motive",
)

# annotation items and the annotations read back from annotation tools (framing.annotate)
ITEM_ID = "item_id"
SHA1 = "sha1"
BEFORE = "before"
AFTER = "after"
NOTE = "note"
ANNOTATOR = "annotator"
ANNOTATOR_PASS = "annotator_pass"
STATUS = "status"
SOURCE_FORMAT = "source_format"
SOURCE_FILE = "source_file"
SOURCE_TASK = "source_task"
SOURCE_ANNOTATION = "source_annotation"
CREATED_AT = "created_at"
LEAD_TIME = "lead_time"

#: The columns of an annotation item, in export order: the sentence with its context.
ITEM_COLUMNS: tuple[str, ...] = (ITEM_ID, SHA1, BEFORE, TEXT, AFTER)

#: Values of ``status`` in imported annotations (see :mod:`framing.annotate`).
STATUS_COMPLETED = "completed"
STATUS_CANCELLED = "cancelled"
STATUS_SKIPPED = "skipped"
