# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Training `framing` on your own annotations
#
# The round trip a study goes through to train and check a classifier on its own reading:
#
# 1. choose sentences to read and **export** them to Label Studio (or doccano, or a CSV);
# 2. people read them against the codebook; the tool **exports** their labels;
# 3. **read the labels back**, check agreement between readers;
# 4. **train** a classifier and **evaluate** it on documents it has not seen.
#
# Step 2 happens in the annotation tool. To keep this notebook runnable anywhere, it writes
# the tool's export itself from readings that ship with `framing`: every sentence of the
# seed corpus was read against the codebook, and the project's gold set records the labels.
# With your own project, the file in step 3 is the one Label Studio gives you.

# %%
import json
import tempfile
from pathlib import Path

import numpy as np

import framing
from framing.sampling import add_context, text_sha1

work = Path(tempfile.mkdtemp())
sentences = add_context(framing.segment(framing.load_demo_corpus()))
items = sentences.assign(item_id=[f"s{i:04d}" for i in range(len(sentences))], sha1=sentences["text"].map(text_sha1))
items[["item_id", "before", "text", "after"]].head(3)

# %% [markdown]
# ## 1. Export to Label Studio
# A task file and the labeling config: the codebook's labels as multiple choices, the
# neighbouring sentences shown as context, a note field. Import both into a Label Studio
# project ("Labeling Interface" > "Code" for the config; "Import" for the tasks).

# %%
files = framing.export_items(items[["item_id", "sha1", "before", "text", "after"]], work / "to_read",
                             format="labelstudio")
print([f.name for f in files])
print(framing.labelstudio_config()[:400], "...")

# %% [markdown]
# ## 2. What Label Studio exports
# Label Studio's JSON export holds every task with its annotations: who completed it, when,
# and the choices. Here we write that file from the seed corpus's recorded readings.

# %%
gold = framing.load_gold(corpora=["seeds"]).drop(columns="item_id").merge(items[["doc_id", "start", "item_id"]],
                                                                    on=["doc_id", "start"])
tasks = json.loads(files[0].read_text())
readings = {r.item_id: list(r.labels) for r in gold.itertuples()}
for k, task in enumerate(tasks):
    task["id"] = 1000 + k
    choices = readings.get(task["data"]["item_id"], [])
    task["annotations"] = [{"id": 5000 + k, "completed_by": {"id": 1, "email": "reader@example.org"},
                            "was_cancelled": False, "created_at": "2026-12-01T10:00:00Z", "lead_time": 9.5,
                            "result": [{"from_name": "labels", "to_name": "text", "type": "choices",
                                        "value": {"choices": choices}}] if choices else []}]
export = work / "project-1-export.json"
export.write_text(json.dumps(tasks))
print(f"{len(tasks)} tasks, {sum(bool(readings.get(t['data']['item_id'])) for t in tasks)} with a label")

# %% [markdown]
# ## 3. Read the labels back
# `read_annotations` checks each task's text against the SHA-1 it was exported with, that
# every label is in the label set and every annotation names an annotator, and keeps the
# provenance. Nothing is dropped: cancelled annotations come back with their status.

# %%
annotations = framing.read_annotations(export, annotator_pass="pass1", items=items)
annotations[["item_id", "annotator", "labels", "status", "source_task"]].head()

# %% [markdown]
# With two passes over the same items (two readers, or one reader twice), agreement per
# label is one call; here the second "pass" is a copy with a few labels flipped, to show the
# output.

# %%
second = annotations.assign(annotator_pass="pass2", annotator="reader_b")
flip = second.sample(frac=0.05, random_state=0).index
second.loc[flip, "hedged_attribution"] = 1 - second.loc[flip, "hedged_attribution"]
import pandas as pd

framing.annotation_agreement(pd.concat([annotations, second]))

# %% [markdown]
# ## 4. Train and evaluate on unseen documents
# `FramingClassifier` is a scikit-learn estimator. With so few sentences (one small corpus)
# the scores are low and their intervals wide: this shows the workflow, not a good model.
# Documents stay together across folds, so the model is never scored on a document it saw.

# %%
from framing.evaluate import evaluate_predictions, grouped_cross_val_predict

data = annotations.merge(items[["item_id", "text", "doc_id"]], on="item_id", suffixes=("", "_item"))
labels = ["hedged_attribution", "speculative_motive"]
Y = data[labels].to_numpy()
P, _ = grouped_cross_val_predict(lambda: framing.FramingClassifier(labels=labels, min_df=1, random_state=0),
                                 data["text"].tolist(), Y, data["doc_id"].tolist(), n_splits=3)
evaluate_predictions(Y, P, labels=labels, groups=data["doc_id"].tolist(), n_boot=200).round(2)

# %% [markdown]
# Save the model with skops (never pickle) and label new text with it:

# %%
model = framing.FramingClassifier(labels=labels, min_df=1, random_state=0).fit(data["text"].tolist(), Y)
path = framing.save_model(model, work / "my_model.skops")
framing.label_passages(["Officials claimed the attack was staged.", "It rained in Baku."],
                       framing.load_model(path))[["text", *labels]]
