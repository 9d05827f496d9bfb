"""Derivation files and plain documents: Markdown or LaTeX, read into the same model as Python ones."""

from __future__ import annotations

import re
from pathlib import Path

_INPUT = re.compile(rb"\\(input|include|subfile)\b")


def is_document(path) -> bool:
    """A .tex file, or a Markdown file without front matter: a document as people write it
    (no declarations, no justifications), read by source/document.py."""
    path = Path(path)
    if path.suffix.lower() in (".tex", ".latex"):
        return True
    if path.suffix.lower() in (".md", ".markdown"):
        try:
            with open(path, "rb") as fh:
                head = fh.read(64).lstrip(b"\xef\xbb\xbf")
        except OSError:
            return False
        return not head.lstrip(b" \t").startswith(b"---")
    return False


def reads_other_files(path, data: bytes | None = None) -> bool:
    """Whether a document \\input's other files (its verdicts then depend on more than its
    bytes); ``data``: its bytes, already read."""
    try:
        return is_document(path) and bool(_INPUT.search(
            Path(path).read_bytes() if data is None else data))
    except OSError:
        return True


def load_file(path, data: bytes | None = None) -> "object":
    """The Derivation in ``path`` (a document read from ``data`` when given); bad input
    raises derive.errors.InputError (file:line:col)."""
    path = Path(path)
    if is_document(path):
        from .document import load_document     # imported here: SymPy loads only when needed
        return load_document(path, markdown=path.suffix.lower() not in (".tex", ".latex"),
                             data=data)
    from ..typeset import validate
    from .format import load
    return validate(load(path, data))  # what TeX cannot typeset is refused here, at check time


def load_text(text: str, name: str = "<text>", memo: dict | None = None) -> "object":
    """The Derivation written in ``text`` (a notebook cell, an editor's buffer); ``name``
    stands for the file in messages and gives the default id. ``memo``: see format.read."""
    path = Path(name)
    if path.suffix.lower() in (".tex", ".latex") or (
            path.suffix.lower() in (".md", ".markdown") and
            not text.removeprefix("\ufeff").lstrip(" \t").startswith("---")):
        from .document import load_document     # a buffer holding a plain document
        return load_document(path, markdown=path.suffix.lower() not in (".tex", ".latex"),
                             data=text.encode("utf-8"))
    from ..typeset import validate
    from .format import read
    text = text.removeprefix("\ufeff")
    return validate(read(text, Path(name), memo), text)


__all__ = ["is_document", "load_file", "load_text", "reads_other_files"]
