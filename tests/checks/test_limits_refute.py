"""Plain limits are refuted only by an exact one-sided limit, never by a sampled sequence that scale can fool."""

from __future__ import annotations

import re

import pytest

from sympy import Rational, ceiling, floor, frac, sin

from derive.build import Builder, lim
from derive.checks import check_derivation
from derive.source import load_text
from helpers import verdict as builder_verdict

HEAD = r"""---
id: lims
symbols:
  - x, a \in \mathbb{R}
  - c > 0
  - n \in \mathbb{Z}_{\ge 1}
  - k \in \mathbb{Z}
---

$$
"""


def verdict(line):
    d = load_text(HEAD + line + "   % limit\n$$\n", "lims.md")
    return [r.verdict for r in check_derivation(d)][-1]


# True limits whose scale (10^{±100}) fools a sequence of h from 10⁻⁵ to 10⁻⁸⁰ (or of x up
# to 10⁸⁰), the first ten with a parameter of no sign, which keeps the kernel from taking
# them: each of those was ✗ by that sequence. None may fail (proved where the kernel can).
TRUE = [
    r"\lim_{x \to 0} \frac{a^2 + 1}{1 + 10^{100} |x|} = a^2 + 1",
    r"\lim_{x \to 0^-} \frac{a^2 + 1}{1 + 10^{100} |x|} = a^2 + 1",
    r"\lim_{x \to 0} \frac{a x}{10^{-100} + |x|} = 0",
    r"\lim_{x \to \infty} \frac{|a| x}{x + 10^{100}} = |a|",
    r"\lim_{x \to 0} (a^2 + 1) e^{-10^{-200} / x^2} = 0",
    r"\lim_{x \to 0^+} (a^2 + 1) x^{10^{-100}} = 0",
    r"\lim_{x \to 0} \frac{a^2 |x| + 10^{-100}}{|x| + 10^{-100}} = 1",
    r"\lim_{x \to \infty} \frac{a x}{\sqrt{x^2 + 10^{200}}} = a",
    r"\lim_{x \to 0} \frac{a |x|}{|x| + 10^{-100}} = 0",
    r"\lim_{x \to 0^+} \frac{(a^2 + 1) \log(1 + 10^{100} x)}{10^{100} x} = a^2 + 1",
    r"\lim_{x \to \infty} \frac{(a^2 + 1) \log(x)}{10^{-100} x} = 0",
    r"\lim_{n \to \infty} (a^2 + 1) (1 + 10^{-100})^n = \infty",
    r"\lim_{x \to 0} \frac{(a^2 + 1) \arctan(10^{100} x)}{x} = 10^{100} (a^2 + 1)",
    r"\lim_{x \to 0} \frac{\sqrt{x^2 + 10^{-200}} - 10^{-100}}{x^2} = \frac{10^{100}}{2}",
    r"\lim_{x \to 0} \frac{\sin(10^{100} c x)}{10^{100} c x} = 1",
    r"\lim_{x \to 0^+} \frac{(a^2 + 1) |x|}{x} = a^2 + 1",
    r"\lim_{x \to 0} \frac{|\sin(k x)|}{|x|} = |k|",
    r"\lim_{x \to 1^+} \frac{|\log(x)|}{x - 1} = 1",
]


@pytest.mark.parametrize("line", TRUE)
def test_a_true_limit_a_sequence_gets_wrong_does_not_fail(line):
    v = verdict(line)
    assert v.status in ("proved", "unknown"), (v.status, v.reason, v.counterexample)


def test_the_fooled_sequence_is_shown_as_no_more_than_an_illustration():
    v = verdict(TRUE[0])
    assert v.status == "unknown" and "no exact one-sided limit differs" in v.reason, v.reason
    assert re.search(r"sampled, it seems to settle at 3\.\d+e-20 along x → 0⁺ \(a sequence decides "
                     r"nothing\)", v.reason), v.reason


# (what is wrong, step, what the reason must say): each false, each refuted by an exact
# one-sided limit (for every value of the parameters, or at a point of the case shown).
WRONG = [
    ("branch of |x|/x at 0", r"\lim_{x \to 0} \frac{|x|}{x} = 1", "tends to -1 from the left, not to 1"),
    ("branch of ReLU(x)/x at 0", r"\lim_{x \to 0} \frac{\operatorname{ReLU}(x)}{x} = 1",
     "tends to 0 from the left, not to 1"),
    ("direction of a one-sided limit", r"\lim_{x \to 0^-} \frac{(a^2 + 1) |x|}{x} = a^2 + 1",
     r"tends to -1 - a² from the left, not to 1 \+ a² \(they differ wherever the assumptions hold\)"),
    ("sign", r"\lim_{x \to 0^+} \frac{a^2 |x|}{x} = -a^2",
     r"at a = \S+, the expression tends to \S+ from the right, not to -"),
    ("factor under a parameter of a sign", r"\lim_{x \to 0} \frac{c |x|}{x} = c",
     r"tends to -c from the left, not to c \(they differ wherever the assumptions hold\)"),
    ("exponent: 1 − cos x over x³", r"\lim_{x \to 0} \frac{(a^2 + 1)(1 - \cos(x))}{x^3} = \frac{a^2 + 1}{2}",
     r"at a = \S+, the expression tends to ∞ from the right"),
    ("factor at ∞", r"\lim_{x \to \infty} \frac{|a| x}{x + 10^{100}} = 2 |a|",
     r"at a = \S+, the expression tends to \S+ as x → ∞, not to"),
    ("∞ for 0 at ∞", r"\lim_{x \to \infty} \frac{(a^2 + 1) \log(x)}{10^{-100} x} = \infty",
     r"tends to 0 as x → ∞, not to ∞"),
    ("the value a fooled sequence agrees with", r"\lim_{x \to 0} \frac{a^2 + 1}{1 + 10^{100} |x|} = 0",
     r"tends to 1 \+ a² from the right, not to 0 \(they differ wherever"),
    # |sin(kx)| at 0: the kernel cannot settle the side of sin(kx) from signs; its
    # leading term kx does (near.side_sign).
    ("a kink settled by its leading term", r"\lim_{x \to 0} \frac{|\sin(k x)|}{|x|} = k",
     r"at k = -\d+, the expression tends to \d+ from the (right|left), not to -\d+"),
    ("a kink of log at 1, analytic there", r"\lim_{x \to 1} \frac{|\log(x)|}{x - 1} = 1",
     "tends to -1 from the left, not to 1"),
    ("a parameter at 0", r"\lim_{x \to \infty} x e^{-a^2 x^2} = 0",
     "at a = 0, the expression tends to ∞ as x → ∞, not to 0"),
    ("exponent at ∞", r"\lim_{x \to \infty} \frac{|a| x^2}{x + 10^{100}} = |a|",
     r"at a = \S+, the expression tends to ∞ as x → ∞, not to"),
]


@pytest.mark.parametrize("what, line, says", WRONG, ids=[w[0] for w in WRONG])
def test_a_wrong_limit_fails_by_an_exact_one_sided_limit(what, line, says):
    v = verdict(line)
    assert v.status == "failed", (v.status, v.reason)
    assert re.search(says, v.reason), v.reason
    if v.reason.startswith("at "):      # a point of the case: shown, with both sides there
        name = v.reason.split()[1]
        assert name in v.counterexample and {"lhs", "rhs"} <= v.counterexample.keys(), v.counterexample


_b = Builder("jumps", "steps of ⌊·⌋, which the notation reads only from Python")
h = _b.var("h")
JUMPS_WORLD = _b.build()

# ⌊·⌋ jumps at every integer: the kernel takes no limit through it, so these were refuted
# only by the sequence; exactly, ⌊g⌋ keeps a value near the point when g is continuous
# there and g(c) is not an integer, or g − g(c) has one sign on the side (sin h: by its
# leading term h).
JUMPS = [
    ("⌊h⌋ from the left", lim(floor(h), h, 0, "-"), 0, "tends to -1 from the left, not to 0"),
    ("⌈h²⌉ at 0", lim(ceiling(h**2), h, 0), 0, "tends to 1 from the right, not to 0"),
    ("frac(h) from the left", lim(frac(h), h, 0, "-"), 0, "tends to 1 from the left, not to 0"),
    ("⌊sin h⌋ from the left", lim(floor(sin(h)), h, 0, "-"), 0, "tends to -1 from the left, not to 0"),
    ("⌊h + ½⌋ at 0: no integer there", lim(floor(h + Rational(1, 2)), h, 0), 1,
     "tends to 0 from the right, not to 1"),
]


@pytest.mark.parametrize("what, limit, claimed, says", JUMPS, ids=[j[0] for j in JUMPS])
def test_a_wrong_limit_through_a_jump_fails_exactly(what, limit, claimed, says):
    v = builder_verdict(JUMPS_WORLD, limit, "=", claimed, "limit")
    assert v.status == "failed" and says in v.reason, (v.status, v.reason)


RIGHT_JUMPS = [
    ("⌊h⌋ from the right", lim(floor(h), h, 0, "+"), 0),
    ("⌈h²⌉ from the right", lim(ceiling(h**2), h, 0, "+"), 1),
    ("⌊h⌋ at ½", lim(floor(h), h, Rational(1, 2)), 0),
    ("⌊sin h⌋ from the right", lim(floor(sin(h)), h, 0, "+"), 0),
]


@pytest.mark.parametrize("what, limit, claimed", RIGHT_JUMPS, ids=[j[0] for j in RIGHT_JUMPS])
def test_a_right_limit_through_a_jump_does_not_fail(what, limit, claimed):
    v = builder_verdict(JUMPS_WORLD, limit, "=", claimed, "limit")
    assert v.status != "failed", (v.status, v.reason)


# A limit binds its variable: a declared c > 0 or an integer n says nothing about the c or n
# that moves to −1 (SymPy read |c| as c, and these were proved; a true one failed). Only an
# integer's limit at ∞, a sequence's, keeps it an integer. A definition over the declared
# name (u = c x) moves with the bound one.
BOUND = [
    (r"\lim_{c \to -1} |c| = -1", "failed"),
    (r"\lim_{c \to -1} |c| = 1", "proved"),
    (r"\lim_{c \to 0^-} \frac{|c|}{c} = 1", "failed"),
    (r"\lim_{c \to 0^-} \frac{|c|}{c} = -1", "proved"),
    (r"\lim_{c \to -2} \sqrt{c^2} = -2", "failed"),
    (r"\lim_{c \to 0} \frac{|c|}{c} = 1", "failed"),
    (r"\lim_{n \to -1} |n| = -1", "failed"),
    (r"\lim_{n \to \frac{1}{2}} \cos(2 \pi n) = 1", "failed"),
    (r"\lim_{n \to \infty} \cos(2 \pi n) = 1", "proved"),
]


@pytest.mark.parametrize("line, status", BOUND)
def test_a_limit_binds_its_variable(line, status):
    assert verdict(line).status == status


def test_a_definition_over_the_bound_name_moves_with_it():
    text = HEAD.replace("---\n\n$$", "define:\n  - u = c x\n---\n\n$$") + \
        "\\lim_{c \\to 0} u = 0   % limit\n\\lim_{c \\to 0} u = x   % limit\n" \
        "\\lim_{x \\to 0^-} \\frac{u}{|x|} = -c   % limit\n$$\n"
    statuses = [r.verdict.status for r in check_derivation(load_text(text, "lims.md"))]
    assert statuses == ["proved", "failed", "proved"]
