"""Structured refutations: solutions substituted back, thresholds, limits along a sequence."""

from __future__ import annotations

import pytest
from sympy import Eq, Ge, Gt, Le, Limit, Rational, exp, log, oo, sqrt

from derive.build import Builder
from derive.checks.points import Context
from derive.checks.refute import refute_limit, refute_solution, refute_threshold
from derive.notation import ReLU, sigma

_b = Builder("refute", "refutation tables")
w, z, v = _b.var("w"), _b.var("z"), _b.var("v")
x = _b.var("x", lower=0)
y = _b.var("y", lower=0, upper=1)
h = _b.var("h", lower=0)
t = _b.var("t", lower=1)
WORLD = _b.build()
half = Rational(1, 2)


def each_case(fn, *args, conditions=()):
    ctx = Context(WORLD, tuple(conditions), "a")
    for case in ctx.cases:
        found = fn(ctx, case, *args)
        if found:
            return found
    return None


SOLUTIONS = [
    # (what, first, second, refuted, symbolic)
    ("the 1/x of the logit dropped", Eq(sigma(w * x), y), Eq(w, log(y / (1 - y))), True, False),
    ("the claimed value is shown", Eq(w * x, y), Eq(w, y), True, False),
    ("a sign lost", Eq(sigma(w * x), y), Eq(w, -log(y / (1 - y)) / x), True, False),
    ("off by a constant", Eq(2 * w + 1, 5), Eq(w, 3), True, True),
    ("a wrong square", Eq(v**2 * x, y), Eq(v**2, y / (2 * x)), True, False),
    ("right: the logit over x", Eq(sigma(w * x), y), Eq(w, log(y / (1 - y)) / x), False, False),
    ("right: a square root", Eq(v**2 * x, y), Eq(v**2, y / x), False, False),
]


@pytest.mark.parametrize("what, first, second, refuted, symbolic", SOLUTIONS, ids=[s[0] for s in SOLUTIONS])
def test_a_solution_is_substituted_back(what, first, second, refuted, symbolic):
    found = each_case(refute_solution, first, second)
    assert bool(found) is refuted, found
    if refuted:
        reason, point = found
        assert "substituted back" in reason
        if symbolic:
            assert point is None and "everywhere" in reason
        else:
            assert point["lhs"] != point["rhs"], point


def test_the_claimed_solution_is_shown_with_the_point():
    reason, point = each_case(refute_solution, Eq(w * x, y), Eq(w, y))
    assert point["w (claimed)"] == point["y"], point


THRESHOLDS = [
    ("the threshold moved", Ge(sigma(z), half), Ge(z, 1), "holds here but"),
    ("the direction reversed", Ge(sigma(z), half), Le(z, 0), "holds here but"),
    ("strict for weak", Gt(exp(z), 1), Ge(z, 0), "holds here but"),
]


@pytest.mark.parametrize("what, first, second, says", THRESHOLDS, ids=[s[0] for s in THRESHOLDS])
def test_a_wrong_threshold_has_a_point_on_the_wrong_side(what, first, second, says):
    reason, point = each_case(refute_threshold, first, second)
    assert says in reason and "z" in point, (reason, point)


def test_a_right_threshold_is_not_refuted():
    assert each_case(refute_threshold, Ge(sigma(z), half), Ge(z, 0)) is None
    assert each_case(refute_threshold, Ge(log(x), 0), Ge(x, 1)) is None


LIMITS = [
    ("(e^h − 1)/h → 1, not 2", Limit((exp(h) - 1) / h, h, 0, "+"), 2, "settles at 1"),
    ("(1 − 1/t)^t → 1/e, not 1", Limit((1 - 1 / t)**t, t, oo), 1, "settles at 0.367879"),
    ("√(x + h) − √x → 0, not x", Limit(sqrt(x + h) - sqrt(x), h, 0, "+"), x, "settles at 0"),
    ("1/h grows, not 0", Limit(1 / h, h, 0, "+"), 0, "unbounded"),
    # lambdify knows no ReLU: the sequence was a NameError ("SymPy could not handle this step").
    ("ReLU's difference quotient at w < 0 → 0, not 1",
     Limit((ReLU(w + h) - ReLU(w)) / h, h, 0, "+"), 1, "settles at 0"),
]


@pytest.mark.parametrize("what, limit, claimed, says", LIMITS, ids=[s[0] for s in LIMITS])
def test_a_wrong_limit_is_refuted_along_a_sequence(what, limit, claimed, says):
    reason, point = each_case(refute_limit, limit, claimed)
    assert says in reason, reason
    assert {"lhs", "rhs"} <= point.keys() and any(k.startswith(str(limit.args[1]) + " = ") for k in point)


RIGHT_LIMITS = [
    ("(e^h − 1)/h → 1", Limit((exp(h) - 1) / h, h, 0, "+"), 1),
    ("(1 + 1/t)^t → e", Limit((1 + 1 / t)**t, t, oo), exp(1)),
    ("ReLU's difference quotient at x ≥ 0 from the right → 1", Limit((ReLU(x + h) - ReLU(x)) / h, h, 0, "+"), 1),
    ("1/log(h) → 0, too slow to settle, so nothing", Limit(1 / log(h), h, 0, "+"), 0),
    ("1/log(h) → 0 is not refuted even when claimed 1/100", Limit(1 / log(h), h, 0, "+"), Rational(1, 100)),
]


@pytest.mark.parametrize("what, limit, claimed", RIGHT_LIMITS, ids=[s[0] for s in RIGHT_LIMITS])
def test_a_right_or_slow_limit_is_not_refuted(what, limit, claimed):
    assert each_case(refute_limit, limit, claimed) is None
