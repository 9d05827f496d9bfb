"""Roots and unique solutions: `root` says a point satisfies an equation; `solve` says it is
the only solution, shown by a factor of one sign (completed squares, powers) or monotonicity."""

from __future__ import annotations

import re

import pytest

from derive.checks import check_derivation
from derive.source import load_text

HEAD = r"""---
id: roots
symbols:
  - w, x, y, s \in \mathbb{R}
  - \lambda > 0
  - u > 0
define:
  - J = \frac{1}{2}(w x - y)^2 + \frac{\lambda}{2} w^2
---

$$
"""


def verdict(line):
    d = load_text(HEAD + line + "\n$$\n", "roots.md")
    return [r.verdict for r in check_derivation(d)][-1]


RIGHT = [
    (r"\frac{\partial J}{\partial w} = 0   % root for w = \frac{x y}{x^2 + \lambda}", "root"),
    (r"s^2 = 1   % satisfies for s = -1", "root"),
    (r"s^3 - 3 s = 2   % root for s = -1", "root"),
    (r"s^3 = 8 \iff s = 2   % solve", "solve"),
    (r"s^3 - 1 = 0 \iff s = 1   % solve", "solve"),
    (r"s^2 - 2 s + 1 = 0 \iff s = 1   % solve", "solve"),
    (r"s^2 + 2 s + 2 = 1 \iff s = -1   % solve", "solve"),
    (r"(s^2 + 1)(s - 3)^2 = 0 \iff s = 3   % solve", "solve"),
    (r"u^2 = 1 \iff u = 1   % solve", "solve"),
    (r"e^{s} = 2 \iff s = \log 2   % solve", "solve"),
    (r"\frac{\partial J}{\partial w} = 0 \iff w = \frac{x y}{x^2 + \lambda}   % solve", "solve"),
]


@pytest.mark.parametrize("line, kind", RIGHT, ids=[r[0].split("%")[0].strip() for r in RIGHT])
def test_right_roots_and_solutions_are_proved(line, kind):
    v = verdict(line)
    assert v.status == "proved" and v.method.startswith(kind), (v.status, v.method, v.reason)


WRONG = [
    # (what is wrong, step, pattern); each false, never proved
    ("sign of the point", r"\frac{\partial J}{\partial w} = 0   % root for w = -\frac{x y}{x^2 + \lambda}",
     r"differ"),
    ("factor", r"\frac{\partial J}{\partial w} = 0   % root for w = \frac{2 x y}{x^2 + \lambda}", r"differ"),
    ("sign inside", r"\frac{\partial J}{\partial w} = 0   % root for w = \frac{x y}{x^2 - \lambda}", r"differ"),
    ("exponent", r"s^3 - 3 s = 2   % root for s = 1", r"differ"),
    ("no point stated", r"\frac{\partial J}{\partial w} = 0   % root", r"write the step's condition"),
    ("a second root: not unique", r"s^2 = 1 \iff s = 1   % solve", r""),
    ("a second root of a quartic", r"s^4 = 16 \iff s = 2   % solve", r""),
    ("branch: a double root and another", r"s^3 - 3 s - 2 = 0 \iff s = -1   % solve", r""),
    ("direction of the square", r"s^2 - 2 s - 1 = 0 \iff s = 1   % solve", r""),
]


@pytest.mark.parametrize("what, line, pattern", WRONG, ids=[w[0] for w in WRONG])
def test_wrong_roots_and_solutions_are_never_proved(what, line, pattern):
    v = verdict(line)
    assert v.status not in ("proved", "cited", "checked"), (v.status, v.reason)
    assert re.search(pattern, v.reason), v.reason


def test_root_is_a_kind_of_its_own():
    from derive.kinds import BY_NAME, canonical
    assert BY_NAME["root"].relations == ("=",)
    assert canonical("satisfies") == "root"
