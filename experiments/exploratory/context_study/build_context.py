"""Attach document context (previous / next sentence, paragraph) to every gold train+dev row.

The test split is dropped right after load_gold(); its rows are never touched.
Output: $CONTEXT_STUDY_WORK/gold_ctx.pkl (default /tmp/ctx_study) (DataFrame, same row order as the filtered gold set).

Run: FRAMING_DATA=../shared/corpora python build_context.py
"""
from __future__ import annotations

import bisect
import os
import time
from pathlib import Path

import pandas as pd

import framing
from framing.corpus import data_home, iter_jsonl
from framing.segment import paragraph_spans, sentence_spans

OUT = Path(os.environ.get("CONTEXT_STUDY_WORK", "/tmp/ctx_study")) / "gold_ctx.pkl"


def doc_texts(needed: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    """Document texts keyed (corpus, doc_id), with the same duplicate-id renaming that
    framing.gold.load_gold applies (doc_id, doc_id#2, ...)."""
    out: dict[tuple[str, str], str] = {}
    for corpus, ids in sorted(needed.items()):
        if corpus == "seeds":
            docs = framing.load_demo_corpus()
            for r in docs.itertuples():
                if r.doc_id in ids:
                    out[(corpus, r.doc_id)] = r.text
            continue
        seen: dict[str, int] = {}
        for obj in iter_jsonl(data_home() / f"{corpus}.jsonl.gz"):
            doc_id = str(obj.get("doc_id"))
            n = seen.get(doc_id, 0) + 1
            seen[doc_id] = n
            key = doc_id if n == 1 else f"{doc_id}#{n}"
            if key in ids:
                out[(corpus, key)] = obj["text"]
    return out


def main() -> None:
    t0 = time.time()
    gold = framing.load_gold()
    gold = gold[gold["split"] != "test"].reset_index(drop=True)  # test split never used
    needed: dict[str, set[str]] = {}
    for c, d in zip(gold["corpus"], gold["doc_id"]):
        needed.setdefault(c, set()).add(d)
    texts = doc_texts(needed)
    print(f"loaded {len(texts)} docs in {time.time() - t0:.1f}s")
    spans_cache: dict[tuple[str, str], tuple[list, list, list]] = {}
    prev, nxt, para, window, status = [], [], [], [], []
    for r in gold.itertuples():
        key = (r.corpus, r.doc_id)
        doc = texts.get(key)
        if doc is None:
            prev.append(""); nxt.append(""); para.append(""); window.append(""); status.append("no_doc")
            continue
        if key not in spans_cache:
            ss = sentence_spans(doc)
            spans_cache[key] = (ss, [s for s, _ in ss], paragraph_spans(doc))
        ss, starts, ps = spans_cache[key]
        st = "ok" if doc[r.start:r.end] == r.text else "text_mismatch"
        # index of the sentence that contains the gold start offset
        i = bisect.bisect_right(starts, r.start) - 1
        if i >= 0 and ss[i] != (r.start, r.end):
            st = st + "|span_differs"
        # previous sentence = last sentence ending at or before the gold start;
        # next = first sentence starting at or after the gold end
        j = bisect.bisect_right([e for _, e in ss], r.start) - 1
        k = bisect.bisect_left(starts, r.end)
        prev.append(doc[ss[j][0]:ss[j][1]] if j >= 0 else "")
        nxt.append(doc[ss[k][0]:ss[k][1]] if k < len(ss) else "")
        pe = [p for p in ps if p[0] <= r.start < p[1] or (p[0] < r.end <= p[1])]
        para.append(doc[pe[0][0]:pe[-1][1]] if pe else doc[r.start:r.end])
        # local window: up to 3 sentences before and 3 after, the sentence itself excluded.
        # Not restricted to the paragraph: 30% of gold sentences are one-sentence
        # paragraphs (dailymail, allsides), while tehran_times documents are one paragraph.
        before = [doc[a:b] for a, b in ss[max(0, j - 2):j + 1]] if j >= 0 else []
        after = [doc[a:b] for a, b in ss[k:k + 3]]
        window.append(" ".join(before + after))
        status.append(st)
    gold["prev_text"], gold["next_text"], gold["para_text"], gold["ctx_status"] = prev, nxt, para, status
    gold["window_text"] = window
    print(gold["ctx_status"].value_counts())
    print("empty prev:", (gold["prev_text"] == "").mean(), "empty next:", (gold["next_text"] == "").mean())
    print("para == sentence:", (gold["para_text"] == gold["text"]).mean())
    gold.to_pickle(OUT)
    print(f"wrote {OUT} ({len(gold)} rows) in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
