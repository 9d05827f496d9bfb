"""Definitions in a document's prose and displays, and how long each meaning lasts."""

from __future__ import annotations

import pytest

from derive.checks import check_derivation

from conftest import unreadable

DEFINITIONS = [
    # the definition signs, inline and displayed
    ("Let $u := vx$.\n\\[ u^2 = v^2 x^2 \\]", ["proved"]),
    ("Write $u \\coloneqq vx$ here.\n\\[ u = xv \\]", ["proved"]),
    ("\\[ u \\triangleq vx \\]\n\\[ u = xv \\]", ["proved"]),
    ("\\[ u \\stackrel{\\text{def}}{=} vx \\]\n\\[ u = xv \\]", ["proved"]),
    ("\\[ u \\overset{\\text{def}}{=} vx \\]\n\\[ u = xv \\]", ["proved"]),
    ("\\[ vx =: u \\]\n\\[ u = xv \\]", ["proved"]),
    ("\\[ vx + v = v(x + 1) =: u \\]\n\\[ u = v + xv \\]", ["proved", "proved"]),
    ("\\[ x = x^2 \\]", ["failed"]),          # mentions itself: an equation, not a definition
    # prose: "let"/"where"/"define" introduce a definition; other inline math defines nothing
    ("Let $u = vx$.\n\\[ u^2 = v^2 x^2 \\]", ["proved"]),
    ("where $u = vx$ is the margin.\n\\[ u^2 = v^2 x^2 \\]", ["proved"]),
    ("At $u = vx$ the bound is tight.\n\\[ u^2 = v^2 x^2 \\]", ["failed"]),
    # the first display `name = …` of an unused name defines it; later ones are claims
    ("\\[ u = vx \\]\n\\[ u^2 = v^2 x^2 \\]", ["proved"]),
    ("\\[ u = vx \\]\n\\[ u = 2vx \\]", ["failed"]),
    ("\\[ x^2 - x^2 = 0 \\]\n\\[ x = 3 \\]", ["proved", "failed"]),
    # a later section may define the name again; := redefines anywhere
    ("\\section{A}\n\\[ u = vx \\]\n\\[ u^2 = v^2 x^2 \\]\n\\section{B}\n\\[ u = 2v \\]\n"
     "\\[ u^2 = 4v^2 \\]", ["proved", "proved"]),
    ("\\[ u := vx \\]\n\\[ u := 2v \\]\n\\[ u^2 = 4v^2 \\]", ["proved"]),
    # a new meaning may use the old one; steps before it keep the old one
    ("\\[ \\ell := (y - wx)^2 \\]\n\\[ \\ell := \\ell + \\lambda w^2 \\]\n"
     "\\[ \\frac{\\partial \\ell}{\\partial w} = -2x(y - wx) + 2\\lambda w \\]", ["proved"]),
    ("\\[ x^2 - x = x(x - 1) \\]\n\\[ x := 3 \\]\n\\[ x^2 = 9 \\]", ["proved", "proved"]),
    # functions: f(x, y) := …, applied, and f alone as its value at (x, y)
    ("\\[ f(x, y) := x^2 y \\]\n\\[ f(2, 3) = 12 \\]\n\\[ \\frac{\\partial f}{\\partial x} = 2xy \\]",
     ["proved", "proved"]),
    ("Let $\\sigma(s) := \\frac{1}{1 + e^{-s}}$.\n"
     "\\[ \\frac{d}{dz} \\sigma(z) = \\sigma(z)\\bigl(1 - \\sigma(z)\\bigr) \\]", ["proved"]),
    # \text{where …} beside a step defines before the step is read
    ("\\[ \\frac{d}{dx} u^2 = 2uv \\quad \\text{where } u = vx \\]", ["proved"]),
    # % derive: lines declare in the front-matter syntax
    ("% derive: symbols: x > 0\n\\[ \\sqrt{x^2} = x \\]", ["proved"]),
    ("\\[ \\sqrt{x^2} = x \\]", ["failed"]),
    ("% derive: symbols: n \\in \\mathbb{Z}; 0 < y < 1\n\\[ (-1)^{2n} = 1 \\]\n\\[ y(1-y) > 0 \\]",
     ["proved", "proved"]),
    ("% derive: functions: \\phi \\colon \\mathbb{R} \\to \\mathbb{R}\n"
     "\\[ \\frac{d}{dx} \\phi(x)^2 = 2\\phi(x)\\frac{d}{dx}\\phi(x) \\]", ["proved"]),
]


@pytest.mark.parametrize("body,want", DEFINITIONS, ids=[d[0][:40] for d in DEFINITIONS])
def test_definitions_and_their_scope(read_document, body, want):
    derivation = read_document(body)
    assert unreadable(derivation) == []
    assert [r.verdict.status for r in check_derivation(derivation)] == want


def test_redefined_names_print_as_written(read_document):
    derivation = read_document("\\[ u := vx \\]\n\n\\[ u := 2v \\]\n\\[ u^2 = 4v^2 \\]")
    names = [str(s) for s, _ in derivation.definitions]
    assert names == ["u", "u@3"]
    assert {tex for s, tex in derivation.latex_names if str(s).startswith("u")} == {"u"}


DERIVE_LINE_ERRORS = [
    ("% derive: symbols: 0 < y < 1 < 2\n\\[ a = a \\]",
     "expected `name > number`, `a < name < b` or `name \\in set`"),
    ("% derive: colours: red\n\\[ a = a \\]", "unknown key 'colours' in a derive: line"),
    ("% derive: log: 7\n\\[ a = a \\]", "log: expected natural, 10 or 2, not '7'"),
]


@pytest.mark.parametrize("body,message", DERIVE_LINE_ERRORS)
def test_derive_line_errors_are_one_line_each(read_document, body, message):
    derivation = read_document(body)
    (line, col, got), = unreadable(derivation)
    assert line == 1 and got.startswith(message)


# -- an undeclared name first seen as a sum's limit counts terms ---------------------------

def test_an_undeclared_sum_limit_is_a_count():
    import textwrap
    from derive.checks import check_derivation
    from derive.source import load_text
    doc = textwrap.dedent(r"""
        \section{Sums}
        \[ \sum_{i=1}^{n} i = \frac{n(n+1)}{2} \]
        \[ \sum_{i=1}^{n} (2i - 1) = n^2 + 1 \]
        \[ \sum_{k=0}^{m} 2^k = 2^{m+1} - 1 \]
        \[ \sum_{k=0}^{m} 2^k = 2^{m} \]
    """).strip() + "\n"
    derivation = load_text(doc, "sums.tex")
    n = next(v for v in derivation.variables if str(v.symbol) == "n")
    assert n.integer and n.lower == 0 and not n.lower_open      # an integer ≥ 0: n = 0 is the empty sum
    verdicts = [r.verdict for r in check_derivation(derivation)]
    assert [v.status for v in verdicts] == ["proved", "failed", "proved", "failed"], verdicts
    # The counterexample names the size the sums were written out at, and the sides there.
    for v, size, left, right in ((verdicts[1], "n", lambda k: k * k, lambda k: k * k + 1),
                                 (verdicts[3], "m", lambda k: 2 ** (k + 1) - 1, lambda k: 2 ** k)):
        k = int(v.counterexample[size])
        assert float(v.counterexample["lhs"]) == left(k), v.counterexample
        assert float(v.counterexample["rhs"]) == right(k), v.counterexample


def test_a_name_already_real_is_not_made_a_count():
    import textwrap
    from derive.errors import InputError
    from derive.source import load_text
    doc = textwrap.dedent(r"""
        \section{Sums}
        \[ x^n = x^n \]
        \[ \sum_{i=1}^{n} i = \frac{n(n+1)}{2} \]
    """).strip() + "\n"
    derivation = load_text(doc, "sums.tex")
    (rows,) = [rows for key, rows in derivation.extra if key == "unreadable"]
    assert any("must be an integer" in message for *_, message in rows), rows


def test_a_size_may_be_declared_after_its_family_on_one_line():
    import textwrap
    from derive.checks import check_derivation
    from derive.source import load_text
    doc = textwrap.dedent(r"""
        \section{Mean}
        % derive: symbols: x_1, \dots, x_n \in \mathbb{R}; n \in \mathbb{Z}_{\ge 1}; \mu \in \mathbb{R}
        \[ \frac{\partial}{\partial \mu} \sum_{i=1}^{n} (x_i - \mu)^2 = -2 \sum_{i=1}^{n} (x_i - \mu) \]
        \[ \frac{\partial}{\partial \mu} \sum_{i=1}^{n} (x_i - \mu)^2 = 2 \sum_{i=1}^{n} (x_i - \mu) \]
    """).strip() + "\n"
    got = [r.verdict.status for r in check_derivation(load_text(doc, "mean.tex"))]
    assert got == ["proved", "failed"], got


def test_a_family_in_a_finite_set_is_refused_with_what_to_write():
    import textwrap
    from derive.source import load_text
    doc = textwrap.dedent(r"""
        \section{Labels}
        % derive: symbols: n \in \mathbb{Z}_{\ge 1}; y_1, \dots, y_n \in \{0, 1\}
        \[ 1 + 1 = 2 \]
    """).strip() + "\n"
    derivation = load_text(doc, "labels.tex")
    (rows,) = [rows for key, rows in derivation.extra if key == "unreadable"]
    assert [(line, "finite set" in message and "[0, 1]" in message) for _, line, _, message in rows] \
        == [(2, True)], rows


# -- p_k := … over a declared index defines a family, as a derivation file's define: does --

SOFTMAX = r"""
\section{Softmax}
% derive: symbols: K \in \mathbb{Z}_{\ge 1}; j, k, m \in \{1, \dots, K\}; z_1, \dots, z_K \in \mathbb{R}
DEFINITION
\begin{align}
\sum_{k=1}^{K} p_k &= 1 \\
\frac{\partial p_k}{\partial z_m} &= p_k([k = m] - p_m) \\
\sum_{k=1}^{K} p_k &= K p_1 \\
\frac{\partial p_k}{\partial z_m} &= p_k(1 - p_m)
\end{align}
"""


@pytest.mark.parametrize("definition", [
    r"Let $p_k := \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}$ be the softmax.",
    r"% derive: define: p_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}",
])
def test_a_definition_over_a_declared_index_defines_a_family(definition):
    """Read as one scalar p_k, a sum over k added K copies of it and p_m was a free real:
    the right steps failed with counterexamples that were not the softmax's."""
    from derive.source import load_text
    derivation = load_text(SOFTMAX.replace("DEFINITION", definition).lstrip(), "softmax.tex")
    verdicts = [r.verdict for r in check_derivation(derivation)]
    assert [v.status for v in verdicts] == ["proved", "proved", "failed", "failed"], verdicts
    # The counterexample gives the scores z, from which p is computed, not a free p_m.
    assert "z" in verdicts[2].counterexample and "p_m" not in verdicts[2].counterexample


def test_a_display_about_a_family_member_is_a_claim_not_a_definition():
    """After q_k := k², a first display q_1 = 2 defined a scalar q_1 = 2 (found by review):
    q_1 = 1 then failed and a wrong step using both meanings was proved."""
    import textwrap
    from derive.source import load_text
    doc = textwrap.dedent(r"""
        \section{One}
        % derive: symbols: K \in \mathbb{Z}_{\ge 1}; k \in \{1, \dots, K\}
        Let $q_k := k^2$.
        \begin{align}
        q_1 &= 2 \\
        q_1 &= 1 \\
        \sum_{k=1}^{K} q_k - q_1 &= \frac{K(K+1)(2K+1)}{6} - 2
        \end{align}
        Let $q_1 := 5$.
    """).strip() + "\n"
    derivation = load_text(doc, "members.tex")
    got = [r.verdict.status for r in check_derivation(derivation)]
    assert got == ["failed", "proved", "failed"], got
    (rows,) = [rows for key, rows in derivation.extra if key == "unreadable"]
    assert any("member of the family" in message for *_, message in rows), rows


def test_a_family_over_a_name_already_given_a_member_is_refused():
    """r_1 = 3 before r_k := k: r_1 meant 3 alone and 1 inside a sum, which proved
    r_1 + Σ_{k=2}^{n} r_k = n(n+1)/2 + 2 (found by review)."""
    import textwrap
    from derive.source import load_text
    doc = textwrap.dedent(r"""
        % derive: symbols: n \in \mathbb{Z}_{\ge 1}; k \in \{1, \dots, n\}
        \section{B}
        \[ r_1 = 3 \]
        Let $r_k := k$.
        \[ r_1 + \sum_{k=2}^{n} r_k = \frac{n(n+1)}{2} + 2 \]
    """).strip() + "\n"
    derivation = load_text(doc, "twice.tex")
    (rows,) = [rows for key, rows in derivation.extra if key == "unreadable"]
    assert any("has a meaning already" in message for *_, message in rows), rows
    assert "proved" not in [r.verdict.status for r in check_derivation(derivation)]
