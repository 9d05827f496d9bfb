"""SymPy evaluations known to give wrong values, switched off: such a formula stays as written."""

from __future__ import annotations

from sympy import pi, tan

_TAN_EVAL = tan.eval.__func__


def _tan_eval(cls, arg):
    # SymPy 1.14 peels a multiple of π off tan's argument even when it is symbolic, and gets
    # the odd multiples of π/2 wrong: tan(x + π/2 + πk) for an integer k became tan(x) (it is
    # −cot x) and tan(π/2 + πk) became 0 (it is undefined), so false steps were proved
    # (review r13). With a symbolic multiple of π, tan is left unevaluated: nothing is lost
    # but a simplification.
    coefficient = arg.coeff(pi) if arg.has(pi) else 0
    if coefficient != 0 and not coefficient.is_Number:
        return None
    return _TAN_EVAL(cls, arg)


def install() -> bool:
    tan.eval = classmethod(_tan_eval)
    return True


INSTALLED = install()
