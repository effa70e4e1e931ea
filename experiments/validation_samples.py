"""Gold validation samples for the outlet comparisons (E3 BASIL, E4 AllSides stories, E5 covid_origins).

Each sample is a stratified probability sample of the passages an experiment analyses:
every sentence of the corpus (of the experiment's documents), labelled by the shipped
model of the day, stratified by group x predicted label, drawn by
:func:`framing.sampling.sample_for_validation` with the inclusion probability of every
sampled sentence recorded. The sentences are then read against ``data/codebook.md`` by
annotator sessions that see only the codebook and each sentence with its neighbours;
never a prediction, a score or a stratum. The labels make the corrected (prediction-
powered) estimates of ``framing.compare`` possible. They are **never training data**: the
annotation rounds (``active_round.py``) exclude every document of a validation sample.

Writes ``data/annotations/validation/<name>.jsonl`` (stand-off item, stratum, stratum size,
stratum n, inclusion probability, and the model file's SHA-256) and blind, shuffled batches
``data/annotations/batches/validation_<name>_<k>.jsonl`` (id, before, sentence, after), plus
``..._dbl_<k>.jsonl`` for a blind second reading of a random share.

Run: ``FRAMING_DATA=../shared/corpora python experiments/validation_samples.py basil``
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.model import PRETRAINED_PATH
from framing.annotate import write_reading_batch
from framing.sampling import add_context, sample_for_validation, text_sha1
from experiment_data import documents, load_config, passages  # same folder (experiments/)

ROOT = Path(__file__).resolve().parents[1]
ANN = ROOT / "data" / "annotations"
BATCHES = ANN / "batches"

#: name -> the experiment config whose passages are the population, sample size, strata, id prefix
SAMPLES: dict[str, dict[str, Any]] = {
    "basil": {"config": "e3_basil", "n": 500, "strata": ["outlet", "predicted"], "prefix": "vb"},
    "allsides_stories": {"config": "e4_allsides_stories", "n": 500, "strata": ["bias", "predicted"], "prefix": "va"},
    "covid_origins": {"config": "e5_covid_origins", "n": 600, "strata": ["outlet", "predicted"], "prefix": "vc",
                      "allocation": "balanced"},
    "allsides_demo": {"config": "demo_allsides", "n": 200, "strata": ["bias", "predicted"], "prefix": "vd",
                      "allocation": "balanced"},
}
DOUBLE_SHARE = 0.15
SEED = 20261204


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=sorted(SAMPLES))
    parser.add_argument("--batches", type=int, default=2)
    parser.add_argument("--force", action="store_true", help="overwrite an existing sample (never after reading)")
    args = parser.parse_args()
    spec = SAMPLES[args.name]
    out = ANN / "validation" / f"{args.name}.jsonl"
    if out.exists() and not args.force:
        raise SystemExit(f"{out} exists; a drawn sample is fixed once it is read (use --force only before)")

    config = load_config(spec["config"])
    docs = documents(config)
    labelled, info = passages(config, docs)
    print(f"{args.name}: {info}")
    labelled = add_context(labelled)
    sample = sample_for_validation(labelled, spec["n"], strata=spec["strata"], random_state=SEED,
                                   allocation=spec.get("allocation", "sqrt"))
    rng = np.random.default_rng(SEED)
    sample = sample.iloc[rng.permutation(len(sample))].reset_index(drop=True)
    sample["item_id"] = [f"{spec['prefix']}{i:04d}" for i in range(len(sample))]
    sample["sha1"] = sample["text"].map(text_sha1)
    model_sha = sha256(PRETRAINED_PATH)
    strata_table = (labelled.assign(stratum=sample_key(labelled, spec["strata"]))
                    .groupby("stratum").size().rename("stratum_size").reset_index())

    out.parent.mkdir(parents=True, exist_ok=True)
    cols = ["item_id", "corpus", "doc_id", "start", "end", "sha1", "stratum", "stratum_size", "stratum_n",
            "inclusion_prob"]
    with open(out, "w", encoding="utf-8") as fh:
        for rec in sample[cols].to_dict("records"):
            rec.update(sample_name=args.name, population_passages=len(labelled), model_sha256=model_sha,
                       strata_columns=spec["strata"], random_state=SEED)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    strata_table.to_csv(out.with_suffix(".strata.csv"), index=False)

    BATCHES.mkdir(parents=True, exist_ok=True)
    items = sample[["item_id", "before", "text", "after"]].rename(columns={"item_id": "id", "text": "sentence"})
    for b, part in enumerate(np.array_split(np.arange(len(items)), args.batches), start=1):
        write_reading_batch(items.iloc[part], BATCHES / f"validation_{args.name}_{b}.jsonl")
    dbl = items.iloc[np.sort(rng.permutation(len(items))[: int(round(DOUBLE_SHARE * len(items)))])]
    write_reading_batch(dbl.iloc[rng.permutation(len(dbl))], BATCHES / f"validation_{args.name}_dbl_1.jsonl")
    print(f"{args.name}: {len(labelled)} passages, {sample['stratum'].nunique()} strata, {len(sample)} sampled "
          f"({len(dbl)} to be read twice) -> {out}")
    print(sample.groupby("stratum")[["stratum_size", "stratum_n"]].first().to_string())


def sample_key(frame: pd.DataFrame, strata: list[str]) -> pd.Series:
    """The stratum of every passage of the population (as sample_for_validation forms it)."""
    from framing.sampling import predicted_stratum

    frame = frame.copy()
    if "predicted" in strata and "predicted" not in frame.columns:
        frame["predicted"] = predicted_stratum(frame)
    key = None
    for col in strata:
        part = frame[col].astype(object).where(frame[col].notna(), "(missing)").astype(str)
        key = part if key is None else key + " | " + part
    return key


if __name__ == "__main__":
    main()
