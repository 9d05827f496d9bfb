"""Numeric sampling at points that satisfy the assumptions: a falsifier, never a proof."""

from __future__ import annotations

import random

import mpmath
from sympy import Dummy, Heaviside, Piecewise, lambdify

from ..budget import attempt
from ..notation import Inner, ReLU
from .algebra import to_primitives

DIGITS = 30
FINE_DIGITS = 60
POINTS = 16
REL_TOL = mpmath.mpf("1e-18")
# A difference that survives at 60 digits at this relative size is real, not rounding.
FINE_TOL = mpmath.mpf("1e-45")


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
    lhs, rhs, grams = _gram_atoms(lhs, rhs)
    symbols = sorted(lhs.free_symbols | rhs.free_symbols, key=lambda s: s.name)
    value, err = attempt(budget, _run, lhs, rhs, rel, case, symbols, seed, points, grams)
    if err:
        return "none", "sampling ran out of time"
    return value


def _gram_atoms(lhs, rhs):
    """Replace each ⟨p, q⟩ by a symbol whose value comes from random vectors in ℝ³."""
    atoms = (lhs.atoms(Inner) | rhs.atoms(Inner))
    grams = {}
    for atom in atoms:
        grams[atom] = Dummy("G")
    return lhs.xreplace(grams), rhs.xreplace(grams), {g: atom.args for atom, g in grams.items()}


def _free_value(sym, rng):
    """A value for a symbol with no interval (a function's value, a constant)."""
    if sym.is_positive:
        return rng.uniform(0.1, 3.0)
    if sym.is_nonnegative:
        return rng.uniform(0.0, 3.0)
    return rng.uniform(-3.0, 3.0)


def _run(lhs, rhs, rel, case, symbols, seed, points, grams):
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
            if original is None:
                continue
            dummies = case.dummy_point(original)
            vectors = {}
            for g_sym, (p, q) in grams.items():
                for v in (p, q):
                    if v not in vectors:
                        vectors[v] = [rng.uniform(-2, 2) for _ in range(3)]
                dummies[g_sym] = sum(a * b for a, b in zip(vectors[p], vectors[q]))
            for sym in symbols:
                if sym not in dummies:
                    dummies[sym] = _free_value(sym, rng)
                    original[sym] = dummies[sym]
            raw = [dummies[s] for s in symbols]
            try:
                args = [mpmath.mpf(x) for x in raw]
                a, b = f(*args), g(*args)
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                continue
            if not (_finite_real(a) and _finite_real(b)):
                continue
            broken = _breaks(a, b, rel, REL_TOL)
            if a != b:
                # Every near-miss and every break is looked at again at 60 digits:
                # a true identity's residual shrinks with the precision, a rounding
                # artefact (1/y − 1 near y = 1) disappears, a real difference stays.
                with mpmath.workdps(FINE_DIGITS):
                    try:
                        fine = [mpmath.mpf(x) for x in raw]
                        a2, b2 = f(*fine), g(*fine)
                    except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                        continue
                    if not (_finite_real(a2) and _finite_real(b2)):
                        continue
                    if broken:
                        d30, d60 = mpmath.re(a - b), mpmath.re(a2 - b2)
                        stable = abs(d60 - d30) <= mpmath.mpf("1e-6") * abs(d60)
                        broken = stable and _breaks(a2, b2, rel, REL_TOL)
                    else:
                        broken = _breaks(a2, b2, rel, FINE_TOL)
                    if broken:
                        a, b = a2, b2
            if broken:
                point = {str(k): _fmt(v) for k, v in original.items()
                         if k in lhs.free_symbols | rhs.free_symbols or k in case.subs}
                point.update({str(v): "(" + ", ".join(_fmt(c) for c in comps) + ")"
                              for v, comps in vectors.items()})
                point.update(lhs=_fmt(a), rhs=_fmt(b), difference=mpmath.nstr(mpmath.re(a - b), 3))
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


def _breaks(a, b, rel, rel_tol) -> bool:
    a, b = mpmath.re(a), mpmath.re(b)
    tol = rel_tol * max(1, abs(a), abs(b))
    if rel == "=":
        return abs(a - b) > tol
    # Strict and weak inequalities are sampled alike: a point within the
    # tolerance of equality is no evidence either way.
    # ... except exact equality, which refutes a strict claim.
    if rel in ("<=", "<"):
        return a > b + tol or (rel == "<" and a == b)
    if rel in (">=", ">"):
        return a < b - tol or (rel == ">" and a == b)
    raise ValueError(rel)


def _fmt(x) -> str:
    if isinstance(x, int):
        return str(x)
    return mpmath.nstr(mpmath.re(x) if isinstance(x, mpmath.mpc) else x, 8)
