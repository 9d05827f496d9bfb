"""The world and helpers the equality, sign, equivalence, sampling and budget tests share."""

from __future__ import annotations
from dataclasses import replace
from sympy import Rational
from derive.build import Builder, why
from helpers import verdict as _verdict
from derive.model import Part, Step
from derive.notation import ReLU, sigma


# One world for every table: x, v real; y in (0, 1); t > 0; w in (-1, 1).
_b = Builder("unit", "unit tables")
x = _b.var("x")
v = _b.var("v")
y = _b.var("y", lower=0, upper=1)
t = _b.var("t", lower=0)
w = _b.var("w", lower=-1, upper=1)
u = _b.define("u", v * ReLU(v * x))
yh = _b.define("ŷ", sigma(u))
h = _b.const("h")
BASE = _b.build()
half = Rational(1, 2)

NEVER = ("proved", "cited")            # what a hard or wrong case must never become


def derivation(*steps):
    """BASE with one part holding ``steps`` (lhs, rel, rhs, kind, when)."""
    built = tuple(Step(lhs, rel, rhs, why(kind), tuple(when)) for lhs, rel, rhs, kind, when in steps)
    part = Part("a", "unit", built)
    return replace(BASE, parts=(part,)), part


def verdict(lhs, rel, rhs, kind="algebra", when=()):
    return _verdict(BASE, lhs, rel, rhs, kind, when)


def assert_counterexample(vd, rel):
    """A numeric failure names the point and both sides' values, which break ``rel``."""
    ce = vd.counterexample
    assert isinstance(ce, dict) and {"lhs", "rhs"} <= ce.keys(), ce
    a, b = float(ce["lhs"]), float(ce["rhs"])
    if rel == "=":
        assert abs(a - b) > 1e-12 * max(1, abs(a), abs(b)), ce
    elif rel in ("<", "<="):
        assert a > b, ce
    else:
        assert a < b, ce
    assert set(ce) - {"lhs", "rhs"}, "the point itself is missing"
