"""Build the paper from its template and the results files: ``paper/paper.md`` (every number
filled in from ``results/``), then ``paper/paper.html`` (pandoc, figures embedded) and
``paper/paper.pdf`` (headless chromium prints the HTML).

Template syntax (``paper/paper.md.in``):

* ``{{<experiment>/<run>/<key>/<key>...::<format>}}``: a value of
  ``results/<experiment>/<run>/metrics.json`` (keys separated by ``/``; run ``-`` for
  ``results/<experiment>/metrics.json``), formatted with a
  Python format spec (``.2f``, ``+.1f``, ``,d``, ``.1%``), ``pct`` (a share as per cent,
  one decimal) or ``int``;
* ``{{table:<name>}}``: a Markdown table made by :data:`TABLES` from results files;
* ``{{figure:<file>|<caption>}}``: a figure of ``paper/figures/``.

No number is typed into the template (a test checks that the template holds no digits
outside placeholders, apart from years and section names), and ``--check`` fails when
``paper/paper.md`` differs from what the results give.

Run: ``python paper/build.py`` (``make paper``); ``--check`` only compares; ``--md-only``
skips HTML and PDF.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT / "paper"
RESULTS = ROOT / "results"
LABELS = ["state_claim_uncritical", "hedged_attribution", "forced_confession_noted", "speculative_motive"]
PLACEHOLDER = re.compile(r"\{\{(.+?)\}\}")


@lru_cache(maxsize=None)
def metrics(experiment: str, run: str) -> dict[str, Any]:
    # "-" for results written without a run folder (results/agreement/metrics.json)
    path = RESULTS / experiment / "metrics.json" if run == "-" else RESULTS / experiment / run / "metrics.json"
    if not path.exists():
        raise SystemExit(f"the paper needs {path.relative_to(ROOT)}; run 'make results' first")
    return json.loads(path.read_text())


def value(path: str) -> Any:
    parts = path.split("/")
    data: Any = metrics(parts[0], parts[1])
    rest = parts[2:]
    while rest:
        if isinstance(data, list):
            data, rest = data[int(rest[0])], rest[1:]
            continue
        # a key may itself hold "/" (validation scores "corpus/macro"): take the shortest that exists
        for n in range(1, len(rest) + 1):
            key = "/".join(rest[:n])
            if key in data:
                data, rest = data[key], rest[n:]
                break
        else:
            raise SystemExit(f"no key {rest[0]!r} in results/{parts[0]}/{parts[1]}/metrics.json (path {path})")
    return data


def fmt(x: Any, spec: str) -> str:
    if x is None:
        return "n/a"
    if spec == "pct":
        return f"{100 * float(x):.1f}"
    if spec == "int":
        return f"{int(x):,}"
    if spec in ("", "str"):
        return str(x)
    return format(x, spec)


def label_name(lab: str) -> str:
    base, _, who = lab.partition("|")
    return base.replace("_", " ") + (f" ({who})" if who else "")


def pp(x: float) -> str:
    return f"{x:+.1f}"


def ci(lo: float, hi: float, digits: int = 1) -> str:
    return f"[{lo:+.{digits}f}, {hi:+.{digits}f}]"


# ----------------------------------------------------------------------------- tables


def table_classifier() -> str:
    test = metrics("classifier", "test")
    agree = json.loads((RESULTS / "agreement" / "metrics.json").read_text())
    readers = agree.get("dev_test", {}).get("test", {}).get("f1_first_vs_second", {})
    rows = ["| label | support | classifier | cue rules | n-grams only | two readers |", "|---|---:|---|---|---|---:|"]
    for lab in [*LABELS, "macro"]:
        m = test["models"]
        cells = [f"{m[k][lab]['f1']:.2f} [{m[k][lab]['f1_lo']:.2f}, {m[k][lab]['f1_hi']:.2f}]"
                 for k in ("combined", "cue_rules", "ngrams")]
        human = f"{readers[lab]:.2f}" if lab in readers else ""
        rows.append(f"| {label_name(lab) if lab != 'macro' else 'macro'} | {m['combined'][lab]['support']} | "
                    + " | ".join(cells) + f" | {human} |")
    return "\n".join(rows)


def table_alignment() -> str:
    scores = pd.read_csv(RESULTS / "events" / "alignment" / "scores.csv")
    base = metrics("events", "alignment")["baseline_tuned_per_corpus"]
    rows = ["| corpus | events | documents | B-cubed P | B-cubed R | B-cubed F1 | ARI | TF-IDF baseline F1 |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in scores[scores["setting"] == "default"].itertuples():
        rows.append(f"| {r.corpus} | {'all' if r.events == 'all' else 'held-out half'} | {r.n_documents:,} | "
                    f"{r.bcubed_precision:.3f} | {r.bcubed_recall:.3f} | {r.bcubed_f1:.3f} | {r.ari:.3f} | "
                    + (f"{base[r.corpus]['bcubed_f1']:.3f}" if r.events == "all" else "") + " |")
    return "\n".join(rows)


def _pairs_table(experiment: str, labels: list[str] | None = None, corrected: bool = True) -> str:
    pairs = pd.read_csv(RESULTS / experiment / "main" / "pairs.csv")
    pairs = pairs[pairs["n_events"] > 0]
    if labels is not None:
        pairs = pairs[pairs["label"].isin(labels)]
    if "testable" in pairs.columns:  # rows with no variation (a label never predicted): nothing to test
        pairs = pairs[pairs["testable"].astype(str).str.lower() == "true"]
    head = "| outlets (a − b) | label | events | naive, pp [95 % CI] | p (Holm) |"
    rule = "|---|---|---:|---|---:|"
    if corrected and "diff_corrected" in pairs.columns:
        head += " corrected, pp [95 % CI] |"
        rule += "---|"
    rows = [head, rule]
    for r in pairs.itertuples():
        line = (f"| {r.outlet_a} − {r.outlet_b} | {label_name(r.label)} | {r.n_events} | {pp(r.diff)} "
                f"{ci(r.ci_low, r.ci_high)} | {r.p_adjusted:.3f} |")
        if corrected and "diff_corrected" in pairs.columns:
            line += f" {pp(r.diff_corrected)} {ci(r.corrected_ci_low, r.corrected_ci_high)} |"
        rows.append(line)
    return "\n".join(rows)


def _rates_table(experiment: str, by: str, labels: list[str] | None = None) -> str:
    rates = pd.read_csv(RESULTS / experiment / "main" / "rates.csv")
    if labels is not None:
        rates = rates[rates["label"].isin(labels)]
    rows = [f"| {by} | label | passages | naive % [95 % CI] | corrected % [95 % CI] | Rogan–Gladen % |",
            "|---|---|---:|---|---|---|"]
    for r in rates.itertuples():
        d = r._asdict()
        rows.append(f"| {d[by]} | {label_name(r.label)} | {r.n_passages:,} | {100 * r.rate:.1f} "
                    f"[{100 * r.ci_low:.1f}, {100 * r.ci_high:.1f}] | {100 * d['rate_corrected']:.1f} "
                    f"[{100 * d['corrected_ci_low']:.1f}, {100 * d['corrected_ci_high']:.1f}] | "
                    f"{100 * d['rate_rogan_gladen']:.1f} |")
    return "\n".join(rows)


def table_claimants() -> str:
    """covid_origins: per outlet, each claimant breakdown as naive and corrected per cent."""
    rates = pd.read_csv(RESULTS / "e5_covid_origins" / "main" / "rates.csv")
    cols = ["state_claim_uncritical|China", "state_claim_uncritical|United States", "hedged_attribution|China",
            "hedged_attribution|United States"]

    def cell(r: Any) -> str:
        def one(x: float, lo: float, hi: float) -> str:
            return "–" if pd.isna(x) else (f"{100 * x:.2f}" + ("" if pd.isna(lo) else f" [{100 * lo:.2f}, {100 * hi:.2f}]"))
        return f"{one(r.rate, r.ci_low, r.ci_high)}<br>{one(r.rate_corrected, r.corrected_ci_low, r.corrected_ci_high)}"

    rows = ["| outlet | passages | " + " | ".join(label_name(c) for c in cols) + " |", "|---|---:|" + "---|" * len(cols)]
    for outlet, part in rates[rates["label"].isin(cols)].groupby("outlet", sort=True):
        part = part.set_index("label")
        rows.append(f"| {outlet} | {int(part['n_passages'].iloc[0]):,} | "
                    + " | ".join(cell(part.loc[c]) for c in cols) + " |")
    return "\n".join(rows)


def _validation_table(experiment: str) -> str:
    v = pd.read_csv(RESULTS / experiment / "main" / "validation_scores.csv")
    v = v[v["weighting"].str.startswith("corpus")]
    rows = ["| label | gold positives | precision | recall | F1 |", "|---|---:|---:|---:|---:|"]
    for r in v.itertuples():
        if r.label == "macro":
            rows.append(f"| macro (labels with support) |  |  |  | {r.f1:.2f} |")
        else:
            rows.append(f"| {label_name(r.label)} | {r.support} | {r.precision:.2f} | {r.recall:.2f} | {r.f1:.2f} |")
    return "\n".join(rows)


def table_robustness() -> str:
    s = pd.read_csv(RESULTS / "e6_robustness" / "main" / "summary.csv")
    if s.empty:
        return "_No within-event difference reached significance in the main runs._"
    names = {"survives_corrected": "corrected", "survives_paragraphs": "paragraphs",
             "survives_no_duplicates": "no wire copy", "survives_cue_rules": "cue rules"}
    cols = [c for c in names if c in s.columns]
    rows = ["| experiment | outlets (a − b) | label | naive, pp | " + " | ".join(names[c] for c in cols) + " |",
            "|---|---|---|---|" + "---|" * len(cols)]

    def mark(v: Any) -> str:
        return "n/a" if pd.isna(v) else ("holds" if bool(v) else "does not hold")

    for r in s.itertuples():
        d = r._asdict()
        naive = f"{pp(r.diff)} (p {r.p_adjusted:.3f})" if r.naive_conclusion else f"{pp(r.diff)} (n.s.)"
        rows.append(f"| {r.experiment.split('_')[0].upper()} | {r.outlet_a} − {r.outlet_b} | {label_name(r.label)} | "
                    f"{naive} | " + " | ".join(mark(d[c]) for c in cols) + " |")
    return "\n".join(rows)


def table_active() -> str:
    m = metrics("classifier", "active_vs_random")
    rows = ["| round | read at random | read as chosen | " + " | ".join(
        f"{label_name(lab)} per 1,000 (random / chosen)" for lab in LABELS) + " |", "|---:|---:|---:|" + "---|" * len(LABELS)]
    for k, r in m["rounds"].items():
        pr = r["positives_per_1000_read"]
        rows.append(f"| {k} | {r['n_random']:,} | {r['n_active']:,} | " + " | ".join(
            f"{pr['random'][lab]:.0f} / {pr['active'][lab]:.0f}" for lab in LABELS) + " |")
    return "\n".join(rows)


def table_case_study() -> str:
    m = metrics("e2_seed_case_study", "main")
    rows = ["| event | sentences | " + " | ".join(f"{label_name(lab)} readers / model" for lab in LABELS) + " |",
            "|---|---:|" + "---|" * len(LABELS)]
    for event, e in m["events"].items():
        rows.append(f"| {e['name']} | {e['n_sentences']} | " + " | ".join(
            f"{e[lab + '_counts']['gold']} / {e[lab + '_counts']['model']}" for lab in LABELS) + " |")
    return "\n".join(rows)


def quotes_case_study() -> str:
    m = metrics("e2_seed_case_study", "main")
    out = []
    for event, e in m["events"].items():
        shown = []
        for lab in LABELS:
            for q in e[lab][:1]:
                cues = f" (cues: {'; '.join(q['cues'])})" if q["cues"] else ""
                model = "the model agrees" if q["model"] else "the model misses it"
                shown.append(f"> {q['text']}\n>\n> — {q['outlet'] or 'unsigned analysis'}; read as {label_name(lab)}; "
                             f"{model}, p = {q['p']:.2f}{cues}.")
        if shown:
            out.append(f"**{e['name'].capitalize()}.**\n\n" + "\n\n".join(shown))
    return "\n\n".join(out)


TABLES: dict[str, Callable[[], str]] = {
    "classifier": table_classifier,
    "alignment": table_alignment,
    "e3_pairs": lambda: _pairs_table("e3_basil"),
    "e3_rates": lambda: _rates_table("e3_basil", "outlet", ["state_claim_uncritical", "hedged_attribution",
                                                              "speculative_motive"]),
    "e3_validation": lambda: _validation_table("e3_basil"),
    "e4_pairs": lambda: _pairs_table("e4_allsides_stories"),
    "e4_validation": lambda: _validation_table("e4_allsides_stories"),
    "e5_pairs": lambda: _pairs_table("e5_covid_origins", ["state_claim_uncritical", "hedged_attribution",
                                                          "speculative_motive"]),
    "e5_claimants": table_claimants,
    "e5_validation": lambda: _validation_table("e5_covid_origins"),
    "robustness": table_robustness,
    "active": table_active,
    "case_study": table_case_study,
    "case_quotes": quotes_case_study,
}


def render(template: str) -> str:
    def sub(m: re.Match[str]) -> str:
        body = m.group(1).strip()
        if body.startswith("table:"):
            return TABLES[body[6:].strip()]()
        if body.startswith("figure:"):
            name, _, caption = body[7:].partition("|")
            path = PAPER / "figures" / name.strip()
            if not path.exists():
                raise SystemExit(f"the paper needs the figure {path.relative_to(ROOT)}; run experiments/figures.py")
            return f"![{caption.strip()}](figures/{name.strip()})"
        path, _, spec = body.partition("::")
        return fmt(value(path.strip()), spec.strip())

    return PLACEHOLDER.sub(sub, template)


_ALLOWED_DIGITS = re.compile(r"\b(?:19|20)\d\d(?:[–-]\d\d)?\b|\bE[0-6]\b|\b[Ss]ection \d\b|\b\d\d?(?=\.\s)|"
                             r"\b(?:Table|Figure) \d+\b|\(\d{4}\)|\bCOVID-19\b|\bMiniLM-L6-v2\b|\bB-cubed\b|\bF1\b|\b95 %")


def stray_numbers(template: str) -> list[str]:
    """Digits in the template outside placeholders (a typed number), apart from years, names
    such as F1 or E3, list numbers and the 95 % interval level."""
    text = PLACEHOLDER.sub("", template)
    text = re.sub(r"`[^`]*`", "", text)  # code spans: file and function names
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = _ALLOWED_DIGITS.sub("", text)
    return re.findall(r"[^\s]*\d[^\s]*", text)


def build_html_pdf() -> None:
    for tool, how in (("pandoc", "apt-get install pandoc"), ("chromium", "apt-get install chromium")):
        if shutil.which(tool) is None:
            raise SystemExit(f"'make paper' needs {tool}, which is not installed here: install it with '{how}' "
                             "(Debian's package), then run 'make paper' again. paper/paper.md is up to date.")
    version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.split()[1]
    embed = ["--embed-resources", "--standalone"] if tuple(map(int, version.split(".")[:2])) >= (2, 19) else \
        ["--self-contained"]
    html = PAPER / "paper.html"
    subprocess.run(["pandoc", str(PAPER / "paper.md"), *embed, "--css", str(PAPER / "paper.css"),
                    "--resource-path", str(PAPER), "--metadata", "lang=en", "-o", str(html)], check=True, cwd=PAPER)
    pdf = PAPER / "paper.pdf"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=/tmp/framing-paper-chromium", "--no-pdf-header-footer"]
    subprocess.run(["chromium", *flags, f"--print-to-pdf={pdf}", html.as_uri()], check=True, capture_output=True)
    print(f"{html.relative_to(ROOT)}, {pdf.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check paper.md against the results files")
    parser.add_argument("--md-only", action="store_true", help="write paper.md, skip HTML and PDF")
    args = parser.parse_args()
    template = (PAPER / "paper.md.in").read_text(encoding="utf-8")
    stray = stray_numbers(template)
    if stray:
        print(f"numbers typed into paper/paper.md.in (fill them from results files): {stray[:10]}")
        return 1
    text = render(template)
    target = PAPER / "paper.md"
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print("paper/paper.md is stale: run 'python paper/build.py' (make paper)")
            return 1
        print("paper.md up to date")
        return 0
    changed = not target.exists() or target.read_text(encoding="utf-8") != text
    if changed:
        target.write_text(text, encoding="utf-8")
    if not args.md_only and (changed or not (PAPER / "paper.pdf").exists()):
        build_html_pdf()
    print("paper.md " + ("updated" if changed else "unchanged"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
