"""E6: do the conclusions of E3-E5 survive correction for classifier error, paragraphs instead
of sentences, dropping wire copy, and a cue-rules labeller?

Reads the results files of each experiment's runs (``main``, ``paragraphs``,
``no_duplicates``, ``cue_rules``: ``compare_outlets.py`` writes them) and writes
``results/e6_robustness/main/summary.csv``: one row per conclusion of a main run (a
within-event difference with Holm-adjusted p below alpha), with each variant's estimate and
whether the conclusion survives it (the rule is in the config). Conclusions found only by
the corrected estimates (their own Holm-adjusted p below alpha) are listed too.

Run: ``python experiments/robustness.py`` (after the variant runs; ``make results`` runs them)
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from experiment_data import load_config  # same folder (experiments/)
from framing.experiment import RunDir

ROOT = Path(__file__).resolve().parents[1]
KEY = ["outlet_a", "outlet_b", "label"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    config = load_config("e6_robustness")
    run = RunDir(ROOT / "results", config["name"], "main", overwrite=args.overwrite)
    if run.skip():
        return
    alpha = config["alpha"]
    rows = []
    for exp in config["experiments"]:
        base = ROOT / "results" / exp
        main_pairs = pd.read_csv(base / "main" / "pairs.csv")
        main_pairs = main_pairs[main_pairs["n_events"] > 0]
        variants = {v: pd.read_csv(base / v / "pairs.csv").set_index(KEY) for v in ("paragraphs", "no_duplicates",
                                                                                    "cue_rules")}
        naive_sig = main_pairs["p_adjusted"] < alpha
        # the corrected estimates' own Holm-adjusted p (the same family and rule as the naive ones)
        corr_sig = main_pairs.get("corrected_p_adjusted", pd.Series(1.0, index=main_pairs.index)) < alpha
        for r in main_pairs[naive_sig | corr_sig].itertuples(index=False):
            d = r._asdict()
            sign = 1 if d["diff"] > 0 else -1
            row = {"experiment": exp, **{k: d[k] for k in KEY}, "n_events": d["n_events"], "diff": d["diff"],
                   "ci_low": d["ci_low"], "ci_high": d["ci_high"], "p_adjusted": d["p_adjusted"],
                   "naive_conclusion": bool(d["p_adjusted"] < alpha)}
            if "diff_corrected" in d:
                row.update(diff_corrected=d["diff_corrected"], corrected_ci_low=d["corrected_ci_low"],
                           corrected_ci_high=d["corrected_ci_high"], corrected_p_adjusted=d["corrected_p_adjusted"])
                csign = 1 if d["diff_corrected"] > 0 else -1
                row["corrected_conclusion"] = bool(d["corrected_p_adjusted"] < alpha)
                row["survives_corrected"] = bool(row["corrected_conclusion"] and csign == sign)
            for name, table in variants.items():
                key = (d["outlet_a"], d["outlet_b"], d["label"])
                if key not in table.index or pd.isna(table.loc[key, "diff"]):
                    row[f"survives_{name}"] = None
                    continue
                v = table.loc[key]
                row[f"{name}_diff"], row[f"{name}_p_adjusted"] = v["diff"], v["p_adjusted"]
                row[f"survives_{name}"] = bool(v["p_adjusted"] < alpha and (v["diff"] > 0) == (sign > 0))
            rows.append(row)
    summary = pd.DataFrame(rows)
    checks = [c for c in summary.columns if c.startswith("survives_")]
    naive = summary[summary["naive_conclusion"]] if len(summary) else summary
    metrics = {"alpha": alpha, "n_naive_conclusions": int(len(naive)),
               "n_corrected_only": int((~summary["naive_conclusion"]).sum()) if len(summary) else 0,
               "survival_rate": {c.removeprefix("survives_"): float(naive[c].dropna().astype(bool).mean())
                                 if naive[c].notna().any() else None for c in checks},
               "conclusions": summary.to_dict(orient="records")}
    run.write(metrics, config, {"summary": summary})
    print(summary.to_string(index=False))


if __name__ == "__main__":
    main()
