"""Peak memory of the streaming commands per input size: ``framing segment``, ``framing label
--passages``, ``framing corpus info --sentences`` (and ``framing label`` on documents, for
comparison); ``segment`` writing CSV and Parquet, ``label --passages`` reading each.

For each size, writes a gzipped JSON Lines corpus of the first documents of Tehran Times
(distinct real documents) with about N sentences, or takes the whole corpus for ``all``,
then runs each command in a fresh child process and reads its peak resident memory
(``VmHWM`` of the child's own ``/proc/self/status``; ``ru_maxrss`` would carry the forking
parent's peak over). ``label --passages`` labels the CSV and the Parquet file that
``segment`` wrote for the same size. Prints a table and writes ``results/benchmark/memory.csv``.

``--pythonpath DIR`` runs the commands from another checkout of framing (its ``framing``
package importable from DIR), e.g. the code before a change, for a before/after table;
``--out`` then names another file.

This is a benchmark, not a test: nothing here passes or fails.
Run: ``FRAMING_DATA=../shared/corpora python benchmarks/bench_memory.py [--sizes 100000 300000 all]``
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time
t0 = time.perf_counter()
from framing.cli import main
code = main(sys.argv[1:])
dt = time.perf_counter() - t0
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print("BENCH", dt, hwm / 1024, file=sys.stderr)
sys.exit(code)
"""


def make_corpus(path: Path, n_sentences: int | None) -> int:
    """The first documents of Tehran Times up to about ``n_sentences`` (all of it for None)."""
    import framing
    from framing.corpus import iter_jsonl

    total = 0
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for rec in iter_jsonl(framing.data_home() / "tehran_times.jsonl.gz"):
            if n_sentences is not None and total >= n_sentences:
                break
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            total += len(framing.sentence_spans(rec["text"]))
    return total


def run(argv: list[str], pythonpath: str | None, cwd: str) -> tuple[float, float, str]:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    # cwd: a folder without a framing package, so that "-c" imports the one asked for
    res = subprocess.run([sys.executable, "-c", CHILD, "-q", *argv], capture_output=True, text=True, env=env, cwd=cwd)
    if res.returncode != 0:
        raise SystemExit(f"{argv}: exit {res.returncode}\n{res.stderr[-3000:]}")
    line = next(x for x in res.stderr.splitlines() if x.startswith("BENCH"))
    _, seconds, peak = line.split()
    return float(seconds), float(peak), res.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["100000", "300000", "all"],
                        help="sentences per corpus, or 'all' for the whole of Tehran Times")
    parser.add_argument("--pythonpath", help="run the commands from this checkout's framing package")
    parser.add_argument("--code", default="this checkout", help="what code ran, for the table (e.g. a commit)")
    parser.add_argument("--out", default=str(ROOT / "results" / "benchmark" / "memory.csv"))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            src = Path(tmp) / f"docs_{size}.jsonl.gz"
            n = make_corpus(src, None if size == "all" else int(size))
            passages = Path(tmp) / f"passages_{size}.csv"
            parquet = Path(tmp) / f"passages_{size}.parquet"
            commands = {
                "segment -o .csv": ["segment", str(src), "-o", str(passages)],
                "segment -o .parquet": ["segment", str(src), "-o", str(parquet)],
                "label --passages .csv": ["label", str(passages), "--passages", "-o", str(Path(tmp) / "lp.parquet")],
                "label --passages .parquet": ["label", str(parquet), "--passages", "-o", str(Path(tmp) / "lq.parquet")],
                "corpus info --sentences": ["corpus", "info", str(src), "--sentences", "--json"],
                "label (documents)": ["label", str(src), "-o", str(Path(tmp) / "ld.parquet")],
            }
            for name, argv in commands.items():
                seconds, peak, out = run(argv, args.pythonpath, tmp)
                if name == "corpus info --sentences":
                    assert json.loads(out)["sentences"] == n, (json.loads(out)["sentences"], n)
                rows.append({"code": args.code, "command": name, "corpus": "tehran_times" + ("" if size == "all" else f" first {size}"),
                             "n_sentences": n, "input_mb": round(src.stat().st_size / 1e6, 1),
                             "seconds": round(seconds, 1), "peak_rss_mb": round(peak)})
                print(rows[-1], flush=True)
            assert len(pd.read_csv(passages, usecols=["passage_id"])) == n
    table = pd.DataFrame(rows)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
