"""Regenerate every result, the shipped model, the figures and the generated documents, in order.

Finished runs are skipped unless ``--overwrite`` (so ``make results`` rewrites nothing when
nothing changed; the shipped model is retrained only when its inputs changed). The steps
that need the external corpora (``FRAMING_DATA``, e.g. ``../shared/corpora``) are skipped
with a message when they are not there; the bundled data still gives the seed case study
(E2), the same-event demo and the segmentation check.

Run: ``make results`` or ``python experiments/run_all.py [--overwrite]``
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: (name, script and arguments, needs the external corpora, takes --overwrite)
STEPS: list[tuple[str, list[str], bool, bool]] = [
    ("gold set", ["gold/build_gold.py"], True, False),
    ("segmentation F1", ["segmentation_f1.py"], False, True),
    ("E0 event alignment", ["align_events.py"], True, True),
    ("E1 classifier evaluation", ["evaluate_classifier.py"], True, True),
    ("shipped model and card", ["train_pretrained.py"], True, False),
    ("E1 active vs random annotation", ["active_vs_random.py"], True, True),
    ("E2 seed case study", ["case_study.py"], False, True),
    ("demo comparison", ["compare_outlets.py", "demo_allsides"], False, True),
    *[(f"{name} ({variant or 'main'})", ["compare_outlets.py", config, *flags], True, True)
      for name, config in (("E3 BASIL", "e3_basil"), ("E4 AllSides stories", "e4_allsides_stories"),
                           ("E5 covid_origins", "e5_covid_origins"))
      for variant, flags in (("", []), ("paragraphs", ["--unit", "paragraph"]),
                             ("no wire copy", ["--exclude-duplicates"]), ("cue rules", ["--labeller", "cue_rules"]))],
    ("E6 robustness", ["robustness.py"], True, True),
    ("S1 comparison statistics on synthetic data", ["simulate_statistics.py"], False, True),
    ("paper figures", ["figures.py"], True, False),
    ("generated README and data card blocks", ["summarize.py"], True, False),
]


def corpora_available() -> bool:
    sys.path.insert(0, str(HERE.parent))
    import framing

    return (framing.data_home() / "basil.jsonl.gz").exists()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overwrite", action="store_true", help="re-run finished runs")
    args = parser.parse_args()
    have = corpora_available()
    if not have:
        print("The external corpora are not in the data home (set FRAMING_DATA, e.g. FRAMING_DATA=../shared/corpora):"
              " reproducing only what the bundled data allows (segmentation, E2, the demo).", flush=True)
    for name, step, needs_corpora, overwritable in STEPS:
        if needs_corpora and not have:
            print(f"- {name}: skipped (needs the external corpora)", flush=True)
            continue
        cmd = [sys.executable, str(HERE / step[0]), *step[1:]]
        if args.overwrite and overwritable:
            cmd.append("--overwrite")
        t0 = time.time()
        print(f"+ {name}: {' '.join(cmd[1:])}", flush=True)
        subprocess.run(cmd, check=True, cwd=HERE.parent)
        print(f"  {name}: {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
