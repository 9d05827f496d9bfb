"""Integers reasoned about as integers: thresholds where n > 2 is n ≥ 3, signs shown on both
sides of the gap between 0 and 1, solve steps in declared integers."""

from __future__ import annotations

import re

import pytest

from derive.checks import check_derivation
from derive.source import load_text

HEAD = r"""---
id: ints
symbols:
  - n \in \mathbb{Z}_{\ge 1}
  - t \in \mathbb{N}
  - k \in \mathbb{Z}
  - s \in \mathbb{R}
  - a > 0
---

$$
"""


def verdict(line):
    d = load_text(HEAD + line + "\n$$\n", "ints.md")
    return [r.verdict for r in check_derivation(d)][-1]


RIGHT = [
    r"n > 2 \iff n \ge 3   % solve",
    r"2 n - 3 > 0 \iff n \ge 2   % solve",
    r"n^2 \ge 10 \iff n > 3   % solve",
    r"\frac{1}{n} < \frac{1}{3} \iff n \ge 4   % solve",
    r"t^2 < 5 \iff t \le 2   % solve",
    r"a n \ge 2 a \iff n \ge 2   % solve",
    r"n \le 4 \iff n < 5   % solve",
    r"t^2 \ge t   % sign",
    r"k^2 \ge k   % sign",
    r"k (k + 1) \ge 0   % sign",
    r"2 n - 3 \ge -1   % sign",
    r"2 n = 6 \iff n = 3   % solve",
    r"n s = 1 \iff s = \frac{1}{n}   % solve",
    r"n (n - 1) = 0 \iff n = 1   % solve",
]


@pytest.mark.parametrize("line", RIGHT)
def test_integer_steps_are_proved(line):
    v = verdict(line)
    assert v.status == "proved", (v.status, v.reason)


WRONG = [
    # (what is wrong, step, reason pattern or None for a counterexample)
    ("the threshold one too high", r"n > 2 \iff n \ge 4   % solve", r"already holds there"),
    ("the threshold one too low", r"n > 2 \iff n \ge 2   % solve", r"is not on the side"),
    ("direction", r"n > 2 \iff n \le 3   % solve", r"falls|grows|not on the side|holds here but"),
    ("strictness at the integer", r"n^2 \ge 9 \iff n > 3   % solve", r"already holds there"),
    ("exponent", r"t^3 < 5 \iff t \le 2   % solve", r"already holds there|not on the side"),
    ("factor", r"t^2 \ge 2 t   % sign", None),
    ("sign", r"k^2 \ge -k + 1   % sign", None),
]


@pytest.mark.parametrize("what, line, pattern", WRONG, ids=[w[0] for w in WRONG])
def test_wrong_integer_steps_are_never_proved(what, line, pattern):
    v = verdict(line)
    assert v.status not in ("proved", "cited", "checked"), (v.status, v.reason)
    if pattern is None:
        assert v.status == "failed" and v.counterexample, (v.status, v.reason)
        for value in re.findall(r"\b[ntk] = (-?[0-9.]+)", str(v.counterexample)):
            assert float(value) == int(float(value))      # an integer, not n = 3.34
    else:
        assert re.search(pattern, v.reason), v.reason


def test_a_threshold_in_a_real_variable_still_needs_equal_strictness():
    d = load_text(HEAD + r"s > 2 \iff s \ge 3   % solve" + "\n$$\n", "ints.md")
    v = [r.verdict for r in check_derivation(d)][-1]
    assert v.status == "failed", (v.status, v.reason)
