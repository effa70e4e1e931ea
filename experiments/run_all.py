"""Regenerate every result, the shipped model, figures and generated documents, in order.

Finished runs are skipped unless ``--overwrite``. Needs the corpora in the data home
(``FRAMING_DATA``). Run: ``make results`` or ``python experiments/run_all.py``.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = [
    ["gold/build_gold.py"],
    ["segmentation_f1.py"],
    ["evaluate_classifier.py"],
    ["train_pretrained.py"],
    ["figures.py"],
    ["summarize.py"],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overwrite", action="store_true", help="re-run finished runs")
    args = parser.parse_args()
    for step in STEPS:
        cmd = [sys.executable, str(HERE / step[0]), *step[1:]]
        if args.overwrite and step[0] in ("segmentation_f1.py", "evaluate_classifier.py"):
            cmd.append("--overwrite")
        print("+", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True, cwd=HERE.parent)


if __name__ == "__main__":
    main()
