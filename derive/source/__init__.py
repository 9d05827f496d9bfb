"""Derivation files: Markdown with LaTeX steps, read into the same model as Python ones."""

from __future__ import annotations

from pathlib import Path


def load_file(path) -> "object":
    """The Derivation in ``path``; bad input raises derive.errors.InputError (file:line:col)."""
    from .format import load       # imported here: SymPy loads only when a file is read
    return load(Path(path))


def load_text(text: str, name: str = "<text>", memo: dict | None = None) -> "object":
    """The Derivation written in ``text`` (a notebook cell, an editor's buffer); ``name``
    stands for the file in messages and gives the default id. ``memo``: see format.read."""
    from .format import read
    return read(text.removeprefix("\ufeff"), Path(name), memo)


__all__ = ["load_file", "load_text"]
