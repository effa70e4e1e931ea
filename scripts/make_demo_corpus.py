"""Write the bundled same-event demo corpus, ``data/corpus/allsides_demo.jsonl``.

58 articles from ``allsides.jsonl.gz`` (ramybaly/Article-Bias-Prediction @ ced8111,
Apache-2.0, see ``data/corpus/README.md``) on eight events that left, centre and right
outlets all covered: the NSA phone-records revelation (June 2013), the North Korea crisis of
April 2013, Beijing and the Hong Kong protests (September 2014), North Korea's internet
outage (December 2014), Russia's first air strikes in Syria (September 2015), the
cancelled Trump-Kim summit (May 2018), the siege of the US embassy in Baghdad (December
2019) and the Iran crisis of January 2020. The events were found with
``framing.align_events`` on the whole corpus; the articles were chosen among those in no
gold, annotation-round or validation sample. Event ids are not stored: the demo aligns them.

Run: ``FRAMING_DATA=../shared/corpora python scripts/make_demo_corpus.py``
"""
from __future__ import annotations

import json
from pathlib import Path

import framing

DOC_IDS = sorted("""11yvSCuqIQhZjRAs 2HoIR3NgwdpZk0cT 7KY2Sfgb6nEf0d3B 7ZAoYCcEwM04Jq6g 9taLHEg8a1JOT4hw 9ypq4CGQjFhLUBmV
CiKoDpM654YHc83Z EA056i4V8Zupur6V GPGEP3i8FYoCl5Dz Hq2xFZM1QSU1aS66 J3fJKIU7K58aYdN0 JKWZGQtIJz4NxRSX JOJkGZiVgbXjtGiI
K0IuhoZqZCCUjBkt Ll6UvdH3wc3yaGBV M6ESR5hkUvGqtIok MHqxRzxGHCOh2L0G MKSHLLNfSnr10koy MKUg6knEhuG1XTCX MomImYP62qp00Boy
NfufuXzxPT7NtTRv OifsB0fM5com2iNn Pepch7bNUtM3KGEG SR7ixjfaupQLGIq8 SgNKbCFX52fuj5yx TzBG8lHE4DSU4DNt U6iHSKFoakUNZjTQ
VYBx8UvPnbOBZIXU Wcyp9spU14edV2sv YyxW9yHon3kHKHCb ZFDV1HNDbP84qkBo ZZO2oqjdIfYc7iEO aloWuHN39bpPTlg8 bJZx8UmzIqhH6CzM
bwp1Bpe53IKbcevf c0vUCkTimEJpr2Ls c7MncHMK3nzlLMfV d40ilYS9xpZ33UcO fecYZ0B9tfsDsUba hN8dfcRzFjGFcyXE jsFGuwR1efUKOGLe
kUYYyI382LQZZRwI kczfLS1w5KzeFCPs lNAUGKUmIhtAgckI n8gNubMCcgeMwIJf ncaGzUssclx3f2BH nlnqFl2XLYy3jMcK opqO0GRXnGVnO4xA
rLjY4KgUl5929YvQ sTD189nWjR35MhjQ swjpg4UymPq7hyy7 tvLXYG4Xts1Fuhsq wk2wGpfOrJIzAPTa xPqwoZWoq2oOKFZF xdV7viC8GWIDScIG
xyW5irKWrGEcPc8R ytTTGs9PDmaLt0dx z9HBesFggHIZOlCd""".split())
OUT = Path(__file__).resolve().parents[1] / "data" / "corpus" / "allsides_demo.jsonl"


def main() -> None:
    docs = framing.load_corpus("allsides").set_index("doc_id").loc[DOC_IDS].reset_index()
    docs = docs.sort_values(["date", "doc_id"], kind="stable")
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in docs.itertuples(index=False):
            meta = dict(r.meta)
            rec = {"corpus": "allsides", "doc_id": r.doc_id, "outlet": r.outlet, "date": r.date, "title": r.title,
                   "url": r.url, "bias": meta.get("bias"), "topic": meta.get("topic"), "text": r.text,
                   "source": "ramybaly/Article-Bias-Prediction@ced8111 (Apache-2.0)"}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(docs)} documents -> {OUT}")


if __name__ == "__main__":
    main()
