"""Behavioural tests (CheckList style) of the shipped model on hand-written minimal pairs.

The pairs in ``fixtures/behaviour.jsonl`` are test fixtures, never training data. Each
states which label's probability should move, and in which direction, when one
sentence of the pair changes (a hedge added, a denial added, a state source swapped for
a blogger, a confession questioned, a prediction turned into a motive), or that the
label should not change (names swapped). Pairs the shipped model is known to fail are
strict xfails: the test turns red if the model starts passing them, so the list stays true.
"""
from __future__ import annotations

import json

import pytest

from .conftest import FIXTURES

PAIRS = [json.loads(line) for line in (FIXTURES / "behaviour.jsonl").read_text(encoding="utf-8").splitlines()]


def _params():
    for i, pair in enumerate(PAIRS):
        marks = [pytest.mark.xfail(strict=True, reason=pair["known_failure"])] if pair.get("known_failure") else []
        yield pytest.param(pair, id=f"{i}-{pair['capability']}", marks=marks)


@pytest.mark.parametrize("pair", list(_params()))
def test_minimal_pair(pair: dict, pretrained) -> None:
    j = list(pretrained.classes_).index(pair["label"])
    proba = pretrained.predict_proba([pair["a"], pair["b"]])[:, j]
    labels = pretrained.predict([pair["a"], pair["b"]])[:, j]
    if pair["expect"] == "b_more":
        assert proba[1] > proba[0]
    elif pair["expect"] == "a_more":
        assert proba[0] > proba[1]
    else:
        assert labels[0] == labels[1]


def test_hedge_flip_changes_the_predicted_label(pretrained) -> None:
    said = "The ministry said the network was run by Mossad."
    claimed = "The ministry claimed, without offering evidence, that the network was run by Mossad."
    P = pretrained.predict([said, claimed])
    j = list(pretrained.classes_).index("hedged_attribution")
    assert P[0, j] == 0 and P[1, j] == 1
