"""Sentence-boundary F1 of framing's segmenter on the hand-checked seed corpus.

Writes ``results/segmentation/seeds/metrics.json``.
Run: ``python experiments/segmentation_f1.py``
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import framing
from framing.evaluate import boundary_f1
from framing.experiment import RunDir

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=str(ROOT / "results"))
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    run = RunDir(args.results, "segmentation", "seeds", overwrite=args.overwrite)
    if run.skip():
        return
    gold = [json.loads(line) for line in open(ROOT / "tests" / "fixtures" / "seed_sentences.jsonl", encoding="utf-8")]
    docs = framing.load_demo_corpus()
    g_ends = [(r["doc_id"], r["end"]) for r in gold]
    p_ends = [(d.doc_id, e) for d in docs.itertuples() for _, e in framing.sentence_spans(d.text)]
    precision, recall, f1 = boundary_f1(g_ends, p_ends)
    run.write({"precision": precision, "recall": recall, "f1": f1, "n_gold": len(g_ends), "n_predicted": len(p_ends)},
              {"fixture": "tests/fixtures/seed_sentences.jsonl", "boundary": "sentence end offsets"})
    print(f"boundary F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f}) on {len(g_ends)} sentences")


if __name__ == "__main__":
    main()
