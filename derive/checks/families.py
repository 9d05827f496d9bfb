"""Sampling indexed families: sizes to try, member values drawn to honour the facts about sums."""

from __future__ import annotations

from sympy import Eq, Indexed, IndexedBase, Integer, Sum, Symbol, sympify

from ..kernel.facts import gap as fact_gap
from ..kernel.families import Families, _in, _name, declared, in_case  # noqa: F401 - re-exported
from ..kernel.world import Interval, inside_interval
from .points import _draw


class World(Families):
    """A derivation's families, and how sampling draws them."""

    def __init__(self, derivation):
        super().__init__(derivation)
        self.exact = all(self._fact_sampled(f) for f in self.facts)
        # scalars an index fact names: a counterexample shows them, so it can be checked
        self.fact_symbols = {s for f in self.index_facts for s in f.free_symbols if s in self.vars}

    # -- sampling --------------------------------------------------------------------
    def sizes_in(self, case, *exprs) -> dict:
        """{the size's symbol in the case: (its name, the sizes to try)}."""
        from .instances import size_values
        used = set()
        for e in exprs:
            used |= sympify(e).free_symbols
        out = {}
        for s in sorted(self.size_symbols | self._limit_sizes(case, exprs), key=lambda s: s.name):
            here = in_case(case, s)
            if here.free_symbols & used or s in self._index_bounds():
                var = self.vars.get(s)
                if var is not None and here.is_Symbol:
                    # The case's interval: the step's and the part's conditions (n ≥ 2)
                    # have tightened the declared one.
                    out[here] = (str(s), size_values(case.intervals.get(s, var)))
        return out

    def _limit_sizes(self, case, exprs) -> set:
        """Declared integers in a sum's limits (the expressions may be in the case's symbols)."""
        found = set()
        for e in exprs:
            for node in sympify(e).atoms(Sum):
                for _, a, b in node.limits:
                    found |= a.free_symbols | b.free_symbols
        return {s for s, var in self.vars.items()
                if var.integer and (s in found or in_case(case, s) in found)}

    def draw(self, members, case, fixed, rng, corner=False, scalars=None):
        """Random values of every member needed (whole families, so facts can be met);
        ``corner``: each at 0 where its interval allows, else at a closed end. ``scalars``:
        the point's values of the case's symbols, which facts at each index may use."""
        values = {}
        by_family = {}
        for m in members:
            by_family.setdefault(_name(m.base), set()).add(m)
        for fact in self.index_facts:          # their families are drawn whole, to be met
            for m in fact.atoms(Indexed):
                by_family.setdefault(_name(m.base), set())
        for name, wanted in by_family.items():
            family = self.families.get(name)
            if family is None or family.definition:
                return None            # a defined family is never data
            lo = _in(case, family.lower).xreplace(fixed)
            hi = _in(case, family.upper).xreplace(fixed)
            if not (lo.is_Integer and hi.is_Integer):
                return None
            base = IndexedBase(Symbol(name))       # how sampled members are keyed
            keys = [base[Integer(k)] for k in range(int(lo), int(hi) + 1)] + \
                [m for m in wanted if not (lo <= m.indices[0] <= hi)]
            iv = Interval(family.low, family.high, family.low_open, family.high_open)
            for key in keys:
                value = _corner(iv) if corner else None
                value = _draw(iv, None, rng) if value is None else value
                if value is None:
                    return None
                values[key] = value
        for fact in self.facts:
            if not _meet(fact, values, case, fixed, self.families):
                return None            # a point that breaks a fact is no point at all
        if self.index_facts:
            moved = index_facts_met(self, values, case, fixed, scalars or {}, rng)
            if moved is None or (moved and self.facts):
                return None            # moved members may break Σ y_k = 1: not followed
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



def _corner(iv):
    """0 when the interval holds it, else its closed lower or upper end, else None."""
    if inside_interval(0, iv, None):
        return 0.0
    for end, is_open in ((iv.lower, iv.lower_open), (iv.upper, iv.upper_open)):
        if end is not None and not is_open:
            return float(end)
    return None


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


def index_facts_met(world, values, case, fixed, scalars, rng):
    """Whether a member was moved (True, False) once every fact at each index (a_{t+1} ≤
    a_t − η·g_t) holds at the drawn values, or None when one cannot be met. Each is met
    where it can be, in index order, by moving its member of greatest index (a_{t+1}: the
    data before it stay as drawn), then by shifting that member's whole family (a_T ≥ a⋆
    after the descent: a shift keeps every a_{t+1} − a_t); a point is kept only if then
    every fact holds at every index of its range, so a counterexample is one the
    assumptions allow."""
    import mpmath
    from .points import EXACT_DIGITS
    moved = False
    for repair in ("member", "family", None):
        for fact in world.index_facts:
            at = [v for v in fact.free_symbols if v in world.indices]
            t = at[0] if at else Symbol("unused")
            index = world.indices[t] if at else None
            lo, hi = (_in(case, e).xreplace(fixed) for e in (index.lower, index.upper)) \
                if at else (Integer(0), Integer(0))
            if not (lo.is_Integer and hi.is_Integer):
                return None
            gap = fact_gap(fact)[0]
            for k in range(int(lo), int(hi) + 1):
                here = _plain(_in(case, gap.xreplace({t: k})).xreplace(fixed).xreplace(scalars))
                members = here.atoms(Indexed)
                if any(m not in values for m in members) or \
                        here.free_symbols - members - {m.base.label for m in members}:
                    return None
                with mpmath.workdps(EXACT_DIGITS):
                    value = mpmath.mpf(sympify(here.xreplace(values)).evalf(EXACT_DIGITS))
                    if value > 0 or (value == 0 and fact.rel_op in (">=", "<=")):
                        continue
                    target = _last_member(here, values) if repair else None
                    if target is None:
                        return None
                    slope = mpmath.mpf(sympify(here.diff(target).xreplace(values)).evalf(EXACT_DIGITS))
                    step = (-value + rng.random()) / slope
                    family = world.families[_name(target.base)]
                    iv = Interval(family.low, family.high, family.low_open, family.high_open)
                    for m in [target] if repair == "member" else \
                            [m for m in values if _name(m.base) == _name(target.base)]:
                        values[m] = mpmath.mpf(values[m]) + step
                        if not inside_interval(float(values[m]), iv, None):
                            return None
                    moved = True
    return moved


def _last_member(gap, values):
    """The member of greatest index that the gap is linear in, with a nonzero slope."""
    for m in sorted(gap.atoms(Indexed), key=lambda m: -int(m.indices[0])):
        slope = gap.diff(m)
        if not slope.has(m) and slope.xreplace(values).is_nonzero:
            return m
    return None


def _plain(expr):
    """Members keyed by family name and integer index, as ``values`` keys them."""
    from .instances import _plain_members
    return _plain_members(expr)


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
