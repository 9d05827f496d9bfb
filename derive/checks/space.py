"""The points of a case as an unconstrained search space: coordinates, transforms, starts."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sympy import sympify

from ..kernel.world import dependency_order as _dependency_order, signed_interval
from .points import index_ranges

BIG = 700.0                  # exp(±700) is the float range


@dataclass
class Coord:
    """One free number of a point: the value of a variable, a gap a − b ≥ 0, a vector's
    component or an opaque value. ``t`` ranges over ℝ; ``value(t)`` lies in the interval."""

    name: str
    lower: float | None = None
    upper: float | None = None
    lower_open: bool = True
    upper_open: bool = True
    integer: bool = False

    def value(self, t):
        t = max(-BIG, min(BIG, t))
        lo, hi = self.lower, self.upper
        if lo is not None and hi is not None:
            v = lo + (hi - lo) / (1.0 + math.exp(-t))
        elif lo is not None:
            v = lo + math.exp(t)
        elif hi is not None:
            v = hi - math.exp(t)
        else:
            v = math.sinh(t)
        if self.integer:
            v = self.nearest_integer(v)
        return v

    def inverse(self, v) -> float:
        lo, hi = self.lower, self.upper
        try:
            if lo is not None and hi is not None:
                return math.log((v - lo) / (hi - v))
            if lo is not None:
                return math.log(v - lo)
            if hi is not None:
                return math.log(hi - v)
            return math.asinh(v)
        except (ValueError, ZeroDivisionError, OverflowError):
            return 0.0

    def nearest_integer(self, v):
        if not math.isfinite(v):
            return None
        n = round(v)
        lo, hi = self.integer_range()
        if lo is not None and n < lo:
            n = lo
        if hi is not None and n > hi:
            n = hi
        return n

    def integer_range(self):
        lo = None if self.lower is None else (
            math.floor(self.lower) + 1 if self.lower_open else math.ceil(self.lower))
        hi = None if self.upper is None else (
            math.ceil(self.upper) - 1 if self.upper_open else math.floor(self.upper))
        return lo, hi

    def contains(self, v) -> bool:
        if v is None:
            return False
        if self.lower is not None and (v < self.lower or (self.lower_open and v == self.lower)):
            return False
        if self.upper is not None and (v > self.upper or (self.upper_open and v == self.upper)):
            return False
        try:
            return not self.integer or float(v) == int(v)
        except (OverflowError, ValueError):
            return False

    def ends(self) -> list:
        """The closed ends: where weak claims are most often false."""
        if self.integer:
            return [n for n in self.integer_range() if n is not None]
        out = []
        if self.lower is not None and not self.lower_open:
            out.append(self.lower)
        if self.upper is not None and not self.upper_open:
            out.append(self.upper)
        return out

    def at_scale(self, s, sign=1.0):
        """A value about ``s`` away from the interval's reference point (its lower end,
        its upper end, or 0): tiny and huge magnitudes."""
        lo, hi = self.lower, self.upper
        if lo is not None and hi is not None:
            frac = min(max(s / (1.0 + s), 1e-12), 1 - 1e-12)
            v = lo + (hi - lo) * (frac if sign > 0 else 1 - frac)
        elif lo is not None:
            v = lo + s
        elif hi is not None:
            v = hi - s
        else:
            v = sign * s
        return self.nearest_integer(v) if self.integer else v


def _float(x):
    return None if x is None else float(x)


class Space:
    """A case's points, written as free coordinates.

    Variables fixed by the case (an interval's closed end, a sign 0) are constants;
    variables an equation fixes are computed from the others; a ≥ b is b + gap; the
    remaining free symbols of the expressions (a function's value) and the vectors
    inside ⟨·,·⟩ (components in ℝᵈ, d = their number, at most 4) are coordinates too.
    """

    def __init__(self, case, extra, vectors):
        self.case = case
        self.coords, self.fixed, self.kinds = [], {}, []
        targets = {v for v, _ in case.constraints}
        dominance = case.dominance or {}
        for sym in sorted(case.intervals, key=lambda s: s.name):
            iv = case.intervals[sym]
            sign = case.signs.get(sym)
            if sym in (case.at_end or {}):
                self.fixed[sym] = case.at_end[sym]
            elif sign == 0:
                self.fixed[sym] = 0
            elif sym in targets:
                continue
            elif sym in dominance:
                strict = dominance[sym][1]
                self._add(("gap", sym), Coord(f"{sym}-{dominance[sym][0]}", 0.0, None, strict))
            else:
                if sign is not None:
                    iv = signed_interval(iv, sign)
                self._add(("var", sym), Coord(str(sym), _float(iv.lower), _float(iv.upper),
                                              iv.lower_open, iv.upper_open, iv.integer))
        # A declared index the step names (or a condition does) is an integer coordinate
        # held in its range by filters, as its upper end is often another coordinate (n).
        ranges = {i: (lo, hi) for i, lo, hi in index_ranges(getattr(case, "world", None))}
        named = set(extra)
        for _, g in case.filters:
            named |= sympify(g).free_symbols
        self.indices = sorted((i for i in ranges if i in named), key=lambda s: s.name)
        self.filters = tuple(case.filters)
        for i in self.indices:
            lo, hi = ranges[i]
            self._add(("var", i), Coord(str(i), float(lo) if lo.is_number else None,
                                        float(hi) if hi.is_number else None, False, False, True))
            self.filters += ((">=", i - lo), ("<=", i - hi))
        extra = [s for s in extra if s not in ranges]
        for sym in sorted(extra, key=lambda s: s.name):
            lo = 0.0 if (sym.is_positive or sym.is_nonnegative) else None
            self._add(("extra", sym), Coord(str(sym), lo, None, not sym.is_nonnegative or
                                            bool(sym.is_positive), True, bool(sym.is_integer)))
        self.vectors = sorted(vectors, key=lambda v: v.name)
        self.dim = max(1, min(len(self.vectors), 4))
        for v in self.vectors:
            for i in range(self.dim):
                self._add(("vector", v, i), Coord(f"{v}[{i}]"))
        self.order = _dependency_order(dominance)
        self._constraints = [(var, _compile(expr)) for var, expr in case.constraints]
        self._filters = [(op, _compile(gap)) for op, gap in self.filters]

    def _add(self, kind, coord):
        self.kinds.append(kind)
        self.coords.append(coord)

    def __len__(self):
        return len(self.coords)

    def point(self, values):
        """(original point, vectors, filter violation) for coordinate values; None when
        a computed variable leaves its interval or cannot be evaluated."""
        original, vectors, extra = dict(self.fixed), {}, {}
        gaps = {}
        for kind, v, c in zip(self.kinds, values, self.coords):
            if v is None or not c.contains(v):      # floats round onto open ends: 1/(1+e⁻⁴⁰) = 1
                return None
            if kind[0] == "var":
                original[kind[1]] = v
            elif kind[0] == "gap":
                gaps[kind[1]] = v
            elif kind[0] == "extra":
                extra[kind[1]] = v
            else:
                vectors.setdefault(kind[1], [0.0] * self.dim)[kind[2]] = v
        for big in self.order:
            original[big] = original[self.case.dominance[big][0]] + gaps[big]
        for var, fn in self._constraints:
            value = _call(fn, original)
            if value is None or not _inside(self.case, var, value):
                return None
            original[var] = value
        violation = 0.0
        for op, fn in self._filters:
            g = _call(fn, original)
            if g is None:
                return None
            violation += _violation(op, g)
        return original, vectors, extra, violation

    def values_of(self, original, vectors=None, extra=None):
        """Coordinate values that reproduce a point (None where the point has none)."""
        out = []
        for kind in self.kinds:
            if kind[0] == "var":
                out.append(original.get(kind[1]))
            elif kind[0] == "gap":
                small = self.case.dominance[kind[1]][0]
                big = original.get(kind[1])
                out.append(None if big is None else big - original[small])
            elif kind[0] == "extra":
                out.append((extra or {}).get(kind[1]))
            else:
                vec = (vectors or {}).get(kind[1])
                out.append(None if vec is None else vec[kind[2]])
        return out


def _compile(expr):
    from ..notation import ReLU
    from ..expressions import evaluator, to_primitives
    from sympy import Max
    e = to_primitives(sympify(expr)).replace(ReLU, lambda z: Max(0, z))
    symbols = sorted(e.free_symbols, key=lambda s: s.name)
    try:
        return symbols, evaluator(symbols, e, "math")
    except Exception:      # noqa: BLE001 - a condition floats cannot evaluate
        return symbols, None


def _call(compiled, point):
    symbols, fn = compiled
    if fn is None or any(s not in point for s in symbols):
        return None
    try:
        value = fn(*[float(point[s]) for s in symbols])
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    if isinstance(value, complex) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _inside(case, var, value) -> bool:
    iv = case.intervals[var]
    sign = case.signs.get(var)
    if sign is not None:
        iv = signed_interval(iv, sign)
    c = Coord("", _float(iv.lower), _float(iv.upper), iv.lower_open, iv.upper_open, iv.integer)
    return c.contains(value)


def _violation(op, g) -> float:
    """How far a filter ``g op 0`` is from holding (0 when it holds)."""
    if op == ">":
        return 0.0 if g > 0 else 1e-9 - g
    if op == ">=":
        return 0.0 if g >= 0 else -g
    if op == "<":
        return 0.0 if g < 0 else 1e-9 + g
    if op == "<=":
        return 0.0 if g <= 0 else g
    return 0.0 if g != 0 else 1e-9


def affine_inverse(case):
    """How each Dummy of ``case.subs`` follows from the original point: a list of
    (dummy, original symbol, a, b) with rep = a + b·dummy, and (gap, big, small)."""
    from sympy import Dummy
    out, gaps = [], []
    dominance = case.dominance or {}
    for sym, rep in case.subs.items():
        rep = sympify(rep)
        if sym in dominance:
            small = dominance[sym][0]
            gap, = rep.free_symbols - sympify(case.subs[small]).free_symbols
            gaps.append((gap, sym, small))
            continue
        dummies = [d for d in rep.free_symbols if isinstance(d, Dummy)]
        if len(dummies) != 1:
            continue
        d, = dummies
        out.append((d, sym, float(rep.xreplace({d: 0})), float(rep.diff(d))))
    return out, gaps


def float_dummies(inverse, original) -> dict:
    """The float counterpart of Case.dummy_point."""
    affine, gaps = inverse
    out = {}
    for d, sym, a, b in affine:
        if sym in original:
            out[d] = (float(original[sym]) - a) / b
    for gap, big, small in gaps:
        out[gap] = float(original[big]) - float(original[small])
    return out


def describe(case, lhs, rhs, original, shown, a, b) -> dict:
    """The point as sampling shows it: the variables the two sides depend on and those
    the case's conditions fix or restrict, then both sides' values and their difference."""
    import mpmath
    used = sympify(lhs).free_symbols | sympify(rhs).free_symbols
    conditioned = set(case.signs) | {v for v, _ in case.constraints}
    for _, e in case.constraints:
        conditioned |= sympify(e).free_symbols
    for _, g in case.filters:
        conditioned |= sympify(g).free_symbols
    point = {}
    for k in original:
        if k in used or k in conditioned or (k in case.subs and sympify(case.subs[k]).free_symbols & used):
            point[str(k)] = shown[k]
    point.update({k: v for k, v in shown.items() if isinstance(k, str)})
    a, b = mpmath.re(a), mpmath.re(b)
    digits = 8
    while digits < 40 and a != b and mpmath.nstr(a, digits) == mpmath.nstr(b, digits):
        digits += 4                 # enough digits that the two values visibly differ
    point.update(lhs=mpmath.nstr(a, digits), rhs=mpmath.nstr(b, digits),
                 difference=mpmath.nstr(a - b, 3))
    return point
