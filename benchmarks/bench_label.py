"""Throughput and memory of end-to-end labelling: read -> segment -> featurize -> predict -> write,
as a ratio to a floor measured in the same run on the same file.

For each N, writes a gzipped JSON Lines corpus of about N sentences (distinct real Tehran
Times documents, none repeated), then, ``--repeats`` times, runs in fresh child processes
(a) the floor: reading that file and splitting each text on ``[.!?]`` in plain Python
(gzip, json, re), and (b) labelling it (the ``framing label`` code path: streamed reading,
batches of 4,096 passages, Parquet output). Each labelling run's time is divided by the
floor run just before it: the ratio, whose median and range are reported, moves far less
than absolute rates on a shared virtual machine. Both times are end to end, so labelling
includes its fixed start-up (imports, loading the model, about 2 s); the marginal ratio,
(labelling time at the largest N - at the smallest) / (floor time at the largest N - at the
smallest), leaves that out and says what each additional sentence costs. Sentences per
second (median run, slowest and fastest) and the largest peak resident memory are given
beside. Also times each stage on 400 documents with a cold segmenter. Prints a table and
writes ``results/benchmark/label_throughput.csv`` and ``results/benchmark/stages.csv``.

This is a benchmark, not a test: nothing here passes or fails.
Run: ``FRAMING_DATA=../shared/corpora python benchmarks/bench_label.py [--sizes 10000 50000 200000 400000]``
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

# Peak memory is VmHWM of the child's own address space (ru_maxrss would carry over the
# forking parent's peak across exec).
CHILD = r"""
import sys, time
t0 = time.perf_counter()
from framing.cli import main
code = main(["-q", "label", sys.argv[1], "-o", sys.argv[2], "--batch-size", "4096"])
dt = time.perf_counter() - t0
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(dt, hwm / 1024)
sys.exit(code)
"""


# The floor: read the same gzip JSON Lines file and split each text on [.!?], in plain Python.
FLOOR = r"""
import sys, time
t0 = time.perf_counter()
import gzip, json, re
split = re.compile(r"[.!?]").split
n = 0
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as fh:
    for line in fh:
        n += len(split(json.loads(line)["text"]))
print(time.perf_counter() - t0, n)
"""


def make_corpus(path: Path, n_sentences: int, pool: pd.DataFrame) -> int:
    """Write distinct documents (no repeats, so memoisation cannot flatter) up to n sentences."""
    import framing

    total = 0
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for k, text in enumerate(pool["text"]):
            if total >= n_sentences:
                break
            fh.write(json.dumps({"doc_id": f"d{k}", "outlet": "Tehran Times", "text": text}) + "\n")
            total += len(framing.sentence_spans(text))
    if total < n_sentences:
        raise SystemExit(f"the pool holds only {total} sentences")
    return total


def stages(pool: pd.DataFrame) -> pd.DataFrame:
    import framing
    from framing.features import as_texts

    from framing.segment import _tokenizer

    clf = framing.load_pretrained()
    docs = pool.head(400)
    _tokenizer.cache_clear()  # a cold segmenter: no memoised boundary decisions
    rows = []
    t = time.perf_counter()
    passages = framing.segment(docs)
    rows.append(("segment (Punkt)", time.perf_counter() - t))
    texts = as_texts(passages["text"].tolist())
    t = time.perf_counter()
    clf.cue_features_.transform(texts)
    rows.append(("cue features", time.perf_counter() - t))
    t = time.perf_counter()
    F = clf.vectorizer_.transform(texts)
    rows.append(("word n-grams (TF-IDF)", time.perf_counter() - t))
    t = time.perf_counter()
    clf.predict_proba(texts)
    rows.append(("predict_proba (features + 4 models)", time.perf_counter() - t))
    t = time.perf_counter()
    clf.predict_with_evidence(texts)
    rows.append(("predict_with_evidence", time.perf_counter() - t))
    del F
    n = len(texts)
    return pd.DataFrame([{"stage": s, "n_sentences": n, "seconds": round(d, 3), "sentences_per_s": round(n / d)}
                         for s, d in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000, 400_000])
    parser.add_argument("--repeats", type=int, default=5,
                        help="fresh-process runs per size; the table gives their median and range")
    parser.add_argument("--out", default=str(ROOT / "results" / "benchmark"))
    parser.add_argument("--pythonpath", help="label with this checkout's framing package (e.g. older code, for a "
                                             "before/after comparison; write it elsewhere with --out)")
    args = parser.parse_args()
    import framing

    # distinct real documents, newest ids first (the corpus ids are roughly chronological)
    pool = framing.load_corpus("tehran_times").iloc[::-1].reset_index(drop=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    stage_table = stages(pool)
    print(stage_table.to_string(index=False))
    stage_table.to_csv(out / "stages.csv", index=False)

    env = {**os.environ, **({"PYTHONPATH": args.pythonpath} if args.pythonpath else {})}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            src, dst = Path(tmp) / f"c{n}.jsonl.gz", Path(tmp) / f"o{n}.parquet"
            total = make_corpus(src, n, pool)
            runs, floors = [], []
            for _ in range(args.repeats):  # floor and labelling alternate, so both see the same machine
                floor = subprocess.run([sys.executable, "-c", FLOOR, str(src)], capture_output=True, text=True,
                                       check=True)
                floors.append(float(floor.stdout.split()[0]))
                res = subprocess.run([sys.executable, "-c", CHILD, str(src), str(dst)], capture_output=True, text=True,
                                     env=env, cwd=tmp)  # cwd: no framing package there, so PYTHONPATH decides
                if res.returncode != 0:
                    raise SystemExit(res.stderr)
                runs.append(tuple(map(float, res.stdout.split()[-2:])))
            labelled = len(pd.read_parquet(dst, columns=["passage_id"]))
            assert labelled == total, (labelled, total)
            seconds = sorted(r[0] for r in runs)
            median = statistics.median(seconds)
            ratios = sorted(r[0] / f for r, f in zip(runs, floors))
            rows.append({"n_sentences": labelled, "input_mb": round(src.stat().st_size / 1e6, 1), "runs": len(runs),
                         "seconds": round(median, 2), "sentences_per_s": round(labelled / median),
                         "sentences_per_s_min": round(labelled / seconds[-1]),
                         "sentences_per_s_max": round(labelled / seconds[0]),
                         "peak_rss_mb": round(max(r[1] for r in runs)),
                         "floor_seconds": round(statistics.median(floors), 3),
                         "floor_sentences_per_s": round(labelled / statistics.median(floors)),
                         "ratio": round(statistics.median(ratios), 1), "ratio_min": round(ratios[0], 1),
                         "ratio_max": round(ratios[-1], 1)})
            print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    small, big = table.iloc[0], table.iloc[-1]
    if len(table) > 1:
        # what each additional sentence costs, start-up left out
        table["marginal_ratio"] = round((big["seconds"] - small["seconds"])
                                        / (big["floor_seconds"] - small["floor_seconds"]), 1)
    table.to_csv(out / "label_throughput.csv", index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
