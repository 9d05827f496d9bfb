"""Vectors and matrices in coordinates: ∇f and ∇²f of a formula, named matrices, explicit forms (no I/O)."""

from __future__ import annotations

from sympy import (Basic, Derivative, Determinant, Expr, ImmutableMatrix, Inverse, MatrixBase,
                   MatrixExpr, MatrixSymbol, Symbol, Trace, Tuple, sympify)


class Gradient(MatrixExpr):
    """∇f(point): the column of ∂f/∂x_k at the point, f given by its formula."""

    def __new__(cls, name, body, variables, point):
        return Basic.__new__(cls, Symbol(str(name)), sympify(body), Tuple(*variables), Tuple(*point))

    @property
    def shape(self):
        return (len(self.args[2]), 1)

    def _entry(self, i, j, **kwargs):
        _, body, variables, point = self.args
        return _at(Derivative(body, variables[i]), variables, point)

    def _latex(self, printer, exp=None):
        name, _, _, point = self.args
        return r"\nabla %s(%s)" % (printer._print(name), ", ".join(printer._print(p) for p in point))

    def _sympystr(self, printer):
        name, _, _, point = self.args
        return f"∇{name}({', '.join(printer._print(p) for p in point)})"


class Hessian(MatrixExpr):
    """∇²f(point): the matrix of ∂²f/∂x_j∂x_k at the point."""

    def __new__(cls, name, body, variables, point):
        return Basic.__new__(cls, Symbol(str(name)), sympify(body), Tuple(*variables), Tuple(*point))

    @property
    def shape(self):
        n = len(self.args[2])
        return (n, n)

    def _entry(self, i, j, **kwargs):
        _, body, variables, point = self.args
        return _at(Derivative(body, variables[i], variables[j]), variables, point)

    def _latex(self, printer, exp=None):
        name, _, _, point = self.args
        return r"\nabla^2 %s(%s)" % (printer._print(name), ", ".join(printer._print(p) for p in point))

    def _sympystr(self, printer):
        name, _, _, point = self.args
        return f"∇²{name}({', '.join(printer._print(p) for p in point)})"


class At(Expr):
    """``expr`` with ``variables`` set to ``point`` after its derivatives are carried out.

    SymPy's Subs would do, but Subs objects that differ only in their derivative
    compare equal (its canonical dummies), and applyfunc/xreplace then mix them up."""

    def __new__(cls, expr, variables, point):
        return Expr.__new__(cls, sympify(expr), Tuple(*variables), Tuple(*point))

    def value(self):
        expr, variables, point = self.args
        return expr.xreplace(dict(zip(variables, point)))

    def _latex(self, printer, exp=None):
        expr, variables, point = self.args
        where = ", ".join(f"{printer._print(v)} = {printer._print(p)}" for v, p in zip(variables, point))
        return "\\left. %s \\right|_{%s}" % (printer._print(expr), where)


def _at(derivative, variables, point):
    """A derivative (unevaluated: the checker gives it its chain-rule meaning) at a point."""
    if tuple(variables) == tuple(point):
        return derivative
    return At(derivative, tuple(variables), tuple(point))


def hessian(f, variables, point=None, name="f"):
    """∇²f as a matrix expression: ``hessian(x**2*y, (x, y))`` (at ``point``, default the
    variables themselves)."""
    variables = tuple(variables)
    return Hessian(name, f, variables, tuple(point) if point is not None else variables)


def gradient(f, variables, point=None, name="f"):
    """∇f as a column: ``gradient(x**2*y, (x, y))``."""
    variables = tuple(variables)
    return Gradient(name, f, variables, tuple(point) if point is not None else variables)


def is_matrix(expr) -> bool:
    return isinstance(expr, (MatrixBase, MatrixExpr))


def uses_matrices(expr) -> bool:
    expr = sympify(expr)
    return is_matrix(expr) or bool(expr.has(MatrixSymbol, Determinant, Trace, Inverse, Gradient,
                                            Hessian, ImmutableMatrix))


def explicit(expr, definitions=None):
    """Named matrices replaced by their entries, every matrix operation carried out; a
    1×1 matrix becomes its entry. ``definitions`` maps MatrixSymbol → matrix."""
    expr = sympify(expr)
    _invertible(expr, definitions)
    if definitions:
        for _ in range(len(definitions) + 1):
            if not expr.has(*definitions):
                break
            expr = expr.xreplace(definitions)
    if is_matrix(expr):
        value = expr.as_explicit() if isinstance(expr, MatrixExpr) else expr
        value = ImmutableMatrix(value.applyfunc(lambda e: _scalar(e)))
        return value[0, 0] if value.shape == (1, 1) else value
    return _scalar(expr)


def _invertible(expr, definitions):
    """Every A^{-1} in ``expr`` needs det A ≠ 0: provable from the symbols' own
    assumptions (a declared λ > 0 is positive), or the step is refused."""
    from .errors import UnsupportedStep
    from .printing import text
    for node in sympify(expr).atoms(Inverse):
        inner = explicit(node.arg, definitions)
        det = inner.det(method="berkowitz") if is_matrix(inner) else inner
        if det.is_nonzero is not True and det.factor().is_nonzero is not True:
            raise UnsupportedStep(f"the inverse of {text(node.arg)} needs det ≠ 0, and its "
                                  f"determinant {text(det)} may be 0")


def _scalar(expr):
    """A scalar whose matrix parts (det, tr, 1×1 products) are carried out."""
    expr = sympify(expr)
    if not expr.has(MatrixExpr, MatrixBase):
        return expr
    reps = {}
    for node in expr.atoms(Determinant, Trace):
        inner = explicit(node.args[0])
        reps[node] = inner.det(method="berkowitz") if isinstance(node, Determinant) else inner.trace()
    for node in _matrix_subterms(expr):
        value = explicit(node)
        if not is_matrix(value):
            reps[node] = value
    return expr.xreplace(reps) if reps else expr


def _matrix_subterms(expr):
    out = []
    for a in expr.args:
        if is_matrix(a) and getattr(a, "shape", None) == (1, 1):
            out.append(a)
        elif not is_matrix(a):
            out.extend(_matrix_subterms(a))
    return out


__all__ = ["At", "Gradient", "Hessian", "hessian", "gradient", "is_matrix", "uses_matrices", "explicit"]
