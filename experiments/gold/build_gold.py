"""Assemble the gold set from the annotation passes, adjudication and fixed splits.

Inputs (all in ``data/annotations/``): ``sample.jsonl`` (stand-off positions of the
external sentences and how each was drawn), ``labels/*.pass1.jsonl`` (first pass, read
against the codebook), ``labels/agreement.pass2.jsonl`` (blind second pass on 300
random sentences), ``agreement/adjudication.jsonl`` (decisions on the disagreements), and
the hand-checked seed sentences ``tests/fixtures/seed_sentences.jsonl``.

Outputs: ``data/annotations/gold.jsonl`` and ``results/agreement/metrics.json``
(Krippendorff's alpha per label, computed before adjudication).

Splits are fixed once here: documents (not sentences) are shuffled per corpus with
``--random-state`` and cut 70/15/15 into train/dev/test (documents with a
``forced_confession_noted`` positive are cut 60/20/20 on their own, so that every split
has some); the cross-corpus fold of a sentence is its corpus.

Run: ``python experiments/gold/build_gold.py``
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from framing.agreement import alpha_per_label
from framing.columns import LABEL_NAMES
from framing.gold import _sha1, write_gold

ROOT = Path(__file__).resolve().parents[2]
ANN = ROOT / "data" / "annotations"


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random-state", type=int, default=7)
    args = parser.parse_args()

    pass1: dict[str, dict] = {}
    for f in sorted((ANN / "labels").glob("*.pass1.jsonl")):
        for rec in read_jsonl(f):
            if rec["id"] in pass1:
                raise SystemExit(f"{f}: id {rec['id']} answered twice")
            pass1[rec["id"]] = rec
    pass2 = {r["id"]: r for r in read_jsonl(ANN / "labels" / "agreement.pass2.jsonl")}
    adjudicated = {r["item_id"]: r for r in read_jsonl(ANN / "agreement" / "adjudication.jsonl")}

    for rec in list(pass1.values()) + list(pass2.values()):
        bad = set(rec["labels"]) - set(LABEL_NAMES)
        if bad:
            raise SystemExit(f"item {rec['id']}: unknown labels {bad}")

    # agreement, before adjudication
    ids = sorted(pass2)
    first = pd.DataFrame([{lab: int(lab in pass1[i]["labels"]) for lab in LABEL_NAMES} for i in ids], index=ids)
    second = pd.DataFrame([{lab: int(lab in pass2[i]["labels"]) for lab in LABEL_NAMES} for i in ids], index=ids)
    alpha = alpha_per_label(first, second, LABEL_NAMES)
    disagreements = [i for i in ids if (first.loc[i] != second.loc[i]).any()]
    missing = sorted(set(disagreements) - set(adjudicated))
    if missing:
        raise SystemExit(f"disagreements without an adjudication decision: {missing}")

    records = []
    sample = read_jsonl(ANN / "sample.jsonl")
    for s in sample:
        i = s["item_id"]
        if i not in pass1:
            raise SystemExit(f"sample item {i} has no first-pass label")
        labels, who = pass1[i]["labels"], "pass1"
        if i in pass2:
            who = "pass1+pass2"
        if i in adjudicated:
            labels, who = adjudicated[i]["labels"], "adjudicated"
        records.append({
            "item_id": i, "corpus": s["corpus"], "doc_id": s["doc_id"], "start": s["start"], "end": s["end"],
            "sha1": s["sha1"], "text": None, "labels": sorted(labels, key=LABEL_NAMES.index),
            "sampling": s["sampling"], "annotator_pass": who, "note": pass1[i].get("note", ""),
        })
    seeds = read_jsonl(ROOT / "tests" / "fixtures" / "seed_sentences.jsonl")
    for k, s in enumerate(seeds):
        i = f"s{k:04d}"
        records.append({
            "item_id": i, "corpus": "seeds", "doc_id": s["doc_id"], "start": s["start"], "end": s["end"],
            "sha1": _sha1(s["text"]), "text": s["text"],
            "labels": sorted(pass1[i]["labels"], key=LABEL_NAMES.index),
            "sampling": "census:seeds", "annotator_pass": "pass1", "note": pass1[i].get("note", ""),
        })

    # document-grouped splits, per corpus; documents holding the rare label are split on
    # their own (60/20/20) so that dev and test both have forced-confession positives
    rng = np.random.default_rng(args.random_state)
    split_of: dict[tuple[str, str], str] = {}
    frame = pd.DataFrame(records)
    rare = {(r["corpus"], r["doc_id"]) for r in records if "forced_confession_noted" in r["labels"]}
    rare_docs = sorted(rare)
    for rank, j in enumerate(rng.permutation(len(rare_docs))):
        cut = rank / len(rare_docs)
        split_of[rare_docs[j]] = "train" if cut < 0.6 else ("dev" if cut < 0.8 else "test")
    for corpus, part in frame.groupby("corpus", sort=True):
        docs = sorted(d for d in part["doc_id"].unique() if (corpus, d) not in rare)
        order = rng.permutation(len(docs))
        n = len(docs)
        n_train, n_dev = int(round(0.70 * n)), int(round(0.15 * n))
        for rank, j in enumerate(order):
            split_of[(corpus, docs[j])] = "train" if rank < n_train else ("dev" if rank < n_train + n_dev else "test")
    for rec in records:
        rec["split"] = split_of[(rec["corpus"], rec["doc_id"])]
        rec["fold"] = rec["corpus"]
    records.sort(key=lambda r: (r["corpus"], r["doc_id"], r["start"]))
    write_gold(records, ANN / "gold.jsonl")

    out = ROOT / "results" / "agreement"
    out.mkdir(parents=True, exist_ok=True)
    metrics = {
        "n_units": len(ids),
        "n_disagreements": len(disagreements),
        "second_annotator": "independent helper session that saw only data/codebook.md and the sentences",
        "alpha": {r.label: round(float(r.alpha), 4) for r in alpha.itertuples()},
        "per_label": alpha.round(4).to_dict(orient="records"),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")

    frame = pd.DataFrame(records)
    for lab in LABEL_NAMES:
        frame[lab] = frame["labels"].map(lambda ls, lab=lab: lab in ls)
    print(f"{len(frame)} sentences; splits: {frame['split'].value_counts().to_dict()}")
    print(frame.groupby("corpus")[list(LABEL_NAMES)].sum().assign(n=frame.groupby("corpus").size()).to_string())
    print(frame.groupby("split")[list(LABEL_NAMES)].sum().to_string())
    print("alpha:", metrics["alpha"])


if __name__ == "__main__":
    main()
