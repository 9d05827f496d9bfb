"""Unit tables for inequalities: ⟨·,·⟩, multiplier certificates, monotonicity, unrolling, lemmas, chains."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest
from sympy import Eq, Ge, Le, Rational, S, Symbol, diff, evaluate, exp

from derive.build import Builder, use, why
from derive.checks import check_derivation
from derive.checks.combinations import search
from derive.expressions import rebuild
from derive.kernel import Established, Ledger, World
from derive.kernel.facts import LEMMAS, Fact
from derive.kernel.inequalities import Premises, check_combination
from derive.model import ChainError, compose
from helpers import step_verdict
from derive.errors import InputError
from derive.model import Part, Step
from derive.notation import ZERO, Inner, VectorSymbol, grad_at, norm_sq, value_at
from derive.printing import text

# One world for the tables: 0 < μ ≤ L, x, y, s real (sign unknown), z ≥ 0, t ∈ ℤ, t ≥ 0.
_b = Builder("units", "inequality unit tables")
mu = _b.var("μ", lower=0)
L = _b.var("L", lower=0)
x = _b.var("x")
y = _b.var("y")
s = _b.var("s")
z = _b.var("z", lower=0, lower_open=False)
t = _b.var("t", lower=0, lower_open=False, integer=True)
_b.assume(Ge(L, mu))
a, c, g, v, w = (_b.vector(n) for n in ("a", "c", "g", "v", "w"))


def f(p):
    return value_at("f", p)


fstar = _b.define("f*", f(VectorSymbol("w*")))
gw = grad_at("f", w)
_b.schema("PL", lambda p: Ge(norm_sq(grad_at("f", p)), 2 * mu * (f(p) - fstar)))
_b.schema("order", lambda: Le(f(a), f(c)), statement="f(a) ≤ f(c)")
_b.schema("same", lambda: Eq(f(a), f(c)), statement="f(a) = f(c)")
_b.property("smooth", "f", L)
_b.property("strongly convex", "f", mu)
_b.property("smooth", "h", L)
_b.property("strongly convex", "h", s)              # a constant of unknown sign
_b.property("smooth", "k", L)
_b.property("strongly convex", "k", -mu)            # a negative constant
WORLD = _b.build()
CTX = World(WORLD)
half = Rational(1, 2)
NEVER = ("proved", "cited", "checked")


def verdict(lhs, rel, rhs, kind, uses=(), when=(), world=WORLD, **options):
    """The verdict of one step ``lhs rel rhs`` checked alone in ``world``."""
    step = Step(lhs, rel, rhs, why(kind, "", uses, **options), tuple(when))
    part = Part("u", "unit", (step,))
    return step_verdict(replace(world, parts=(part,)), part, step, lhs)


def derivation_verdicts(world, *steps):
    """``check_derivation`` of ``world`` with one part of ``steps`` (Step objects)."""
    return [r.verdict for r in check_derivation(replace(world, parts=(Part("u", "unit", tuple(steps)),)))]


# -- ⟨·,·⟩ normalisation --------------------------------------------------------

INNER = [
    ("bilinear on the left", Inner(2 * a + 3 * c, g), 2 * Inner(a, g) + 3 * Inner(c, g)),
    ("bilinear on the right", Inner(g, 2 * a - c), 2 * Inner(a, g) - Inner(c, g)),
    ("scalars come out", Inner(mu * a, c / L), mu / L * Inner(a, c)),
    ("symmetric", Inner(c, a), Inner(a, c)),
    ("‖a − c‖² expands", norm_sq(a - c), norm_sq(a) - 2 * Inner(a, c) + norm_sq(c)),
    ("‖x − g/μ − x‖² = ‖g‖²/μ²", norm_sq(v - g / mu - v), norm_sq(g) / mu**2),
    ("‖x − g/L − x‖² with L", norm_sq(v - g / L - v), norm_sq(g) / L**2),
    ("⟨0, a⟩ = 0 (the zero vector)", Inner(ZERO, a), S.Zero),
    ("⟨a, 0 + c⟩ = ⟨a, c⟩", Inner(a, ZERO + c), Inner(a, c)),
    ("‖0 − w‖² = ‖w‖²", norm_sq(ZERO - w), norm_sq(w)),
    ("⟨a − a, c⟩ = 0", Inner(a - a, c), S.Zero),
    ("⟨a, 0⟩ = 0 (the number 0)", Inner(a, 0), S.Zero),
]


@pytest.mark.parametrize("what, expr, expected", INNER, ids=[row[0] for row in INNER])
def test_inner_normalises(what, expr, expected):
    assert (expr - expected).expand() == 0
    assert expr.expand() == expected.expand()


def test_inner_written_unevaluated_normalises_when_rebuilt():
    with evaluate(False):
        written = norm_sq(v - g / mu - v)
    assert written != norm_sq(g) / mu**2          # kept as the author wrote it
    assert rebuild(written) == norm_sq(g) / mu**2


def test_inner_argument_order_is_canonical():
    assert Inner(c, a).args == Inner(a, c).args


@pytest.mark.parametrize("args", [(a * c, g), (x, a), (a + x, c)], ids=["a·c", "scalar", "a + scalar"])
def test_inner_of_a_non_linear_vector_expression_is_an_error(args):
    with pytest.raises(TypeError, match="not a linear vector expression"):
        Inner(*args)


def test_only_a_square_is_known_nonnegative():
    assert norm_sq(a).is_nonnegative is True
    assert (-norm_sq(a)).is_nonpositive is True
    assert Inner(a, c).is_nonnegative is None


# -- multiplier certificates ----------------------------------------------------

PL_W = ("PL(w)", WORLD.schema("PL").instance(w))
ORDER = ("order", WORLD.schema("order").instance())
SAME = ("same", WORLD.schema("same").instance())


def certificate(world, goal, strict, facts):
    """(the kernel's lines, None) for a multiplier certificate found for goal ≥ 0, or (None, why)."""
    premises = Premises(world, [Fact(label, rel) for label, rel in facts])
    found, why_not = search(world, premises, goal, strict)
    if found is None:
        return None, why_not
    return check_combination(world, Premises(world, premises.facts), goal, strict, found), None


def cert(goal, facts=(), strict=False):
    return certificate(CTX, goal, strict, list(facts))


def test_certificate_finds_one_over_2L_for_the_PL_step():
    # f(w) − ‖g‖²/(2L) ≤ f(w) − (μ/L)(f(w) − f*): PL times 1/(2L), nothing left over.
    goal = (f(w) - mu / L * (f(w) - fstar)) - (f(w) - norm_sq(gw) / (2 * L))
    lines, why_not = cert(goal, [PL_W])
    assert why_not is None
    assert lines == [f"PL(w) × {text(1 / (2 * L))} (≥ 0 from the assumptions)", "remainder 0 ≥ 0"]


REFUSED = [
    ("a wrong coefficient: no multiplier cancels f(w) and f* at once",
     (f(w) - mu / L * f(w) + mu / (2 * L) * fstar) - (f(w) - norm_sq(gw) / (2 * L)), [PL_W], False,
     r"^no combination of the facts cancels the function values \(coefficient equations .*have no solution\)"),
    ("1/L instead of 1/(2L): multiplier found, remainder −‖g‖²/(2L)",
     (f(w) - 2 * mu / L * (f(w) - fstar)) - (f(w) - norm_sq(gw) / (2 * L)), [PL_W], False,
     r"pivot -1/\(2·L\) at ∇f\(w\) is not provably [>≥] 0"),
    ("a negative multiplier (the step reversed)",
     (f(w) - norm_sq(gw) / (2 * L)) - (f(w) - mu / L * (f(w) - fstar)), [PL_W], False,
     r"^PL\(w\) would need the multiplier -1/\(2·L\), not provably ≥ 0$"),
    ("a multiplier of unknown sign", s * (norm_sq(gw) - 2 * mu * (f(w) - fstar)), [PL_W], False,
     r"^PL\(w\) would need the multiplier s, not provably ≥ 0$"),
    ("μ/L swapped with L/μ",
     (f(w) - L / mu * (f(w) - fstar)) - (f(w) - norm_sq(gw) / (2 * L)), [PL_W], False,
     r"pivot .* at ∇f\(w\) is not provably [>≥] 0"),
    ("an indefinite form ⟨a, c⟩ ≥ 0", Inner(a, c), [], False,
     r"not positive semidefinite \(zero pivot at a\)"),
    ("‖a‖² + ‖c‖² − 3⟨a, c⟩ ≥ 0", norm_sq(a) + norm_sq(c) - 3 * Inner(a, c), [], False,
     r"pivot -5/4 at c is not provably [>≥] 0"),
    ("−‖a‖² ≥ 0", -norm_sq(a), [], False, r"pivot -1 at a is not provably [>≥] 0"),
    ("s‖a‖² ≥ 0 for s of unknown sign", s * norm_sq(a), [], False, r"pivot s at a is not provably [>≥] 0"),
    ("(μ − L)‖a‖² ≥ 0: a last pivot of the wrong sign", (mu - L) * norm_sq(a), [], False,
     r"pivot (μ - L|-L \+ μ) at a is not provably ≥ 0$"),
    ("(L − μ)‖a‖² + ⟨a, c⟩ + ‖c‖² ≥ 0: a pivot that may be 0 with a row to eliminate",
     (L - mu) * norm_sq(a) + Inner(a, c) + norm_sq(c), [], False,
     r"pivot (L - μ|-μ \+ L) at a is not provably > 0$"),
    ("a constant of the wrong sign: μ − L ≥ 0", mu - L, [], False,
     r"^the remainder's constant part (μ - L|-L \+ μ) is not provably ≥ 0$"),
    ("x·y ≥ 0 for real x, y: no sign is assumed", x * y, [], False, r"constant part x·y is not provably ≥ 0"),
    ("strict from a weak fact and a zero remainder", f(c) - f(a), [ORDER], True,
     r"^a strict inequality needs a strict fact or a positive remainder$"),
    ("strict from a square that may vanish", norm_sq(a), [], True,
     r"^a strict inequality needs a strict fact or a positive remainder$"),
]


@pytest.mark.parametrize("what, goal, facts, strict, reason", REFUSED, ids=[r[0] for r in REFUSED])
def test_certificate_refuses(what, goal, facts, strict, reason):
    lines, why_not = cert(goal, facts, strict)
    assert lines is None
    assert re.search(reason, why_not), why_not


ACCEPTED = [
    ("μ/2‖a − c‖² ≥ 0: a PSD remainder", mu / 2 * norm_sq(a - c), [], False, "positive semidefinite"),
    ("‖a‖² + ‖c‖² − 2⟨a, c⟩ ≥ 0", norm_sq(a) + norm_sq(c) - 2 * Inner(a, c), [], False,
     "positive semidefinite"),
    ("‖a‖²/μ + μ‖c‖² + 2⟨a, c⟩ ≥ 0 (a parametric Gram form)",
     norm_sq(a) / mu + mu * norm_sq(c) + 2 * Inner(a, c), [], False, "positive semidefinite"),
    ("L − μ ≥ 0 from the assumption", L - mu, [], False, "remainder -μ + L ≥ 0|remainder L - μ ≥ 0"),
    ("(L − μ)‖a‖² ≥ 0: a last pivot ≥ 0 that may be 0", (L - mu) * norm_sq(a), [], False,
     "positive semidefinite"),
    ("‖a‖² + (L − μ)‖c‖² ≥ 0: the same pivot after another", norm_sq(a) + (L - mu) * norm_sq(c), [], False,
     "positive semidefinite"),
    ("‖a + (L − μ)c‖² ≥ 0: the pivot L − μ cancels to 0 with nothing left", norm_sq(a + (L - mu) * c), [], False,
     "positive semidefinite"),
    ("μ > 0 strictly", mu, [], True, "remainder μ ≥ 0"),
    ("x² ≥ 0 for real x", x**2, [], False, "remainder x² ≥ 0"),
    ("f(c) − f(a) ≥ 0 from order", f(c) - f(a), [ORDER], False, "order × 1"),
    ("an equation may take a negative multiplier", f(c) - f(a), [SAME], False,
     re.escape("same × -1 (an equation: any sign)")),
]


@pytest.mark.parametrize("what, goal, facts, strict, shown", ACCEPTED, ids=[r[0] for r in ACCEPTED])
def test_certificate_accepts(what, goal, facts, strict, shown):
    lines, why_not = cert(goal, facts, strict)
    assert why_not is None and lines, why_not
    assert any(re.search(shown, line) for line in lines), lines


def test_certificate_without_facts_says_nothing_cancels():
    lines, why_not = cert(f(c) - f(a), [])
    assert lines is None
    assert why_not.startswith("no facts are named, and the function values do not cancel ("), why_not
    assert "f(a)" in why_not and "f(c)" in why_not, why_not     # the residual names what is left


# -- an unknown sign is never assumed -------------------------------------------

UNKNOWN_SIGN = [
    ("x·y ≥ 0, combination", x * y, ">=", 0, "combination"),
    ("x·y ≥ 0, sign", x * y, ">=", 0, "sign"),
    ("x·y ≥ 0, monotone", x * y, ">=", 0, "monotone"),
    ("s·‖a‖² ≥ 0", s * norm_sq(a), ">=", 0, "combination"),
    ("⟨a, c⟩ ≥ 0", Inner(a, c), ">=", 0, "combination"),
    ("s·f(a) ≤ s·f(c) from f(a) ≤ f(c)", s * f(a), "<=", s * f(c), "monotone"),
    ("x ≤ y, nothing known", x, "<=", y, "combination"),
]


@pytest.mark.parametrize("what, lhs, rel, rhs, kind", UNKNOWN_SIGN, ids=[r[0] for r in UNKNOWN_SIGN])
def test_an_unknown_sign_is_never_assumed(what, lhs, rel, rhs, kind):
    uses = [use("order")] if kind == "monotone" and lhs.has(f(a)) else []
    v = verdict(lhs, rel, rhs, kind, uses)
    assert v.status not in NEVER, (v.status, v.method, v.reason)
    assert v.reason


def test_a_square_is_nonnegative():
    assert verdict(x**2, ">=", 0, "combination").status == "proved"


# -- monotonicity side conditions ------------------------------------------------

MONOTONE = [
    # (what, lhs, rel, rhs, uses, when, status, pattern in certificate or reason)
    ("a negative common factor turns the inequality", -mu * f(c), "<=", -mu * f(a), ["order"], (),
     "proved", r"multiply by -μ ≤ 0 \(the inequality turns\)"),
    ("… and does not prove the unturned one", -mu * f(a), "<=", -mu * f(c), ["order"], (),
     "unknown", r"cannot show"),
    ("a positive common factor keeps it", mu * f(a), "<=", mu * f(c), ["order"], (),
     "proved", r"multiply by μ ≥ 0"),
    ("a common factor of unknown sign is refused", s * f(a), "<=", s * f(c), ["order"], (),
     "unknown", r"^the sign of the common factor s is not known$"),
    ("powers: base ≥ 0, exponent t ≥ 0", z**t, "<=", (z + 1)**t, [], (),
     "proved", r"powers with exponent t ≥ 0 of bases ≥ 0 keep the order"),
    ("powers: base of unknown sign refused", x**t, "<=", y**t, [], (Le(x, y),),
     "unknown", r"^the base x is not provably ≥ 0$"),
    ("powers: exponent of unknown sign refused", z**s, "<=", (z + 1)**s, [], (),
     "unknown", r"^the exponent s is not provably ≥ 0$"),
    ("powers: a negative exponent refused", z**(-t), "<=", (z + 1)**(-t), [], (),
     "unknown", r"exponent -t is not provably ≥ 0"),
    ("exp is increasing", exp(x), "<=", exp(y), [], (Le(x, y),), "proved", r"exp is increasing"),
    ("exp the wrong way", exp(y), "<=", exp(x), [], (Le(x, y),), "unknown", r"cannot show"),
    ("(1 − μ/L)ᵗ ≤ e^{−tμ/L} with the lemma", (1 - mu / L)**t, "<=", exp(-t * mu / L), ["exp_bound"], (),
     "proved", r"exp_bound\(μ/L\)"),
    ("… without the lemma", (1 - mu / L)**t, "<=", exp(-t * mu / L), [], (), "unknown", r"cannot show"),
]


@pytest.mark.parametrize("what, lhs, rel, rhs, uses, when, status, pattern", MONOTONE,
                         ids=[r[0] for r in MONOTONE])
def test_monotone_side_conditions(what, lhs, rel, rhs, uses, when, status, pattern):
    u = [use("exp_bound", mu / L) if n == "exp_bound" else use(n) for n in uses]
    v = verdict(lhs, rel, rhs, "monotone", u, when)
    assert v.status == status, (v.status, v.reason, v.lines)
    shown = "\n".join(v.lines) if status == "proved" else v.reason
    assert re.search(pattern, shown, re.M), shown


def test_monotone_does_not_prove_strict_steps():
    v = verdict(mu * f(a), "<", mu * f(c), "monotone", [use("order")])
    assert v.status == "unknown" and "monotonicity proves ≤ or ≥" in v.reason


# -- unrolling (induction) ---------------------------------------------------------

def r(k):
    return value_at("f", VectorSymbol(f"w_{{{k}}}")) - fstar


def unroll_verdict(q, claim=None, assume=True, establish=True, premise=None):
    """The unroll step r_t ≤ qᵗ·r_0, after a step that establishes r_{k+1} ≤ q·r_k."""
    b = Builder("unroll", "unroll")
    for var in WORLD.variables:
        b.variables.append(var)
    b.definitions.extend(WORLD.definitions)
    if assume:
        b.assume(Ge(L, mu))
    b.schema("H", lambda k: Le(r(k + 1), q * r(k)) if premise is None else premise(k))
    b.schema("contraction", lambda k: Le(r(k + 1), q * r(k)), kind="result")
    world = b.build()
    first = Step(r(t + 1), "<=", q * r(t), why("hypothesis", "", [use("H", t)],
                                              **({"establishes": "contraction", "at": (t,)} if establish else {})))
    claim = q**t * r(0) if claim is None else claim
    unroll = Step(r(t), "<=", claim, why("unroll", "", [use("contraction")], r=r, q=q, t=t))
    return derivation_verdicts(world, first, unroll)[-1]


UNROLL = [
    ("q = 1/2", dict(q=half), "cited", r""),
    ("q = 1 − μ/L with L ≥ μ", dict(q=1 - mu / L), "cited", r""),
    ("q = μ/L", dict(q=mu / L), "cited", r""),
    ("q ≥ 0 missing: q = μ − L with L ≥ μ", dict(q=mu - L), "unknown",
     r"^q = (μ - L|-L \+ μ) is not provably ≥ 0, and the induction needs it$"),
    ("q ≥ 0 missing: q = s of unknown sign", dict(q=s), "unknown", r"^q = s is not provably ≥ 0"),
    ("q ≥ 0 missing: L ≥ μ not assumed", dict(q=1 - mu / L, assume=False), "unknown",
     r"^q = 1 - μ/L is not provably ≥ 0"),
    ("premise never established", dict(q=half, establish=False), "unknown",
     r"^uses 'contraction', which no step above established$"),
    ("claim with exponent t + 1", dict(q=half, claim=half**(t + 1) * r(0)), "failed",
     r"^the step is not r\(t\) ≤ qᵗ·r\(0\): it differs by \S"),
    ("claim with r_1 for r_0", dict(q=half, claim=half**t * r(1)), "failed",
     r"^the step is not r\(t\) ≤ qᵗ·r\(0\): it differs by \S"),
]


@pytest.mark.parametrize("what, kw, status, pattern", UNROLL, ids=[u[0] for u in UNROLL])
def test_unroll(what, kw, status, pattern):
    v = unroll_verdict(**kw)
    assert v.status == status, (v.status, v.reason)
    if status == "cited":
        assert v.method == "lemma: unrolling"
        assert any(line.endswith("≥ 0 from the assumptions") for line in v.lines)
    else:
        assert re.search(pattern, v.reason), v.reason


# -- the exp_bound lemma ------------------------------------------------------------

def test_exp_bound_statement():
    assert LEMMAS["exp_bound"].kind == "lemma"
    assert LEMMAS["exp_bound"].instance(z) == Le(1 - z, exp(-z))


def test_exp_bound_own_proof():
    """φ(u) = e^{−u} − (1 − u) is convex with φ(0) = φ'(0) = 0, so φ ≥ 0 on ℝ."""
    u = Symbol("u", real=True)
    phi = exp(-u) - (1 - u)
    assert phi.subs(u, 0) == 0
    assert diff(phi, u).subs(u, 0) == 0
    assert diff(phi, u, 2).is_positive is True
    for k in range(-60, 61):
        value = k / 10
        assert math.exp(-value) >= 1 - value


EXP_BOUND = [
    ("at z = μ/L", 1 - mu / L, "<=", exp(-mu / L), mu / L, "cited", ""),
    ("at z = −x (any real z)", 1 + x, "<=", exp(x), -x, "cited", ""),
    ("the step at L/μ, the lemma at μ/L", 1 - mu / L, "<=", exp(-L / mu), mu / L, "failed", r"differ by \S"),
    ("reversed", 1 - mu / L, ">=", exp(-mu / L), mu / L, "failed", r"differ by \S"),
    ("strict from the weak lemma", 1 - mu / L, "<", exp(-mu / L), mu / L, "failed", r"gives a weak inequality"),
    ("dropped sign: 1 − z ≤ e^{z}", 1 - mu / L, "<=", exp(mu / L), mu / L, "failed", r"differ by \S"),
]


@pytest.mark.parametrize("what, lhs, rel, rhs, at, status, pattern", EXP_BOUND, ids=[e[0] for e in EXP_BOUND])
def test_exp_bound_instances(what, lhs, rel, rhs, at, status, pattern):
    v = verdict(lhs, rel, rhs, "lemma", [use("exp_bound", at)])
    assert v.status == status, (v.status, v.reason)
    if status == "cited":
        assert v.method == f"lemma: exp_bound({text(at)})"
    else:
        assert re.search(pattern, v.reason), v.reason


# -- theorem instantiation via stated properties ----------------------------------

def _rate(F, m, M):
    return Le(value_at(F, a) - value_at(F, c), (1 - m / M) * (value_at(F, v) - value_at(F, c)))


def _rate_needs(F, m, M):
    return (("property", "strongly convex", F, m), ("property", "smooth", F, M), m > 0, Ge(M, m))


def instantiate(args, world=WORLD):
    """Establish ``rate`` for f (from a hypothesis), then cite it at ``args``."""
    b = Builder("inst", "instantiation")
    b.variables.extend(world.variables)
    b.definitions.extend(world.definitions)
    b.assumptions.extend(world.assumptions)
    b.properties = list(world.properties)
    b.schema("given", lambda: _rate("f", mu, L))
    b.schema("rate", _rate, kind="result", obligations=_rate_needs)
    inst = b.build()
    proof = Step(_rate("f", mu, L).lhs, "<=", _rate("f", mu, L).rhs,
                 why("hypothesis", "", [use("given")], establishes="rate", at=("f", mu, L)))
    rel = _rate(*args)
    cite = Step(rel.lhs, "<=", rel.rhs, why("result", "", [use("rate", *args)]))
    return derivation_verdicts(inst, proof, cite)[-1]


INSTANCES = [
    ("the instance it was proved at", ("f", mu, L), "cited", ""),
    ("a smoothness constant not stated", ("f", mu, 2 * L), "unknown",
     r"^f smooth \(2·L\) is not among the hypotheses \(declared: f L-smooth\)$"),
    ("μ and L swapped", ("f", L, mu), "unknown", r"^f strongly convex \(L\) is not among the hypotheses"),
    ("a function with no stated properties", ("g", mu, L), "unknown",
     r"^g strongly convex \(μ\) is not among the hypotheses \(declared: g nothing\)$"),
    ("side condition m > 0 of unknown truth", ("h", s, L), "unknown",
     r"^side condition s > 0 does not follow from the assumptions$"),
    ("side condition m > 0 false", ("k", -mu, L), "unknown", r"^a side condition is false for rate\(k, -μ, L\): an argument is outside the domain"),
]


@pytest.mark.parametrize("what, args, status, pattern", INSTANCES, ids=[i[0] for i in INSTANCES])
def test_theorem_instantiation_checks_stated_properties(what, args, status, pattern):
    v = instantiate(args)
    assert v.status == status, (v.status, v.reason)
    if status == "cited":
        assert "f smooth (L): a stated hypothesis" in v.lines
    else:
        assert re.search(pattern, v.reason), v.reason


def test_side_condition_M_at_least_m_is_an_obligation():
    # h' is L-smooth and μ-strongly convex: cite with M = μ, m = L (both stated), L ≥ μ fails the other way.
    b = Builder("w2", "")
    b.variables.extend(WORLD.variables)
    b.definitions.extend(WORLD.definitions)
    b.assumptions.extend(WORLD.assumptions)
    b.property("smooth", "p", mu)
    b.property("strongly convex", "p", L)
    v = instantiate(("p", L, mu), world=b.build())
    assert v.status == "unknown"
    assert v.reason == "side condition μ ≥ L does not follow from the assumptions"


# -- chain composition ------------------------------------------------------------

COMPOSE = [
    (["=", "<="], "<="),
    (["<=", "="], "<="),
    (["<", "<="], "<"),
    (["<=", "=", "<"], "<"),
    (["=", "="], "="),
    ([">=", "=", ">"], ">"),
    ([">=", ">="], ">="),
    (["iff", "iff"], "iff"),
]


@pytest.mark.parametrize("rels, expected", COMPOSE, ids=[" ".join(c[0]) for c in COMPOSE])
def test_compose(rels, expected):
    assert compose(rels) == expected


COMPOSE_ERRORS = [
    (["<=", ">="], r"^a chain mixes ≤ and ≥ \(≤ ≥\); split it or flip one side$"),
    (["=", "<", ">"], r"^a chain mixes ≤ and ≥ \(= < >\); split it or flip one side$"),
    (["iff", "="], r"^a chain cannot mix ⟺ with =, ≤ or ≥$"),
    ([], r"^an empty chain has no relation$"),
]


@pytest.mark.parametrize("rels, message", COMPOSE_ERRORS, ids=[" ".join(c[0]) or "empty" for c in COMPOSE_ERRORS])
def test_compose_errors(rels, message):
    with pytest.raises(ChainError, match=message) as info:
        compose(rels)
    assert isinstance(info.value, InputError)


def test_a_chain_proves_its_composite_for_the_next_step():
    """a = b ≤ c < d gives a < d, which the next chain may use as `above`."""
    steps = (Step(f(a), "<=", f(c), why("hypothesis", "", [use("order")])),
             Step(None, "<", f(c) + mu, why("combination")),
             Step(f(a), "<", f(c) + mu, why("combination", "", [use("above")])))
    assert [v.status for v in derivation_verdicts(WORLD, *steps)] == ["cited", "proved", "proved"]
    weaker = replace(steps[2], rel="<=")
    assert derivation_verdicts(WORLD, *steps[:2], weaker)[-1].status == "proved"
    stronger = replace(steps[2], rhs=f(c) + mu / 2)
    assert derivation_verdicts(WORLD, *steps[:2], stronger)[-1].status == "unknown"


def test_a_chain_with_an_unproved_link_gives_nothing_to_the_next():
    steps = (Step(f(a), "<=", f(c), why("hypothesis", "", [use("order")])),
             Step(None, "<=", f(c) - mu, why("combination")),         # false
             Step(f(a), "<=", f(c) - mu, why("combination", "", [use("above")])))
    first, link, next_ = derivation_verdicts(WORLD, *steps)
    assert link.status == "unknown" and next_.status == "unknown"


# -- facts proved under a case condition must not outlive it ---------------------------
# Soundness bugs found while writing these tables, now fixed (derive/checks/__init__.py,
# inequality.instances, inequality._result_domain, inequality._unroll); each test
# asserts the sound outcome and pins the reason.

def test_above_keeps_the_case_condition_of_its_chain():
    """f(a) ≤ f(c) + x holds when x ≥ 0; for every real x it does not follow."""
    steps = (Step(f(a), "<=", f(c) + x, why("combination", "", [use("order")]), when=(Ge(x, 0),)),
             Step(f(a), "<=", f(c) + x, why("combination", "", [use("above")])))
    first, second = derivation_verdicts(WORLD, *steps)
    assert first.status == "proved"
    assert second.status == "unknown", (second.status, second.lines)
    assert second.reason == "the chain above holds only where x ≥ 0; this step does not assume it"


def test_above_is_available_to_a_step_under_the_same_case():
    steps = (Step(f(a), "<=", f(c) + x, why("combination", "", [use("order")]), when=(Ge(x, 0),)),
             Step(f(a), "<=", f(c) + x, why("combination", "", [use("above")]), when=(Ge(x, 0),)))
    assert [v.status for v in derivation_verdicts(WORLD, *steps)] == ["proved", "proved"]


def _established_then_cited(when_step=(), when_part=(), at_var=None):
    b = Builder("cond", "")
    b.variables.extend(WORLD.variables)
    big = b.var("σ", lower=5, lower_open=False) if at_var else None
    b.schema("P", lambda q: Ge(q, 5), kind="result", statement="q ≥ 5")
    world = b.build()
    arg = big if at_var else x
    proof = Step(arg, ">=", 5, why("sign", "", establishes="P", at=(arg,)), when=tuple(when_step))
    cite = Step(y, ">=", 5, why("result", "", [use("P", y)]))
    parts = (Part("p", "proof", (proof,), when=tuple(when_part)), Part("q", "use", (cite,)))
    return [r.verdict for r in check_derivation(replace(world, parts=parts))]


UNDER_A_CASE = r"^P is stated under a case condition; a citable result must hold without one$"
NOT_ESTABLISHED = r"^uses 'P', which no step above established$"
ESTABLISHED = [
    # (what, kw, status of the proof, its reason, reason of the citation)
    ("proved under the step's case x ≥ 5", dict(when_step=[Ge(x, 5)]), "unknown", UNDER_A_CASE,
     NOT_ESTABLISHED),
    ("proved under the part's case x ≥ 5", dict(when_part=[Ge(x, 5)]), "unknown", UNDER_A_CASE,
     NOT_ESTABLISHED),
    ("proved at a variable σ ∈ [5, ∞)", dict(at_var=True), "proved", None,
     r"^side condition y ≥ 5 does not follow from the assumptions$"),
]


@pytest.mark.parametrize("what, kw, proof_status, proof_reason, cite_reason", ESTABLISHED,
                         ids=[e[0] for e in ESTABLISHED])
def test_a_result_holds_only_where_it_was_proved(what, kw, proof_status, proof_reason, cite_reason):
    """`P(q): q ≥ 5` proved only where q ≥ 5, then cited at a real y: y ≥ 5 is false.
    A result stated under a case is not recorded at all; one proved at a variable
    with an interval is cited only inside that interval."""
    proof, cite = _established_then_cited(**kw)
    assert proof.status == proof_status, (proof.status, proof.reason)
    if proof_reason:
        assert re.search(proof_reason, proof.reason), proof.reason
    assert cite.status == "unknown", (cite.status, cite.method)
    assert re.search(cite_reason, cite.reason), cite.reason


def cite_result(statement, at, arg):
    """Establish ``statement`` (a one-argument result, proved by `sign`) at ``at``, cite it at ``arg``."""
    b = Builder("domain", "")
    b.variables.extend(WORLD.variables)
    b.assumptions.extend(WORLD.assumptions)
    b.schema("P", statement, kind="result")

    def step(q, kind, uses=(), **options):
        rel = statement(q)
        return Step(rel.lhs, {Ge: ">=", Le: "<="}[type(rel)], rel.rhs, why(kind, "", uses, **options))

    return derivation_verdicts(b.build(), step(at, "sign", establishes="P", at=(at,)),
                               step(arg, "result", [use("P", arg)]))


def _nonneg(q):
    return Ge(q, 0, evaluate=False)


def _below_L(m):
    return Ge(L - m, 0, evaluate=False)


FALSE_SIDE = r"^a side condition is false for .*: an argument is outside the domain the fact holds on$"
DOMAIN = [
    # (what, statement, established at, cited at, status, reason)
    ("t ∈ ℤ, t ≥ 0 → t + 1", _nonneg, t, t + 1, "cited", None),
    ("t ∈ ℤ, t ≥ 0 → a real z ≥ 0 (not an integer)", _nonneg, t, z, "unknown", FALSE_SIDE),
    ("t ∈ ℤ, t ≥ 0 → μ (not an integer)", _nonneg, t, mu, "unknown", FALSE_SIDE),
    ("t ∈ ℤ, t ≥ 0 → −1", _nonneg, t, S.NegativeOne, "unknown", FALSE_SIDE),
    ("t ∈ ℤ, t ≥ 0 → t − 1 (may be −1)", _nonneg, t, t - 1, "unknown",
     r"^side condition (t - 1|-1 \+ t) ≥ 0 does not follow from the assumptions$"),
    ("μ with L ≥ μ → μ/2 (L ≥ μ/2 follows)", _below_L, mu, mu / 2, "cited", None),
    ("μ with L ≥ μ → 2μ (L ≥ 2μ does not follow)", _below_L, mu, 2 * mu, "unknown",
     r"^side condition L ≥ 2·μ does not follow from the assumptions$"),
    ("μ > 0 → −μ", _below_L, mu, -mu, "unknown", FALSE_SIDE),
]


@pytest.mark.parametrize("what, statement, at, arg, status, reason", DOMAIN, ids=[d[0] for d in DOMAIN])
def test_a_result_is_cited_only_inside_its_domain(what, statement, at, arg, status, reason):
    """A result proved at variables holds for arguments in their intervals (and
    integrality), and under the assumptions that mention them (L ≥ μ); outside
    that domain it is not cited, whether or not the statement happens to hold there."""
    proof, cite = cite_result(statement, at, arg)
    assert proof.status == "proved", (proof.status, proof.reason)
    assert cite.status == status, (cite.status, cite.reason)
    if reason:
        assert re.search(reason, cite.reason), cite.reason
    else:
        assert cite.method == f"result: P({text(arg)})"


# A result established at something other than distinct free symbols (a number, an
# expression, a repeated variable) would be generalised to every argument: the
# engine refuses to establish it, so it can never be cited.
GENERALISED = [
    ("at the number 5, cited at y: y + x² ≥ 5 (false at x = y = 0)",
     lambda q: Ge(q + x**2, 5, evaluate=False), S(5), y),
    ("at z + 5 (≥ 5), cited at y: y ≥ 5 (false at y = 0)",
     lambda q: Ge(q, 5, evaluate=False), z + 5, y),
]


@pytest.mark.parametrize("what, statement, at, arg", GENERALISED, ids=[g[0] for g in GENERALISED])
def test_a_result_at_a_non_variable_is_not_generalised(what, statement, at, arg):
    proof, cite = cite_result(statement, at, arg)
    assert proof.status == "unknown", (proof.status, proof.reason)
    assert "must be established at distinct variables or points" in proof.reason
    assert cite.status not in NEVER, cite.method


def test_a_result_at_a_repeated_variable_is_not_generalised():
    """P(p, q): p − q + z ≥ 0 proved at (x, x) (it is z ≥ 0), cited at (x, y): false at x = z = 0, y = 1."""
    b = Builder("diag", "")
    b.variables.extend(WORLD.variables)
    b.schema("P", lambda p, q: Ge(p - q + z, 0, evaluate=False), kind="result")
    proof = Step(x - x + z, ">=", 0, why("sign", "", establishes="P", at=(x, x)))
    cite = Step(x - y + z, ">=", 0, why("result", "", [use("P", x, y)]))
    first, second = derivation_verdicts(b.build(), proof, cite)
    assert first.status == "unknown", (first.status, first.reason)
    assert "must be established at distinct variables or points" in first.reason
    assert second.status not in NEVER, second.method


def _late_contraction(**sigma):
    """A world with σ (an integer variable with the given interval) and r_{k+1} ≤ r_k/2 as a result."""
    b = Builder("late", "")
    b.variables.extend(WORLD.variables)
    b.definitions.extend(WORLD.definitions)
    var = b.var("σ", integer=True, **sigma)
    b.schema("contraction", lambda k: Le(r(k + 1), half * r(k)), kind="result")
    return b.build(), var


UNROLL_STEP = Step(r(t), "<=", half**t * r(0), why("unroll", "", [use("contraction")], r=r, q=half, t=t))
NOT_FROM_0 = "contraction must be established at one integer variable ranging over all k ≥ 0"


def test_unroll_needs_the_premise_for_every_k_from_0():
    """r_{k+1} ≤ r_k/2 proved only for k ≥ 5 (at a variable σ ≥ 5) must not unroll from r_0."""
    b = Builder("late", "")
    b.variables.extend(WORLD.variables)
    b.definitions.extend(WORLD.definitions)
    sigma = b.var("σ", lower=5, lower_open=False)
    b.schema("H", lambda k: Le(r(k + 1) + (k - 5), half * r(k)))
    b.schema("contraction", lambda k: Le(r(k + 1), half * r(k)), kind="result")
    world = b.build()
    proof = Step(r(sigma + 1), "<=", half * r(sigma),
                 why("combination", "", [use("H", sigma)], establishes="contraction", at=(sigma,)))
    first, second = derivation_verdicts(world, proof, UNROLL_STEP)
    assert first.status == "proved"
    assert second.status == "unknown", (second.status, second.lines)
    assert second.reason == NOT_FROM_0


UNROLL_DOMAINS = [
    ("σ ∈ ℤ, σ ≥ 5", dict(lower=5, lower_open=False)),
    ("σ ∈ ℤ, σ > 0 (k = 0 left out)", dict(lower=0, lower_open=True)),
    ("σ ∈ ℤ, 0 ≤ σ ≤ 10", dict(lower=0, lower_open=False, upper=10, upper_open=False)),
]


def _unroll_after(world, sigma):
    """The unroll step checked as if `contraction` had been established at σ.

    (The sign prover cannot yet prove a premise that needs σ's integer interval,
    so the record is made directly: this tests the unroll rule's own check.)"""
    part = Part("u", "unit", (UNROLL_STEP,))
    ledger = Ledger(established={"contraction": Established((sigma,), "u")})
    return step_verdict(replace(world, parts=(part,)), part, UNROLL_STEP, UNROLL_STEP.lhs, ledger)


@pytest.mark.parametrize("what, interval", [
    pytest.param(*UNROLL_DOMAINS[0], id=UNROLL_DOMAINS[0][0]),
    pytest.param(*UNROLL_DOMAINS[1], id=UNROLL_DOMAINS[1][0]),
    pytest.param(*UNROLL_DOMAINS[2], id=UNROLL_DOMAINS[2][0]),
])
def test_unroll_premise_at_an_integer_variable_must_cover_every_k(what, interval):
    world, sigma = _late_contraction(**interval)
    v = _unroll_after(world, sigma)
    assert v.status == "unknown", (v.status, v.lines)
    assert v.reason == NOT_FROM_0


def test_unroll_premise_at_t_itself_is_accepted():
    """The same record at t ∈ ℤ, t ≥ 0: the control for the table above."""
    world, _ = _late_contraction(lower=0, lower_open=False)
    assert _unroll_after(world, t).status == "cited"
