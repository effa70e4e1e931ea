"""Results files for experiments: each run writes ``results/<experiment>/<run>/`` with
``metrics.json``, ``config.json`` (including the git commit and package versions) and
any tidy tables; finished runs are skipped unless asked to overwrite.
"""
from __future__ import annotations

import json
import platform
import subprocess
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["RunDir", "run_metadata", "read_metrics"]

_PACKAGES = ("framing", "scikit-learn", "nltk", "pandas", "numpy", "scipy", "datasets", "skops", "seaborn")


def run_metadata() -> dict[str, Any]:
    """Git commit (if any), Python and package versions."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True,
                                cwd=Path(__file__).parent).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                                    text=True, cwd=Path(__file__).parent).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = None, None
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"git_commit": commit, "git_dirty": dirty, "python": platform.python_version(), "packages": versions}


class RunDir:
    """One experiment run's folder.

    Parameters
    ----------
    root : path-like
        The results root (``results/``).
    experiment, run : str
        Names of the experiment and the run.
    overwrite : bool, default False
        Re-run even if ``metrics.json`` exists.
    """

    def __init__(self, root: str | Path, experiment: str, run: str, *, overwrite: bool = False) -> None:
        self.path = Path(root) / experiment / run
        self.overwrite = overwrite

    @property
    def done(self) -> bool:
        """True when the run finished before and ``overwrite`` is False."""
        return (self.path / "metrics.json").exists() and not self.overwrite

    def skip(self) -> bool:
        """Like :attr:`done`, and say so (``"<experiment>/<run>: done, skipped"``)."""
        if self.done:
            print(f"{self.path.parent.name}/{self.path.name}: done, skipped")
        return self.done

    def write(self, metrics: Mapping[str, Any], config: Mapping[str, Any], tables: Mapping[str, pd.DataFrame] | None = None) -> None:
        """Write tables, config (with run metadata) and, last, metrics (the 'done' marker)."""
        self.path.mkdir(parents=True, exist_ok=True)
        for name, table in (tables or {}).items():
            table.to_csv(self.path / f"{name}.csv", index=False, float_format="%.4f")
        cfg = {**config, "run_metadata": run_metadata()}
        (self.path / "config.json").write_text(json.dumps(cfg, indent=2, sort_keys=True, default=str) + "\n")
        (self.path / "metrics.json").write_text(json.dumps(_round(metrics), indent=2, sort_keys=True) + "\n")


def _round(obj: Any, ndigits: int = 4) -> Any:
    if isinstance(obj, float):
        return round(obj, ndigits)
    if isinstance(obj, dict):
        return {k: _round(v, ndigits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_round(v, ndigits) for v in obj]
    return obj


def read_metrics(root: str | Path, experiment: str, run: str) -> dict[str, Any]:
    """Read a run's ``metrics.json``."""
    return json.loads((Path(root) / experiment / run / "metrics.json").read_text())
