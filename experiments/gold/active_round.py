"""One round of active annotation: choose the sentences to read next with the model retrained
on everything read before, and write blind batches for annotator sessions.

The pool is every sentence of every corpus in the data home, except:

* documents of the dev and test splits (``data/annotations/splits.csv``): they keep their
  doubly and triply read labels and are never sampled for training;
* documents of a gold validation sample (``data/annotations/validation/*.jsonl``): an
  experiment keeps them to correct its estimates, so they are never training data;
* sentences already read (and their near copies), boilerplate repeated in five or more
  documents, and fragments under five words or over 150.

A round draws (``framing.sampling.select_for_annotation``, seeded): a random control slice;
sentences near a label's decision threshold; expected positives of the weakest labels;
and, in the first round, a census of every remaining sentence that names a confession
(``forced_confession_noted`` is rare, so all of them are read). At most three sentences
of one document per kind of draw. New documents join the train split
(``build_gold.py``).

What annotators get (``data/annotations/batches/active_r<K>_<b>.jsonl``): id, the sentence
and its neighbours, shuffled; no stratum, score or prediction. A random 10 % of each
round goes to a second, blind reading by another annotator (``..._dbl_<b>.jsonl``).
The round's record, ``data/annotations/rounds/active_r<K>.jsonl``, keeps the stand-off
position, the stratum and the model's probabilities at selection time (for the active
vs random comparison), never shown to anyone who labels.

Run: ``FRAMING_DATA=../shared/corpora python experiments/gold/active_round.py --round 1 --n 6000``
"""
from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

import framing
from framing.corpus import iter_jsonl
from framing.columns import LABEL_NAMES
from framing.duplicates import normalise_text
from framing.model import FramingClassifier
from framing.annotate import write_reading_batch
from framing.sampling import add_context, select_for_annotation, text_sha1
from framing.segment import iter_passage_frames

ROOT = Path(__file__).resolve().parents[2]
ANN = ROOT / "data" / "annotations"
BATCHES = ANN / "batches"
ROUNDS = ANN / "rounds"
LABELS = list(LABEL_NAMES)

#: Corpora drawn from (``polnear_attributions`` holds spans, not documents).
CORPORA = ("allsides", "allsides_stories", "basil", "covid_origins", "dailymail_2020", "ecbplus", "polnear",
           "semeval2023_en", "tehran_times")
#: A sentence that names a confession (the census of forced_confession_noted candidates).
CONFESSION = re.compile(r"\bconfess\w*|\brecant\w*|\b(?:forced|coerced|televised|scripted|extracted|videotaped|filmed)"
                        r"\s+(?:admissions?|statements?|testimon\w*|interviews?)\b", re.I)
SHARES = {"random": 0.15, "uncertain": 0.35, "enrich": 0.50}
LABEL_WEIGHTS = {"state_claim_uncritical": 0.45, "hedged_attribution": 0.12, "forced_confession_noted": 0.08,
                 "speculative_motive": 0.35}
DOUBLE_SHARE = 0.10
SEED = 20261204


def read_jsonl(path: Path) -> list[dict]:
    """The records of a JSON Lines file, gzipped or not (errors name the file and line)."""
    return list(iter_jsonl(path))


def excluded_documents() -> tuple[set[tuple[str, str]], dict[str, int]]:
    """Documents never drawn for training: dev/test documents and validation-sample documents."""
    splits = pd.read_csv(ANN / "splits.csv", dtype=str)
    out = {(r.corpus, r.doc_id) for r in splits.itertuples() if r.split in ("dev", "test")}
    counts = {"dev_test": len(out)}
    for f in sorted((ANN / "validation").glob("*.jsonl")):
        docs = {(r["corpus"], r["doc_id"]) for r in read_jsonl(f)}
        counts[f"validation:{f.stem}"] = len(docs)
        out |= docs
    return out, counts


def earlier_rounds() -> set[tuple[str, str, int]]:
    """Positions of every sentence drawn in an earlier round (labelled or not yet)."""
    return {(r["corpus"], r["doc_id"], int(r["start"])) for f in sorted(ROUNDS.glob("active_r*.jsonl"))
            for r in read_jsonl(f)}


def build_pool(corpora: list[str], excluded: set[tuple[str, str]]) -> pd.DataFrame:
    parts = []
    for name in corpora:
        docs = framing.load_corpus(name)
        keep = ~pd.Series([(name, d) in excluded for d in docs["doc_id"]], index=docs.index)
        frame = pd.concat(list(iter_passage_frames(docs[keep], batch_size=200_000)), ignore_index=True)
        frame["corpus"] = name
        parts.append(frame)
        print(f"  {name}: {int(keep.sum())} of {len(docs)} documents, {len(frame)} sentences", flush=True)
    pool = pd.concat(parts, ignore_index=True)
    return pool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", type=int, required=True)
    parser.add_argument("--n", type=int, default=5000, help="sentences to read this round (census included)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--census", action="store_true", help="add every sentence that names a confession")
    parser.add_argument("--weights", default=None,
                        help="label weights of the uncertain and enrich draws, e.g. state_claim_uncritical=0.35,"
                             "speculative_motive=0.5 (default: LABEL_WEIGHTS)")
    parser.add_argument("--shares", default=None, help="random,uncertain,enrich shares, e.g. 0.15,0.30,0.55")
    args = parser.parse_args()
    out = ROUNDS / f"active_r{args.round}.jsonl"
    if out.exists():
        raise SystemExit(f"{out} exists: a round is drawn once")
    t0 = time.time()
    gold = framing.load_gold()
    excluded, counts = excluded_documents()
    print(f"excluded documents: {counts}")
    everything = build_pool([c.strip() for c in args.corpora.split(",")], excluded)
    pool = everything
    words = pool["text"].str.count(r"\S+")
    norm = pool["text"].map(normalise_text)
    n_docs = pool.assign(norm=norm).groupby("norm")["doc_id"].transform("nunique")
    keep = (words >= 5) & (words <= 150) & (n_docs < 5)
    print(f"pool: {len(pool)} sentences, {int(keep.sum())} after length and boilerplate filters "
          f"({time.time() - t0:.0f} s)", flush=True)
    pool = pool[keep].reset_index(drop=True)
    everything = everything.drop(columns=[c for c in ("before", "after") if c in everything.columns])

    train = gold[gold["split"] == "train"]
    dev = gold[gold["split"] == "dev"]
    model = FramingClassifier(random_state=0).fit(train["text"].tolist(), train[LABELS].to_numpy(),
                                                  dev=(dev["text"].tolist(), dev[LABELS].to_numpy()))
    print(f"model retrained on {len(train)} train sentences ({time.time() - t0:.0f} s)", flush=True)
    P = model.predict_proba(pool["text"].tolist())
    print(f"pool scored ({time.time() - t0:.0f} s)", flush=True)

    drawn = earlier_rounds()
    is_drawn = pd.Series([(c, d, s) in drawn for c, d, s in zip(pool["corpus"], pool["doc_id"], pool["start"])],
                         index=pool.index)
    already = gold["text"].tolist() + pool.loc[is_drawn, "text"].tolist()
    seen = {normalise_text(t) for t in already}
    census = pool.iloc[0:0].assign(stratum=pd.Series(dtype=object))
    if args.census:
        hit = pool["text"].str.contains(CONFESSION) & ~pool["text"].map(normalise_text).isin(seen)
        census = pool[hit].assign(_norm=lambda f: f["text"].map(normalise_text)).drop_duplicates("_norm")
        census = census.drop(columns="_norm").assign(stratum="census:confession")
        print(f"confession census: {len(census)} sentences")
    weights = LABEL_WEIGHTS if args.weights is None else {
        k: float(v) for k, v in (kv.split("=") for kv in args.weights.split(","))}
    shares = SHARES if args.shares is None else dict(zip(("random", "uncertain", "enrich"),
                                                          map(float, args.shares.split(","))))
    print(f"shares {shares}, label weights {weights}")
    rest = pool.drop(index=census.index)[lambda f: ~is_drawn.loc[f.index]]
    chosen = select_for_annotation(rest, args.n - len(census), proba=P[rest.index.to_numpy()],
                                   thresholds=dict(zip(LABELS, model.thresholds_)), shares=shares,
                                   label_weights=weights, exclude_texts=already + census["text"].tolist(),
                                   random_state=SEED + args.round)
    items = pd.concat([census, chosen])
    for j, lab in enumerate(LABELS):
        items[f"p_{lab}"] = P[items.index.to_numpy(), j].round(4)
    # neighbours from the whole documents (before the length filters)
    keys = set(zip(items["corpus"], items["doc_id"]))
    docs_of_items = everything[[(c, d) in keys for c, d in zip(everything["corpus"], everything["doc_id"])]]
    context = add_context(docs_of_items).set_index(["corpus", "doc_id", "start"])[["before", "after"]]
    items = items.join(context, on=["corpus", "doc_id", "start"])
    rng = np.random.default_rng(SEED + args.round)
    items = items.iloc[rng.permutation(len(items))].reset_index(drop=True)
    items["item_id"] = [f"r{args.round}{i:05d}" for i in range(len(items))]
    items["sha1"] = items["text"].map(text_sha1)
    items["round"] = args.round
    print(items["stratum"].str.split(":").str[0].value_counts().to_string())
    print(items["corpus"].value_counts().to_string())

    ROUNDS.mkdir(parents=True, exist_ok=True)
    cols = ["item_id", "corpus", "doc_id", "start", "end", "sha1", "stratum", "round", *[f"p_{x}" for x in LABELS]]
    thresholds = dict(zip(LABELS, map(float, model.thresholds_)))
    with open(out, "w", encoding="utf-8") as fh:
        for rec in items[cols].to_dict("records"):
            rec["thresholds"] = thresholds
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    BATCHES.mkdir(parents=True, exist_ok=True)
    blind = items[["item_id", "before", "text", "after"]].rename(columns={"item_id": "id", "text": "sentence"})
    n_batches = max(1, int(np.ceil(len(blind) / args.batch_size)))
    parts = np.array_split(np.arange(len(blind)), n_batches)
    for b, part in enumerate(parts, start=1):
        write_reading_batch(blind.iloc[part], BATCHES / f"active_r{args.round}_{b}.jsonl")
        # a random share of this batch, read again blind by the annotator of the next batch
        dbl = np.sort(rng.permutation(part)[: int(round(DOUBLE_SHARE * len(part)))])
        write_reading_batch(blind.iloc[rng.permutation(dbl)], BATCHES / f"active_r{args.round}_dbl_{b}.jsonl")
    print(f"round {args.round}: {len(items)} sentences in {n_batches} batches -> {out} ({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
