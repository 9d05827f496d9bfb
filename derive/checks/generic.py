"""Cheap proofs that an expression is not identically 0: its value at one generic point."""

from __future__ import annotations

import zlib

import mpmath
from sympy import Abs, Add, Function, Mul, Pow, Symbol, exp, log
from sympy.core.function import AppliedUndef

DIGITS = 45
# A sum that cancels below this fraction of its terms' sizes may be an exact 0 rounded:
# it must not reach a denominator, a logarithm or an exponent.
WELL_CONDITIONED = mpmath.mpf(10) ** -12
# The value must stand this far above its rounding error (≈ 10^-43 of its terms' sizes).
CLEARLY = mpmath.mpf(10) ** -12
UNSUPPORTED = ("zero", "prime", "composite", "rational", "irrational", "algebraic",
               "transcendental", "infinite", "imaginary")


class _GiveUp(Exception):
    pass


def nonzero(expr) -> bool:
    """True only if ``expr`` is provably not the zero function, so ``cancel(expr)`` cannot
    be 0: its value at a point inside every symbol's assumptions (positive symbols
    positive, integers integers, ...) is far from 0 compared with its rounding error.
    Distinct opaque atoms (f(p), ⟨a, b⟩) get independent values, as cancel treats them.
    False means "don't know": anything not evaluated here (sums, Piecewise, …), a value
    that is undefined or too close to 0 at the point."""
    try:
        with mpmath.workdps(DIGITS):
            value, size = _eval(expr, {})
            return bool(mpmath.isfinite(size)) and abs(value) > CLEARLY * size
    except (_GiveUp, ZeroDivisionError, ValueError, TypeError, OverflowError):
        return False


def _atom(x):
    """A value in the atom's assumptions, fixed by its name (the same in every run)."""
    if x not in _ATOMS:
        if len(_ATOMS) > 4096:
            _ATOMS.clear()
        try:
            _ATOMS[x] = _choose(x)
        except _GiveUp:
            _ATOMS[x] = None
    if _ATOMS[x] is None:
        raise _GiveUp
    return _ATOMS[x]


_ATOMS: dict = {}
ASKED = UNSUPPORTED + ("integer", "even", "odd", "negative", "nonpositive")


def _choose(x):
    # A symbol's facts are all deduced when it is made (assumptions0); asking an
    # expression runs SymPy's assumption system, so its answers are kept per atom.
    facts = x.assumptions0 if isinstance(x, Symbol) else {a: getattr(x, f"is_{a}") for a in ASKED}
    kept = ("rational", "algebraic") if facts.get("integer") else ()   # true of every integer
    if not x.is_commutative or any(facts.get(a) for a in UNSUPPORTED if a not in kept):
        raise _GiveUp
    h = zlib.crc32(str(x).encode("utf-8"))
    sign = -1 if (facts.get("negative") or facts.get("nonpositive")) else 1
    if facts.get("integer"):
        n = 3 + 2 * (h % 5)                      # odd: 3 … 11
        return sign * (n + 1 if facts.get("even") else n)
    if facts.get("even") or facts.get("odd"):
        raise _GiveUp
    return sign * (mpmath.mpf(1) / 2 + mpmath.mpf(h % 100003) / 61129)


def _eval(e, memo):
    """(value, size): size bounds |value| and the terms it was computed from."""
    if e in memo:
        return memo[e]
    if e.is_Rational:
        v = mpmath.mpf(int(e.p)) / int(e.q)
        out = v, abs(v)
    elif e.is_Float:
        v = mpmath.mpf(e._mpf_)
        out = v, abs(v)
    elif isinstance(e, Symbol) or isinstance(e, AppliedUndef) or (
            isinstance(e, Function) and type(e).__name__ == "Inner"):
        if not isinstance(e, Symbol) and not all(a.is_Symbol or a.is_Number for a in e.args):
            # cancel rewrites a call's arguments (factor_terms): g(x(y + 1)) and g(xy + x) are
            # one value to it, two independent atoms here.
            raise _GiveUp
        v = _atom(e)
        out = v, abs(mpmath.mpf(v))
    elif e.is_Add:
        parts = [_eval(a, memo) for a in e.args]
        out = mpmath.fsum(p[0] for p in parts), mpmath.fsum(p[1] for p in parts)
    elif e.is_Mul:
        v, s = mpmath.mpf(1), mpmath.mpf(1)
        for a in e.args:
            av, as_ = _eval(a, memo)
            v, s = v * av, s * as_
        out = v, s
    elif isinstance(e, Pow):
        bv, bs = _eval(e.base, memo)
        if e.exp.is_Integer and e.exp >= 0:
            out = bv ** int(e.exp), bs ** int(e.exp)
        else:
            _conditioned(bv, bs)
            ev, es = _eval(e.exp, memo)
            if not e.exp.is_Integer:
                _conditioned(ev, es)
            v = bv ** (int(e.exp) if e.exp.is_Integer else ev)
            out = v, abs(v)
    elif isinstance(e, exp):
        xv, xs = _eval(e.args[0], memo)
        if xs > 10**6:
            raise _GiveUp
        v = mpmath.exp(xv)
        out = v, abs(v)
    elif isinstance(e, log) and len(e.args) == 1:
        xv, xs = _eval(e.args[0], memo)
        _conditioned(xv, xs)
        v = mpmath.log(xv)
        out = v, abs(v) + 1
    elif isinstance(e, Abs):
        xv, xs = _eval(e.args[0], memo)
        out = abs(xv), xs
    elif e.is_number and not e.has(Symbol) and e.is_finite:
        v = mpmath.mpmathify(e.evalf(DIGITS))
        out = v, abs(v)
    else:
        raise _GiveUp
    memo[e] = out
    return out


def _conditioned(value, size):
    """Refuse to divide by (or take the logarithm of) what may be a rounded 0."""
    if not abs(value) > WELL_CONDITIONED * size:
        raise _GiveUp
