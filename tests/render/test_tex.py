"""Verdicts to LaTeX and Markdown: golden files, every status visible, user text never raw.

Goldens live in tests/golden/; regenerate them with ``DERIVE_UPDATE_GOLDEN=1 pytest tests/render/test_tex.py``
and read the diff before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sympy import Gt, Ne, Symbol, evaluate, exp, log, sqrt

from derive.build import Builder, D, why
from derive.checks.parallel import rebuild_results
from derive.errors import RenderError
from derive.notation import sigma
from derive.printing import tex
from derive.prose import check_math
from derive.markdown import checker as md_text
from derive.render import document_view, render_md, render_tex, slug, split_title
from derive.verdict import Verdict

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("DERIVE_UPDATE_GOLDEN") == "1"


def small(title="Question 7: a small derivation with 100% of the marks", intro=None,
          why_text="product rule", latex_name=r"\hat{y}"):
    """A derivation of four chains, each step to be given a different verdict."""
    b = Builder("q7", title, intro=intro if intro is not None else
                "Setup: $y = \\sigma(u)$; costs \\$5 & 10% off; see \\eqref{q7:2}.")
    x = b.var("x")
    u = b.var("u")
    yh = b.define("yh", sigma(u), latex=latex_name)
    t = b.var("t", lower=0)
    b.part("a", "Chains and cases", intro="Differentiate $\\hat y$ in $u$.")
    with evaluate(False):
        b.step(D(yh, u), "=", sigma(u) * (1 - sigma(u)), why("derivative", why_text))
    b.then("=", yh * (1 - yh), why("substitute", "$\\hat y = \\sigma(u)$"))
    b.step(log(1 / x - 1), "<", 0, why("sign", "a wrong sign"), when=[Gt(x, 0)],
           note="A note after the chain, citing \\eqref{q7:1}.")
    b.step(exp(-t * x / (x + 1)), "<=", 1, why("sign", "exponent $\\le 0$"), when=[Gt(x, 0)])
    b.then("<=", sqrt(1 + x**2), why("telepathy", "by inspection"), when=[Gt(x, 0), Ne(t, 1)])
    b.part("b", "A part without steps", intro="Only words here: 50% & $x_1$.")
    return b.build(source="small.py")


VERDICTS = [
    Verdict("proved", "derivative: cancel", seconds=0.01),
    Verdict("cited", "hypothesis", seconds=0.002),
    Verdict("failed", "sign: sampling", reason="the inequality < breaks at 50% of points; x_1 & ŷ",
            counterexample={"x": "0.25", "lhs": "1.0986123", "rhs": "0"}, seconds=0.003),
    Verdict("checked", "sign: sampling", reason="held at 200 sampled points", seconds=0.02),
    Verdict("unknown", "telepathy", reason="unknown justification 'telepathy'", seconds=0.0),
]


def results_for(derivation, verdicts=VERDICTS):
    return rebuild_results(derivation, verdicts)


def checked(derivation=None):
    d = derivation or small()
    return [(d, results_for(d))]


def golden(name, text):
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing (DERIVE_UPDATE_GOLDEN=1 writes it)"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs (DERIVE_UPDATE_GOLDEN=1 rewrites it)"


# --------------------------------------------------------------------------- goldens

def test_tex_golden():
    golden("small.tex", render_tex(checked(), title="Solutions"))


def test_md_golden():
    golden("small.md", render_md(checked(), title="Solutions"))


# --------------------------------------------------------------------------- statuses

@pytest.fixture(scope="module")
def source():
    return render_tex(checked())


def rows(source):
    """{tag: the TeX of that step's row}."""
    found = re.findall(r"\n([^\n]*\n  \\stepnote\{.*?\n  \\tag\{([\d.]+)\}\\label\{[^}]*\})", source, re.S)
    return {tag: row for row, tag in found}


@pytest.mark.parametrize("tag, mark", [
    ("7.1", r"\markproved"), ("7.2", r"\markcited"), ("7.3", r"\markfailed"),
    ("7.4", r"\markchecked"), ("7.5", r"\markunknown")])
def test_every_step_has_its_number_and_status_mark(source, tag, mark):
    row = rows(source)[tag]
    assert f"\\stepnote{{{mark}}}" in row
    assert f"\\label{{q7:{tag.split('.')[1]}}}" in row


def test_failed_and_unknown_steps_show_their_reason_in_red_and_orange(source):
    remarks = dict(re.findall(r"\\stepremark\{\w+\}\{([\d.]+)\}\{[^}]*\}\{([^\n]*)\}\n", source))
    assert remarks["7.3"].startswith(r"failed: the inequality {\ensuremath{<}} breaks at 50{\%} of points; "
                                     r"x{\_}1 {\&} {\^{y}}")
    # Sampled values are shown to 6 digits, as math (--json keeps them all).
    assert remarks["7.3"].endswith(r" at $x = 0.25$: left side $1.09861$, right side $0$.")
    assert remarks["7.5"] == r"unknown: unknown justification 'telepathy'."
    assert r"\stepremark{badred}{7.3}" in source and r"\stepremark{unkorange}{7.5}" in source
    # A checked step is evidence, not a problem: no remark under its chain.
    assert "7.4" not in remarks


def test_summary_counts_and_lists_what_is_not_proved_worst_first(source):
    view = document_view(checked())
    assert view["totals"] == {"proved": 1, "checked": 1, "cited": 1, "failed": 1, "unknown": 1}
    summary = source[source.index(r"\section*{Verification summary}"):]
    assert r"\hyperref[q:q7]{Question 7} & 1 & 1 & 1 & 1 & 1 & 5\\" in summary
    listed = summary[summary.index("Steps not proved"):summary.index("Every step, by part")]
    assert re.findall(r"\\hyperref\[(q7:\d)\]", listed) == ["q7:3", "q7:5", "q7:4", "q7:2"]
    assert r"(a)~\hyperref[q7:1]{7.1{\textendash}7.5}:" in summary


def test_cases_are_stated_before_a_chain_and_beside_a_step_that_adds_one(source):
    assert "\\shortintertext{For $x > 0$:}\n\\log" in source
    # After a note, a new display states its cases again.
    assert "Again for $x > 0$:\n\\begin{align}\ne^{" in source
    assert r"by inspection; if $x > 0,\ t \neq 1$" in rows(source)["7.5"]


# --------------------------------------------------------------------------- notation

@pytest.mark.parametrize("expr, expected", [
    (log(1 / Symbol("y") - 1), r"\log\left(-1 + \frac{1}{y}\right)"),
    (log(Symbol("x") + 1), r"\log(1 + x)"),
    (exp(-Symbol("t") * Symbol("mu") / Symbol("L")), r"e^{- \mu t/L}"),
    (Symbol("s") * (1 - Symbol("s")), r"s (1 - s)"),
])
def test_printer_sizes_brackets_and_keeps_exponents_on_one_line(expr, expected):
    assert tex(expr) == expected


def test_products_of_fractions_get_a_thin_space(source):
    assert r"\frac{\partial \hat{y}}{\partial u}" in source
    assert re.search(r"\\frac\{[^}]*\}\{[^}]*\}\\, \\frac", tex(D(Symbol("a"), Symbol("b")) * D(Symbol("c"), Symbol("d"))))


@pytest.mark.parametrize("number, title, expected", [
    (6, "Question 6: a one-weight network", "A one-weight network"),
    (6, "question 6 — gradients", "Gradients"),
    (6, "Question 61: other", "Question 61: other"),
    (None, "descent lemma", "descent lemma"),
    (4, "Question 4: $L$-smooth", "$L$-smooth"),
])
def test_heading_says_question_n_once(number, title, expected):
    assert split_title(number, title) == expected


def test_question_heading_and_numbers(source):
    assert r"\section*{Question 7\texorpdfstring{\\[0.4ex]}{: }\large\raggedright A small derivation with 100{\%} of the marks}" in source
    assert [m for m in re.findall(r"\\tag\{([\d.]+)\}", source)] == ["7.1", "7.2", "7.3", "7.4", "7.5"]


def test_shared_macros_are_defined_once_in_the_preamble(source):
    assert source.count(r"\newcommand{\ip}[2]{\langle #1, #2\rangle}") == 1
    assert source.index(r"\newcommand{\R}") < source.index(r"\begin{document}")


# --------------------------------------------------------------------------- user text

@pytest.mark.parametrize("attack", [r"\input{/etc/passwd}", r"\write18{id}", "^^5cinput{/etc/passwd}",
                                    "a { brace", "a } brace"])
def test_titles_and_justifications_render_literally(attack):
    d = small(title=f"Question 7: {attack}", why_text=attack)
    source = render_tex(checked(d))
    body = source[source.index(r"\begin{document}"):]
    assert not re.search(r"\\(input|write)(?![A-Za-z])", body)
    assert "^^" not in body


@pytest.mark.parametrize("intro, message", [
    ("$\\input{/etc/passwd}$", r"small.py: the introduction: \\input is not allowed in math"),
    ("$^^5cinput$", r"'\^\^' character codes"),
    ("see \\eqref{q7:99} $x$ and $\\eqref{q7:99}$", r"\\eqref\{q7:99\} names no step"),
])
def test_bad_math_in_prose_is_a_clear_render_error(intro, message):
    with pytest.raises(RenderError, match=message):
        render_tex(checked(small(intro=intro)))


@pytest.mark.parametrize("latex_name", [r"\input{/etc/passwd}", r"y}\write18{id}{"])
def test_latex_names_from_a_derivation_are_checked_like_math(latex_name):
    with pytest.raises(RenderError, match=r"q7|small.py"):
        render_tex(checked(small(latex_name=latex_name)))


def test_every_printed_formula_passes_the_math_allow_list(source):
    for row in rows(source).values():
        formula = row.split("\n")[0]
        lhs, _, rhs = formula.partition("&")
        check_math(lhs)
        check_math(rhs.split(" ", 1)[1] if " " in rhs else "")


def test_eqref_cites_a_step_in_tex_and_becomes_its_number_in_markdown(source):
    assert "see \\eqref{q7:2}." in source and "citing \\eqref{q7:1}." in source
    md = render_md(checked())
    assert "see (7.2)." in md and "citing (7.1)." in md
    assert r"\eqref" not in md


# --------------------------------------------------------------------------- markdown

def test_markdown_has_math_blocks_and_a_mark_table(tmp_path):
    prose = tmp_path / "q1.md"
    prose.write_text("# Question 1: words\nJust $x$.\n")
    from derive.prose import load_prose
    md = render_md([(load_prose(prose, "q1"), [])] + checked())
    assert "```math\n\\begin{aligned}\n" in md and "Just $`x`$." in md
    assert "inequality < breaks" not in md  # < escaped
    assert ("- **(7.3) ✗ failed:** the inequality \\< breaks at 50% of points; x\\_1 & ŷ "
            "at $`x = 0.25`$: left side $`1.09861`$, right side $`0`$.") in md
    assert "| [Question 7](#question-7-a-small-derivation-with-100-of-the-marks) | 1 | 1 | 1 | 1 | 1 | 5 |" in md


@pytest.mark.parametrize("text, expected", [
    ("a*b_c", r"a\*b\_c"), ("<script>", r"\<script\>"), ("x | y", r"x \| y"), ("two\nlines", "two lines"),
    ("$5", r"\$5")])
def test_checker_text_is_inert_in_markdown(text, expected):
    assert md_text(text) == expected


def test_github_anchor():
    assert slug("Question 6: A one-weight network, its gradient") == "question-6-a-one-weight-network-its-gradient"


def test_a_bar_in_a_justification_does_not_break_the_markdown_table():
    d = small(why_text="by $|x| \\le \\|y\\|$ | and more")
    md = render_md(checked(d))
    # In a table GitHub reads \| as | (inside code too) before the math sees it.
    assert r"| (7.1) | ✓ | by $`\|x\| \le \\|y\\|`$ \| and more |" in md


def test_what_sympy_prints_for_common_functions_passes_the_allow_list():
    import sympy as sp
    x, y, n, k = sp.symbols("x y n k")
    for expr in (sp.binomial(n, k), sp.Abs(x), sp.Max(x, y), sp.floor(x), sp.Heaviside(x),
                 sp.Sum(x**k, (k, 1, n)), sp.Integral(x, (x, 0, 1)), sp.And(x > 0, y < 1),
                 sp.Not(x > 0), sp.Matrix([[1, 2], [3, 4]]), sp.Mod(n, 3), sp.conjugate(x),
                 sp.Piecewise((x, x > 0), (0, True)), sp.Interval(0, 1)):
        check_math(tex(expr))
