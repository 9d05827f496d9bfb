"""The author's macros expanded in math without TeX; refused ones named where they are used."""

from __future__ import annotations

import pytest

from derive.checks import check_derivation
from derive.source.macros import MacroError, Macros, read_definition
from derive.source.regions import Source

from conftest import unreadable

DEFINITIONS = [r"\newcommand{\R}{\mathbb{R}}", r"\newcommand{\norm}[1]{\lVert #1 \rVert}",
               r"\DeclareMathOperator{\tr}{tr}", r"\newcommand\ip[2]{\langle #1, #2\rangle}",
               r"\def\half{\frac12}", r"\renewcommand*{\sq}[1]{#1^2}",
               r"\providecommand{\e}{\mathrm{e}}", r"\newcommand{\loop}{\loop}",
               r"\newcommand{\ping}{\pong}", r"\newcommand{\pong}{\ping}",
               r"\newcommand{\many}[4]{#1#2#3#4}", r"\newcommand{\opt}[1][x]{#1}",
               r"\def\pat#1{#1}"]


def macros():
    table = Macros()
    for d in DEFINITIONS:
        got = read_definition(d, 0)
        assert got is not None and got[1] == len(d), d
        table.define(got[0])
    return table


EXPANSIONS = [
    (r"\norm{x}^2 + \R", r"\lVert x \rVert^2 + \mathbb{R}"),
    (r"\ip{a}{b+c}", r"\langle a, b+c\rangle"),
    (r"\tr(A) \half", r"\operatorname{tr}(A) \frac12"),
    (r"\sq{a+b}", r"a+b^2"),                        # as TeX does: no braces added
    (r"\sq x", r"x^2"),
    (r"\ensuremath{\e^x}", r"\mathrm{e}^x"),
    (r"\mathrel{=}", r"="),
    (r"\frac{1}{2}", r"\frac{1}{2}"),               # unknown to the table: left alone
]


@pytest.mark.parametrize("src,want", EXPANSIONS)
def test_expansion(src, want):
    assert macros().expand(Source(src).text(0, len(src))).s == want


def test_expanded_text_points_at_the_use():
    src = "a +\n  \\norm{xy}"
    out = macros().expand(Source(src).text(0, len(src)))
    assert out.s == "a +\n  \\lVert xy \\rVert"
    assert out.where(out.s.index("\\lVert")) == (2, 3)       # the macro's own text: its use
    assert out.where(out.s.index("xy")) == (2, 9)            # an argument: where it was written


REFUSED = [
    (r"a + \loop", "the macro \\loop expands into itself (a recursive definition)", (1, 5)),
    (r"\ping", "expands into itself", (1, 1)),
    (r"x \many{1}{2}{3}{4}", "the macro \\many is not expanded: it takes 4 arguments; "
                              "derive expands macros of at most 3", (1, 3)),
    (r"\opt{2}", "it has an optional argument", (1, 1)),
    (r"\pat{2}", "it is a \\def with parameters", (1, 1)),
    (r"\ip{a}", "\\ip needs 2 argument(s), found 1", (1, 1)),
]


@pytest.mark.parametrize("src,message,where", REFUSED)
def test_refused_macros_are_errors_where_used(src, message, where):
    with pytest.raises(MacroError, match=message.replace("\\", "\\\\").replace("(", "\\(")
                       .replace(")", "\\)")) as info:
        macros().expand(Source(src).text(0, len(src)))
    assert info.value.where == where


def test_a_document_with_macros(read_document):
    derivation = read_document(
        "\\newcommand{\\sq}[1]{\\left(#1\\right)^2}\n\\DeclareMathOperator{\\sgn}{sgn}\n"
        "\\newcommand{\\bad}[5]{}\n"
        "\\begin{document}\n\\[ \\sq{a+b} = a^2 + 2ab + b^2 \\]\n\\[ x = \\bad{1}{2}{3}{4}{5} \\]\n"
        "\\end{document}\n")
    assert [r.verdict.status for r in check_derivation(derivation)] == ["proved"]
    assert unreadable(derivation) == [(6, 8, "the macro \\bad is not expanded: it takes 5 "
                                             "arguments; derive expands macros of at most 3")]
