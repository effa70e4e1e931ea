"""Experiment 1: frozen MiniLM embeddings + LR, the project baseline, their probability average
(stack) and LR on the concatenation [project TF-IDF+cue features | embedding], all under one
protocol. Encoder venv, after s00, s01 and s02:
  cd experiments/exploratory/encoder && venv/bin/python s03_frozen_eval.py

Protocol
 dev: fit on train, choose (per label) C and threshold maximising F1 on dev, report dev.
      The baseline has C fixed (=4, project default), only its thresholds are tuned on dev.
 cv : outer GroupKFold(5) by corpus/doc_id on train+dev. In each outer fold, per label, C and
      threshold are chosen on out-of-fold probabilities of an inner GroupKFold(3) of the
      outer-training rows; the model is refit on all outer-training rows with that C and scored
      on the outer test fold. F1 on the pooled out-of-fold predictions (as the project's cv run).
 cv_fixed_dev_thr: same outer fits, but C and thresholds fixed at the dev-protocol choice
      (dev rows are in the CV test folds, so this variant is mildly optimistic for everyone).
"""
import json, time, warnings
import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from common import OUT, LABELS, SEED, load_nontest, tune_thresholds, best_f1, prf_table

warnings.filterwarnings("ignore")
np.random.seed(SEED)
d = load_nontest()
Y = d[LABELS].to_numpy()
groups = d["group"].to_numpy()
f = np.load(OUT / "folds.npz")
outer, inner, is_train, is_dev = f["outer"], f["inner"], f["is_train"], f["is_dev"]
E = np.load(OUT / "emb_minilm.npy")
B = OUT / "baseline"
K = len(LABELS)
C_ENC = [0.3, 1.0, 3.0]
C_CAT = [0.3, 1.0, 4.0, 10.0]


def lr(C):
    return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=2000, random_state=SEED)


def setting(name):
    z = np.load(B / f"{name}.npz")
    return z["tr"], z["ho"], z["P"]


def probs_enc(tr, ho, C, name=None):
    P = np.zeros((len(ho), K))
    for j in range(K):
        P[:, j] = lr(C).fit(E[tr], Y[tr, j]).predict_proba(E[ho])[:, 1]
    return P


def probs_cat(tr, ho, C, name):
    Ftr = sp.hstack([sp.load_npz(B / f"{name}_Ftr.npz"), sp.csr_matrix(E[tr])], format="csr")
    Fho = sp.hstack([sp.load_npz(B / f"{name}_Fho.npz"), sp.csr_matrix(E[ho])], format="csr")
    P = np.zeros((len(ho), K))
    for j in range(K):
        P[:, j] = lr(C).fit(Ftr, Y[tr, j]).predict_proba(Fho)[:, 1]
    return P


def select(Yv, Pc):
    """Pc: {C: probs}. Per label: the C (and threshold) with the best tuned F1 on Yv."""
    Cs, thr, Psel = [], [], np.zeros_like(next(iter(Pc.values())))
    for j in range(K):
        best = max(Pc, key=lambda c: (best_f1(Yv[:, j], Pc[c][:, j])[0], -c))  # ties -> smaller C
        Cs.append(best); thr.append(best_f1(Yv[:, j], Pc[best][:, j])[1]); Psel[:, j] = Pc[best][:, j]
    return np.array(Cs), np.array(thr), Psel


def apply_C(Pc, Cs):
    return np.column_stack([Pc[c][:, j] for j, c in enumerate(Cs)])


res = {"protocol": __doc__, "C_grid_encoder": C_ENC, "C_grid_concat": C_CAT}
T0 = time.time()
# ------------------------------------------------------------------ dev protocol
tr, ho, Pb = setting("dev")
Yd = Y[ho]
dev = {}
thr_b = tune_thresholds(Yd, Pb)
dev["baseline"] = {"scores": prf_table(Yd, (Pb >= thr_b).astype(int)), "thresholds": thr_b.tolist(), "C": [4.0] * K}
Pe_c = {C: probs_enc(tr, ho, C) for C in C_ENC}
Ce, thr_e, Pe = select(Yd, Pe_c)
dev["encoder_lr"] = {"scores": prf_table(Yd, (Pe >= thr_e).astype(int)), "thresholds": thr_e.tolist(), "C": Ce.tolist()}
for C in C_ENC:  # each fixed C, thresholds on dev
    t = tune_thresholds(Yd, Pe_c[C])
    dev[f"encoder_lr_C={C}"] = {"scores": prf_table(Yd, (Pe_c[C] >= t).astype(int)), "thresholds": t.tolist()}
Ps = (Pb + Pe) / 2
thr_s = tune_thresholds(Yd, Ps)
dev["stack_avg"] = {"scores": prf_table(Yd, (Ps >= thr_s).astype(int)), "thresholds": thr_s.tolist(), "C_encoder": Ce.tolist()}
Pc_c = {C: probs_cat(tr, ho, C, "dev") for C in C_CAT}
Cc, thr_c, Pc = select(Yd, Pc_c)
dev["concat_lr"] = {"scores": prf_table(Yd, (Pc >= thr_c).astype(int)), "thresholds": thr_c.tolist(), "C": Cc.tolist()}
res["dev"] = dev
np.savez(OUT / "dev_probs_frozen.npz", ho=ho, baseline=Pb, encoder=Pe, stack=Ps, concat=Pc)
print("dev done", time.time() - T0, {m: round(v["scores"]["macro"]["f1"], 4) for m, v in dev.items()}, flush=True)

# ------------------------------------------------------------------ grouped CV
n = len(d)
OOF = {m: np.zeros((n, K), int) for m in ("baseline", "encoder_lr", "stack_avg", "concat_lr")}
OOFfix = {m: np.zeros((n, K), int) for m in OOF}
OOFP = {m: np.zeros((n, K)) for m in OOF}
chosen = {m: [] for m in OOF}
for k in range(5):
    t0 = time.time()
    otr, ote, Pb_o = setting(f"outer{k}")
    # inner out-of-fold probabilities over the outer-training rows
    idx = {i: setting(f"outer{k}_inner{i}") for i in range(3)}
    rows = np.concatenate([idx[i][1] for i in range(3)])
    Yi = Y[rows]
    Pb_i = np.vstack([idx[i][2] for i in range(3)])
    Pe_i = {C: np.vstack([probs_enc(idx[i][0], idx[i][1], C) for i in range(3)]) for C in C_ENC}
    Pc_i = {C: np.vstack([probs_cat(idx[i][0], idx[i][1], C, f"outer{k}_inner{i}") for i in range(3)]) for C in C_CAT}
    tb = tune_thresholds(Yi, Pb_i)
    Ce_k, te_k, Pe_isel = select(Yi, Pe_i)
    ts_k = tune_thresholds(Yi, (Pb_i + Pe_isel) / 2)
    Cc_k, tc_k, _ = select(Yi, Pc_i)
    # outer fits
    Pe_o_c = {C: probs_enc(otr, ote, C) for C in set(Ce_k.tolist()) | set(dev["encoder_lr"]["C"])}
    Pc_o_c = {C: probs_cat(otr, ote, C, f"outer{k}") for C in set(Cc_k.tolist()) | set(dev["concat_lr"]["C"])}
    Pe_o = apply_C(Pe_o_c, Ce_k); Pc_o = apply_C(Pc_o_c, Cc_k); Ps_o = (Pb_o + Pe_o) / 2
    for m, P, t in (("baseline", Pb_o, tb), ("encoder_lr", Pe_o, te_k), ("stack_avg", Ps_o, ts_k), ("concat_lr", Pc_o, tc_k)):
        OOF[m][ote] = (P >= t).astype(int); OOFP[m][ote] = P
        chosen[m].append({"thresholds": t.tolist()})
    chosen["encoder_lr"][-1]["C"] = Ce_k.tolist(); chosen["concat_lr"][-1]["C"] = Cc_k.tolist()
    # variant: C and thresholds fixed at the dev-protocol choice
    Pe_f = apply_C(Pe_o_c, dev["encoder_lr"]["C"]); Pc_f = apply_C(Pc_o_c, dev["concat_lr"]["C"])
    for m, P in (("baseline", Pb_o), ("encoder_lr", Pe_f), ("stack_avg", (Pb_o + Pe_f) / 2), ("concat_lr", Pc_f)):
        OOFfix[m][ote] = (P >= np.array(dev[m]["thresholds"])).astype(int)
    print(f"outer {k} done {time.time() - t0:.1f}s", flush=True)

res["cv"] = {m: {"scores": prf_table(Y, OOF[m]), "per_fold": chosen[m]} for m in OOF}
res["cv_fixed_dev_thr"] = {m: {"scores": prf_table(Y, OOFfix[m])} for m in OOF}
res["cv_per_fold_macro_f1"] = {m: [prf_table(Y[outer == k], OOF[m][outer == k])["macro"]["f1"] for k in range(5)] for m in OOF}

# paired document-cluster bootstrap of the CV macro-F1 difference vs baseline
rng = np.random.default_rng(SEED)
ug, inv = np.unique(groups, return_inverse=True)
members = [np.flatnonzero(inv == g) for g in range(len(ug))]
boot = {m: [] for m in OOF if m != "baseline"}
for _ in range(1000):
    pick = np.concatenate([members[g] for g in rng.integers(0, len(ug), len(ug))])
    base = prf_table(Y[pick], OOF["baseline"][pick])
    for m in boot:
        s = prf_table(Y[pick], OOF[m][pick])
        boot[m].append([s["macro"]["f1"] - base["macro"]["f1"]] + [s[l]["f1"] - base[l]["f1"] for l in LABELS])
res["cv_diff_vs_baseline_bootstrap"] = {}
for m, v in boot.items():
    v = np.array(v)
    res["cv_diff_vs_baseline_bootstrap"][m] = {
        name: {"diff": res["cv"][m]["scores"][name]["f1"] - res["cv"]["baseline"]["scores"][name]["f1"],
               "ci95": [float(np.percentile(v[:, c], 2.5)), float(np.percentile(v[:, c], 97.5))],
               "p_le_0": float(np.mean(v[:, c] <= 0))}
        for c, name in enumerate(["macro"] + LABELS)}
np.savez(OUT / "cv_oof_frozen.npz", **{f"pred_{m}": OOF[m] for m in OOF}, **{f"prob_{m}": OOFP[m] for m in OOF}, outer=outer)
res["seconds"] = time.time() - T0
json.dump(res, open(OUT / "results_frozen.json", "w"), indent=1)
for part in ("dev", "cv", "cv_fixed_dev_thr"):
    print(part)
    for m, v in res[part].items():
        s = v["scores"]
        print(f"  {m:22s} " + " ".join(f"{s[l]['f1']:.4f}" for l in LABELS) + f" | macro {s['macro']['f1']:.4f}")
print(json.dumps(res["cv_diff_vs_baseline_bootstrap"], indent=1))
