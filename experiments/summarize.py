"""Build the generated blocks of README.md and data/annotations/README.md from results files.

Each block sits between ``<!-- generated:NAME:start -->`` and
``<!-- generated:NAME:end -->``. With ``--check`` nothing is written; the exit status is
1 when a document's block differs from what the results files give (a test runs this).

Run: ``FRAMING_DATA=../shared/corpora python experiments/summarize.py``
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "results"
LABELS = ["state_claim_uncritical", "hedged_attribution", "forced_confession_noted", "speculative_motive"]


def load(experiment: str, run: str) -> dict:
    return json.loads((RESULTS / experiment / run / "metrics.json").read_text())


def ci(m: dict) -> str:
    return f"{m['f1']:.2f} [{m['f1_lo']:.2f}, {m['f1_hi']:.2f}]"


#: The targets of the classifier issue (issue 4), checked against the results files.
TARGET_MACRO_F1, TARGET_LABEL_F1, TARGET_SPEED = 0.80, 0.70, 20_000
#: Issue 16: labelling should cost under this many times the floor (reading the file and
#: splitting on [.!?] in plain Python), per additional sentence.
TARGET_RATIO = 6.0


def _about(x: float) -> str:
    """Two significant figures, in words for millions: an extrapolation is no more precise."""
    x = float(f"{x:.2g}")
    return f"{x / 1e6:g} million" if x >= 1e6 else f"{x:,.0f}"


def learning_curve_line(curve: dict) -> str:
    """What the learning curve says about reaching the targets with more data of the same kind."""
    ex = curve["extrapolation"]
    frac = curve["macro_f1_by_fraction"]
    needed = curve["n_train_for_all_targets"]
    slopes = ", ".join(f"{lab} {ex[lab]['gain_per_doubling']:+.3f}" for lab in LABELS)
    text = (f"Learning curve (test split, 5 random document orders): macro-F1 {frac[min(frac, key=float)]:.2f} "
            f"with 10 % of the training documents, {frac['1.0']:.2f} with all {curve['n_train_full']:,}; "
            f"F1 gained per doubling of the training data: {slopes}. ")
    if needed is None:
        return text + "At least one label does not improve with more data of this kind."
    return text + (f"A straight line in log(training size), which is optimistic because curves flatten, reaches "
                   f"every target only at about {_about(needed)} training sentences "
                   f"(about {_about(needed / curve['n_train_full'])} times the gold train split).")


def block_results() -> str:
    test = load("classifier", "test")
    cv = load("classifier", "cv")
    agree = json.loads((RESULTS / "agreement" / "metrics.json").read_text())
    seg = load("segmentation", "seeds")
    curve = load("classifier", "learning_curve")
    bench = RESULTS / "benchmark" / "label_throughput.csv"
    # two blind human readings of the test sentences, scored against each other: the F1 to set
    # beside the model's (absent until the second reading of dev + test exists)
    readers = agree.get("dev_test", {}).get("test", {}).get("f1_first_vs_second", {})
    rows = ["| label | test support | combined | cue rules | n-grams | cues only | human alpha | two readers' F1 |",
            "|---|---:|---|---|---|---|---:|---:|"]
    for lab in LABELS + ["macro"]:
        m = test["models"]
        alpha = f"{agree['alpha'][lab]:.2f}" if lab in agree["alpha"] else ""
        human = f"{readers[lab]:.2f}" if lab in readers else ""
        rows.append(f"| {lab} | {m['combined'][lab]['support']} | {ci(m['combined'][lab])} | {ci(m['cue_rules'][lab])} | "
                    f"{ci(m['ngrams'][lab])} | {ci(m['cues'][lab])} | {alpha} | {human} |")
    text = [
        f"Test split: {test['n_test']} sentences (F1 with 95 % document-cluster bootstrap CIs; majority baseline "
        f"macro-F1 {test['models']['majority']['macro']['f1']:.2f}).",
        "",
        *rows,
        "",
        f"Randomly drawn test sentences only ({test['n_test_random']}, realistic label rates): combined macro-F1 "
        f"{ci(test['models_random_subset']['combined']['macro'])} (the mean over the labels with support there; "
        f"{', '.join(lab for lab in LABELS if not test['models_random_subset']['combined'][lab]['support']) or 'none'}"
        " left out for having none); per label "
        + ", ".join(f"{lab} {test['models_random_subset']['combined'][lab]['f1']:.2f} "
                    f"(support {test['models_random_subset']['combined'][lab]['support']})" for lab in LABELS)
        + ". Document-grouped 5-fold CV on train+dev: "
        f"combined {cv['models']['combined']['macro']['f1']:.2f}, n-grams {cv['models']['ngrams']['macro']['f1']:.2f}, "
        f"cue rules {cv['models']['cue_rules']['macro']['f1']:.2f}.",
        learning_curve_line(curve),
        f"Sentence segmentation, boundary F1 on the hand-checked seed corpus: {seg['f1']:.3f} "
        f"(precision {seg['precision']:.3f}, recall {seg['recall']:.3f}, {seg['n_gold']} sentences).",
    ]
    combined = test["models"]["combined"]
    text.append(issue15_targets_line(test))
    weak = [lab for lab in LABELS if combined[lab]["f1"] < TARGET_LABEL_F1]
    accuracy_met = combined["macro"]["f1"] >= TARGET_MACRO_F1 and not weak
    status = [f"Targets: macro-F1 >= {TARGET_MACRO_F1:.2f} on the test split with every label >= {TARGET_LABEL_F1:.2f}: "
              + ("**met**" if accuracy_met else f"**not met** (macro {combined['macro']['f1']:.2f}; below "
                 f"{TARGET_LABEL_F1:.2f}: {', '.join(weak) or 'none'})")]
    if bench.exists():
        table = pd.read_csv(bench).sort_values("n_sentences")
        text.append(speed_line(table))
        big = table.iloc[-1]
        status.append(f"labelling under {TARGET_RATIO:g}x the floor per additional sentence: "
                      + ("**met**" if big["marginal_ratio"] < TARGET_RATIO else "**not met**")
                      + f" ({big['marginal_ratio']:.1f}x)")
        status.append(f">= {TARGET_SPEED:,} sentences/s end to end in one process (issue 4; an absolute figure that "
                      "moves with the machine's load): "
                      + ("**met**" if big["sentences_per_s"] >= TARGET_SPEED else "**not met**")
                      + f" ({big['sentences_per_s']:,.0f}, the median run above)")
    text.append("; ".join(status) + ".")
    for line in (memory_line(), dask_line()):
        if line:
            text.append(line)
    return "\n".join(text)


#: The accuracy targets of the annotation issue (issue 15): a benchmark, in results files, not a test.
ISSUE15_MACRO, ISSUE15_LABEL, ISSUE15_RANDOM = 0.70, 0.55, 0.50


def issue15_targets_line(test: dict) -> str:
    comb, rand = test["models"]["combined"], test["models_random_subset"]["combined"]
    weak = [lab for lab in LABELS if comb[lab]["f1"] < ISSUE15_LABEL]
    parts = [
        f"test macro-F1 >= {ISSUE15_MACRO:.2f} with every label >= {ISSUE15_LABEL:.2f}: "
        + ("**met**" if comb["macro"]["f1"] >= ISSUE15_MACRO and not weak else "**not met**")
        + f" (macro {comb['macro']['f1']:.2f}; " + (f"below {ISSUE15_LABEL:.2f}: {', '.join(weak)}" if weak else
                                                    "every label above") + ")",
        f"randomly drawn test sentences, macro over the labels with support >= {ISSUE15_RANDOM:.2f}: "
        + ("**met**" if rand["macro"]["f1"] >= ISSUE15_RANDOM else "**not met**") + f" ({rand['macro']['f1']:.2f})"]
    line = "Annotation-issue targets (after the four active rounds): " + "; ".join(parts) + "."
    enc = RESULTS / "encoder" / "tier2" / "metrics.json"
    if enc.exists():
        e = json.loads(enc.read_text())
        lo, hi = e["macro_f1_diff_ci"]
        speed = e["speed_sentences_per_s"]
        line += (f"\nEncoder as a second tier (`experiments/exploratory/encoder`, MiniLM fine-tuned on the "
                 f"{e['n_train']:,} train sentences): test macro-F1 {e['macro_f1']['encoder']:.2f} against the fast "
                 f"model's {e['macro_f1']['fast']:.2f} (difference {e['macro_f1_diff']:+.2f} [{lo:+.2f}, {hi:+.2f}], "
                 "paired document bootstrap); per label " + ", ".join(
                     f"{lab} {v['encoder']:.2f} vs {v['fast']:.2f}" for lab, v in e["per_label_f1"].items())
                 + f". Speed on this CPU: {speed['encoder_encode_max_len_64']:,.0f} against "
                 f"{speed['fast_model_predict']:,.0f} sentences/s (prediction only). "
                 + ("It ships as the optional `framing[transformer]` tier." if e["ships"] else
                    "It does not beat the fast model beyond the interval, so it does not ship; the fast tier stays "
                    "the only one."))
    return line


def speed_line(table: pd.DataFrame) -> str:
    """Labelling time as a ratio to the floor measured in the same run; absolute rates beside."""
    big, small = table.iloc[-1], table.iloc[0]
    return (f"Speed (one process, this 2-core machine, `make benchmark`): labelling {int(big['n_sentences']):,} "
            f"sentences end to end takes {big['ratio']:.1f}x (range {big['ratio_min']:.1f}-{big['ratio_max']:.1f} over "
            f"{int(big['runs'])} runs) the time of the floor, reading the same gzip JSON Lines file and splitting on "
            f"[.!?] in plain Python, measured alternately in the same run; that includes about "
            f"{big['seconds'] - big['marginal_ratio'] * big['floor_seconds']:.1f} s of start-up (imports, loading "
            f"the model). Per additional sentence (from {int(small['n_sentences']):,} to "
            f"{int(big['n_sentences']):,}) it costs {big['marginal_ratio']:.1f}x the floor. Absolute, beside the "
            f"ratio: {big['sentences_per_s']:,.0f} sentences/s end to end (median run, range "
            f"{big['sentences_per_s_min']:,.0f}-{big['sentences_per_s_max']:,.0f}) against the floor's "
            f"{big['floor_sentences_per_s']:,.0f}; peak memory {big['peak_rss_mb']:,.0f} MB.")


def memory_line() -> str | None:
    """Peak memory of the streaming commands on the largest corpus, before and after streaming."""
    after_path, before_path = RESULTS / "benchmark" / "memory.csv", RESULTS / "benchmark" / "memory_before.csv"
    if not after_path.exists():
        return None
    after = pd.read_csv(after_path)
    after = after[after["n_sentences"] == after["n_sentences"].max()].set_index("command")
    before = None
    if before_path.exists():
        b = pd.read_csv(before_path)
        before = b[b["n_sentences"] == b["n_sentences"].max()].set_index("command")
    parts = []
    for command, row in after.iterrows():
        was = f" (was {before.loc[command, 'peak_rss_mb']:,.0f})" if before is not None and command in before.index else ""
        parts.append(f"`{command}` {row['peak_rss_mb']:,.0f} MB{was}")
    sizes = sorted(pd.read_csv(after_path)["n_sentences"].unique())
    flat = pd.read_csv(after_path).groupby("command")["peak_rss_mb"].agg(["min", "max"])
    code = (f", with the peak of the code before streaming ({before['code'].iloc[0].split()[0]}) in brackets"
            if before is not None else "")
    return (f"Peak memory (`benchmarks/bench_memory.py`, a fresh process per command) on all of Tehran Times "
            f"({int(after['n_sentences'].iloc[0]):,} sentences){code}: " + ", ".join(parts)
            + f". From {sizes[0]:,} to {sizes[-1]:,} sentences each command's peak moves by at most "
            f"{(flat['max'] - flat['min']).max():,.0f} MB.")


def dask_line() -> str | None:
    """Dask throughput with 1 and 2 workers, and the speed-up, from one run."""
    path = RESULTS / "benchmark" / "dask.csv"
    if not path.exists():
        return None
    t = pd.read_csv(path).set_index("workers")
    one, two = t.loc[1], t.loc[2]
    return (f"Dask (`benchmarks/bench_dask.py`, a `distributed.LocalCluster` on this 2-core machine, "
            f"{int(one['n_sentences']):,} sentences in {int(one['partitions'])} Parquet partitions, "
            f"{int(one['repeated_documents']):,} of the {int(one['n_documents']):,} documents repeated under new ids): "
            f"2 workers label {two['speedup']:.2f}x as fast as 1 in the same run ({two['sentences_per_s']:,.0f} "
            f"against {one['sentences_per_s']:,.0f} sentences/s, reading and writing Parquet included); peak memory "
            f"per worker {two['peak_worker_rss_mb']:,.0f} MB with 2 workers, {one['peak_worker_rss_mb']:,.0f} MB "
            f"with 1.")


def block_gold_counts() -> str:
    # from the results file build_gold.py writes (no corpus needed)
    g = json.loads((RESULTS / "gold" / "summary" / "metrics.json").read_text())
    lines = ["| corpus | sentences | randomly drawn | " + " | ".join(LABELS) + " |",
             "|---|---:|---:|" + "---:|" * len(LABELS)]
    total = {"sentences": 0, "random": 0, **{lab: 0 for lab in LABELS}}
    for corpus, r in g["per_corpus"].items():
        lines.append(f"| {corpus} | {r['sentences']} | {r['random']} | "
                     + " | ".join(str(r["positives"][x]) for x in LABELS) + " |")
        total["sentences"] += r["sentences"]
        total["random"] += r["random"]
        for x in LABELS:
            total[x] += r["positives"][x]
    lines.append(f"| total | {total['sentences']} | {total['random']} | " + " | ".join(str(total[x]) for x in LABELS)
                 + " |")
    lines += ["", "| split | sentences | " + " | ".join(LABELS) + " |", "|---|---:|" + "---:|" * len(LABELS)]
    for split in ("train", "dev", "test"):
        r = g["splits"][split]
        lines.append(f"| {split} | {r['sentences']} | " + " | ".join(str(r["positives"][x]) for x in LABELS) + " |")
    sampling = g["sampling"]
    lines += ["", f"Sampling: {sampling.get('random', 0)} randomly drawn, {sampling.get('search', 0)} from candidate "
              f"searches, {sampling.get('active', 0)} chosen in the active rounds (of which "
              f"{g['active_random_control']} their random control slices), "
              f"{sampling.get('census', 0)} seed sentences (all); randomly drawn share of the external "
              f"sentences outside the active rounds {g['external_random_share_outside_active']:.2f}."]
    agree = json.loads((RESULTS / "agreement" / "metrics.json").read_text())
    if g["active_rounds"]:
        lines += ["", "Active annotation rounds (train split; a random tenth of each round read twice, blind):", "",
                  "| round | sentences read | random control slice | " + " | ".join(LABELS)
                  + " | alpha (state / hedged / speculative) |", "|---|---:|---:|" + "---:|" * len(LABELS) + "---|"]
        for k, part in sorted(g["active_rounds"].items(), key=lambda kv: int(kv[0])):
            a = agree.get("active_rounds", {}).get(k, {}).get("alpha", {})
            alpha = " / ".join(f"{a[lab]:.2f}" for lab in ("state_claim_uncritical", "hedged_attribution",
                                                             "speculative_motive") if lab in a)
            lines.append(f"| {k} | {part['sentences']} | {part['random_control']} | "
                         + " | ".join(str(part["positives"][x]) for x in LABELS) + f" | {alpha} |")
    if g["validation_samples"]:
        lines += ["", "Validation samples (never training data; inclusion probabilities recorded):", "",
                  "| sample | sentences read | population (passages) | strata | " + " | ".join(LABELS) + " |",
                  "|---|---:|---:|---:|" + "---:|" * len(LABELS)]
        for name, v in g["validation_samples"].items():
            lines.append(f"| {name} | {v['sentences']} | {v['population_passages']:,} | {v['strata']} | "
                         + " | ".join(str(v["positives"][x]) for x in LABELS) + " |")
    lines += ["", f"Agreement on {agree['n_units']} randomly chosen sentences, two independent passes "
              f"(Krippendorff's alpha, nominal): " + ", ".join(f"{k} {v:.2f}" for k, v in agree["alpha"].items())
              + f"; {agree['n_disagreements']} sentences disagreed and were adjudicated."]
    if "dev_test" in agree:
        dt = agree["dev_test"]
        lines += ["", f"Second blind reading of every other dev and test sentence ({dt['all']['n_units']}): "
                  f"alpha " + ", ".join(f"{k} {v:.2f}" for k, v in dt["all"]["alpha"].items())
                  + "; F1 of one reading against the other " + ", ".join(
                      f"{k} {v:.2f}" for k, v in dt["all"]["f1_first_vs_second"].items())
                  + f". {dt['all']['n_disagreements']} sentences disagreed; a third blind reading decided each "
                  "label by majority."]
    return "\n".join(lines)


def block_comparisons() -> str:
    """Event alignment scores and the outlet comparisons' headline numbers, from results files."""
    lines = []
    e0 = RESULTS / "events" / "alignment" / "metrics.json"
    if e0.exists():
        m = json.loads(e0.read_text())
        sc, base = m["scores"], m["baseline_tuned_per_corpus"]
        lines.append(
            "Event alignment (`framing.align_events`, one default setting for every corpus, chosen on half of the "
            "events; `experiments/align_events.py`), B-cubed F1 against groupings no one here made: "
            f"BASIL {sc['basil']['bcubed_f1']:.3f} (held-out half {sc['basil/held_out']['bcubed_f1']:.3f}; target 0.95), "
            f"AllSides story roundups {sc['allsides_stories']['bcubed_f1']:.3f} "
            f"(held-out half {sc['allsides_stories/held_out']['bcubed_f1']:.3f}; target 0.92), "
            f"ECB+ topics {sc['ecbplus']['bcubed_f1']:.3f} (two similar events per topic by design; no target); "
            f"ARI {sc['basil']['ari']:.2f}, {sc['allsides_stories']['ari']:.2f}, {sc['ecbplus']['ari']:.2f}. "
            f"For scale, a TF-IDF baseline with its threshold tuned on each corpus: {base['basil']['bcubed_f1']:.3f}, "
            f"{base['allsides_stories']['bcubed_f1']:.3f}, {base['ecbplus']['bcubed_f1']:.3f}.")
    names = {"e3_basil": "BASIL (E3)", "e4_allsides_stories": "AllSides stories (E4)",
             "e5_covid_origins": "covid_origins (E5)"}
    for exp, name in names.items():
        path = RESULTS / exp / "main" / "metrics.json"
        if not path.exists():
            continue
        m = json.loads(path.read_text())
        pairs = pd.read_csv(RESULTS / exp / "main" / "pairs.csv")
        pairs = pairs[(pairs["n_events"] > 0) & ~pairs["label"].str.contains("|", regex=False)]
        if "testable" in pairs.columns:
            pairs = pairs[pairs["testable"].astype(str).str.lower() == "true"]
        naive = pairs[pairs["p_adjusted"] < 0.05]
        corr = pairs[pairs["corrected_p_adjusted"] < 0.05]
        same = naive.merge(corr, on=["outlet_a", "outlet_b", "label"])
        same = same[(same["diff_x"] > 0) == (same["diff_corrected_y"] > 0)]
        val = m.get("validation", {}).get("scores", {}).get("corpus/macro", {})
        lines.append(
            f"{name}: {m['n_shared_events']:,} events covered by two or more groups; of "
            f"{len(pairs)} testable within-event differences (group pairs x labels), {len(naive)} significant "
            f"naively (Holm p < 0.05) and {len(corr)} after correction for classifier error (Holm p < 0.05); "
            f"{len(same)} both, in the same direction. The model's macro-F1 on the experiment's gold validation sample "
            f"({m['validation']['n']} sentences, weighted to the corpus): {val.get('f1', float('nan')):.2f}.")
    e6 = RESULTS / "e6_robustness" / "main" / "metrics.json"
    if e6.exists():
        m = json.loads(e6.read_text())
        rate = m["survival_rate"]
        lines.append(
            f"Robustness (E6): of the {m['n_naive_conclusions']} naive conclusions of E3-E5, the share that holds "
            + ", ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in rate.items() if v is not None)
            + "; full tables in `paper/paper.pdf` and `results/e6_robustness/`.")
    timing = RESULTS / "reproduce" / "timing.json"
    if timing.exists():
        t = json.loads(timing.read_text())
        lines.append(f"`make reproduce` (every experiment from data to the paper PDF) took {t['wall_seconds'] / 60:.0f} "
                     f"minutes on this {t['cpus']}-core machine ({t['date']}).")
    return "\n".join(lines) if lines else "Run `make results` to fill this in."


BLOCKS = {
    ROOT / "README.md": {"results": block_results, "comparisons": block_comparisons},
    ROOT / "data" / "annotations" / "README.md": {"gold-counts": block_gold_counts},
}


def render(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- generated:{name}:start -->\n)(?:.*?\n)?(<!-- generated:{name}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"no generated:{name} block")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the documents are up to date")
    args = parser.parse_args()
    stale = []
    for path, blocks in BLOCKS.items():
        text = path.read_text(encoding="utf-8")
        new = text
        for name, make in blocks.items():
            new = render(new, name, make())
        if new != text:
            stale.append(str(path.relative_to(ROOT)))
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print("stale generated blocks in: " + ", ".join(stale) + " (run experiments/summarize.py)")
        return 1
    print("up to date" if not stale else "updated: " + ", ".join(stale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
