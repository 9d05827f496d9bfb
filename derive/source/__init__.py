"""Derivation files: Markdown with LaTeX steps, read into the same model as Python ones."""

from __future__ import annotations

from pathlib import Path


def load_file(path) -> "object":
    """The Derivation in ``path``; bad input raises derive.errors.InputError (file:line:col)."""
    from .format import load       # imported here: SymPy loads only when a file is read
    return load(Path(path))


__all__ = ["load_file"]
