"""Model cost of each candidate configuration of the combined classifier.

The ``selection`` run of ``experiments/evaluate_classifier.py`` compares candidate
configurations by accuracy; this benchmark says which of them fit the speed target. Each
candidate is fitted on the gold train split (thresholds on dev) and times
``predict_with_evidence`` (featurise + predict + evidence, the model's share of
``framing label``) on the same real sentences, median of ``--repeats`` runs taken in turn. The
end-to-end rate a candidate would reach is estimated as the measured end-to-end time per
sentence of the shipped configuration (``results/benchmark/label_throughput.csv``, largest
N) plus the candidate's extra model time; ``within_budget`` says whether that rate is at
least the target (20,000 sentences/s).

Writes ``results/benchmark/candidates.csv``; prints the table. A benchmark, not a test.
Run (after ``bench_label.py``): ``FRAMING_DATA=../shared/corpora python benchmarks/bench_candidates.py``
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "experiments"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="sentences to label per run")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import framing
    from evaluate_classifier import CANDIDATES, LABELS, SEED
    from summarize import TARGET_SPEED

    gold = framing.load_gold()
    train, dev = gold[gold["split"] == "train"], gold[gold["split"] == "dev"]
    pool = framing.load_corpus("tehran_times")
    sentences: list[str] = []
    for text in pool["text"]:
        sentences += [text[s:e] for s, e in framing.sentence_spans(text)]
        if len(sentences) >= args.n:
            break
    sentences = sentences[: args.n]
    throughput = pd.read_csv(ROOT / "results" / "benchmark" / "label_throughput.csv").sort_values("n_sentences")
    end_to_end_us = 1e6 / float(throughput["sentences_per_s"].iloc[-1])

    models = {}
    for name, params in CANDIDATES.items():
        models[name] = framing.FramingClassifier(**params, random_state=SEED).fit(
            train["text"].tolist(), train[LABELS].to_numpy(), dev=(dev["text"].tolist(), dev[LABELS].to_numpy()))
        models[name].predict_with_evidence(sentences[:1000])  # warm caches (compiled tables)
    times: dict[str, list[float]] = {name: [] for name in models}
    for _ in range(args.repeats):  # round-robin, so that the machine's drift hits every candidate alike
        for name, model in models.items():
            t0 = time.perf_counter()
            model.predict_with_evidence(sentences)
            times[name].append(time.perf_counter() - t0)
    rows = [{"candidate": name, "n_sentences": len(sentences), "runs": args.repeats,
             "model_us_per_sentence": statistics.median(t) / len(sentences) * 1e6} for name, t in times.items()]
    table = pd.DataFrame(rows)
    reference = table["model_us_per_sentence"].iloc[0]  # the first candidate is the shipped default
    table["extra_us_per_sentence"] = table["model_us_per_sentence"] - reference
    table["estimated_sentences_per_s"] = 1e6 / (end_to_end_us + table["extra_us_per_sentence"])
    table["within_budget"] = table["estimated_sentences_per_s"] >= TARGET_SPEED
    out = ROOT / "results" / "benchmark" / "candidates.csv"
    table.to_csv(out, index=False, float_format="%.2f")
    print(f"end to end now: {end_to_end_us:.1f} us/sentence; target {TARGET_SPEED:,} sentences/s")
    print(table.to_string(index=False, float_format=lambda x: f"{x:,.2f}"))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
