"""Integers as integers: a threshold in an integer variable, where ≥ and > differ by one."""

from __future__ import annotations

from sympy import cancel

from ..expressions import to_primitives
from .meaning import before_cases
from .positivity import sign_form


def integer_threshold(world, kind, first, second):
    """g op 0 ⟺ n ≥ m (or n ≤ m), n an integer variable and m an integer, case by case:
    g(n + 1) − g(n) > 0 at every integer n (< 0 for n ≤ m), g(m) op 0 holds, and
    g(m − 1) op 0 fails (g(m + 1) for n ≤ m) or m − 1 is below n's range.

    Then g op 0 holds at m and every integer above it, and at no integer below it.
    The strictness of the two sides may differ: n > 2 ⟺ n ≥ 3.
    """
    from .equalities import Rejected, as_gap, tag, where
    n, c = second.lhs, second.rhs
    g, op = as_gap(first)
    h, op2 = as_gap(second)
    rising = cancel(h - (n - c)) == 0
    # n > c ⟺ n ≥ c + 1 and n < c ⟺ n ≤ c − 1 for an integer n.
    m = c + (1 if op2 == ">" else 0) if rising else c - (1 if op2 == ">" else 0)
    step = 1 if rising else -1
    beyond = m - step
    g0 = to_primitives(before_cases(world, g)[0])
    fails = ">" if op == ">=" else ">="        # not (x op 0) is −x (op's opposite) 0
    # A refutation names a point of the step's world: only where no other condition on n
    # could exclude it.
    free = not any(n in f.free_symbols for f in world.facts)
    for case in world.cases:
        k = case.sign_subs.get(n)
        if not (k is not None and k.is_Symbol and k.is_integer):
            raise Rejected(where(case, f"{n} is fixed here; a threshold needs it free"))
        # The slope is shown for every integer k allows (ℤ, k ≥ 0 or k ≥ 1): m must be one of
        # them, and so must m ∓ 1 unless the case has no integer on that side of m.
        lowest = 1 if k.is_positive else 0 if k.is_nonnegative else None
        lo, hi = _integer_range(case.intervals[n])
        inside = lambda v: (lo is None or v >= lo) and (hi is None or v <= hi)  # noqa: E731
        if lowest is not None and m < lowest:
            raise Rejected(where(case, f"{n} = {m} is below {lowest}, where the left side is "
                                       "not shown to be monotone"))
        rest = {v: e for v, e in case.sign_subs.items() if v != n}
        gk = g0.xreplace(rest).xreplace({n: k})
        if gk.is_real is not True:
            # A pole or a complex value at some integer would break the step-by-step chain.
            raise Rejected(where(case, f"cannot show the left side is real and finite at every integer {n}"))
        slope = cancel(gk.xreplace({k: k + 1}) - gk)
        if not sign_form(slope if rising else -slope, ">"):
            raise Rejected(where(case, f"cannot show the left side grows with {n} step by step"
                                 if rising else f"cannot show the left side falls as {n} grows"))
        at_m = cancel(gk.xreplace({k: m}))
        if not sign_form(at_m, op):
            if free and inside(m) and sign_form(-at_m, fails):
                raise Rejected(where(case, f"at {n} = {m} the left side is {at_m}, so {n} = {m} "
                                           "is not on the side the step says"), refutes=True)
            raise Rejected(where(case, f"cannot show the left side {op} 0 at {n} = {m}"))
        if (rising and lo is not None and beyond < lo) or (not rising and hi is not None and beyond > hi):
            continue            # no integer of the case on the other side of m
        before = cancel(gk.xreplace({k: beyond}))
        if not sign_form(-before, fails):
            if free and inside(beyond) and sign_form(before, op):
                raise Rejected(where(case, f"at {n} = {beyond} the left side is {before}, so the "
                                           f"condition already holds there"), refutes=True)
            raise Rejected(where(case, f"cannot show the condition fails at {n} = {beyond}"))
    return tag(f"{kind}: threshold at the integer {n} = {m}, monotone step by step", world), ()


def _integer_range(iv):
    """(lowest, highest) integer in the interval ``iv``, None where it is unbounded."""
    from sympy import ceiling, floor
    lo = hi = None
    if iv.lower is not None:
        lo = ceiling(iv.lower) + (1 if iv.lower_open and iv.lower.is_Integer else 0)
    if iv.upper is not None:
        hi = floor(iv.upper) - (1 if iv.upper_open and iv.upper.is_Integer else 0)
    return lo, hi
