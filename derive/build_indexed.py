"""The builder's part for n-term mathematics: indices, families, sums, facts about sums."""

from __future__ import annotations

from sympy import Eq, ImmutableMatrix as Matrix, MatrixSymbol, Product as _Product, Sum as _Sum, sympify

from .indexed import BoundIndex, DerivativeWrt, Family, Index, family_base, index_symbol


def _bind(expr, index):
    """``expr`` with the free index replaced by the bound index of the same name."""
    bound = BoundIndex(index.name)
    return sympify(expr).xreplace({index: bound}), bound


def Sum(expr, index, lower, upper):
    """Σ_{index=lower}^{upper} expr, unevaluated; the index is bound inside it."""
    body, bound = _bind(expr, index)
    return _Sum(body, (bound, lower, upper))     # unevaluated, it would print as 1·body


def Product(expr, index, lower, upper):
    """Π_{index=lower}^{upper} expr, unevaluated."""
    body, bound = _bind(expr, index)
    return _Product(body, (bound, lower, upper))


def D_wrt(expr, compound, variable):
    """∂expr/∂(compound), e.g. ``D_wrt(l, sigma**2, sigma)``: the derivative with respect
    to the quantity σ² as one variable."""
    return DerivativeWrt(expr, compound, variable)


class IndexedBuilder:
    """Mixed into Builder: ``b.index("i", 1, n)``, ``b.family("x", i)``, ``b.sum(x[i], i)``."""

    def _extra_add(self, key, value):
        current = dict(self.extra).get(key, ())
        self.extra = [kv for kv in self.extra if kv[0] != key]
        self.extra.append((key, current + (value,)))

    def _declared(self, key):
        return dict(self.extra).get(key, ())

    def index(self, name, lower, upper, latex=None):
        """A free index ranging over {lower, …, upper} (upper may be a declared integer n)."""
        sym = index_symbol(name, lower)
        self._extra_add("indices", Index(sym, sympify(lower), sympify(upper)))
        self._name(sym, latex)
        return sym

    def range_of(self, index):
        for i in self._declared("indices"):
            if i.symbol == index:
                return i.lower, i.upper
        raise KeyError(f"{index} is not a declared index: declare it with b.index(...)")

    def family(self, name, index, latex=None, lower=None, upper=None, lower_open=True,
               upper_open=True):
        """x_i for every i in the index's range, values in (lower, upper) (default ℝ);
        returns the family, so ``x[i]`` is a member."""
        first, last = self.range_of(index)
        base = family_base(name, lower, upper, lower_open, upper_open)
        self._extra_add("families", Family(base, first, last, lower, upper, lower_open, upper_open))
        if latex is not None:
            self.latex.append((base.label, latex))
        return base

    def define_family(self, name, index, body, latex=None):
        """p_k := body(k) for every k in the index's range: a defined family."""
        first, last = self.range_of(index)
        base = family_base(name)
        self._extra_add("families", Family(base, first, last, definition=(index, sympify(body))))
        if latex is not None:
            self.latex.append((base.label, latex))
        return base

    def sum(self, expr, index):
        """Σ over the index's declared range."""
        first, last = self.range_of(index)
        return Sum(expr, index, first, last)

    def matrix(self, name, value, latex=None):
        """A named matrix (a coordinate vector is n×1): ``x = b.matrix("x", Matrix([[x1], [x2]]))``;
        checks use its entries, printing its name."""
        from .matrices import explicit
        value = explicit(Matrix(value), dict(self._declared("matrices")))
        sym = MatrixSymbol(name, *value.shape)
        self._extra_add("matrices", (sym, value))
        self._name(sym, latex)
        return sym

    def random(self, name, latex=None, bernoulli=None):
        """A random variable: any law with finite moments of every order, or a Bernoulli(p)."""
        from .expectation import Law, RandomSymbol
        sym = RandomSymbol(name)
        law = Law(sym, "bernoulli", (sympify(bernoulli),)) if bernoulli is not None else Law(sym)
        self._extra_add("random", law)
        self._name(sym, latex)
        return sym

    def independent(self, *variables):
        """The random variables are mutually independent."""
        self._extra_add("independent", frozenset(variables))

    def fact(self, relation):
        """A fact about sums that holds throughout (Σ_k y_k = 1), or an inequality about
        members that holds at every value of at most one declared index (a_T ≥ a⋆;
        a_{t+1} ≤ a_t − η·g_t for t in 0..T − 1):
        kept apart from the scalar assumptions, whose case split knows nothing of sums."""
        from sympy import Sum
        if isinstance(relation, Eq):
            self._extra_add("sum facts", relation)
            return
        indices = {i.symbol for i in self._declared("indices")}
        if getattr(relation, "rel_op", None) not in ("<=", "<", ">=", ">") or \
                relation.has(Sum) or len(relation.free_symbols & indices) > 1:
            raise ValueError("a fact about sums is an equation, such as Σ_k y_k = 1; an "
                             "inequality about a family holds at each value of at most one "
                             "declared index, such as a_{t+1} ≤ a_t for t in {0, …, T − 1}")
        self._extra_add("index facts", relation)


__all__ = ["Sum", "Product", "D_wrt", "IndexedBuilder", "Matrix"]
