"""SymPy objects for the notation derivations use: σ, ReLU, vectors, ⟨a,b⟩."""

from __future__ import annotations

from sympy import (Add, Basic, Expr, Function, Heaviside, Max, Mul, Piecewise, S,
                   Symbol, exp, sympify)


class sigma(Function):
    """The logistic sigmoid σ(z) = 1/(1 + e^{-z})."""

    nargs = 1

    @classmethod
    def eval(cls, z):
        if z is S.Zero:
            return S.Half
        return None

    def fdiff(self, argindex=1):
        s = sigma(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return 1 / (1 + exp(-z))

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_is_positive(self):
        # σ maps the reals into (0, 1); no claim for complex arguments.
        return True if self.args[0].is_extended_real else None

    def _latex(self, printer, exp=None):
        tex = r"\sigma(%s)" % printer._print(self.args[0])
        return tex if exp is None else r"%s^{%s}" % (tex, exp)


class ReLU(Function):
    """ReLU(z) = max(0, z); its derivative is undefined at z = 0."""

    nargs = 1

    @classmethod
    def eval(cls, z):
        if z.is_positive:
            return z
        if z.is_nonpositive:
            return S.Zero
        return None

    def fdiff(self, argindex=1):
        # ReLU has no derivative at 0: Heaviside(0) is left undefined (NaN), not ½,
        # so nothing that depends on the value there can be proved.
        return Heaviside(self.args[0], S.NaN)

    def _eval_rewrite_as_Max(self, z, **kwargs):
        return Max(0, z)

    def _eval_rewrite_as_Piecewise(self, z, **kwargs):
        return Piecewise((z, z > 0), (0, True))

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_is_nonnegative(self):
        return True if self.args[0].is_extended_real else None

    def _latex(self, printer, exp=None):
        tex = r"\operatorname{ReLU}(%s)" % printer._print(self.args[0])
        return tex if exp is None else r"%s^{%s}" % (tex, exp)


class VectorSymbol(Symbol):
    """A vector in an inner-product space, dimension left open.

    Vectors only occur linearly, and only inside ⟨·,·⟩; a function's value at
    a point is a scalar symbol of its own (see ``value_at``).
    """


def linear_parts(expr) -> dict:
    """Split a linear vector expression into {VectorSymbol: scalar coefficient}."""
    expr = sympify(expr)
    parts: dict = {}
    for term in Add.make_args(expr.expand()):
        if term is S.Zero:
            continue
        factors = Mul.make_args(term)
        vectors = [f for f in factors if isinstance(f, VectorSymbol)]
        coeff = Mul(*[f for f in factors if not isinstance(f, VectorSymbol)])
        if len(vectors) != 1 or coeff.has(VectorSymbol):
            raise TypeError(f"not a linear vector expression: {expr}")
        vector = vectors[0]
        if vector.name == "0":
            continue
        parts[vector] = parts.get(vector, S.Zero) + coeff
    return {v: c for v, c in parts.items() if c != 0}


class Inner(Function):
    """⟨a, b⟩: bilinear and symmetric; ⟨a, a⟩ prints as ‖a‖²."""

    nargs = 2
    is_extended_real = True

    @classmethod
    def eval(cls, a, b):
        pa, pb = linear_parts(a), linear_parts(b)
        if not pa or not pb:
            return S.Zero
        if len(pa) == 1 and len(pb) == 1:
            (va, ca), = pa.items()
            (vb, cb), = pb.items()
            if ca == 1 and cb == 1:
                if va.sort_key() > vb.sort_key():
                    return cls(vb, va)
                if (a, b) != (va, vb):
                    return cls(va, vb)      # ⟨a, 0 + c⟩ is ⟨a, c⟩
                return None
        return Add(*[ca * cb * cls(va, vb)
                     for va, ca in pa.items() for vb, cb in pb.items()])

    def _eval_is_nonnegative(self):
        a, b = self.args
        return True if a == b else None

    def _latex(self, printer, exp=None):
        a, b = self.args
        if a == b:
            tex = r"\lVert %s\rVert^{2}" % printer._print(a)
            if exp is not None:
                tex = r"\left(%s\right)^{%s}" % (tex, exp)
            return tex
        tex = r"\langle %s, %s\rangle" % (printer._print(a), printer._print(b))
        return tex if exp is None else r"%s^{%s}" % (tex, exp)


def norm_sq(a) -> Expr:
    """‖a‖² = ⟨a, a⟩, expanded bilinearly."""
    return Inner(a, a)


ZERO = VectorSymbol("0")


def point_name(point) -> str:
    """The name a point goes by inside function-value symbols: w_t, 0, x − g/μ, ..."""
    if isinstance(point, Symbol):
        return point.name
    return str(sympify(point))


class _AtPoint:
    """A function's value (or gradient) at a point: a symbol named after the point that
    keeps the point itself, so the kernel can compare points by what they are
    (derive.kernel.points); two such symbols are equal when head and point are."""

    __slots__ = ()

    def __new__(cls, head, point, name=None, **assumptions):
        point = point if isinstance(point, (str, Basic)) else sympify(point)
        if name is None:
            prefix = "∇" if cls is PointGrad else ""
            name = f"{prefix}{head}({point_name(point)})"
        obj = Symbol.__xnew__(cls, name, **assumptions)
        obj.head, obj.point = head, point
        return obj

    def __getnewargs_ex__(self):
        # The name as written: a copy's point may come back evaluated (w − g/L as −g/L + w).
        return ((self.head, self.point, self.name), self._assumptions_orig)

    def _hashable_content(self):
        return Symbol._hashable_content(self) + (self.head, self.point)


class PointValue(_AtPoint, Symbol):
    """f(p): an opaque real scalar (see ``value_at``)."""

    __slots__ = ("head", "point")

    @classmethod
    def class_key(cls):
        return Symbol.class_key()          # ordered (and printed) as any symbol


class PointGrad(_AtPoint, VectorSymbol):
    """∇f(p): an opaque vector (see ``grad_at``)."""

    __slots__ = ("head", "point")

    @classmethod
    def class_key(cls):
        return VectorSymbol.class_key()


def value_at(f: str, point) -> Symbol:
    """f(point) as an opaque real scalar: ``value_at("ℒ", w)`` is the symbol ℒ(w).

    Points are names here, not algebra: ℒ(w_{t+1}) stays ℒ(w_{t+1}) even when
    w_{t+1} has a definition, so a hypothesis instantiated at w_{t+1} and a step
    written with ℒ(w_{t+1}) meet at the same symbol. The symbol keeps its point: the
    kernel compares points by meaning (w − η∇f(w) with η = 1/L is w − ∇f(w)/L).
    """
    return PointValue(f, point, real=True)


def grad_at(f: str, point) -> VectorSymbol:
    """∇f(point) as an opaque vector (see ``value_at``)."""
    return PointGrad(f, point)
