"""Limits at ±∞: taken by SymPy at ∞ (never by putting ∞ in as a point), bases of powers
settled by the facts, and answers that depend on an unknown sign left unevaluated."""

from __future__ import annotations

import re

import pytest

from derive.checks import check_derivation
from derive.source import load_text

HEAD = r"""---
id: lim
symbols:
  - \eta, \mu > 0
  - t, z, a \in \mathbb{R}
  - 0 < q < 1
  - n \in \mathbb{Z}_{\ge 1}
  - b > 1
assume:
  - \eta \mu < 1
functions:
  - \sigma(s) = \frac{1}{1 + e^{-s}}
---

$$
"""


def verdict(line, head=HEAD):
    d = load_text(head + line + "   % limit\n$$\n", "lim.md")
    return [r.verdict for r in check_derivation(d)][-1]


RIGHT = [
    r"\lim_{t \to \infty} (1 - \eta\mu)^t = 0",
    r"\lim_{t \to \infty} (1 - \eta\mu)^{2t} = 0",
    r"\lim_{t \to \infty} t (1 - \eta\mu)^{t} = 0",
    r"\lim_{t \to \infty} q^t = 0",
    r"\lim_{t \to \infty} b^{-t} = 0",
    r"\lim_{t \to -\infty} b^{t} = 0",
    r"\lim_{z \to \infty} \sigma(z) = 1",
    r"\lim_{z \to -\infty} \sigma(z) = 0",
    r"\lim_{z \to \infty} \frac{2z + 1}{z + 3} = 2",
    r"\lim_{z \to \infty} \frac{z^2 + 1}{z + 3} = \infty",
    r"\lim_{z \to \infty} e^{-z} = 0",
    r"\lim_{n \to \infty} \frac{n}{n + 1} = 1",
    r"\lim_{t \to \infty} \left(1 + \frac{\eta}{t}\right)^t = e^{\eta}",
    r"\lim_{z \to \infty} \frac{\sin(z)}{z} = 0",
    r"\lim_{z \to \infty} \frac{a z}{z + 1} = a",
]


@pytest.mark.parametrize("line", RIGHT)
def test_right_limits_are_proved(line):
    v = verdict(line)
    assert v.status == "proved", (v.status, v.reason)


WRONG = [
    # (what is wrong, step): each false, never proved
    ("the value at 0 for the limit", r"\lim_{t \to \infty} (1 - \eta\mu)^t = 1"),
    ("sign of the base's gap", r"\lim_{t \to \infty} (1 + \eta\mu)^t = 0"),
    ("direction", r"\lim_{z \to -\infty} \sigma(z) = 1"),
    ("argument negated", r"\lim_{z \to \infty} \sigma(-z) = 1"),
    ("the value at 0", r"\lim_{z \to \infty} \frac{2z + 1}{z + 3} = \frac{1}{3}"),
    ("exponent: a growing ratio", r"\lim_{z \to \infty} \frac{z^2 + 1}{z + 3} = 1"),
    ("sign of the exponent", r"\lim_{z \to \infty} e^{z} = 0"),
    ("factor", r"\lim_{t \to \infty} \left(1 + \frac{\eta}{t}\right)^t = e^{2\eta}"),
    ("branch: the wrong infinity", r"\lim_{z \to \infty} \frac{z^2 + 1}{-z - 3} = \infty"),
]


@pytest.mark.parametrize("what, line", WRONG, ids=[w[0] for w in WRONG])
def test_wrong_limits_fail(what, line):
    v = verdict(line)
    assert v.status == "failed", (v.status, v.reason)
    assert v.counterexample or re.search(r"the left side is", v.reason), v.reason


HARD = [
    # (why it cannot be proved, step): the truth depends on what the assumptions do not say
    ("a of unknown size", r"\lim_{t \to \infty} a^t = 0"),
    ("1 − a of unknown size", r"\lim_{t \to \infty} (1 - a)^t = 0"),
    ("e^{at} with a of unknown sign", r"\lim_{t \to \infty} e^{a t} = 0"),
    ("no limit at all", r"\lim_{z \to \infty} \sin(z) = 0"),
    ("ημ < 1 not assumed", r"\lim_{t \to \infty} (1 - \eta\mu)^t = 0"),
]


@pytest.mark.parametrize("what, line", HARD, ids=[h[0] for h in HARD])
def test_limits_that_depend_on_what_is_not_known_are_never_proved(what, line):
    head = HEAD.replace("assume:\n  - \\eta \\mu < 1\n", "") if "not assumed" in what else HEAD
    v = verdict(line, head)
    assert v.status not in ("proved", "cited", "checked"), (v.status, v.reason)


def test_infinity_is_never_put_in_as_a_point():
    """(1 + 1/t)^t at t = ∞ would be 1^∞; the limit is e."""
    v = verdict(r"\lim_{t \to \infty} \left(1 + \frac{1}{t}\right)^t = e")
    assert v.status == "proved", (v.status, v.reason)
    v = verdict(r"\lim_{t \to \infty} \left(1 + \frac{1}{t}\right)^t = 1")
    assert v.status == "failed", (v.status, v.reason)
