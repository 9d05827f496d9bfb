"""A claimed limit refuted only by an exact one-sided limit (the kernel's, with its guards), never by a sampled sequence."""

from __future__ import annotations

import random

from sympy import AccumBounds, Dummy, Limit, Rational, S, sympify, zoo

from ..budget import attempt
from ..kernel.meaning import infinity, limits
from ..kernel.positivity import sign_form
from ..printing import short
from .near import settled

LIMIT_BUDGET = 0.75     # CPU seconds for one one-sided limit
BUDGET = 2.0            # CPU seconds for all of them: the step's own budget is 4
DRAWS = 6               # points drawn for the parameters (each needs its limits taken)
POINTS = 6              # distinct points used at most (rounded, at 0, as drawn)


def refute_limit(world, case, L, R, what="the expression", points=True):
    """(reason, counterexample or None) when a side of L = R (prepared in ``case``) is a
    limit with an exact one-sided limit that is not the other side: for every value of
    the parameters (no counterexample), or at a sampled point of the case, the limit taken
    there exactly. ``points``: whether sampled points may be used (False when sampling
    cannot follow the conditions, or for f'(a) at a number). None when nothing exact
    refutes: a sequence can be fooled by scale ((a² + 1)/(1 + 10¹⁰⁰|x|) looks like 0 at
    every h ≥ 10⁻⁸⁰), so it never decides."""
    for limit, claimed, names in ((L, R, ("lhs", "rhs")), (R, L, ("rhs", "lhs"))):
        limit, claimed = sympify(limit), sympify(claimed)
        if not isinstance(limit, Limit) or claimed.has(Limit):
            continue
        found, _ = attempt(BUDGET, _refute, world, case, limit, claimed, what, names, points)
        if found is not None:
            return found
    return None


def _refute(world, case, limit, claimed, what, names, points):
    body, z, c, direction = limit.args
    drawn = _Points(world, case, limit.free_symbols | claimed.free_symbols) if points else None
    for node, words in approaches(body, z, c, direction):
        value = exact(node)
        if value is not None:
            if not (value.free_symbols | claimed.free_symbols):
                if differ(value, claimed):
                    return f"{what} tends to {_short(value)} {words}, not to {_short(claimed)}", None
                continue
            if _differ_everywhere(value, claimed):
                value, claimed = _original(case, value), _original(case, claimed)
                return (f"{what} tends to {_short(value)} {words}, not to {_short(claimed)} "
                        "(they differ wherever the assumptions hold)"), None
        for shown, values in (drawn or ()):
            at = value.xreplace(values) if value is not None else exact(node.xreplace(values))
            said = claimed.xreplace(values)
            if at is None or at.free_symbols or said.free_symbols or not differ(at, said):
                continue
            place = ", ".join(f"{k} = {v}" for k, v in shown.items())
            return (f"at {place}, {what} tends to {_short(at)} {words}, not to {_short(said)}",
                    {**shown, names[0]: _number(at), names[1]: _number(said)})
    return None


def approaches(body, z, c, direction):
    """[(one-sided Limit, words)]: the sides a limit at c is taken from, or ±∞ itself."""
    far = infinity(c)
    if far is not None:
        return [(Limit(body, z, far), f"as {z.name} → {'∞' if far is S.Infinity else '−∞'}")]
    sides = {"+": ("+",), "-": ("-",)}.get(str(direction), ("+", "-"))
    return [(Limit(body, z, c, s), "from the right" if s == "+" else "from the left") for s in sides]


def exact(node):
    """The kernel's value of a one-sided limit (its guards: parameters of a strict sign,
    pieces and kinks settled near the point, analytic quotients), or None. Jumps and kinks
    whose side near the point is settled (``near.settled``) are replaced first."""
    try:
        value, err = attempt(LIMIT_BUDGET, lambda: limits(settled(node)))
    except Exception:       # noqa: BLE001 - SymPy's limit gave up: nothing exact
        return None
    if err or value is None:
        return None
    value = sympify(value)
    if value.has(Limit, AccumBounds, zoo, S.NaN) or node.args[1] in value.free_symbols:
        return None
    if value in (S.Infinity, S.NegativeInfinity):
        return value
    return value if value.is_extended_real is not False else None


def differ(value, claimed) -> bool:
    """Two numbers, one a limit's exact value, certainly not equal (∞ against a finite
    number; a difference SymPy settles as nonzero, or whose 60 digits are far from 0)."""
    infinite = (S.Infinity, S.NegativeInfinity)
    if value in infinite or claimed in infinite:
        other = claimed if value in infinite else value
        return value != claimed and (other in infinite or other.is_finite is True)
    if claimed.has(zoo, S.NaN) or claimed.is_finite is not True:
        return False

    def settled():
        gap = value - claimed
        if gap.is_zero is not None:
            return gap.is_zero is False
        shown = gap.evalf(60)
        return shown.is_Number and abs(shown) > Rational(1, 10**30)
    found, err = attempt(LIMIT_BUDGET, settled)
    return bool(found) and not err


def _differ_everywhere(value, claimed) -> bool:
    """The kernel's sign proof that value − claimed > 0 (or < 0) at every point of the case."""
    infinite = (S.Infinity, S.NegativeInfinity)
    if value in infinite or claimed in infinite:
        other = claimed if value in infinite else value
        return value != claimed and (other in infinite or other.is_finite is True)
    if value.is_finite is not True or claimed.is_finite is not True:
        return False
    found, err = attempt(LIMIT_BUDGET, lambda: sign_form(value - claimed, ">") or
                         sign_form(claimed - value, ">"))
    return bool(found) and not err


class _Points:
    """Sampled points of the case as exact values of the prepared sides' symbols, drawn
    once and only when asked for: [(shown {name: text}, {symbol: Rational})]."""

    def __init__(self, world, case, symbols):
        self.world, self.case, self.symbols, self.found = world, case, symbols, None

    def __iter__(self):
        if self.found is None:
            self.found = _draw(self.world, self.case, self.symbols)
        return iter(self.found)


def _draw(world, case, symbols):
    """Points to take the limit at: each drawn point with its values rounded to quarters
    (readable), the first with every value that may be 0 at 0 (where a parameter most often
    breaks a limit: x·e^{−a²x²} at ∞, a = 0), then the drawn points as they are (rounding
    can leave a narrow range where the claim fails)."""
    from .points import region
    r, rng, out = region(world, case), random.Random(0), []
    drawn = [p for p in (r.sample(rng) for _ in range(DRAWS)) if p is not None]
    quarters = [_moved(r, p, lambda v, iv, sign: round(v * 4) / 4) for p in drawn]
    zero = [_moved(r, p, lambda v, iv, sign: 0.0 if _admits(iv, sign, 0) else v) for p in drawn[:1]]
    for point in quarters[:1] + zero + quarters[1:] + drawn:
        values = None if point is None else _exact_values(case, point)
        if values is None or not symbols <= values.keys():
            continue
        shown = {str(s): _text(v) for s, v in point.items()
                 if case.subs.get(s, s).free_symbols & symbols}
        if all(values != seen for _, seen in out):
            out.append((shown, values))
        if len(out) == POINTS:
            break
    return out


def _moved(region, point, move):
    """The point with each drawn value v moved to move(v, interval, sign), when that stays in
    the case; None otherwise, or when equations or dominance tie the values together."""
    from .points import _holds_number, evaluate, plan
    case = region.case
    if plan(region.world).constraints or case.dominance or case.at_end:
        return None
    moved = {s: move(v, case.intervals.get(s), case.signs.get(s)) if isinstance(v, float) else v
             for s, v in point.items()}
    inside = all(_admits(case.intervals[s], case.signs.get(s), v) for s, v in moved.items()
                 if s in case.intervals)
    if inside and all((value := evaluate(gap, moved)) is not None and _holds_number(op, value)
                      for op, gap in region.filters):
        return moved
    return None


def _admits(iv, sign, value) -> bool:
    from ..kernel.world import inside_interval
    return iv is None or inside_interval(Rational(value), iv, sign)


def _exact_values(case, point):
    """{fresh symbol of the case: Rational} reproducing the point (floats are exact
    binary fractions; a value computed from an equation is not, and is left out)."""
    exactly = {s: Rational(v) for s, v in point.items() if isinstance(v, (int, float))}
    out = {}
    for sym, value in exactly.items():
        rep = sympify(case.subs.get(sym, sym))
        if sym in case.dominance:
            small = case.dominance[sym][0]
            if small not in exactly:
                continue
            gap, = rep.free_symbols - sympify(case.subs[small]).free_symbols
            out[gap] = value - exactly[small]
            continue
        fresh = [d for d in rep.free_symbols if isinstance(d, Dummy)] or list(rep.free_symbols)
        if len(fresh) != 1:
            continue
        d, = fresh
        slope, at0 = rep.diff(d), rep.xreplace({d: S.Zero})
        if not (slope.is_number and slope != 0 and at0.is_number):
            continue
        out[d] = (value - at0) / slope
        if (d.is_positive and out[d] <= 0) or (d.is_negative and out[d] >= 0):
            return None
    return out


def _text(value):
    """A drawn value as it is (every digit; the terminal shows 6, ``readable``)."""
    v = Rational(value)
    return str(v) if v.q <= 4 else repr(float(v))


def _number(value):
    if value in (S.Infinity, S.NegativeInfinity):
        return "∞" if value is S.Infinity else "−∞"
    return str(value) if value.is_Rational and value.q <= 1000 else str(value.evalf(15))


def _short(expr):
    if expr in (S.Infinity, S.NegativeInfinity):
        return "∞" if expr is S.Infinity else "−∞"
    if any(r.q > 1000 for r in expr.atoms(Rational)):
        expr = expr.evalf(6)        # a drawn point's exact binary fraction, read as a decimal
    return short(expr)


def _original(case, expr):
    """``expr`` in the step's own symbols (c for the case's fresh r_c > 0, −a for p when a < 0)."""
    back = {}
    for sym, rep in case.subs.items():
        rep = sympify(rep)
        fresh = [d for d in rep.free_symbols if isinstance(d, Dummy)]
        if len(fresh) == 1 and sym not in case.dominance:
            d, = fresh
            slope = rep.diff(d)
            if slope.is_number and slope != 0:
                back[d] = (sym - rep.xreplace({d: S.Zero})) / slope
    return expr.xreplace(back)
