"""Sampling a step with sums at small sizes (n ∈ {1, 2, 3, 5, 8}) and random data: refutes, never proves."""

from __future__ import annotations

import random

import mpmath
from sympy import Dummy, Indexed, Integer, Product, Sum, sympify

from ..budget import attempt
from .sampling import DIGITS, _decide, _fmt, _numeric

SIZES = (1, 2, 3, 5, 8)
POINTS_PER_SIZE = 3


def size_values(var) -> tuple:
    """The sizes tried for a declared integer: 1, 2, 3, 5, 8 inside its interval (0 too
    when it may be 0)."""
    lo = var.lower if var.lower is not None else 0
    out = [s for s in (0,) + SIZES if s >= lo and (not var.lower_open or s > lo)]
    if var.upper is not None:
        out = [s for s in out if s < var.upper or (s == var.upper and not var.upper_open)]
    return tuple(out[:6])


def sample_instances(lhs, rhs, rel, case, world, seed=0, budget=1.5):
    """("counterexample", point), ("held", count) or ("none", why) for ``lhs rel rhs``
    prepared in ``case``; ``world`` says which symbols are sizes, indices and families."""
    value, err = attempt(budget, _run, sympify(lhs), sympify(rhs), rel, case, world, seed)
    if err:
        return "none", "sampling at small sizes ran out of time"
    return value


def _run(lhs, rhs, rel, case, world, seed):
    rng = random.Random(seed)
    sizes = world.sizes_in(case, lhs, rhs)          # {symbol in the case: (name, values)}
    if not sizes:
        return "none", "no size to instantiate"
    held = 0
    for round_ in range(max(len(v) for _, v in sizes.values())):
        chosen = {}
        for sym, (name, values) in sizes.items():
            # Sizes vary together in the first rounds, then independently.
            chosen[sym] = values[round_ % len(values)] if round_ < len(values) else rng.choice(values)
        instance = _instance(lhs, rhs, case, world, chosen, rng)
        if instance is None:
            continue
        for _ in range(POINTS_PER_SIZE):
            outcome = _point(instance, rel, case, world, chosen, sizes, rng)
            if outcome is None:
                continue
            if outcome[0] == "counterexample":
                return outcome
            held += 1
    if held == 0:
        return "none", "no instance where both sides are defined"
    return "held", held


def _instance(lhs, rhs, case, world, chosen, rng):
    """Both sides at the chosen sizes and free indices, sums written out, as numeric
    functions of the members and the case's symbols."""
    fixed = {sym: Integer(v) for sym, v in chosen.items()}
    for index, lo, hi in world.free_indices(case):
        a = int(sympify(lo).xreplace(fixed))
        b = int(sympify(hi).xreplace(fixed))
        if a > b:
            return None
        fixed[index] = Integer(rng.randint(a, b))
    try:
        sides = [_plain_members(_finite(e.xreplace(fixed))) for e in (lhs, rhs)]
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


def _point(inst, rel, case, world, chosen, sizes, rng):
    original = case.sample(rng)
    if original is None:
        return None
    dummies = case.dummy_point(original)
    data = world.draw(inst["members"], case, inst["fixed"], rng)
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
        if k in case.subs and case.subs[k].free_symbols & inst["used"] and k not in world.size_symbols:
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


def _finite(expr):
    """Sums and products with number limits written out term by term."""
    nodes = [n for n in expr.atoms(Sum, Product)]
    if not nodes:
        return expr
    return expr.doit(deep=True)


__all__ = ["sample_instances", "size_values", "SIZES"]
