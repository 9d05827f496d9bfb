"""What `check` accepts, TeX typesets: one validation (derive/typeset.py, texmath.py),
refusing at file:line:col what TeX would refuse, and TeX compiling all that it accepts."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import textwrap

import pytest
from click.testing import CliRunner
from markupsafe import Markup

import cli
from derive.errors import InputError
from derive.prose import escape, macro_definitions
from derive.render import environment
from derive.source import load_file
from derive.texchars import RANGES
from derive.texmath import MathError, check_math

BASE = textwrap.dedent("""\
    ---
    title: "A title"
    symbols:
      - x \\in \\mathbb{R}
    ---

    Intro with $x$.

    ## (a) Part

    $$
    x = x    % algebra
    $$

    After the step.
    """)


def variant(old, new):
    assert old in BASE
    return BASE.replace(old, new)


# Each was accepted by `check` and refused by TeX (issue 15, item 9).
REFUSED = [
    ("BEL in the text", variant("Intro with", "Intro \x07 with"), "7:7", r"control character U\+0007"),
    ("DEL in the text", variant("Intro with", "Intro \x7f with"), "7:7", r"control character U\+007F"),
    ("U+0001 in the text", variant("Intro with", "Intro \x01 with"), "7:7", r"control character U\+0001"),
    ("NUL inside math", variant("$x$", "$x\x00$"), "7:14", r"control character U\+0000 in math"),
    ("ESC inside math", variant("$x$", "$x\x1b[2J$"), "7:14", r"control character U\+001B in math"),
    ("$$…$$ in a title", variant('"A title"', '"A $$x$$ title"'), "2:11", r"a title holds no display math"),
    ("300 nested groups", variant("$x$", "$" + "{" * 300 + "x" + "}" * 300 + "$"), "7:",
     r"nests deeper than 50 levels"),
    ("a title of 4,000 words", variant('"A title"', '"' + "word " * 4000 + '"'), "2:",
     r"this title is \d+ characters long; the limit is 300"),
    ("an array of 99999999 columns", variant("Intro with $x$.",
                                             r"Intro $\begin{array}{*{99999999}{c}} a \end{array}$."),
     "7:8", r"\\begin\{array\} needs its columns as \{lcr…\}"),
    ("a paragraph of 240 KB", variant("Intro with $x$.", "Intro " + "lorem ipsum " * 20000), "7:",
     r"this paragraph is \d+ characters long; the limit is 50000"),
    ("a title a \\$ $\\input$", variant('"A title"', '"a \\$ $\\input$"'), "2:", r"\\input is not allowed"),
    ("an unknown \\eqref", variant("After the step.", "After \\eqref{nope:3}."), "15:7",
     r"\\eqref\{nope:3\} names no step of this derivation"),
    ("Cyrillic text", variant("After the step.", "После."), "15:1", r"'П' \(U\+041F\) cannot be typeset"),
    ("a double superscript", variant("Intro with $x$.", "Intro $x^2^3$."), "7:", r"double superscript"),
    ("a fraction missing its denominator", variant("Intro with $x$.", r"Intro $\frac{a}$."), "7:",
     r"\\frac needs an argument"),
]


@pytest.mark.parametrize("what, text, place, message", REFUSED, ids=[r[0] for r in REFUSED])
def test_check_refuses_what_tex_would_refuse_at_file_line_col(tmp_path, what, text, place, message):
    path = tmp_path / "t.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"t.md:{place}") + ".*" + message):
        load_file(path)


def test_the_command_says_it_in_one_line_with_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.md").write_text(variant("Intro with $x$.", r"Intro $\frac{a}$."), encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["check", "t.md", "--no-cache"])
    assert result.exit_code == 2
    assert re.fullmatch(r"derive: error: t\.md:7:\d+: \\frac needs an argument\n", result.output)


# Math the allow-list lets through must compile; a seeded random walk over the
# pieces people write (and break) tries many combinations in one TeX run.
PIECES = [r"x", "y", "2", "+", "-", "=", "^", "_", "'", "{", "}", "(", ")", "[", "]", "&", r"\\",
          r"\frac", r"\sqrt", r"\hat", r"\left(", r"\right)", r"\left.", r"\right|", r"\middle|",
          r"\alpha", r"\sum", r"\limits", r"\text{a b}", r"\text", r"\mathbb{R}", r"\begin{cases}",
          r"\end{cases}", r"\begin{array}{cc}", r"\end{array}", r"\big(", r"\Bigr)", r"\,", r"\{",
          r"\}", r"\|", r"\operatorname{ReLU}", r"\ip{a}{b}", r"\norm{v}", r"\binom", r"\lim_{h}",
          r"\overset", r"\mathcal", r"\mathscr{A}", r"\cdot", r"\le", r"\pmod{3}", " ",
          r"\left\langle", r"\right\rangle", r"\sqrt[3]", r"\underbrace", r"\begin{pmatrix}",
          r"\end{pmatrix}", r"\mathop", r"\text{\$5}", r"\operatorname", r"\nolimits", "1"]


def fuzzed(count=1000, seed=7):
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        tex = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 9)))
        try:
            check_math(tex)
        except MathError:
            continue
        out.append(tex)
    return out


HANDPICKED = [r"\left.\right.", r"x''^2", r"\sqrt[3]{x}", r"\frac a b", r"\sum\limits_{i=1}^{n} x_i",
              r"\begin{pmatrix}a\\b\end{pmatrix}", r"\begin{aligned} a &= b \\ c &= d \end{aligned}",
              r"\left(\middle| \right)", r"\bigl( x \bigr)", r"{}^a", r"\stackrel{a}{=}", r"x^\prime",
              r"\text{a \$ b}", r"\mathscr{A}", r"\begin{array}{c|c} 1 & 2 \\ 3 & 4 \end{array}"]


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="needs TeX")
def test_math_and_text_that_pass_the_check_compile_without_one_tex_error(tmp_path):
    accepted = HANDPICKED + fuzzed()
    assert len(accepted) > 100            # the walk must reach past the refusals
    chars = "".join(chr(c) for a, b in RANGES for c in range(a, b + 1))
    body = "\n\n".join(f"%% {i}\n${tex}$" for i, tex in enumerate(accepted))
    body += "\n\n" + "\n\n".join(escape(chars[i:i + 40]) for i in range(0, len(chars), 40))
    preamble = environment().get_template("preamble.tex.j2").render(
        macros=[Markup(m) for m in macro_definitions()])
    (tmp_path / "t.tex").write_text(f"{preamble}\\begin{{document}}\n{body}\n\\end{{document}}\n",
                                    encoding="utf-8")
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "t.tex"], cwd=tmp_path,
                   capture_output=True, timeout=120)
    log = (tmp_path / "t.log").read_text(errors="replace")
    errors = re.findall(r"^! .*\n(?:.*\n){0,6}?l\.\d+ .*", log, re.M)
    assert not errors, errors[:3]
    assert "Output written" in log
