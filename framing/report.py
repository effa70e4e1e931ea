"""A report folder from labelled passages: tables, a figure, and the evidence passages
behind each outlet's label rates, as Markdown and a self-contained HTML page.
"""
from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .columns import CUE_TYPE, DOC_ID, EVENT_ID, EVIDENCE, LABEL_NAMES, OUTLET, PASSAGE_ID, PROBA_PREFIX, TEXT
from .compare import label_rates
from .cues import cue_table

__all__ = ["write_report"]


def _highlight(text: str, evidence: list[dict[str, Any]], label: str) -> str:
    spans = sorted({(e["start"], e["end"]) for e in evidence if e.get("label") == label})
    out, pos = [], 0
    for s, e in spans:
        if s < pos:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def write_report(
    labelled: pd.DataFrame,
    out_dir: str | Path,
    *,
    labels: Sequence[str] = LABEL_NAMES,
    title: str = "Framing report",
    examples: int = 3,
) -> Path:
    """Write a report folder for labelled passages.

    Parameters
    ----------
    labelled : DataFrame
        Output of :func:`framing.pipeline.label_documents` (passages with 0/1 label
        columns, ``p_<label>`` probabilities and ``evidence``).
    out_dir : path-like
        Folder to write (created if needed).
    labels : sequence of str
        Label columns.
    title : str
        Report title.
    examples : int, default 3
        Evidence passages shown per outlet and label (highest probability first).

    Returns
    -------
    pathlib.Path
        The folder, holding ``index.html``, ``report.md``, ``passages.csv``,
        ``label_rates.csv``, ``label_rates_by_event.csv``, ``cue_counts.csv``,
        ``label_rates.png``.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .plots import plot_label_rates

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    labels = list(labels)
    frame = labelled.copy()
    # a table of the user's own passages may lack the ids, outlet or event: fill, never drop
    for column, default in ((OUTLET, None), (EVENT_ID, None), (DOC_ID, None), (EVIDENCE, "[]")):
        if column not in frame.columns:
            frame[column] = default
    if PASSAGE_ID not in frame.columns:
        frame[PASSAGE_ID] = [f"p{i}" for i in range(len(frame))]
    frame[OUTLET] = frame[OUTLET].fillna("(unknown)").astype(str)
    rates = label_rates(frame, labels=labels)
    by_event = label_rates(frame, by=(EVENT_ID, OUTLET), labels=labels)
    cues = cue_table(frame[[PASSAGE_ID, TEXT]])
    cues = cues.merge(frame[[PASSAGE_ID, OUTLET]], on=PASSAGE_ID)
    cue_counts = cues.groupby([OUTLET, CUE_TYPE]).size().rename("n").reset_index()

    frame.to_csv(out / "passages.csv", index=False)
    rates.to_csv(out / "label_rates.csv", index=False, float_format="%.4f")
    by_event.to_csv(out / "label_rates_by_event.csv", index=False, float_format="%.4f")
    cue_counts.to_csv(out / "cue_counts.csv", index=False)

    ax = plot_label_rates(rates)
    ax.set_title(title)
    ax.figure.tight_layout()
    ax.figure.savefig(out / "label_rates.png", dpi=120)
    plt.close(ax.figure)

    outlets = sorted(frame[OUTLET].unique())
    md = [f"# {title}", "", f"{len(frame)} passages from {frame['doc_id'].nunique()} documents, "
          f"{len(outlets)} outlets.", "", "## Label rates by outlet", "",
          "| outlet | passages | " + " | ".join(labels) + " |", "|---|---:|" + "---:|" * len(labels)]
    for outlet in outlets:
        part = rates[rates[OUTLET] == outlet].set_index("label")
        n = int(part["n_passages"].iloc[0])
        md.append(f"| {outlet} | {n} | " + " | ".join(
            f"{part.loc[lab, 'rate']:.2f} ({int(part.loc[lab, 'n_labelled'])})" for lab in labels) + " |")
    md += ["", "![label rates](label_rates.png)", "", "## Evidence passages", ""]
    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p>{len(frame)} passages from {frame['doc_id'].nunique()} documents, {len(outlets)} outlets. "
            "Labels come from the <code>framing</code> classifier; highlighted spans are the cue evidence "
            "behind each predicted label.</p>",
            "<h2>Label rates by outlet</h2><table><tr><th>outlet</th><th>passages</th>"
            + "".join(f"<th>{html.escape(lab)}</th>" for lab in labels) + "</tr>"]
    for outlet in outlets:
        part = rates[rates[OUTLET] == outlet].set_index("label")
        body.append(f"<tr><td>{html.escape(outlet)}</td><td>{int(part['n_passages'].iloc[0])}</td>" + "".join(
            f"<td>{part.loc[lab, 'rate']:.2f} ({int(part.loc[lab, 'n_labelled'])})</td>" for lab in labels) + "</tr>")
    body += ["</table>", '<img src="label_rates.png" alt="label rates by outlet">', "<h2>Evidence passages</h2>"]
    for outlet in outlets:
        md.append(f"### {outlet}")
        body.append(f"<h3>{html.escape(outlet)}</h3>")
        part = frame[frame[OUTLET] == outlet]
        for lab in labels:
            hits = part[part[lab] == 1].sort_values(f"{PROBA_PREFIX}{lab}", ascending=False).head(examples)
            if hits.empty:
                continue
            md.append(f"**{lab}**")
            md.append("")
            body.append(f"<h4>{html.escape(lab)}</h4><ul>")
            for r in hits.itertuples():
                ev = json.loads(getattr(r, EVIDENCE)) if EVIDENCE in frame.columns else []
                cues_txt = ", ".join(sorted({f"{e['cue_type']}: {e['match']}" for e in ev if e.get("label") == lab}))
                p = getattr(r, f"{PROBA_PREFIX}{lab}")
                md.append(f"- ({p:.2f}) {r.text}" + (f"  \n  _cues: {cues_txt}_" if cues_txt else ""))
                body.append(f"<li><span class='p'>{p:.2f}</span> {_highlight(r.text, ev, lab)}"
                            f"<br><small>{html.escape(r.passage_id)}</small></li>")
            md.append("")
            body.append("</ul>")
    (out / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    style = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}"
             "table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:.9rem}"
             "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right;overflow-wrap:anywhere}"
             "td:first-child,th:first-child{text-align:left}mark{background:#ffe08a}img{max-width:100%}"
             ".p{font-family:monospace;color:#555;margin-right:.4rem}li{margin-bottom:.5rem}")
    page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>" + "\n".join(body) + "</body></html>\n")
    (out / "index.html").write_text(page, encoding="utf-8")
    return out
