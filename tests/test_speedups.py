"""The compiled scanners (framing/_speedups.c) against their pure-Python references.

Each compiled path must give exactly what the reference gives: Punkt spans, cue spans,
n-gram matrices. The references are themselves tested against plain nltk Punkt, the
single reference cue pattern and scikit-learn's TfidfVectorizer (test_segment.py,
test_cues.py, test_model.py).
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

import framing
from framing.cues import Cue, CueDetector
from framing.features import NgramVectorizer

try:
    from framing import _speedups
except ImportError:  # pragma: no cover
    _speedups = None

segment_module = sys.modules["framing.segment"]
cues_module = sys.modules["framing.cues"]
features_module = sys.modules["framing.features"]

needs_speedups = pytest.mark.skipif(_speedups is None, reason="framing._speedups is not built")


def test_speedups_are_built_where_required() -> None:
    # `make test` sets FRAMING_REQUIRE_SPEEDUPS=1: there the extension must have been
    # compiled, so the equality tests below cannot be skipped silently.
    if os.environ.get("FRAMING_REQUIRE_SPEEDUPS") != "1":
        pytest.skip("FRAMING_REQUIRE_SPEEDUPS is not set")
    assert importlib.import_module("framing._speedups").__file__.endswith(".so")


def _python_spans(tok, text: str) -> list[tuple[int, int]]:
    return [(s, e) for s, e in tok.span_tokenize(text)]


def _compiled_spans(tok, text: str) -> list[tuple[int, int]]:
    return _speedups.punkt_slices(text, tok.text_contains_sentbreak, tok.abbrev, tok.colloc_first, tok.collocations)


_PUNKT_WORDS = ["Mr", "U.S", "said", "Iraq", "J", "no", "2018", "etc", "St", "As", "The", "vs", "“We", "”", "(", ")",
                "...", "!", "?", "Jan", "the", "Gen", "Washington", "However,", "\u201cThe", "Asia", "MH/PA", "82",
                "\u00a0", "»", "}", "--", "'", "al-Deilami", "D.C", "life", "i.e", "Ä", "x"]
_PUNKT_SEPS = [". ", ".", " ", ".” ", "? ", "! ", ". \u00a0", "\t", ".\" ", ".) ", ".--", "?!", ".\n", "\n", ".’ ",
               ".» ", ". “", "!)", ". (", ".  "]


@needs_speedups
@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PUNKT_WORDS), max_size=24),
       st.lists(st.sampled_from(_PUNKT_SEPS), min_size=24, max_size=24))
def test_compiled_punkt_equals_python_punkt(words: list[str], seps: list[str]) -> None:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    text = "".join(w + s for w, s in zip(words, seps))
    tok = segment_module._tokenizer()
    assert tok.compiled_ok
    plain = PunktSentenceTokenizer(tok._params, lang_vars=tok._lang_vars)
    assert _compiled_spans(tok, text) == _python_spans(tok, text) == list(plain.span_tokenize(text))


@needs_speedups
def test_compiled_punkt_edge_cases() -> None:
    tok = segment_module._tokenizer()
    for text in ["", " ", ".", "?!", "a.", "He said. ", "  Hi. Yo.  ", "(Sent1.) Sent2.", "One.”  Two.",
                 "End.\"", "x.\u2019\u201d Next", "Wait...  What?", "A. B. C.", "\u3000Tokyo.\u3000Osaka."]:
        assert _compiled_spans(tok, text) == _python_spans(tok, text), text
    with pytest.raises(TypeError, match="must be sets"):
        _speedups.punkt_slices("a. B", tok.text_contains_sentbreak, list(tok.abbrev), tok.colloc_first, tok.collocations)
    with pytest.raises(TypeError):
        _speedups.punkt_slices(b"a. B", tok.text_contains_sentbreak, tok.abbrev, tok.colloc_first, tok.collocations)


def _news_lines(corpora_home: Path, n_docs: int = 300) -> list[str]:
    docs = framing.load_corpus("tehran_times", data_home=corpora_home)["text"].head(n_docs).tolist()
    docs += framing.load_demo_corpus()["text"].tolist()
    return [line for doc in docs for line in doc.split("\n") if line.strip()]


@needs_speedups
def test_compiled_paths_equal_references_on_real_news(corpora_home: Path) -> None:
    # Every line of 300 Tehran Times articles and of the bundled corpus.
    tok = segment_module._tokenizer()
    lines = _news_lines(corpora_home)
    assert len(lines) > 3000
    assert [_compiled_spans(tok, x) for x in lines] == [_python_spans(tok, x) for x in lines]
    sentences = [line[s:e] for line in lines for s, e in framing.sentence_spans(line)]
    det = CueDetector()
    assert [_speedups.scan_cues(s, det._compiled_table(), Cue) for s in sentences] == [det._scan(s) for s in sentences]
    assert [_speedups.quote_spans(s) for s in sentences] == [cues_module._quote_spans(s) for s in sentences]
    clf = framing.load_pretrained()
    assert _same_matrices(clf.vectorizer_, sentences)


_CUE_WORDS = ["the", "Foreign", "Ministry", "ministry", "said", "claimed", "n't", "didn't", "RT", "rt", "Tehran",
              "confessed", "under", "duress", "may", "have", "been", "is", "seen", "as", "military", "officials",
              "İran", "Kelvin", "\u212a", "\u212aremlin", "ſaid", "self-styled", "anti-terror", "x", "2024", "in", "a",
              "bid", "to", "no", "evidence", "without", "according", "threatened", "against", "his", "family",
              "so-called", "I", "other", "x-ray", "K9", "quickly", "bomb", "Émigré", "émigré", "council", "not",
              "intended", "the president", "THE", "PRESIDENT", "Kyiv\u2019s", "army", "it", "was", "believed"]
_CUE_DETECTORS = [
    CueDetector(),
    CueDetector(extra={"purpose": ["a bid", "I a", r"\w+ly said", "no other"], "negation": ["a"],
                       "state_actor": ["x-ray", "K9", "(?:the )?Kremlin", "émigré council", "Kyiv\u2019s army",
                                       r"the\s+pres\w*"]}),
]


@needs_speedups
@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_CUE_WORDS), max_size=25),
       st.lists(st.sampled_from([" ", "  ", "-", ", ", ". ", "\u2019", "\u00a0", "\n", "", "_"]), min_size=25,
                max_size=25),
       st.sampled_from([0, 1]))
def test_compiled_cue_scan_equals_reference_pattern(words: list[str], seps: list[str], which: int) -> None:
    # The compiled trie walk finds exactly the spans of the fast pattern and of the single
    # reference pattern (every term tried in order at every word start).
    text = "".join(w + s for w, s in zip(words, seps))
    det = _CUE_DETECTORS[which]
    reference = [(m.start(), m.end(), (m.lastgroup or "").split("__")[0], m.group()) for m in det._regex.finditer(text)]
    compiled = _speedups.scan_cues(text, det._compiled_table(), Cue)
    assert compiled == det._scan(text)
    assert [tuple(c) for c in compiled] == reference
    assert all(type(c) is Cue for c in compiled)


_QUOTE_TEXT = st.text(alphabet=st.sampled_from(list("ab '\"-.:,\n") + ["\u2018", "\u2019", "\u201c", "\u201d", "é",
                                                                          "_", "1", "\u00a0"]), max_size=60)


@needs_speedups
@settings(max_examples=500, deadline=None)
@given(_QUOTE_TEXT, st.integers(min_value=0, max_value=420))
def test_compiled_quote_spans_equal_the_pattern(text: str, pad: int) -> None:
    # also with bodies near the 400-character limit
    for t in (text, "'" + "a" * pad + "' b", "\u201c" + "x " * (pad // 2) + text + "\u201d."):
        assert _speedups.quote_spans(t) == cues_module._quote_spans(t)
    with pytest.raises(TypeError):
        _speedups.quote_spans(b"'a'")


def test_every_default_term_compiles_to_plain_alternatives() -> None:
    # The compiled scanner tries the default lexicons without a regular expression
    # call; terms it cannot express (here a word run followed by letters, a \s) keep
    # their pattern, and the property test above checks both kinds of leaf.
    from framing.lexicons import LEXICONS

    assert all(cues_module._program(term) is not None for terms in LEXICONS.values() for term in terms)
    assert cues_module._program(r"\w+ly said") is None and cues_module._program(r"the\s+pres\w*") is None
    assert cues_module._program("RT") == (("R", "T"),)  # a case-sensitive term (lexicons.CASE_SENSITIVE)
    assert cues_module._program("claim(?:ed|s)?") == (
        ("cC", "lL", "aA", "iI\u0130\u0131", "mM", "eE", "dD"), ("cC", "lL", "aA", "iI\u0130\u0131", "mM", "sS\u017f"),
        ("cC", "lL", "aA", "iI\u0130\u0131", "mM"))


@needs_speedups
def test_compiled_cue_scan_rejects_bad_arguments() -> None:
    det = CueDetector()
    with pytest.raises(TypeError):
        _speedups.scan_cues(b"bytes", det._compiled_table(), Cue)
    with pytest.raises(TypeError):
        _speedups.scan_cues("text", [], Cue)
    # any callable builds the cue records
    assert _speedups.scan_cues("He claimed", det._compiled_table(), lambda *a: a) == [(3, 10, "distancing_verb", "claimed")]
    with pytest.raises(TypeError):
        _speedups.scan_cues("text", det._compiled_tree(), Cue)  # the trie as data is not the compiled table


@needs_speedups
def test_cue_table_rejects_inconsistent_records() -> None:
    import array

    good = list(cues_module._flat_trie(CueDetector()._compiled_tree()))
    _speedups.cue_table(*good)

    def with_field(k: int, i: int, value: int) -> list:
        records = array.array("i", good[k])
        records[i] = value
        return good[:k] + [records.tobytes()] + good[k + 1:]

    first_kid = array.array("i", good[1])[1]  # the root's first edge: its child list
    for k, i, value in [(2, first_kid, 0),  # a child that is its own parent (a cycle)
                        (2, first_kid, 10 ** 9),  # a node that does not exist
                        (0, 0, -1), (0, 1, 10 ** 9),  # the root's edges out of range
                        (0, 2, 7),  # an unknown leaf kind
                        (1, 0, 10 ** 6)]:  # edges no longer sorted by code point
        with pytest.raises(ValueError):
            _speedups.cue_table(*with_field(k, i, value))
    with pytest.raises(ValueError):
        _speedups.cue_table(b"\0\0\0", *good[1:])  # not whole int32 records
    with pytest.raises(ValueError):
        _speedups.cue_table(*good[:7], (1,), good[8])  # a cue type that is not a str
    with pytest.raises(TypeError):
        _speedups.cue_table(*good[:8])


def _same_matrices(vec: NgramVectorizer, texts: list[str]) -> bool:
    A = vec.transform(texts)
    B = TfidfVectorizer.transform(vec, texts)
    return A.shape == B.shape and (A != B).nnz == 0 and np.array_equal(A.indices, B.indices) \
        and np.array_equal(A.indptr, B.indptr)


_TOKEN_TEXT = st.text(alphabet=st.sampled_from(list("ab c'’-_1é") + ["É", "İ", "ı", "ſ", "\u212a", "\u0301", "🙂",
                                                                      "日", "\u00a0", "\n", ".", ","]), max_size=40)


@needs_speedups
@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKEN_TEXT, min_size=1, max_size=6),
       st.sampled_from([r"(?u)\b\w\w+\b", r"(?u)\b\w[\w'\u2019-]*\b"]),
       st.sampled_from([(1, 1), (1, 2), (2, 3)]))
def test_compiled_ngrams_equal_scikit_learn(texts: list[str], pattern: str, ngram_range: tuple[int, int]) -> None:
    train = texts + ["a b c", "ab c'd a-b", "é b", "İ ı ſ \u212a", "c’d-", "ab cd ef gh"]
    params = dict(ngram_range=ngram_range, token_pattern=pattern, sublinear_tf=True, dtype=np.float32)
    vec = NgramVectorizer(**params).fit(train)
    assert _same_matrices(vec, texts)
    with pytest.raises(ValueError, match="mode"):
        _speedups.ngram_counts(texts, vec._table(), 1, 1, 2)


@needs_speedups
@pytest.mark.filterwarnings("ignore:Upper case characters found in vocabulary")
def test_compiled_vocabulary_edge_cases() -> None:
    # A vocabulary set by hand may hold terms no analyzer makes (empty, doubled or
    # trailing spaces, upper case): they never match, as in scikit-learn.
    vocabulary = {"": 0, "a  b": 1, "a ": 2, "A": 3, "a": 4, "a b": 5, "b": 6, "é b": 7, "b a b": 8}
    vec = NgramVectorizer(vocabulary=vocabulary, ngram_range=(1, 3), token_pattern=r"(?u)\b\w[\w'\u2019-]*\b")
    vec.fit(["a b a b é b"])
    texts = ["a b a b", "A  B", "", "é b a b", "b"]
    assert vec._table() is not None
    assert _same_matrices(vec, texts)
    # terms longer than the compiled table holds: the pure-Python look-up, same matrices
    long = NgramVectorizer(ngram_range=(1, 9)).fit(["one two three four five six seven eight nine ten"])
    assert long._table() is None
    assert _same_matrices(long, ["one two three four five six seven eight nine", "two three"])
    with pytest.raises(TypeError):
        _speedups.ngram_table({"a": "0"})
    # columns are int32 in the compiled table: a larger or negative one is not compiled
    assert _speedups.ngram_table({"a": 2 ** 31}) is None and _speedups.ngram_table({"a": -1}) is None
    assert _speedups.ngram_table({"a": 2 ** 31 - 1}) is not None
    # many tokens and terms (tables grow past their first size); a token that is no one-token term
    many = {f"w{i}": i for i in range(5000)} | {f"w{i} w{i + 1}": 5000 + i for i in range(0, 5000, 2)}
    many = {k: v for k, v in many.items() if k != "w7"}
    many = {k: i for i, k in enumerate(many)}
    big = NgramVectorizer(vocabulary=many, ngram_range=(1, 2), token_pattern=r"(?u)\b\w\w+\b").fit(["w1"])
    assert big._table() is not None
    assert _same_matrices(big, ["w1 w2 w3 w4", "w6 w7 w8 w7", "w4998 w4999 w5000", "w7"])
    with pytest.raises(TypeError):
        _speedups.ngram_counts(["a"], {"a": 0}, 1, 1, 0)


@needs_speedups
def test_pure_python_paths_give_the_same_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the extension (an install with no C compiler) every public result is the same.
    text = ("The ministry claimed, without offering evidence, that the network was run by Mossad. "
            "He allegedly confessed under duress. Mr. Aliyev said: “It was staged.” Why? To scare them.")
    clf = framing.load_pretrained()
    spans, cues = framing.sentence_spans(text), framing.detect_cues(text)
    sentences = [text[s:e] for s, e in spans]
    proba = clf.predict_proba(sentences)
    for module in (segment_module, cues_module, features_module):
        monkeypatch.setattr(module, "_speedups", None)
    assert framing.sentence_spans(text) == spans
    assert CueDetector().detect(text) == cues
    assert np.array_equal(clf.predict_proba(sentences), proba)
