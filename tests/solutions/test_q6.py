"""Question 6: every step is proved, and wrong variants of every step fail."""

from __future__ import annotations

import math
from fractions import Fraction
import re
from dataclasses import replace

import pytest
from sympy import (Eq, Float, Ge, Gt, Le, Lt, Piecewise, Rational, Symbol,
                   exp, log, sympify)
from sympy.core.relational import Relational

from derive.build import D, lim
from derive.checks import check_derivation
from helpers import step_verdict as check_step
from derive.notation import ReLU, sigma
from derive.catalog import load

Q6 = load("q6")


def _walk(derivation):
    """{"a.1": (part, step, lhs)}: chains resolved and numbered as `derive check` does."""
    out, index = {}, 0
    for part in derivation.parts:
        current = None
        for step in part.steps:
            index += 1
            lhs = step.lhs if step.lhs is not None else current
            out[f"{part.label}.{index}"] = (part, step, lhs)
            current = step.rhs
    return out


STEPS = _walk(Q6)
SYM = {str(s): s for s in [v.symbol for v in Q6.variables] + [k for k, _ in Q6.definitions]}
x, y, v, u, yh, ell = (SYM[n] for n in ("x", "y", "v", "u", "ŷ", "ℓ"))
h = Symbol("h", real=True)                     # the difference-quotient variable of a.10, a.11
half = Rational(1, 2)
root = -(1 / x) * log(1 / y - 1)               # v² at a stationary point


# -- every step is proved -----------------------------------------------------

def test_q6_has_25_steps_numbered_like_the_cli():
    results = check_derivation(Q6)
    assert [f"{r.part.label}.{r.index}" for r in results] == list(STEPS)
    assert len(STEPS) == 25


@pytest.mark.parametrize("sid", list(STEPS))
def test_step_is_proved(sid):
    part, step, lhs = STEPS[sid]
    verdict = check_step(Q6, part, step, lhs)
    assert verdict.status == "proved", (verdict.method, verdict.reason)
    assert verdict.counterexample is None


# -- wrong variants -----------------------------------------------------------
# Each mutant transforms the step's own claim: (step, lhs) -> (step', lhs').

def rhs(f):
    return lambda s, L: (replace(s, rhs=f(s.rhs)), L)


def lhs(f):
    return lambda s, L: (s, f(L))


def rel(r):
    return lambda s, L: (replace(s, rel=r), L)


def when(*conditions):
    return lambda s, L: (replace(s, when=tuple(conditions)), L)


DIFFER = r"the two sides differ"
BREAKS = r"the inequality .* breaks"
SOLVED = (r"where Eq\(v\*\*[24], .*\) holds, Eq\(.*\) does not"
          r"|the claimed solution v\*\*[24] = .* does not (solve|leave)")
ELSEWHERE = r"at y = 1/3 the left side is .*, not 0, so the threshold is elsewhere"
OTHER_WAY = r"the left side is monotone the other way in y"
STRICT = r"one side is strict and the other is not"

MUTANTS = [
    ("a.1", "factor 2 added", rhs(lambda r: 2 * r), DIFFER),
    ("a.1", "sign flipped", rhs(lambda r: -r), DIFFER),
    ("a.1", "exponent of ∂u/∂v changed", rhs(lambda r: D(ell, yh) * D(yh, u) * D(u, v) ** 2), DIFFER),
    ("a.2", "sign of the first term flipped", rhs(lambda r: y / yh + (1 - y) / (1 - yh)), DIFFER),
    ("a.2", "exponent of ŷ changed", rhs(lambda r: -y / yh**2 + (1 - y) / (1 - yh)), DIFFER),
    ("a.2", "sign flipped", rhs(lambda r: -r), DIFFER),
    ("a.3", "1-σ became 1+σ", rhs(lambda r: sigma(u) * (1 + sigma(u))), DIFFER),
    ("a.3", "exponent of σ changed", rhs(lambda r: sigma(u) ** 2 * (1 - sigma(u))), DIFFER),
    ("a.3", "factor 2 added", rhs(lambda r: 2 * r), DIFFER),
    ("a.4", "1-ŷ became 1+ŷ", rhs(lambda r: yh * (1 + yh)), DIFFER),
    ("a.4", "exponent of ŷ changed", rhs(lambda r: yh**2 * (1 - yh)), DIFFER),
    ("a.5", "sign of the product-rule term flipped",
     rhs(lambda r: ReLU(v * x) - v * D(ReLU(v * x), v)), DIFFER),
    ("a.5", "factor 2 on ReLU", rhs(lambda r: 2 * ReLU(v * x) + v * D(ReLU(v * x), v)), DIFFER),
    ("a.5", "exponent of v changed", rhs(lambda r: ReLU(v * x) + v**2 * D(ReLU(v * x), v)), DIFFER),
    ("a.6", "factor 2 dropped", rhs(lambda r: Piecewise((v * x, v * x > 0), (0, v * x < 0))), DIFFER),
    ("a.6", "case conditions reversed",
     rhs(lambda r: Piecewise((2 * v * x, v * x < 0), (0, v * x > 0))), DIFFER),
    ("a.6", "sign flipped", rhs(lambda r: Piecewise((-2 * v * x, v * x > 0), (0, v * x < 0))), DIFFER),
    ("a.6", "exponent of v changed",
     rhs(lambda r: Piecewise((2 * v**2 * x, v * x > 0), (0, v * x < 0))), DIFFER),
    ("a.7", "factor 2 dropped", rhs(lambda r: r / 2), DIFFER),
    ("a.7", "sign flipped", rhs(lambda r: -r), DIFFER),
    ("a.7", "case condition reversed (vx<0)", when(Lt(v * x, 0)), DIFFER),
    ("a.8", "sign flipped", rhs(lambda r: (y - yh) * 2 * v * x), DIFFER),
    ("a.8", "factor 2 dropped", rhs(lambda r: (yh - y) * v * x), DIFFER),
    ("a.8", "exponent of v changed", rhs(lambda r: (yh - y) * 2 * v**2 * x), DIFFER),
    ("a.9", "case condition reversed (vx>0)", when(Gt(v * x, 0)), DIFFER),
    ("a.9", "the other branch's formula", rhs(lambda r: (yh - y) * 2 * v * x), DIFFER),
    ("a.10", "exponent of h in the quotient changed",
     lhs(lambda L: lim(h * ReLU(h * x) / h**2, h, 0, "+")), DIFFER),
    ("a.10", "limit x instead of 0", rhs(lambda r: x), DIFFER),
    ("a.10", "limit 1 instead of 0", rhs(lambda r: sympify(1)), DIFFER),
    ("a.11", "exponent of h in the quotient changed",
     lhs(lambda L: lim(h * ReLU(h * x) / h**2, h, 0, "-")), DIFFER),
    ("a.11", "limit x instead of 0", rhs(lambda r: x), DIFFER),
    ("b.12", "factor 2 added", rhs(lambda r: 2 * r), DIFFER),
    ("b.12", "sign flipped", rhs(lambda r: -r), DIFFER),
    ("b.12", "order of the derivative changed", lhs(lambda L: D(ell, v, 3)), DIFFER),
    ("b.13", "factor 2 dropped", rhs(lambda r: 2 * v * x * D(yh, v) + x * (yh - y)), DIFFER),
    ("b.13", "sign flipped", rhs(lambda r: 2 * v * x * D(yh, v) - 2 * x * (yh - y)), DIFFER),
    ("b.13", "exponent of v changed", rhs(lambda r: 2 * v**2 * x * D(yh, v) + 2 * x * (yh - y)), DIFFER),
    ("b.14", "exponent of v changed", rhs(lambda r: 2 * x * (2 * v * x * yh * (1 - yh) + (yh - y))), DIFFER),
    ("b.14", "factor 2 dropped", rhs(lambda r: x * (2 * v**2 * x * yh * (1 - yh) + (yh - y))), DIFFER),
    ("b.14", "sign flipped", rhs(lambda r: 2 * x * (2 * v**2 * x * yh * (1 - yh) - (yh - y))), DIFFER),
    ("b.15", "factor 2 dropped", rhs(lambda r: 2 * v**2 * x**2 * yh * (1 - yh) + 2 * x * (yh - y)), DIFFER),
    ("b.15", "sign flipped", rhs(lambda r: 4 * v**2 * x**2 * yh * (1 - yh) - 2 * x * (yh - y)), DIFFER),
    ("b.15", "exponent of x changed", rhs(lambda r: 4 * v**2 * x * yh * (1 - yh) + 2 * x * (yh - y)), DIFFER),
    ("c.16", "factor 2 dropped", rhs(lambda r: x * (half - y)), DIFFER),
    ("c.16", "sign flipped", rhs(lambda r: 2 * x * (half + y)), DIFFER),
    ("c.16", "σ(0) taken as 1", rhs(lambda r: 2 * x * (1 - y)), DIFFER),
    ("c.17", "sign flipped", rhs(lambda r: x * (1 + 2 * y)), DIFFER),
    ("c.17", "factor 2 on the 1", rhs(lambda r: x * (2 - 2 * y)), DIFFER),
    ("c.17", "exponent of x changed", rhs(lambda r: x**2 * (1 - 2 * y)), DIFFER),
    ("c.18", "relation flipped", rel(">"), BREAKS),
    ("c.18", "condition on y reversed", when(Gt(x, 0), Lt(y, half)), BREAKS),
    ("c.18", "condition on x reversed", when(Lt(x, 0), Gt(y, half)), BREAKS),
    ("c.19", "factor 2 in the solved form", rhs(lambda r: Eq(v**2, 2 * root)), SOLVED),
    ("c.19", "sign of the solved form flipped", rhs(lambda r: Eq(v**2, -root)), SOLVED),
    ("c.20", "factor 2 in the solved form", rhs(lambda r: Eq(v**2, 2 * root)), SOLVED),
    ("c.20", "sign of the solved form flipped", rhs(lambda r: Eq(v**2, -root)), SOLVED),
    ("c.21", "factor 2 added", rhs(lambda r: Eq(v**2, 2 * root)), SOLVED),
    ("c.21", "sign flipped", rhs(lambda r: Eq(v**2, -root)), SOLVED),
    ("c.21", "exponent of v changed", rhs(lambda r: Eq(v**4, root)), SOLVED),
    ("c.21", "1/y-1 became 1/y+1", rhs(lambda r: Eq(v**2, (1 / x) * log(1 / y + 1))), SOLVED),
    ("c.22", "threshold at the wrong point", rhs(lambda r: Gt(y, Rational(1, 3))), ELSEWHERE),
    ("c.22", "direction reversed", rhs(lambda r: Lt(y, half)), OTHER_WAY),
    ("c.22", "strict on one side only", rhs(lambda r: Ge(y, half)), STRICT),
    ("c.22", "case condition reversed (x<0)", when(Lt(x, 0)), OTHER_WAY),
    ("c.23", "threshold at the wrong point", rhs(lambda r: Lt(y, Rational(1, 3))), ELSEWHERE),
    ("c.23", "direction reversed", rhs(lambda r: Gt(y, half)), OTHER_WAY),
    ("c.23", "strict on one side only", rhs(lambda r: Le(y, half)), STRICT),
    ("c.23", "case condition reversed (x>0)", when(Gt(x, 0)), OTHER_WAY),
    ("c.24", "1-y became 1+y", rhs(lambda r: 4 * v**2 * x**2 * y * (1 + y)), DIFFER),
    ("c.24", "factor 2 dropped", rhs(lambda r: 2 * v**2 * x**2 * y * (1 - y)), DIFFER),
    ("c.24", "stationarity condition ŷ=y dropped", when(Gt(v * x, 0)), DIFFER),
    ("c.25", "relation flipped", rel("<"), BREAKS),
    ("c.25", "sign flipped", lhs(lambda L: -L), BREAKS),
    ("c.25", "1-y became y-1", lhs(lambda L: 4 * v**2 * x**2 * y * (y - 1)), BREAKS),
]


def test_every_step_has_two_mutants():
    counts = {sid: 0 for sid in STEPS}
    for sid, *_ in MUTANTS:
        counts[sid] += 1
    assert {sid: n for sid, n in counts.items() if n < 2} == {}


def _conditions(part, step):
    return tuple(part.when) + tuple(step.when) + tuple(Q6.assumptions)


def _assert_counterexample(point, relation, part, step):
    """The point names every variable inside its interval, satisfies the step's
    sign conditions, and the two sides' values really break the relation."""
    assert isinstance(point, dict) and {"lhs", "rhs"} <= point.keys(), point
    a, b = float(point["lhs"]), float(point["rhs"])
    if relation == "iff" and isinstance(step.lhs, Relational) and not isinstance(step.lhs, Eq):
        # Two inequalities: lhs/rhs are the first one's sides; one must hold and the other not.
        first = type(step.lhs)(Float(a), Float(b))
        second = step.rhs.subs({s: Float(point[str(s)]) for s in step.rhs.free_symbols})
        assert bool(first) != bool(second), point
    elif relation in ("=", "iff"):
        assert not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), point
    elif relation in ("<", "<="):
        assert a > b, point
    else:
        assert a < b, point
    values = {}
    mentioned = set().union(*[sympify(c).free_symbols for c in _conditions(part, step)] or [set()])
    for var in Q6.variables:
        name = str(var.symbol)
        if name not in point:
            # Only variables the sides or the conditions involve are listed.
            assert var.symbol not in mentioned, f"{name} missing from {point}"
            continue
        values[var.symbol] = value = float(Fraction(point[name]))   # exact (2/3) or decimal
        if var.lower is not None:
            assert value >= float(var.lower), point
        if var.upper is not None:
            assert value <= float(var.upper), point
    for cond in _conditions(part, step):
        if isinstance(cond, Eq):
            # v = 0, ŷ = y: the point lies on the condition (to the 8 digits shown)
            left, right = (_value(side, values) for side in cond.args)
            assert math.isclose(left, right, rel_tol=1e-6, abs_tol=1e-9), f"{cond} fails at {point}"
        elif isinstance(cond, Relational) and cond.free_symbols <= values.keys():
            assert bool(cond.subs(values)), f"{cond} fails at {point}"


def _value(expr, values):
    """A side of a condition at a point: definitions expanded, σ and ReLU evaluated."""
    for _ in range(len(Q6.definitions) + 1):
        expr = sympify(expr).xreplace(dict(Q6.definitions))
    return float(expr.xreplace({k: Float(x) for k, x in values.items()}).rewrite(exp))


@pytest.mark.parametrize("sid, what, mutate, reason", MUTANTS,
                         ids=[f"{m[0]}: {m[1]}" for m in MUTANTS])
def test_wrong_variant_fails(sid, what, mutate, reason):
    part, step, L = STEPS[sid]
    wrong, wrong_lhs = mutate(step, L)
    verdict = check_step(Q6, part, wrong, wrong_lhs)
    assert verdict.status == "failed", (verdict.status, verdict.method, verdict.reason)
    assert verdict.reason
    assert re.search(reason, verdict.reason), verdict.reason
    if wrong.rel != "iff" or verdict.counterexample is not None:
        _assert_counterexample(verdict.counterexample, wrong.rel, part, wrong)


# -- equivalences the checker cannot refute -----------------------------------
# The equation-equivalence checker proves by proportionality or by a monotone
# solved form, and refutes only a solved form `target = R` whose target is a
# declared variable or a power of one: it then realises a counterexample by
# solving for that variable. A wrong second equation whose target is σ(·) or
# e^(·) gives it nothing to solve for, so these mutants can only end `unknown`
# (`failed` would be welcome; `proved` or `checked` would be a soundness bug).

UNDECIDED_IFF = [
    ("c.19", "y became 1-y", rhs(lambda r: Eq(sigma(v**2 * x), 1 - y))),
    ("c.19", "factor 2 inside σ", rhs(lambda r: Eq(sigma(2 * v**2 * x), y))),
    ("c.19", "case condition reversed (vx<0)", when(Lt(v * x, 0))),
    ("c.20", "1/y-1 became 1/y+1", rhs(lambda r: Eq(exp(-v**2 * x), 1 / y + 1))),
    ("c.20", "sign of the exponent flipped", rhs(lambda r: Eq(exp(v**2 * x), 1 / y - 1))),
]


@pytest.mark.parametrize("sid, what, mutate", UNDECIDED_IFF,
                         ids=[f"{m[0]}: {m[1]}" for m in UNDECIDED_IFF])
def test_wrong_equivalence_is_never_accepted(sid, what, mutate):
    part, step, L = STEPS[sid]
    wrong, wrong_lhs = mutate(step, L)
    verdict = check_step(Q6, part, wrong, wrong_lhs)
    assert verdict.status in ("unknown", "failed"), (verdict.status, verdict.method)
    assert verdict.reason
