"""Labelling on a Dask cluster: throughput with 1 and 2 worker processes, peak memory per
worker, and the speed-up as a ratio of the two times measured in the same run.

Builds a partitioned Parquet corpus of at least ``--sentences`` sentences from the news
corpora in the data home (Tehran Times, COVID origins, AllSides, Daily Mail, ... in turn,
each document once; where the distinct documents run out, they are used again under new
ids, and the table says how many were), then for each worker count starts a
``distributed.LocalCluster`` (one thread per worker process), registers
:func:`framing.dask.worker_plugin` (model loaded once per worker, garbage collector
frozen), and times reading the Parquet files, labelling and writing partitioned Parquet
(:func:`framing.dask.read_corpus` -> :func:`framing.label_documents` ->
:func:`framing.dask.to_parquet`). Cluster start-up and model loading are timed apart.
Peak memory per worker is the largest ``VmHWM`` of the worker processes. Prints a table
and writes ``results/benchmark/dask.csv``.

This is a benchmark, not a test: nothing here passes or fails. On a 2-core machine shared
with other work, 2 workers cannot do better than 2x.
Run: ``FRAMING_DATA=../shared/corpora python benchmarks/bench_dask.py [--sentences 2000000]``
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("tehran_times", "covid_origins", "allsides", "dailymail_2020", "polnear", "semeval2023_en", "ecbplus",
           "allsides_stories", "basil")


def build_corpus(folder: Path, n_sentences: int, partitions: int) -> dict:
    """Write >= n_sentences sentences of documents as ``partitions`` Parquet files."""
    import framing
    from framing.corpus import iter_corpus

    rows, total, distinct = [], 0, 0
    docs = []
    for name in SOURCES:
        path = framing.data_home() / f"{name}.jsonl.gz"
        if not path.exists():
            continue
        for chunk in iter_corpus(path, corpus=name, chunk_size=2000, errors="coerce"):
            for rec in chunk[["corpus", "doc_id", "outlet", "date", "title", "text"]].to_dict("records"):
                n = len(framing.sentence_spans(rec["text"]))
                docs.append((rec, n))
    distinct = len(docs)
    k = 0
    while total < n_sentences:
        rec, n = docs[k % distinct]
        copy = k // distinct
        rows.append({**rec, "doc_id": f"{rec['corpus']}:{rec['doc_id']}" + (f"#copy{copy}" if copy else "")})
        total += n
        k += 1
    frame = pd.DataFrame(rows)
    folder.mkdir(parents=True, exist_ok=True)
    size = -(-len(frame) // partitions)
    for i in range(partitions):
        frame.iloc[i * size:(i + 1) * size].to_parquet(folder / f"part.{i:03d}.parquet", index=False)
    return {"n_sentences": total, "n_documents": len(frame), "distinct_documents": min(distinct, len(frame)),
            "repeated_documents": max(0, len(frame) - distinct)}


def peak_mb() -> float:
    return next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:")) / 1024


def run(folder: Path, out: Path, workers: int) -> dict:
    import distributed

    import framing
    import framing.dask as fdask

    t0 = time.perf_counter()
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                  memory_limit="6GiB") as cluster, distributed.Client(cluster) as client:
        client.register_plugin(fdask.worker_plugin())
        start = time.perf_counter() - t0
        t1 = time.perf_counter()
        fdask.to_parquet(framing.label_documents(fdask.read_corpus(folder)), out)
        seconds = time.perf_counter() - t1
        peaks = client.run(peak_mb)
    n = len(pd.read_parquet(out, columns=["passage_id"]))
    return {"workers": workers, "n_passages": n, "seconds": round(seconds, 1),
            "sentences_per_s": round(n / seconds), "peak_worker_rss_mb": round(max(peaks.values())),
            "startup_seconds": round(start, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2_000_000)
    parser.add_argument("--partitions", type=int, default=32)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", default=str(ROOT / "results" / "benchmark" / "dask.csv"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = build_corpus(Path(tmp) / "corpus", args.sentences, args.partitions)
        print(corpus, flush=True)
        rows = []
        for workers in args.workers:
            row = {**corpus, "partitions": args.partitions, "cpus": os.cpu_count(),
                   **run(Path(tmp) / "corpus", Path(tmp) / f"out{workers}", workers)}
            assert row["n_passages"] == corpus["n_sentences"], (row["n_passages"], corpus["n_sentences"])
            rows.append(row)
            print(row, flush=True)
    table = pd.DataFrame(rows)
    base = table.loc[table["workers"] == min(args.workers), "seconds"].iloc[0]
    table["speedup"] = (base / table["seconds"]).round(2)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
