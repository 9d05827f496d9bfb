"""The world and helpers the inequality tests share."""

from __future__ import annotations
from dataclasses import replace
from sympy import Eq, Ge, Le, Rational
from derive.build import Builder, why
from derive.checks import check_derivation
from derive.kernel import World
from helpers import step_verdict
from derive.model import Part, Step
from derive.notation import VectorSymbol, grad_at, norm_sq, value_at


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
