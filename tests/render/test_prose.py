"""Prose to LaTeX: text escaped literally, $math$ validated, injections refused or made inert."""

from __future__ import annotations

import re

import pytest

from derive.errors import InputError
from derive.prose import (MathError, blocks, check_math, escape, expand_macros, inline_tex,
                          load_prose, map_math, prose_tex)

# Control sequences that would read or write files or run commands if TeX saw them.
DANGEROUS = re.compile(r"\\(input|include|write|openin|openout|read|catcode|def|immediate|"
                       r"csname|special|directlua)(?![A-Za-z])")


# --------------------------------------------------------------------------- text

@pytest.mark.parametrize("text, tex", [
    ("100%", r"100{\%}"),
    ("R&D", r"R{\&}D"),
    ("#1", r"{\#}1"),
    ("snake_case", r"snake{\_}case"),
    ("a~b", r"a{\textasciitilde}b"),
    ("x^2", r"x{\textasciicircum}2"),
    ("a\\b", r"a{\textbackslash}b"),
    ("{}", r"{\{}{\}}"),
    ("costs \\$5", r"costs {\$}5"),
    ("$5 and $6", r"{\$}5 and {\$}6"),
    ("a lone $ sign", r"a lone {\$} sign"),
    ("\\*not italic\\*", r"*not italic*"),
    ("ℒ(w)", r"{\ensuremath{\mathcal{L}}}(w)"),
])
def test_special_characters_in_text_appear_literally(text, tex):
    assert inline_tex(text) == tex


@pytest.mark.parametrize("text, tex", [
    ("the loss $\\mathcal{L}(w)$ falls", r"the loss $\mathcal{L}(w)$ falls"),
    ("**bold** and *it*", r"\textbf{bold} and \emph{it}"),
    ("**with $x_1$**", r"\textbf{with $x_1$}"),
    ("`a_b%`", r"\texttt{a{\_}b{\%}}"),
    ("$\\$5$ in math", r"$\$5$ in math"),
    ("price \\$3 and $x$", r"price {\$}3 and $x$"),
    ("2 * 3 * 4", r"2 * 3 * 4"),
])
def test_markup_and_math(text, tex):
    assert inline_tex(text) == tex


@pytest.mark.parametrize("attack", [
    r"\input{/etc/passwd}",
    r"\write18{rm -rf ~}",
    r"\immediate\write18{touch /tmp/derive-pwned}",
    r"^^5cinput{/etc/passwd}",
    r"\def\a{\a}\a",
    r"\catcode`\%=11",
    "unbalanced { brace",
    "unbalanced } brace",
    r"**\input{/etc/passwd}**",
    r"`\input{/etc/passwd}`",
])
def test_injections_in_text_are_made_literal(attack):
    tex = inline_tex(attack)
    assert not DANGEROUS.search(tex), tex
    assert "^^" not in tex
    # Braces the author typed are escaped, so TeX's grouping stays balanced.
    assert _balanced(tex)


def _balanced(tex):
    depth = 0
    for m in re.finditer(r"\\[{}]|[{}]", tex):
        if len(m.group(0)) == 1:
            depth += 1 if m.group(0) == "{" else -1
            if depth < 0:
                return False
    return depth == 0


# --------------------------------------------------------------------------- math

@pytest.mark.parametrize("math, message", [
    (r"\input{/etc/passwd}", r"\\input is not allowed"),
    (r"\write18{ls}", r"\\write is not allowed"),
    (r"\csname input\endcsname", r"\\csname is not allowed"),
    (r"^^5cinput{/etc/passwd}", r"'\^\^' character codes"),
    (r"a}", r"unbalanced '}'"),
    (r"{a", r"unbalanced '{'"),
    (r"a\\%b", r"'%' is not allowed"),
    (r"a # b", r"'#' is not allowed"),
    (r"a & b", r"'&' only separates columns"),
    (r"\begin{verbatim}", r"\\begin only opens or closes one of"),
    (r"\begin{cases} a \end{matrix}", r"does not match"),
    (r"\left( a", r"\\left and \\right do not pair up"),
    (r"\@", r"\\@ is not allowed"),
    ("ℒ", r"write it as a LaTeX command"),
    ("a\\", r"lone backslash"),
])
def test_unsafe_math_is_refused_with_its_reason(math, message):
    with pytest.raises(MathError, match=message):
        check_math(math)


@pytest.mark.parametrize("math", [
    r"\frac{\partial \ell}{\partial v} = \hat y(1-\hat y)\,2vx",
    r"\begin{cases} 2vx, & vx>0 \\ 0, & vx<0 \end{cases}",
    r"\left\lVert \nabla\mathcal{L}(w) \right\rVert^2 \le 2\mu\,(\mathcal{L}(w)-\mathcal{L}^*)",
    r"\$5 + 10\% \text{ off}",
    r"\ip{a}{b} \le \norm{a}\,\norm{b}, \quad x\in\R",
])
def test_ordinary_math_passes_unchanged(math):
    assert check_math(math) == math


def test_math_in_text_is_validated_not_escaped():
    assert inline_tex("$a_b^{c}$") == "$a_b^{c}$"
    with pytest.raises(MathError, match=r"\\input"):
        inline_tex("see $\\input{/etc/passwd}$")


# --------------------------------------------------------------------------- notation macros

@pytest.mark.parametrize("math, expanded", [
    (r"\R", r"\mathbb{R}"),
    (r"\loss(w) + \ReLU(x)", r"\mathcal{L}(w) + \operatorname{ReLU}(x)"),
    (r"\ip{a}{\norm{b}}", r"\langle a, \lVert b\rVert\rangle"),
    (r"\Rx \ip{a}", r"\Rx \ip{a}"),
])
def test_macros_expand_for_markdown(math, expanded):
    assert expand_macros(math) == expanded


def test_map_math_touches_only_math():
    text = r"text \R and $\R^n$ and **$\loss$**"
    assert map_math(text, expand_macros) == r"text \R and $\mathbb{R}^n$ and **$\mathcal{L}$**"


# --------------------------------------------------------------------------- blocks

def test_blocks_headings_lists_and_display_math():
    text = ("### Heading\nA paragraph\nover two lines.\n\n- one\n- two\n  continued\n\n"
            "1. first\n2. second\n\n$$x^2$$")
    assert blocks(text) == [
        ("heading", "Heading"), ("para", "A paragraph over two lines."),
        ("list", ["one", "two continued"]), ("enum", ["first", "second"]), ("math", "x^2")]


def test_prose_tex_environments():
    tex = prose_tex("- a $x$\n- 50%\n\n1. b")
    assert "\\begin{itemize}\n  \\item a $x$\n  \\item 50{\\%}\n\\end{itemize}" in tex
    assert "\\begin{enumerate}\n  \\item b\n\\end{enumerate}" in tex


def test_escape_is_what_the_templates_use():
    assert escape("50% of $x") == r"50{\%} of {\$}x"


# --------------------------------------------------------------------------- files

def test_load_prose_reports_bad_math_with_file_line_and_column(tmp_path):
    path = tmp_path / "q9.md"
    path.write_text("# Title\n\nFine $x$ here.\nBad: $\\input{/etc/passwd}$ there.\n")
    with pytest.raises(InputError) as info:
        load_prose(path, "q9")
    assert str(info.value) == f"{path}:4:7: \\input is not allowed in math"


def test_load_prose_needs_a_title(tmp_path):
    path = tmp_path / "q9.md"
    path.write_text("no title\n")
    with pytest.raises(InputError, match=r"q9.md:1: a prose question starts with '# Title'"):
        load_prose(path, "q9")


def test_load_prose_title_and_body(tmp_path):
    path = tmp_path / "q9.md"
    path.write_text("# Question 9: 100% \\input{/etc/passwd}\nBody with \\$5.\n")
    d = load_prose(path, "q9")
    assert (d.id, d.kind, d.title) == ("q9", "prose", "Question 9: 100% \\input{/etc/passwd}")
    assert inline_tex(d.title) == r"Question 9: 100{\%} {\textbackslash}input{\{}/etc/passwd{\}}"
