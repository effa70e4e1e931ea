"""The documents and passages an experiment analyses, from its config (``experiments/configs/<name>.json``).

Shared by the entry points (``compare_outlets.py``, ``robustness.py``) and by
``gold/validation_samples.py``, so that a validation sample is drawn from exactly the
passages its experiment analyses.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

import framing
from framing.pipeline import label_documents

HERE = Path(__file__).resolve().parent
CONFIGS = HERE / "configs"


def load_config(name: str) -> dict[str, Any]:
    """An experiment's config by name (the file stem under ``experiments/configs``)."""
    path = CONFIGS / f"{name}.json"
    if not path.exists():
        raise SystemExit(f"no experiment config {path}; have {sorted(p.stem for p in CONFIGS.glob('*.json'))}")
    return json.loads(path.read_text(encoding="utf-8"))


def documents(config: dict[str, Any]) -> pd.DataFrame:
    """The experiment's documents: the corpus, its document filter, group columns from
    ``meta`` and, for ``"events": "align"``, event ids from :func:`framing.align_events`."""
    corpus = config["corpus"]
    docs = framing.load_demo_corpus(corpus.split(":", 1)[1]) if corpus.startswith("demo:") else framing.load_corpus(corpus)
    for column, key in config.get("group_from_meta", {}).items():
        docs[column] = docs["meta"].map(lambda m, key=key: (m or {}).get(key))
    spec = config.get("documents")
    if spec:
        pattern = re.compile(spec["pattern"], re.I)
        lead = docs["title"].fillna("") + " " + docs["text"].str.slice(0, spec.get("lead_chars", 2000))
        docs = docs[lead.str.contains(pattern)].reset_index(drop=True)
    if config.get("events") == "align":
        docs = framing.align_events(docs, recompute=True, **config.get("align", {}))
    elif "duplicate_of" not in docs.columns:
        docs = framing.align_events(docs)  # given events kept; marks wire copy
    return docs


def boilerplate_mask(passages: pd.DataFrame, min_documents: int) -> pd.Series:
    """True for passages whose exact text appears in ``min_documents`` or more documents
    (export furniture such as "Published by HT Digital Content Services ...")."""
    n_docs = passages.groupby("text")["doc_id"].transform("nunique")
    return n_docs >= min_documents


def passages(config: dict[str, Any], docs: pd.DataFrame, *, model: Any = None, unit: str | None = None,
             evidence: bool = False) -> tuple[pd.DataFrame, dict[str, int]]:
    """The experiment's labelled passages (boilerplate left out, with a count of it)."""
    labelled = label_documents(docs, model, unit=unit or config.get("unit", "sentence"), evidence=evidence)
    keep_cols = [c for c in docs.columns if c not in labelled.columns and c not in ("text", "meta")]
    if keep_cols:
        labelled = labelled.merge(docs[["doc_id", *keep_cols]], on="doc_id", how="left", validate="many_to_one")
    info = {"documents": len(docs), "passages": len(labelled)}
    min_docs = config.get("boilerplate_min_documents")
    if min_docs:
        bp = boilerplate_mask(labelled, min_docs)
        info["boilerplate_passages"] = int(bp.sum())
        labelled = labelled[~bp].reset_index(drop=True)
    return labelled, info
