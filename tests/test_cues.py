"""Cue detectors: spans are exact and typed; the gazetteer extends; attributions parse."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.cues import CUE_TYPES, CueDetector, attributions, cue_table, detect_cues


def types(text: str, detector: CueDetector | None = None) -> list[tuple[str, str]]:
    return [(c.cue_type, c.match) for c in detect_cues(text, detector=detector)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The man had allegedly acquired the parts.", ("hedge", "allegedly")),
        ("The claims could not be independently verified.", ("non_verification", "could not be independently verified")),
        ("Moscow accused Kyiv of the attack.", ("distancing_verb", "accused")),
        ("The spokesman denied the report.", ("denial", "denied")),
        ("He confessed on camera.", ("confession", "confessed")),
        ("The confession was extracted under duress.", ("coercion", "under duress")),
        ("The raids may have been retaliation.", ("speculation", "may have been")),
        ("Moscow seeks to punish Baku.", ("purpose", "seeks to")),
        ("TASS reported the arrest.", ("state_actor", "TASS")),
        ("The FSB said the man was a spy.", ("neutral_verb", "said")),
        ("The FSB said the man was a spy.", ("contested", "spy")),
        ("He joined the \u2018terrorist organisation\u2019 last year.", ("scare_quote", "\u2018terrorist organisation\u2019")),
    ],
)
def test_each_cue_type(text: str, expected: tuple[str, str]) -> None:
    assert expected in types(text)


def test_spans_are_exact_and_sorted() -> None:
    text = "Russia\u2019s FSB claimed, without evidence, that the man had \u2018proactively\u2019 joined a plot."
    cues = detect_cues(text)
    assert [c.start for c in cues] == sorted(c.start for c in cues)
    for c in cues:
        assert text[c.start:c.end] == c.match
        assert c.cue_type in CUE_TYPES


def test_word_boundaries_and_case() -> None:
    assert not any(t == "state_actor" for t, _ in types("The startup sold art to farsighted buyers."))
    assert ("state_actor", "RT") in types("RT reported it.")
    assert not any(m == "rt" for _, m in types("a rt b"))  # acronyms are case-sensitive


def test_gazetteer_is_extendable() -> None:
    det = CueDetector(extra={"state_actor": ["Rosgvardia units", "National Guard of Ruritania"]})
    assert ("state_actor", "National Guard of Ruritania") in types("The National Guard of Ruritania said so.", det)
    with pytest.raises(ValueError, match="unknown cue type"):
        CueDetector(extra={"nonsense": ["x"]})


def test_attribution_relations() -> None:
    text = "\u201cWe will destroy them,\u201d the IRGC commander said."
    a = attributions(text)[0]
    assert a.kind == "direct" and text[a.source[0]:a.source[1]] == "the IRGC commander" and a.state_source
    text = "According to TASS, the man confessed to plotting attacks."
    a = attributions(text)[0]
    assert a.kind == "according_to" and text[a.content[0]:a.content[1]].startswith("the man confessed")
    text = "A blogger claimed the city was shelled."
    a = attributions(text)[0]
    assert a.distancing and not a.state_source and text[a.content[0]:a.content[1]] == "the city was shelled."


def test_cue_table() -> None:
    table = cue_table(["He reportedly said so.", "Nothing here."])
    assert table["passage_id"].tolist() == [0, 0]
    assert list(table.columns) == ["passage_id", "start", "end", "cue_type", "match"]


def test_type_error() -> None:
    with pytest.raises(TypeError):
        detect_cues(None)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_spans_exact_on_arbitrary_text(text: str) -> None:
    for c in detect_cues(text):
        assert text[c.start:c.end] == c.match and c.start < c.end


_WORDS = ["the", "Foreign", "Ministry", "ministry", "said", "claimed", "n't", "didn't", "RT", "rt", "Tehran",
          "confessed", "under", "duress", "may", "have", "been", "is", "seen", "as", "military", "officials",
          "İran", "Kelvin", "\u212a", "\u212aremlin", "ſaid", "self-styled", "anti-terror", "x", "2024", "in", "a",
          "bid", "to", "no", "evidence", "without", "according", "threatened", "against", "his", "family",
          "so-called", "I", "other", "x-ray", "K9", "quickly", "bomb"]
_DETECTORS = [CueDetector(), CueDetector(extra={"purpose": ["a bid", "I a", r"\w+ly said", "no other"], "negation": ["a"],
                                                "state_actor": ["x-ray", "K9", "(?:the )?Kremlin"]})]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=25),
       st.lists(st.sampled_from([" ", "  ", "-", ", ", ". ", "\u2019", "\u00a0", "\n", ""]), min_size=25, max_size=25),
       st.sampled_from([0, 1]))
def test_fast_matcher_equals_reference_pattern(words: list[str], seps: list[str], which: int) -> None:
    # The detector's trie-dispatched pattern must find exactly the spans of the single
    # reference pattern (all terms, tried in order at every word start).
    text = "".join(w + s for w, s in zip(words, seps))
    det = _DETECTORS[which]
    reference = [(m.start(), m.end(), (m.lastgroup or "").split("__")[0], m.group()) for m in det._regex.finditer(text)]
    fast = [tuple(c) for c in det.detect(text) if c.cue_type not in ("scare_quote", "direct_quote")]
    assert fast == reference


def test_cue_right_after_a_short_one() -> None:
    # "a" ends before the trie has read "a b" (from "a bid"): "bomb" must still be found.
    det = _DETECTORS[1]
    assert [(c.cue_type, c.match) for c in det.detect("a bomb")] == [("negation", "a"), ("contested", "bomb")]


def test_case_folding_classes_match_ignorecase() -> None:
    import re
    import string

    from framing.cues import _fold

    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    for ch in string.ascii_lowercase:
        assert set(re.findall(_fold(ch), every)) == set(re.findall(ch, every, re.IGNORECASE)), ch
