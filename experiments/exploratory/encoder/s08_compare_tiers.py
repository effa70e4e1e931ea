"""Issue 15, part 3: the fine-tuned encoder (tier 2) against the fast model (tier 1) on the
gold test split, with a paired document-cluster bootstrap of the macro-F1 difference (the
same resamples for both), and the speed of both tiers. The encoder ships as an optional
second tier only if its macro-F1 beats the fast model's with the 95 % interval of the
difference above 0. Writes ``results/encoder/tier2/`` (``metrics.json``, ``scores.csv``).

  cd experiments/exploratory/encoder && FRAMING_DATA=../../../../shared/corpora ../../../.venv/bin/python s08_compare_tiers.py
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
import framing  # noqa: E402
from framing.evaluate import cluster_bootstrap, evaluate_predictions  # noqa: E402
from framing.experiment import RunDir  # noqa: E402

LABELS = list(framing.LABEL_NAMES)
run = RunDir(ROOT / "results", "encoder", "tier2", overwrite="--overwrite" in sys.argv)
if run.skip():
    sys.exit(0)
gold = framing.load_gold()
test = gold[gold["split"] == "test"].reset_index(drop=True)
z = np.load(HERE / "out" / "tier2_test.npz", allow_pickle=False)
assert (z["item_id"] == test["item_id"].to_numpy().astype(str)).all(), "test rows out of order"
Y = test[LABELS].to_numpy()
fast = framing.load_pretrained()
P1 = fast.predict(test["text"].tolist())
P2 = z["pred"]
groups = test["doc_id"].to_numpy()
b1 = cluster_bootstrap(Y, P1, groups, n_boot=1000, random_state=0)
b2 = cluster_bootstrap(Y, P2, groups, n_boot=1000, random_state=0)
diff = b2[:, -1, 2] - b1[:, -1, 2]
s1 = evaluate_predictions(Y, P1, labels=LABELS, groups=groups, n_boot=1000).assign(tier="fast model")
s2 = evaluate_predictions(Y, P2, labels=LABELS, groups=groups, n_boot=1000).assign(tier="fine-tuned MiniLM")
macro1, macro2 = float(s1.iloc[-1]["f1"]), float(s2.iloc[-1]["f1"])
lo, hi = np.percentile(diff, [2.5, 97.5])
# speed of the fast tier on the same 2,000 sentences the encoder's throughput was measured on
texts = gold[gold["split"] == "train"]["text"].tolist()[:2000]
fast.predict(texts[:64])
t = time.perf_counter(); fast.predict(texts); fast_s = time.perf_counter() - t
# the encoder's CPU throughput, measured by s05_throughput.py (kept in results/encoder/results.json)
enc = json.loads((ROOT / "results" / "encoder" / "results.json").read_text())["throughput_encoder"]
log = json.loads((HERE / "out" / "tier2_log.json").read_text())
metrics = {"macro_f1": {"fast": macro1, "encoder": macro2}, "macro_f1_diff": float(macro2 - macro1),
           "macro_f1_diff_ci": [float(lo), float(hi)], "ships": bool(lo > 0),
           "per_label_f1": {lab: {"fast": float(s1.iloc[i]["f1"]), "encoder": float(s2.iloc[i]["f1"])}
                            for i, lab in enumerate(LABELS)},
           "speed_sentences_per_s": {"fast_model_predict": 2000 / fast_s,
                                     "encoder_encode_max_len_64": enc.get("max_len_64", {}).get("sent_per_s_median")},
           "n_train": log["config"]["n_train"], "best_epoch": log["best_epoch"],
           "fine_tune_seconds": log["total_seconds"], "stopped_by_budget": log["stopped_by_budget"]}
run.write(metrics, {"fine_tune": log["config"], "bootstrap": "1000 document-cluster resamples, the same for both tiers",
                    "rule": "ship as an optional tier only if the 95 % interval of the macro-F1 difference is above 0"},
          {"scores": pd.concat([s1, s2], ignore_index=True)})
print(json.dumps(metrics, indent=1))
