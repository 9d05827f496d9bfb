"""Steps read from a file are typeset as their author wrote them; Python ones as SymPy prints them."""

from __future__ import annotations

import re
import textwrap

import pytest

from derive.authored import spelt, step_sides
from derive.checks.parallel import rebuild_results
from derive.errors import RenderError
from derive.prose import check_math
from derive.render import document_view, render_md, render_tex
from derive.source import load_file
from derive.verdict import Verdict


@pytest.mark.parametrize("tex, rel, expected", [
    (r"\frac{1}{2s}(2S_1-2n\mu) = \frac{S_1 - n\mu}{s}", "=",
     (r"\frac{1}{2s}(2S_1-2n\mu)", "=", r"\frac{S_1 - n\mu}{s}")),
    (r"= (\hat y - y)\, 2vx", "=", ("", "=", r"(\hat y - y)\, 2vx")),
    ("-\\frac{y_1}{p_1}\n  \\frac{\\partial p_1}{\\partial z_1} \\le 0", "<=",
     (r"-\frac{y_1}{p_1} \frac{\partial p_1}{\partial z_1}", r"\le", "0")),
    (r"\hat y = y \iff \sigma(v^2 x) = y", "iff", (r"\hat y = y", r"\iff", r"\sigma(v^2 x) = y")),
    (r"\iff e^{-v^2 x} = \frac{1}{y} - 1", "iff", ("", r"\iff", r"e^{-v^2 x} = \frac{1}{y} - 1")),
    ("y(1 − y) ≤ \\frac{1}{4}", "<=", ("y(1 - y)", r"\le", r"\frac{1}{4}")),
    (r"f\left(a = b\right) = 1", "=", (r"f\left(a = b\right)", "=", "1")),
    (r"\begin{cases} 1, & x > 0 \\ 0, & x < 0 \end{cases} = g", "=",
     (r"\begin{cases} 1, & x > 0 \\ 0, & x < 0 \end{cases}", "=", "g")),
    (r"\langle a, b\rangle <= c", "<=", (r"\langle a, b\rangle", r"\le", "c")),
], ids=["fraction before a bracket", "continuation", "product of fractions", "iff", "iff continuation",
        "unicode", "relation inside brackets", "cases", "ascii <="])
def test_a_step_splits_at_its_relation(tex, rel, expected):
    assert step_sides(tex, rel) == expected


@pytest.mark.parametrize("tex, rel", [
    ("a = b = c", "="),          # two relations: not one step's shape
    ("a < b", "="),              # not the relation the reader found
    ("a =", "="),                # nothing on the right
    ("", "="),
])
def test_a_step_that_does_not_split_cleanly_is_left_to_the_printer(tex, rel):
    assert step_sides(tex, rel) is None


@pytest.mark.parametrize("tex, expected", [
    ("α + β·γ", r"\alpha + \beta \cdot \gamma"),
    ("‖x‖ ≥ 0", r"\Vert x\Vert \ge 0"),
    ("a  \n  b", "a b"),
    (r"\alpha\,x", r"\alpha\,x"),
])
def test_unicode_is_spelt_as_the_commands_tex_needs(tex, expected):
    assert spelt(tex) == expected
    check_math(spelt(tex))


FILE = textwrap.dedent(r"""
    ---
    symbols:
      - s > 0
      - n > 0
      - S_1, \mu \in \mathbb{R}
      - 0 < y < 1
    ---

    ## (a) Sums

    $$
    \frac{1}{2s}(2S_1-2n\mu) = \frac{S_1 - n\mu}{s}   % algebra
      = \frac{S_1}{s} − \frac{n μ}{s}                  % algebra
    y(1 - y) ≤ \frac{1}{4}                             % sign
    $$
    """).lstrip()


@pytest.fixture
def from_file(tmp_path):
    path = tmp_path / "sums.md"
    path.write_text(FILE, encoding="utf-8")
    d = load_file(path)
    return [(d, rebuild_results(d, [Verdict("proved", "algebra")] * 3))]


def test_a_file_is_typeset_in_its_authors_latex(from_file):
    rows = document_view(from_file)["questions"][0]["rows"]
    assert [(str(r["lhs"]), str(r["rel"]), str(r["rhs"])) for r in rows] == [
        (r"\frac{1}{2s}(2S_1-2n\mu)", "=", r"\frac{S_1 - n\mu}{s}"),
        ("", "=", r"\frac{S_1}{s} - \frac{n \mu }{s}"),
        ("y(1 - y)", r"\le", r"\frac{1}{4}")]
    source = render_tex(from_file)
    # One fraction times a bracket, as written: not SymPy's single big fraction.
    assert r"\frac{1}{2s}(2S_1-2n\mu) &= \frac{S_1 - n\mu}{s}" in source
    md = render_md(from_file)
    assert r"\frac{1}{2s}(2S_1-2n\mu) &= \frac{S_1 - n\mu}{s} && \text{(1.1)}" in md


def test_a_python_derivation_is_printed_by_sympy(from_file):
    from derive import catalog
    d = catalog.load("q6")
    row = document_view([(d, rebuild_results(d, [Verdict("proved", "x")] * 25))])["questions"][0]["rows"][0]
    assert str(row["lhs"]) == r"\frac{\partial \ell}{\partial v}"


def test_the_authors_latex_passes_the_allow_list_before_tex_sees_it(from_file):
    d, results = from_file[0]
    from dataclasses import replace
    part = d.parts[0]
    bad = replace(part.steps[0], tex=r"\input{/etc/passwd} = 1")
    d = replace(d, parts=(replace(part, steps=(bad,) + part.steps[1:]),))
    with pytest.raises(RenderError, match=r"sums\.md:\d+:\d+: \\input is not allowed in math"):
        render_tex([(d, rebuild_results(d, [r.verdict for r in results]))])
