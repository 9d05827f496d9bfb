"""Second adversarial review (sign cases, equation conditions, sampling, results, unroll).

Each strict xfail is a reproduced hole, as small as it gets: a false step that
comes out `proved`/`cited`, a step false at every point of its domain that comes
out `checked`, or a true step that comes out `failed` with a point that is not
a counterexample (or an internal error shown as the reason). The plain tests
are attacks that held up; they guard against regressions.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sympy import Eq, Ge, Gt, Le, Ne, Rational, S, exp, floor, log, sin

from derive.build import Builder, D, lim, use, why
from derive.checks import check_derivation
from helpers import step_verdict as check_step
from derive.model import Part, Step
from derive.notation import VectorSymbol, value_at

pytestmark = pytest.mark.review("adversarial review 2: results, scopes and unrolling")

NEVER = ("proved", "cited")
NOT_EVIDENCE = ("proved", "cited", "checked")
half = Rational(1, 2)


def f(p):
    return value_at("f", p)


def verdict(builder, lhs, rel, rhs, kind="algebra", when=()):
    d = builder.build()
    step = Step(lhs, rel, rhs, why(kind), tuple(when))
    part = Part("a", "review", (step,))
    return check_step(replace(d, parts=(part,)), part, step, lhs)


def statuses(world, *steps):
    parts = (Part("a", "review", tuple(steps)),)
    return [(r.verdict.status, r.verdict.reason)
            for r in check_derivation(replace(world, parts=parts))]


# =====================================================================================
# Soundness holes: false steps cited
# =====================================================================================

def test_a_point_pinned_by_a_hypothesis_with_an_argument_is_not_generalised():
    b = Builder("pinned-arg", "")
    x, c, a, y = (b.vector(n) for n in "xcay")
    b.schema("H", lambda p: Le(f(p + c), f(a)))
    b.schema("P", lambda q: Le(f(x + q), f(a)), kind="result")
    proof, cite = statuses(
        b.build(),
        Step(f(x + c), "<=", f(a), why("hypothesis", "", [use("H", x)], establishes="P", at=(c,))),
        Step(f(x + y), "<=", f(a), why("result", "", [use("P", y)])))
    assert proof[0] in ("cited", "unknown")   # refusing to establish it is sound too
    assert cite[0] not in NEVER, cite


def test_a_result_proved_at_a_positive_constant_is_not_cited_at_a_negative_number():
    b = Builder("const", "")
    m = b.const("m", positive=True)
    x = b.var("x")
    b.schema("P", lambda p: Ge(p + x**2, x**2, evaluate=False), kind="result")
    proof, cite = statuses(
        b.build(),
        Step(m + x**2, ">=", x**2, why("sign", "", establishes="P", at=(m,))),
        Step(x**2 - 1, ">=", x**2, why("result", "", [use("P", S(-1))])))
    assert proof[0] in ("proved", "unknown")
    assert cite[0] not in NEVER, cite


def test_a_result_proved_at_a_positive_variable_is_not_cited_at_a_negative_number():
    """The control: the same with a declared variable m ∈ (0, ∞) is refused."""
    b = Builder("var", "")
    m = b.var("m", lower=0)
    x = b.var("x")
    b.schema("P", lambda p: Ge(p + x**2, x**2, evaluate=False), kind="result")
    proof, cite = statuses(
        b.build(),
        Step(m + x**2, ">=", x**2, why("sign", "", establishes="P", at=(m,))),
        Step(x**2 - 1, ">=", x**2, why("result", "", [use("P", S(-1))])))
    assert proof[0] == "proved"
    assert cite[0] == "unknown" and "outside the domain" in cite[1]


def _r(k):
    return value_at("f", VectorSymbol(f"w_{{{k}}}"))


def test_unroll_index_is_not_captured_by_a_derivation_symbol():
    b = Builder("unroll-capture", "")
    k = b.const("k", integer=True, nonnegative=True)
    t = b.var("t", lower=0, lower_open=False, integer=True)
    sg = b.var("σ", lower=0, lower_open=False, integer=True)
    b.schema("H", lambda p: Le(_r(p + 1), _r(p) / (p + 1)))
    b.schema("contraction", lambda p: Le(_r(p + 1), _r(p) / (p + 1)), kind="result")
    q = 1 / (k + 1)
    premise, claim = statuses(
        b.build(),
        Step(_r(sg + 1), "<=", _r(sg) / (sg + 1),
             why("hypothesis", "", [use("H", sg)], establishes="contraction", at=(sg,))),
        Step(_r(t), "<=", q**t * _r(0), why("unroll", "", [use("contraction")], r=_r, q=q, t=t)))
    assert premise[0] == "cited"
    assert claim[0] not in NEVER, claim


# =====================================================================================
# Soundness holes: steps false everywhere come out `checked`
# =====================================================================================

@pytest.mark.parametrize("other, cond", [("0", "x = 0"), ("y", "x = y")])
def test_function_values_at_points_an_equation_identifies(other, cond):
    b = Builder("same-point", "")
    x, y = b.var("x"), b.var("y")
    q = {"0": S.Zero, "y": y}[other]
    vd = verdict(b, (f(x) - f(q)) ** 2, ">", 0, "sign", when=[Eq(x, q)])
    assert vd.status not in NOT_EVIDENCE, (vd.status, vd.reason)


_ABSORBED = [
    ("1 + q e^-300", "=", 1),
    ("1 + q e^-300", "<=", 1),
    # q = x² − 2x + 2 = (x − 1)² + 1 > 0 (a completed square) refutes these two symbolically.
    pytest.param("log(e^300 + q)", "=", 300, marks=pytest.mark.xfail(strict=True, reason=(
        "sampling._decide: a difference of exactly 0 at 60 digits is looked at only at 120 "
        "digits; q·e^-300 (≈ 1e-130) absorbed by e^300 is a tie there, so a residual "
        "provably nonzero everywhere is sampled as 'held' and the step is checked"))),
]


@pytest.mark.parametrize("lhs, rel, rhs", _ABSORBED)
def test_a_residual_below_120_digits_is_not_evidence(lhs, rel, rhs):
    b = Builder("absorb", "")
    x = b.var("x")
    q = x**2 - 2 * x + 2
    expr = {"1 + q e^-300": 1 + q * exp(-300), "log(e^300 + q)": log(exp(300) + q)}[lhs]
    vd = verdict(b, expr, rel, rhs, "algebra" if rel == "=" else "sign")
    assert vd.status not in NOT_EVIDENCE, (vd.status, vd.reason)


# =====================================================================================
# Empty domains not seen (vacuous proofs)
# =====================================================================================

def test_an_equation_between_disjoint_intervals_is_a_contradiction():
    b = Builder("disjoint", "")
    y = b.var("y", lower=0, upper=1)
    w = b.var("w", lower=2, upper=3)
    vd = verdict(b, w, "<", 1, "sign", when=[Eq(w, y)])
    assert vd.status not in NEVER, vd.method


# =====================================================================================
# True steps failed with points that are not counterexamples, internal errors
# =====================================================================================

def test_function_values_at_identified_points_give_no_false_counterexample():
    b = Builder("same-point", "")
    x = b.var("x")
    vd = verdict(b, f(x), "=", f(0), when=[Eq(x, 0)])
    assert vd.status != "failed", vd.counterexample


@pytest.mark.parametrize("eq", ["big", "small"])
def test_dominance_and_an_equation_on_one_variable(eq):
    b = Builder("dom-eq", "")
    t, s, y = b.var("t"), b.var("s"), b.var("y")
    if eq == "big":
        vd = verdict(b, y, ">", s, "sign", when=[Gt(t, s), Eq(t, y)])
    else:
        vd = verdict(b, t, ">", y, "sign", when=[Gt(t, s), Eq(s, y)])
    assert vd.status != "failed", vd.counterexample


def test_a_chain_of_dominances():
    b = Builder("dom-chain", "")
    a, bb, c = b.var("a"), b.var("b"), b.var("c")
    vd = verdict(b, a, ">", c, "sign", when=[Gt(a, bb), Gt(bb, c)])
    assert "SymPy could not" not in (vd.reason or ""), vd.reason
    assert vd.status == "proved", (vd.status, vd.reason)


@pytest.mark.parametrize("which", ["integer n", "z != 1/2"])
def test_strict_and_weak_thresholds_that_agree_on_the_domain(which):
    b = Builder("thr", "")
    n = b.var("n", integer=True)
    z = b.var("z")
    if which == "integer n":
        vd = verdict(b, Gt(2 * n - 1, 0), "iff", Ge(n, half), "solve")
    else:
        vd = verdict(b, Gt(2 * z - 1, 0), "iff", Ge(z, half), "solve", when=[Ne(z, half)])
    assert vd.status != "failed", vd.reason


# =====================================================================================
# Attacks that held up (regression guards)
# =====================================================================================

def test_monotone_leaf_refuses_a_multiplier_with_a_pole():
    b = Builder("mono-pole", "")
    x = b.var("x")
    z = b.var("z", lower=0, lower_open=False)
    a, c = b.vector("a"), b.vector("c")
    b.schema("same", lambda: Eq(x * f(a), x * f(c)))
    (status, reason), = statuses(b.build(),
                                 Step(z * f(c), "<=", z * f(a), why("monotone", "", [use("same")])))
    assert status not in NEVER and "may be undefined" in reason


@pytest.mark.parametrize("lhs, rel, rhs", [
    ("sin(1/h), h→0+", "<=", 1),
    ("sin(1/h), h→0", "<=", 1),
    ("1/h, h→0", ">=", 0),
    ("|h|/h, h→0", "<=", 1),
])
def test_sign_claims_about_limits_that_do_not_exist(lhs, rel, rhs):
    from sympy import Abs
    b = Builder("lim", "")
    h = b.const("h")
    body, side = {"sin(1/h), h→0+": (sin(1 / h), "+"), "sin(1/h), h→0": (sin(1 / h), "+-"),
                  "1/h, h→0": (1 / h, "+-"), "|h|/h, h→0": (Abs(h) / h, "+-")}[lhs]
    vd = verdict(b, lim(body, h, 0, side), rel, rhs, "limit")
    assert vd.status not in NOT_EVIDENCE, (vd.status, vd.reason)


def test_threshold_through_a_derivative_of_floor():
    b = Builder("thr-floor", "")
    z = b.var("z")
    vd = verdict(b, Ge(z - half + D(floor(z), z), 0), "iff", Ge(z, half), "solve")
    assert vd.status not in NOT_EVIDENCE, vd.method


@pytest.mark.parametrize("lhs, rel, rhs, kind", [("2n", "=", 1, "algebra"), ("n", ">", 0, "sign")])
def test_an_integer_fixed_to_a_fraction_is_a_contradiction(lhs, rel, rhs, kind):
    b = Builder("int-eq", "")
    n = b.var("n", integer=True)
    vd = verdict(b, 2 * n if lhs == "2n" else n, rel, rhs, kind, when=[Eq(n, half)])
    assert vd.status not in NEVER, vd.method
