# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Comparing outlets on the same events, with honest uncertainty
#
# A classifier makes mistakes, and its mistakes need not be the same for every outlet. A
# difference between two outlets' label rates can be the classifier's doing. This notebook
# shows the three answers `framing` gives, on the bundled same-event set (58 articles, eight
# events, left / centre / right outlets):
#
# 1. **naive** rates and within-event differences, with intervals that resample documents
#    and events;
# 2. **corrected** estimates with a *gold sample*: a probability sample of the sentences,
#    read against the codebook, with each sentence's inclusion probability
#    (prediction-powered inference);
# 3. a **sensitivity analysis** without a gold sample (Rogan-Gladen), which assumes the
#    classifier's error rates measured elsewhere hold here.

# %%
import matplotlib.pyplot as plt

import framing
from framing.compare import pretrained_error_rates
from framing.gold import load_validation
from framing.plots import plot_paired_slopes, plot_rate_heatmap, plot_rate_intervals

docs = framing.align_events(framing.load_demo_corpus("allsides"))
labelled = framing.label_documents(docs)
docs.groupby("event_id")["bias"].value_counts().unstack(fill_value=0)

# %% [markdown]
# ## The gold sample
# 200 sentences were drawn with `framing.sample_for_validation`, stratified by bias and the
# label the model predicted, and read by annotators who saw only the codebook and each
# sentence with its neighbours. `inclusion_prob` is the chance each had of being drawn.

# %%
gold = load_validation("allsides_demo")
gold.groupby("stratum")[["stratum_size", "stratum_n", "inclusion_prob"]].first().round(3)

# %% [markdown]
# ## Naive and corrected rates

# %%
result = framing.compare_outlets(labelled, by="bias", gold=gold, error_rates=pretrained_error_rates(),
                                 n_boot=1000, n_perm=5000)
cols = ["bias", "label", "rate", "ci_low", "ci_high", "rate_corrected", "corrected_ci_low", "corrected_ci_high"]
result.rates[cols].round(3)

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 3.5), layout="constrained")
plot_rate_heatmap(result.rates, group="bias", ax=axes[0])
plot_rate_intervals(result.rates, label="speculative_motive", group="bias", ax=axes[1])
plt.show()

# %% [markdown]
# The corrected intervals are wider: they carry the uncertainty of the 200 readings as well
# as that of the documents. Where the naive and corrected estimates disagree, the naive one
# is the classifier's view of the outlets, not the outlets'.
#
# ## Within-event differences
# Each event that both groups cover contributes one difference; the estimate is their mean.
# Intervals resample events, p-values come from flipping the sign of each event's
# difference, and the event fixed-effects regression is the model-based check.

# %%
cols = ["outlet_a", "outlet_b", "label", "n_events", "diff", "ci_low", "ci_high", "p_adjusted", "fe_diff",
        "diff_corrected", "corrected_ci_low", "corrected_ci_high"]
result.pairs[cols].round(2)

# %%
row = result.pairs.query("outlet_a == 'left' and outlet_b == 'right' and label == 'hedged_attribution'").iloc[0]
plot_paired_slopes(result.events, outlet_a="left", outlet_b="right", label="hedged_attribution", by="bias",
                   summary=row)
plt.show()

# %% [markdown]
# ## Do the intervals keep their promise? A small simulation
# Plant a known difference between two outlets over 25 events, with documents whose
# sentences are correlated, and count how often the 95 % interval covers it. (`tests/test_compare.py`
# runs the same check, and checks the null rejection rate, at 200 simulations.)

# %%
import numpy as np
import pandas as pd


def simulate(rng, delta=0.05, n_events=25):
    rows = []
    for e in range(n_events):
        base = rng.uniform(0.08, 0.3)
        for outlet in "AB":
            for d in range(rng.integers(1, 4)):
                p = base + (delta if outlet == "A" else 0) + rng.uniform(-0.07, 0.07)
                rows += [{"doc_id": f"{outlet}{e}-{d}", "outlet": outlet, "event_id": e, "x": int(v)}
                         for v in rng.random(int(rng.integers(5, 36))) < p]
    return pd.DataFrame(rows)


rng = np.random.default_rng(0)
covered = [framing.paired_differences(simulate(rng), labels=["x"], n_boot=300, n_perm=100, random_state=s)
           .pipe(lambda t: bool(t["ci_low"].iloc[0] <= 5 <= t["ci_high"].iloc[0])) for s in range(60)]
print(f"the interval covered the planted 5 points in {np.mean(covered):.0%} of 60 simulations")

# %% [markdown]
# ## Without a gold sample
# `rate_rogan_gladen` corrects each rate with the sensitivity and specificity the model had
# on the project's gold test split. It is a **sensitivity analysis**: it assumes those error
# rates hold in this corpus, which a gold sample of the corpus can check and this cannot.

# %%
result.rates[["bias", "label", "rate", "rate_rogan_gladen", "rogan_gladen_ci_low", "rogan_gladen_ci_high"]].round(3)

# %%
result.notes
