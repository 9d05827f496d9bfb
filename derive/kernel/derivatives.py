"""Derivatives by the sum, product, power and chain rules down to SymPy's own diff elsewhere."""

from __future__ import annotations

from sympy import Add, Function, Mul, Pow, S, log, sympify
from sympy.core.function import AppliedUndef, ArgumentIndexError
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..errors import UnsupportedStep


def differentiate(expr, variable_count):
    """``expr.diff(*variable_count)``: the same derivative, computed faster.

    SymPy's diff wraps every node in ``Derivative.__new__``, which asks whether each
    partial result is zero (the assumption system: for sums of real terms most of the
    cost) and walks the result again to put derivatives in canonical order. Sums,
    products, powers and applications of functions that state their own derivative
    (``fdiff``: exp, log, σ, ReLU, ...) are differentiated here by the rules their
    ``_eval_derivative`` applies inside that wrapper; every other node (pieces, |·|,
    max, abstract functions, sums over an index, matrices) goes to SymPy.
    """
    for v, _ in variable_count:
        if getattr(v, "is_integer", False):
            # ∂/∂i for an integer i: nothing varies continuously (SymPy answers nan for
            # ∂a_i/∂i, and a second pass would turn that nan into 0).
            raise UnsupportedStep(f"∂/∂{v}: {v} is an integer, and a derivative needs a real variable")
    variable_count = [(v, sympify(n)) for v, n in variable_count]
    if _matrix(expr) or not all(v.is_Symbol and n.is_Integer and n >= 0 for v, n in variable_count):
        return expr.diff(*variable_count)
    for v, n in variable_count:
        for _ in range(int(n)):
            expr = _d(expr, v)
    return expr


def _d(expr, v):
    if expr is S.NaN:
        return expr                  # undefined stays undefined (nan has no free symbols)
    if v not in expr.free_symbols:
        return expr.diff(v) if _matrix(expr) else S.Zero     # a matrix's zero has its shape
    kind = type(expr)
    # Exact classes: MatAdd and MatMul are subclasses of Add and Mul with rules of their own.
    if kind is Add:
        return Add(*[_d(a, v) for a in expr.args])
    if kind is Mul and expr.is_commutative:
        args, terms = expr.args, []
        for i, a in enumerate(args):
            da = _d(a, v)
            if da != 0:
                terms.append(Mul(*args[:i], da, *args[i + 1:]))
        return Add(*terms)
    if kind is Pow:
        # Pow._eval_derivative: b^e·(e'·log b + b'·e/b); log b is not built when e' = 0.
        b, e = expr.args
        db, de = _d(b, v), _d(e, v)
        return expr * (db * e / b if de == 0 else de * log(b) + db * e / b)
    if _chain_rule(kind):
        # Function._eval_derivative: Σ_i f_i'(args)·arg_i'.
        terms = []
        for i, a in enumerate(expr.args, 1):
            da = _d(a, v)
            if da != 0:
                try:
                    terms.append(expr.fdiff(i) * da)
                except ArgumentIndexError:      # a derivative the class does not state
                    return expr.diff(v)
        return Add(*terms)
    return expr.diff(v)


def _chain_rule(kind) -> bool:
    """A function application differentiated by Function's own chain rule through the
    derivatives its class states (not an abstract f, which SymPy keeps as ∂f)."""
    return (issubclass(kind, Function) and not issubclass(kind, AppliedUndef)
            and kind._eval_derivative is Function._eval_derivative
            and kind.fdiff is not Function.fdiff)


def _matrix(expr) -> bool:
    return bool(getattr(expr, "is_Matrix", False)) or isinstance(expr, MatrixExpr)
