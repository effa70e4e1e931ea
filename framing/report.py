"""One self-contained HTML report from labelled passages: the comparison tables with their
intervals (naive and corrected) beside the model's measured error rates, the pairwise and
per-event tables, the figures (embedded), and the documents with labelled passages and
their evidence marked; filters for label, outlet and event work in the page.

The statistics come from :func:`framing.compare.compare_outlets`; this module only lays
them out. The filters can be set from the address too (``index.html#label=hedged_attribution&
outlet=Fox%20News&event=e12``), so a filtered view can be linked. A labelled *file* is read twice in chunks of the columns needed (memory stays
flat however large it is): once for the statistics, once for the documents shown.
"""
from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .columns import CORPUS, DATE, DOC_ID, END, EVENT_ID, EVIDENCE, LABEL_NAMES, OUTLET, PROBA_PREFIX, START, TEXT, TITLE
from .compare import MISSING_GROUP, Comparison, ErrorRates, compare_outlets
from .errors import DataError

__all__ = ["write_report", "write_comparison", "read_labelled"]

_STAT_COLUMNS = (CORPUS, DOC_ID, START, EVENT_ID, "duplicate_of")


# ----------------------------------------------------------------------------- reading


def _from_meta(chunk: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Columns ``names`` the chunk lacks, taken from its ``meta`` field (a dict or a JSON object) when there."""
    missing = [n for n in names if n not in chunk.columns]
    if not missing or "meta" not in chunk.columns:
        return chunk

    def parse(value: Any) -> dict:
        if isinstance(value, dict):
            return value
        if isinstance(value, str) and value.startswith("{"):
            try:
                out = json.loads(value)
            except ValueError:
                return {}
            return out if isinstance(out, dict) else {}
        return {}

    metas = chunk["meta"].map(parse)
    chunk = chunk.copy()
    for name in missing:
        if metas.map(lambda m: name in m).any():
            chunk[name] = metas.map(lambda m: m.get(name)).map(lambda v: None if v is None else str(v))
    return chunk


def _iter_chunks(path: Path, columns: Sequence[str] | None, chunk_rows: int = 200_000) -> Iterator[pd.DataFrame]:
    """A labelled table in chunks, only ``columns`` (all when None), ids and text as strings.

    A column asked for that the table lacks is taken from its ``meta`` field when there (so
    ``--by bias`` works on a corpus whose outlet bias sits in ``meta``).
    """
    name = path.name.lower()
    strings = {c: str for c in (DOC_ID, CORPUS, OUTLET, EVENT_ID, TEXT, EVIDENCE, TITLE, DATE)}
    wanted = None if columns is None else list(dict.fromkeys(columns))
    if name.endswith(".parquet") or name.endswith(".pq"):
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        have = pf.schema_arrow.names
    elif ".csv" in name or ".tsv" in name:
        sep = "\t" if ".tsv" in name else ","
        have = list(pd.read_csv(path, sep=sep, nrows=0).columns)
    elif ".jsonl" in name or ".ndjson" in name or ".json" in name:
        have = None
    else:
        raise DataError("a labelled table must be .csv, .jsonl or .parquet", path=path)
    read = wanted
    if wanted is not None and have is not None:
        read = [c for c in wanted if c in have]
        if len(read) < len(wanted) and "meta" in have and "meta" not in read:
            read = [*read, "meta"]
    if name.endswith(".parquet") or name.endswith(".pq"):
        stream: Iterator[pd.DataFrame] = (b.to_pandas() for b in pf.iter_batches(batch_size=chunk_rows, columns=read))
    elif have is not None:
        dtype = {c: t for c, t in strings.items() if read is None or c in read}
        stream = pd.read_csv(path, sep=sep, usecols=read, dtype=dtype, keep_default_na=False,
                             na_values=[""], chunksize=chunk_rows)
    else:
        stream = pd.read_json(path, lines=True, chunksize=chunk_rows, dtype=False)
    for chunk in stream:
        if wanted is not None:
            chunk = _from_meta(chunk, wanted)
            chunk = chunk[[c for c in wanted if c in chunk.columns]]
        yield chunk


def read_labelled(
    source: pd.DataFrame | str | Path,
    *,
    columns: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    doc_ids: set[str] | None = None,
    extra_from_meta: Sequence[str] = (),
    limit: int | None = None,
) -> pd.DataFrame:
    """Read a labelled table (``framing label`` output), keeping only what is asked for.

    Parameters
    ----------
    source : DataFrame or path
        The table, or a ``.csv``/``.jsonl``/``.parquet`` file, read in chunks.
    columns : sequence of str, optional
        Columns to keep (those present); default all. One the table lacks is taken from its
        ``meta`` field (a dict or JSON object) when it is there.
    labels : sequence of str, optional
        Label columns (checked to be 0/1); default: found from ``p_<label>`` columns.
    doc_ids : set of str, optional
        Keep only these documents.
    extra_from_meta : sequence of str, optional
        With ``columns=None``: columns to add from ``meta`` when the table lacks them.
    limit : int, optional
        Stop after this many rows (to check a table's columns cheaply).

    Returns
    -------
    DataFrame
    """
    parts = []
    if isinstance(source, pd.DataFrame):
        chunks: Any = [source]
    else:
        path = Path(source)
        if not path.exists():
            from .errors import MissingDataError

            raise MissingDataError(f"{path}: no such file")
        chunks = _iter_chunks(path, columns)
    n = 0
    for chunk in chunks:
        if extra_from_meta:
            chunk = _from_meta(chunk, extra_from_meta)
        if doc_ids is not None and DOC_ID in chunk.columns:
            chunk = chunk[chunk[DOC_ID].astype(str).isin(doc_ids)]
        if columns is not None:
            if isinstance(source, pd.DataFrame):
                chunk = _from_meta(chunk, columns)
            chunk = chunk[[c for c in columns if c in chunk.columns]]
        if limit is not None and n + len(chunk) >= limit:
            parts.append(chunk.iloc[: limit - n])
            break
        n += len(chunk)
        parts.append(chunk)
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(columns or []))
    return frame


def _read_stats(source: pd.DataFrame | str | Path, columns: list[str],
                doc_columns: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The passage columns the statistics need, and the document columns (title, date) once
    per document (not once per passage, which would cost memory on long documents)."""
    wanted = [c for c in doc_columns if c not in columns]
    chunks: Any = [source] if isinstance(source, pd.DataFrame) else _iter_chunks(Path(source), [*columns, *wanted])
    parts, metas = [], []
    for chunk in chunks:
        have = [c for c in wanted if c in chunk.columns]
        if have and DOC_ID in chunk.columns:
            metas.append(chunk[[DOC_ID, *have]].drop_duplicates(DOC_ID))
        parts.append(chunk[[c for c in columns if c in chunk.columns]])
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    meta = pd.concat(metas, ignore_index=True).drop_duplicates(DOC_ID) if metas else pd.DataFrame(columns=[DOC_ID])
    return frame, meta


def labels_in(columns: Sequence[str]) -> list[str]:
    """Label columns of a labelled table: those written with their ``p_<label>`` probability."""
    cols = [str(c) for c in columns]
    return [c[len(PROBA_PREFIX):] for c in cols if c.startswith(PROBA_PREFIX) and c[len(PROBA_PREFIX):] in cols]


def _columns_of(source: pd.DataFrame | str | Path) -> list[str]:
    if isinstance(source, pd.DataFrame):
        return [str(c) for c in source.columns]
    for chunk in _iter_chunks(Path(source), None, chunk_rows=5):
        return [str(c) for c in chunk.columns]
    return []


# ----------------------------------------------------------------------------- comparison files


COLUMNS_GUIDE = """\
What the columns of a framing comparison mean (framing.compare).

rates.csv: one row per group and label. UNITS: PROPORTIONS (0.031 = 3.1 % of passages).
  rate, ci_low, ci_high          the classifier's share of passages with the label, with a
                                 document-cluster bootstrap 95 % interval
  rate_corrected, corrected_*    the same corrected with the gold sample (prediction-powered,
                                 design-weighted); n_gold = gold passages read in the group
  rate_rogan_gladen, rogan_*     sensitivity analysis: assumes the model's test-split error rates
  doc_share, doc_share_*         share of the group's documents with at least one such passage
  n_documents, n_passages, n_labelled (passages with the label)
pairs.csv: one row per outlet pair and label. UNITS: PERCENTAGE POINTS (1.5 = 1.5 pp).
  n_events                       events both outlets cover (the unit resampled)
  rate_a, rate_b                 each outlet's rate averaged over those shared events (not its
                                 overall rate: rates.csv has that), in per cent
  diff, ci_low, ci_high          mean within-event difference a - b, event-cluster bootstrap CI
  p_value, p_adjusted            sign-flip permutation over events; Holm (or --adjust) over the
                                 rows with testable = True
  fe_diff, fe_ci_*, fe_p_value   check: fixed-effects regression, event-clustered errors
  diff_corrected, corrected_*    the same with gold-corrected event rates (not clipped to [0, 100],
                                 so a corrected rate can be slightly negative by sampling error)
  testable                       False where no test is possible (fewer than 2 events, or no
                                 variation); min_p = the smallest p the permutation can give
events.csv: one row per event and group. UNITS: PROPORTIONS. rate_<label> = share of the
  group's passages in the event with the label.
gold_strata.csv: the gold sample's strata (size, read, inclusion probability).
error_rates.csv: sensitivity and specificity used for the Rogan-Gladen columns, and where
  they were measured.
notes.txt: what was left out, and why.
"""


def write_comparison(result: Comparison, out_dir: str | Path, *, by: str = OUTLET, figures: bool = True,
                     top_n: int = 40, min_passages: int = 0) -> list[Path]:
    """Write a comparison's tables (``rates.csv``, ``pairs.csv``, ``events.csv``,
    ``gold_strata.csv``, ``error_rates.csv``, ``notes.txt``) and figures (PNG) to a folder.

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    tables = {"rates": result.rates, "pairs": result.pairs, "events": result.events,
              "gold_strata": result.gold_strata, "error_rates": result.error_rates}
    for name, table in tables.items():
        if table is not None and len(table.columns):
            path = out / f"{name}.csv"
            table.to_csv(path, index=False, float_format="%.6g")
            written.append(path)
    (out / "notes.txt").write_text("\n".join(result.notes) + ("\n" if result.notes else ""), encoding="utf-8")
    written.append(out / "notes.txt")
    (out / "COLUMNS.txt").write_text(COLUMNS_GUIDE, encoding="utf-8")
    written.append(out / "COLUMNS.txt")
    if figures:
        for name, png in _figures(result, by=by, top_n=top_n, min_passages=min_passages).items():
            path = out / f"{name}.png"
            path.write_bytes(png)
            written.append(path)
    return written


def _png(ax: Any) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=110)
    plt.close(ax.figure)
    return buf.getvalue()


MAX_PAIRS_IN_FIGURE = 15
MAX_PAIR_ROWS = 60


def _figures(result: Comparison, *, by: str, top_n: int, min_passages: int) -> dict[str, bytes]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from .plots import plot_pair_differences, plot_paired_slopes, plot_rate_heatmap, plot_rate_intervals

    figs: dict[str, bytes] = {}
    rates = result.rates[result.rates[by].astype(str) != MISSING_GROUP]
    if rates.empty:
        return figs
    labels = [lab for lab in dict.fromkeys(rates["label"]) if rates.loc[rates["label"] == lab, "rate"].gt(0).any()
              or ("rate_corrected" in rates.columns and rates.loc[rates["label"] == lab, "rate_corrected"].gt(0).any())]
    if not labels:
        return figs
    figs["rates_heatmap"] = _png(plot_rate_heatmap(rates, group=by, top_n=top_n, min_passages=min_passages))
    for lab in labels:
        figs[f"rates_{lab}"] = _png(plot_rate_intervals(rates, label=lab, group=by, top_n=top_n,
                                                        min_passages=min_passages))
    pairs = result.pairs
    if len(pairs) and pairs["n_events"].fillna(0).gt(0).any():
        shown = pairs[(pairs["n_events"] > 0) & pairs["label"].isin(labels)]
        # at most 15 outlet pairs in the figure: those sharing the most events (the table has all)
        sizes = shown.groupby(["outlet_a", "outlet_b"], sort=False)["n_events"].first()
        keep = sizes.sort_values(ascending=False, kind="stable").head(MAX_PAIRS_IN_FIGURE).index
        in_fig = shown.set_index(["outlet_a", "outlet_b"]).loc[list(keep)].reset_index()
        figs["pairs"] = _png(plot_pair_differences(in_fig))
        # slopes for the pair with the smallest adjusted p (the clearest difference), else the most events
        testable = shown[shown["n_events"] >= 2]
        if len(testable) and "p_adjusted" in testable.columns and testable["p_adjusted"].notna().any():
            best = testable.loc[testable["p_adjusted"].fillna(np.inf).idxmin()]
        else:
            best = shown.loc[shown["n_events"].idxmax()]
        a, b = best["outlet_a"], best["outlet_b"]
        for lab in labels:
            row = shown[(shown["outlet_a"] == a) & (shown["outlet_b"] == b) & (shown["label"] == lab)]
            if len(row) and len(result.events):
                figs[f"slopes_{lab}"] = _png(plot_paired_slopes(result.events, outlet_a=a, outlet_b=b, label=lab,
                                                                by=by, summary=row.iloc[0]))
    return figs


# ----------------------------------------------------------------------------- HTML


def _pct(x: Any, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "–"
    return f"{100 * float(x):.{digits}f}"


def _interval(lo: Any, hi: Any) -> str:
    return f"[{_pct(lo)}, {_pct(hi)}]"


def _esc(x: Any) -> str:
    return html.escape("" if x is None or (isinstance(x, float) and np.isnan(x)) else str(x))


def _label_name(lab: str) -> str:
    return lab.replace("_", " ")


def _rates_table(result: Comparison, by: str, labels: list[str]) -> str:
    r = result.rates
    corrected = "rate_corrected" in r.columns
    rg = "rate_rogan_gladen" in r.columns
    head = f"<th>{_esc(by)}</th><th>docs</th><th>passages</th>" + "".join(
        f"<th class='lab lab-{lab}'>{_esc(_label_name(lab))}</th>" for lab in labels)
    rows = []
    groups = r.drop_duplicates(by)[[by, "n_documents", "n_passages"]].sort_values("n_passages", ascending=False)
    for g in groups.itertuples(index=False):
        name = str(g[0])
        missing = name == MISSING_GROUP
        cells = [f"<td>{_esc(name)}{' <small>(no value given)</small>' if missing else ''}</td>",
                 f"<td>{int(g[1]):,}</td><td>{int(g[2]):,}</td>"]
        part = r[r[by].astype(str) == name].set_index("label")
        for lab in labels:
            x = part.loc[lab]
            lines = [f"<span class='est naive'>{_pct(x['rate'], 2)} <small>{_interval(x['ci_low'], x['ci_high'])} "
                     f"n={int(x['n_labelled']):,}</small></span>"]
            if corrected:
                lines.append(f"<span class='est corr'>{_pct(x['rate_corrected'], 2)} <small>"
                             f"{_interval(x['corrected_ci_low'], x['corrected_ci_high'])} gold={int(x['n_gold'])}"
                             "</small></span>")
            if rg:
                lines.append(f"<span class='est rg'>{_pct(x['rate_rogan_gladen'], 2)} <small>"
                             f"{_interval(x['rogan_gladen_ci_low'], x['rogan_gladen_ci_high'])}</small></span>")
            cells.append(f"<td class='lab lab-{lab}'>{'<br>'.join(lines)}</td>")
        rows.append(f"<tr class='row' data-outlet='{_esc(name)}'>{''.join(cells)}</tr>")
    legend = ["<span class='est naive'>classifier's rate, % of passages [95 % CI], labelled passages</span>"]
    if corrected:
        legend.append("<span class='est corr'>corrected with the gold sample (prediction-powered) [95 % CI], gold "
                      "passages read</span>")
    if rg:
        legend.append("<span class='est rg'>Rogan–Gladen sensitivity analysis: assumes the model's test-split error "
                      "rates hold here</span>")
    return (f"<p class='legend'>{' · '.join(legend)}</p><table class='stats'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _pairs_table(result: Comparison) -> str:
    p = result.pairs
    if p is None or not len(p) or "diff" not in p.columns:
        return "<p>No paired comparison (no events covered by two outlets).</p>"
    corrected = "diff_corrected" in p.columns
    head = ("<tr><th>outlet a</th><th>outlet b</th><th>label</th><th>events</th><th>a − b (pp) [95% CI]</th>"
            "<th>p</th><th>p adjusted</th><th>event FE check (pp)</th>"
            + ("<th>corrected (pp)</th><th>corrected p adj.</th>" if corrected else "") + "</tr>")
    rows = []
    p = p[p["n_events"].fillna(0) > 0]
    more = ""
    if len(p) > MAX_PAIR_ROWS:  # the pairs sharing the most events; all of them are in pairs.csv
        sizes = p.groupby(["outlet_a", "outlet_b"], sort=False)["n_events"].transform("first")
        order = p.assign(_n=sizes).sort_values("_n", ascending=False, kind="stable")
        more = (f"<p><small>{len(p) - MAX_PAIR_ROWS:,} more rows (outlet pairs sharing fewer events) in "
                "<code>pairs.csv</code>.</small></p>")
        p = order.head(MAX_PAIR_ROWS).drop(columns="_n")
    for r in p.itertuples(index=False):
        d = r._asdict()
        cells = (f"<td>{_esc(r.outlet_a)}</td><td>{_esc(r.outlet_b)}</td><td>{_esc(_label_name(r.label))}</td>"
                 f"<td>{int(r.n_events)}</td><td>{r.diff:+.2f} <small>[{r.ci_low:+.2f}, {r.ci_high:+.2f}]</small></td>"
                 f"<td>{r.p_value:.3g}</td><td class='{'sig' if r.p_adjusted < 0.05 else ''}'>{r.p_adjusted:.3g}</td>"
                 f"<td>{d['fe_diff']:+.2f} <small>[{d['fe_ci_low']:+.2f}, {d['fe_ci_high']:+.2f}]</small></td>")
        if corrected:
            cells += (f"<td>{d['diff_corrected']:+.2f} <small>[{d['corrected_ci_low']:+.2f}, "
                      f"{d['corrected_ci_high']:+.2f}]</small></td><td>{d['corrected_p_adjusted']:.3g}</td>")
        rows.append(f"<tr class='row' data-outlet='{_esc(r.outlet_a)}|{_esc(r.outlet_b)}' data-label='{r.label}'>"
                    f"{cells}</tr>")
    legend = ("<p class='legend'>a − b: the mean over shared events of the within-event difference of the two "
              "outlets' rates, in percentage points; p: sign-flip permutation over events; adjusted: Holm over the "
              "testable rows; FE check: a fixed-effects regression with event-clustered errors.</p>")
    return f"{legend}<table class='stats'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _events_table(result: Comparison, by: str, event: str, labels: list[str], max_rows: int,
                  names: dict[str, str]) -> str:
    ev = result.events
    if ev is None or not len(ev):
        return "<p>No event ids: run <code>framing align</code> to add them.</p>"
    covered = ev.groupby(event)[by].transform("nunique")
    ev = ev.assign(_k=covered).sort_values(["_k", event, by], ascending=[False, True, True])
    note = ""
    if len(ev) > max_rows:
        note = f"<p><small>{len(ev) - max_rows:,} more rows in <code>events.csv</code>.</small></p>"
        ev = ev.head(max_rows)
    head = (f"<tr><th>event</th><th>{_esc(by)}</th><th>docs</th><th>passages</th>"
            + "".join(f"<th class='lab lab-{lab}'>{_esc(_label_name(lab))} %</th>" for lab in labels) + "</tr>")
    rows = []
    for r in ev.itertuples(index=False):
        d = r._asdict()
        e = "(missing)" if d[event] is None or (isinstance(d[event], float) and np.isnan(d[event])) else str(d[event])
        o = str(d[by])
        label = f"{_esc(e)}<br><small>{_esc(names[e])}</small>" if e in names else _esc(e)
        rows.append(f"<tr class='row' data-event='{_esc(e)}' data-outlet='{_esc(o)}'><td>{label}</td><td>{_esc(o)}</td>"
                    f"<td>{d['n_documents']}</td><td>{d['n_passages']}</td>"
                    + "".join(f"<td class='lab lab-{lab}'>{_pct(d[f'rate_{lab}'])}</td>" for lab in labels) + "</tr>")
    return f"<table class='stats'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>{note}"


def _model_table(model_scores: pd.DataFrame | None, result: Comparison, labels: list[str]) -> str:
    parts = []
    if model_scores is not None and len(model_scores):
        rows = "".join(
            f"<tr><td>{_esc(_label_name(r.label))}</td><td>{r.precision:.2f}</td><td>{r.recall:.2f}</td>"
            f"<td>{r.f1:.2f}</td><td>{_esc(getattr(r, 'source', ''))}</td></tr>"
            for r in model_scores.itertuples() if r.label in labels)
        parts.append("<table class='stats small'><thead><tr><th>label</th><th>precision</th><th>recall</th>"
                     f"<th>F1</th><th>measured on</th></tr></thead><tbody>{rows}</tbody></table>")
    if result.error_rates is not None:
        er = result.error_rates
        rows = "".join(f"<tr><td>{_esc(_label_name(r.label))}</td><td>{r.sensitivity:.2f} "
                       f"<small>[{r.sensitivity_low:.2f}, {r.sensitivity_high:.2f}]</small></td>"
                       f"<td>{r.specificity:.3f} <small>[{r.specificity_low:.3f}, {r.specificity_high:.3f}]</small></td>"
                       f"<td>{_esc(r.source)}</td></tr>" for r in er.itertuples() if r.label in labels)
        parts.append("<table class='stats small'><thead><tr><th>label</th><th>sensitivity</th><th>specificity</th>"
                     f"<th>measured on</th></tr></thead><tbody>{rows}</tbody></table>")
    return "".join(parts) or "<p>No measured error rates available.</p>"


def _highlight(text: str, spans: list[dict[str, Any]]) -> str:
    """Text with evidence spans (start/end relative to the passage) marked."""
    spans = sorted({(int(e["start"]), int(e["end"]), str(e.get("cue_type", "")), str(e.get("label", "")))
                    for e in spans if "start" in e and "end" in e})
    out, pos = [], 0
    for s, e, cue, lab in spans:
        if s < pos or e > len(text):
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f"<b class='cue' title='{html.escape(cue)} → {html.escape(_label_name(lab))}'>"
                   f"{html.escape(text[s:e])}</b>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _documents(docs: pd.DataFrame, labels: list[str], by: str, event: str) -> str:
    if docs.empty:
        return "<p>No documents to show.</p>"
    order = [c for c in (event, by, DOC_ID) if c in docs.columns]
    blocks = []
    sort_cols = order + ([START] if START in docs.columns else [])
    for doc_id, part in docs.sort_values(sort_cols, kind="stable").groupby(DOC_ID, sort=False):
        first = part.iloc[0]
        present = sorted({lab for lab in labels for v in [part[lab]] if v.astype(int).any()})
        title = first.get(TITLE) if TITLE in part.columns else None
        meta = " · ".join(_esc(x) for x in (first.get(by), first.get(DATE), f"event {first.get(event)}"
                                             if event in part.columns else None) if x is not None and str(x) != "nan")
        sents = []
        paragraph = None
        for r in part.itertuples(index=False):
            d = r._asdict()
            if "paragraph" in d and paragraph is not None and d["paragraph"] != paragraph:
                sents.append("</p><p>")
            paragraph = d.get("paragraph")
            on = [lab for lab in labels if int(d[lab])]
            text = str(d[TEXT])
            ev = []
            if EVIDENCE in d and isinstance(d[EVIDENCE], str) and d[EVIDENCE].startswith("["):
                ev = [e for e in json.loads(d[EVIDENCE]) if e.get("label") in on]
            body = _highlight(text, ev) if on else html.escape(text)
            if on:
                tip = ", ".join(_label_name(lab) for lab in on)
                sents.append(f"<span class='p on' data-labels='{' '.join(on)}' title='{html.escape(tip)}'>{body}</span>")
            else:
                sents.append(f"<span class='p'>{body}</span>")
        blocks.append(
            f"<article class='doc' data-outlet='{_esc(first.get(by))}' data-event='{_esc(first.get(event))}' "
            f"data-labels='{' '.join(present)}'><h4>{_esc(title) or _esc(doc_id)}</h4><p class='meta'>{meta} · "
            f"<code>{_esc(doc_id)}</code></p><p>{' '.join(sents)}</p></article>")
    return "\n".join(blocks)


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:75rem;margin:1.5rem auto;padding:0 1rem;
line-height:1.45;color:#1f2937}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #e5e7eb}
table.stats{border-collapse:collapse;font-size:.85rem;margin:.5rem 0 1rem;display:block;overflow-x:auto;max-width:100%}
table.stats th,table.stats td{border:1px solid #e5e7eb;padding:.2rem .45rem;text-align:right;vertical-align:top;
white-space:nowrap}
table.stats th{background:#f9fafb;word-break:keep-all;overflow-wrap:normal;white-space:normal;vertical-align:bottom}
table.stats td:first-child,table.stats th:first-child{text-align:left;white-space:normal;min-width:10rem}
table.stats small{color:#6b7280}td.sig{font-weight:600}
.est{display:block}.est.naive{color:#1f5fa8}.est.corr{color:#c2410c}.est.rg{color:#6b7280}
.legend{font-size:.85rem}.legend .est{display:inline}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #e5e7eb;z-index:2;
display:flex;gap:1rem;flex-wrap:wrap;align-items:center}
.filters label{font-size:.9rem}.filters select{max-width:18rem}
img{max-width:100%;height:auto;display:block;margin:.5rem 0}
.figs{display:grid;grid-template-columns:repeat(auto-fit,minmax(28rem,1fr));gap:1rem}
.doc{border-top:1px solid #e5e7eb;padding:.5rem 0}.doc h4{margin:.2rem 0}.meta{color:#6b7280;font-size:.85rem;margin:0}
.p.on{background:#fde68a;border-radius:2px}.p.on.dim{background:transparent}b.cue{text-decoration:underline;
text-decoration-color:#c2410c;text-decoration-thickness:2px;font-weight:600}
.caveat{background:#fff7ed;border-left:4px solid #c2410c;padding:.5rem .9rem;margin:.8rem 0}
.note{background:#f9fafb;border-left:3px solid #9ca3af;padding:.4rem .8rem;font-size:.9rem}
.hidden{display:none}
"""

_SCRIPT = """
function apply(){
  const lab=document.getElementById('f-label').value, out=document.getElementById('f-outlet').value,
        ev=document.getElementById('f-event').value;
  document.querySelectorAll('.lab').forEach(c=>{c.classList.toggle('hidden', lab!=='' && !c.classList.contains('lab-'+lab));});
  document.querySelectorAll('tr.row').forEach(r=>{
    let ok=true;
    if(out!=='' && r.dataset.outlet!==undefined) ok = ok && r.dataset.outlet.split('|').includes(out);
    if(ev!=='' && r.dataset.event!==undefined) ok = ok && r.dataset.event===ev;
    if(lab!=='' && r.dataset.label!==undefined) ok = ok && r.dataset.label===lab;
    r.classList.toggle('hidden', !ok);});
  let shown=0;
  document.querySelectorAll('article.doc').forEach(d=>{
    let ok=(out===''||d.dataset.outlet===out)&&(ev===''||d.dataset.event===ev)&&
           (lab===''||d.dataset.labels.split(' ').includes(lab));
    d.classList.toggle('hidden', !ok); if(ok) shown++;
    d.querySelectorAll('.p.on').forEach(p=>{p.classList.toggle('dim', lab!=='' && !p.dataset.labels.split(' ').includes(lab));});});
  document.getElementById('n-docs').textContent=shown;
}
function fromHash(){
  const h=new URLSearchParams(location.hash.slice(1));
  [['label','f-label'],['outlet','f-outlet'],['event','f-event']].forEach(([k,id])=>{
    const v=h.get(k), s=document.getElementById(id);
    if(v!==null && [...s.options].some(o=>o.value===v)) s.value=v;});
  apply();
}
function toHash(){
  const h=new URLSearchParams();
  [['label','f-label'],['outlet','f-outlet'],['event','f-event']].forEach(([k,id])=>{
    const v=document.getElementById(id).value; if(v!=='') h.set(k,v);});
  history.replaceState(null,'','#'+h.toString());
}
document.querySelectorAll('.filters select').forEach(s=>s.addEventListener('change', ()=>{apply(); toHash();}));
window.addEventListener('hashchange', fromHash);
fromHash();
"""


def _options(values: Sequence[str], all_label: str, names: dict[str, str] | None = None) -> str:
    names = names or {}
    return f"<option value=''>{all_label}</option>" + "".join(
        f"<option value='{_esc(v)}'>{_esc(v)}{': ' + _esc(names[v][:60]) if v in names else ''}</option>"
        for v in values)


def write_report(
    labelled: pd.DataFrame | str | Path,
    out_dir: str | Path,
    *,
    labels: Sequence[str] | None = None,
    by: str = OUTLET,
    event: str = EVENT_ID,
    gold: pd.DataFrame | None = None,
    on: Sequence[str] = (DOC_ID, START),
    assume_srs: bool = False,
    error_rates: ErrorRates | None = None,
    model_scores: pd.DataFrame | None = None,
    exclude_duplicates: bool = False,
    title: str = "Framing report",
    max_documents: int = 200,
    max_event_rows: int = 2000,
    top_n: int = 40,
    min_passages: int = 0,
    n_boot: int = 1000,
    n_perm: int = 5000,
    random_state: int = 0,
) -> Path:
    """Write the comparison tables, figures and a self-contained ``index.html`` for labelled passages.

    Parameters
    ----------
    labelled : DataFrame or path
        ``framing label`` output (passages with 0/1 label columns, ``p_<label>``, ``evidence``),
        or its file (``.csv``, ``.jsonl``, ``.parquet``), read in chunks.
    out_dir : path-like
        Folder to write (created if needed).
    labels : sequence of str, optional
        Label columns (default: those written with ``p_<label>``).
    by : str, default "outlet"
        Grouping column compared (outlet, or bias, country ...).
    event : str, default "event_id"
        Event column for the paired comparison.
    gold, on, assume_srs, error_rates, exclude_duplicates
        As for :func:`framing.compare.compare_outlets` (corrected estimates).
    model_scores : DataFrame, optional
        The model's precision/recall/F1 per label (``label, precision, recall, f1, source``),
        shown beside the tables (the CLI passes the shipped model's test-split scores).
    title : str
        Report title.
    max_documents : int, default 200
        Documents shown in full (those with the most labelled passages, spread over events).
    max_event_rows : int, default 2000
        Rows of the per-event table shown in the page (all are in ``events.csv``).
    top_n, min_passages : int
        Groups shown in the figures (see :mod:`framing.plots`).
    n_boot, n_perm, random_state
        Resampling settings.

    Returns
    -------
    pathlib.Path
        The folder, holding ``index.html`` (self-contained: figures embedded), the tables as
        CSV (``rates.csv``, ``pairs.csv``, ``events.csv`` ...), ``notes.txt`` and the figures.

    Examples
    --------
    >>> import framing, tempfile
    >>> from framing.pipeline import label_documents
    >>> from framing.report import write_report
    >>> out = write_report(label_documents(framing.load_demo_corpus()), tempfile.mkdtemp(), n_boot=50, n_perm=50)
    >>> (out / "index.html").exists()
    True
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    all_columns = _columns_of(labelled)
    labels = list(labels) if labels is not None else labels_in(all_columns) or [
        lab for lab in LABEL_NAMES if lab in all_columns]
    if not labels:
        raise DataError("not a labelled table (no label column with its p_<label> probability); run "
                        "'framing label' first", path=None if isinstance(labelled, pd.DataFrame) else labelled)
    stat_cols = list(dict.fromkeys([*_STAT_COLUMNS, by, *labels, *on]))
    frame, doc_meta = _read_stats(labelled, stat_cols, [TITLE, DATE])
    for col, default in ((DOC_ID, None), (by, None)):
        if col not in frame.columns:
            frame[col] = default
    result = compare_outlets(frame, by=by, event=event, labels=labels, gold=gold, on=on, assume_srs=assume_srs,
                             error_rates=error_rates, exclude_duplicates=exclude_duplicates, n_boot=n_boot,
                             n_perm=n_perm, random_state=random_state)
    write_comparison(result, out, by=by, figures=False)
    figs = _figures(result, by=by, top_n=top_n, min_passages=min_passages)
    for name, png in figs.items():
        (out / f"{name}.png").write_bytes(png)

    # documents shown: the most labelled ones, spread over events
    counts = frame.assign(_n=frame[labels].astype(int).sum(axis=1)).groupby(DOC_ID, dropna=False).agg(
        n=("_n", "sum"), ev=(event, "first") if event in frame.columns else ("_n", "size"))
    counts = counts.sort_values("n", ascending=False, kind="stable")
    if event in frame.columns:
        counts["rank"] = counts.groupby("ev").cumcount()
        counts = counts.sort_values(["rank", "n"], ascending=[True, False], kind="stable")
    shown_ids = {str(i) for i in counts.head(max_documents).index if i is not None and str(i) != "nan"}
    doc_cols = [c for c in (DOC_ID, by, event, DATE, TITLE, "paragraph", START, END, TEXT, EVIDENCE, *labels)
                if c in all_columns]
    docs = read_labelled(labelled, columns=doc_cols, doc_ids=shown_ids) if shown_ids else pd.DataFrame(columns=doc_cols)

    n_docs = int(frame[DOC_ID].nunique())
    event_names: dict[str, str] = {}
    if event in frame.columns and TITLE in doc_meta.columns:
        first = frame[[DOC_ID, event]].drop_duplicates(DOC_ID).merge(doc_meta, on=DOC_ID, how="left")
        if DATE in first.columns:
            first = first.sort_values(DATE, kind="stable", na_position="last")
        first = first.dropna(subset=[TITLE]).drop_duplicates(event)
        event_names = {str(k): str(v) for k, v in zip(first[event], first[TITLE])}
    groups = sorted(str(g) for g in result.rates[by].unique())
    real_groups = [g for g in groups if g != MISSING_GROUP]
    events = sorted(str(e) for e in frame[event].dropna().unique()) if event in frame.columns else []
    def figure(name: str, png: bytes) -> str:
        # a figure of one label (rates_<label>, slopes_<label>) follows the label filter
        lab = name.split("_", 1)[1] if name.startswith(("rates_", "slopes_")) else ""
        cls = f" class='lab lab-{_esc(lab)}'" if lab in labels else ""
        return (f"<figure{cls}><img alt='{_esc(name)}' src='data:image/png;base64,"
                f"{base64.b64encode(png).decode()}'></figure>")

    img = "".join(figure(name, png) for name, png in figs.items() if not name.startswith("slopes_"))
    slopes = "".join(figure(name, png) for name, png in figs.items() if name.startswith("slopes_"))
    notes = "".join(f"<li>{_esc(n)}</li>" for n in result.notes)
    missing_note = (f" Passages without a {by} form the group <code>{MISSING_GROUP}</code>, not counted as one."
                    if MISSING_GROUP in groups else "")
    body = [
        f"<h1>{_esc(title)}</h1>",
        f"<p>{len(frame):,} passages from {n_docs:,} documents, {len(real_groups)} {_esc(by)} values, "
        f"{len(events):,} events.{missing_note} Labels come from the <code>framing</code> classifier; rates are "
        "per cent of passages with document-cluster bootstrap 95 % intervals; differences are within events, "
        "in percentage points, with event-cluster bootstrap intervals and sign-flip permutation p-values "
        "(Holm-adjusted)." + (" Corrected estimates use the gold sample's readings (prediction-powered)."
                              if gold is not None else "") + "</p>",
        "<div class='filters'><label>label <select id='f-label'>" + _options(labels, "all labels") +
        "</select></label><label>" + _esc(by) + " <select id='f-outlet'>" + _options(real_groups, f"all") +
        "</select></label><label>event <select id='f-event'>" + _options(events, "all events", event_names) +
        "</select></label><span><span id='n-docs'>" + str(len(shown_ids)) + f"</span> documents shown of {n_docs:,}"
        "</span></div>",
        *([] if gold is not None else [
            "<div class='caveat'><strong>These rates are the classifier's, not readers'.</strong> Its measured "
            "error rates (below) say how far they can be off, differently for each label. To correct them, read "
            "a sample of these passages (<code>framing sample</code>, then <code>framing annotate import</code>) "
            "and pass it with <code>--gold</code> and <code>--design</code>.</div>"]),
        "<h2>Label rates</h2>", _rates_table(result, by, labels),
        "<h3>The model's measured error rates</h3>", _model_table(model_scores, result, labels),
        f"<div class='figs'>{img}</div>",
        "<h2>Outlets on the same events</h2>", _pairs_table(result), f"<div class='figs'>{slopes}</div>",
        "<h2>Per event</h2>", _events_table(result, by, event, labels, max_event_rows, event_names),
    ]
    if result.gold_strata is not None:
        body += ["<h2>Gold sample</h2>", result.gold_strata.to_html(index=False, classes="stats", float_format="%.4g",
                                                                   border=0)]
    body += ["<h2>What was left out, and why</h2>", f"<ul class='note'>{notes or '<li>nothing</li>'}</ul>",
             f"<h2>Documents</h2><p><small>The {len(shown_ids):,} documents with the most labelled passages "
             f"(of {n_docs:,}), spread over events. Labelled passages are highlighted; underlined words are the cue "
             "evidence behind a label (hover for its type).</small></p>", _documents(docs, labels, by, event)]
    page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{_esc(title)}</title>"
            f"<meta name='viewport' content='width=device-width,initial-scale=1'><style>{_STYLE}</style></head>"
            f"<body>{''.join(body)}<script>{_SCRIPT}</script></body></html>\n")
    (out / "index.html").write_text(page, encoding="utf-8")
    return out
