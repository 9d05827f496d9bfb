"""Indexed families, their indices, sums and ∂/∂(σ²): the notation of n-term mathematics (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sympy import (Derivative, Expr, Indexed, IndexedBase, KroneckerDelta, Product, Sum,
                   Symbol, sympify)


class BoundIndex(Symbol):
    """The index a sum or product binds.

    Never equal to a declared symbol of the same name (a different class), so a
    free index i and the i of ``\\sum_i`` cannot be confused by substitution.
    """

    def __new__(cls, name):
        return Symbol.__new__(cls, name, integer=True)

    def __getnewargs_ex__(self):
        return (self.name,), {}


@dataclass(frozen=True)
class Family:
    """x_lower, …, x_upper: one real number per index, all in one interval.

    ``base[i]`` is the member x_i (a SymPy Indexed); ``lower``/``upper`` bound
    the index (numbers or expressions in declared integers such as n);
    ``low``/``high`` bound the values, as a scalar variable's interval does.
    """

    base: Any
    lower: Any
    upper: Any
    low: Any = None
    high: Any = None
    low_open: bool = True
    high_open: bool = True
    definition: Any = None          # (index symbol, body) for a defined family p_k := …
    vector: Any = None              # the vector (VectorSymbol) these are the coordinates of

    @property
    def name(self) -> str:
        return str(self.base.label)

    def __getitem__(self, index):
        return self.base[index]

    def describe(self) -> str:
        return f"{self.name}_{self.lower}, …, {self.name}_{self.upper}"


@dataclass(frozen=True)
class Index:
    """A declared index i ∈ {lower, …, upper}: free where it is not bound by a sum."""

    symbol: Any
    lower: Any
    upper: Any


def family_base(name: str, low=None, high=None, low_open=True, high_open=True):
    """The IndexedBase of a family whose values lie in the given interval."""
    assumptions = {"real": True}
    if low is not None and (low > 0 or (low == 0 and low_open)):
        assumptions = {"positive": True}
    elif low is not None and low >= 0:
        assumptions = {"nonnegative": True}
    return IndexedBase(Symbol(name), **assumptions)


def index_symbol(name: str, lower=1):
    """A free index: an integer, positive when its range starts at 1 or later."""
    lower = sympify(lower)
    if lower.is_number and lower >= 1:
        return Symbol(name, integer=True, positive=True)
    if lower.is_number and lower >= 0:
        return Symbol(name, integer=True, nonnegative=True)
    return Symbol(name, integer=True)


def limits_of(node):
    """(index, lower, upper) of a one-index Sum or Product."""
    (v, a, b), = node.limits
    return v, a, b


class DerivativeWrt(Expr):
    """∂F/∂g for a compound variable g = φ(v) such as σ²: F as a function of the
    quantity g, which is (∂F/∂v)/φ'(v) wherever φ'(v) ≠ 0 (φ is then locally
    invertible, so F depends on v through g alone near that point)."""

    is_commutative = True

    def __new__(cls, expr, compound, variable):
        return Expr.__new__(cls, sympify(expr), sympify(compound), sympify(variable))

    @property
    def expr(self):
        return self.args[0]

    @property
    def compound(self):
        return self.args[1]

    @property
    def variable(self):
        return self.args[2]

    def meaning(self):
        """(∂F/∂v, φ'(v)): the derivative is their quotient where φ'(v) ≠ 0."""
        return Derivative(self.expr, self.variable), self.compound.diff(self.variable)

    def _latex(self, printer, exp=None):
        wrt = printer._print(self.compound)
        if isinstance(self.expr, (Symbol, Indexed)):
            tex = r"\frac{\partial %s}{\partial %s}" % (printer._print(self.expr), wrt)
        else:
            tex = r"\frac{\partial}{\partial %s}\Bigl[%s\Bigr]" % (wrt, printer._print(self.expr))
        return tex if exp is None else r"\left(%s\right)^{%s}" % (tex, exp)

    def _sympystr(self, printer):
        wrt = printer._print(self.compound)
        if isinstance(self.expr, (Symbol, Indexed)):
            return f"∂{printer._print(self.expr)}/∂({wrt})"
        return f"∂/∂({wrt})[{printer._print(self.expr)}]"


def sums_in(expr):
    """Every Sum and Product node of ``expr``."""
    expr = sympify(expr)
    return [n for n in _preorder(expr) if isinstance(n, (Sum, Product))]


def uses_indexed(expr) -> bool:
    """True when ``expr`` holds a sum, a product, a family member, δ or ∂/∂(compound)."""
    return bool(sympify(expr).has(Sum, Product, Indexed, KroneckerDelta, DerivativeWrt))


def _preorder(expr):
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.args)


__all__ = ["BoundIndex", "Family", "Index", "DerivativeWrt", "family_base", "index_symbol",
           "limits_of", "sums_in", "uses_indexed"]
