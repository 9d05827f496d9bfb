"""The source tree as an installed `derive` runs it: its bytecode compiled once, ahead of time."""

from __future__ import annotations

import compileall
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def compile_sources() -> None:
    """Write derive's and cli.py's .pyc files, as `pip install` does and as SymPy's were when it
    was installed. The benchmarks start `python cli.py` from the tree; without this a process
    under PYTHONDONTWRITEBYTECODE=1 (set on this machine) compiles all ~90 modules from source
    every run (about 0.25 s, half the yardstick), which no installed copy ever does."""
    compileall.compile_dir(ROOT / "derive", quiet=1)
    compileall.compile_file(ROOT / "cli.py", quiet=1)
