"""Scalar combinations: multipliers for scalar facts chosen by a small linear program (never
left at 0 when another choice works), the step's conditions as facts, splits on |·|."""

from __future__ import annotations

import pytest

from derive.checks import check_derivation
from derive.source import load_text

HEAD = r"""---
id: scalar
symbols:
  - x, y, z, u \in \mathbb{R}
  - a, \eta, L, \mu > 0
assume:
  - a \eta \le 2
  - \eta L \le 1
hypotheses:
  - h1: x \le y
  - h2: y \le z
  - h3: x + y \le 2
  - h4: u \ge 1
  - h5: x < y
  - h6: \eta \mu \le \frac{1}{2}
  - up: x \le y + 1
  - on: y \le z + 1
  - back: z \le y + 1
  - down: y \le x + 1
lemmas:
  - contract(s): s^2 \le 1 \quad\text{if } |s| \le 1
---

$$
"""


def verdict(line):
    d = load_text(HEAD + line + "\n$$\n", "scalar.md")
    return [r.verdict for r in check_derivation(d)][-1]


RIGHT = [
    (r"x \le z   % by h1, h2", "proved"),
    (r"2 x \le y + z   % by h1, h2", "proved"),
    (r"x \le 1   % by h1, h3", "proved"),
    (r"x < z   % by h5, h2", "proved"),
    (r"x + 2 \eta \le y + 2 \eta   % by h1", "proved"),
    (r"\eta x \le \eta y   % by h1", "proved"),
    (r"1 - a \eta \ge -1   % sign", "proved"),
    (r"1 - \frac{\eta L}{2} \ge \frac{1}{2}   % sign", "proved"),
    (r"|1 - a \eta| \le 1   % sign", "proved"),
    (r"|1 - a \eta| \le 1   % combination", "proved"),
    (r"|1 - \eta L| + |1 - a\eta| \le 2   % sign", "proved"),
    (r"1 - 2\eta\mu \ge 0   % by h6", "proved"),
    (r"(1 - a\eta)^2 \le 1   % lemma contract(1 - a\eta)", "cited"),
    (r"|x - z| \le 2   % by up, on, back, down", "proved"),
]


@pytest.mark.parametrize("line, expected", RIGHT, ids=[r[0].split("%")[0].strip() for r in RIGHT])
def test_scalar_steps_are_proved(line, expected):
    v = verdict(line)
    assert v.status == expected, (v.status, v.reason)


WRONG = [
    # (what is wrong, step): each false, never proved (the searcher may leave it unknown)
    ("a constant too many", r"x \le z - 1   % by h1, h2"),
    ("factor", r"2 x \le y   % by h1, h2"),
    ("strict from weak facts", r"x < z   % by h1, h2"),
    ("direction", r"x \ge z   % by h1, h2"),
    ("the bound halved", r"|1 - a \eta| \le \frac{1}{2}   % sign"),
    ("sign inside |·|", r"|1 + a \eta| \le 1   % sign"),
    ("a side condition that fails", r"(1 + a\eta)^2 \le 1   % lemma contract(1 + a\eta)"),
    ("exponent", r"1 - 2\eta^2\mu \ge 0   % by h6"),
    ("one fact too few for |·|", r"|x - z| \le 2   % by up, on, back"),
]


@pytest.mark.parametrize("what, line", WRONG, ids=[w[0] for w in WRONG])
def test_wrong_scalar_steps_are_never_proved(what, line):
    v = verdict(line)
    assert v.status not in ("proved", "cited", "checked"), (v.status, v.reason)
