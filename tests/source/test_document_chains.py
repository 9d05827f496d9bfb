"""Display math split into steps as a reader reads it: rows, alignment, hints, conditions, positions."""

from __future__ import annotations

import pytest

from derive.source.chains import split
from derive.source.regions import Source
from derive.source.text import Where


def links(src: str) -> list:
    """Each link as (op, left side or None, right side, (line, column) of its relation)."""
    text = Source(src).text(0, len(src))
    out = []
    for chain in split(text, Where("t.tex")).chains:
        for n, link in enumerate(chain.links):
            first = " ".join(chain.first.s.split()) if n == 0 else None
            out.append((link.op, first, " ".join(link.rhs.s.split()), link.rel.where(0)))
    return out


def annotations(src: str) -> list:
    """Each link's (hint, conditions, label)."""
    text = Source(src).text(0, len(src))
    return [(" ".join(link.hint.s.split()) if link.hint else None,
             [" ".join(t.s.split()) for _, t in link.conditions], link.label)
            for chain in split(text, Where("t.tex")).chains for link in chain.links]


CHAINS = [
    # &= and \\ : one chain, one step per relation, positions of the relations
    ("f(x) &= (x+1)^2 \\\\\n     &= x^2 + 2x + 1",
     [("=", "f(x)", "(x+1)^2", (1, 7)), ("=", None, "x^2 + 2x + 1", (2, 7))]),
    # several relations on one row
    ("a = b \\le c < d", [("=", "a", "b", (1, 3)), ("<=", None, "c", (1, 7)),
                          ("<", None, "d", (1, 13))]),
    # a row without a relation continues the expression; one with its own starts a chain
    ("a + b \\\\\n + c = d \\\\\n e = f",
     [("=", "a + b + c", "d", (2, 6)), ("=", "e", "f", (3, 4))]),
    # punctuation that ends a sentence is not math; \label, \nonumber, \tag are dropped
    ("x &= y, \\label{eq:a} \\\\\n &= z. \\nonumber",
     [("=", "x", "y", (1, 4)), ("=", None, "z", (2, 3))]),
    ("x = y\\,.", [("=", "x", "y", (1, 3))]),
    ("x = y \\text{.}", [("=", "x", "y", (1, 3))]),
    # \intertext does not break the chain
    ("x &= y \\\\\n\\intertext{and so} &= z", [("=", "x", "y", (1, 4)), ("=", None, "z", (2, 21))]),
    # two equations side by side after a comma are two chains; an inequality there is a condition
    ("a = b, \\qquad c = d", [("=", "a", "b", (1, 3)), ("=", "c", "d", (1, 17))]),
    ("f(x, y) = x, \\quad x > 0", [("=", "f(x, y)", "x", (1, 9))]),
    # align's column pairs are equations of their own
    ("a &= b, & c &= d", [("=", "a", "b", (1, 4)), ("=", "c", "d", (1, 14))]),
    # aligned inside \[ \] and a cases environment whose & and \\ are its own
    ("\\begin{aligned} g &= \\begin{cases} 1 & x > 0 \\\\ 0 & x \\le 0 \\end{cases} \\\\ &= h \\end{aligned}",
     [("=", "g", "\\begin{cases} 1 & x > 0 \\\\ 0 & x \\le 0 \\end{cases}", (1, 20)),
      ("=", None, "h", (1, 77))]),
    # definitions: := \coloneqq \triangleq \stackrel{def}, and the reversed =:
    ("u := vx", [("def", "u", "vx", (1, 3))]),
    ("u \\coloneqq vx", [("def", "u", "vx", (1, 3))]),
    ("u \\triangleq vx", [("def", "u", "vx", (1, 3))]),
    ("u \\stackrel{\\text{def}}{=} vx", [("def", "u", "vx", (1, 3))]),
    ("u \\overset{\\mathrm{def}}{=} vx", [("def", "u", "vx", (1, 3))]),
    ("vx =: u", [("rdef", "vx", "u", (1, 4))]),
    # a hint over the relation keeps the relation
    ("a \\overset{\\text{AM-GM}}{\\le} b", [("<=", "a", "b", (1, 3))]),
    # relations that are read but never checked, and chains that are not derivations
    ("a \\approx b", [("unchecked", "a", "b", (1, 3))]),
    ("x^2 = 4 \\implies x = 2", [("=", "x^2", "4", (1, 5)), ("implies", None, "x", (1, 9)),
                                  ("=", None, "2", (1, 20))]),
    ("x \\in \\mathbb{R}", [("statement", "x", "\\mathbb{R}", (1, 3))]),
    # an expression alone is not a step
    ("x^2 + 1", []),
]


@pytest.mark.parametrize("src,want", CHAINS, ids=[c[0][:30] for c in CHAINS])
def test_chain_splitting(src, want):
    assert links(src) == want


ANNOTATIONS = [
    ("a = b \\quad \\text{(chain rule)}", [("\\text{(chain rule)}", [], "")]),
    ("a &\\le b && \\text{by Cauchy--Schwarz}", [("\\text{by Cauchy--Schwarz}", [], "")]),
    ("a \\overset{\\text{AM-GM}}{\\le} b", [("\\text{AM-GM}", [], "")]),
    ("a = b % algebra: expand", [("algebra: expand", [], "")]),
    ("a &= b \\\\\n % chain rule\n &= c", [("chain rule", [], ""), (None, [], "")]),
    ("g = 2x \\quad \\text{for } x > 0", [(None, ["x > 0"], "")]),
    ("g = 2x \\text{ if $x > 0$}", [(None, ["x > 0"], "")]),
    ("g = 2x \\text{for } x > 0 \\text{ and } y \\ne 0.", [(None, ["x > 0 , y \\ne 0"], "")]),
    ("g = 2x, \\qquad x > 0", [(None, ["x > 0"], "")]),
    ("g &> 0 && \\text{since } \\lambda > 0", [("\\text{since } \\lambda > 0", [], "")]),
    ("a = b \\tag{5}", [(None, [], "5")]),
    ("a = b = c \\quad \\text{(algebra)}", [("\\text{(algebra)}", [], "")] * 2),
    # a \text inside the expression is math's business (the parser refuses it), not a hint
    ("g = \\text{ReLU}(x) + 1", [(None, [], "")]),
]


@pytest.mark.parametrize("src,want", ANNOTATIONS, ids=[a[0][:30] for a in ANNOTATIONS])
def test_hints_conditions_and_tags(src, want):
    assert annotations(src) == want


def test_unreadable_rows_are_errors_not_crashes():
    text = Source("a = b \\\\ c = $ d").text(0, 16)
    display = split(text, Where("t.tex"))
    assert [str(e) for e in display.errors] == [
        "t.tex:1:14: unexpected character a '$' in `c = $ d`: expected LaTeX math (letters, "
        "digits, + - = ( ) and commands like \\frac)"]
    assert [c.links[0].op for c in display.chains] == ["="]


def test_a_comma_inside_angle_brackets_is_not_a_condition():
    """⟨x, y⟩ written \\langle x, y \\rangle: its comma is not the top-level comma before a
    condition (the display was read as `\\langle x` under the condition `y \\rangle ≤ …`,
    and silently dropped)."""
    import textwrap
    from derive.checks import check_derivation
    from derive.source import load_text
    doc = textwrap.dedent(r"""
        \section{CS}
        % derive: symbols: x, y \in \mathbb{R}^n
        \[ \langle x, y \rangle^2 \le \|x\|^2 \|y\|^2 \]
        \[ \langle x, y \rangle^2 \le \frac{1}{2}\|x\|^2 \|y\|^2 \]
        \[ \lVert x \rVert^2 \ge 0, \quad \langle x, x \rangle \ge 0 \]
    """).strip() + "\n"
    results = check_derivation(load_text(doc, "cs.tex"))
    assert [r.verdict.status for r in results][:2] == ["cited", "failed"], results
    assert "cauchy_schwarz" in results[0].verdict.method
