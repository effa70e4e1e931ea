"""Cue detectors: the evidence behind a framing label, as character spans.

A cue is a span of the passage with a type (``state_actor``, ``neutral_verb``,
``distancing_verb``, ``hedge``, ``non_verification``, ``denial``, ``confession``,
``coercion``, ``speculation``, ``purpose``, ``contested``, ``negation``,
``scare_quote``, ``direct_quote``). Lexicons are in :mod:`framing.lexicons`.

:func:`attributions` groups cues into attribution relations (source, reporting cue,
content), for direct and indirect speech and "according to".

Cue rules alone are also a baseline classifier (:class:`framing.model.CueRuleClassifier`);
the trained model uses cue counts as features.
"""
from __future__ import annotations

import functools
import itertools
import re
from functools import lru_cache
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

try:  # optional compiled scanner (framing/_speedups.c); the same cues without it
    from . import _speedups
except ImportError:  # pragma: no cover - an install without a C compiler
    _speedups = None  # type: ignore[assignment]

from .columns import CUE_TYPE, END, MATCH, PASSAGE_ID, START, TEXT
from .lexicons import CASE_SENSITIVE, LEXICONS

__all__ = ["Cue", "Attribution", "CueDetector", "detect_cues", "attributions", "cue_table", "CUE_TYPES"]


class Cue(NamedTuple):
    """One piece of evidence: ``text[start:end] == match``."""

    start: int
    end: int
    cue_type: str
    match: str


@dataclass(frozen=True)
class Attribution:
    """An attribution relation: who (source) says (cue) what (content).

    Spans are ``(start, end)`` offsets into the passage; ``source`` may be None when the
    speaker is outside the sentence. ``kind`` is ``"direct"`` (quoted), ``"indirect"``
    or ``"according_to"``; ``distancing`` tells whether the cue is a distancing verb.
    """

    source: tuple[int, int] | None
    cue: tuple[int, int]
    content: tuple[int, int] | None
    kind: str
    distancing: bool
    state_source: bool


# Order matters: at one position the first alternative wins.
_ORDER = (
    "non_verification", "hedge", "distancing_verb", "denial", "coercion", "confession",
    "speculation", "purpose", "neutral_verb", "state_actor", "contested", "negation",
)
#: Every cue type a detector can report.
CUE_TYPES: tuple[str, ...] = _ORDER + ("scare_quote", "direct_quote")

_WORD_CHAR = re.compile(r"\w")
# Characters that match an ASCII letter when case is ignored (Python's re): the letter in
# both cases, and for i, k and s one or two more.
_CASE_EXTRA = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def _fold(ch: str) -> str:
    """A class matching ``ch`` as ``re.IGNORECASE`` does, without the flag."""
    if ch.isascii() and ch.isalpha():
        return "[" + ch.lower() + ch.upper() + _CASE_EXTRA.get(ch.lower(), "") + "]"
    return re.escape(ch)


# English letters by frequency as the first letter of a word, and anywhere.
_FIRST_LETTERS = "taoswcbphfmdrelngiuvyjkqzx"
_LETTERS = "etaoinshrdlcumwfgypbvkjxqz"
_QUOTE = re.compile(
    r"(?P<open>[\u2018\u201c\"']|(?<![\w])')(?P<body>[^\u2018\u2019\u201c\u201d\"\n]{1,400}?)"
    r"(?P<close>[\u2019\u201d\"'])(?!\w)"
)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """The quotations of ``text`` as ``(start, end)`` (``_speedups.quote_spans``' reference)."""
    return [m.span() for m in _QUOTE.finditer(text)]


def _fragment(term: str) -> str:
    return f"(?-i:{term})" if term in CASE_SENSITIVE else term


def _groups(lexicon: Mapping[str, Sequence[str]]) -> tuple[
        dict[str, dict[str, list[tuple[str, str]]]], dict[str, list[tuple[str, str]]], list[tuple[str, str]]]:
    """Sort ``(cue_type, term)`` pairs by their first letters: ``tree[a][b]``, ``loose[a]`` and the rest.

    Terms that start with two plain letters go to ``tree``, those with one to ``loose``,
    all others (a leading group, a quantified first letter) to the rest. Within each,
    cue types keep their priority order and longer terms come first.
    """
    def plain(ch: str) -> bool:
        return ch.isalpha() and ch.isascii()

    tree: dict[str, dict[str, list[tuple[str, str]]]] = {}
    loose: dict[str, list[tuple[str, str]]] = {}
    other: list[tuple[str, str]] = []
    for cue_type, terms in lexicon.items():
        for term in sorted(terms, key=len, reverse=True):
            quantified = len(term) > 1 and term[1] in "?*+{"
            if plain(term[0]) and not quantified:
                two = len(term) > 2 and plain(term[1]) and term[2] not in "?*+{"
                if two:
                    tree.setdefault(term[0].lower(), {}).setdefault(term[1].lower(), []).append((cue_type, term))
                else:
                    loose.setdefault(term[0].lower(), []).append((cue_type, term))
            else:
                other.append((cue_type, term))
    return tree, loose, other


def _named(items: Sequence[tuple[str, str]], order: Sequence[str], counter: Iterator[int]) -> str:
    """One alternation of the terms, grouped by cue type (in ``order``) as ``<cue_type>__<n>``."""
    out = []
    for cue_type in order:
        terms = [_fragment(t) for c, t in items if c == cue_type]
        if terms:
            out.append(f"(?P<{cue_type}__{next(counter)}>{'|'.join(terms)})")
    return "|".join(out)


def _dispatch(lexicon: Mapping[str, Sequence[str]]) -> str:
    """Join all terms into one alternation, grouped by their first two letters behind look-aheads.

    Python's ``re`` tries every branch of an alternation in turn; grouping branches by
    first letter, then by second letter, behind cheap look-aheads lets it skip all but a
    few at once. Named groups are ``<cue_type>__<n>``; terms that do not start with two
    plain letters go last in their letter's group, or unguarded at the end.
    """
    order, counter = list(lexicon), itertools.count(1)
    tree, loose, other = _groups(lexicon)
    parts = []
    for first in sorted(set(tree) | set(loose)):
        inner = [f"(?=.[{k}{k.upper()}])(?:{_named(v, order, counter)})" for k, v in sorted(tree.get(first, {}).items())]
        if first in loose:
            inner.append(_named(loose[first], order, counter))
        parts.append(f"(?=[{first}{first.upper()}])(?:{'|'.join(inner)})")
    if other:
        parts.append(_named(other, order, counter))
    return "|".join(parts)


_WILD = "\0"
#: How many characters deep the compiled scanner's trie goes before trying terms.
_TREE_DEPTH = 6


def _prefixes(term: str, n: int = 3) -> set[str]:
    """The lower-case first ``n`` characters a match of ``term`` can start with.

    A string shorter than ``n`` that ends in ``"\\0"`` means "this, then anything".
    Zero-width assertions are ignored and anything not analysed (``\\w``, ``.``, a
    negated class) becomes a wildcard, so the set is never too small: a term can only
    match where the text's first characters agree with one of its prefixes.
    """
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]

    def chars(op: Any, av: Any) -> set[str] | None:
        if op is C.LITERAL:
            return {chr(av).lower()}
        if op is C.IN:
            out: set[str] = set()
            for sub_op, sub_av in av:
                if sub_op is C.LITERAL:
                    out.add(chr(sub_av).lower())
                elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < 64:
                    out.update(chr(c).lower() for c in range(sub_av[0], sub_av[1] + 1))
                else:
                    return None
            return out
        return None

    def walk(items: Any, states: set[str]) -> set[str]:
        for op, av in items:
            open_ = {s for s in states if len(s) < n and not s.endswith(_WILD)}
            if not open_:
                return states
            done = states - open_
            if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
                continue
            if op in (C.LITERAL, C.IN):
                cs = chars(op, av)
                new = {s + _WILD for s in open_} if cs is None else {s + c for s in open_ for c in cs}
            elif op is C.SUBPATTERN:
                new = walk(av[-1], open_)
            elif op is C.BRANCH:
                new = set().union(*(walk(alt, open_) for alt in av[1]))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                lo, hi, body = av
                new, cur = (set(open_) if lo == 0 else set()), set(open_)
                for k in range(1, min(hi, n) + 1):
                    cur = walk(body, cur)
                    if k >= lo:
                        new |= cur
                if hi > n:
                    new |= cur
            else:
                new = {s + _WILD for s in open_}
            states = done | new
        return states

    ends = walk(P.parse(term), {""})
    return {s if len(s) >= n or s.endswith(_WILD) else s + _WILD for s in ends}


_MAX_ALTERNATIVES = 512
_FOLDS = {"i": "iI\u0130\u0131", "k": "kK\u212a", "s": "sS\u017f"}


@functools.lru_cache(maxsize=None)
def _program(term: str) -> tuple[tuple[str | int, ...], ...] | None:
    """A term as the ordered plain alternatives the regular expression engine would try.

    Each alternative is a tuple of items: a str is one character of the text, any of the
    str's characters (its case folds, as ``re.IGNORECASE`` has them); an int ``k`` is a
    run of at least ``k`` word characters taken whole (``\\w*``, ``\\w+``). Alternatives
    come in backtracking order (greedy options first), so the first one that matches and
    is not followed by a word character is the match the pattern
    ``(?i:term)(?![\\w])`` finds. None where a term needs more than this (a single
    ``\\w``, ``\\s``, ``.``, a negated class, non-ASCII letters, anchors, groups that
    capture, a word run followed by something that could continue it, more than
    ``_MAX_ALTERNATIVES`` alternatives): such terms keep their pattern.
    """
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]

    class Unsupported(Exception):
        pass

    def char(code: int, ci: bool) -> str:
        ch = chr(code)
        if not ch.isascii():
            raise Unsupported
        if ci and ch.isalpha():
            low = ch.lower()
            return _FOLDS.get(low, low + low.upper())
        return ch

    def charset(items: Any, ci: bool) -> str:
        out: list[str] = []
        for op, av in items:
            if op is C.LITERAL:
                out.append(char(av, ci))
            elif op is C.RANGE and av[1] < 128:
                out.extend(char(c, ci) for c in range(av[0], av[1] + 1))
            else:
                raise Unsupported
        return "".join(dict.fromkeys("".join(out)))

    def is_word_run(body: Any) -> bool:
        return (len(body) == 1 and body[0][0] is C.IN and len(body[0][1]) == 1
                and body[0][1][0] == (C.CATEGORY, C.CATEGORY_WORD))

    def seq(items: Any, ci: bool) -> list[tuple[str | int, ...]]:
        alts: list[tuple[str | int, ...]] = [()]
        for op, av in items:
            if op is C.LITERAL:
                options: list[tuple[str | int, ...]] = [(char(av, ci),)]
            elif op is C.IN:
                options = [(charset(av, ci),)]
            elif op is C.SUBPATTERN:
                group, add, delete, body = av
                if group is not None or (add & ~C.SRE_FLAG_IGNORECASE) or (delete & ~C.SRE_FLAG_IGNORECASE):
                    raise Unsupported
                inner = bool(add & C.SRE_FLAG_IGNORECASE) or (ci and not delete & C.SRE_FLAG_IGNORECASE)
                options = seq(body, inner)
            elif op is C.BRANCH:
                options = [alt for branch in av[1] for alt in seq(branch, ci)]
            elif op is C.MAX_REPEAT:
                lo, hi, body = av
                if is_word_run(body) and hi == C.MAXREPEAT and lo <= 1:
                    options = [(lo,)]
                elif hi <= 3:
                    once = seq(body, ci)
                    options = []
                    for k in range(hi, lo - 1, -1):  # greedy: most repetitions first
                        reps: list[tuple[str | int, ...]] = [()]
                        for _ in range(k):
                            reps = [a + b for a in reps for b in once]
                        options += reps
                else:
                    raise Unsupported
            else:
                raise Unsupported
            alts = [a + b for a in alts for b in options]
            if len(alts) > _MAX_ALTERNATIVES:
                raise Unsupported
        return alts

    try:
        alts = seq(P.parse(_fragment(term)), True)
    except (Unsupported, re.error):
        return None
    for alt in alts:
        if not alt:
            return None
        for item, after in zip(alt, alt[1:]):
            # a word run is taken whole: only right if what follows cannot continue it
            if isinstance(item, int) and (isinstance(after, int) or any(_WORD_CHAR.match(c) for c in after)):
                return None
    return tuple(alts)


class CueDetector:
    """Find cue spans in passages.

    Parameters
    ----------
    extra : mapping of str to sequence of str, optional
        Additional regular-expression terms per cue type, e.g.
        ``{"state_actor": ["Rosgvardia", "National Guard"]}``.
    scare_quote_max_words : int, default 6
        A quotation of at most this many words is a candidate scare quote; longer
        quotations are direct speech.

    Examples
    --------
    >>> from framing.cues import CueDetector
    >>> det = CueDetector()
    >>> [(c.cue_type, c.match) for c in det.detect("The ministry claimed the plot was foreign.")]
    [('state_actor', 'ministry'), ('distancing_verb', 'claimed'), ('contested', 'plot'), ('contested', 'foreign')]
    """

    def __init__(self, extra: Mapping[str, Sequence[str]] | None = None, *, scare_quote_max_words: int = 6) -> None:
        self.extra = dict(extra or {})
        self.scare_quote_max_words = scare_quote_max_words
        unknown = set(self.extra) - set(_ORDER)
        if unknown:
            raise ValueError(f"unknown cue type(s) {sorted(unknown)}; known: {list(_ORDER)}")
        lexicon = {t: list(LEXICONS[t]) + list(self.extra.get(t, ())) for t in _ORDER}
        # The reference pattern: every term, tried at every word start.
        self._regex = re.compile(r"(?=[A-Za-z])(?<![\w-])(?:" + _dispatch(lexicon) + r")(?![\w])", re.IGNORECASE)
        # The fast pattern: the same terms behind a three-level character trie, so each
        # word start tries only the terms whose first three characters fit the text there,
        # in the reference order (same matches, several times faster).
        self._order = list(lexicon)
        self._grouped = _groups(lexicon)
        self._prefix = {item: _prefixes(item[1]) for item in itertools.chain(
            (i for sub in self._grouped[0].values() for v in sub.values() for i in v),
            (i for v in self._grouped[1].values() for i in v), self._grouped[2])}
        self._fast = re.compile(r"(?<![\w-])(?=[A-Za-z\u0130\u0131\u017f\u212a])(?:"
                                + self._trie_node("", itertools.count(1)) + ")", re.DOTALL)
        self._types = {i: name.split("__")[0] for name, i in self._fast.groupindex.items()}
        self._tree: tuple[Any, ...] | None = None  # the trie as data, for the compiled scanner; built on first use
        self._table: Any = None  # the trie compiled by _speedups.cue_table; built on first use

    def _sections(self, key: str) -> tuple[Sequence[tuple[str, str]], ...]:
        """The reference order's sections for a word starting with ``key``: its two letters, its first, the rest."""
        tree, loose, other = self._grouped
        first, second = key[:1], key[1:2]
        return tree.get(first, {}).get(second, []) if second.isalpha() else [], loose.get(first, []), other

    def _items_for(self, key: str, *, mode: str) -> list[tuple[tuple[str, str], ...]]:
        """The terms that can match where the text starts with ``key``, in reference order, by section.

        ``mode`` is ``"exact"`` (the text starts with the three characters ``key``),
        ``"partial"`` (it starts with ``key`` and goes on with a character no child of the
        trie node takes) or ``"open"`` (it starts with ``key``, anything may follow).
        """
        sections = self._sections(key)

        def fits(item: tuple[str, str]) -> bool:
            for prefix in self._prefix[item]:
                core = prefix[:-1] if prefix.endswith(_WILD) else None
                if core is not None and key.startswith(core):
                    return True
                if mode == "exact" and prefix == key:
                    return True
                if mode == "open" and (prefix if core is None else core).startswith(key):
                    return True
            return False

        return [tuple(item for item in section if fits(item)) for section in sections]

    def _trie_node(self, key: str, counter: Iterator[int]) -> str:
        """The pattern below trie node ``key`` (the word's first characters, lower case).

        Each level consumes one character behind a class (``[tT]``), which the regular
        expression engine skips in one test when it does not fit; at a leaf, a
        look-behind steps back to the word start and a look-ahead matches the terms
        there, capturing the cue in its named group (``m.span(m.lastindex)``).
        """
        def anchored(sections: list[tuple[tuple[str, str], ...]]) -> str:
            body = "|".join(_named(section, self._order, counter) for section in sections if section)
            if not body:
                return ""
            ahead = r"(?=(?i:" + body + r")(?![\w]))"
            return f"(?<={ahead}{'.' * len(key)})" if key else ahead

        if len(key) == 3:
            return anchored(self._items_for(key, mode="exact"))
        if key and not _WORD_CHAR.match(key[-1]):
            # stop after a non-word character: consuming further could pass a word start
            # that the cue found here does not cover
            return anchored(self._items_for(key, mode="open"))
        paths = {prefix.rstrip(_WILD) for prefixes in self._prefix.values() for prefix in prefixes}
        # Branches are tried in turn (they exclude each other): frequent letters first.
        rank = _FIRST_LETTERS if not key else _LETTERS
        children = sorted({path[len(key)] for path in paths if len(path) > len(key) and path.startswith(key)},
                          key=lambda ch: (rank.find(ch) % 100, ch))
        alts = []
        for ch in children:
            inner = self._trie_node(key + ch, counter)
            if inner:
                alts.append(_fold(ch) + "(?:" + inner + ")")
        default = anchored(self._items_for(key, mode="partial"))
        if default:
            alts.append(default)
        return "|".join(alts)

    def _leaf(self, sections: list[tuple[tuple[str, str], ...]]) -> Any:
        """A trie leaf as data, or None where no term is left.

        ``(None, entries)``, entries ``(cue_type, alternatives)`` (see :func:`_program`) in
        reference order, where every term compiles; otherwise the terms' pattern
        (``match`` at the word start) and the cue type by group, ``(match, types)``.
        """
        counter = itertools.count(1)
        body = "|".join(_named(section, self._order, counter) for section in sections if section)
        if not body:
            return None
        ordered = [(cue_type, term) for section in sections for cue_type in self._order
                   for c, term in section if c == cue_type]
        programs = tuple((cue_type, _program(term)) for cue_type, term in ordered)
        if all(alternatives is not None for _, alternatives in programs):
            return None, programs  # tuples of str and int only: the cyclic collector can untrack them
        pattern = re.compile(r"(?i:" + body + r")(?![\w])", re.DOTALL)
        types = [""] * (pattern.groups + 1)
        for name, i in pattern.groupindex.items():
            types[i] = name.split("__")[0]
        return pattern.match, tuple(types)

    def _tree_node(self, key: str, prefixes: Mapping[tuple[str, str], set[str]],
                   paths: frozenset[str]) -> tuple[Any, ...] | None:
        """The lexicon as a character trie, ``(children, leaf)``, for ``_speedups.scan_cues`` (via :func:`_flat_trie`).

        Like the fast pattern's trie, but ``_TREE_DEPTH`` characters deep and through
        spaces (the scanner tries every word start, so it may look past one). At node
        ``key`` (the text starts with ``key``), ``children`` maps a character of the text
        to the nodes whose class admits it (``_fold``: an ASCII letter in either case,
        plus İ ı for i, K for k, ſ for s; any other ASCII character itself), tried in
        turn; ``leaf`` is tried after them and holds, in reference order, every term that
        can still match when no child took the next character (terms that go on with a
        wildcard or a non-ASCII character, which no ASCII text character matches once
        İ ı ſ K are folded). None where nothing fits.
        """
        def fits(item: tuple[str, str], mode: str, children: set[str]) -> bool:
            for prefix in prefixes[item]:
                wild = prefix.endswith(_WILD)
                core = prefix[:-1] if wild else prefix
                if wild and key.startswith(core):
                    return True  # this far, and anything may follow
                if mode == "exact":
                    if prefix == key:
                        return True
                elif len(core) > len(key) and core.startswith(key) and core[len(key)] not in children:
                    return True
            return False

        def leaf(mode: str, children: set[str]) -> tuple[Any, tuple[str, ...]] | None:
            return self._leaf([tuple(i for i in section if fits(i, mode, children)) for section in self._sections(key)])

        if len(key) == _TREE_DEPTH:
            found = leaf("exact", set())
            return None if found is None else ({}, found)
        below = frozenset(path for path in paths if len(path) > len(key) and path.startswith(key))
        following = {path[len(key)] for path in below if path[len(key)].isascii()}
        table: dict[str, list[tuple[Any, ...]]] = {}
        for ch in sorted(following):
            child = self._tree_node(key + ch, prefixes, below)
            if child is not None:
                admits = ch.lower() + ch.upper() + _CASE_EXTRA.get(ch.lower(), "") if ch.isalpha() else ch
                for c in admits:
                    table.setdefault(c, []).append(child)
        found = leaf("rest", following)
        if not table and found is None:
            return None
        return {c: tuple(v) for c, v in table.items()}, found

    def _compiled_tree(self) -> tuple[Any, ...]:
        if self._tree is None:
            fold = str.maketrans("\u0130\u0131\u017f\u212a", "iisk")  # as re.IGNORECASE folds them
            prefixes = {item: {p.translate(fold) for p in _prefixes(item[1], _TREE_DEPTH)} for item in self._prefix}
            paths = frozenset(p.rstrip(_WILD) for ps in prefixes.values() for p in ps)
            self._tree = self._tree_node("", prefixes, paths) or ({}, None)
        return self._tree

    def _compiled_table(self) -> Any:
        """The trie compiled for ``_speedups.scan_cues`` (built on first use)."""
        if self._table is None:
            self._table = _speedups.cue_table(*_flat_trie(self._compiled_tree()))
        return self._table

    # The compiled pattern is rebuilt from the parameters on load, so a saved model
    # (skops) stores only plain data.
    def __getstate__(self) -> dict[str, object]:
        return {"extra": self.extra, "scare_quote_max_words": self.scare_quote_max_words}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["extra"], scare_quote_max_words=state["scare_quote_max_words"])  # type: ignore[misc, arg-type]

    def detect(self, text: str) -> list[Cue]:
        """Return the cue spans of one passage, sorted by start offset."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        if _speedups is not None:
            cues = _speedups.scan_cues(text, self._compiled_table(), Cue)
        else:
            cues = self._scan(text)
        if "'" in text or "\u2018" in text or "\u201c" in text or '"' in text:
            spans = _speedups.quote_spans(text) if _speedups is not None else _quote_spans(text)
            for start, end in spans:
                body = text[start + 1:end - 1]
                if not body.strip() or (text[start] == "'" and start > 0 and text[start - 1].isalnum()):
                    continue
                words = len(body.split())
                speech = body.rstrip()[-1:] in ",.?!" or start == 0 or text[:start].rstrip().endswith(":")
                kind = "scare_quote" if words <= self.scare_quote_max_words and not speech else "direct_quote"
                cues.append(Cue(start, end, kind, text[start:end]))
            cues.sort()
        return cues

    def _scan(self, text: str) -> list[Cue]:
        """The lexicon cues of ``text`` by the fast pattern (the compiled scanner's reference)."""
        cues = []
        pos, types = 0, self._types
        for m in self._fast.finditer(text):
            start, end = m.span(m.lastindex)  # the cue, captured ahead of the word start
            if start >= pos:  # a word start inside the previous cue is no new cue
                cues.append(Cue(start, end, types.get(m.lastindex, ""), text[start:end]))
                pos = end
        return cues

    def detect_many(self, texts: Iterable[str]) -> list[list[Cue]]:
        """Return :meth:`detect` for each text."""
        return [self.detect(t) for t in texts]


def _flat_trie(root: tuple[Any, ...]) -> tuple[Any, ...]:
    """The trie of :meth:`CueDetector._tree_node` as the int32 records of ``_speedups.cue_table``.

    Nodes are numbered in preorder (the root is 0, children after their parent); a
    node's edges are sorted by code point and keep the order of their children; leaf
    entries, alternatives and items keep their order. Returns ``(nodes, edges, kids,
    entries, alts, items, chars, types, patterns)``: seven ``bytes`` of int32 records
    and two tuples (the cue types; the pattern leaves, ``(match, types)``).
    """
    order: list[tuple[Any, ...]] = []
    index: dict[int, int] = {}

    def number(node: tuple[Any, ...]) -> int:
        if id(node) not in index:
            index[id(node)] = len(order)
            order.append(node)
            for ch in sorted(node[0]):
                for kid in node[0][ch]:
                    number(kid)
        return index[id(node)]

    number(root)
    nodes: list[int] = []
    edges: list[int] = []
    kids: list[int] = []
    entries: list[int] = []
    alts: list[int] = []
    items: list[int] = []
    chars: list[int] = []
    types: dict[str, int] = {}
    patterns: list[tuple[Any, Any]] = []
    programs: dict[int, tuple[int, int]] = {}  # id(alternatives) -> (alt_off, alt_n)
    for node in order:
        children, leaf = node
        edge_off = len(edges) // 3
        for ch in sorted(children, key=ord):
            edges += [ord(ch), len(kids), len(children[ch])]
            kids += [index[id(kid)] for kid in children[ch]]
        kind, a, b = 0, 0, 0
        if leaf is not None and leaf[0] is None:
            kind, a, b = 1, len(entries) // 3, len(leaf[1])
            for cue_type, alternatives in leaf[1]:
                if id(alternatives) not in programs:
                    programs[id(alternatives)] = (len(alts) // 2, len(alternatives))
                    for alternative in alternatives:
                        alts += [len(items) // 3, len(alternative)]
                        for item in alternative:
                            if isinstance(item, int):
                                items += [1, item, 0]
                            else:
                                items += [0, len(chars), len(item)]
                                chars += map(ord, item)
                entries += [types.setdefault(cue_type, len(types)), *programs[id(alternatives)]]
        elif leaf is not None:
            kind, a, b = 2, len(patterns), 0
            patterns.append(leaf)
        nodes += [edge_off, len(children), kind, a, b]
    records = (nodes, edges, kids, entries, alts, items, chars)
    as_bytes = [np.asarray(values, dtype=np.int32).tobytes() for values in records]  # native byte order
    return (*as_bytes, tuple(types), tuple(patterns))


_DEFAULT: CueDetector | None = None


def _default() -> CueDetector:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = CueDetector()
    return _DEFAULT


def detect_cues(text: str, *, detector: CueDetector | None = None) -> list[Cue]:
    """Return the cue spans of ``text`` with the default (or a given) detector.

    Examples
    --------
    >>> from framing import detect_cues
    >>> [c.cue_type for c in detect_cues("He allegedly confessed under duress.")]
    ['hedge', 'confession', 'coercion']
    """
    return (detector or _default()).detect(text)


_SPEECH = {"neutral_verb", "distancing_verb"}


def attributions(text: str, cues: Sequence[Cue] | None = None) -> list[Attribution]:
    """Group the cues of a sentence into attribution relations.

    A heuristic: each reporting verb (or "according to") is a cue; its source is the
    nearest state actor or capitalised noun phrase before it (or, after a quotation,
    right after it), and its content is the quotation it introduces or the clause that
    follows.

    Examples
    --------
    >>> from framing.cues import attributions
    >>> text = "The ministry said the network was run by Mossad."
    >>> a = attributions(text)[0]
    >>> text[a.source[0]:a.source[1]], text[a.cue[0]:a.cue[1]], text[a.content[0]:a.content[1]]
    ('The ministry', 'said', 'the network was run by Mossad.')
    """
    cues = list(detect_cues(text) if cues is None else cues)
    out = []
    quotes = [c for c in cues if c.cue_type == "direct_quote"]
    actors = [c for c in cues if c.cue_type == "state_actor"]
    for c in cues:
        if c.cue_type not in _SPEECH:
            continue
        according = c.match.lower().startswith("according")
        before_quote = [q for q in quotes if q.end <= c.start and c.start - q.end <= 4]
        after_quote = [q for q in quotes if q.start >= c.end and q.start - c.end <= 4]
        before_quote = before_quote or [q for q in quotes if q.end <= c.start and c.start - q.end <= 60
                                        and not re.search(r"[.;]", text[q.end:c.start])]
        if before_quote:
            q = before_quote[-1]
            content: tuple[int, int] | None = (q.start, q.end)
            kind = "direct"
            between = text[q.end:c.start]
            if between.strip(" ,"):
                s0 = q.end + len(between) - len(between.lstrip(" ,"))
                src = (s0, q.end + len(between.rstrip(" ,")))
            else:
                src = _source_after(text, c.end)
        elif after_quote:
            content, kind = (after_quote[0].start, after_quote[0].end), "direct"
            src = _source_before(text, c.start)
        elif according:
            src = _source_after(text, c.end)
            if c.start == 0 and src is not None:
                rest = text[src[1]:]
                s0 = src[1] + len(rest) - len(rest.lstrip(" ,"))
                content = (s0, len(text)) if s0 < len(text) else None
            else:
                content = (0, c.start) if c.start > 0 else None
            kind = "according_to"
        else:
            src = _source_before(text, c.start)
            rest = text[c.end:].lstrip(" ,:")
            start = len(text) - len(rest)
            if rest.lower().startswith("that "):
                start += 5
            content, kind = ((start, len(text)) if start < len(text) else None), "indirect"
        state = any(src is not None and a.start < src[1] and a.end > src[0] for a in actors)
        if not state and according:
            state = any(a.start >= c.end and a.start - c.end < 40 for a in actors)
        out.append(Attribution(src, (c.start, c.end), content, kind, c.cue_type == "distancing_verb", state))
    return out


_NP_BEFORE = re.compile(r"((?:[Tt]he |[Aa]n? |[A-Z][\w'\u2019.-]*'s )?(?:[A-Z][\w'\u2019.-]*[ -]?){0,6}"
                        r"(?:[a-z]+ ){0,2}[\w'\u2019.-]+)\s*(?:,[^,]{0,60},\s*)?$")


def _source_before(text: str, pos: int) -> tuple[int, int] | None:
    window_start = max(0, pos - 80)
    window = text[window_start:pos]
    # cut at the last clause break so the source is the subject of this verb
    m = _NP_BEFORE.search(window)
    if not m or not m.group(1).strip():
        return None
    s = window_start + m.start(1)
    e = window_start + m.end(1)
    return (s, e)


_NP_AFTER = re.compile(r"^\s*,?\s*((?:the |an? )?(?:[\w'\u2019.-]+ ){0,6}?[\w'\u2019.-]+?)(?=[,.;:]|$| (?:on|in|at|who|which|that)\b)")


def _source_after(text: str, pos: int) -> tuple[int, int] | None:
    m = _NP_AFTER.search(text[pos:pos + 80])
    if not m or not m.group(1).strip():
        return None
    return (pos + m.start(1), pos + m.end(1))


def cue_table(passages: pd.DataFrame | Iterable[str], *, detector: CueDetector | None = None) -> pd.DataFrame:
    """Return a tidy table of cue spans, one row per cue.

    Parameters
    ----------
    passages : DataFrame with ``passage_id`` and ``text``, or an iterable of str
        Passages (for plain strings the passage id is the position).
    detector : CueDetector, optional
        Detector to use.

    Returns
    -------
    pandas.DataFrame
        Columns ``passage_id, start, end, cue_type, match``.

    Examples
    --------
    >>> from framing.cues import cue_table
    >>> cue_table(["He reportedly said so."])[["passage_id", "cue_type", "match"]]
       passage_id      cue_type       match
    0           0         hedge  reportedly
    1           0  neutral_verb        said
    """
    det = detector or _default()
    if isinstance(passages, pd.DataFrame):
        ids, texts = passages[PASSAGE_ID].tolist(), passages[TEXT].tolist()
    else:
        texts = list(passages)
        ids = list(range(len(texts)))
    rows = [
        (pid, c.start, c.end, c.cue_type, c.match)
        for pid, text in zip(ids, texts)
        for c in det.detect(text)
    ]
    return pd.DataFrame(rows, columns=[PASSAGE_ID, START, END, CUE_TYPE, MATCH])


@lru_cache(maxsize=8)
def _country_patterns(key: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[str, re.Pattern[str]]]:
    return [(country, re.compile(r"(?<![\w])(?:" + "|".join(terms) + r")(?![\w])")) for country, terms in key]


def claimant_country(
    text: str,
    cues: Sequence[Cue] | None = None,
    *,
    countries: Mapping[str, Sequence[str]] | None = None,
) -> str | None:
    """Whose state a sentence's state actor speaks for: a country, ``"unattributed"``, or
    None when the sentence names no state actor.

    The speaker is looked for where the evidence puts it: the source of an attribution
    ("Chinese foreign ministry spokesman Zhao Lijian said ..."), else each state-actor cue
    span, with the words just before it ("US officials"). The first such span that names
    one country (from :data:`framing.lexicons.STATE_COUNTRY`, or ``countries``) decides;
    a span naming several takes the one closest to its end (the head of the phrase).

    Examples
    --------
    >>> from framing.cues import claimant_country
    >>> claimant_country("Chinese foreign ministry spokesman Zhao Lijian said the virus may have come from the US.")
    'China'
    >>> claimant_country("US officials said the virus escaped from a laboratory in Wuhan.")
    'United States'
    >>> claimant_country("The ministry said the plot was foiled.")
    'unattributed'
    >>> claimant_country("Scientists said the virus came from bats.") is None
    True
    """
    from .lexicons import STATE_COUNTRY

    cues = list(detect_cues(text) if cues is None else cues)
    actors = [c for c in cues if c.cue_type == "state_actor"]
    if not actors:
        return None
    table = countries if countries is not None else STATE_COUNTRY
    patterns = _country_patterns(tuple((k, tuple(v)) for k, v in table.items()))
    spans = [a.source for a in attributions(text, cues) if a.source is not None]
    spans += [(max(0, c.start - 30), c.end) for c in actors]
    for start, end in spans:
        found = [(m.end(), country) for country, rx in patterns for m in rx.finditer(text, start, end)]
        if found:
            return max(found)[1]
    return "unattributed"
