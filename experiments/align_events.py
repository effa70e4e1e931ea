"""E0: score framing.align_events against event groupings that no one on this project made.

BASIL's same-event triplets, AllSides' story roundups and ECB+'s topics (all in the data
home) are aligned with their event ids removed, with **one setting for every corpus**.
The setting is chosen on a tuning half of the events of BASIL and AllSides stories (by a
SHA-1 of the event id) and scored on the other half; the library's defaults must equal
the choice (a test checks). Writes ``results/events/alignment/``: ``scores.csv`` (B-cubed
precision, recall, F1 and ARI per corpus, all events and the held-out half), ``grid.csv``
(every setting tried), and the per-corpus-tuned TF-IDF baseline for scale.

Run: ``FRAMING_DATA=../shared/corpora python experiments/align_events.py [--overwrite]``
"""
from __future__ import annotations

import argparse
from pathlib import Path
import hashlib
import itertools
from typing import Any

import numpy as np
import pandas as pd

import framing
from experiment_data import load_config  # same folder (experiments/)
from framing.evaluate import alignment_scores, bcubed
from framing.events import DEFAULT_WEIGHTS
from framing.experiment import RunDir

ROOT = Path(__file__).resolve().parents[1] / "results"


def corpus_with_truth(name: str, field: str) -> tuple[pd.DataFrame, np.ndarray]:
    docs = framing.load_corpus(name)
    truth = docs["meta"].map(lambda m: m.get(field.split(".", 1)[1])) if field.startswith("meta.") else docs[field]
    return docs.drop(columns="event_id"), truth.astype(str).to_numpy()


def half_of(truth: np.ndarray) -> np.ndarray:
    """1 for the held-out half of the events, 0 for the tuning half (fixed by the event id)."""
    return np.array([int(hashlib.sha1(f"align-half/{t}".encode()).hexdigest(), 16) % 2 for t in truth])


def tfidf_baseline(docs: pd.DataFrame, truth: np.ndarray, window: int, thresholds: list[float]) -> dict[str, Any]:
    """Cosine of TF-IDF over title and text, linked within a date window, connected components;
    the threshold tuned on this corpus (an optimistic reference)."""
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        docs["title"].fillna("") + " " + docs["text"])
    S = (X @ X.T).toarray()
    if docs["date"].notna().any():
        d = pd.to_datetime(docs["date"]).to_numpy().astype("datetime64[D]").astype(float)
        S[np.abs(d[:, None] - d[None, :]) > window] = 0
    best: dict[str, Any] = {}
    for t in thresholds:
        _, labels = connected_components(S >= t, directed=False)
        f = bcubed(truth, labels)[2]
        if not best or f > best["bcubed_f1"]:
            best = {**alignment_scores(truth, labels), "threshold": t}
    return best


def library_defaults() -> dict[str, Any]:
    """The defaults of framing.align_events (a test checks that they equal the chosen setting)."""
    import inspect

    params = inspect.signature(framing.align_events).parameters
    return {"weights": dict(DEFAULT_WEIGHTS), "date_decay_days": params["date_decay_days"].default,
            "threshold": params["threshold"].default}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    config = load_config("e0_event_alignment")
    run = RunDir(ROOT, "events", "alignment", overwrite=args.overwrite)
    if run.skip():
        return
    data = {name: corpus_with_truth(name, field) for name, field in config["corpora"].items()}
    tuning = config["tuning"]
    rows = []
    for weights, decay, threshold in itertools.product(tuning["weights"], tuning["date_decay_days"],
                                                       tuning["threshold"]):
        for name, (docs, truth) in data.items():
            pred = framing.align_events(docs, threshold=threshold, date_decay_days=decay, weights=weights)["event_id"]
            half = half_of(truth)
            for part, mask in (("tuning", half == 0), ("held_out", half == 1), ("all", np.ones(len(truth), bool))):
                rows.append({"weights": str(weights), "date_decay_days": decay, "threshold": threshold, "corpus": name,
                             "half": part, "bcubed_f1": bcubed(truth[mask], pred.to_numpy()[mask])[2]})
        print(f"{weights} decay={decay} threshold={threshold}", flush=True)
    grid = pd.DataFrame(rows)
    targets = list(config["targets"])
    tune = grid[(grid["half"] == "tuning") & grid["corpus"].isin(targets)].pivot_table(
        index=["weights", "date_decay_days", "threshold"], columns="corpus", values="bcubed_f1")
    tune["min"], tune["mean"] = tune[targets].min(axis=1), tune[targets].mean(axis=1)
    best = tune.sort_values(["min", "mean"], ascending=False).index[0]
    chosen = {"weights": eval(best[0]), "date_decay_days": float(best[1]), "threshold": float(best[2])}  # noqa: S307
    scores = []
    for name, (docs, truth) in data.items():
        out = framing.align_events(docs, threshold=chosen["threshold"], date_decay_days=chosen["date_decay_days"],
                                   weights=chosen["weights"])
        pred = out["event_id"].to_numpy()
        half = half_of(truth)
        for part, mask in (("all", np.ones(len(truth), bool)), ("held_out", half == 1)):
            scores.append({"corpus": name, "events": part, **alignment_scores(truth[mask], pred[mask]),
                           "target": config["targets"].get(name), "n_duplicates_marked": int(out["duplicate_of"].notna().sum())})
    for setting, params in config.get("also_score", {}).items():
        for name, (docs, truth) in data.items():
            pred = framing.align_events(docs, **params)["event_id"].to_numpy()
            scores.append({"corpus": name, "events": "all", "setting": setting, **alignment_scores(truth, pred),
                           "target": None, "n_duplicates_marked": None})
    scores = pd.DataFrame(scores)
    scores["setting"] = scores["setting"].fillna("default") if "setting" in scores.columns else "default"
    base = {name: tfidf_baseline(docs, truth, config["baseline"]["window_days"], config["baseline"]["thresholds"])
            for name, (docs, truth) in data.items()}
    metrics = {
        "chosen": chosen,
        "defaults": library_defaults(),
        "scores": {r.corpus + ("" if r.events == "all" else "/held_out"): {
            k: float(getattr(r, k)) for k in ("bcubed_precision", "bcubed_recall", "bcubed_f1", "ari")}
            for r in scores[scores.setting == "default"].itertuples()},
        "other_settings": {f"{r.setting}/{r.corpus}": {
            k: float(getattr(r, k)) for k in ("bcubed_precision", "bcubed_recall", "bcubed_f1", "ari")}
            for r in scores[scores.setting != "default"].itertuples()},
        "targets_met": {name: bool(scores[(scores.corpus == name) & (scores.events == "all") & (scores.setting == "default")]
                                   ["bcubed_f1"].iloc[0] >= t) for name, t in config["targets"].items()},
        "baseline_tuned_per_corpus": base,
    }
    run.write(metrics, config, {"scores": scores, "grid": grid})
    print(scores.round(3).to_string(index=False))
    print("chosen", chosen, "baseline", {k: round(v["bcubed_f1"], 3) for k, v in base.items()})


if __name__ == "__main__":
    main()
