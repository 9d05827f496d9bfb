"""Multiplier certificates: nonnegative multiples of the facts, a remainder ≥ 0; unknown signs never assumed."""

from __future__ import annotations

import pytest
import re

from derive.build import use, why
from derive.checks.combinations import search
from derive.kernel.facts import Fact
from derive.kernel.inequalities import Premises, check_combination
from derive.notation import Inner, norm_sq
from derive.printing import text
from world_inequalities import (
    CTX, L, NEVER, WORLD, a, c, f, fstar, g, gw, mu, s, v, verdict, w, x, y)


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
