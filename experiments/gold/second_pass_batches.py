"""Batches for a blind second annotation pass over the dev and test splits.

Why: outside the 300-sentence agreement subset every gold label came from one annotator,
and that subset was drawn from round-1 random sentences only, where most sentences are
clear negatives. The dev split tunes the thresholds and the test split scores the model,
so both get a second, independent reading. Disagreements then go to a third blind reader
(``--round 3``) and the label is the majority of the three readings
(``build_gold.py``).

The sentences are the ones the first pass saw (``data/annotations/batches/*.jsonl``, built
by ``sample_sentences.py`` from the corpora, never committed): id, previous sentence,
sentence, next sentence. Nothing else goes into a batch: no first-pass label, no note, no
sampling stratum and nothing from the project's cue rules or classifier. The order is
shuffled with a fixed seed.

Run::

    python experiments/gold/second_pass_batches.py            # round 2: all of dev + test
    python experiments/gold/second_pass_batches.py --round 3  # round 3: the disagreements

Writes ``data/annotations/batches/pass{2,3}_<k>.jsonl``; the annotators' answers go to
``data/annotations/labels/pass{2,3}_<k>.pass{2,3}.jsonl``.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from framing.corpus import iter_jsonl
from framing.columns import LABEL_NAMES

ROOT = Path(__file__).resolve().parents[2]
ANN = ROOT / "data" / "annotations"
BATCHES = ANN / "batches"


def read_jsonl(path: Path) -> list[dict]:
    """The records of a JSON Lines file, gzipped or not (errors name the file and line)."""
    return list(iter_jsonl(path))


def first_pass_items() -> dict[str, dict]:
    """The annotation items (id, before, sentence, after) of every first-pass batch."""
    items: dict[str, dict] = {}
    for f in sorted(BATCHES.glob("*.jsonl")):
        if f.stem == "agreement" or f.stem.startswith("pass"):
            continue
        for rec in read_jsonl(f):
            items[rec["id"]] = {k: rec[k] for k in ("id", "before", "sentence", "after")}
    if not items:
        raise SystemExit(f"{BATCHES}: no first-pass batches; run experiments/gold/sample_sentences.py first")
    return items


def read_pass(n: int) -> dict[str, list[str]]:
    """Labels of annotation pass ``n`` (files ``labels/*.pass<n>.jsonl``, not the agreement subset)."""
    out: dict[str, list[str]] = {}
    for f in sorted((ANN / "labels").glob(f"pass{n}_*.pass{n}.jsonl")):
        for k, rec in enumerate(read_jsonl(f), start=1):
            bad = set(rec["labels"]) - set(LABEL_NAMES)
            if bad:
                raise SystemExit(f"{f}, line {k}, field labels: unknown labels {sorted(bad)}")
            if rec["id"] in out:
                raise SystemExit(f"{f}, line {k}, field id: {rec['id']} answered twice")
            out[rec["id"]] = rec["labels"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", type=int, choices=(2, 3), default=2)
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()

    gold = read_jsonl(ANN / "gold.jsonl.gz")
    agreement = {r["id"] for r in read_jsonl(ANN / "labels" / "agreement.pass2.jsonl")}
    # dev + test items not already read twice in the agreement study
    ids = sorted(g["item_id"] for g in gold if g["split"] in ("dev", "test") and g["item_id"] not in agreement)
    if args.round == 3:
        first = {g["item_id"]: sorted(g["labels"]) for g in gold}
        second = read_pass(2)
        missing = sorted(set(ids) - set(second))
        if missing:
            raise SystemExit(f"{len(missing)} items have no second-pass label yet, e.g. {missing[:5]}")
        ids = [i for i in ids if sorted(second[i]) != first[i]]
    items = first_pass_items()
    missing = sorted(set(ids) - set(items))
    if missing:
        raise SystemExit(f"{len(missing)} items are in no first-pass batch, e.g. {missing[:5]}")
    rng = np.random.default_rng(args.seed + args.round)
    order = [ids[i] for i in rng.permutation(len(ids))]
    for old in BATCHES.glob(f"pass{args.round}_*.jsonl"):
        old.unlink()
    for b, part in enumerate(np.array_split(np.arange(len(order)), args.batches), start=1):
        with open(BATCHES / f"pass{args.round}_{b}.jsonl", "w", encoding="utf-8") as fh:
            for i in part:
                fh.write(json.dumps(items[order[i]], ensure_ascii=False) + "\n")
    print(f"round {args.round}: {len(order)} sentences in {args.batches} batches under {BATCHES}")


if __name__ == "__main__":
    main()
