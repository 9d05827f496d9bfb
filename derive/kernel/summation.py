"""Finite sums in a normal form: linearity, constants out, closed forms, δ, index shifts, peeled ends.

Every rewrite is an identity of sums under Karr's convention (Σ_{i=a}^{b} with
b < a − 1 is −Σ_{i=b+1}^{a−1}), which is what SymPy's Sum means; it agrees with
the usual convention (such a sum is empty) whenever b ≥ a − 1, so callers check
that every sum the author wrote has b ≥ a − 1 for all admissible values of its
limits (``lengths_ok``) before they trust a proof made here.
"""

from __future__ import annotations

from sympy import (Add, Dummy, Eq, Indexed, KroneckerDelta, Mul, Piecewise, Poly, Pow, Product,
                   S, Sum, cancel, expand, log, preorder_traversal, product, roots, summation,
                   sympify)

from ..budget import attempt
from ..indexed import BoundIndex
from .gather import one_index
from .pairs import triangle

MAX_PEEL = 4         # terms split off either end of a sum to align it with another


def canonical_index(depth: int):
    """The name every sum at nesting depth ``depth`` binds in the normal form."""
    return BoundIndex(f"_k{depth}")


def normal_form(expr, ranges=None, nonzero=(), budget=0.5):
    """``expr`` with every sum and product in normal form, or None when over budget.

    ``ranges`` maps a free index (m) to its (lower, upper) range; ``nonzero``
    lists expressions known to be nonzero (q − 1 from a condition q ≠ 1), used to
    pick the branch of a closed form such as the geometric series.
    """
    rules = _Rules(dict(ranges or {}), tuple(sympify(e) for e in nonzero))
    value, err = attempt(budget, lambda: one_index(
        relevel(rules.combine(rules.normal(sympify(expr), 0)), 0)))
    return None if err else value


def is_zero(expr, ranges=None, nonzero=(), budget=0.5):
    """'sums' when the normal form of ``expr`` is 0 (sums as atoms cancel), else None."""
    form = normal_form(expr, ranges, nonzero, budget)
    if form is None:
        return None
    if form == 0:
        return "sums"
    atomic, _ = atomize(form)
    value, err = attempt(budget, lambda: cancel(atomic))
    return "sums" if not err and value == 0 else None


def defined(node, ranges) -> bool:
    """The one-index sum ``node`` has a value for every admissible value of its limits and
    of the free indices in ``ranges``: no term 1/0 or log 0 in its range."""
    k, a, b = node.limits[0]
    return _Rules(dict(ranges or {}), ())._defined(node.function, k, a, b)


def atomize(expr):
    """Each outermost sum and product replaced by a symbol that knows the sign its terms
    give it (a sum of positive terms is positive, of nonnegative ones nonnegative):
    (expression, {symbol: node}). Callers have checked that no sum has fewer than zero
    terms, so these signs hold."""
    nodes = sorted(_outermost(expr), key=lambda n: n.sort_key())
    table = {n: _atom(n) for n in nodes}
    return expr.xreplace(table), {v: k for k, v in table.items()}


def _outermost(expr) -> set:
    if isinstance(expr, (Sum, Product)):
        return {expr}
    out = set()
    for a in expr.args:
        out |= _outermost(a)
    return out


def _atom(node):
    """A symbol standing for one sum or product, with the sign its terms imply."""
    body, _ = atomize(node.function)
    if isinstance(node, Sum):
        (_, a, b), = node.limits[-1:]
        if body.is_positive and all((b - a).is_nonnegative for _, a, b in node.limits):
            return Dummy("S", positive=True)         # at least one positive term
        if body.is_nonnegative:
            return Dummy("S", nonnegative=True)
        if body.is_nonpositive:
            return Dummy("S", nonpositive=True)
    elif body.is_positive:
        return Dummy("P", positive=True)
    return Dummy("S", real=True) if body.is_extended_real else Dummy("S")


def lengths_ok(expr, nonnegative) -> list:
    """The sums of ``expr`` whose number of terms, b − a + 1, is not provably ≥ 0.

    ``nonnegative(e)`` decides e ≥ 0 from the declared ranges (True, or falsy).
    """
    bad, stack = [], [(sympify(expr), {}, ())]
    while stack:
        node, at, within = stack.pop()
        if not isinstance(node, (Sum, Product)):
            stack.extend((a, at, within) for a in node.args)
            continue
        # Inside Σ_{i=a}^{b} the summand is only taken at a ≤ i ≤ b: Σ_{j=1}^{i} there has
        # i ≥ 1 terms, Σ_{j=i}^{n} inside Σ_{i=1}^{n} has n − i + 1 ≥ 1 (b − a + 1 < 0 would
        # already be flagged for the outer sum; an empty one takes no summand).
        inner = dict(at)
        for v, a, b in reversed(node.limits):          # the last limit is the outermost
            length = b - a + 1
            if not (nonnegative(length.xreplace(inner)) or nonnegative(_least(length, within))):
                bad.append(node)
            stack.extend((e, inner, within) for e in (a, b))
            inner = {**inner, v: a.xreplace(inner) + Dummy("r", integer=True, nonnegative=True)}
            within = within + ((v, a, b),)
        stack.append((node.function, inner, within))
    return bad


def _least(e, within):
    """``e`` at its least over the enclosing indices, innermost first, each at the end of
    its range its slope points to; a term not affine in one keeps it (and proves nothing)."""
    for v, a, b in reversed(within):
        if not e.has(v):
            continue
        slope = e.diff(v)
        if not slope.is_number or e.diff(v, 2) != 0:
            return e
        e = e.xreplace({v: a if slope >= 0 else b})
    return e


class _Rules:
    """The rewrite rules, with what they may assume about free indices."""

    def __init__(self, ranges, nonzero):
        self.ranges, self.nonzero = ranges, nonzero

    vanishing = staticmethod(lambda expr, k: _vanishing(expr, k))   # for pairs.py, no import back

    # -- traversal ---------------------------------------------------------------
    def normal(self, expr, depth):
        if not expr.has(Sum, Product):
            return expr
        if isinstance(expr, Sum):
            return self.sum(expr, depth)
        if isinstance(expr, Product):
            return self.product(expr, depth)
        new = expr.func(*[self.normal(a, depth) for a in expr.args])
        return self.combine(new) if new.is_Add else new

    @staticmethod
    def _nest(node):
        """A sum over several indices as nested one-index sums (the first limit innermost)."""
        body = node.function
        for limit in node.limits[:-1]:
            body = node.func(body, limit)
        return body, node.limits[-1]

    def _body(self, node, depth):
        """(normal body, canonical index k, a, b) of a Σ or Π over k = a..b. Inside its body
        k lies in a..b (lengths_ok keeps Karr's reversed ranges out), so an inner
        Σ_j c_j·δ_{k,j} over a..b is c_k."""
        body, (v, a, b) = self._nest(node)
        k = canonical_index(depth)
        outer = self.ranges.get(k)
        self.ranges[k] = (a, b)
        try:
            body = self.combine(self.normal(body.xreplace({v: k}), depth + 1))
        finally:
            self.ranges.pop(k) if outer is None else self.ranges.__setitem__(k, outer)
        return body, k, a, b

    # -- sums ---------------------------------------------------------------------
    def sum(self, node, depth):
        body, k, a, b = self._body(node, depth)
        if not self._defined(body, k, a, b):
            return Sum(body, (k, a, b))
        out = []
        # Inner sums as signed symbols while expanding: log(e^{z}/Σ e^{z_j}) splits only
        # when SymPy knows Σ e^{z_j} > 0.
        atomic, back = atomize(body)
        for term in Add.make_args(expand(atomic).xreplace(back)):
            out.append(self._sum_term(term, k, a, b, depth))
        return Add(*out)

    def _sum_term(self, term, k, a, b, depth):
        if term == 0:
            return S.Zero
        reduced = self._delta(term, k, a, b)
        if reduced is not None:
            return reduced
        const, dep = term.as_independent(k, as_Add=False)
        if dep == 1:
            return const * (b - a + 1)
        if not dep.has(Indexed, Sum, Product) and not _has_opaque(dep, k):
            closed = summation(dep, (k, a, b))
            if not closed.has(Sum):
                return const * self._branch(closed)
        paired = triangle(self, dep, k, a, b, depth) if dep.has(Sum) else None
        return const * (paired if paired is not None else self._shifted(Sum(dep, (k, a, b))))

    def _delta(self, term, k, a, b):
        """Σ_k δ_{k,e} f(k) = f(e) when a ≤ e ≤ b is provable; 0 when e is provably outside."""
        for factor in Mul.make_args(term):
            if not isinstance(factor, KroneckerDelta):
                continue
            p, q = factor.args
            gap = p - q
            if not gap.has(k):
                continue
            coeff = gap.diff(k)
            if coeff not in (1, -1) or gap.diff(k, 2) != 0:
                continue
            e = -(gap - coeff * k) / coeff          # k = e
            rest = term / factor
            inside = self._le(a, e) and self._le(e, b)
            if inside:
                return rest.xreplace({k: e})
            if self._lt(e, a) or self._lt(b, e):
                return S.Zero
        return None

    def _shifted(self, node):
        """The sum shifted so that its family members read x_{k+c} with the least c = 0."""
        v, a, b = node.limits[0]
        offsets = []
        for member in node.function.atoms(Indexed):
            for index in member.indices:
                c = index - v
                if index.has(v) and c.is_Integer:
                    offsets.append(c)
        if not offsets:
            return node
        c0 = min(offsets)
        if c0 == 0:
            return node
        return Sum(node.function.xreplace({v: v - c0}), (v, a + c0, b + c0))

    def _branch(self, closed):
        """The branch of a closed form's Piecewise that the known facts select."""
        if not isinstance(closed, Piecewise):
            return closed
        for value, cond in closed.args:
            if cond is S.true or cond == True:  # noqa: E712 - SymPy's true
                return value
            if isinstance(cond, Eq) and self._known_nonzero(cond.lhs - cond.rhs):
                continue
            return closed
        return closed

    def _defined(self, body, k, a, b) -> bool:
        """No term divides by 0 (or takes log 0) at an integer k in a..b, for every admissible
        value of the limits. Otherwise the sum has no value, and SymPy's closed form (which
        steps over a pole inside the range) or a split into sums would give it one."""
        for zero in _vanishing(body, k):
            if zero.is_nonzero or zero.has(Indexed) or _has_opaque(zero, k):
                continue                # 1/x_k: where x_k ≠ 0, as every side is read
            if not zero.is_polynomial(k):
                return False
            found = roots(Poly(zero, k))
            if sum(found.values()) < Poly(zero, k).degree():
                return False            # roots not all found: no proof they are outside
            if not all(r.is_integer is False or self._lt(r, a) or self._lt(b, r) for r in found):
                return False
        return True

    def _le(self, x, y) -> bool:
        return self._nonneg(y - x)

    def _lt(self, x, y) -> bool:
        return self._nonneg(y - x - 1)          # indices are integers

    def _nonneg(self, e) -> bool:
        """e ≥ 0 for every value of the free indices in their ranges (e affine in each)."""
        e = cancel(e)
        for m, (lo, hi) in self.ranges.items():
            if not e.has(m):
                continue
            slope = e.diff(m)
            if slope.has(m) or not (slope.is_nonnegative or slope.is_nonpositive):
                return False
            e = cancel(e.xreplace({m: lo if slope.is_nonnegative else hi}))
        return bool(e.is_nonnegative)

    def _known_nonzero(self, e):
        if e.is_nonzero:
            return True
        return any(cancel(e - z) == 0 or cancel(e + z) == 0 for z in self.nonzero)

    # -- products ---------------------------------------------------------------------
    def product(self, node, depth):
        body, k, a, b = self._body(node, depth)
        if not self._defined(body, k, a, b):
            return Product(body, (k, a, b))
        const, dep = body.as_independent(k, as_Add=False)
        length = b - a + 1
        if dep == 1:
            return Pow(const, length)
        if not dep.has(Indexed, Sum, Product) and not _has_opaque(dep, k):
            closed = product(dep, (k, a, b))
            if not closed.has(Product):
                return Pow(const, length) * closed
        return Pow(const, length) * self._shifted_product(Product(dep, (k, a, b)))

    def _shifted_product(self, node):
        shifted = self._shifted(Sum(node.function, node.limits[0]))
        return Product(shifted.function, shifted.limits[0])

    # -- one level: align ranges, merge sums with the same range ------------------------
    def combine(self, expr):
        """Sums over ranges that differ by a few terms are aligned (their ends split off),
        so that equal sums become equal terms; each sum's summand is one product."""
        if not expr.has(Sum):
            return expr
        terms = Add.make_args(expand(expr, deep=False) if expr.is_Add or expr.is_Mul else expr)
        plain, sums = [], []
        for term in terms:
            const, rest = term.as_independent(Sum, as_Add=False)
            if isinstance(rest, Sum) and len(rest.limits) == 1:
                sums.append((const, rest))
            else:
                plain.append(term)
        if not sums:
            return expr
        sums = self._align(sums, plain)
        return Add(*plain, *[const * node for const, node in sums])

    def _align(self, sums, plain):
        """Split the ends off sums whose ranges differ by at most MAX_PEEL terms."""
        limits = [node.limits[0] for _, node in sums]
        lows = [a for _, a, _ in limits]
        highs = [b for _, _, b in limits]
        target_low = _extreme(lows, max)
        target_high = _extreme(highs, min)
        out = []
        for const, node in sums:
            v, a, b = node.limits[0]
            low = target_low.get(a, a)
            high = target_high.get(b, b)
            f = node.function
            for j in range(int(low - a)):
                plain.append(const * f.xreplace({v: a + j}))
            for j in range(int(b - high)):
                plain.append(const * f.xreplace({v: b - j}))
            out.append((const, Sum(f, (v, low, high))))
        return out


def relevel(expr, depth: int):
    """Every sum's index renamed after its nesting depth (the outermost ones: ``depth``)."""
    if not expr.has(Sum, Product):
        return expr
    if isinstance(expr, (Sum, Product)) and len(expr.limits) == 1:
        (v, a, b), = expr.limits
        k = canonical_index(depth)
        body = relevel(expr.function.xreplace({v: k}) if v != k else expr.function, depth + 1)
        return expr.func(body, (k, a, b))
    return expr.func(*[relevel(a, depth) for a in expr.args])


def _extreme(bounds, pick):
    """For each bound, the bound it should move to: the ``pick`` (max of lower ends,
    min of upper ends) among those it differs from by an integer of at most MAX_PEEL."""
    out = {}
    for e in bounds:
        group = [f for f in bounds if (f - e).is_Integer and abs(f - e) <= MAX_PEEL]
        out[e] = pick(group, key=lambda f: (f - e))
    return out


def _vanishing(expr, k) -> list:
    """What must not be 0 for ``expr`` to be defined at k: each base of a negative power
    and each argument of a log that depends on k."""
    out = []
    for node in preorder_traversal(expr):
        if isinstance(node, Pow) and node.exp.is_negative and node.base.has(k):
            out.append(node.base)
        elif isinstance(node, log) and node.args[0].has(k):
            out.append(node.args[0])
    return out


def _has_opaque(expr, k) -> bool:
    """A function of the index that no closed form covers (f(k) for an opaque f)."""
    from sympy import Function
    from sympy.core.function import AppliedUndef
    return any(isinstance(f, AppliedUndef) and f.has(k) for f in expr.atoms(Function))


__all__ = ["normal_form", "is_zero", "atomize", "lengths_ok", "canonical_index", "MAX_PEEL"]
