"""Sampling a step with sums at small sizes (n ∈ {1, 2, 3, 5, 8}) and random data: refutes, never proves."""

from __future__ import annotations

import itertools
import math
import random

import mpmath
from sympy import Add, Dummy, Indexed, Integer, Mul, Product, S, Sum, ceiling, floor, sympify

from ..budget import attempt
from .sampling import DIGITS, _decide, _fmt, _numeric

SIZES = (1, 2, 3, 5, 8)
POINTS_PER_SIZE = 3
MOST_INDEX_VALUES = 4096       # assignments of the indices looked through for their ends


def size_values(var) -> tuple:
    """The sizes tried for an integer with this interval (a declaration, or a case's):
    1, 2, 3, 5, 8 inside it (0 too when it may be 0), its least value always first and
    its greatest last, as claims about n ≥ 4 are tightest at n = 4."""
    lo = var.lower if var.lower is not None else 0
    least = math.floor(lo) + 1 if var.lower_open else math.ceil(lo)
    out = [max(least, 0)] + [s for s in SIZES if s > max(least, 0)]
    out += [least + d for d in (1, 2, 4, 7) if least + d > out[-1]][:max(0, 3 - len(out))]
    if var.upper is not None:
        most = math.ceil(var.upper) - 1 if var.upper_open else math.floor(var.upper)
        out = [s for s in out if s <= most]
        if most >= max(least, 0) and most not in out[:5]:
            out = out[:5] + [most]        # and its greatest: n ≤ 4 is tightest at n = 4
    return tuple(out[:6])


def sample_instances(lhs, rhs, rel, case, world, seed=0, budget=1.5):
    """("counterexample", point), ("held", count) or ("none", why) for ``lhs rel rhs``
    prepared in ``case``; ``world`` says which symbols are sizes, indices and families."""
    value, err = attempt(budget, _run, sympify(lhs), sympify(rhs), rel, case, world, seed)
    if err:
        return "none", "sampling at small sizes ran out of time"
    return value


def _run(lhs, rhs, rel, case, world, seed):
    rng, ends_rng = random.Random(seed), random.Random(seed + 1)
    sizes = world.sizes_in(case, lhs, rhs)          # {symbol in the case: (name, values)}
    if not sizes:
        return "none", "no size to instantiate"
    held = 0
    together = max(len(v) for _, v in sizes.values())
    # Sizes vary together in the first rounds, then apart (n small while K is large, and
    # the reverse: Σ_{k≤n} [k = r] with r ≤ K breaks only there).
    rounds = together + (together if len(sizes) > 1 else 0)
    for round_ in range(rounds):
        chosen, t = {}, round_ % together
        for j, (sym, (name, values)) in enumerate(sizes.items()):
            if round_ < together or j == 0:
                chosen[sym] = values[t % len(values)]
            elif j == 1:
                chosen[sym] = values[-1 - t % len(values)]
            else:
                chosen[sym] = rng.choice(values)
        instance = _instance(lhs, rhs, case, world, chosen, rng)
        # Then the indices at the ends of their allowed ranges (i = 1 at n = 2 may be the
        # one instance that breaks), with points from their own generator: the random
        # instances above are drawn exactly as before.
        tries = [(instance, rng)] if instance is not None else []
        drawn = instance and {i: instance["fixed"][i] for i, _, _ in world.free_indices(case)}
        for ends in index_ends(case, world, chosen, lhs.free_symbols | rhs.free_symbols):
            if ends != drawn:
                tries.append((_instance(lhs, rhs, case, world, chosen, rng, ends), ends_rng))
        for instance, draw in tries:
            if instance is None:
                continue
            # The random points, then one with the data at 0 (or its closed end): where
            # Σ (x_i² + 1) ≥ n + 1 breaks, which random data in (−3, 3) seldom reach.
            for k in range(POINTS_PER_SIZE + 1):
                outcome = _point(instance, rel, case, world, chosen, sizes, draw,
                                 k == POINTS_PER_SIZE)
                if outcome is None:
                    continue
                if outcome[0] == "counterexample":
                    return outcome
                held += 1
    if held == 0:
        return "none", "no instance where both sides are defined"
    return "held", held


def index_ends(case, world, chosen, used) -> list:
    """Assignments {index: value} of the declared indices at the chosen sizes: for each
    index the step names, one where it is least and one where it is greatest among the
    values the conditions on sizes and indices allow (i < n: i = n − 1 is its end)."""
    fixed = {sym: Integer(v) for sym, v in chosen.items()}
    ranges = []
    for index, lo, hi in world.free_indices(case):
        a, b = ceiling(sympify(lo).xreplace(fixed)), floor(sympify(hi).xreplace(fixed))
        if not (a.is_Integer and b.is_Integer) or a > b:
            return []
        ranges.append((index, int(a), int(b)))
    indices = [i for i, _, _ in ranges]
    if not set(indices) & used:
        return []
    if math.prod(b - a + 1 for _, a, b in ranges) > MOST_INDEX_VALUES:
        # Too many to filter: every index at its lower, then its upper end (the
        # points still drop those the conditions exclude).
        return [{i: Integer(r[k]) for i, *r in ranges} for k in (0, 1)]
    names = {case.subs[s]: s for s in case.intervals if case.subs.get(s) in fixed}
    at = {names[h]: v for h, v in fixed.items() if h in names}
    known = set(at) | set(indices)
    tests = [(op, g) for op, g in ((op, sympify(gap)) for op, gap in getattr(case, "filters", ()))
             if g.free_symbols <= known and g.free_symbols & set(indices)]
    allowed = []
    for values in itertools.product(*(range(a, b + 1) for _, a, b in ranges)):
        point = {**at, **dict(zip(indices, map(Integer, values)))}
        if all(_may_hold(op, g.xreplace(point)) for op, g in tests):
            allowed.append(values)
    out = []
    for j, index in enumerate(indices):
        for pick in (min, max) if index in used and allowed else ():
            assignment = dict(zip(indices, map(Integer, pick(allowed, key=lambda v: v[j]))))
            if assignment not in out:
                out.append(assignment)
    return out


def _may_hold(op, value) -> bool:
    """False only when the condition's gap is a number that breaks it."""
    if not (value.is_number and value.is_comparable):
        return True
    return {">": value > 0, ">=": value >= 0, "<": value < 0, "<=": value <= 0,
            "!=": value != 0}[op]


def _instance(lhs, rhs, case, world, chosen, rng, indices=None):
    """Both sides at the chosen sizes and free indices (``indices``, else drawn at
    random), sums written out, as numeric functions of the members and the case's symbols."""
    fixed = {sym: Integer(v) for sym, v in chosen.items()}
    if indices is not None:
        fixed.update(indices)
    for index, lo, hi in world.free_indices(case) if indices is None else ():
        a = int(sympify(lo).xreplace(fixed))
        b = int(sympify(hi).xreplace(fixed))
        if a > b:
            return None
        fixed[index] = Integer(rng.randint(a, b))
    try:
        written = [e.xreplace(fixed) for e in (lhs, rhs)]
        if any(_negative_length(e) for e in written):
            return None    # Σ_{i=3}^{n} at n = 1: not a sum of terms, no instance of the claim
        sides = [_plain_members(_finite(e)) for e in written]
    except (TypeError, ValueError, ZeroDivisionError, RecursionError):
        return None
    members = sorted(set().union(*[s.atoms(Indexed) for s in sides]), key=lambda m: m.sort_key())
    names = {m: Dummy(str(m)) for m in members}
    sides = [s.xreplace(names) for s in sides]
    symbols = sorted(set().union(*[s.free_symbols for s in sides]), key=lambda s: s.name)
    try:
        f, g = (_numeric(s, symbols) for s in sides)
    except Exception:                      # noqa: BLE001 - lambdify cannot translate it
        return None
    return dict(fixed=fixed, members=members, names=names, symbols=symbols, f=f, g=g,
                used=lhs.free_symbols | rhs.free_symbols)


def _point(inst, rel, case, world, chosen, sizes, rng, corner=False):
    # The sizes and indices the sums were written out at are the point's own, so the
    # step's conditions (n ≥ 2, n ≥ k) are checked at them, not at other values.
    named = {case.subs[s]: s for s in case.intervals if case.subs.get(s) in chosen}
    pinned = {named[h]: int(v) for h, v in chosen.items() if h in named}
    pinned.update({i: int(inst["fixed"][i]) for i, _, _ in world.free_indices(case)
                   if i in inst["fixed"]})
    original = case.sample(rng, pinned)
    if original is None:
        return None
    dummies = case.dummy_point(original)
    data = world.draw(inst["members"], case, inst["fixed"], rng, corner, dummies)
    if data is None:
        return None
    by_dummy = {d: m for m, d in inst["names"].items()}
    values = []
    for sym in inst["symbols"]:
        if sym in by_dummy:
            values.append(data[by_dummy[sym]])
        elif sym in dummies:
            values.append(dummies[sym])
        else:
            return None                     # a symbol sampling knows nothing about
    with mpmath.workdps(DIGITS):
        decided = _decide(inst["f"], inst["g"], values, rel)
    if decided is None:
        return None
    broken, a, b = decided
    if not broken:
        return "held", None
    point = {name: str(chosen[sym]) for sym, (name, _) in sizes.items()}
    for index, _, _ in world.free_indices(case):
        if index in inst["used"]:
            point[world.name_of(index)] = str(inst["fixed"][index])
    for k, v in original.items():
        if str(k) in point:
            continue                          # a size: the value the instance was written out at
        if k in case.subs and (case.subs[k].free_symbols & inst["used"] or k in world.fact_symbols) \
                and k not in world.size_symbols:
            point[str(k)] = _fmt(mpmath.mpf(v))
    for family, shown in world.shown(data):
        point[family] = shown
    point.update(lhs=_fmt(a), rhs=_fmt(b), difference=mpmath.nstr(mpmath.re(a - b), 3))
    return "counterexample", point


def _plain_members(expr):
    """Members keyed by their family's name alone (doit() drops a base's assumptions,
    so x[1] from a written-out sum and x[1] written by the author must meet)."""
    from sympy import IndexedBase, Symbol
    return expr.xreplace({m: IndexedBase(Symbol(str(m.base)))[m.indices]
                          for m in expr.atoms(Indexed)})


def _negative_length(expr) -> bool:
    """A sum or product in ``expr`` may have fewer than zero terms (b < a − 1) at these
    sizes, inner ones at each value of the outer indices (or too many values to look)."""
    for node in _outermost(expr):
        *inner, (v, a, b) = node.limits
        if not (a.is_Integer and b.is_Integer):
            continue                  # not written out by _finite either
        if b < a - 1:
            return True
        body = node.func(node.function, *inner) if inner else node.function
        if not body.has(Sum, Product):
            continue
        if not any(v in (lo.free_symbols | hi.free_symbols) for n in body.atoms(Sum, Product)
                   for _, lo, hi in n.limits):
            if _negative_length(body):
                return True
            continue
        if b - a >= 64:
            return True
        # subs, not xreplace: an inner sum may bind the same letter (Σ_i x_i Σ_i y_i).
        if any(_negative_length(body.subs(v, k)) for k in range(int(a), int(b) + 1)):
            return True
    return False


def _outermost(expr):
    if isinstance(expr, (Sum, Product)):
        return [expr]
    return [n for a in expr.args for n in _outermost(a)]


def _finite(expr):
    """Sums and products with number limits written out term by term.
    Not doit(): SymPy sums a rational summand in closed form, which steps over a term 0/0
    (Σ_{a=1}^{n} (a² − 1)/(a − 1) came out n(n + 3)/2 at n = 1, so a side with no value
    'held'); written out, that term is nan and the point is not a test of the step."""
    for _ in range(64):
        # Any sum with number limits, inner sums and all: written out, the limits of the
        # sums inside it become numbers too (Σ_{b=1}^{a} inside Σ_{a=1}^{K}).
        ready = [n for n in expr.atoms(Sum, Product)
                 if n.limits[-1][1].is_Integer and n.limits[-1][2].is_Integer
                 and n.limits[-1][2] - n.limits[-1][1] < 64]
        if not ready:
            break
        table = {}
        for node in ready:
            *inner, (v, a, b) = node.limits           # the last limit is the outermost
            body = node.func(node.function, *inner) if inner else node.function
            # subs, not xreplace: an inner sum may bind the same letter (Σ_i x_i Σ_i y_i).
            terms = [body.subs(v, k) for k in range(int(a), int(b) + 1)]
            if b < a - 1:                    # never sampled (_negative_length), but keep SymPy's
                table[node] = node.doit()
            else:
                table[node] = (Add if isinstance(node, Sum) else Mul)(*terms) if terms else (
                    S.Zero if isinstance(node, Sum) else S.One)
        expr = expr.xreplace(table)
    return expr.doit(deep=True) if expr.has(Sum, Product) else expr


__all__ = ["sample_instances", "size_values", "SIZES"]
