"""The report and the figures: a self-contained page whose filters work in a real browser,
the same numbers whether the labelled table is given in memory or read from a file in
chunks, and figures that stay readable with many outlets."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import framing  # noqa: E402
from framing.gold import load_validation  # noqa: E402
from framing.pipeline import label_documents, write_table  # noqa: E402
from framing.plots import (plot_pair_differences, plot_paired_slopes, plot_rate_heatmap,  # noqa: E402
                           plot_rate_intervals)
from framing.report import write_report  # noqa: E402

from .conftest import ROOT  # noqa: E402


@pytest.fixture(scope="module")
def demo_labelled() -> pd.DataFrame:
    docs = framing.align_events(framing.load_demo_corpus("allsides"))
    return label_documents(docs)  # passages carry the documents' columns (title, bias, duplicate_of)


@pytest.fixture(scope="module")
def demo_report(demo_labelled: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    return write_report(demo_labelled, out, by="bias", gold=load_validation("allsides_demo"), n_boot=200, n_perm=500)


def test_report_is_self_contained_and_complete(demo_report: Path) -> None:
    page = (demo_report / "index.html").read_text(encoding="utf-8")
    assert "src='http" not in page and "href='http" not in page and "<link" not in page
    assert page.count("src='data:image/png;base64,") >= 4
    for part in ("Label rates", "measured error rates", "Outlets on the same events", "Per event", "Gold sample",
                 "What was left out", "Documents", "id='f-label'", "id='f-outlet'", "id='f-event'"):
        assert part in page, part
    assert page.count("<article class='doc'") == 58
    rates = pd.read_csv(demo_report / "rates.csv")
    assert {"label", "rate", "ci_low", "ci_high", "rate_corrected", "corrected_ci_low", "corrected_ci_high",
            "n_gold"} <= set(rates.columns)
    assert rates.groupby("label")["n_passages"].sum().eq(2354).all()
    pairs = pd.read_csv(demo_report / "pairs.csv")
    assert {"outlet_a", "outlet_b", "label", "n_events", "diff", "ci_low", "ci_high", "p_value",
            "p_adjusted"} <= set(pairs.columns)
    assert (pairs["n_events"] == 8).all()


def test_report_reads_a_labelled_file_in_chunks_with_the_same_numbers(demo_labelled: pd.DataFrame,
                                                                      tmp_path: Path) -> None:
    a = write_report(demo_labelled, tmp_path / "mem", by="bias", n_boot=100, n_perm=100)
    for suffix in (".parquet", ".csv", ".jsonl"):
        path = write_table(demo_labelled, tmp_path / f"labelled{suffix}")
        b = write_report(path, tmp_path / f"file{suffix}", by="bias", n_boot=100, n_perm=100)
        pd.testing.assert_frame_equal(pd.read_csv(a / "rates.csv"), pd.read_csv(b / "rates.csv"))
        pd.testing.assert_frame_equal(pd.read_csv(a / "pairs.csv"), pd.read_csv(b / "pairs.csv"))


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None and os.environ.get("CI"):
        pytest.fail("CI needs chromium for the browser test (.ci/run installs it)")
    if found is None:
        pytest.skip("no chromium on this machine")
    return found


def _browser(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp / 'profile'}"]
    return subprocess.run([_chromium(), *flags, *args], capture_output=True, text=True, timeout=120)


def test_filters_work_in_a_real_browser(demo_report: Path, tmp_path: Path) -> None:
    url = (demo_report / "index.html").as_uri()
    all_dom = _browser(["--dump-dom", url], tmp_path).stdout
    assert all_dom.count('<article class="doc"') == 58
    dom = _browser(["--dump-dom", url + "#outlet=left&label=hedged_attribution"], tmp_path).stdout
    shown = dom.count('<article class="doc"')
    hidden = dom.count('<article class="doc hidden"')
    assert shown + hidden == 58 and 0 < shown < 17  # only left documents with a hedged passage
    assert f'id="n-docs">{shown}<' in dom
    assert 'class="lab lab-speculative_motive hidden"' in dom  # other labels' columns are hidden
    assert '<figure class="lab lab-state_claim_uncritical hidden">' in dom  # and their figures
    shot = tmp_path / "report.png"
    _browser(["--window-size=1400,2200", f"--screenshot={shot}", url + "#outlet=left&label=hedged_attribution"],
             tmp_path)
    assert shot.exists() and shot.stat().st_size > 20_000
    keep = ROOT / "reports" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, keep / "report_filtered.png")  # for people to look at


def _many_outlets(n: int = 171) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for i in range(n):
        name = f"Outlet number {i} with a rather long name (Online News)"
        size = int(rng.integers(5, 3000))
        for lab in framing.LABEL_NAMES:
            r = rng.random() * 0.1
            rows.append({"outlet": name, "label": lab, "n_passages": size, "n_documents": size // 20 + 1,
                         "rate": r, "ci_low": r * 0.7, "ci_high": r * 1.3, "rate_corrected": r * 0.9,
                         "corrected_ci_low": r * 0.5, "corrected_ci_high": r * 1.4})
    return pd.DataFrame(rows)


def test_figures_stay_readable_with_171_outlets() -> None:
    rates = _many_outlets()
    ax = plot_rate_heatmap(rates, top_n=40, min_passages=100)
    assert len(ax.get_yticklabels()) == 40
    fig = ax.figure
    fig.canvas.draw()
    width, height = fig.get_size_inches()
    assert height >= 0.3 * 40  # the figure grows with the rows shown
    note = [t.get_text() for t in fig.texts + ax.texts if "not shown" in t.get_text()]
    assert note and note[0].startswith("131 groups not shown")
    renderer = fig.canvas.get_renderer()
    inside = fig.bbox
    for label in ax.get_yticklabels() + ax.get_xticklabels():  # no label runs off the figure
        box = label.get_window_extent(renderer)
        assert box.x0 >= inside.x0 - 1 and box.x1 <= inside.x1 + 1, label.get_text()
    plt.close(fig)
    ax = plot_rate_intervals(rates, label="hedged_attribution", top_n=25)
    assert len(ax.get_yticklabels()) == 25
    legend = ax.get_legend()
    assert legend is not None
    fig = ax.figure
    fig.canvas.draw()
    assert legend.get_window_extent().x0 > ax.get_window_extent().x1  # legend outside the data
    plt.close(fig)


def test_plot_functions_take_an_axes_and_compute_nothing(demo_report: Path) -> None:
    rates = pd.read_csv(demo_report / "rates.csv")
    pairs = pd.read_csv(demo_report / "pairs.csv")
    events = pd.read_csv(demo_report / "events.csv")
    fig, axes = plt.subplots(2, 2)
    assert plot_rate_heatmap(rates, group="bias", ax=axes[0, 0]) is axes[0, 0]
    assert plot_rate_intervals(rates, label="hedged_attribution", group="bias", ax=axes[0, 1]) is axes[0, 1]
    assert plot_pair_differences(pairs, ax=axes[1, 0]) is axes[1, 0]
    row = pairs[(pairs["outlet_a"] == "center") & (pairs["outlet_b"] == "left") & (pairs["label"] == "hedged_attribution")]
    assert plot_paired_slopes(events, outlet_a="center", outlet_b="left", label="hedged_attribution", by="bias",
                              summary=row.iloc[0], ax=axes[1, 1]) is axes[1, 1]
    plt.close(fig)
    with pytest.raises(ValueError, match="no event covered by both"):
        plot_paired_slopes(events, outlet_a="center", outlet_b="nobody", label="hedged_attribution", by="bias")
