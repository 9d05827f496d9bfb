"""Random points inside a case: intervals, signs and dominance honoured, equations followed."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from sympy import Derivative, Dummy, Limit, sympify

from ..expressions import evaluator, rebuild, to_primitives
from ..kernel.world import inside_interval, relop, signed_interval, dependency_order

# Values fixed by equation conditions are computed well beyond the deepest sampling
# recheck (240 digits), so that a condition holds "exactly" at every precision used.
EXACT_DIGITS = 300


@dataclass(frozen=True)
class Plan:
    """How sampling honours a world's conditions.

    ``constraints``: (variable, expression of the others) from equation conditions;
    ``filters``: (op, gap) other conditions a point must satisfy; ``exact``: False
    when some condition cannot be followed, so no sampled point may refute or
    support a step.
    """

    constraints: tuple
    filters: tuple
    exact: bool
    families_exact: bool = True     # families drawn by families.World meet the index facts


def plan(world) -> Plan:
    key = ("sampling plan",)
    if key not in world.memo:
        world.memo[key] = _plan(world)
    return world.memo[key]


def _plan(world) -> Plan:
    constraints, exact = [], True
    for lhs, rhs in world.equations.items():
        if lhs in world.vars and rhs.free_symbols <= set(world.vars) - {lhs}:
            constraints.append((lhs, rhs))
        elif lhs in world.defs and rhs in world.vars and \
                rhs not in world.expand_defs(lhs).free_symbols:
            constraints.append((rhs, world.expand_defs(lhs)))
        else:
            # Sampling cannot stay on this condition's surface.
            exact = False
    targets = [var for var, _ in constraints]
    if len(targets) != len(set(targets)):
        exact = False     # two equations fix one variable: cannot follow both
    # Other conditions (ηL ≤ 1, t ≥ T) filter the sampled points; a proof may
    # ignore them (it then holds more widely), a counterexample may not.
    filters = []
    for fact in world.facts:
        op, lhs, rhs = relop(fact)
        if op is None:
            exact = False
            continue
        gap = rebuild(world.expand_defs(lhs - rhs))
        if gap.free_symbols <= _sampled(world) and not gap.has(Derivative, Limit):
            filters.append((op, gap))
        else:
            exact = False
    # An assumption at each index may bound scalars too — named (x ≤ g_t), through a
    # definition, or through its index's range (a_{t+1} ≥ a_t + 1 in [0, 3] bounds T): only
    # draws of the families, which meet such assumptions (checks/families.py), may refute.
    from ..kernel.families import declared
    bound = bool(declared(world.derivation, "index facts"))
    return Plan(tuple(constraints), tuple(filters), exact and not bound, exact)


@dataclass
class Region:
    """A case of a world as sampling sees it: the case's own fields, the conditions
    sampling must follow (``constraints``, ``filters``: ``dataclasses.replace`` adds
    more), and its points."""

    world: object
    case: object
    constraints: tuple = ()
    filters: tuple = ()
    exact: bool = True

    def __getattr__(self, name):
        if name.startswith("__") or name in ("world", "case"):
            raise AttributeError(name)
        return getattr(self.case, name)

    def sample(self, rng: random.Random, fixed=None):
        return sample(self.world, self.case, rng, self.filters, fixed)

    def dummy_point(self, point: dict) -> dict:
        return dummy_point(self.case, point)


class Context:
    """A step's world as searchers see it: its fields, its cases as Regions, and
    ``prepare`` (the kernel's meaning of an expression in one of them)."""

    def __init__(self, derivation_or_world, conditions=(), part=None):
        from ..kernel import World
        w = derivation_or_world
        self.world = w if isinstance(w, World) else World(w, tuple(conditions), part)
        self.cases = [region(self.world, c) for c in self.world.cases]

    def __getattr__(self, name):
        if name.startswith("__") or name == "world":
            raise AttributeError(name)
        return getattr(self.world, name)

    def prepare(self, expr, case, signs=False):
        from ..kernel.meaning import prepare
        return prepare(self.world, expr, getattr(case, "case", case), signs)

    @property
    def sampling_exact(self) -> bool:
        return plan(self.world).exact

def with_facts(world, case, facts):
    """The case's region with each fact a step uses as one more filter (a point where a
    used hypothesis breaks, ηL > 1 for `step: ηL ≤ 1`, refutes nothing); None when a fact
    cannot filter points (an equation, function values, vectors)."""
    from dataclasses import replace
    extra = []
    for fact in facts:
        op, lhs, rhs = relop(fact)
        if op is None:
            return None
        gap = rebuild(world.expand_defs(lhs - rhs))
        if not gap.free_symbols <= _sampled(world) or gap.has(Derivative, Limit):
            return None
        extra.append((op, gap))
    r = region(world, case)
    return replace(r, filters=r.filters + tuple(extra)) if extra else r


def region(world, case) -> Region:
    key = ("sampling region", case.label)
    if key not in world.memo:
        p = plan(world)
        world.memo[key] = Region(world, case, p.constraints, p.filters, p.exact)
    return world.memo[key]


def index_ranges(world) -> tuple:
    """(index, lower, upper) for each declared index (i ∈ {1, …, n}): an integer that
    points must draw inside its range, which may depend on the point's sizes."""
    if world is None:
        return ()
    key = ("index ranges",)
    if key not in world.memo:
        from ..kernel.families import declared
        world.memo[key] = tuple((i.symbol, sympify(i.lower), sympify(i.upper))
                                for i in declared(world.derivation, "indices")
                                if i.symbol not in world.vars)
    return world.memo[key]


def _sampled(world) -> set:
    """The symbols every point gives a value: the variables, and the declared indices
    (so a condition i < n filters points like n > 2 does)."""
    return set(world.vars) | {i for i, _, _ in index_ranges(world)}


def index_bounds(lower, upper, point):
    """The integers (lo, hi) an index may take at ``point``; None when a bound cannot be
    evaluated there. lo > hi: no index exists at this point."""
    from sympy import ceiling, floor

    def at(bound):
        # Exactly, at the point's sizes (integers): n − 1, 2n, n/2 all stay rational.
        value = bound.xreplace({s: sympify(point[s]) for s in bound.free_symbols if s in point})
        return value if value.is_number and value.is_real else None
    lo, hi = at(lower), at(upper)
    if lo is None or hi is None:
        return None
    return int(ceiling(lo)), int(floor(hi))


def sample(world, case, rng: random.Random, filters=None, fixed=None):
    """A random point (original symbol -> float) inside ``case``, or None. ``fixed``:
    values some symbols must take (sizes a sum is written out at), held to the same
    conditions as drawn ones."""
    p = plan(world)
    fixed = fixed or {}
    point = {}
    for sym, iv in case.intervals.items():
        if sym in fixed:
            point[sym] = fixed[sym]
            if not inside_interval(point[sym], iv, case.signs.get(sym)) or \
                    sym in case.at_end and point[sym] != case.at_end[sym]:
                return None
            continue
        if sym in case.at_end:
            point[sym] = float(case.at_end[sym])
            continue
        point[sym] = _draw(iv, case.signs.get(sym), rng)
        if point[sym] is None:
            return None
    for big in dependency_order(case.dominance):
        small, strict = case.dominance[big]
        point[big] = point[small] + rng.uniform(0.0 if not strict else 0.02, 3.0)
    # Equation conditions fix a variable from the others (v = 0; y = σ(v²x)).
    for var, expr in p.constraints:
        value = evaluate(expr, point)
        if value is None or not inside_interval(value, case.intervals[var], case.signs.get(var)):
            return None
        if case.intervals[var].integer and not float(value).is_integer():
            return None       # z = a with z ∈ ℤ: a point with a ∉ ℤ is outside the conditions
        point[var] = value
    for index, lower, upper in index_ranges(world):
        bounds = index_bounds(lower, upper, point)
        if bounds is None or bounds[0] > bounds[1]:
            if index in fixed:
                return None
            continue      # no such index here: a step that names it cannot use this point
        lo, hi = bounds
        if index in fixed:
            if not lo <= fixed[index] <= hi:
                return None
            point[index] = fixed[index]
            continue
        # Its ends half the time: i = n is where claims about an index are tight.
        edge = rng.random()
        point[index] = lo if edge < 0.25 else hi if edge < 0.5 else rng.randint(lo, hi)
    for op, gap in (p.filters if filters is None else filters):
        value = evaluate(gap, point)
        if value is None or not _holds_number(op, value):
            return None
    return point


def dummy_point(case, point: dict) -> dict:
    """Values of the case's fresh symbols that reproduce ``point`` (original symbols)."""
    import mpmath
    with mpmath.workdps(EXACT_DIGITS):    # arithmetic at the points' own precision
        out = {}
        for sym, value in point.items():
            rep = case.subs.get(sym)
            if rep is None:
                out[sym] = value          # a declared index: it is its own symbol in every case
                continue
            if sym in case.dominance:
                small = case.dominance[sym][0]
                gap, = rep.free_symbols - case.subs[small].free_symbols
                out[gap] = value - point[small]
                continue
            dummies = [d for d in rep.free_symbols if isinstance(d, Dummy)]
            if len(dummies) != 1:
                continue
            d, = dummies
            # Every replacement is affine in its Dummy: a + b·d.
            b = rep.diff(d)
            a = rep.xreplace({d: 0})
            out[d] = (value - _mp(a)) / _mp(b)
        return out


def _draw(iv, sign, rng: random.Random):
    if sign == 0:
        return 0.0
    if sign is not None:
        return _draw(signed_interval(iv, sign), None, rng)
    if iv.integer:
        return _draw_integer(iv, rng)
    # Sometimes a closed end or zero itself: where weak claims are most often false.
    edge = rng.random()
    if edge < 0.08 and iv.lower is not None and not iv.lower_open:
        return float(iv.lower)
    if edge > 0.92 and iv.upper is not None and not iv.upper_open:
        return float(iv.upper)
    if 0.45 < edge < 0.5 and \
            (iv.lower is None or iv.lower < 0 or (iv.lower == 0 and not iv.lower_open)) and \
            (iv.upper is None or iv.upper > 0 or (iv.upper == 0 and not iv.upper_open)):
        return 0.0
    lo = None if iv.lower is None else float(iv.lower)
    hi = None if iv.upper is None else float(iv.upper)
    if lo is not None and hi is not None:
        return lo + (hi - lo) * rng.uniform(0.02, 0.98)
    if lo is not None:
        return lo + rng.uniform(0.02, 4.0)
    if hi is not None:
        return hi - rng.uniform(0.02, 4.0)
    return rng.uniform(-3.0, 3.0)


def _draw_integer(iv, rng: random.Random):
    """An integer inside the interval (its ends included when closed)."""
    lo = None if iv.lower is None else (
        math.floor(iv.lower) + 1 if iv.lower_open else math.ceil(iv.lower))
    hi = None if iv.upper is None else (
        math.ceil(iv.upper) - 1 if iv.upper_open else math.floor(iv.upper))
    if lo is None and hi is None:
        lo, hi = -6, 6
    elif lo is None:
        lo = hi - 6
    elif hi is None:
        hi = lo + 6
    return rng.randint(lo, hi) if lo <= hi else None


def evaluate(expr, point):
    """``expr`` at ``point`` to EXACT_DIGITS digits, or None where it is not a finite real.

    Inputs are taken as exact (mpmath, not SymPy's evalf, which limits the
    result to the inputs' 15 digits), so the 60-digit recheck in sampling sees
    the condition hold exactly.
    """
    import mpmath
    from sympy import Max
    from ..notation import ReLU
    e = to_primitives(sympify(expr)).replace(ReLU, lambda z: Max(0, z))
    symbols = sorted(e.free_symbols, key=lambda s: s.name)
    if any(s not in point for s in symbols):
        return None
    try:
        f = evaluator(symbols, e, "mpmath")
        with mpmath.workdps(EXACT_DIGITS):
            value = f(*[mpmath.mpf(point[s]) for s in symbols])
            if isinstance(value, mpmath.mpc):
                if abs(value.imag) > mpmath.mpf(10) ** -70:
                    return None
                value = value.real
            value = mpmath.mpf(value)
            return value if mpmath.isfinite(value) else None
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, NameError):
        return None


def _mp(number):
    """A SymPy number as an exact-as-possible mpmath value (rationals stay exact)."""
    import mpmath
    number = sympify(number)
    if number.is_Rational:
        with mpmath.workdps(EXACT_DIGITS):
            return mpmath.mpf(int(number.p)) / int(number.q)
    return mpmath.mpf(float(number))


def _holds_number(op, value) -> bool:
    return {">": value > 0, ">=": value >= 0, "<": value < 0, "<=": value <= 0,
            "!=": value != 0}[op]
