"""Passages with exact character offsets: sentences (default) or paragraphs.

Sentences come from nltk's Punkt algorithm with parameters this project trains on
English news and ships (``framing/data/punkt_en.json``, made by
``scripts/train_punkt.py``), so nothing is downloaded. On top of Punkt:

* a line break always ends a sentence (headlines, bylines and list items have no final
  punctuation), and a blank line ends a paragraph;
* a bare list marker ("1.", "a)", "-") or a title ("Gen.") is joined to the sentence it
  introduces, and stray closing punctuation (").", " |") to the sentence it closes;
* spans never include surrounding white space, and for every passage
  ``document.text[start:end] == passage.text``.

Paragraphs are the blocks between blank lines; a text without blank lines has one
paragraph per line.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd

try:  # optional compiled scanners (framing/_speedups.c); the same spans without them
    from . import _speedups
except ImportError:  # pragma: no cover - an install without a C compiler
    _speedups = None  # type: ignore[assignment]

from .columns import (
    CORPUS,
    DATE,
    DOC_ID,
    END,
    EVENT_ID,
    INDEX,
    OUTLET,
    PARAGRAPH,
    PASSAGE_COLUMNS,
    PASSAGE_ID,
    START,
    TEXT,
)
from .errors import DataError

__all__ = ["sentence_spans", "paragraph_spans", "segment", "iter_passages", "iter_passage_frames", "empty_passages",
           "Unit"]

Unit = Literal["sentence", "paragraph"]

PUNKT_PARAMS = Path(__file__).parent / "data" / "punkt_en.json"

#: Abbreviations added to the trained ones (lower case, without the final period).
EXTRA_ABBREVIATIONS: frozenset[str] = frozenset(
    """mr mrs ms dr prof gen lt col maj sgt capt cmdr adm brig gov sen rep rev fr hon
    pres supt insp det cpl pvt st jr sr messrs mme
    u.s u.k u.n e.u u.s.a u.a.e d.c e.g i.e a.m p.m no nos vol fig approx est dept
    jan feb mar apr jun jul aug sep sept oct nov dec
    inc corp co ltd llc plc bros ave blvd mt ft
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo
    mont neb nev okla ore pa tenn tex va vt wash wis wyo""".split()
)

#: Titles that always precede a name: never a sentence end, whatever Punkt learned
#: about the next word (it learns frequent names such as "Aliyev" as sentence starters).
TITLES: frozenset[str] = frozenset(
    """mr mrs ms dr prof gen lt col maj sgt capt cmdr adm brig gov sen rep rev fr hon
    pres supt insp det cpl pvt messrs mme st""".split()
)
_TITLE_END = re.compile(r"(?:^|[\s(\"'‘“])(" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.$",
                        re.IGNORECASE)

# What _TITLE_END's group may be preceded by, as white space for str.split (ASCII tails).
_TITLE_SEP = str.maketrans({c: " " for c in "(\"'\u2018\u201c"})
_ALNUM = re.compile(r"[^\W_]")  # a character for which str.isalnum() is true
_LINE = re.compile(r"[^\n]+")
# A line with no [.?!] followed by white space inside it is one sentence: skip Punkt.
_INNER_END = re.compile(r"[.?!][\"')\]\u2019\u201d]*\s+\S")
_BLANK = re.compile(r"\n[ \t\r\f\v]*\n")
_MARKER = re.compile(r"^(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,5})[.)]$|^[-*\u2022\u2013\u2014]$")


def params_to_dict(params: Any, *, min_ortho_count: int = 1, type_counts: Any = None) -> dict[str, Any]:
    """Serialise :class:`nltk.tokenize.punkt.PunktParameters` to plain JSON-able data."""
    ortho = {
        k: int(v)
        for k, v in sorted(params.ortho_context.items())
        if v and (type_counts is None or type_counts[k] >= min_ortho_count)
    }
    return {
        "format": "punkt-params/1",
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([list(c) for c in params.collocations]),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": ortho,
    }


def save_punkt_params(data: dict[str, Any], path: Path) -> None:
    """Write serialised Punkt parameters as compact JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                    encoding="utf-8")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from nltk.tokenize.punkt import (_ORTHO_BEG_LC, _ORTHO_LC, _ORTHO_MID_UC, _ORTHO_UC, PunktLanguageVars,
                                     PunktParameters, PunktSentenceTokenizer, PunktToken)

    class NewsLanguageVars(PunktLanguageVars):
        # Curly opening quotes, like the straight ones, do not start a word token, so the
        # capital after them is seen ("He said. “They lied.”" splits after "said.").
        _re_word_start = r"[^\(\"\`{\[:;&\#\*@\)}\]\-,\u201c\u2018\u00ab]"

    data = json.loads(PUNKT_PARAMS.read_text(encoding="utf-8"))
    params = PunktParameters()
    params.abbrev_types = set(data["abbrev_types"]) | set(EXTRA_ABBREVIATIONS)
    params.collocations = {tuple(c) for c in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    for key, value in data["ortho_context"].items():
        params.ortho_context[key] = value
    abbrev, collocations = params.abbrev_types, params.collocations
    colloc_first = {first for first, _ in collocations}
    # A plain word of two or more letters, then "?" or "!", or a period when the word is no
    # abbreviation, then white space and a token or a closing quote or bracket
    # ("said. The", "Asia? Iran", "knees.”"). Punkt's first pass marks the "?", "!" or
    # period a sentence break and its second pass keeps it (its abbreviation, initial and
    # number rules cannot apply, and the collocation rule only when the word starts a
    # known collocation with the next token), so the answer is True without Punkt's tokens.
    plain_break = re.compile(r"([A-Za-z]{2,})([.?!])(?:\s+(\S+)|([\"')\]\u201d\u2019\u00bb]))").fullmatch
    letters = re.compile(r"[A-Za-z]+").fullmatch

    def unwrap(pattern: Any) -> Any:
        # nltk runs its own fixed, linear patterns under a time-out wrapper; call the
        # compiled pattern inside it directly (same engine, same matches)
        return getattr(pattern, "_rx", pattern)

    # Punkt's token properties and heuristics (nltk.tokenize.punkt.PunktToken and
    # PunktSentenceTokenizer), for FastPunkt._sentbreak.
    lang_vars = NewsLanguageVars()
    word_tokenize = unwrap(lang_vars._word_tokenizer_re()).findall
    sent_end_chars = tuple(lang_vars.sent_end_chars)
    is_ellipsis = unwrap(PunktToken._RE_ELLIPSIS).match
    is_initial = unwrap(PunktToken._RE_INITIAL).match
    numeric = unwrap(PunktToken._RE_NUMERIC).sub
    punctuation = tuple(PunktSentenceTokenizer.PUNCTUATION)
    ortho_context, sent_starters = params.ortho_context, params.sent_starters

    def no_period(typ: str) -> str:
        return typ[:-1] if len(typ) > 1 and typ[-1] == "." else typ

    def ortho(tok: str, typ: str) -> bool | str:
        if tok in punctuation:
            return False
        context = ortho_context.get(typ, 0)
        if tok[0].isupper() and context & _ORTHO_LC and not context & _ORTHO_MID_UC:
            return True
        if tok[0].islower() and (context & _ORTHO_UC or not context & _ORTHO_BEG_LC):
            return False
        return "unknown"

    def second_pass(tok: str, brk: bool, abbr_or_ellipsis: bool, tok2: str, brk2: bool) -> bool:
        """Whether ``tok`` (ending in a period) ends a sentence, after Punkt's second pass."""
        typ = no_period(numeric("##number##", tok.lower()))
        typ2 = numeric("##number##", tok2.lower())
        next_typ = no_period(typ2) if brk2 else typ2
        initial = is_initial(tok)
        if (typ, next_typ) in collocations:
            return False
        if abbr_or_ellipsis and not initial:
            if ortho(tok2, next_typ) is True:
                return True
            if tok2[0].isupper() and next_typ in sent_starters:
                return True
        if initial or typ == "##number##":
            starter = ortho(tok2, next_typ)
            if starter is False:
                return False
            if (starter == "unknown" and initial and tok2[0].isupper()
                    and not ortho_context.get(next_typ, 0) & _ORTHO_LC):
                return False
        return brk

    class FastPunkt(PunktSentenceTokenizer):
        """Punkt with the same decisions, reached faster.

        Whether a candidate boundary is a sentence break depends only on its short
        context ("said. The") and the fixed parameters: the frequent plain case is decided
        directly, the rest by Punkt and memoised (news repeats these contexts a lot).
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._decide = lru_cache(maxsize=200_000)(self._sentbreak)
            self._period_context = unwrap(self._lang_vars.period_context_re()).finditer
            self._realign = unwrap(self._lang_vars.re_boundary_realignment).match
            self.abbrev, self.collocations, self.colloc_first = abbrev, collocations, colloc_first

        def _realign_boundaries(self, text: str, slices: Iterator[slice]) -> Iterator[slice]:
            # nltk's loop (closing punctuation after a break joins the sentence before it)
            realign, previous, n = 0, None, len(text)
            for current in slices:
                if previous is not None:
                    start = previous.start + realign
                    m = self._realign(text[current])
                    if m:
                        yield slice(start, current.start + len(m.group(0).rstrip()))
                        realign = m.end()
                    else:
                        realign = 0
                        if start < min(previous.stop, n):
                            yield slice(start, previous.stop)
                previous = current
            if previous is not None and previous.start + realign < min(previous.stop, n):
                yield slice(previous.start + realign, previous.stop)

        def text_contains_sentbreak(self, text: str) -> bool:
            m = plain_break(text)
            if m is not None:
                if m.group(2) != ".":
                    return True
                word = m.group(1).lower()
                if word not in abbrev:
                    if word not in colloc_first:
                        return True
                    following = m.group(3) or m.group(4)
                    if letters(following) and (word, following.lower()) not in collocations:
                        return True
            return self._decide(text)

        def _sentbreak(self, text: str) -> bool:
            """nltk's ``text_contains_sentbreak(text)``, without its token objects.

            The same word tokens, the same first pass (sentence-end characters, ellipses,
            abbreviations) and the same second pass over each pair of tokens
            (collocations, orthographic and sentence-starter heuristics, initials and
            numbers); True where a token other than the last ends a sentence.
            """
            tokens = [t for line in text.split("\n") if line.strip() for t in word_tokenize(line)]
            n = len(tokens)
            brk, abbr, ellipsis = [False] * n, [False] * n, [False] * n
            for i, t in enumerate(tokens):
                if t in sent_end_chars:
                    brk[i] = True
                elif is_ellipsis(t):
                    ellipsis[i] = True
                elif t.endswith(".") and not t.endswith(".."):
                    low = t[:-1].lower()
                    if low in abbrev or low.split("-")[-1] in abbrev:
                        abbr[i] = True
                    else:
                        brk[i] = True
            for i in range(n - 1):
                t1 = tokens[i]
                if t1.endswith(".") and second_pass(t1, brk[i], abbr[i] or ellipsis[i], tokens[i + 1], brk[i + 1]):
                    return True
                if not t1.endswith(".") and brk[i]:
                    return True
            return False

        def _match_potential_end_contexts(self, text: str) -> Iterator[tuple[Any, str]]:
            # nltk's own loop, with its character-by-character search for the last
            # (ASCII) white space replaced by str.rfind; the same contexts result.
            previous_start, previous_stop = 0, 0
            previous_match = None
            for match in self._period_context(text):
                begin = match.start()
                index = max(text.rfind(" ", previous_stop, begin), text.rfind("\t", previous_stop, begin),
                            text.rfind("\r", previous_stop, begin), text.rfind("\n", previous_stop, begin),
                            text.rfind("\x0b", previous_stop, begin), text.rfind("\x0c", previous_stop, begin))
                # nltk treats "no white space" and "white space at the first position" alike
                word_start = index + 1 if index > previous_stop else previous_start
                if previous_match is not None and previous_stop <= word_start:
                    yield previous_match, text[previous_start:previous_stop] + previous_match.group() + previous_match.group("after_tok")
                previous_match, previous_start, previous_stop = match, word_start, begin
            if previous_match is not None:
                yield previous_match, text[previous_start:previous_stop] + previous_match.group() + previous_match.group("after_tok")

    tok = FastPunkt(params, lang_vars=lang_vars)
    tok.compiled_ok = _compiled_matches(tok)
    return tok


def _compiled_matches(tok: Any) -> bool:
    """Whether nltk's patterns are the ones ``_speedups.punkt_slices`` reproduces.

    The compiled scan hard-codes nltk 3.9-3.10's candidate-context and realignment
    patterns; another nltk with other patterns gets the pure-Python path.
    """
    lang = tok._lang_vars
    nonword = r"(?:[)\";}\]\*:@\'\({\[\u2018\u2019\u201c\u201d\xab\xbb%s])"
    expected = {lang._period_context_fmt % {"NonWord": nonword % ends, "SentEndChars": r"[\.\?!]"}
                for ends in (r"\?!", r"!\?")}
    realign = getattr(lang.re_boundary_realignment, "_rx", lang.re_boundary_realignment)
    return (tuple(lang.sent_end_chars) == (".", "?", "!")
            and getattr(lang.period_context_re(), "pattern", None) in expected
            and realign.pattern == r'["\')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)'
            and bool(realign.flags & re.MULTILINE))


def _punkt_spans(tok: Any, text: str) -> list[tuple[int, int]]:
    """``tok.span_tokenize(text)`` as a list, by the compiled scan where it applies."""
    if _speedups is not None and tok.compiled_ok:
        return _speedups.punkt_slices(text, tok.text_contains_sentbreak, tok.abbrev,
                                      tok.colloc_first, tok.collocations)
    return list(tok.span_tokenize(text))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _title_end(piece: str) -> bool:
    """``_TITLE_END.search(piece, max(0, len(piece) - 8))`` is a match, for a piece ending in ".".

    Titles are at most six ASCII letters, so the match lies in the last eight characters;
    where those are ASCII, re.IGNORECASE is ``str.lower`` and the title is the last word.
    """
    tail = piece[-8:-1]
    if not tail.isascii():
        return _TITLE_END.search(piece, max(0, len(piece) - 8)) is not None
    spaced = tail.translate(_TITLE_SEP)  # a title follows white space, a bracket or a quote
    if not spaced or spaced[-1].isspace():
        return False
    # the last word, if a title, is preceded by one of those or is the piece's first word
    # (a seven-character tail word is too long for a title)
    return spaced.split()[-1].lower() in TITLES


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` character offsets of the sentences of ``text``.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of (int, int)
        Non-overlapping, increasing spans; ``text[start:end]`` is a sentence with no
        leading or trailing white space. Empty for an empty or blank text.

    Examples
    --------
    >>> from framing.segment import sentence_spans
    >>> text = "Mr. Aliyev met Gen. Smith in the U.S. on Monday. They talked."
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['Mr. Aliyev met Gen. Smith in the U.S. on Monday.', 'They talked.']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    tok = _tokenizer()
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        base = line.start()
        chunk = line.group()
        if not chunk.strip():
            continue
        if not _INNER_END.search(chunk):
            s, e = _strip(chunk, 0, len(chunk))
            spans.append((base + s, base + e))
            continue
        pending: int | None = None
        for s, e in _punkt_spans(tok, chunk):
            if s >= e:
                continue
            if chunk[s].isspace() or chunk[e - 1].isspace():
                s, e = _strip(chunk, s, e)
                if s >= e:
                    continue
            if pending is not None:
                s = pending
                pending = None
            piece = chunk[s:e]
            if (len(piece) <= 6 and _MARKER.match(piece)) or (piece[-1] == "." and _title_end(piece)):
                pending = s  # a bare list marker or a title ("Gen.") joins the next sentence
                continue
            if spans and spans[-1][0] >= base and not piece[0].isalnum() and not _ALNUM.search(piece):
                spans[-1] = (spans[-1][0], base + e)  # stray punctuation (").", " |") ends the previous one
                continue
            spans.append((base + s, base + e))
        if pending is not None:
            spans.append((base + pending, base + len(chunk.rstrip())))
    return spans


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets of the paragraphs of ``text``.

    Paragraphs are separated by blank lines; a text with no blank line has one
    paragraph per non-empty line.

    Examples
    --------
    >>> from framing.segment import paragraph_spans
    >>> text = "Headline\\n\\nFirst para. Still first.\\n\\nSecond."
    >>> [text[s:e] for s, e in paragraph_spans(text)]
    ['Headline', 'First para. Still first.', 'Second.']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if _BLANK.search(text):
        bounds, pos = [], 0
        for m in _BLANK.finditer(text):
            bounds.append((pos, m.start()))
            pos = m.end()
        bounds.append((pos, len(text)))
    else:
        bounds = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    out = []
    for s, e in bounds:
        s, e = _strip(text, s, e)
        if s < e:
            out.append((s, e))
    return out


def _passages_of(text: str, unit: Unit) -> Iterator[tuple[int, int, int]]:
    """Yield (paragraph index, start, end) for each passage of one text."""
    paragraphs = paragraph_spans(text)
    if unit == "paragraph":
        for p, (s, e) in enumerate(paragraphs):
            yield p, s, e
        return
    p = 0
    for s, e in sentence_spans(text):
        while p + 1 < len(paragraphs) and s >= paragraphs[p][1]:
            p += 1
        yield p, s, e


_INT_COLUMNS = (INDEX, PARAGRAPH, START, END)
_BASE_FROM_DOC = (CORPUS, DOC_ID, OUTLET, DATE, EVENT_ID)
_BASE_KEYS = frozenset((*_BASE_FROM_DOC, TEXT))
# a document column of one of these names would overwrite what segmentation writes
_PASSAGE_ONLY = frozenset(PASSAGE_COLUMNS) - set(_BASE_FROM_DOC) - {TEXT}


def _documents(docs: Any, caller: str) -> Iterable[dict[str, Any]]:
    """Document records of ``docs``, or a clear error saying what ``caller`` expects."""
    expected = (f"{caller}() takes documents: a DataFrame (or Hugging Face Dataset, or records) with a "
                "'text' and a 'doc_id' column, e.g. from framing.read_corpus")
    if isinstance(docs, str):
        raise TypeError(f"{expected}, not a str; for the sentences of one text use framing.sentence_spans(text), "
                        "or segment(pd.DataFrame({'doc_id': ['1'], 'text': [text]}))")
    columns = None
    if isinstance(docs, pd.DataFrame):
        columns = [str(c) for c in docs.columns]
    elif type(docs).__module__.startswith("datasets.") and hasattr(docs, "column_names"):
        columns = list(docs.column_names) if isinstance(docs.column_names, list) else None
    elif type(docs).__module__.startswith("dask"):
        raise TypeError(f"{caller}() runs on pandas; for a dask DataFrame use framing.label_documents(ddf) "
                        "or ddf.map_partitions(framing.segment)")
    if columns is not None:
        missing = [c for c in (TEXT, DOC_ID) if c not in columns]
        if missing:
            raise DataError(f"{expected}; these documents have no {' and no '.join(map(repr, missing))} column "
                            f"(they have {columns}); rename yours, e.g. df.rename(columns={{'body': 'text'}})",
                            field=missing[0])
        return docs.to_dict("records") if isinstance(docs, pd.DataFrame) else docs
    if isinstance(docs, (bytes, Mapping)) or not isinstance(docs, Iterable):
        raise TypeError(f"{expected}, not {type(docs).__name__}")
    return docs


def _checked(doc: Any, row: int, caller: str) -> tuple[str, Any]:
    """The text and id of one document record, or an error naming its row."""
    if isinstance(doc, str):
        raise TypeError(f"{caller}() takes documents (records with 'doc_id' and 'text'), not strings: row {row} "
                        f"is the str {doc[:40]!r}; wrap texts as pd.DataFrame({{'doc_id': ids, 'text': texts}}), or "
                        "for passages you already have use framing.label_passages(texts)")
    if not isinstance(doc, Mapping):
        raise TypeError(f"{caller}() takes document records (dicts), but row {row} is a {type(doc).__name__}")
    if TEXT not in doc or DOC_ID not in doc:
        missing = TEXT if TEXT not in doc else DOC_ID
        raise DataError(f"the document has no {missing!r} (it has {sorted(map(str, doc))})", row=row, field=missing)
    text = doc[TEXT]
    if not isinstance(text, str):
        what = "missing (None/NaN)" if text is None or (isinstance(text, float) and text != text) or text is pd.NA \
            else f"a {type(text).__name__}, not a string"
        raise DataError(f"text is {what}; read documents with framing.read_corpus(..., errors='coerce') to "
                        "repair such rows", row=row, field=TEXT)
    return text, doc[DOC_ID]


def iter_passages(docs: pd.DataFrame | Iterable[dict[str, Any]], *, unit: Unit = "sentence") -> Iterator[dict[str, Any]]:
    """Yield passage records one at a time (for streaming large corpora).

    Parameters
    ----------
    docs : DataFrame or iterable of dict
        Document records as returned by :func:`framing.read_corpus`.
    unit : {"sentence", "paragraph"}
        Passage unit.

    Yields
    ------
    dict
        A passage record with the keys of :data:`framing.columns.PASSAGE_COLUMNS`, then the
        document's other columns (``title``, ``url``, ``meta``, your own), except its text.
    """
    if unit not in ("sentence", "paragraph"):
        raise ValueError(f"unit must be 'sentence' or 'paragraph', not {unit!r}")
    for row, doc in enumerate(_documents(docs, "iter_passages"), start=1):
        text, doc_id = _checked(doc, row, "iter_passages")
        extra = _extra_columns(doc, row)
        for i, (p, s, e) in enumerate(_passages_of(text, unit)):
            yield {
                CORPUS: _none(doc.get(CORPUS)),
                DOC_ID: doc_id,
                PASSAGE_ID: f"{doc_id}:{i}",
                INDEX: i,
                PARAGRAPH: p,
                START: s,
                END: e,
                TEXT: text[s:e],
                OUTLET: _none(doc.get(OUTLET)),
                DATE: _none(doc.get(DATE)),
                EVENT_ID: _none(doc.get(EVENT_ID)),
                **{key: _none(value) for key, value in extra.items()},
            }


def _extra_columns(doc: Mapping[str, Any], row: int) -> dict[str, Any]:
    """The document's columns that passages carry beside their own (all but the text)."""
    extra = {k: v for k, v in doc.items() if k not in _BASE_FROM_DOC and k != TEXT}
    clash = [k for k in extra if k in _PASSAGE_ONLY]
    if clash:
        raise DataError(f"the document column {clash[0]!r} has the name of a passage column that segmentation "
                        "writes; rename it", row=row, field=str(clash[0]))
    return extra


def empty_passages(extra: Iterable[str] = ()) -> pd.DataFrame:
    """A passage table with no rows: :data:`framing.columns.PASSAGE_COLUMNS` (offsets as int64),
    then the ``extra`` document columns.

    Examples
    --------
    >>> from framing.segment import empty_passages
    >>> empty_passages(["title"]).dtypes["start"], list(empty_passages(["title"]).columns)[-1]
    (dtype('int64'), 'title')
    """
    names = [*PASSAGE_COLUMNS, *[c for c in extra if c not in PASSAGE_COLUMNS]]
    return pd.DataFrame({c: pd.Series([], dtype="int64" if c in _INT_COLUMNS else object) for c in names},
                        columns=names)


def iter_passage_frames(
    docs: pd.DataFrame | Iterable[dict[str, Any]],
    *,
    unit: Unit = "sentence",
    batch_size: int = 4096,
) -> Iterator[pd.DataFrame]:
    """Yield the passages of documents as DataFrames of ``batch_size`` rows (the last may be shorter).

    The same passages as :func:`iter_passages`, built column by column rather than one
    dict per passage: the streaming path of :func:`framing.pipeline.iter_labelled_documents`
    and ``framing label``. The documents' other columns (``title``, ``url``, ``meta``, your
    own) follow the passage columns; each passage refers to its document's value (a
    ``meta`` dict is shared, not copied), and the document's text is not carried.

    Parameters
    ----------
    docs : DataFrame or iterable of dict
        Document records (``doc_id`` and ``text`` required).
    unit : {"sentence", "paragraph"}
        Passage unit.
    batch_size : int, default 4096
        Rows per frame.

    Yields
    ------
    pandas.DataFrame
        Columns :data:`framing.columns.PASSAGE_COLUMNS`, then the documents' other columns.
        Documents without passages yield nothing.

    Examples
    --------
    >>> import framing
    >>> from framing.segment import iter_passage_frames
    >>> frames = list(iter_passage_frames(framing.load_demo_corpus(), batch_size=100))
    >>> sum(map(len, frames)) == len(framing.segment(framing.load_demo_corpus()))
    True
    >>> list(frames[0].columns[-3:])
    ['title', 'url', 'meta']
    """
    if unit not in ("sentence", "paragraph"):
        raise ValueError(f"unit must be 'sentence' or 'paragraph', not {unit!r}")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    records = _documents(docs, "iter_passage_frames")
    names = list(PASSAGE_COLUMNS)
    cols: dict[str, list[Any]] = {name: [] for name in names}
    corpus, doc_ids, passage_ids, index, paragraph, starts, ends, texts, outlet, date, event = cols.values()
    extra: dict[str, list[Any]] = {}
    for row, doc in enumerate(records, start=1):
        text, doc_id = _checked(doc, row, "iter_passage_frames")
        spans = list(_passages_of(text, unit))
        k = len(spans)
        if not k:
            continue
        ps, ss, es = zip(*spans)
        n = len(starts)
        corpus += [_none(doc.get(CORPUS))] * k
        doc_ids += [doc_id] * k
        passage_ids += [f"{doc_id}:{i}" for i in range(k)]
        index += range(k)
        paragraph += ps
        starts += ss
        ends += es
        texts += [text[s:e] for s, e in zip(ss, es)]
        outlet += [_none(doc.get(OUTLET))] * k
        date += [_none(doc.get(DATE))] * k
        event += [_none(doc.get(EVENT_ID))] * k
        if extra or not doc.keys() <= _BASE_KEYS:
            values = _extra_columns(doc, row)
            for key in [key for key in values if key not in extra]:
                extra[key] = [None] * n  # a column that earlier documents did not have
            for key, column in extra.items():
                column += [_none(values.get(key))] * k
        while len(starts) >= batch_size:
            yield _frame({name: cols[name][:batch_size] for name in names},
                         {key: column[:batch_size] for key, column in extra.items()})
            for values in (*cols.values(), *extra.values()):
                del values[:batch_size]
    if starts:
        yield _frame(cols, extra)


def _frame(cols: dict[str, list[Any]], extra: dict[str, list[Any]]) -> pd.DataFrame:
    """One batch of passages, with the same dtypes whatever its values: int64 offsets, and
    Python objects elsewhere (pandas would infer ``str`` for one batch and ``object`` for
    another where a column happens to be all missing)."""
    data = {name: pd.Series(values, dtype="int64" if name in _INT_COLUMNS else object)
            for name, values in cols.items()}
    data.update((key, pd.Series(values, dtype=object)) for key, values in extra.items())
    return pd.DataFrame(data, columns=[*cols, *extra], copy=False)


def _none(value: Any) -> Any:
    """A missing value of any kind (NaN, pd.NA, NaT) as None, so that passages read the same
    whichever way their documents came (a pandas or a Dask frame, records)."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    return value


def segment(
    docs: pd.DataFrame | Iterable[dict[str, Any]],
    *,
    unit: Unit = "sentence",
    progress: bool = False,
) -> pd.DataFrame:
    """Split documents into passages with exact character offsets.

    Parameters
    ----------
    docs : DataFrame, datasets.Dataset or iterable of dict
        Document records (``doc_id`` and ``text`` required, e.g. from
        :func:`framing.read_corpus`). Every other column is carried over to each of the
        document's passages (``corpus``, ``outlet``, ``date``, ``event_id``, then
        ``title``, ``url``, ``meta`` and columns of your own), except the text.
    unit : {"sentence", "paragraph"}, default "sentence"
        Passage unit.
    progress : bool, default False
        Show a progress bar over documents.

    Returns
    -------
    pandas.DataFrame
        One row per passage with :data:`framing.columns.PASSAGE_COLUMNS`, then the
        documents' other columns; ``passage_id`` is ``"<doc_id>:<index>"``. A document
        with an empty text has no passages.

    Raises
    ------
    TypeError
        ``docs`` is a string, or strings: this function takes documents (for one text,
        :func:`sentence_spans`).
    framing.DataError
        A document has no ``text`` or ``doc_id``, or its text is not a string (naming the row).

    Examples
    --------
    >>> import framing
    >>> passages = framing.segment(framing.load_demo_corpus())
    >>> row = passages.iloc[0]
    >>> docs = framing.load_demo_corpus().set_index("doc_id")
    >>> docs.loc[row.doc_id, "text"][row.start:row.end] == row.text
    True
    >>> list(passages.columns[-3:])  # the documents' own columns are carried
    ['title', 'url', 'meta']
    """
    records = _documents(docs, "segment")
    if progress:
        from tqdm.auto import tqdm

        records = tqdm(records, desc="segmenting", unit="doc")
    frames = list(iter_passage_frames(records, unit=unit, batch_size=1 << 16))
    if not frames:
        extra = [str(c) for c in docs.columns if c not in _BASE_FROM_DOC and c != TEXT] \
            if isinstance(docs, pd.DataFrame) else []
        return empty_passages(extra)
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
