"""Steps with no justification: the kind of reasoning that settles them is found."""

from __future__ import annotations

import pytest
from sympy import Eq, Ge, Piecewise, exp, log, sin

from derive.build import Builder, D, lim
from derive.checks import check_derivation
from derive.model import Why

b = Builder("auto", "auto")
x, v, h, a, c, w, z = (b.var(n) for n in "xvhacwz")
t = b.var("t", lower=0, lower_open=True)
u = b.define("u", v * x)
BASE = b


def settle(lhs, rel, rhs, hint=None):
    builder = Builder("auto", "auto")
    builder.variables, builder.definitions = list(BASE.variables), list(BASE.definitions)
    builder.part("a", "")
    builder.step(lhs, rel, rhs, Why("auto", "", (), (("hint", hint),) if hint else ()))
    (result,) = check_derivation(builder.build())
    return result.verdict


FOUND = [
    (x * (x + 1), "=", x**2 + x, None, "proved", "algebra (found)"),
    (D(x**3, x), "=", 3 * x**2, None, "proved", "derivative (found)"),
    (D(u**2, v), "=", 2 * v * x**2, None, "proved", "chain rule (found)"),
    (lim(((x + h)**2 - x**2) / h, h, 0), "=", 2 * x, None, "proved", "limit (found)"),
    (Piecewise((x, x > 0), (0, True)), "=", Piecewise((x, x > 0), (0, True)), None,
     "proved", "case (found)"),
    (a**2 + c**2, ">=", 2 * a * c, None, "proved", "sign (found)"),
    (1 - z, "<=", exp(-z), None, "cited", "lemma (found)"),
    (Eq(2 * w - 4, 0), "iff", Eq(w, 2), None, "proved", "solve (found)"),
    # a hint names the kind the engine reports
    (D(x * sin(x), x), "=", sin(x) + x * D(sin(x), x), "product rule", "proved",
     "product rule (found)"),
]


@pytest.mark.parametrize("lhs,rel,rhs,hint,status,kind", FOUND)
def test_the_kind_is_found(lhs, rel, rhs, hint, status, kind):
    verdict = settle(lhs, rel, rhs, hint)
    assert verdict.status == status, verdict
    assert verdict.method.split(":")[0] == kind


WRONG = [
    (x**2, "=", 2 * x),
    (D(u**2, v), "=", 2 * v * x),
    (x, "<=", x**2),
    (a**2 + c**2, "<", 2 * a * c),
    (1 + z, "<=", exp(-z)),
]


@pytest.mark.parametrize("lhs,rel,rhs", WRONG)
def test_a_wrong_step_fails_with_a_counterexample(lhs, rel, rhs):
    verdict = settle(lhs, rel, rhs)
    assert verdict.status == "failed", verdict
    assert verdict.counterexample


def test_evidence_without_proof_is_checked_not_proved():
    # log(t² + 1) ≤ t² is log_bound's instance (cited); twice the right side is not.
    verdict = settle(log(t**2 + 1), "<=", 2 * t**2)
    assert verdict.status in ("proved", "checked")
    assert verdict.status != "checked" or "sampled points" in verdict.reason


def test_nothing_settles_it_says_what_was_tried():
    verdict = settle(Eq(w, 2), "iff", Ge(w, 2))
    assert verdict.status == "unknown"
    assert verdict.reason == ("no kind of reasoning settled it; tried equivalence: an equivalence "
                              "must join two equations or two inequalities")
