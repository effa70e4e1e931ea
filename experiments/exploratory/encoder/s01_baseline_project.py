"""Project baseline under the shared protocol. Run with the PROJECT venv (read-only use):
  cd experiments/exploratory/encoder && FRAMING_DATA=../../../../shared/corpora ../../../.venv/bin/python s01_baseline_project.py
For every setting (dev: train->dev; outer k: CV train->test fold; inner k,i: inner split of
outer-train) fits FramingClassifier(random_state=0, threshold=0.5) (project defaults otherwise:
TF-IDF word 1-2grams + cue features, C=4, balanced, liblinear) and saves held-out probabilities
and the project feature matrices (for the concatenation model)."""
import json, time
import numpy as np
import scipy.sparse as sp
from framing.model import FramingClassifier
from common import OUT, LABELS, load_nontest, tune_thresholds

d = load_nontest()
texts = d["text"].tolist()
Y = d[LABELS].to_numpy()
f = np.load(OUT / "folds.npz")
outer, inner, is_train, is_dev = f["outer"], f["inner"], f["is_train"], f["is_dev"]
bdir = OUT / "baseline"
bdir.mkdir(exist_ok=True)

settings = [("dev", is_train, is_dev)]
for k in range(5):
    settings.append((f"outer{k}", outer != k, outer == k))
    for i in range(3):
        settings.append((f"outer{k}_inner{i}", (outer != k) & (inner[k] != i), inner[k] == i))

log = {}
for name, trm, hom in settings:
    t0 = time.time()
    tr, ho = np.flatnonzero(trm), np.flatnonzero(hom)
    clf = FramingClassifier(random_state=0, threshold=0.5).fit([texts[i] for i in tr], Y[tr])
    Ftr = clf._features([texts[i] for i in tr]).astype(np.float32)
    Fho = clf._features([texts[i] for i in ho]).astype(np.float32)
    P = clf.predict_proba([texts[i] for i in ho])
    sp.save_npz(bdir / f"{name}_Ftr.npz", Ftr.tocsr())
    sp.save_npz(bdir / f"{name}_Fho.npz", Fho.tocsr())
    np.savez(bdir / f"{name}.npz", tr=tr, ho=ho, P=P, n_cue=len(clf.cue_features_.get_feature_names_out()) if hasattr(clf.cue_features_, "get_feature_names_out") else -1,
             n_ngram=len(clf.vectorizer_.vocabulary_))
    log[name] = {"n_train": len(tr), "n_heldout": len(ho), "n_features": int(clf.n_features_), "seconds": time.time() - t0}
    print(name, log[name], flush=True)

# sanity: the project's own dev-tuned fit gives the same thresholds as our tuning of saved probs
dv = np.load(bdir / "dev.npz")
clf = FramingClassifier(random_state=0).fit([texts[i] for i in dv["tr"]], Y[dv["tr"]],
                                            dev=([texts[i] for i in dv["ho"]], Y[dv["ho"]]))
ours = tune_thresholds(Y[dv["ho"]], dv["P"])
log["dev_threshold_check"] = {"project": clf.thresholds_.tolist(), "ours": ours.tolist(),
                              "equal": bool(np.allclose(clf.thresholds_, ours))}
print(log["dev_threshold_check"])
json.dump(log, open(bdir / "log.json", "w"), indent=1)
