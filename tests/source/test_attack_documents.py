"""Attacks through plain .tex documents with no justification (auto): a proof "found" for a false
step through a hint, the lemma tier, a macro, a redefinition, or a declaration written after
the step. Holes are strict xfails; attacks that held are ordinary tests."""

from __future__ import annotations

import textwrap

import pytest

from derive.checks import check_derivation
from derive.source import load_text

NEVER = ("proved", "cited")


def check(doc):
    derivation = load_text(textwrap.dedent(doc).strip() + "\n", "attack.tex")
    return [(str(r.lhs), r.step.rel, str(r.step.rhs), r.verdict.status)
            for r in check_derivation(derivation)]


def test_an_assumption_does_not_reach_back_to_earlier_steps():
    text = textwrap.dedent(r"""
        \section{One}
        \[ a \ge b + 1 \]
        % derive: assume: a \ge b + 1
        \[ a - b \ge 1 \]
    """).strip() + "\n"
    derivation = load_text(text, "attack.tex")
    (unreadable,) = [rows for key, rows in derivation.extra if key == "unreadable"]
    assert [(line, "whole document" in message) for _, line, _, message in unreadable] == [(3, True)]
    got = [r.verdict.status for r in check_derivation(derivation)]
    assert got[0] not in NEVER, got
    got = check(r"""
        % derive: assume: a \ge b + 1
        \section{One}
        \[ a - b \ge 1 \]
    """)
    assert got[0][3] == "proved", got


def test_a_declaration_of_symbols_does_not_reach_back():
    got = check(r"""
        \section{One}
        \[ \sqrt{x^2} = x \]
        % derive: symbols: x > 0
        \[ \sqrt{x^2} = x \]
    """)
    assert [g[3] for g in got] == ["failed", "proved"], got


def test_a_redefinition_in_a_later_section_keeps_each_meaning():
    got = check(r"""
        \section{One}
        Let $u := 2x$.
        \[ u = 2x \]
        \section{Two}
        Let $u := 3x$.
        \[ u = 3x \]
        \[ u = 2x \]
    """)
    assert [g[3] for g in got] == ["proved", "proved", "failed"], got


def test_macros_mean_what_tex_typesets():
    got = check(r"""
        \section{One}
        \newcommand{\sq}[1]{#1^2}
        \def\two{1+1}
        \[ \sq{a+b} = a + b^2 \]
        \[ 2 \cdot \two = 3 \]
        \[ \sq{(a+b)} = a^2 + b^2 \]
    """)
    assert [g[3] for g in got] == ["proved", "proved", "failed"], got


def test_hints_and_the_lemma_tier_do_not_prove_false_steps():
    got = check(r"""
        \section{One}
        \[ a^2 + b^2 \overset{\text{AM-GM}}{\le} 2ab \]
        \[ \frac{d}{dx} x^3 = 2x^2 \quad \text{(chain rule)} \]
        \[ 1 + t \le e^{-t} \]
        \[ 1 - t \le e^{-t} \]
        \[ 1 - t < e^{-t} \]
        \[ e^{t} \le e^{t - 1} \quad \text{(monotone)} \]
    """)
    statuses = [g[3] for g in got]
    assert statuses[0] not in NEVER and statuses[1] == "failed" and statuses[2] not in NEVER
    assert statuses[3] == "cited" and statuses[4] not in NEVER and statuses[5] not in NEVER, got


def test_a_link_that_is_not_checked_breaks_the_chain():
    # (x+1)² = x² + 2x + 1 ≠ x² = x·x: the link after ≠ starts from x², and no chain
    # (x+1)² … = x·x is composed across the ≠.
    got = check(r"""
        \section{One}
        \[ (x+1)^2 = x^2 + 2x + 1 \ne x^2 = x \cdot x \]
    """)
    assert [(g[0], g[3]) for g in got] == [("(x + 1)**2", "proved"), ("x**2", "proved")], got
