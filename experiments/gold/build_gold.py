"""Assemble the gold set from the annotation passes, adjudication and fixed splits.

Inputs (all in ``data/annotations/``): ``sample.jsonl`` (stand-off positions of the
external sentences and how each was drawn), ``sample_r2.jsonl``, ``sample_r3.jsonl`` (later rounds), ``labels/*.pass1.jsonl`` (first pass, read
against the codebook), ``labels/agreement.pass2.jsonl`` (blind second pass on 300
random sentences), ``agreement/adjudication.jsonl`` (decisions on the disagreements),
``rounds/active_r<K>.jsonl`` with ``labels/active_r<K>_*.pass1.jsonl`` and
``..._dbl_*.pass2.jsonl`` (active annotation rounds, a random tenth read twice; see
``active_round.py``), ``labels/pass2_*.pass2.jsonl`` and ``labels/pass3_*.pass3.jsonl`` (blind second reading of
every other dev and test sentence, and a blind third reading where the first two
disagree: the label is the per-label majority of the three readings; see
``second_pass_batches.py``), and the hand-checked seed sentences
``tests/fixtures/seed_sentences.jsonl``.

Outputs: ``data/annotations/gold.jsonl.gz`` and ``results/agreement/metrics.json``
(Krippendorff's alpha per label and the F1 of one reading against the other, computed
before adjudication).

Splits are fixed once here, by document, and recorded in ``splits.csv``: a recorded
document keeps its split; a new document goes to train/dev/test (70/15/15) by a salted
SHA-1 of its corpus and id. Documents with a ``forced_confession_noted`` positive (few, and holding
several each) are dealt out 3:1:1 in hash order so that every split has some. The
cross-corpus fold of a sentence is its corpus.

Run: ``python experiments/gold/build_gold.py``
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import pandas as pd

from framing.corpus import iter_jsonl
from framing.agreement import alpha_per_label
from framing.columns import LABEL_NAMES
from framing.gold import write_gold
from framing.sampling import text_sha1
from second_pass_batches import read_pass  # same folder (experiments/gold)

ROOT = Path(__file__).resolve().parents[2]
ANN = ROOT / "data" / "annotations"


def read_jsonl(path: Path) -> list[dict]:
    """The records of a JSON Lines file, gzipped or not (errors name the file and line)."""
    return list(iter_jsonl(path))


def _frame(ids: list[str], labels_of: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame([{lab: int(lab in labels_of[i]) for lab in LABEL_NAMES} for i in ids], index=ids)


def dev_test_agreement(records: list[dict], pass1: dict[str, dict], second: dict[str, list[str]],
                       third: dict[str, list[str]]) -> dict:
    """Agreement of the first and the blind second reading of the dev and test sentences.

    Per split and pooled: alpha and the F1 of one reading against the other (before the
    third reading), and the F1 of each single reading against the final (majority) label.
    The latter is optimistic for a single reader, who is one of the three voters.
    """
    split = {r["item_id"]: r["split"] for r in records}
    final = {r["item_id"]: r["labels"] for r in records}
    first = {i: pass1[i]["labels"] for i in second}
    out: dict = {"second_annotator": "eight independent helper sessions that saw only data/codebook.md and the "
                                     "sentences with their neighbours, blind to the first pass",
                 "third_annotator": "independent helper sessions, blind to both earlier readings; the final label "
                                    "is the per-label majority of the three readings",
                 "n_third_readings": len(third)}
    for name, keep in (("all", ("dev", "test")), ("dev", ("dev",)), ("test", ("test",))):
        ids = sorted(i for i in second if split[i] in keep)
        a, b = _frame(ids, first), _frame(ids, second)
        table = alpha_per_label(a, b, LABEL_NAMES)
        vs_final = {who: alpha_per_label(_frame(ids, final), _frame(ids, labels), LABEL_NAMES).set_index("label")["f1"]
                    for who, labels in (("first", first), ("second", second))}
        out[name] = {
            "n_units": len(ids),
            "n_disagreements": int((a != b).any(axis=1).sum()),
            "alpha": {r.label: round(float(r.alpha), 4) for r in table.itertuples()},
            "f1_first_vs_second": {**{r.label: round(float(r.f1), 4) for r in table.itertuples()},
                                   "macro": round(float(table["f1"].mean()), 4)},
            **{f"f1_{who}_vs_final": {**{k: round(float(v), 4) for k, v in f1.items()}, "macro": round(float(f1.mean()), 4)}
               for who, f1 in vs_final.items()},
            "per_label": table.round(4).to_dict(orient="records"),
        }
    return out


def read_active_rounds(pass1: dict[str, dict]) -> dict:
    """The active annotation rounds (``rounds/active_r<K>.jsonl``): their items, the blind
    second readings of a random tenth (``labels/active_r<K>_dbl_<b>.pass2.jsonl``), and the
    agreement of the two readings per round and label. A round must be fully read."""
    items, second, agreement = [], {}, {}
    for f in sorted(ANN.glob("rounds/active_r*.jsonl"), key=lambda p: int(p.stem.split("_r")[1])):
        k = int(f.stem.split("_r")[1])
        got = read_jsonl(f)
        missing = [r["item_id"] for r in got if r["item_id"] not in pass1]
        if missing:
            raise SystemExit(f"round {k}: {len(missing)} sentences have no reading yet, e.g. {missing[:3]}")
        for r in got:
            if not pass1[r["item_id"]].get("annotator"):
                raise SystemExit(f"round {k}, item {r['item_id']}: the reading names no annotator")
        items += got
        dbl: dict[str, dict] = {}
        for g in sorted((ANN / "labels").glob(f"active_r{k}_dbl_*.pass2.jsonl")):
            for n, rec in enumerate(read_jsonl(g), start=1):
                bad = set(rec["labels"]) - set(LABEL_NAMES)
                if bad:
                    raise SystemExit(f"{g}, line {n}, field labels: unknown labels {sorted(bad)}")
                if rec["id"] in dbl:
                    raise SystemExit(f"{g}, line {n}, field id: {rec['id']} read twice in the second pass")
                if rec.get("annotator") == pass1[rec["id"]].get("annotator"):
                    raise SystemExit(f"{g}, line {n}: the second reading is by the first reader")
                dbl[rec["id"]] = rec
        second.update({i: r["labels"] for i, r in dbl.items()})
        if dbl:
            ids = sorted(dbl)
            table = alpha_per_label(_frame(ids, {i: pass1[i]["labels"] for i in ids}),
                                    _frame(ids, {i: dbl[i]["labels"] for i in ids}), LABEL_NAMES)
            agreement[str(k)] = {
                "n_units": len(ids), "n_items": len(got),
                "n_disagreements": int(sum(sorted(dbl[i]["labels"]) != sorted(pass1[i]["labels"]) for i in ids)),
                "alpha": {r.label: round(float(r.alpha), 4) for r in table.itertuples()},
                "f1_first_vs_second": {r.label: round(float(r.f1), 4) for r in table.itertuples()},
                "per_label": table.round(4).to_dict(orient="records"),
            }
    return {"items": items, "second": second, "agreement": agreement}


def write_summary(frame: pd.DataFrame, rounds: dict) -> None:
    """``results/gold/summary/metrics.json``: the gold set's size and composition, for the paper and README."""
    labels = list(LABEL_NAMES)
    active = frame[frame["sampling"].str.startswith("active:")]
    per_round = {}
    for k, part in active.groupby(active["sampling"].str.split(":").str[1]):
        per_round[k[1:]] = {"sentences": len(part), "random_control": int(part["sampling"].str.endswith(":random").sum()),
                            "read_twice": int(sum(1 for i in part["item_id"] if i in rounds["second"])),
                            "positives": {lab: int(part[lab].sum()) for lab in labels}}
    validation = {}
    for f in sorted((ANN / "validation").glob("*.jsonl")):
        items = read_jsonl(f)
        read = sum(len(read_jsonl(g)) for g in (ANN / "labels").glob(f"validation_{f.stem}_[0-9]*.pass1.jsonl"))
        twice = sum(len(read_jsonl(g)) for g in (ANN / "labels").glob(f"validation_{f.stem}_dbl_*.pass2.jsonl"))
        validation[f.stem] = {"sentences": len(items), "read": read, "read_twice": twice,
                              "population_passages": items[0]["population_passages"],
                              "strata": len({r["stratum"] for r in items})}
    summary = {
        "sentences": len(frame), "documents": int(frame.groupby(["corpus", "doc_id"]).ngroups),
        "corpora": sorted(frame["corpus"].unique()),
        "splits": {sp: {"sentences": int((frame["split"] == sp).sum()),
                        "positives": {lab: int(frame.loc[frame["split"] == sp, lab].sum()) for lab in labels}}
                   for sp in ("train", "dev", "test")},
        "active_rounds": per_round, "active_sentences": len(active),
        "active_read_twice": int(sum(r["read_twice"] for r in per_round.values())),
        "validation_samples": validation,
        "validation_sentences": int(sum(v["sentences"] for v in validation.values())),
        # per corpus: sentences, randomly drawn ones, positives (the README's gold table)
        "per_corpus": {c: {"sentences": len(part), "random": int(part["sampling"].str.startswith("random").sum()),
                           "positives": {lab: int(part[lab].sum()) for lab in labels}}
                       for c, part in frame.groupby("corpus", sort=True)},
        "sampling": {k: int(v) for k, v in frame["sampling"].str.split(":").str[0].value_counts().items()},
        "active_random_control": int(frame["sampling"].str.startswith("active:").mul(
            frame["sampling"].str.endswith(":random")).sum()),
        "external_random_share_outside_active": float(
            frame.loc[(frame["corpus"] != "seeds") & ~frame["sampling"].str.startswith("active:"), "sampling"]
            .str.startswith("random").mean()),
    }
    from framing.gold import load_validation

    for name in validation:
        v = load_validation(name)
        validation[name]["positives"] = {lab: int(v[lab].sum()) for lab in labels}
    out = ROOT / "results" / "gold" / "summary"
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--salt", default="framing-gold-v1", help="salt of the split hash (fixed once)")
    args = parser.parse_args()

    pass1: dict[str, dict] = {}
    # validation-sample readings are never training data: they stay out of the gold set
    for f in sorted(p for p in (ANN / "labels").glob("*.pass1.jsonl") if not p.name.startswith("validation_")):
        for rec in read_jsonl(f):
            if rec["id"] in pass1:
                raise SystemExit(f"{f}: id {rec['id']} answered twice")
            pass1[rec["id"]] = rec
    pass2 = {r["id"]: r for r in read_jsonl(ANN / "labels" / "agreement.pass2.jsonl")}
    adjudicated = {r["item_id"]: r for r in read_jsonl(ANN / "agreement" / "adjudication.jsonl")}

    for rec in list(pass1.values()) + list(pass2.values()):
        bad = set(rec["labels"]) - set(LABEL_NAMES)
        if bad:
            raise SystemExit(f"item {rec['id']}: unknown labels {bad}")

    # agreement, before adjudication
    ids = sorted(pass2)
    first = pd.DataFrame([{lab: int(lab in pass1[i]["labels"]) for lab in LABEL_NAMES} for i in ids], index=ids)
    second = pd.DataFrame([{lab: int(lab in pass2[i]["labels"]) for lab in LABEL_NAMES} for i in ids], index=ids)
    alpha = alpha_per_label(first, second, LABEL_NAMES)
    disagreements = [i for i in ids if (first.loc[i] != second.loc[i]).any()]
    missing = sorted(set(disagreements) - set(adjudicated))
    if missing:
        raise SystemExit(f"disagreements without an adjudication decision: {missing}")

    # dev + test: a second blind reading of every sentence, a third where the two differ
    dev_test2, dev_test3 = read_pass(2), read_pass(3)
    for i in set(dev_test2) | set(dev_test3):
        if i not in pass1 or i in pass2:
            raise SystemExit(f"second/third-pass item {i} is unknown or already in the agreement subset")
    undecided = sorted(i for i in dev_test2 if sorted(dev_test2[i]) != sorted(pass1[i]["labels"]) and i not in dev_test3)
    if undecided:
        raise SystemExit(f"{len(undecided)} second-pass disagreements have no third reading, e.g. {undecided[:5]}"
                         " (run second_pass_batches.py --round 3)")
    stray = sorted(set(dev_test3) - set(dev_test2))
    if stray:
        raise SystemExit(f"third readings of items without a second reading: {stray[:5]}")

    def majority(i: str) -> list[str]:
        readings = (pass1[i]["labels"], dev_test2[i], dev_test3[i])
        return [lab for lab in LABEL_NAMES if sum(lab in r for r in readings) >= 2]

    rounds = read_active_rounds(pass1)

    records = []
    sample = read_jsonl(ANN / "sample.jsonl")
    for extra in sorted(ANN.glob("sample_r*.jsonl")):  # later annotation rounds
        sample += read_jsonl(extra)
    for s in sample:
        i = s["item_id"]
        if i not in pass1:
            raise SystemExit(f"sample item {i} has no first-pass label")
        labels, who = pass1[i]["labels"], "pass1"
        if i in pass2:
            who = "pass1+pass2"
        if i in adjudicated:
            labels, who = adjudicated[i]["labels"], "adjudicated"
        if i in dev_test3:
            labels, who = majority(i), "majority-of-3"
        elif i in dev_test2:
            who = "pass1+pass2"
        records.append({
            "item_id": i, "corpus": s["corpus"], "doc_id": s["doc_id"], "start": s["start"], "end": s["end"],
            "sha1": s["sha1"], "text": None, "labels": sorted(labels, key=LABEL_NAMES.index),
            "sampling": s["sampling"], "annotator_pass": who, "note": pass1[i].get("note", ""),
        })
    for s in rounds["items"]:
        i = s["item_id"]
        labels, who = pass1[i]["labels"], "pass1"
        if i in rounds["second"]:
            same = sorted(rounds["second"][i]) == sorted(labels)
            who = "pass1+pass2" if same else "pass1 (pass2 differs)"
        records.append({
            "item_id": i, "corpus": s["corpus"], "doc_id": s["doc_id"], "start": s["start"], "end": s["end"],
            "sha1": s["sha1"], "text": None, "labels": sorted(labels, key=LABEL_NAMES.index),
            "sampling": f"active:r{s['round']}:{s['stratum']}", "annotator_pass": who,
            "annotator": pass1[i].get("annotator"), "note": pass1[i].get("note", ""),
        })
    seeds = read_jsonl(ROOT / "tests" / "fixtures" / "seed_sentences.jsonl")
    for k, s in enumerate(seeds):
        i = f"s{k:04d}"
        labels, who = pass1[i]["labels"], "pass1"
        if i in dev_test3:
            labels, who = majority(i), "majority-of-3"
        elif i in dev_test2:
            who = "pass1+pass2"
        records.append({
            "item_id": i, "corpus": "seeds", "doc_id": s["doc_id"], "start": s["start"], "end": s["end"],
            "sha1": text_sha1(s["text"]), "text": s["text"],
            "labels": sorted(labels, key=LABEL_NAMES.index),
            "sampling": "census:seeds", "annotator_pass": who, "note": pass1[i].get("note", ""),
        })

    # document-grouped splits: a document's split is a pure function of its corpus and id
    # (SHA-1 of "<salt>/<corpus>/<doc_id>" mapped to [0, 1)), so adding annotations never
    # moves a document between splits and the test split stays untouched by tuning.
    def doc_hash(corpus: str, doc_id: str) -> float:
        return int(hashlib.sha1(f"{args.salt}/{corpus}/{doc_id}".encode()).hexdigest()[:12], 16) / 16**12

    # forced_confession_noted positives cluster in few documents, so those documents are
    # dealt out in hash order 3:1:1 to train/dev/test, so that every split has some
    # The record of assignments (data/annotations/splits.csv) is the source of truth: a
    # document keeps its split forever; only documents new to the gold set are assigned.
    split_file = ANN / "splits.csv"
    recorded: dict[tuple[str, str], str] = {}
    if split_file.exists():
        recorded = {(r["corpus"], r["doc_id"]): r["split"] for r in pd.read_csv(split_file, dtype=str).to_dict("records")}
    rare = sorted({(r["corpus"], r["doc_id"]) for r in records
                   if "forced_confession_noted" in r["labels"] and (r["corpus"], r["doc_id"]) not in recorded},
                  key=lambda d: doc_hash(*d))
    rare_split = {d: ("train", "train", "train", "dev", "test")[i % 5] for i, d in enumerate(rare)}

    # documents first read in an active round join train (they were drawn from train or new documents)
    active_docs = {(s["corpus"], s["doc_id"]) for s in rounds["items"]}

    def split_of(corpus: str, doc_id: str) -> str:
        if (corpus, doc_id) in recorded:
            return recorded[(corpus, doc_id)]
        if (corpus, doc_id) in active_docs:
            return "train"
        if (corpus, doc_id) in rare_split:
            return rare_split[(corpus, doc_id)]
        h = doc_hash(corpus, doc_id)
        return "train" if h < 0.70 else ("dev" if h < 0.85 else "test")

    for rec in records:
        rec["split"] = split_of(rec["corpus"], rec["doc_id"])
        rec["fold"] = rec["corpus"]
    records.sort(key=lambda r: (r["corpus"], r["doc_id"], r["start"]))
    write_gold(records, ANN / "gold.jsonl.gz")
    assigned = sorted({(r["corpus"], r["doc_id"], r["split"]) for r in records})
    pd.DataFrame(assigned, columns=["corpus", "doc_id", "split"]).to_csv(split_file, index=False)

    out = ROOT / "results" / "agreement"
    out.mkdir(parents=True, exist_ok=True)
    metrics = {
        "n_units": len(ids),
        "n_disagreements": len(disagreements),
        "second_annotator": "independent helper session that saw only data/codebook.md and the sentences",
        "alpha": {r.label: round(float(r.alpha), 4) for r in alpha.itertuples()},
        "per_label": alpha.round(4).to_dict(orient="records"),
    }
    if dev_test2:
        metrics["dev_test"] = dev_test_agreement(records, pass1, dev_test2, dev_test3)
    if rounds["agreement"]:
        metrics["active_rounds"] = rounds["agreement"]
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")

    frame = pd.DataFrame(records)
    for lab in LABEL_NAMES:
        frame[lab] = frame["labels"].map(lambda ls, lab=lab: lab in ls)
    write_summary(frame, rounds)
    print(f"{len(frame)} sentences; splits: {frame['split'].value_counts().to_dict()}")
    print(frame.groupby("corpus")[list(LABEL_NAMES)].sum().assign(n=frame.groupby("corpus").size()).to_string())
    print(frame.groupby("split")[list(LABEL_NAMES)].sum().to_string())
    print("alpha:", metrics["alpha"])


if __name__ == "__main__":
    main()
