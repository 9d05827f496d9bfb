"""Fixtures for reading documents: write a file, read it as derive does."""

from __future__ import annotations

import pytest

from derive.source import load_file


@pytest.fixture
def read_document(tmp_path):
    """``read(text, name="notes.tex")``: the Derivation a document holds."""
    def read(text: str, name: str = "notes.tex"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return load_file(path)
    return read


def unreadable(derivation) -> list:
    """The document's unreadable parts as (line, column, message)."""
    return [(line, col, msg) for _, line, col, msg in dict(derivation.extra).get("unreadable", ())]


def steps(derivation) -> list:
    return [step for _, step in derivation.steps()]
