"""Shared fixtures. Tests that need the external corpora (../shared/corpora) skip when
they are absent on a developer machine, but fail in CI (CI=true), where they must exist."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import framing

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def _corpora_home() -> Path:
    return framing.data_home()


@pytest.fixture(scope="session")
def corpora_home() -> Path:
    home = _corpora_home()
    if not (home / "basil.jsonl.gz").exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the corpora in {home} (FRAMING_DATA)")
        pytest.skip(f"external corpora not in {home}; set FRAMING_DATA=../shared/corpora")
    return home


@pytest.fixture(scope="session")
def gold(corpora_home: Path):
    return framing.load_gold(data_home=corpora_home)


@pytest.fixture(scope="session")
def pretrained():
    return framing.load_pretrained()


@pytest.fixture(scope="session")
def demo_docs():
    return framing.load_demo_corpus()
