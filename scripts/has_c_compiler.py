"""Print 1 when this Python can compile C extensions (a C compiler and Python's headers), else 0.

The Makefile asks this before ``make test``: where the answer is 1 (and always in CI), the
compiled scanners of ``framing/_speedups.c`` must have been built, so that their equality
tests cannot be skipped silently; elsewhere framing's pure-Python paths are tested.
"""
from __future__ import annotations

import os
import shlex
import shutil
import sysconfig
from pathlib import Path


def has_c_compiler() -> bool:
    """Whether the compiler setuptools would call is on PATH and ``Python.h`` exists."""
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    words = shlex.split(cc)
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return bool(words) and shutil.which(words[0]) is not None and headers.exists()


if __name__ == "__main__":
    print(int(has_c_compiler()))
