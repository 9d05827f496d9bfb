"""Numeric sampling at points that satisfy the assumptions: a falsifier, never a proof."""

from __future__ import annotations

import random

import mpmath
from sympy import Heaviside, Piecewise, lambdify

from ..budget import attempt
from ..notation import ReLU
from .algebra import to_primitives

DIGITS = 30
POINTS = 16
REL_TOL = mpmath.mpf("1e-18")


def _numeric(expr, symbols):
    expr = to_primitives(expr)
    expr = expr.replace(ReLU, lambda z: Piecewise((z, z > 0), (0, True)))
    expr = expr.replace(Heaviside, lambda z, *h: Piecewise((1, z > 0), (0, z < 0), (mpmath.nan, True)))
    return lambdify(symbols, expr, modules="mpmath")


def sample_relation(lhs, rhs, rel, case, seed=0, points=POINTS, budget=1.0):
    """Evaluate both sides at random points of ``case``.

    Returns ("counterexample", point) when the relation breaks at a point,
    ("held", n) with the number of points where it held, or ("none", why).
    """
    symbols = sorted(lhs.free_symbols | rhs.free_symbols, key=lambda s: s.name)
    value, err = attempt(budget, _run, lhs, rhs, rel, case, symbols, seed, points)
    if err:
        return "none", "sampling ran out of time"
    return value


def _run(lhs, rhs, rel, case, symbols, seed, points):
    try:
        f = _numeric(lhs, symbols)
        g = _numeric(rhs, symbols)
    except Exception as exc:    # an expression lambdify cannot translate
        return "none", f"cannot evaluate numerically ({type(exc).__name__})"
    rng = random.Random(seed)
    held = 0
    with mpmath.workdps(DIGITS):
        for _ in range(points * 3):
            if held >= points:
                break
            original = case.sample(rng)
            dummies = case.dummy_point(original)
            try:
                args = [mpmath.mpf(dummies[s]) if s in dummies else None for s in symbols]
                if any(a is None for a in args):
                    return "none", "a symbol has no sampling domain"
                a, b = f(*args), g(*args)
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                continue
            if not (_finite_real(a) and _finite_real(b)):
                continue
            if _breaks(a, b, rel):
                point = {str(k): _fmt(v) for k, v in original.items()}
                point.update(lhs=_fmt(a), rhs=_fmt(b))
                return "counterexample", point
            held += 1
    if held == 0:
        return "none", "no sample point where both sides are defined"
    return "held", held


def _finite_real(x) -> bool:
    if isinstance(x, mpmath.mpc):
        if abs(x.imag) > REL_TOL * max(1, abs(x.real)):
            return False
        x = x.real
    try:
        return mpmath.isfinite(x)
    except TypeError:
        return False


def _breaks(a, b, rel) -> bool:
    a, b = mpmath.re(a), mpmath.re(b)
    tol = REL_TOL * max(1, abs(a), abs(b))
    if rel == "=":
        return abs(a - b) > tol
    # Strict and weak inequalities are sampled alike: a point within the
    # tolerance of equality is no evidence either way.
    if rel in ("<=", "<"):
        return a > b + tol
    if rel in (">=", ">"):
        return a < b - tol
    raise ValueError(rel)


def _fmt(x) -> str:
    if isinstance(x, int):
        return str(x)
    return mpmath.nstr(mpmath.re(x) if isinstance(x, mpmath.mpc) else x, 8)
