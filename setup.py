"""Builds the optional C scanners (framing/_speedups.c); everything else is in pyproject.toml.

``optional=True``: where no C compiler is available the install still succeeds and
framing uses its pure-Python paths, which give the same results, more slowly.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("framing._speedups", ["framing/_speedups.c"], optional=True,
                             extra_compile_args=["-O2"])])
