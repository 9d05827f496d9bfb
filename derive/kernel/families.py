"""What a derivation declares about indexed families: sizes, indices, defined members, facts about sums."""

from __future__ import annotations

from sympy import Indexed, Sum, sympify

from ..indexed import BoundIndex, Family


def declared(derivation, key) -> tuple:
    """One kind of indexed declaration kept in the derivation's extra data."""
    return tuple(dict(derivation.extra).get(key, ()))


class Families:
    """The families, indices, sum facts and random variables one derivation declares."""

    def __init__(self, derivation):
        self.families = {f.name: f for f in declared(derivation, "families")}   # by name: SymPy's
        # doit() rebuilds an IndexedBase without its assumptions
        self.indices = {i.symbol: i for i in declared(derivation, "indices")}
        self.facts = declared(derivation, "sum facts")          # Eq(Σ …, value)
        self.index_facts = declared(derivation, "index facts")  # a_{t+1} ≤ a_t at each t
        self.vars = {v.symbol: v for v in derivation.variables}
        self.size_symbols = {s for s, v in self.vars.items() if v.integer and any(
            s in sympify(b).free_symbols for f in self.families.values() for b in (f.lower, f.upper)
        ) or s in self._index_bounds()}
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

def _rewrite(expr, cls, fn):
    from ..expressions import rewrite_bottom_up
    return rewrite_bottom_up(expr, (cls,), fn)


def _name(base) -> str:
    return str(getattr(base, "label", base))


def in_case(case, expr):
    """An expression written in the case's symbols (a size n ≥ 1 is a positive integer there)."""
    return sympify(expr).xreplace(case.subs)


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


__all__ = ["Families", "declared", "in_case"]
