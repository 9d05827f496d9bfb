"""Intervals of real and integer variables, and the exact reparametrisations sign proofs use."""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Dummy, Mul, Ne, Pow, S, StrictGreaterThan, StrictLessThan, GreaterThan, LessThan, Symbol, sympify


@dataclass(frozen=True)
class Interval:
    lower: object = None
    upper: object = None
    lower_open: bool = True
    upper_open: bool = True
    integer: bool = False

    def tighten(self, op: str, c) -> "Interval":
        lo, hi, lo_open, hi_open = self.lower, self.upper, self.lower_open, self.upper_open
        if op in (">", ">="):
            if lo is None or c > lo or (c == lo and op == ">"):
                lo, lo_open = c, op == ">"
        else:
            if hi is None or c < hi or (c == hi and op == "<"):
                hi, hi_open = c, op == "<"
        return Interval(lo, hi, lo_open, hi_open, self.integer)

    @property
    def empty(self) -> bool:
        if self.lower is None or self.upper is None:
            return False
        if self.lower > self.upper:
            return True
        return self.lower == self.upper and (self.lower_open or self.upper_open)



def relop(cond):
    table = {StrictGreaterThan: ">", GreaterThan: ">=", StrictLessThan: "<",
             LessThan: "<=", Ne: "!="}
    op = table.get(type(cond))
    if op is None:
        return None, None, None
    return op, cond.args[0], cond.args[1]


def flip(op):
    return {">": "<", ">=": "<=", "<": ">", "<=": ">=", "!=": "!="}[op]


def _is_monomial(expr, intervals) -> bool:
    for factor in Mul.make_args(expr):
        base = factor.base if isinstance(factor, Pow) else factor
        if factor.is_number:
            continue
        if not (isinstance(base, Symbol) and base in intervals):
            return False
        if isinstance(factor, Pow) and not factor.exp.is_Integer:
            return False
    return True


def holds(op, value):
    """True, False, or None when the sign of ``value`` is not decided."""
    attr = {"!=": "is_nonzero", ">": "is_positive", ">=": "is_nonnegative",
            "<": "is_negative", "<=": "is_nonpositive"}[op]
    return getattr(value, attr)


def finite(bound):
    """±∞ as a bound means no bound."""
    if bound is None:
        return None
    bound = sympify(bound)
    return None if bound.is_infinite else bound


def sign_options(iv: Interval) -> tuple:
    """The signs (+1, -1, 0) a variable with this interval can take."""
    out = []
    if iv.upper is None or iv.upper > 0:
        out.append(1)
    if iv.lower is None or iv.lower < 0:
        out.append(-1)
    if (iv.lower is None or iv.lower < 0 or (iv.lower == 0 and not iv.lower_open)) and \
            (iv.upper is None or iv.upper > 0 or (iv.upper == 0 and not iv.upper_open)):
        out.append(0)
    return tuple(out)


def signed_interval(iv: Interval, sign) -> Interval:
    """The part of ``iv`` on one side of 0 (a sign case keeps the variable's interval)."""
    if sign == 0:
        return Interval(S.Zero, S.Zero, False, False, iv.integer)
    if sign > 0:
        return Interval(S.Zero, iv.upper if iv.upper is not None and iv.upper > 0 else None,
                        True, iv.upper_open, iv.integer)
    return Interval(iv.lower if iv.lower is not None and iv.lower < 0 else None, S.Zero,
                    iv.lower_open, True, iv.integer)


# One fresh symbol per (variable, name, assumptions) in a process: the same case of two
# worlds (vx ≠ 0 and vx > 0 both have v > 0, x > 0) is then the same expressions, and pure
# computations on them (SymPy's cache, the memos of normal and sign forms) run once. Only
# the assumptions carry facts into SymPy; each case is still checked on its own.
_FRESH: dict = {}


def _fresh(sym, name, **assumptions):
    key = (sym, name, tuple(sorted(assumptions.items())))
    if key not in _FRESH:
        _FRESH.clear() if len(_FRESH) >= 4096 else None
        _FRESH[key] = Dummy(name, **assumptions)
    return _FRESH[key]


def replacement(sym, iv: Interval, sign):
    """(substitution for algebra, substitution for sign proofs) for one symbol.

    Each is exact: as its fresh symbol ranges over its assumptions, the
    replacement takes exactly the values of ``iv`` (on the side ``sign`` says).
    """
    name = sym.name
    if iv.integer:
        # An integer n ≥ 1 is a positive integer (and n ≥ 0 a nonnegative one): sums
        # up to n then have at least one term, and 1/n is real.
        lo = iv.lower
        positive = lo is not None and (lo >= 1 or (lo >= 0 and iv.lower_open))
        nonneg = lo is not None and lo >= 0
        d = _fresh(sym, name, integer=True, positive=positive or None, nonnegative=nonneg or None)
        return d, d
    if sign == 0:
        return S.Zero, S.Zero
    if sign is not None:
        d = _fresh(sym, name, positive=True)
        _, exact = replacement(sym, signed_interval(iv, sign), None)
        return sign * d, exact
    lo, hi = iv.lower, iv.upper
    if lo is not None and hi is not None:
        # (lo, hi) ∋ lo + (hi - lo)/(1 + r) exactly for r > 0; closed ends use r ≥ 0.
        if iv.lower_open and iv.upper_open:
            r = _fresh(sym, "r_" + name, positive=True)
            param = lo + (hi - lo) / (1 + r)
        elif iv.lower_open:
            r = _fresh(sym, "r_" + name, nonnegative=True)
            param = lo + (hi - lo) / (1 + r)
        elif iv.upper_open:
            r = _fresh(sym, "r_" + name, nonnegative=True)
            param = lo + (hi - lo) * r / (1 + r)
        else:
            param = _fresh(sym, name, real=True)
        if lo > 0 or (lo == 0 and iv.lower_open):
            alg = _fresh(sym, name, positive=True)
        else:
            alg = _fresh(sym, name, nonnegative=True) if lo >= 0 else _fresh(sym, name, real=True)
        return alg, param
    if lo is not None:
        r = _fresh(sym, "r_" + name, positive=True) if iv.lower_open else \
            _fresh(sym, "r_" + name, nonnegative=True)
        return lo + r, lo + r
    if hi is not None:
        r = _fresh(sym, "r_" + name, positive=True) if iv.upper_open else \
            _fresh(sym, "r_" + name, nonnegative=True)
        return hi - r, hi - r
    d = _fresh(sym, name, real=True)
    return d, d


def inside_interval(value, iv: Interval, sign) -> bool:
    if sign is not None:
        iv = signed_interval(iv, sign)
    if iv.lower is not None and (value < iv.lower or (iv.lower_open and value == iv.lower)):
        return False
    if iv.upper is not None and (value > iv.upper or (iv.upper_open and value == iv.upper)):
        return False
    return True


def outside(value, iv: Interval) -> bool:
    """``value`` provably misses the interval (an equation that no point satisfies)."""
    below = iv.lower is not None and ((value - iv.lower).is_negative or
                                      (iv.lower_open and (value - iv.lower).is_zero))
    above = iv.upper is not None and ((value - iv.upper).is_positive or
                                      (iv.upper_open and (value - iv.upper).is_zero))
    return bool(below or above)


def _on_a_cycle(start, dominance) -> bool:
    seen, node = set(), start
    while node in dominance:
        if node in seen:
            return True
        seen.add(node)
        node = dominance[node][0]
    return False


def dependency_order(dominance) -> list:
    """Dominated variables, each after the one it is written in terms of."""
    order = []

    def visit(v):
        if v in dominance and v not in order:
            visit(dominance[v][0])
            order.append(v)
    for v in dominance:
        visit(v)
    return order
