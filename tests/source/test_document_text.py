"""A document held in memory (an editor's buffer, `derive watch`) reads as the file would."""

from __future__ import annotations

from derive.checks import check_derivation
from derive.incremental import Session
from derive.source import load_text

NOTES = "\\section{A}\n\\[ (a + b)^2 = a^2 + 2ab + b^2 \\]\n\\[ x = \\text{ReLU}(y) \\]\n"


def test_a_tex_buffer_is_a_document():
    derivation = load_text(NOTES, "notes.tex")
    assert [p.label for p in derivation.parts] == ["1"]
    (error,) = dict(derivation.extra)["unreadable"]
    assert error[:3] == ("notes.tex", 3, 8)
    assert [r.verdict.status for r in check_derivation(derivation)] == ["proved"]


def test_a_markdown_buffer_without_front_matter_is_a_document():
    derivation = load_text("# T\n\n$$ (u + 1)u = u^2 + u $$\n", "notes.md")
    assert derivation.title == "T"


def test_watching_a_document():
    outcome = Session("notes.tex").check(NOTES)
    assert outcome.error is None
    assert [r.verdict.status for r in outcome.results] == ["proved"]
