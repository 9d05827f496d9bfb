"""Equivalences: proportional equations, solved forms, thresholds; wrong ones refused."""

from __future__ import annotations

from fractions import Fraction

import pytest
import re

from sympy import Eq, Ge, Gt, Le, Lt, Rational, exp, log
from derive.checks.equivalences import check_iff
from helpers import goal
from world_units import (
    BASE, assert_counterexample, half, verdict, x, y)


# -- check_iff ---------------------------------------------------------------------

IFF_PROVED = [
    ("proportional", Eq(2 * x, 4), Eq(x, 2), (), "proportional"),
    ("solved form through exp", Eq(exp(x), 2), Eq(x, log(2)), (), "solved form"),
    ("a cubic over its root: x² + x + 2 > 0 (a completed square)", Eq(x**3 + x, 2), Eq(x, 1), (), "proportional"),
    ("solved form, monotone x + eˣ", Eq(x + exp(x), 1), Eq(x, 0), (), "solved form"),
    ("threshold of a line", Ge(y - half, 0), Ge(y, half), (), "proportional, by a positive factor"),   # y − ½ = 1·(y − ½)
    ("threshold of the logit", Ge(log(y / (1 - y)), 0), Ge(y, half), (), "threshold at y = 1/2"),
    ("strict threshold", Gt(log(y / (1 - y)), 0), Gt(y, half), (), "threshold at y = 1/2"),
    ("threshold under x<0", Ge(-(1 / x) * log(1 / y - 1), 0), Le(y, half), [Lt(x, 0)], "threshold"),
    # not monotone on (0, 1), but y³ − y/4 = y(y + ½)·(y − ½) with y(y + ½) > 0 there
    ("y³ - y/4 ≥ 0 ⟺ y ≥ 1/2", Ge(y**3 - y / 4, 0), Ge(y, half), (), "proportional, by a positive factor"),
]


@pytest.mark.parametrize("what, first, second, when, method", IFF_PROVED, ids=[e[0] for e in IFF_PROVED])
def test_equivalence_is_proved(what, first, second, when, method):
    vd = verdict(first, "iff", second, kind="solve", when=when)
    assert vd.status == "proved", (vd.method, vd.reason)
    assert method in vd.method


IFF_FAILED = [
    # the slope is positive wherever defined, but a pole sits inside (0, 1): false at y = ⅛
    ("across a pole", Ge(4 - 1 / (y - Rational(1, 4)), 0), Ge(y, half), (),
     r"holds here but y >= 1/2 does not", True),
    ("solved form not satisfied", Eq(exp(x), 2), Eq(x, log(3)), (),
     r"the claimed solution x = log\(3\) leaves the two sides of .* differing by 1 everywhere", False),
    ("threshold elsewhere", Ge(y - half, 0), Ge(y, Rational(1, 3)), (),
     r"at y = 1/3 the left side is -1/6, not 0, so the threshold is elsewhere", False),
    ("logit threshold elsewhere", Ge(log(y / (1 - y)), 0), Ge(y, Rational(1, 3)), (),
     r"at y = 1/3 the left side is -log\(2\), not 0", False),
    ("monotone the other way", Ge(half - y, 0), Ge(y, half), (),
     r"monotone the other way in y: the equivalent condition is y ≤ 1/2", False),
    ("strict against weak", Gt(y - half, 0), Ge(y, half), (), r"one side is strict and the other is not", False),
    ("case condition reversed", Ge(-(1 / x) * log(1 / y - 1), 0), Le(y, half), [Gt(x, 0)],
     r"monotone the other way", False),
]


@pytest.mark.parametrize("what, first, second, when, reason, realised", IFF_FAILED,
                         ids=[e[0] for e in IFF_FAILED])
def test_wrong_equivalence_fails(what, first, second, when, reason, realised):
    vd = verdict(first, "iff", second, kind="solve", when=when)
    assert vd.status == "failed", (vd.status, vd.method, vd.reason)
    assert re.search(reason, vd.reason), vd.reason
    if realised:
        assert_counterexample(vd, "=")


IFF_OTHER_ROOT = [
    # x³ - x = 0 has three roots: not equivalent to x = 0 (it was unknown; another root refutes it)
    ("x³ - x = 0 ⟺ x = 0", Eq(x**3 - x, 0), Eq(x, 0), "also solves"),
]


@pytest.mark.parametrize("what, first, second, reason", IFF_OTHER_ROOT, ids=[e[0] for e in IFF_OTHER_ROOT])
def test_a_second_root_refutes_a_unique_solution(what, first, second, reason):
    vd = verdict(first, "iff", second, kind="solve")
    assert vd.status == "failed", (vd.status, vd.method)
    assert reason in vd.reason and vd.counterexample in ({"x": "-1"}, {"x": "1"}), vd


def test_equivalence_of_mixed_relations_is_unsupported():
    vd = verdict(Eq(x, 1), "iff", Ge(y, half), kind="solve")
    assert vd.status == "unknown"
    assert vd.reason == "an equivalence must join two equations or two inequalities"
    with pytest.raises(Exception, match="an equivalence must join two equations"):
        check_iff(goal(BASE, Eq(x, 1), "iff", Ge(y, half), "solve"))


def test_threshold_outside_the_interval_is_unsupported():
    # (y − 2 ≥ 0 ⟺ y ≥ 2 is proved outright: the same inequality times 1, false on all of (0, 1).)
    assert verdict(Ge(y - 2, 0), "iff", Ge(y, 2), kind="solve").status == "proved"
    vd = verdict(Ge(exp(y) - exp(2), 0), "iff", Ge(y, 2), kind="solve")
    assert vd.status == "unknown"
    assert re.search(r"a threshold needs 2 inside the interval of a declared variable y", vd.reason)


def test_a_wrong_solution_for_a_target_on_an_interval_is_substituted_back():
    """p ∈ (0, 1) is reparametrised in the case, so the solved form cannot isolate it; a
    wrong solution is still refuted at a point where it lies inside (0, 1)."""
    from helpers import file_verdicts
    first = r"\frac{k}{p} - \frac{m}{1 - p} = 0 \iff p = "
    got = file_verdicts([r"0 < p < 1", r"k, m > 0"],
                        [first + r"\frac{k}{k + m}   % solve", first + r"\frac{k}{m}   % solve",
                         first + r"\frac{m}{k + m}   % solve"])
    assert [v.status for v in got] == ["proved", "failed", "failed"], got
    for v in got[1:]:
        point = {name: float(Fraction(value)) for name, value in v.counterexample.items()
                 if name in ("k", "m", "p (claimed)")}
        k, m, p = point["k"], point["m"], point["p (claimed)"]
        assert 0 < p < 1 and k > 0 and m > 0
        assert abs(k / p - m / (1 - p)) > 1e-9, v.counterexample


@pytest.mark.parametrize("step, status, root", [
    (r"x^2 - 4 = 0 \iff x = 2", "failed", "-2"),
    (r"x^2 = 4 \iff x = -2", "failed", "2"),
    (r"x^3 - x = 0 \iff x = 1", "failed", "0"),
    (r"t^2 - 4 = 0 \iff t = 2", "proved", None),            # t > 0: the only root
    (r"t^2 - 4 = 0 \iff t = -2", "failed", "2"),            # outside the case, the root inside
    (r"(x - 1)^2 = 0 \iff x = 1", "proved", None),
])
def test_another_root_refutes_a_claimed_unique_solution(step, status, root):
    from helpers import file_verdicts
    (v,) = file_verdicts([r"x \in \mathbb{R}", "t > 0"], [step + "   % solve"])
    assert v.status == status, v
    if root is not None:
        name = "t" if "t" in step else "x"
        assert v.counterexample == {name: root}, v
