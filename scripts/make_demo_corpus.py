"""Write the bundled same-event demo corpus, ``data/corpus/allsides_demo.jsonl``.

58 articles from ``allsides.jsonl.gz`` (ramybaly/Article-Bias-Prediction @ ced8111,
Apache-2.0, see ``data/corpus/README.md``) on eight events that left, centre and right
outlets all covered: the NSA phone-records revelation (June 2013), the North Korea crisis of
April 2013, Beijing and the Hong Kong protests (September 2014), North Korea's internet
outage (December 2014), Russia's first air strikes in Syria (September 2015), the
cancelled Trump-Kim summit (May 2018), the siege of the US embassy in Baghdad (December
2019) and the Iran crisis of January 2020. The events were found with
``framing.align_events`` on the whole corpus (their titles checked by reading) and are stored
as ``event_id``; the articles were chosen among those in no gold, annotation-round or
validation sample.

Run: ``FRAMING_DATA=../shared/corpora python scripts/make_demo_corpus.py``
"""
from __future__ import annotations

import json
from pathlib import Path

import framing

#: The eight events and their articles, as framing.align_events grouped them on the whole
#: corpus (titles checked by reading).
EVENTS: dict[str, str] = {
    "nsa-phone-records-2013-06": """GPGEP3i8FYoCl5Dz Hq2xFZM1QSU1aS66 J3fJKIU7K58aYdN0 K0IuhoZqZCCUjBkt M6ESR5hkUvGqtIok
        MHqxRzxGHCOh2L0G VYBx8UvPnbOBZIXU ZFDV1HNDbP84qkBo ZZO2oqjdIfYc7iEO bJZx8UmzIqhH6CzM opqO0GRXnGVnO4xA""",
    "north-korea-crisis-2013-04": """SgNKbCFX52fuj5yx c7MncHMK3nzlLMfV jsFGuwR1efUKOGLe n8gNubMCcgeMwIJf ncaGzUssclx3f2BH
        wk2wGpfOrJIzAPTa xyW5irKWrGEcPc8R""",
    "hong-kong-protests-2014-09": """7ZAoYCcEwM04Jq6g JOJkGZiVgbXjtGiI Ll6UvdH3wc3yaGBV NfufuXzxPT7NtTRv c0vUCkTimEJpr2Ls
        hN8dfcRzFjGFcyXE kUYYyI382LQZZRwI kczfLS1w5KzeFCPs ytTTGs9PDmaLt0dx""",
    "north-korea-internet-2014-12": """9ypq4CGQjFhLUBmV CiKoDpM654YHc83Z U6iHSKFoakUNZjTQ Wcyp9spU14edV2sv aloWuHN39bpPTlg8
        swjpg4UymPq7hyy7 xdV7viC8GWIDScIG""",
    "russia-syria-strikes-2015-09": """7KY2Sfgb6nEf0d3B EA056i4V8Zupur6V JKWZGQtIJz4NxRSX MKSHLLNfSnr10koy tvLXYG4Xts1Fuhsq""",
    "trump-kim-summit-2018-05": """11yvSCuqIQhZjRAs MKUg6knEhuG1XTCX TzBG8lHE4DSU4DNt YyxW9yHon3kHKHCb fecYZ0B9tfsDsUba
        xPqwoZWoq2oOKFZF""",
    "baghdad-embassy-2019-12": """MomImYP62qp00Boy OifsB0fM5com2iNn Pepch7bNUtM3KGEG lNAUGKUmIhtAgckI nlnqFl2XLYy3jMcK""",
    "iran-crisis-2020-01": """2HoIR3NgwdpZk0cT 9taLHEg8a1JOT4hw SR7ixjfaupQLGIq8 bwp1Bpe53IKbcevf d40ilYS9xpZ33UcO
        rLjY4KgUl5929YvQ sTD189nWjR35MhjQ z9HBesFggHIZOlCd""",
}
EVENT_OF = {doc_id: event for event, ids in EVENTS.items() for doc_id in ids.split()}
DOC_IDS = sorted(EVENT_OF)
OUT = Path(__file__).resolve().parents[1] / "data" / "corpus" / "allsides_demo.jsonl"


def main() -> None:
    docs = framing.load_corpus("allsides").set_index("doc_id").loc[DOC_IDS].reset_index()
    docs = docs.sort_values(["date", "doc_id"], kind="stable")
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in docs.itertuples(index=False):
            meta = dict(r.meta)
            rec = {"corpus": "allsides", "doc_id": r.doc_id, "outlet": r.outlet, "date": r.date, "title": r.title,
                   "url": r.url, "event_id": EVENT_OF[r.doc_id], "bias": meta.get("bias"), "topic": meta.get("topic"),
                   "text": r.text,
                   "source": "ramybaly/Article-Bias-Prediction@ced8111 (Apache-2.0)"}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(docs)} documents -> {OUT}")


if __name__ == "__main__":
    main()
