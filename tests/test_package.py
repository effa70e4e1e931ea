"""The package as a new user meets it: the namespace, help(), the wheel, `make test` without a compiler."""
from __future__ import annotations

import os
import pydoc
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import framing

from .conftest import ROOT


def test_namespace_is_clean_and_public_names_resolve() -> None:
    names = dir(framing)
    for leaked in ("Any", "importlib", "annotations", "_importlib", "_EXPORTS"):
        assert leaked not in names
    assert set(names) == set(framing.__all__) | {"__version__"}
    for name in framing.__all__:
        assert getattr(framing, name) is not None, name
    assert framing.label_documents is sys.modules["framing.pipeline"].label_documents
    assert {"label_documents", "label_passages", "iter_labelled_documents"} <= set(framing.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        framing.nope  # noqa: B018


def test_help_gives_a_tour_of_the_public_api() -> None:
    text = pydoc.render_doc(framing, renderer=pydoc.plaintext)
    for name in ("read_corpus", "segment", "label_documents", "label_passages", "load_pretrained",
                 "evaluate_predictions", "DataError"):
        assert name in text, name
    tour = framing.__doc__.split("Examples")[0]
    assert "dask" in tour and "read_corpus" in tour
    assert "importlib" not in text.split("DATA")[-1]


def test_has_c_compiler_answers_no_without_a_compiler(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "has_c_compiler.py"
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         env={"PATH": str(tmp_path)})
    assert out.stdout.strip() == "0"


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_test_requires_speedups_only_in_ci_or_with_a_compiler(tmp_path: Path) -> None:
    make = shutil.which("make")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "MAKEFLAGS", "MAKELEVEL")}
    no_compiler = subprocess.run([make, "-n", "test"], cwd=ROOT, capture_output=True, text=True,
                                 env={**env, "PATH": str(tmp_path)})
    assert "FRAMING_REQUIRE_SPEEDUPS=0 " in no_compiler.stdout, no_compiler.stdout + no_compiler.stderr
    ci = subprocess.run([make, "-n", "test"], cwd=ROOT, capture_output=True, text=True,
                        env={**env, "CI": "true", "PATH": str(tmp_path)})
    assert "FRAMING_REQUIRE_SPEEDUPS=1 " in ci.stdout


def test_the_wheel_ships_the_codebook_and_package_data(tmp_path: Path) -> None:
    pytest.importorskip("setuptools", minversion="77")
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                          "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True,
                         env={**os.environ, "PIP_NO_INDEX": "1"})
    assert out.returncode == 0, out.stderr[-2000:]
    (wheel,) = tmp_path.glob("framing-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "framing/data/codebook.md" in names
        assert zf.read("framing/data/codebook.md") == (ROOT / "data" / "codebook.md").read_bytes()
    for needed in ("framing/data/framing_model.skops", "framing/data/punkt_en.json", "framing/data/MODEL_CARD.md",
                   "framing/data/corpus/documents.jsonl"):
        assert needed in names, needed
