"""Random documents assembled from the pieces people write, and garbled ones, never crash.

Each one either reads (its unreadable parts one-line errors at file:line:col)
and checks, or is refused with one line.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import derive.checks as checks
from derive.checks import check_derivation
from derive.errors import InputError
from derive.source import load_file
from derive.verdict import STATUSES

PIECES = [
    "\\section{Part}\n", "\\subsection*{More}\n", "Some prose with $x$ and $50\\%$.\n",
    "Let $u := vx$ and $p = \\frac{1}{1+e^{-u}}$.\n", "where $\\ell(w) \\coloneqq (y - wx)^2$.\n",
    "\\[ (a + b)^2 = a^2 + 2ab + b^2 \\]\n", "$$ \\frac{d}{dx} x^3 = 3x^2 $$\n",
    "\\begin{align*}\n f &= (x+1)^2 \\\\\n &= x^2 + 2x + 1, && \\text{(algebra)}\n\\end{align*}\n",
    "\\begin{equation}\n 2ab \\overset{\\text{AM-GM}}{\\le} a^2 + b^2 \\label{eq:x}\n\\end{equation}\n",
    "\\begin{gather}\n x \\stackrel{\\text{def}}{=} 3 \\\\ x^2 = 9. \\tag{T}\n\\end{gather}\n",
    "\\[ g = 2x \\quad \\text{for } x > 0 \\]\n", "\\[ x^2 = 4 \\implies x = 2 \\]\n",
    "\\[ a \\approx b = b \\]\n", "\\[ 1 - t \\le e^{-t} \\]\n",
    "\\newcommand{\\sq}[1]{\\left(#1\\right)^2}\n", "\\[ \\sq{a-b} = a^2 - 2ab + b^2 \\]\n",
    "\\newcommand{\\rec}{\\rec}\n", "\\[ \\rec = 1 \\]\n", "\\input{missing}\n",
    "% derive: symbols: y > 0; 0 < q < 1\n", "% derive: nonsense here\n",
    "\\[ \\sum_i x_i = 0 \\]\n", "\\[ = x + 1 \\]\n", "\\begin{multline}\n a + b \\\\ + c = c + b + a\n\\end{multline}\n",
    "\\[ f(x, y) := x y^2 \\]\n", "\\[ \\frac{\\partial f}{\\partial y} = 2xy \\]\n",
    "\\intertext{so}\n", "\\verb|$$ x $$|\n", "\\begin{verbatim}\n$$ 1 = 2 $$\n\\end{verbatim}\n",
]
NOISE = list("(){}[]^_\\=<>+-|&$%#x2 \n")
ANYWHERE = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def short_budget(monkeypatch):
    monkeypatch.setattr(checks, "STEP_BUDGET", 0.5)


@st.composite
def documents(draw, garble=False):
    text = list("".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8))))
    if garble:
        for _ in range(draw(st.integers(1, 6))):
            i = draw(st.integers(0, max(len(text) - 1, 0)))
            kind = draw(st.sampled_from(["drop", "insert", "swap"]))
            if kind == "drop" and text:
                del text[i]
            elif kind == "insert":
                text.insert(i, draw(st.sampled_from(NOISE)))
            elif text:
                text[i] = draw(st.sampled_from(NOISE))
    return "".join(text)


def outcome(tmp_path, text, name):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    try:
        derivation = load_file(path)
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message and re.match(re.escape(str(path)) + r"(:\d+:\d+)?: \S", message)
        return
    for file, line, col, message in dict(derivation.extra)["unreadable"]:
        assert file and line >= 1 and col >= 1 and "\n" not in message
    for r in check_derivation(derivation):
        assert r.verdict.status in STATUSES


@ANYWHERE
@given(text=documents(), name=st.sampled_from(["n.tex", "n.md"]))
def test_documents_from_pieces(tmp_path, text, name):
    outcome(tmp_path, "\\begin{document}\n" + text + "\\end{document}\n", name)


@ANYWHERE
@given(text=documents(garble=True), name=st.sampled_from(["n.tex", "n.md"]))
def test_garbled_documents(tmp_path, text, name):
    outcome(tmp_path, text, name)
