"""Segmentation: exact offsets, abbreviations, quotes, headlines, measured boundary F1."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framing
from framing.evaluate import boundary_f1
from framing.columns import PASSAGE_COLUMNS
from framing.segment import TITLES, iter_passage_frames, iter_passages, paragraph_spans, sentence_spans

from .conftest import FIXTURES


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_abbreviations_do_not_split() -> None:
    text = "Mr. Aliyev met Gen. Smith in the U.S. on Jan. 5. Dr. Lee said no. The U.N. agreed."
    assert texts(text) == ["Mr. Aliyev met Gen. Smith in the U.S. on Jan. 5.", "Dr. Lee said no.", "The U.N. agreed."]


def test_quotes_stay_with_their_sentence() -> None:
    text = "\u201cWe will respond,\u201d he said. \u201cThey lied.\u201d Then he left. He called it \u2018a plot.\u2019 Nobody agreed."
    assert texts(text) == ["\u201cWe will respond,\u201d he said.", "\u201cThey lied.\u201d", "Then he left.",
                           "He called it \u2018a plot.\u2019", "Nobody agreed."]


def test_headlines_and_list_items() -> None:
    text = "FSB arrests man in Stavropol\nThe man was detained. He confessed.\n1. Key Cause: Rivalry\n- A bullet point here"
    assert texts(text) == ["FSB arrests man in Stavropol", "The man was detained.", "He confessed.",
                           "1. Key Cause: Rivalry", "- A bullet point here"]


def test_paragraphs() -> None:
    text = "Title\n\nFirst para. Still first.\n\n\nSecond."
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["Title", "First para. Still first.", "Second."]
    lines = "Line one.\nLine two."
    assert len(paragraph_spans(lines)) == 2


def test_empty_and_blank() -> None:
    assert sentence_spans("") == [] and sentence_spans("  \n\n ") == []


def test_seed_boundary_f1_meets_target(demo_docs: pd.DataFrame) -> None:
    gold = [json.loads(line) for line in open(FIXTURES / "seed_sentences.jsonl", encoding="utf-8")]
    g_ends, p_ends = [], []
    for doc in demo_docs.itertuples():
        g_ends += [(doc.doc_id, r["end"]) for r in gold if r["doc_id"] == doc.doc_id]
        p_ends += [(doc.doc_id, e) for _, e in sentence_spans(doc.text)]
    precision, recall, f1 = boundary_f1(g_ends, p_ends)
    assert len(g_ends) > 300
    assert f1 >= 0.98, (precision, recall, f1)


def test_segment_table_offsets_and_ids(demo_docs: pd.DataFrame) -> None:
    passages = framing.segment(demo_docs)
    texts_by_doc = demo_docs.set_index("doc_id")["text"]
    for r in passages.itertuples():
        assert texts_by_doc[r.doc_id][r.start:r.end] == r.text
    assert passages["passage_id"].is_unique
    paras = framing.segment(demo_docs, unit="paragraph")
    assert 0 < len(paras) < len(passages)


def test_empty_document_keeps_other_documents() -> None:
    docs = framing.read_corpus(pd.DataFrame({"doc_id": ["a", "b"], "text": ["", "One. Two."]}))
    passages = framing.segment(docs)
    assert passages["doc_id"].tolist() == ["b", "b"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_offset_invariant_on_arbitrary_unicode(text: str) -> None:
    spans = sentence_spans(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        piece = text[s:e]
        assert piece == piece.strip() and piece
        assert "\n" not in piece
        last = e
    for s, e in paragraph_spans(text):
        assert text[s:e].strip() == text[s:e]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Mr. Smith said so.", "The U.S. agreed!", "\u201cNo,\u201d he said.", "Why?",
                                  "Iran \U0001F1EE\U0001F1F7 denied it.", "\u0422\u0410\u0421\u0421 \u0441\u043e\u043e\u0431\u0449\u0438\u043b."]),
                min_size=1, max_size=8))
def test_known_sentences_are_recovered(parts: list[str]) -> None:
    text = " ".join(parts)
    assert len(sentence_spans(text)) >= 1
    joined = " ".join(texts(text))
    assert joined == text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Mr", "U.S", "said", "Iraq", "J", "no", "2018", "etc", "St", "As", "The", "vs",
                                 "“We", "”", "(", ")", "...", "!", "?", "Jan", "the", "Gen", "Washington", "However,",
                                 "\u201cThe", "Asia", "MH/PA", "82", "\u00a0"]), max_size=20),
       st.lists(st.sampled_from([". ", ".", " ", ".” ", "? ", "! ", ". \u00a0", "\t", ".\" "]), min_size=20, max_size=20))
def test_fast_punkt_decides_like_punkt(words: list[str], seps: list[str]) -> None:
    # The shortcuts (plain "word. Next" decisions, str.rfind contexts) must give
    # exactly nltk's Punkt spans with the same parameters.
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from framing.segment import _tokenizer

    text = "".join(w + s for w, s in zip(words, seps))
    tok = _tokenizer()
    plain = PunktSentenceTokenizer(tok._params, lang_vars=tok._lang_vars)
    assert list(tok.span_tokenize(text)) == list(plain.span_tokenize(text))


def _punkt_context_words() -> list[str]:
    from framing.segment import _tokenizer

    tok = _tokenizer()
    colloc = sorted(tok.collocations)[:40]
    words = [w for pair in colloc for w in pair] + sorted(tok._params.sent_starters)[:30]
    words += sorted(tok.abbrev)[:40] + ["U.S.", "u.s", "J.", "j", "A", "Q", "x", "Bach", "Zubair", "2009", "1,000", "-5", ".5", "##number##",
                                       "al-Qaeda", "ex-gen", "...", "..", ".", "?", "!", ";", ",", "“", "”", "(", ")",
                                       "'", "--", "Iran", "iran", "The", "the", "It", "it", "É", "é", "\n", ""]
    return words


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_punkt_context_words()), min_size=1, max_size=5),
       st.lists(st.sampled_from([". ", ".", " ", "? ", ".\n", "\n\n", ".”", ". (", "... ", "-", ","]), min_size=5,
                max_size=5))
def test_punkt_decision_equals_nltk(words: list[str], seps: list[str]) -> None:
    # FastPunkt._sentbreak reimplements nltk's text_contains_sentbreak on its own
    # token lists: the same answer for any context, abbreviations, initials, numbers,
    # collocations and sentence starters included.
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from framing.segment import _tokenizer

    tok = _tokenizer()
    text = "".join(w + s for w, s in zip(words, seps))
    assert tok._sentbreak(text) == PunktSentenceTokenizer.text_contains_sentbreak(tok, text)


def test_punkt_decision_equals_nltk_on_every_pair() -> None:
    # Exhaustively: every pair of tricky words, with and without a period, before a third
    # token; and every known collocation, its second word also ending a sentence.
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from framing.segment import _tokenizer

    tok = _tokenizer()
    words = ["A", "J", "x", "Mr", "U.S", "Gen", "no", "2009", "1,000", "al-Qaeda", "ex-Gen", "...", "”", "(", "said", "Iran",
             "iran", "The", "the", "It", "Bach", "Zubair", "However", ";", "--"]
    contexts = [f"{a}{sep}{b}{end}" for a in words for b in words for sep in (". ", "? ", " ", ".\n")
                for end in ("", ". x", ", y")]
    contexts += [f"{a}. {b}{end}" for a, b in sorted(tok.collocations) for end in ("", ". x")]
    assert [tok._sentbreak(t) for t in contexts] == [PunktSentenceTokenizer.text_contains_sentbreak(tok, t)
                                                     for t in contexts]


def test_fast_punkt_equals_punkt_on_real_news(corpora_home: Path) -> None:
    # Every line of 300 Tehran Times articles and of the bundled corpus: the same spans
    # as plain nltk Punkt with the same parameters.
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from framing.segment import _tokenizer

    tok = _tokenizer()
    plain = PunktSentenceTokenizer(tok._params, lang_vars=tok._lang_vars)
    docs = framing.load_corpus("tehran_times", data_home=corpora_home)["text"].head(300).tolist()
    docs += framing.load_demo_corpus()["text"].tolist()
    lines = [line for doc in docs for line in doc.split("\n") if line.strip()]
    assert len(lines) > 3000
    assert [list(tok.span_tokenize(x)) for x in lines] == [list(plain.span_tokenize(x)) for x in lines]


@pytest.mark.parametrize("batch_size", [1, 7, 100_000])
@pytest.mark.parametrize("unit", ["sentence", "paragraph"])
def test_passage_frames_equal_passage_records(demo_docs: pd.DataFrame, batch_size: int, unit: str) -> None:
    # The columnar streaming path gives the records of iter_passages, in order, in
    # frames of batch_size rows; documents without passages (empty, blank) add none.
    docs = demo_docs.to_dict("records") + [{"doc_id": "empty", "text": ""}, {"doc_id": "blank", "text": " \n "},
                                           {"doc_id": "bare", "text": "One. Two."}]
    records = list(iter_passages(docs, unit=unit))
    frames = list(iter_passage_frames(iter(docs), unit=unit, batch_size=batch_size))
    assert [len(f) for f in frames[:-1]] == [batch_size] * (len(frames) - 1)
    assert 1 <= len(frames[-1]) <= batch_size
    assert sum(map(len, frames)) == len(records)
    for k, frame in enumerate(frames):  # each frame as a DataFrame of the same records (dtypes included)
        part = records[k * batch_size:(k + 1) * batch_size]
        expected = pd.DataFrame(part, columns=list(PASSAGE_COLUMNS), dtype=object).astype(
            {"index": "int64", "paragraph": "int64", "start": "int64", "end": "int64"})
        for key in ("title", "url", "meta"):  # the documents' own columns follow, None where a document has none
            expected[key] = pd.Series([r.get(key) for r in part], dtype=object)
        pd.testing.assert_frame_equal(frame, expected)
    with pytest.raises(ValueError, match="batch_size"):
        next(iter_passage_frames(docs, batch_size=0))


_TITLE_ALPHABET = "mrsdgenltMRSDGENLTx .-(\"'\u2018\u201c\t\n\x1c\u00a0\u212a\u017f\u0130"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_TITLE_ALPHABET, max_size=12),
       st.sampled_from(["", " ", "(", "\u201c", "x", "\t"]),
       st.sampled_from(sorted(TITLES) + ["mister", "gens", ""]),
       st.booleans())
def test_title_end_equals_its_pattern(head: str, sep: str, word: str, upper: bool) -> None:
    from framing.segment import _TITLE_END, _title_end

    piece = head + sep + (word.upper() if upper else word) + "."
    assert _title_end(piece) == (_TITLE_END.search(piece, max(0, len(piece) - 8)) is not None), piece


@pytest.mark.parametrize("piece", ["Gen.", "(Mr.", "He met Gen.", "\u201cDr.", "Mr .", "Xmr.", "the Kt.",
                                   "met the G\u212aN.", "Prof.", "a-Dr.", "1. Sgt."])
def test_title_end_cases(piece: str) -> None:
    from framing.segment import _TITLE_END, _title_end

    assert _title_end(piece) == (_TITLE_END.search(piece, max(0, len(piece) - 8)) is not None)


def test_segment_says_what_it_expects() -> None:
    with pytest.raises(TypeError, match="sentence_spans"):
        framing.segment("One sentence. Two.")
    with pytest.raises(TypeError, match="not strings"):
        framing.segment(["One sentence. Two.", "Three."])
    with pytest.raises(framing.DataError, match="no 'text' column") as exc:
        framing.segment(pd.DataFrame({"doc_id": ["a"], "body": ["One. Two."]}))
    assert exc.value.field == "text"
    with pytest.raises(framing.DataError, match="no 'doc_id'"):
        framing.segment(pd.DataFrame({"text": ["One. Two."]}))
    with pytest.raises(framing.DataError, match="text is missing") as exc:
        framing.segment(pd.DataFrame({"doc_id": ["a", "b"], "text": ["One.", None]}))
    assert exc.value.row == 2
    with pytest.raises(framing.DataError, match="has the name of a passage column"):
        framing.segment(pd.DataFrame({"doc_id": ["a"], "text": ["One."], "start": [3]}))


def test_segment_takes_a_dataset_and_checks_its_columns() -> None:
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"doc_id": ["a"], "text": ["One. Two."], "bias": ["left"]})
    passages = framing.segment(ds)
    assert passages["text"].tolist() == ["One.", "Two."] and passages["bias"].tolist() == ["left", "left"]
    with pytest.raises(framing.DataError, match="no 'text' column"):
        framing.segment(datasets.Dataset.from_dict({"doc_id": ["a"], "body": ["One."]}))


def test_segment_carries_document_columns_without_copying(demo_docs: pd.DataFrame) -> None:
    docs = demo_docs.assign(bias=[f"b{i}" for i in range(len(demo_docs))])
    passages = framing.segment(docs)
    assert list(passages.columns) == [*PASSAGE_COLUMNS, "title", "url", "meta", "bias"]
    by_doc = docs.set_index("doc_id")
    assert (passages["bias"] == passages["doc_id"].map(by_doc["bias"])).all()
    first = passages[passages["doc_id"] == docs["doc_id"].iloc[0]]
    assert len({id(m) for m in first["meta"]}) == 1  # one shared dict per document, not one copy per passage
    assert "text" not in set(passages.columns) - set(PASSAGE_COLUMNS)
    empty = framing.segment(docs.iloc[0:0])
    assert list(empty.columns) == list(passages.columns) and len(empty) == 0
