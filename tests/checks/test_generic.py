"""A value at one generic point says an expression is not 0, or says nothing; never wrongly 'not 0'."""

from __future__ import annotations

import pytest
from sympy import Abs, Function, I, Rational, Symbol, cancel, exp, expand, log, pi, sqrt

from derive.checks.generic import nonzero
from derive.notation import Inner, VectorSymbol, value_at

x, y = Symbol("x", positive=True), Symbol("y", positive=True)
z = Symbol("z", real=True)
n = Symbol("n", integer=True)
k = Symbol("k", integer=True, nonnegative=True)
p, q = VectorSymbol("p"), VectorSymbol("q")
f = Function("f")

CASES = [
    # (what, expression, is it shown nonzero)
    ("a difference of symbols", x - y, True),
    ("a transcendental constant", pi - 3, True),
    ("opaque values are independent", value_at("ℒ", p) - value_at("ℒ", q), True),
    ("an undefined function's values too", f(x) - f(y), True),
    ("inner products", Inner(p, q) - Inner(p, p), True),
    ("an imaginary number", I, True),
    ("exp off by a factor", exp(x) - exp(x + 1) / 3, True),
    ("a tiny exact multiple", x - x * (1 + Rational(1, 10**50)), True),
    # Zero as functions, but not as written: never "nonzero".
    ("a cancelling fraction", (x**2 - 1) / (x - 1) - (x + 1), False),
    ("a square expanded", (x - y)**2 - x**2 + 2 * x * y - y**2, False),
    ("log of a product (x, y > 0)", log(x * y) - log(x) - log(y), False),
    ("a symbolic power", (1 - x) * (1 - x)**n - (1 - x)**(n + 1), False),
    ("exp of a sum", exp(x + y) - exp(x) * exp(y), False),
    ("a square root squared", sqrt(z**2) - Abs(z), False),
    ("an even power of −1 (n an integer)", (-1)**(2 * n) - 1, False),
    ("integer powers, k ≥ 0", 2**(k + 1) - 2 * 2**k, False),
    # Not decided: the point cannot tell, so it says nothing.
    ("|z| − z is 0 for z ≥ 0", Abs(z) - z, False),
    ("a rounded 0 in a denominator", 1 / ((x + 1)**2 - x**2 - 2 * x - 1), False),
]


@pytest.mark.parametrize("what, expr, expected", CASES, ids=[c[0] for c in CASES])
def test_a_generic_value_shows_nonzero_only_when_it_is(what, expr, expected):
    assert nonzero(expr) is expected


@pytest.mark.parametrize("expr", [
    # From the review of the speed commits: cancel runs factor_terms inside a call's
    # arguments, so these are 0 to it; nonzero must not claim otherwise.
    Function("g")(expand(1 / (Symbol("p", positive=True) + 1)
                         + Symbol("p", positive=True) / (Symbol("p", positive=True) + 1)))
    - Function("g")(1),
    Function("g")(Symbol("p", positive=True) * (Symbol("q", real=True) + 1))
    - Function("g")(Symbol("p", positive=True) * Symbol("q", real=True) + Symbol("p", positive=True)),
])
def test_nonzero_gives_up_on_calls_cancel_would_rewrite(expr):
    assert cancel(expr) == 0
    assert not nonzero(expr)
