"""Sampling: points inside the assumptions, breaks confirmed at high precision, never a proof."""

from __future__ import annotations

import pytest

from sympy import Gt, Lt, Rational, S, atan, exp, log, pi, sqrt
from derive.checks.points import region
from derive.checks.sampling import sample_relation
from derive.kernel.meaning import prepare
from helpers import world as make_world
from derive.notation import sigma
from world_units import (
    BASE, h, t, u, v, verdict, w, x, y)


# -- sampling ----------------------------------------------------------------------

def sample(lhs, rel, rhs, when=(), **kw):
    """sample_relation in every case of the step's context; the first non-"held" outcome."""
    w = make_world(BASE, tuple(when))
    outcome = None
    for case in w.cases:
        L, R = prepare(w, lhs, case), prepare(w, rhs, case)
        outcome = sample_relation(L, R, rel, region(w, case), **kw)
        if outcome[0] != "held":
            return outcome
    return outcome


SAMPLES = [
    ("an identity holds", (x + 1) ** 2, "=", x**2 + 2 * x + 1, (), "held"),
    ("points stay inside (0, 1)", log(y), "<", 0, (), "held"),
    ("points stay inside (-1, 1)", sqrt(1 - w**2), ">", 0, (), "held"),
    ("points stay in the sign case", sqrt(v**2 * x**2), "=", v * x, [Gt(v * x, 0)], "held"),
    ("a lower bound is respected", log(t), "<=", t - 1, (), "held"),
    ("a wrong identity breaks", (x + 1) ** 2, "=", x**2 + 1, (), "counterexample"),
    ("a relative error of 1e-9 is seen", exp(x), "=", exp(x) * (1 + Rational(1, 10**9)), (), "counterexample"),
    ("a small residual at large |u| is seen", sigma(-5 * t - 5), "=", 0, (), "counterexample"),
    ("a wrong inequality breaks", x**2, "<=", x, (), "counterexample"),
    ("the wrong sign case breaks", sqrt(v**2 * x**2), "=", v * x, [Lt(v * x, 0)], "counterexample"),
    ("a free constant is drawn too", h * x, "=", x * h, (), "held"),
    ("a free constant can break it", h * x, "=", x, (), "counterexample"),
    ("nowhere defined", log(-t), "=", 0, (), "none"),
]


@pytest.mark.parametrize("what, lhs, rel, rhs, when, expected", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_sampling(what, lhs, rel, rhs, when, expected):
    outcome, info = sample(lhs, rel, rhs, when)
    assert outcome == expected, info
    if expected == "held":
        assert info == 16
    if expected == "counterexample":
        assert {"lhs", "rhs"} <= info.keys()


def test_sampling_says_why_it_found_nothing():
    assert sample(log(-t), "=", S.Zero) == ("none", "no sample point where both sides are defined")


def test_sampling_is_deterministic():
    assert sample((x + 1) ** 2, "=", x**2 + 1) == sample((x + 1) ** 2, "=", x**2 + 1)


def test_sampling_has_a_budget():
    outcome, info = sample(sigma(x) ** 40, "=", sigma(x) ** 40, budget=1e-6)
    assert outcome == "none"


def test_sampling_alone_never_proves():
    vd = verdict(atan(t) + atan(1 / t), "=", pi / 2)
    assert vd.status == "checked" and vd.method.endswith("sampling")


def test_a_big_expression_is_evaluated_with_shared_subexpressions_to_the_same_value():
    # derive.expressions.evaluator: cse above CSE_NODES nodes, never through pieces.
    import mpmath
    from sympy import Piecewise, Symbol, exp, lambdify
    from derive.expressions import evaluator
    x = Symbol("x", real=True)
    s = x
    for _ in range(12):
        s = 1 / (1 + exp(-s))
    big = sum(s**k * (1 - s) for k in range(1, 8))
    assert evaluator([x], big, "mpmath")(mpmath.mpf("0.3")) == \
        lambdify([x], big, modules="mpmath")(mpmath.mpf("0.3"))
    # A piece guarded by x > 0 is not evaluated at x = 0, big or not.
    guarded = Piecewise((big / x, x > 0), (0, True))
    assert evaluator([x], guarded, "mpmath")(mpmath.mpf(0)) == 0
    # A sum's index is bound: a term using it is never lifted out of the sum (with cse it
    # was, and an argument of the same name then gave it a value: a wrong number).
    from sympy import Sum, sin
    i = Symbol("i", integer=True)
    over = Sum((x + i)**2 * sin((x + i)**2), (i, 1, 3))
    summed = big + over + i + (x + 1)**2 * sin((x + 1)**2)
    for modules in ("mpmath", "math"):
        at = [mpmath.mpf("0.3"), 5] if modules == "mpmath" else [0.3, 5]
        assert evaluator([x, i], summed, modules)(*at) == \
            lambdify([x, i], summed, modules=modules)(*at)


def test_points_that_held_where_sampling_cannot_follow_the_conditions_are_no_evidence():
    """A step sampling cannot settle says why: its reason ended in a bare count ("…; 14")."""
    import re
    from derive.checks import check_derivation
    from derive.source import load_text
    doc = "\n".join([
        "---", "id: eq", "title: t", "symbols:", "  - 0 < p < 1", "  - x, y > 0",
        "  - B \\sim \\operatorname{Bernoulli}(p)", "assume:", "  - x + y = 1", "---", "",
        "$$", "\\operatorname{Var}(B) < \\frac{1}{4}   % sign", "$$", ""])
    (v,) = [r.verdict for r in check_derivation(load_text(doc, "eq.md"))]
    assert v.status == "unknown", v
    assert "sampling cannot follow every condition here" in v.reason, v.reason
    assert not re.search(r"; \d+$", v.reason), v.reason


def test_a_counterexample_under_x_greater_than_y_names_both():
    """Under x > y the sides may depend on x − y alone: the point showed x without y."""
    from derive.checks import check_derivation
    from derive.source import load_text
    doc = "\n".join(["---", "id: d", "title: t", "symbols:", "  - x, y \\in \\mathbb{R}", "---", "",
                     "$$", "|x - y| = y - x      % algebra for x > y", "$$", ""])
    (v,) = [r.verdict for r in check_derivation(load_text(doc, "d.md"))]
    assert v.status == "failed", v
    point = v.counterexample
    assert {"x", "y"} <= point.keys(), point
    assert float(point["x"]) > float(point["y"]), point
