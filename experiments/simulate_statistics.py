"""S1: how the comparison statistics behave on synthetic outlets with a known answer.

Three settings, each ``n_simulations`` times (``framing.simulate.simulate_same_events``:
two outlets on 25 shared events, documents whose sentences are correlated):

* **null**: no difference between the outlets; how often the sign-flip test and the
  fixed-effects check reject at 5 %, and how often the 95 % interval covers 0;
* **planted**: a difference of ``planted_difference``; how often the interval covers it,
  and how often the test finds it (power);
* **biased classifier**: the classifier misses 40 % of outlet A's positives and 5 % of B's,
  so the naive difference is biased; a stratified gold sample of 400 passages (outlet x
  predicted label) corrects it; coverage and mean error of the naive and corrected
  estimates.

Writes ``results/s1_statistics/main/`` (``metrics.json``, ``simulations.csv``). The test
suite runs the same checks with fewer simulations (``tests/test_compare.py``).
Run: ``python experiments/simulate_statistics.py`` (no data needed)
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from experiment_data import load_config  # same folder (experiments/)
from framing.compare import paired_differences
from framing.experiment import RunDir
from framing.sampling import sample_for_validation
from framing.simulate import simulate_same_events

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    cfg = load_config("s1_statistics")
    run = RunDir(ROOT / "results", cfg["name"], "main", overwrite=args.overwrite)
    if run.skip():
        return
    rng = np.random.default_rng(cfg["random_state"])
    n, E, delta = cfg["n_simulations"], cfg["n_events"], cfg["planted_difference"]
    kw = {"n_boot": cfg["n_boot"], "n_perm": cfg["n_perm"], "labels": ["x"]}
    rows = []
    for s in range(n):
        for setting, d in (("null", 0.0), ("planted", delta)):
            r = paired_differences(simulate_same_events(n_events=E, delta=d, random_state=rng), random_state=s,
                                   **kw).iloc[0]
            rows.append({"setting": setting, "sim": s, "truth": 100 * d, "diff": r["diff"], "ci_low": r["ci_low"],
                         "ci_high": r["ci_high"], "p": r["p_value"], "fe_p": r["fe_p_value"]})
        b = cfg["biased_classifier"]
        sim = simulate_same_events(n_events=E, delta=delta, miss_rate=b["miss_rate"],
                                   false_alarm_rate=b["false_alarm_rate"], random_state=rng)
        gold = sample_for_validation(sim.rename(columns={"x": "pred"}).assign(state_claim_uncritical=sim["x"]),
                                     b["gold_n"], strata=["outlet", "predicted"], labels=["state_claim_uncritical"],
                                     random_state=s)
        gold = gold.assign(x=gold["y"])[["doc_id", "start", "x", "inclusion_prob"]]
        r = paired_differences(sim, gold=gold, random_state=s, **kw).iloc[0]
        rows.append({"setting": "biased", "sim": s, "truth": 100 * delta, "diff": r["diff"], "ci_low": r["ci_low"],
                     "ci_high": r["ci_high"], "p": r["p_value"], "fe_p": r["fe_p_value"],
                     "diff_corrected": r["diff_corrected"], "corrected_ci_low": r["corrected_ci_low"],
                     "corrected_ci_high": r["corrected_ci_high"]})
    sims = pd.DataFrame(rows)
    covers = (sims["ci_low"] <= sims["truth"]) & (sims["truth"] <= sims["ci_high"])
    null, planted, biased = (sims["setting"] == x for x in ("null", "planted", "biased"))
    ccover = (sims["corrected_ci_low"] <= sims["truth"]) & (sims["truth"] <= sims["corrected_ci_high"])
    metrics = {
        "n_simulations": n,
        "null": {"rejection_rate_sign_flip": float((sims.loc[null, "p"] < 0.05).mean()),
                 "rejection_rate_fixed_effects": float((sims.loc[null, "fe_p"] < 0.05).mean()),
                 "coverage": float(covers[null].mean())},
        "planted": {"difference_pp": 100 * delta, "coverage": float(covers[planted].mean()),
                    "power_sign_flip": float((sims.loc[planted, "p"] < 0.05).mean()),
                    "mean_estimate": float(sims.loc[planted, "diff"].mean())},
        "biased": {"naive_coverage": float(covers[biased].mean()), "corrected_coverage": float(ccover[biased].mean()),
                   "naive_mean_error": float((sims.loc[biased, "diff"] - sims.loc[biased, "truth"]).mean()),
                   "corrected_mean_error": float((sims.loc[biased, "diff_corrected"] - sims.loc[biased, "truth"]).mean())},
    }
    run.write(metrics, cfg, {"simulations": sims})
    print(metrics)


if __name__ == "__main__":
    main()
