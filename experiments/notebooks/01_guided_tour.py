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
# # A guided tour of `framing`
#
# This notebook runs on the data that ships with `framing` (no download, no data home):
#
# 1. load a small corpus and split it into sentences;
# 2. label the sentences with the four framing categories of the codebook;
# 3. read the **evidence** behind a label: the words the model leaned on;
# 4. compare how outlets frame the same events.
#
# The four labels are defined in `data/codebook.md`, the project's single source of truth:
# `state_claim_uncritical` (a contested claim of a state actor carried without distance),
# `hedged_attribution` (a claim attributed with marked distance: *allegedly*, *claimed*),
# `forced_confession_noted` (a confession in custody flagged as possibly coerced) and
# `speculative_motive` (speculation about why an actor did something).

# %%
import framing

docs = framing.load_demo_corpus()
docs[["doc_id", "outlet", "date", "title"]]

# %% [markdown]
# ## Sentences
# `framing.segment` splits documents into sentences with exact character offsets: for every
# sentence, `text[start:end]` of its document is the sentence.

# %%
sentences = framing.segment(docs)
print(len(sentences), "sentences")
sentences[["doc_id", "start", "end", "text"]].head()

# %% [markdown]
# ## Labels
# `framing.label_documents` segments and labels in one go. Each label gets a 0/1 column and
# a probability `p_<label>`; `evidence` lists the cue spans behind each predicted label.

# %%
labelled = framing.label_documents(docs)
labelled[list(framing.LABEL_NAMES)].sum()

# %%
hedged = labelled[labelled["hedged_attribution"] == 1].sort_values("p_hedged_attribution", ascending=False)
for row in hedged.head(3).itertuples():
    print(f"{row.p_hedged_attribution:.2f}  {row.text}\n")

# %% [markdown]
# ## Why did the model say so?
# `explain` shows, per label, the probability, the cue spans found in the sentence and the
# features that weighed most. The cues are the *evidence* a reader can check.

# %%
clf = framing.load_pretrained()
explanation = clf.explain("The ministry claimed, without offering evidence, that the network was run by Mossad.")
{label: (round(e["probability"], 2), [c["match"] for c in e["cues"]]) for label, e in explanation.items()}

# %% [markdown]
# ## The evidence behind every label, as a table
# `framing.cue_table` lists every cue span of every sentence; counting them by type shows
# what kinds of evidence a corpus is made of.

# %%
cues = framing.cue_table(sentences)
cues["cue_type"].value_counts()

# %% [markdown]
# ## Comparing outlets on the same events
# The second bundled corpus holds 58 articles by left, centre and right outlets on eight
# events they all covered. `compare_outlets` gives each group's rate with a confidence
# interval that resamples *documents* (sentences of one article are not independent), and
# the within-event differences between groups, resampling *events*.

# %%
allsides = framing.align_events(framing.load_demo_corpus("allsides"))
labelled_allsides = framing.label_documents(allsides)
result = framing.compare_outlets(labelled_allsides, by="bias", n_boot=500, n_perm=2000)
result.rates[["bias", "label", "n_passages", "rate", "ci_low", "ci_high"]].round(3)

# %%
result.pairs[["outlet_a", "outlet_b", "label", "n_events", "diff", "ci_low", "ci_high", "p_adjusted"]].round(2)

# %% [markdown]
# Differences are in percentage points; `p_adjusted` is Holm-adjusted across all pairs and
# labels. The next notebook corrects these estimates for the classifier's errors with a
# sample of sentences read by people.
#
# ## A report to share
# `write_report` writes one self-contained HTML page: the tables, the figures and every
# document with its labelled sentences and evidence highlighted.

# %%
import tempfile

folder = framing.write_report(labelled_allsides, tempfile.mkdtemp(), by="bias", n_boot=200, n_perm=500)
print(folder / "index.html")
