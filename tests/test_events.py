"""Event alignment and wire-copy detection: known groupings are recovered, given ids are kept,
bad input is an error that names the row and field."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import framing
from framing.duplicates import near_duplicate_groups
from framing.evaluate import bcubed
from framing.events import align_events, capitalised_ngrams

STORIES = {
    "raid": ("Russian police raid Azerbaijani homes in Yekaterinburg",
             "Russian riot police raided homes of Azerbaijani families in Yekaterinburg on Friday; two brothers, "
             "Huseyn and Ziyaddin Safarov, died in custody, relatives said."),
    "sputnik": ("Azerbaijan detains Sputnik Azerbaijan staff in Baku",
                "Azerbaijani police detained the director and editor-in-chief of Sputnik Azerbaijan in Baku, accusing "
                "the Russian state agency's office of working for the FSB."),
    "budget": ("Parliament passes the 2026 budget after a late-night vote",
               "Parliament passed the 2026 budget with 71 votes after a late-night session on spending for schools "
               "and hospitals."),
}


def _docs(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    dates = {"raid": "2025-06-28", "sputnik": "2025-06-30", "budget": "2025-03-01"}
    for story, (title, lead) in STORIES.items():
        for k, outlet in enumerate(("A", "B", "C")):
            day = pd.Timestamp(dates[story]) + pd.Timedelta(days=int(rng.integers(0, 2)))
            words = lead.split()
            rng.shuffle(words[3:])  # different wording, same entities
            rows.append({"doc_id": f"{story}-{outlet}", "outlet": outlet, "date": day.date().isoformat(),
                         "title": title if k == 0 else title.split()[0] + " " + " ".join(title.split()[1:][::-1]),
                         "text": " ".join(words), "truth": story})
    return pd.DataFrame(rows)


def test_recovers_planted_events_and_keeps_given_ids() -> None:
    docs = _docs(np.random.default_rng(0))
    out = align_events(docs)
    assert bcubed(docs["truth"], out["event_id"])[2] == pytest.approx(1.0)
    assert (out["event_source"] == "computed").all()
    given = docs.assign(event_id=["e1"] * 3 + [None] * 6)
    kept = align_events(given)
    assert kept["event_id"].iloc[:3].tolist() == ["e1"] * 3
    assert kept["event_source"].tolist()[:4] == ["given"] * 3 + ["computed"]
    assert kept["event_id"].iloc[3:].str.startswith("auto-").all()
    redone = align_events(given, recompute=True)
    assert not (redone["event_id"] == "e1").any()
    assert len(out) == len(docs)  # rows in == rows out


def test_date_window_keeps_the_same_story_apart_when_far_in_time() -> None:
    docs = _docs(np.random.default_rng(1))
    late = docs[docs["truth"] == "raid"].assign(date="2025-09-30", doc_id=lambda f: f["doc_id"] + "-late")
    out = align_events(pd.concat([docs, late], ignore_index=True))
    ids = out.set_index("doc_id")["event_id"]
    assert ids["raid-A"] != ids["raid-A-late"]
    assert ids["raid-A-late"] == ids["raid-B-late"]


def test_wire_copy_is_marked_against_the_earliest_document() -> None:
    text = " ".join(f"word{i}" for i in range(200))
    docs = pd.DataFrame({"doc_id": ["late", "early", "other"], "outlet": ["X", "Y", "Z"],
                         "date": ["2025-01-02", "2025-01-01", "2025-01-01"],
                         "title": ["t", "t", "u"], "text": [text + " extra", text, "Something else entirely."]})
    out = align_events(docs)
    copies = out.set_index("doc_id")["duplicate_of"]
    assert copies["late"] == "early"
    assert copies[["early", "other"]].isna().all()


def test_bad_input_names_row_and_field() -> None:
    docs = _docs(np.random.default_rng(0))
    with pytest.raises(framing.DataError, match="repeated doc_id"):
        align_events(pd.concat([docs, docs.iloc[:1]], ignore_index=True))
    with pytest.raises(framing.DataError, match="row 2, field 'date'.*not an ISO date"):
        align_events(docs.assign(date=["2025-06-28", "yesterday"] + docs["date"].tolist()[2:]))
    with pytest.raises(framing.DataError, match="'text'"):
        align_events(docs.drop(columns="text"))
    no_dates = align_events(docs.assign(date=None))  # missing dates: no window, still aligned
    assert no_dates["event_id"].notna().all()


def test_capitalised_ngrams_and_near_duplicates() -> None:
    assert capitalised_ngrams("The Kremlin said Ilham Aliyev of Azerbaijan met the FSB.") == [
        "kremlin", "ilham aliyev of azerbaijan", "fsb"]
    base = "the state security service said on monday that it had detained two men suspected of spying for a foreign"
    groups = near_duplicate_groups([base + " power today", base + " power yesterday", "unrelated short text here",
                                    ""])
    assert groups.tolist() == [0, 0, 2, 3]


def test_bcubed_known_values() -> None:
    # Amigo et al. (2009): a perfect clustering scores 1; one cluster of everything has recall 1
    gold = ["a", "a", "b", "b"]
    assert bcubed(gold, [1, 1, 2, 2]) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(gold, [1, 1, 1, 1])
    assert (p, r) == (0.5, 1.0) and f == pytest.approx(2 / 3)


def test_scores_on_basil_meet_the_target(corpora_home) -> None:
    docs = framing.load_corpus("basil")
    out = align_events(docs.drop(columns="event_id"))
    assert bcubed(docs["event_id"], out["event_id"])[2] >= 0.95
