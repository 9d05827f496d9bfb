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


def test_a_condition_joined_by_or_is_refused_never_read_as_and():
    """'for x > 1 or x > 0' was read as x > 1 and x > 0, which proved |x − 1| = x − 1
    (false at x = 1/2; found by an adversarial test). Each such step is an error line."""
    from conftest import unreadable
    doc = "\n".join([
        r"\[ |x - 1| = x - 1 \quad \text{for } x > 1 \text{ or } x > 0 \]",
        r"\[ \frac{x}{|x|} = 1 \quad \text{if $x > 0$ or $x < 0$} \]",
        r"\[ |x - 1| = x - 1 \quad \text{for } x > 1 \lor x > 0 \]",
        r"\[ |x - 1| = x - 1 \quad \text{for } x > 1 \text{ and } x > 0 \]",
        r"\[ x^2 \ge 0 \]", ""])
    derivation = load_text(doc, "or.tex")
    rows = unreadable(derivation)
    assert [line for line, _, _ in rows] == [1, 2, 3], rows
    assert all("joined by 'or'" in message for *_, message in rows), rows
    assert [r.verdict.status for r in check_derivation(derivation)] == ["proved", "proved"]


def test_relations_derive_does_not_check_are_said_and_forall_is_a_condition():
    """\\nleq and \\lesssim made a display vanish without a word, and so did a wrong claim
    followed by \\forall x \\in \\mathbb{R} (read as a statement because of \\in); found by an
    adversarial test."""
    from conftest import unreadable
    doc = "\n".join([
        r"\[ 1 \nleq 2 \]",
        r"\[ x^2 \lesssim x \]",
        r"\[ \sqrt{x^2} = x \quad \forall x \in \mathbb{R} \]",
        r"\[ \sqrt{x^2} = x \quad \forall x > 0 \]",
        r"\[ x^2 \ge 0 \quad \forall x \]", ""])
    derivation = load_text(doc, "forall.tex")
    rows = unreadable(derivation)
    assert [(line, "not a relation derive checks" in message) for line, _, message in rows] == \
        [(1, True), (2, True)], rows
    got = [(r.step.when, r.verdict.status) for r in check_derivation(derivation)]
    assert [status for _, status in got] == ["failed", "proved", "proved"], got
    assert len(got[1][0]) == 1 and not got[0][0] and not got[2][0], got


def test_a_builtin_written_as_an_operator_name_is_checked_not_defined():
    """\\operatorname{tanh}(x) = (wrong formula) as a first display defined a new function
    tanh and was never checked (found by an adversarial test)."""
    doc = "\n".join([r"\[ \operatorname{tanh}(x) = \frac{e^{x} + e^{-x}}{e^{x} - e^{-x}} \]",
                     r"\[ \operatorname{tanh}(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} \]", ""])
    got = [r.verdict.status for r in check_derivation(load_text(doc, "tanh.tex"))]
    assert got == ["failed", "proved"], got


def test_a_cases_environment_with_text_conditions_reads():
    """\\text{if } inside \\begin{cases} is the piece's condition; it was taken as the step's
    and the environment was cut in half ('\\begin is never closed'; found by an
    adversarial test)."""
    from conftest import unreadable
    doc = "\n".join([
        r"\[ \max(x, 0) = \begin{cases} x & \text{if } x > 0, \\ 0 & \text{otherwise.} \end{cases} \]",
        r"\[ \max(x, 0) = \begin{cases} -x & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases} \]",
        ""])
    derivation = load_text(doc, "cases.tex")
    assert not unreadable(derivation)
    got = [r.verdict.status for r in check_derivation(derivation)]
    assert got[1] == "failed" and got[0] in ("proved", "checked"), got


def test_a_condition_in_parentheses_after_a_step():
    """\\qquad (u > 0) and && (z \\ge 0) were errors ('unexpected relation', 'expected a
    relation in (z ≥ 0)'; found by an adversarial test); x·(x − 1) stays a product."""
    doc = "\n".join([
        r"\[ \sqrt{u^2} = u \qquad (u > 0) \]",
        r"\[ \sqrt{u^2} = u \quad (u \ge 0). \]",
        r"\begin{align*} |z| &= z && (z \ge 0) \end{align*}",
        r"\[ x \cdot (x - 1) = x^2 - x \]", ""])
    results = check_derivation(load_text(doc, "paren.tex"))
    assert [(len(r.step.when), r.verdict.status) for r in results] == \
        [(1, "proved"), (1, "proved"), (1, "proved"), (0, "proved")], results


def test_a_display_with_a_brace_left_open_is_an_error_line():
    """\\frac{1}{2 = 3: the relation sat inside the open group and the display was skipped
    without a word (found by an adversarial test)."""
    from conftest import unreadable
    doc = "\n".join([r"\[ x + 1 = 1 + x \]", r"\[ \frac{1}{2 = 3 \]", r"\[ x = x } \]", ""])
    derivation = load_text(doc, "brace.tex")
    assert [(line, col, "never closed" in m or "closes no" in m)
            for line, col, m in unreadable(derivation)] == [(2, 12, True), (3, 10, True)]
    assert [r.verdict.status for r in check_derivation(derivation)] == ["proved"]
