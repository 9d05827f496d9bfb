"""Derivatives by the sum and product rules down to SymPy's own diff at every other node."""

from __future__ import annotations

from sympy import Add, Mul, S


def differentiate(expr, variable_count):
    """``expr.diff(*variable_count)``, the same expression, computed faster.

    SymPy's diff wraps every node in ``Derivative.__new__``, which asks whether each
    partial result is zero (the assumption system, for sums of real terms the bulk of
    the cost) and walks the result again to put derivatives in canonical order. Sums
    and products are differentiated here by the sum and product rules, which is what
    ``Add._eval_derivative`` and ``Mul._eval_derivative`` do inside that wrapper; every
    other node (powers, functions, pieces, abstract functions, matrices) goes to SymPy.
    """
    if not all(v.is_Symbol and getattr(n, "is_Integer", False) and n >= 0
               for v, n in variable_count):
        return expr.diff(*variable_count)
    for v, n in variable_count:
        for _ in range(int(n)):
            expr = _d(expr, v)
    return expr


def _d(expr, v):
    if v not in expr.free_symbols:
        return S.Zero
    # Exactly Add and Mul: MatAdd and MatMul are subclasses with rules of their own.
    if type(expr) is Add:
        return Add(*[_d(a, v) for a in expr.args])
    if type(expr) is Mul and expr.is_commutative:
        args, terms = expr.args, []
        for i, a in enumerate(args):
            da = _d(a, v)
            if da != 0:
                terms.append(Mul(*args[:i], da, *args[i + 1:]))
        return Add(*terms)
    return expr.diff(v)
