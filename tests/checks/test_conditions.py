"""Conditions a step holds under: equations solved for a variable, inequalities equivalent by a positive factor."""

from __future__ import annotations

import pytest
from sympy import Eq, Ge, Gt, Lt, Rational

from derive import kernel
from derive.build import Builder
from derive.kernel import certificates as C
from helpers import one_step, verdict

_b = Builder("conditions", "condition tables")
x, y = _b.var("x"), _b.var("y")
p1, p2, p3 = (_b.var(f"p_{i}", lower=0, upper=1) for i in (1, 2, 3))
BASE = _b.build()
ONE = Eq(p1 + p2 + p3, 1)


# -- an equation among the assumptions: solved for a variable -------------------------

def test_an_equation_is_solved_for_its_last_variable_with_a_constant_coefficient():
    world = kernel.World(BASE, (ONE,))
    assert world.equations == {p3: 1 - p1 - p2}


@pytest.mark.parametrize("lhs, rel, rhs, status", [
    (p1 + p2 + p3, "=", 1, "proved"),
    (p3, "=", 1 - p1 - p2, "proved"),
    (p1 + p2, "<", 1, "checked"),           # true, from p₃ > 0, which the proof does not see
    (p1 + p2 + p3, "=", 2, "failed"),
    (p3, "=", 1 - p1, "failed"),
], ids=["the sum", "the solved form", "a consequence of p₃ > 0", "another sum", "a term dropped"])
def test_steps_under_an_equation_assumption(lhs, rel, rhs, status):
    v = verdict(BASE, lhs, rel, rhs, "algebra" if rel == "=" else "sign", when=(ONE,))
    assert v.status == status, (v.status, v.reason)
    if status == "failed":
        values = {k: float(val) for k, val in v.counterexample.items() if k.startswith("p_")}
        assert abs(sum(values.values()) - 1) < 1e-6, v.counterexample


def test_an_equation_with_no_constant_coefficient_is_unknown_with_the_reason():
    v = verdict(BASE, x, "=", x, when=(Eq(x * y, 1),))
    assert v.status == "unknown"
    assert "solvable for a declared variable with a constant coefficient" in v.reason


# -- inequalities equivalent by a positive factor --------------------------------------

@pytest.mark.parametrize("first, second, status", [
    (Gt(x, y), Gt(x - y, 0), "proved"),
    (Ge(2 * x, 2 * y), Ge(x - y, 0), "proved"),
    (Lt(x / 3, 1), Lt(x, 3), "proved"),
    (Gt(x, y), Gt(y - x, 0), "failed"),          # the direction turned
    (Gt(x, y), Ge(x - y, 0), "unknown"),         # strict against weak: differ only at x = y
    (Gt(x, y), Gt(x - 2 * y, 0), "failed"),      # not a multiple
], ids=["x > y ⟺ x − y > 0", "2x ≥ 2y ⟺ x − y ≥ 0", "x/3 < 1 ⟺ x < 3",
        "direction", "strictness", "another factor"])
def test_inequalities_equivalent_by_a_positive_factor(first, second, status):
    v = verdict(BASE, first, "iff", second, "algebra")
    assert v.status == status, (v.status, v.reason)
    if status == "failed":
        assert v.counterexample and {"lhs", "rhs"} <= v.counterexample.keys()


def test_the_kernel_refuses_a_negative_factor():
    derivation, link = one_step(BASE, Gt(x, y), "iff", Gt(y - x, 0), "algebra")
    forged = C.Equivalence((("", "proportional", "", ""),))
    assert kernel.decide(derivation, link, kernel.Ledger(), forged).status == "unknown"
    derivation, link = one_step(BASE, Gt(x, y), "iff", Gt(3 * x - 3 * y, 0), "algebra")
    assert kernel.decide(derivation, link, kernel.Ledger(), forged).status == "proved"


def test_half_is_not_a_factor_of_one_sign_where_it_vanishes():
    v = verdict(BASE, Gt(x * (x - Rational(1, 2)) ** 2, 0), "iff", Gt(x, 0), "algebra")
    assert v.status not in ("proved", "cited")
