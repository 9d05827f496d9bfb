"""Numbers for the counterexample search: a float view of an expression, and a point's values
rounded, read back and printed."""

from __future__ import annotations

import math

import mpmath


def _floats(expr, symbols, precise):
    """``expr`` as a float function (math module); mpmath at 15 digits where math lacks one."""
    from sympy import DiracDelta, Heaviside, Ne, Piecewise, nan
    from ..expressions import evaluator, to_primitives
    e = to_primitives(expr)
    e = e.replace(Heaviside, lambda z, *h: Piecewise((1, z > 0), (0, z < 0), (nan, True)))
    e = e.replace(DiracDelta, lambda z, *k: Piecewise((0, Ne(z, 0)), (nan, True)))
    try:
        fast = evaluator(symbols, e, "math")
    except Exception:       # noqa: BLE001
        fast = None
    state = {"fast": fast}

    def call(*args):
        if state["fast"] is not None:
            try:
                return state["fast"](*args)
            except NameError:
                state["fast"] = None
        with mpmath.workdps(15):
            return precise(*[mpmath.mpf(a) for a in args])
    return call


def _relative(decided):
    a, b = mpmath.re(decided[1]), mpmath.re(decided[2])
    return float(abs(a - b) / (1 + abs(a) + abs(b)))


def _real(x):
    if isinstance(x, (complex, mpmath.mpc)):
        if x.imag != 0:
            raise ValueError("not real")
        return x.real
    return x


def _as_float(v):
    return float(v)


def _mp(v):
    if isinstance(v, mpmath.mpf):
        return v
    if isinstance(v, int):
        return mpmath.mpf(v)
    return mpmath.mpf(v)        # a float (exact) or a decimal string (to the working precision)


def _round(v, digits, coord):
    """``v`` to ``digits`` significant digits, as a decimal string (exact in mpmath)."""
    if coord.integer or isinstance(v, int):
        return v
    x = float(v)
    if x == 0 or not math.isfinite(x):
        return v
    return format(x, f".{digits}g")


def _text(v):
    if isinstance(v, int):
        return str(v)
    if isinstance(v, mpmath.mpf) and v == int(v) and abs(v) < 10 ** 15:
        return str(int(v))
    return mpmath.nstr(v, 8)
