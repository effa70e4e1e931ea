"""Draw the sentences of the gold set from the external corpora, for annotation by reading.

Writes ``data/annotations/sample.jsonl`` (stand-off: corpus, doc_id, start, end, sha1,
sampling stratum) and shuffled annotation batches under ``data/annotations/batches/``
that show annotators only an item id, the sentence and its neighbours, never the
stratum.

Sampling (recorded per sentence in ``sampling``):

* ``random:<pool>`` -- a uniform draw of sentences from a topical pool of documents
  (at least 30 % of the external sentences, so label rates are realistic);
* ``search:<label>`` -- a keyword search meant to enrich for likely positives *and*
  near misses of one label. The search terms are written here, independently of
  ``framing.cues``; they only choose which sentences get read, never their labels.

Deterministic: fixed ``--random-state``, fixed corpora, sorted inputs.
Run: ``FRAMING_DATA=../shared/corpora python experiments/gold/sample_sentences.py``
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

import framing
from framing.segment import segment

OUT = Path("data/annotations")

POOL_DOCS = {
    # Tehran Times security, espionage, arrest and confession stories
    "tehran_times": re.compile(
        r"\b(spy|spies|espionage|arrest\w*|confess\w*|terror\w*|intelligence|Mossad|CIA|MI6|sabotage|"
        r"saboteur\w*|plot\w*|executed|mercenar\w*|infiltrat\w*|security forces|detain\w*)\b", re.I),
    "semeval2023_en": None,
    "allsides": None,  # filtered by topic below
    "basil": None,
    "dailymail_2020": re.compile(r"\b(Iran\w*|Russia\w*|China|Chinese|Belarus\w*|North Korea\w*|confess\w*)\b"),
}
ALLSIDES_TOPICS = {"terrorism", "national_security", "russia", "middle_east"}

RANDOM_QUOTA = {"tehran_times": 380, "semeval2023_en": 260, "allsides": 320, "basil": 160, "dailymail_2020": 130}
# Round 2 (after the first model's learning curve was still rising): more of everything,
# weighted towards the weakest label, state_claim_uncritical.
ROUND2_RANDOM_QUOTA = {"tehran_times": 330, "semeval2023_en": 230, "allsides": 280, "basil": 120, "dailymail_2020": 120}
ROUND2_SEARCH_QUOTA = {
    "state_claim_uncritical": {"tehran_times": 380, "semeval2023_en": 200, "allsides": 120, "dailymail_2020": 60},
    "hedged_attribution": {"tehran_times": 60, "semeval2023_en": 90, "allsides": 150, "dailymail_2020": 80, "basil": 40},
    "speculative_motive": {"tehran_times": 150, "semeval2023_en": 100, "allsides": 170, "dailymail_2020": 40, "basil": 40},
}

STATE = (r"(ministry|minister|ministers|police|army|military|armed forces|FSB|IRGC|Revolutionary Guard\w*|"
         r"intelligence|security service\w*|prosecutor\w*|spokes(?:man|woman|person)|Kremlin|Pentagon|"
         r"government|TASS|RIA|Sputnik|IRNA|Press TV|Tasnim|Fars|Xinhua|embassy|President|officials?|"
         r"authorities|judiciary|commander|general)")
CONTESTED = (r"(terror\w*|spy|spies|spying|espionage|plot\w*|agents?|Mossad|CIA|MI6|sabotage|saboteur\w*|"
             r"killed|casualt\w*|destroyed|shot down|missiles?|drones?|attack\w*|mercenar\w*|neo-Nazi\w*|"
             r"infiltrat\w*|backed|funded|behind|orchestrat\w*|nuclear|threat\w*|weapons?|eliminated|"
             r"militants?|foreign)")
SEARCHES = {
    "state_claim_uncritical": (
        re.compile(rf"\b{STATE}\b.*\b{CONTESTED}\b|\b{CONTESTED}\b.*\b{STATE}\b", re.I),
        {"tehran_times": 300, "semeval2023_en": 170, "allsides": 110, "dailymail_2020": 50},
    ),
    "hedged_attribution": (
        re.compile(
            r"\b(alleged(?:ly)?|claim(?:ed|s|ing)?|purported(?:ly)?|reportedly|so-called|accus(?:ed|es|ing)|"
            r"insist(?:ed|s|ing)?|maintain(?:ed|s)|is said to|are said to|is believed to|could not (?:be )?"
            r"(?:independently )?verif\w*|without (?:providing |offering |giving )?(?:any )?evidence|"
            r"provided no evidence|not (?:been )?(?:independently )?(?:verified|corroborated)|"
            r"on suspicion of)\b|[\u2018'][A-Za-z][^\u2018\u2019']{2,40}[\u2019']", re.I),
        {"tehran_times": 70, "semeval2023_en": 110, "allsides": 200, "dailymail_2020": 110, "basil": 60},
    ),
    "speculative_motive": (
        re.compile(
            r"\b(in a bid to|seeks? to|seeking to|aim(?:ed|s|ing)? (?:at|to)|designed to|intended to|"
            r"to send a (?:message|signal)|(?:may|might|could) have been|likely|apparently|appears? to|"
            r"is seen as|motiv\w*|ulterior|pretext|wants? to|trying to|tries to|in order to|"
            r"takes orders|agenda|ploy)\b", re.I),
        {"tehran_times": 160, "semeval2023_en": 110, "allsides": 190, "dailymail_2020": 50, "basil": 60},
    ),
}
# Round 3 (state_claim_uncritical and speculative_motive were still the weakest labels):
# the same random quotas as round 2, searches weighted further towards those two labels.
ROUND3_SEARCH_QUOTA = {
    "state_claim_uncritical": {"tehran_times": 450, "semeval2023_en": 220, "allsides": 160, "dailymail_2020": 70},
    "hedged_attribution": {"tehran_times": 40, "semeval2023_en": 50, "allsides": 80, "dailymail_2020": 40, "basil": 20},
    "speculative_motive": {"tehran_times": 180, "semeval2023_en": 120, "allsides": 170, "dailymail_2020": 40, "basil": 40},
}
CONFESSION = re.compile(r"\b(confess\w*|admission|admitted|recant\w*|retract\w*|testimony)\b", re.I)
COERCION = re.compile(
    r"\b(forc\w*|coerc\w*|duress|tortur\w*|beat(?:en|ing)?|televised|state TV|state television|"
    r"staged|scripted|extract\w*|under pressure|retract\w*|recant\w*|rights groups?|Amnesty|show trial)\b", re.I)
CONFESSION_CONTRAST_QUOTA = 120


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def pool_passages(name: str) -> pd.DataFrame:
    docs = framing.load_corpus(name)
    if name == "allsides":
        docs = docs[docs["meta"].map(lambda m: m.get("topic") in ALLSIDES_TOPICS)]
    pattern = POOL_DOCS[name]
    if pattern is not None:
        docs = docs[(docs["title"].fillna("") + " " + docs["text"]).str.contains(pattern)]
    passages = segment(docs)
    # a paragraph index lets the batches show neighbouring sentences as context
    passages = passages[passages["text"].str.len() > 0].reset_index(drop=True)
    print(f"{name}: {len(docs)} documents, {len(passages)} sentences in the pool")
    return passages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random-state", type=int, default=20261123)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--round", type=int, default=1, choices=(1, 2, 3),
                        help="rounds 2 and 3 draw new sentences, excluding every sentence of earlier rounds")
    args = parser.parse_args()
    rng = np.random.default_rng(args.random_state + (args.round - 1))
    suffix, prefix = ("", "x") if args.round == 1 else (f"_r{args.round}", "yz"[args.round - 2])
    random_quota = RANDOM_QUOTA if args.round == 1 else ROUND2_RANDOM_QUOTA
    search_quota = ({k: v[1] for k, v in SEARCHES.items()} if args.round == 1
                    else ROUND2_SEARCH_QUOTA if args.round == 2 else ROUND3_SEARCH_QUOTA)
    earlier: set[tuple[str, str, int]] = set()
    earlier_text: set[str] = set()
    for r in range(1, args.round):
        for rec in framing.corpus.iter_jsonl(OUT / ("sample.jsonl" if r == 1 else f"sample_r{r}.jsonl")):
            earlier.add((rec["corpus"], rec["doc_id"], rec["start"]))
            earlier_text.add(rec["sha1"])

    pools = {name: pool_passages(name) for name in POOL_DOCS}
    chosen: dict[tuple[str, str, int], str] = {}  # (corpus, doc_id, start) -> sampling

    def take(frame: pd.DataFrame, n: int, label: str) -> None:
        frame = frame[~frame.apply(lambda r: (r.corpus, r.doc_id, r.start) in chosen or
                                   (r.corpus, r.doc_id, r.start) in earlier, axis=1)]
        idx = rng.permutation(len(frame))[:n]
        for r in frame.iloc[np.sort(idx)].itertuples():
            chosen[(r.corpus, r.doc_id, r.start)] = label

    for name, n in random_quota.items():
        take(pools[name], n, f"random:{name}")
    for label, (pattern, _) in SEARCHES.items():
        for name, n in search_quota[label].items():
            frame = pools[name]
            take(frame[frame["text"].str.contains(pattern)], n, f"search:{label}")
    # forced confessions are rare: every sentence that names a confession together with a
    # coercion signal, from every corpus (not only the pools), plus contrasting sentences
    # that report a confession with no such signal
    confession_docs: dict[str, pd.DataFrame] = {}
    contrast_parts: list[pd.DataFrame] = []
    for name in ("dailymail_2020", "tehran_times", "allsides", "semeval2023_en", "basil", "allsides_stories"):
        docs = framing.load_corpus(name)
        docs = docs[docs["text"].str.contains(CONFESSION)]
        passages = segment(docs)
        conf = passages[passages["text"].str.contains(CONFESSION)]
        both = conf[conf["text"].str.contains(COERCION)]
        take(both, len(both), "search:forced_confession_noted")
        confession_docs[name] = passages
        contrast_parts.append(conf[~conf["text"].str.contains(COERCION)])
        print(f"{name}: {len(conf)} confession sentences, {len(both)} with a coercion term")
    take(pd.concat(contrast_parts, ignore_index=True), CONFESSION_CONTRAST_QUOTA, "search:confession_contrast")

    # assemble with text and neighbours for context
    everything = pd.concat(
        list(pools.values()) + list(confession_docs.values()),
        ignore_index=True,
    ).drop_duplicates(["corpus", "doc_id", "start"]).sort_values(["corpus", "doc_id", "start"]).reset_index(drop=True)
    prev_text = everything.groupby(["corpus", "doc_id"])["text"].shift(1)
    next_text = everything.groupby(["corpus", "doc_id"])["text"].shift(-1)
    same_para_prev = everything.groupby(["corpus", "doc_id"])["paragraph"].shift(1) == everything["paragraph"]
    same_para_next = everything.groupby(["corpus", "doc_id"])["paragraph"].shift(-1) == everything["paragraph"]
    everything["before"] = prev_text.where(same_para_prev, "")
    everything["after"] = next_text.where(same_para_next, "")
    keys = pd.MultiIndex.from_tuples(list(chosen), names=["corpus", "doc_id", "start"])
    sample = everything.set_index(["corpus", "doc_id", "start"]).loc[keys].reset_index()
    sample["sampling"] = [chosen[k] for k in keys]
    # exact duplicate sentences (wire copy) are read once
    sample = sample.drop_duplicates("text").reset_index(drop=True)
    sample["sha1"] = sample["text"].map(sha1)
    sample = sample[~sample["sha1"].isin(earlier_text)].reset_index(drop=True)
    sample = sample.iloc[rng.permutation(len(sample))].reset_index(drop=True)
    sample["item_id"] = [f"{prefix}{i:05d}" for i in range(len(sample))]

    OUT.mkdir(parents=True, exist_ok=True)
    cols = ["item_id", "corpus", "doc_id", "start", "end", "sha1", "sampling"]
    sample[cols].to_json(OUT / f"sample{suffix}.jsonl", orient="records", lines=True, force_ascii=False)
    batch_dir = OUT / "batches"
    batch_dir.mkdir(exist_ok=True)
    for b, part in enumerate(np.array_split(np.arange(len(sample)), args.batches)):
        with open(batch_dir / f"batch{suffix}_{b + 1}.jsonl", "w", encoding="utf-8") as fh:
            for r in sample.iloc[part].itertuples():
                fh.write(json.dumps({"id": r.item_id, "before": _clip(r.before), "sentence": r.text,
                                     "after": _clip(r.after)}, ensure_ascii=False) + "\n")
    if args.round > 1:  # the agreement study is done once, on round 1
        print(sample["sampling"].value_counts().to_string())
        return
    # agreement subset: a uniform random 300 of the external sample, for the blind second pass
    agree = sample.iloc[np.sort(rng.permutation(len(sample))[:300])]
    agree = agree.iloc[rng.permutation(len(agree))]
    with open(batch_dir / "agreement.jsonl", "w", encoding="utf-8") as fh:
        for r in agree.itertuples():
            fh.write(json.dumps({"id": r.item_id, "before": _clip(r.before), "sentence": r.text,
                                 "after": _clip(r.after)}, ensure_ascii=False) + "\n")
    print(sample["sampling"].value_counts().to_string())
    print(f"{len(sample)} sentences; random share {sample['sampling'].str.startswith('random').mean():.2f}")


def _clip(text: str, n: int = 300) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


if __name__ == "__main__":
    main()
