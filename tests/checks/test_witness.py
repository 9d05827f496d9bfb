"""Witnesses for abstract functions: a quadratic that meets the hypotheses and breaks the step."""

from __future__ import annotations

import pytest
from sympy import Eq, Ge, Le, Rational

from derive.build import Builder, use, why
from derive.checks.points import Context
from derive.checks.witness import quadratic_witness
from derive.notation import Inner, VectorSymbol, grad_at, norm_sq, value_at

F = "ℒ"


def L_(p):
    return value_at(F, p)


def g(p):
    return grad_at(F, p)


b = Builder("witness", "witness tables")
mu = b.var("μ", lower=0)
L = b.var("L", lower=0)
eta = b.var("η", lower=0)
b.assume(Ge(L, mu))
p, q, ws = b.vector("p"), b.vector("q"), b.vector("w*")
Lstar = b.define("ℒ*", L_(ws))
b.assume(Eq(g(ws), 0))
b.schema("sc", lambda a, c: Ge(L_(c), L_(a) + Inner(g(a), c - a) + mu / 2 * norm_sq(c - a)))
b.schema("smooth", lambda a, c: Le(L_(a), L_(c) + Inner(g(c), a - c) + L / 2 * norm_sq(a - c)))
b.schema("step", lambda: Le(eta * L, 1))
plus = b.define("p⁺", p - eta * g(p), vector=True)
WORLD = b.build()


def witness(lhs, rel, rhs, *uses):
    ctx = Context(WORLD, (), "a")
    from derive.kernel import Ledger
    from derive.kernel.facts import instances
    step = type("S", (), {"why": why("combination", uses=uses)})()
    facts = [(f.label, f.relation) for f in instances(ctx.world, step, Ledger())]
    return quadratic_witness(ctx, facts, lhs, rel, rhs, uses=uses)


half = Rational(1, 2)
PL = L_(p) - norm_sq(g(p)) / (2 * mu)
DESCENT = L_(p) - eta / 2 * norm_sq(g(p))

WRONG = [
    ("PL with 4μ", Lstar, ">=", L_(p) - norm_sq(g(p)) / (4 * mu), [use("sc", p, ws)]),
    ("descent by a full η", L_(plus), "<=", L_(p) - eta * norm_sq(g(p)), [use("smooth", plus, p), use("step")]),
    ("smoothness with L/4", L_(q), "<=", L_(p) + Inner(g(p), q - p) + L / 4 * norm_sq(q - p), [use("smooth", q, p)]),
    ("the minimum above a value", Lstar, ">=", L_(p), [use("sc", p, ws)]),
]


@pytest.mark.parametrize("what, lhs, rel, rhs, uses", WRONG, ids=[w[0] for w in WRONG])
def test_a_wrong_combination_has_a_quadratic_witness(what, lhs, rel, rhs, uses):
    found = witness(lhs, rel, rhs, *uses)
    assert found is not None
    assert "½⟨w, A w⟩ + ⟨b, w⟩" in found[f"{F}(w)"]
    a, b_ = Rational(found["lhs"]), Rational(found["rhs"])
    assert (a > b_) if rel in ("<=", "<") else (a < b_), found
    assert "hold at" in found.get("hypotheses", "hold at"), found


RIGHT = [
    ("PL", Lstar, ">=", PL, [use("sc", p, ws)]),
    ("the descent lemma", L_(plus), "<=", DESCENT, [use("smooth", plus, p), use("step")]),
    ("smoothness itself", L_(q), "<=", L_(p) + Inner(g(p), q - p) + L / 2 * norm_sq(q - p), [use("smooth", q, p)]),
    ("the minimum", Lstar, "<=", L_(p), [use("sc", p, ws)]),
]


@pytest.mark.parametrize("what, lhs, rel, rhs, uses", RIGHT, ids=[r[0] for r in RIGHT])
def test_a_right_step_has_no_witness(what, lhs, rel, rhs, uses):
    assert witness(lhs, rel, rhs, *uses) is None


def test_the_minimiser_is_the_quadratic_s_minimiser():
    found = witness(Lstar, ">=", L_(p), use("sc", p, ws))
    assert "the minimiser of ℒ" in found["w*"], found
