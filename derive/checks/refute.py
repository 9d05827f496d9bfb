"""Structured refutations: a wrong solution substituted back, a wrong threshold, a wrong limit."""

from __future__ import annotations

from dataclasses import replace

import mpmath
from sympy import (GreaterThan, LessThan, Rational, StrictGreaterThan, StrictLessThan, cancel,
                   oo, sympify)

from ..budget import attempt
from .falsify import search_relation

_RELOP = {LessThan: "<=", StrictLessThan: "<", GreaterThan: ">=", StrictGreaterThan: ">"}
_NOT = {"<=": ">", "<": ">=", ">=": "<", ">": "<="}


def refute_solution(ctx, case, first, second):
    """``second`` (T = R, T a variable or a power of one) claims to solve the equation
    ``first``. Substituted back, the two sides of ``first`` must agree: (reason,
    counterexample) at a point of ``case`` where they do not, or (reason, None) when
    they differ by a nonzero constant everywhere; None when no refutation is found.

    Only points where T = R can hold count: R inside the target's interval and sign,
    and R ≥ 0 for an even power.
    """
    target, claimed = second.lhs, ctx.expand_defs(second.rhs)
    base, power = (target, 1) if target.is_Symbol else target.as_base_exp()
    if base not in ctx.vars or not sympify(power).is_Integer or target.free_symbols & claimed.free_symbols:
        return None
    sides = [ctx.prepare(side, case) for side in first.args]
    T, R = ctx.prepare(target, case), ctx.prepare(claimed, case)
    back = [side.subs(T, R) for side in sides]
    if any(side.free_symbols & T.free_symbols for side in back):
        return None           # the equation depends on more than the target
    shown = f"{target} = {second.rhs}"
    narrowed = replace(case, filters=tuple(case.filters) + _range_filters(case, base, int(power), claimed))
    residual, err = attempt(0.5, lambda: cancel(back[0] - back[1]))
    if not err and residual.is_number and residual.is_zero is False and residual.is_finite:
        # A refutation only where T = R can hold: t = log(1/3) never does for t > 0, and
        # eᵗ = 1/2 never does either (true, though R does not solve it).
        if not _attainable(narrowed):
            return None
        return (f"substituted back, the claimed solution {shown} leaves the two sides of "
                f"{first} differing by {residual} everywhere", None)
    outcome, point = search_relation(back[0], back[1], "=", narrowed)
    if outcome != "counterexample":
        return None
    value = _value_at(claimed, point)
    if value is not None:
        point = {**point, f"{target} (claimed)": value}
    return (f"substituted back, the claimed solution {shown} does not solve {first}: "
            "its two sides differ", point)


def _attainable(region, tries=64) -> bool:
    """Some sampled point of ``region`` meets all its filters."""
    import random
    rng = random.Random(0)
    return any(region.sample(rng) is not None for _ in range(tries))


def _range_filters(case, base, power, claimed):
    """Conditions (op, gap ≥ / > 0, in the original symbols) under which base**power = R
    has a real solution of the case's sign inside base's interval."""
    iv = case.intervals.get(base)
    sign = case.signs.get(base)
    out = []
    if power % 2 == 0:
        out.append((">" if sign else ">=", claimed))
        return tuple(out)
    if power != 1 or iv is None:
        return tuple(out)
    if sign:
        out.append((">", sign * claimed))
    if iv.lower is not None:
        out.append((">" if iv.lower_open else ">=", claimed - iv.lower))
    if iv.upper is not None:
        out.append((">" if iv.upper_open else ">=", iv.upper - claimed))
    return tuple(out)


def refute_threshold(ctx, case, first, second):
    """``first`` (an inequality) is claimed equivalent to ``second`` (z ≥ c, z > c, z ≤ c
    or z < c). (reason, counterexample) at a point of ``case`` where one holds and the
    other does not; None when none is found."""
    rel1, rel2 = _RELOP.get(type(first)), _RELOP.get(type(second))
    if rel1 is None or rel2 is None:
        return None
    z, c = second.lhs, second.rhs
    gap = (z - c) if rel2 in (">=", ">") else (c - z)
    strict = rel2 in (">", "<")
    L, R = ctx.prepare(first.lhs, case), ctx.prepare(first.rhs, case)
    holds = replace(case, filters=tuple(case.filters) + ((">" if strict else ">=", gap),))
    outcome, point = search_relation(L, R, rel1, holds)
    if outcome == "counterexample":
        return (f"{second} holds here but {first} does not", point)
    fails = replace(case, filters=tuple(case.filters) + (("<=" if strict else "<", gap),))
    outcome, point = search_relation(L, R, _NOT[rel1], fails)
    if outcome == "counterexample":
        return (f"{first} holds here but {second} does not", point)
    return None


def refute_limit(ctx, case, limit, claimed, seed=0):
    """``limit`` (a SymPy Limit, in the original symbols) is claimed to equal ``claimed``.
    Evaluate its body along a sequence approaching the point, at points of ``case``: when
    the values settle on a number away from the claim (or grow without bound), (reason,
    counterexample) with the sequence shown; None otherwise (a slow or undecided sequence
    refutes nothing). A sequence can be fooled by scale ((a² + 1)/(1 + 10¹⁰⁰|x|) settles at
    3·10⁻²⁰ along x = 10⁻ᵏ, yet tends to a² + 1): the checks decide a limit only by an exact
    one-sided limit (checks/limits.py) and show this as an illustration (``sampled_limit``)."""
    for found in _sequences(ctx, case, limit, claimed, seed):
        (estimate, target, seq), z, approach, shown = found
        if estimate is None:
            continue
        shown.update({f"{z} = {at}": value for at, value in seq})
        shown.update(lhs=estimate, rhs=mpmath.nstr(target, 8))
        return (f"along {z} → {approach} the expression settles at {estimate}, not at the "
                f"claimed {claimed}", shown)
    return None


def sampled_limit(ctx, case, limit, claimed, seed=0):
    """Words for where ``limit``'s body seems to go, away from ``claimed``, along a sampled
    sequence ("settle at 0 along x → 0⁺"), or None: an illustration, never a verdict."""
    for (estimate, _, _), z, approach, _ in _sequences(ctx, case, limit, claimed, seed):
        if estimate is not None:
            goes = "grow without bound" if estimate == "unbounded" else f"settle at {estimate}"
            return f"{goes} along {z} → {approach}"
    return None


def _sequences(ctx, case, limit, claimed, seed):
    """For sampled points of the case and each side: ((estimate, target, shown sequence),
    variable, approach, shown point); estimate None where the sequence does not settle
    away from ``claimed``."""
    import random
    from ..expressions import evaluator, to_primitives
    from ..kernel.meaning import infinity
    body, z, z0, direction = limit.args
    z0 = infinity(z0) or z0              # −∞ as read is −1·∞
    body = to_primitives(ctx.expand_defs(body))
    claimed = to_primitives(ctx.expand_defs(sympify(claimed)))
    others = sorted((body.free_symbols | claimed.free_symbols) - {z}, key=lambda s: s.name)
    try:
        f = evaluator([z, *others], body, "mpmath")
        g = evaluator(others, claimed, "mpmath")
    except Exception:       # noqa: BLE001 - not numerically evaluable
        return
    rng = random.Random(seed)
    sides = {"+": (1,), "-": (-1,), "+-": (1, -1)}[str(direction)]
    for _ in range(6):
        point = case.sample(rng)
        if point is None or any(s not in point for s in others):
            continue
        values = [point[s] for s in others]
        for side in sides:
            found = _settles_away(f, g, values, z0, side)
            shown = {str(s): mpmath.nstr(mpmath.mpf(v), 8) for s, v in zip(others, values)}
            approach = "∞" if z0 is oo else "−∞" if z0 == -oo else f"{z0}{'⁺' if side > 0 else '⁻'}"
            yield (found or (None, None, None)), z, approach, shown


def _settles_away(f, g, values, z0, side):
    """(estimate, claimed value, [(z, f(z)) shown]) when f settles away from g, else None."""
    with mpmath.workdps(200):
        try:
            target = mpmath.mpf(g(*[mpmath.mpf(v) for v in values]))
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        seq = []
        for k in (5, 10, 20, 40, 80):
            if z0 is oo or z0 == -oo:
                at = mpmath.mpf(10) ** k * (1 if z0 is oo else -1)
            else:
                at = mpmath.mpf(sympify(z0)) + side * mpmath.mpf(10) ** -k
            try:
                value = f(at, *[mpmath.mpf(v) for v in values])
            except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                return None
            if isinstance(value, mpmath.mpc):
                if abs(value.imag) > mpmath.mpf(10) ** -100:
                    return None
                value = value.real
            seq.append((at, mpmath.mpf(value)))
        vals = [v for _, v in seq]
        last = vals[-1]
        shown = [(mpmath.nstr(at, 3), mpmath.nstr(v, 8)) for at, v in seq[1::2]]
        if mpmath.isinf(last) or abs(last) > mpmath.mpf(10) ** 40 and abs(vals[-1]) > 10 * abs(vals[-2]):
            if mpmath.isfinite(target):
                return "unbounded", target, shown
            return None
        steady = abs(vals[-1] - vals[-2]) <= mpmath.mpf(10) ** -8 * (1 + abs(last)) and \
            abs(vals[-2] - vals[-3]) <= mpmath.mpf(10) ** -4 * (1 + abs(last))
        if steady and abs(last - target) > mpmath.mpf(10) ** -4 * (1 + abs(target)):
            # 5·10⁻⁸¹ at h = 10⁻⁸⁰ is the sequence reaching 0, not a number of its own.
            estimate = "0" if abs(last) < mpmath.mpf(10) ** -30 else mpmath.nstr(last, 8)
            return estimate, target, shown
    return None


def _value_at(expr, point):
    """``expr`` at a counterexample's values (given as text), or None."""
    from ..expressions import to_primitives
    names = {str(s): s for s in expr.free_symbols}
    if not set(names) <= set(point):
        return None
    try:
        values = {s: Rational(point[n]) for n, s in names.items()}
        value = to_primitives(expr).xreplace(values).evalf(30)
        return mpmath.nstr(mpmath.mpf(str(value)), 8) if value.is_real else None
    except (TypeError, ValueError, SyntaxError):
        return None
