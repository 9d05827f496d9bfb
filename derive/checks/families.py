"""What a derivation declares about indexed families: sizes, indices, member values, facts about sums."""

from __future__ import annotations

from sympy import Eq, Indexed, Integer, Sum, sympify

from ..indexed import BoundIndex, Family
from ..kernel.world import Interval
from .points import _draw


def declared(derivation, key) -> tuple:
    """One kind of indexed declaration kept in the derivation's extra data."""
    return tuple(dict(derivation.extra).get(key, ()))


class World:
    """The families, indices and sum facts of one derivation, for one step."""

    def __init__(self, derivation):
        self.families = {f.name: f for f in declared(derivation, "families")}   # by name: SymPy's
        # doit() rebuilds an IndexedBase without its assumptions
        self.indices = {i.symbol: i for i in declared(derivation, "indices")}
        self.facts = declared(derivation, "sum facts")          # Eq(Σ …, value)
        self.vars = {v.symbol: v for v in derivation.variables}
        self.size_symbols = {s for s, v in self.vars.items() if v.integer and any(
            s in sympify(b).free_symbols for f in self.families.values() for b in (f.lower, f.upper)
        ) or s in self._index_bounds()}
        self.exact = all(self._fact_sampled(f) for f in self.facts)
        from .expectation import Laws
        self.laws = Laws(derivation)

    def _index_bounds(self) -> set:
        out = set()
        for i in self.indices.values():
            out |= sympify(i.lower).free_symbols | sympify(i.upper).free_symbols
        return out

    # -- definitions of families (p_k := …) -------------------------------------------
    def expand_families(self, expr, stop=()):
        """Members of defined families replaced by their definitions (except families in
        ``stop``), each definition's own sums given fresh indices so none is captured."""
        stop = {_name(b) for b in stop}
        defined = {b: f for b, f in self.families.items() if f.definition and b not in stop}
        for _ in range(len(defined) + 1):
            members = [m for m in expr.atoms(Indexed) if _name(m.base) in defined]
            if not members:
                return expr
            expr = expr.xreplace({m: _instance(defined[_name(m.base)], m.indices[0]) for m in members})
        return expr

    # -- ⟨x, y⟩ in coordinates ----------------------------------------------------------
    def coordinates(self, expr):
        """⟨u, v⟩ of two vectors declared with coordinates over one range as Σ_k u_k v_k
        (so ‖x‖² = Σ_i x_i² links the dimension-free and the coordinate views)."""
        from sympy import Sum
        from ..notation import Inner
        coords = {f.vector: f for f in self.families.values() if f.vector is not None}
        if not coords or not expr.has(Inner):
            return expr

        def spell(node):
            u, v = node.args
            fu, fv = coords.get(u), coords.get(v)
            if fu is None or fv is None or (fu.lower, fu.upper) != (fv.lower, fv.upper):
                return None
            k = BoundIndex("k")
            return Sum(fu.base[k] * fv.base[k], (k, fu.lower, fu.upper))
        return _rewrite(expr, Inner, spell)

    # -- ranges for the normal form ------------------------------------------------
    def ranges(self, case) -> dict:
        """{free index (as in the case): (lower, upper)}."""
        return {i.symbol: (_in(case, i.lower), _in(case, i.upper)) for i in self.indices.values()}

    def raw_ranges(self) -> dict:
        """{free index: (lower, upper)} in the declared symbols."""
        return {i.symbol: (i.lower, i.upper) for i in self.indices.values()}

    def free_indices(self, case):
        return [(i.symbol, _in(case, i.lower), _in(case, i.upper)) for i in self.indices.values()]

    def name_of(self, sym) -> str:
        return str(sym)

    # -- sampling --------------------------------------------------------------------
    def sizes_in(self, case, *exprs) -> dict:
        """{the size's symbol in the case: (its name, the sizes to try)}."""
        from .instances import size_values
        used = set()
        for e in exprs:
            used |= sympify(e).free_symbols
        out = {}
        for s in sorted(self.size_symbols | self._limit_sizes(exprs), key=lambda s: s.name):
            here = in_case(case, s)
            if here.free_symbols & used or s in self._index_bounds():
                var = self.vars.get(s)
                if var is not None and here.is_Symbol:
                    out[here] = (str(s), size_values(var))
        return out

    def _limit_sizes(self, exprs) -> set:
        out = set()
        for e in exprs:
            for node in sympify(e).atoms(Sum):
                for _, a, b in node.limits:
                    out |= {s for s in (a.free_symbols | b.free_symbols)
                            if s in self.vars and self.vars[s].integer}
        return out

    def draw(self, members, case, fixed, rng):
        """Random values of every member needed (whole families, so facts can be met)."""
        values = {}
        by_family = {}
        for m in members:
            by_family.setdefault(_name(m.base), set()).add(m)
        for name, wanted in by_family.items():
            family = self.families.get(name)
            if family is None or family.definition:
                return None            # a defined family is never data
            lo = _in(case, family.lower).xreplace(fixed)
            hi = _in(case, family.upper).xreplace(fixed)
            if not (lo.is_Integer and hi.is_Integer):
                return None
            base = next(iter(wanted)).base
            keys = [base[Integer(k)] for k in range(int(lo), int(hi) + 1)] + \
                [m for m in wanted if not (lo <= m.indices[0] <= hi)]
            iv = Interval(family.low, family.high, family.low_open, family.high_open)
            for key in keys:
                value = _draw(iv, None, rng)
                if value is None:
                    return None
                values[key] = value
        for fact in self.facts:
            if not _meet(fact, values, case, fixed, self.families):
                return None            # a point that breaks a fact is no point at all
        return values

    def shown(self, data):
        """(family name, "(v₁, v₂, …)") for the counterexample."""
        import mpmath
        from .sampling import _fmt
        out = {}
        for member in sorted(data, key=lambda m: (str(m.base), int(m.indices[0]))):
            out.setdefault(str(member.base), []).append(_fmt(mpmath.mpf(data[member])))
        return [(name, "(" + ", ".join(vals) + ")") for name, vals in out.items()]

    def _fact_sampled(self, fact) -> bool:
        return _rescalable(fact, self.families) is not None


def _rewrite(expr, cls, fn):
    from ..expressions import rewrite_bottom_up
    return rewrite_bottom_up(expr, (cls,), fn)


def _name(base) -> str:
    return str(getattr(base, "label", base))


def in_case(case, expr):
    """An expression written in the case's symbols (sizes n ≥ 1 as positive integers)."""
    return sympify(expr).xreplace(case.subs).xreplace(getattr(case, "_positive_sizes", {}))


_in = in_case


def _instance(family: Family, index):
    """A defined family's body at ``index``, its bound indices renamed apart."""
    k, body = family.definition
    fresh = {}
    for node in body.atoms(Sum):
        for v, _, _ in node.limits:
            if isinstance(v, BoundIndex) and v not in fresh:
                fresh[v] = BoundIndex(f"{v.name}'{family.name}")
    return body.xreplace(fresh).xreplace({k: index})


def _rescalable(fact, families):
    """(family, c) for a fact Σ_{whole range} y_k = c > 0 over a nonnegative family."""
    if not isinstance(fact, Eq) or not isinstance(fact.lhs, Sum) or len(fact.lhs.limits) != 1:
        return None
    (v, a, b), = fact.lhs.limits
    body, c = fact.lhs.function, sympify(fact.rhs)
    if not (isinstance(body, Indexed) and body.indices[0] == v and c.is_Rational and c > 0):
        return None
    family = families.get(_name(body.base))
    if family is None or family.low is None or family.low < 0 or \
            (a, b) != (family.lower, family.upper) or family.high is not None and family.high < c:
        return None
    return family, c


def _meet(fact, values, case, fixed, families) -> bool:
    """Rescale a nonnegative family so that Σ y_k = c holds at the drawn values; False
    when no rescaling can (every y_k drawn 0)."""
    got = _rescalable(fact, families)
    if got is None:
        return True                    # not followed: World.exact is False, nothing is refuted
    family, c = got
    lo, hi = (_in(case, e).xreplace(fixed) for e in (family.lower, family.upper))
    members = [m for m in values if _name(m.base) == family.name and lo <= m.indices[0] <= hi]
    if not members:
        return True                    # the step does not involve this family
    import mpmath
    from .points import EXACT_DIGITS
    with mpmath.workdps(EXACT_DIGITS):         # exact at every precision sampling uses
        total = mpmath.fsum(mpmath.mpf(values[m]) for m in members)
        if total <= 0:
            return False
        for m in members:
            values[m] = mpmath.mpf(values[m]) * mpmath.mpf(int(sympify(c).p)) / int(sympify(c).q) / total
    return True


__all__ = ["World", "declared", "in_case"]
