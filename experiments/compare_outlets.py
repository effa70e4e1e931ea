"""E3-E5 (and the demo): how outlets frame the same events, naive and corrected for classifier error.

One entry point for every outlet comparison; the experiment is its config
(``experiments/configs/<name>.json``): the corpus and its documents, the grouping column,
where the events come from, the validation sample that corrects the estimates. A run:

1. labels the experiment's passages with the model (the shipped one by default);
2. compares groups with :func:`framing.compare_outlets`: rates with document-cluster
   intervals; within-event paired differences with event-bootstrap intervals, sign-flip
   permutation p-values (Holm-adjusted across pairs x labels) and the event fixed-effects
   check; prediction-powered corrected estimates from the validation sample (sentences
   only: the sample is of sentences); the Rogan-Gladen sensitivity analysis with the
   model's error rates on the gold test split;
3. scores the model on the validation sample (weighted by inverse inclusion probability,
   so the scores describe the corpus, and unweighted);
4. for a config with ``claimant_breakdown`` (E5), splits ``state_claim_uncritical`` and
   ``hedged_attribution`` by whose state the claim comes from
   (:func:`framing.cues.claimant_country`), and with ``storylines``, repeats the paired
   comparison on the events of each storyline.

Variants for the robustness experiment (E6) are runs of the same config: ``--unit
paragraph``, ``--exclude-duplicates``, ``--labeller cue_rules``.

Writes ``results/<name>/<run>/`` (tables, ``metrics.json``, ``config.json``).
Run: ``FRAMING_DATA=../shared/corpora python experiments/compare_outlets.py e3_basil``
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import framing
from experiment_data import documents, load_config, passages  # same folder (experiments/)
from framing.columns import LABEL_NAMES
from framing.compare import compare_outlets, error_rates, paired_differences
from framing.cues import claimant_country
from framing.evaluate import evaluate_predictions
from framing.experiment import RunDir
from framing.gold import load_validation
from framing.model import CueRuleClassifier

LABELS = list(LABEL_NAMES)
RESULTS = Path(__file__).resolve().parents[1] / "results"


def model_for(labeller: str, gold: pd.DataFrame | None = None) -> Any:
    if labeller == "model":
        return framing.load_pretrained()
    if labeller == "cue_rules":
        return CueRuleClassifier().fit(["x"], np.zeros((1, len(LABELS)), dtype=int))
    raise SystemExit(f"unknown labeller {labeller!r}")


def test_error_rates(model: Any, seed: int) -> Any:
    """The labeller's sensitivity and specificity on the gold test split (for Rogan-Gladen)."""
    gold = framing.load_gold()
    test = gold[gold["split"] == "test"]
    P = model.predict(test["text"].tolist())
    return error_rates(test[LABELS].to_numpy(), P, labels=LABELS, groups=test["doc_id"].tolist(), n_boot=1000,
                       random_state=seed)


def add_claimants(frame: pd.DataFrame, labels: list[str], countries: list[str]) -> list[str]:
    """Columns ``<label>|<country>`` (and ``|other``): the label on a sentence whose state-actor
    claimant is that country. Returns the new column names."""
    who = pd.Series([claimant_country(t) if any(frame.at[i, lab] for lab in labels) else None
                     for i, t in zip(frame.index, frame["text"])], index=frame.index)
    cols = []
    for lab in labels:
        for country in [*countries, "other"]:
            col = f"{lab}|{country}"
            match = who.isin(countries) if country == "other" else who.eq(country)
            if country == "other":
                match = ~match & who.notna()
            frame[col] = (frame[lab].astype(int).astype(bool) & match).astype(int)
            cols.append(col)
    return cols


def validation_scores(labelled: pd.DataFrame, gold: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """The labeller's precision, recall and F1 on the validation sample, weighted by the
    inverse inclusion probability (an estimate for the whole corpus) and unweighted."""
    joined = gold.merge(labelled[["doc_id", "start", *labels]], on=["doc_id", "start"], suffixes=("_gold", ""))
    Y, P = joined[[f"{lab}_gold" for lab in labels]].to_numpy(), joined[labels].to_numpy()
    parts = []
    for weighting in ("corpus (1/pi weights)", "sample (unweighted)"):
        w = 1 / joined["inclusion_prob"].to_numpy() if weighting.startswith("corpus") else None
        scores = evaluate_predictions(Y, P, labels=labels, n_boot=0, sample_weight=w)
        parts.append(scores[["label", "support", "precision", "recall", "f1"]].assign(weighting=weighting))
    return pd.concat(parts, ignore_index=True)[["weighting", "label", "support", "precision", "recall", "f1"]]


def storyline_pairs(labelled: pd.DataFrame, storylines: dict[str, list[str]], by: str, pairs: list, labels: list[str],
                    gold: pd.DataFrame | None, config: dict) -> pd.DataFrame:
    first = labelled.groupby("event_id")["date"].min()
    parts = []
    for name, (start, end) in storylines.items():
        events = first[(first >= start) & (first <= end)].index
        sub = labelled[labelled["event_id"].isin(events)]
        # the gold passages of these events' documents: a domain of the same probability sample
        sub_gold = None if gold is None else gold[gold["doc_id"].isin(set(sub["doc_id"]))]
        table = paired_differences(sub, by=by, labels=labels, pairs=pairs, gold=sub_gold, n_boot=config["n_boot"],
                                   n_perm=config["n_perm"], adjust=config["adjust"],
                                   random_state=config["random_state"])
        parts.append(table.assign(storyline=name))
    return pd.concat(parts, ignore_index=True)


def summary(result: Any, by: str, labels: list[str]) -> dict[str, Any]:
    rates = {}
    for r in result.rates.itertuples(index=False):
        d = r._asdict()
        entry = {k: d[k] for k in ("rate", "ci_low", "ci_high", "n_passages", "n_labelled") if k in d}
        for k in ("rate_corrected", "corrected_ci_low", "corrected_ci_high", "n_gold", "rate_rogan_gladen",
                  "rogan_gladen_ci_low", "rogan_gladen_ci_high"):
            if k in d:
                entry[k] = d[k]
        rates.setdefault(str(d[by]), {})[d["label"]] = entry
    pairs = {}
    for r in result.pairs.itertuples(index=False):
        d = r._asdict()
        if not d.get("n_events"):
            continue
        keep = ("n_events", "diff", "ci_low", "ci_high", "p_value", "p_adjusted", "fe_diff", "fe_ci_low", "fe_ci_high",
                "fe_p_value", "diff_corrected", "corrected_ci_low", "corrected_ci_high", "corrected_p_value",
                "corrected_p_adjusted", "rate_a", "rate_b", "rate_a_corrected", "rate_b_corrected")
        pairs.setdefault(f"{d['outlet_a']} vs {d['outlet_b']}", {})[d["label"]] = {
            k: d[k] for k in keep if k in d and not (isinstance(d[k], float) and np.isnan(d[k]))}
    return {"rates": rates, "pairs": pairs, "notes": result.notes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", help="experiment config name, e.g. e3_basil")
    parser.add_argument("--run", help="run name (default: main, or the variant's name)")
    parser.add_argument("--unit", choices=("sentence", "paragraph"), default="sentence")
    parser.add_argument("--exclude-duplicates", action="store_true", help="leave out wire copy")
    parser.add_argument("--labeller", choices=("model", "cue_rules"), default="model")
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    config = load_config(args.config)
    variant = [v for v, on in (("paragraphs", args.unit == "paragraph"), ("no_duplicates", args.exclude_duplicates),
                                ("cue_rules", args.labeller == "cue_rules")) if on]
    run = RunDir(RESULTS, config["name"], args.run or ("_".join(variant) or "main"), overwrite=args.overwrite)
    if run.skip():
        return
    seed = config["random_state"]
    model = model_for(args.labeller)
    docs = documents(config)
    labelled, info = passages(config, docs, model=model, unit=args.unit, evidence=False)
    by = config["by"]
    labels = list(LABELS)
    gold = None
    notes = []
    if config.get("validation_sample") and args.unit == "sentence":
        gold = load_validation(config["validation_sample"])
    elif config.get("validation_sample"):
        notes.append("no corrected estimates for paragraphs: the validation sample is a sample of sentences")
    extra: list[str] = []
    if config.get("claimant_breakdown"):
        spec = config["claimant_breakdown"]
        extra = add_claimants(labelled, spec["labels"], spec["countries"])
        if gold is not None:
            add_claimants(gold, spec["labels"], spec["countries"])
    pairs = None
    if config.get("reference"):
        others = sorted(set(labelled[by].dropna()) - {config["reference"]})
        pairs = [(config["reference"], other) for other in others]
    errors = test_error_rates(model, seed)
    result = compare_outlets(labelled, by=by, labels=labels + extra, pairs=pairs, gold=gold, error_rates=errors
                             if not extra else _extended(errors, extra), exclude_duplicates=args.exclude_duplicates,
                             adjust=config["adjust"], n_boot=config["n_boot"], n_perm=config["n_perm"],
                             random_state=seed)
    result.notes[:0] = notes
    tables = {"rates": result.rates, "pairs": result.pairs, "events": result.events}
    if result.gold_strata is not None:
        tables["gold_strata"] = result.gold_strata
    if result.error_rates is not None:
        tables["error_rates"] = result.error_rates
    metrics: dict[str, Any] = {"passages": info, "labeller": args.labeller, "unit": args.unit,
                               "exclude_duplicates": args.exclude_duplicates, "by": by,
                               "n_events": int(labelled["event_id"].nunique()),
                               "n_shared_events": int(labelled.groupby("event_id")[by].nunique().ge(2).sum()),
                               "n_duplicates": int(docs["duplicate_of"].notna().sum()),
                               "groups": {str(k): int(v) for k, v in labelled[by].value_counts().items()},
                               **summary(result, by, labels + extra)}
    if gold is not None:
        scores = validation_scores(labelled, gold, labels)
        tables["validation_scores"] = scores
        metrics["validation"] = {"n": len(gold), "scores": {
            f"{r.weighting.split()[0]}/{r.label}": {"f1": r.f1, "precision": r.precision, "recall": r.recall,
                                                    "support": r.support} for r in scores.itertuples()}}
    if config.get("storylines"):
        story = storyline_pairs(labelled, config["storylines"], by, pairs, labels + extra, gold, config)
        tables["storylines"] = story
        metrics["storylines"] = {name: {f"{r.outlet_a} vs {r.outlet_b}|{r.label}": {
            k: getattr(r, k) for k in ("n_events", "diff", "ci_low", "ci_high", "p_adjusted")}
            for r in part.itertuples() if r.n_events} for name, part in story.groupby("storyline")}
    run.write(metrics, {**config, "run": run.path.name, "unit": args.unit, "labeller": args.labeller,
                        "exclude_duplicates": args.exclude_duplicates}, tables)
    print(f"{config['name']}/{run.path.name}: {info}; {metrics['n_shared_events']} shared events")


def _extended(errors: Any, extra: list[str]) -> Any:
    """Error rates for the claimant columns: those of their base label (an assumption the notes state)."""
    from framing.compare import ErrorRates

    base = [e.split("|")[0] for e in extra]
    idx = [errors.labels.index(b) for b in base]
    return ErrorRates(errors.labels + extra, np.concatenate([errors.sensitivity, errors.sensitivity[idx]]),
                      np.concatenate([errors.specificity, errors.specificity[idx]]),
                      np.concatenate([errors.draws, errors.draws[:, idx]], axis=1), errors.source)


if __name__ == "__main__":
    main()
