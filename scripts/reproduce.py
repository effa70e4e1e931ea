"""``make reproduce``: every experiment from data to paper PDF, from scratch, timed.

Runs ``experiments/run_all.py --overwrite`` (all results, the shipped model, figures, the
README's generated blocks), then ``paper/build.py`` (the paper's numbers, HTML and PDF),
and writes the wall time to ``results/reproduce/timing.json`` (the README reports it).
Without the external corpora it says so and reproduces what the bundled data allows.

Run: ``make reproduce``
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    import framing

    have = (framing.data_home() / "basil.jsonl.gz").exists()
    t0 = time.time()
    subprocess.run([sys.executable, str(ROOT / "experiments" / "run_all.py"), "--overwrite"], check=True, cwd=ROOT)
    results_s = time.time() - t0
    if not have:
        print("The paper needs the results of the external corpora; set FRAMING_DATA (e.g. ../shared/corpora) and run "
              "'make reproduce' again. Done: what the bundled data allows.")
        return 0
    # the figures and summary were written by run_all; rebuild the summary after the timing below
    subprocess.run([sys.executable, str(ROOT / "paper" / "build.py")], check=True, cwd=ROOT)
    total = time.time() - t0
    out = ROOT / "results" / "reproduce"
    out.mkdir(parents=True, exist_ok=True)
    (out / "timing.json").write_text(json.dumps({
        "wall_seconds": round(total), "results_seconds": round(results_s), "date": date.today().isoformat(),
        "cpus": os.cpu_count(), "python": platform.python_version(), "command": "make reproduce"}, indent=2) + "\n")
    # the README's line about this run comes from the timing file just written
    subprocess.run([sys.executable, str(ROOT / "experiments" / "summarize.py")], check=True, cwd=ROOT)
    subprocess.run([sys.executable, str(ROOT / "paper" / "build.py")], check=True, cwd=ROOT)
    print(f"make reproduce: {total / 60:.0f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
