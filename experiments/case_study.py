"""E2: how the bundled 2025 texts frame three events, with the evidence passages quoted.

The seed corpus (``data/corpus/``) covers the Yekaterinburg raids on the Azerbaijani
diaspora, the raid on Sputnik Azerbaijan in Baku and the FSB's arrest in Stavropol region
with its televised confession. For each event, the sentences of the documents that cover
it (``data/corpus/events.csv``) and mention it (the event's pattern in the config) are
labelled by the model; every seed sentence was also read against the codebook (the gold
``census:seeds``), so the model's labels sit beside the readers'. Writes
``results/e2_seed_case_study/main/``: ``passages.csv`` (every event sentence, model and gold
labels, cue evidence), ``summary.csv`` (per event and document: sentences and labels, model
and gold) and ``metrics.json`` (the quoted passages: those the readers labelled, the
model's most confident first).

Run: ``python experiments/case_study.py`` (bundled data only)
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pandas as pd

import framing
from experiment_data import load_config  # same folder (experiments/)
from framing.columns import LABEL_NAMES
from framing.experiment import RunDir
from framing.pipeline import label_documents

LABELS = list(LABEL_NAMES)
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    config = load_config("e2_seed_case_study")
    run = RunDir(ROOT / "results", config["name"], "main", overwrite=args.overwrite)
    if run.skip():
        return
    docs = framing.load_demo_corpus()
    labelled = label_documents(docs)
    gold = framing.load_gold(corpora=["seeds"])[["doc_id", "start", *LABELS]]
    labelled = labelled.merge(gold, on=["doc_id", "start"], how="left", suffixes=("", "_gold"), validate="one_to_one")
    events = pd.read_csv(ROOT / "data" / "corpus" / "events.csv")
    covering = {r.event_id: r.doc_ids.split(";") for r in events.itertuples()}
    rows, quotes = [], {}
    for event, spec in config["events"].items():
        mention = labelled["text"].str.contains(re.compile(spec["pattern"], re.I))
        part = labelled[labelled["doc_id"].isin(covering[event]) & mention].assign(event=event)
        rows.append(part)
        quotes[event] = {"name": spec["name"], "documents": sorted(part["doc_id"].unique()), "n_sentences": len(part)}
        for lab in LABELS:
            read = part[part[f"{lab}_gold"] == 1].sort_values(f"p_{lab}", ascending=False)
            quotes[event][lab] = [
                {"doc_id": r.doc_id, "outlet": r.outlet, "text": r.text, "model": bool(getattr(r, lab)),
                 "p": float(getattr(r, f"p_{lab}")),
                 "cues": sorted({f"{e['cue_type']}: {e['match']}" for e in json.loads(r.evidence) if e["label"] == lab})}
                for r in read.head(config["quotes_per_label"]).itertuples()]
            quotes[event][f"{lab}_counts"] = {"gold": int(part[f"{lab}_gold"].sum()), "model": int(part[lab].sum()),
                                              "both": int((part[lab] & part[f"{lab}_gold"]).sum())}
    passages = pd.concat(rows, ignore_index=True)
    summary = passages.groupby(["event", "doc_id", "outlet"], dropna=False).agg(
        sentences=("text", "size"), **{f"{lab}_model": (lab, "sum") for lab in LABELS},
        **{f"{lab}_gold": (f"{lab}_gold", "sum") for lab in LABELS}).reset_index()
    cols = ["event", "doc_id", "outlet", "start", "end", "text", *LABELS, *[f"{x}_gold" for x in LABELS],
            *[f"p_{x}" for x in LABELS], "evidence"]
    run.write({"events": quotes, "n_sentences": len(passages)}, config,
              {"passages": passages[cols], "summary": summary})
    print(summary.to_string(index=False))


if __name__ == "__main__":
    main()
