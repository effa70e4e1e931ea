"""Context for s05: the project baseline's predict_proba throughput on the same 2,000 sentences
(model fitted on the train split; 3 timed repetitions, median). Project venv:
  cd experiments/exploratory/encoder && ../../../.venv/bin/python s05b_throughput_baseline.py"""
import json, time
import numpy as np
from framing.model import FramingClassifier
from common import OUT, LABELS, load_nontest

d = load_nontest(); tr = d[d["split"] == "train"]
clf = FramingClassifier(random_state=0, threshold=0.5).fit(tr["text"].tolist(), tr[LABELS].to_numpy())
texts = tr["text"].tolist()[:2000]
clf.predict_proba(texts[:64]); ts = []
for _ in range(3):
    t = time.perf_counter(); clf.predict_proba(texts); ts.append(time.perf_counter() - t)
res = {"n": len(texts), "seconds": ts, "sent_per_s_median": len(texts) / float(np.median(ts))}
print(res); json.dump(res, open(OUT / "throughput_baseline.json", "w"), indent=1)
