"""Equivalences (⟺, solve): proportional equations, solved forms, thresholds — or a point that tells them apart."""

from __future__ import annotations

import functools
import math
import random

from sympy import (Eq, GreaterThan, LessThan, Rational, StrictGreaterThan, StrictLessThan,
                   exp, fraction, log, together)

from ..budget import attempt
from ..errors import UnsupportedStep
from ..expressions import nonsmooth_types, rebuild, to_primitives
from ..kernel.certificates import Equivalence, Threshold
from ..kernel.equalities import derivative, finite, target_symbols, where
from ..kernel.meaning import primitive
from ..kernel.normal import LAYERS, cancelled
from ..kernel.positivity import sign_form
from ..verdict import failed, unknown
from .equalities import zero_by
from .registry import register


@register("solve", "equivalent")
def _solve(goal):
    from .indexed import check_indexed, uses_sums
    if goal.rel != "iff":
        raise UnsupportedStep("'solve' justifies an equivalence (iff) of two conditions")
    if uses_sums(goal.world, goal.lhs, goal.rhs):
        return check_indexed(goal)
    return check_iff(goal)


def check_iff(goal):
    """Two equations or inequalities are equivalent under the assumptions.

    Methods, tried in order: proportional ((a−b) = k·(c−d) with k of one strict
    sign); solved form (the second is ``target = R``, R satisfies the first, which
    is strictly monotone in the target); threshold (the second is ``z ≥ c``, the
    first is g ≥ 0 with g(c) = 0 and g strictly monotone in z).
    """
    first, second = goal.lhs, goal.rhs
    if isinstance(first, Eq) and isinstance(second, Eq):
        return _equations(goal, first, second)
    if _is_ineq(first) and _is_ineq(second):
        return _threshold(goal, first, second)
    raise UnsupportedStep("an equivalence must join two equations or two inequalities")


def _equations(goal, first, second):
    world, kind = goal.world, goal.kind
    a, c = first.lhs - first.rhs, second.lhs - second.rhs
    methods = []
    for case in world.cases:
        A = primitive(world, a, case, signs=True)
        C = primitive(world, c, case, signs=True)
        if C != 0:
            k, err = attempt(0.5, lambda: cancelled(A / C))
            sign = None if err else _proportional(k)
            if sign:
                methods.append((case.label, "proportional", "", sign))
                continue
            # A/C in lowest terms with a denominator D that is not a number: A/Cᵐ, in lowest
            # terms, keeps D (coprime to the numerator), so no power can do better.
            m = _power(A, C) if err or fraction(k)[1].is_number else None
            if m:
                methods.append((case.label, "power", "", str(m)))
                continue
        outcome = _solved_form(world, case, A, first, second)
        if isinstance(outcome, tuple) and len(outcome) == 2 and outcome[0] in ("reals", "range"):
            methods.append((case.label, "solved", outcome[1], outcome[0]))
            continue
        if outcome is not None:
            return failed(kind, where(case, outcome[0]), outcome[1])
        return unknown(kind, where(case, "neither proportional nor a solved form with a monotone left side"))
    return Equivalence(tuple(methods))


def _proportional(k, positive=False):
    """The kernel's test of a factor k: nonzero, finite (a denominator of one strict sign) and
    of one strict sign (positive, if asked); "+" or "-" for the sign shown, else None. Cut
    short when the denominator or k is seen to take both signs at exact points (no sign form
    can then show one sign), and trying first the sign k is seen to have: only the time it
    takes changes, never the answer (the kernel tries the sign named first, then the other)."""
    if k == 0:
        return None
    den = fraction(together(k))[1]
    if not den.is_number and len(_signs_seen(den)) == 2:
        return None
    seen = _signs_seen(k)
    if len(seen) == 2 or (positive and seen == {-1}) or not finite(k):
        return None
    for sign in ("+",) if positive else ("-", "+") if seen == {-1} else ("+", "-"):
        if sign_form(k if sign == "+" else -k, ">"):
            return sign
    return None


VALUES = tuple(Rational(v) for v in ("1", "1/10", "10", "1/3", "3", "-1/2", "-2", "0", "2", "-7", "1/7"))


def _signs_seen(expr, points=6) -> set:
    """The strict signs (±1) ``expr`` takes at a few exact points allowed by its symbols'
    assumptions (which carry a case's facts): found in floating point, and when both are
    found, each confirmed to 30 digits. Empty if a symbol has no allowed value."""
    symbols = sorted(expr.free_symbols, key=lambda s: s.sort_key())
    allowed = [_allowed(tuple(sorted(s.assumptions0.items()))) for s in symbols]
    if not all(allowed):
        return set()
    rng, found = random.Random(3), {}
    for _ in range(points):
        point = {s: rng.choice(vals) for s, vals in zip(symbols, allowed)}
        value = _float(expr, point)
        if value is not None and abs(value) > 1e-9:
            found.setdefault(1 if value > 0 else -1, point)
        if len(found) == 2:
            break
    if len(found) < 2:
        return set(found)
    exact = {sign: expr.xreplace(point).evalf(30) for sign, point in found.items()}
    return {sign for sign, value in exact.items() if value.is_Number and value.is_extended_real
            and value.is_finite and abs(value) > 1e-20 and (value > 0) == (sign > 0)}


@functools.lru_cache(maxsize=64)
def _allowed(facts) -> list:
    """The values of VALUES that have every one of these (assumption, truth) facts."""
    return [v for v in VALUES if all(getattr(v, "is_" + fact) == truth for fact, truth in facts)]


def _float(e, point):
    """``e`` at ``point`` in floating point (+, ·, powers, exp, log), or None."""
    try:
        if e.is_Symbol:
            return float(point[e])
        if e.is_Atom:
            return float(e)
        args = [_float(a, point) for a in e.args]
        if None in args:
            return None
        if e.is_Add:
            return math.fsum(args)
        if e.is_Mul:
            return math.prod(args)
        if e.is_Pow:
            value = args[0] ** args[1]
            return value if isinstance(value, float) else None
        if isinstance(e, exp):
            return math.exp(args[0])
        if isinstance(e, log) and args[0] > 0:
            return math.log(args[0])
    except (ArithmeticError, TypeError, ValueError, KeyError):
        return None
    return None


def _refuted(world, case, first, second):
    """(reason, counterexample) when T = R, substituted back, does not solve ``first``."""
    from .points import Context, region
    from .refute import refute_solution
    return refute_solution(Context(world), region(world, case), first, second)


def _power(A, C):
    """m when A = k·Cᵐ with k of one strict sign (s² − 2s + 1 = (s − 1)²), else None."""
    from ..kernel.equalities import MAX_POWER
    from sympy import fraction
    if C == 0 or C.is_number:
        return None
    found = None
    for m in range(2, MAX_POWER + 1):
        # Cᵐ must divide A: the quotient keeps no denominator that depends on anything.
        k, err = attempt(0.3, lambda: cancelled(A / C**m))
        if err or k == 0 or not fraction(k)[1].is_number:
            break
        found = m, k
    if found and (sign_form(found[1], ">") or sign_form(-found[1], ">")):
        return found[0]
    return None


def _solved_form(world, case, A, first, second):
    """(mode, layer) when ``second`` (T = R) is the unique solution of A = 0; a
    (reason, counterexample) pair when R does not solve it; None when undecided."""
    target = second.lhs
    if target.free_symbols & world.expand_defs(second.rhs).free_symbols:
        return None
    target_c = to_primitives(target.xreplace(case.sign_subs))
    R = to_primitives(world.expand_defs(second.rhs).xreplace(case.sign_subs))
    w_pos, w_real = target_symbols(A, R)        # the kernel's, so it re-checks the same slope
    w = w_pos if target_c.is_positive else w_real
    A_w = A.subs(target_c, w)
    if A_w.has(*nonsmooth_types()) or A_w.free_symbols & target_c.free_symbols:
        # No proof here (a derivative's sign says nothing across a jump or a kink; a
        # target reparametrised on its interval cannot be isolated), but R may be refuted.
        return _refuted(world, case, first, second)
    back, err = attempt(0.5, lambda: zero_by(A_w.xreplace({w: R}), LAYERS[:5])[0])
    if err:
        return None
    if not back:
        return _refuted(world, case, first, second) or \
            _realised_counterexample(world, case, first, second, target)
    slope, err = attempt(0.5, lambda: derivative(A_w.xreplace({w: w_real}), w_real))
    if not err and (sign_form(slope, ">") or sign_form(-slope, ">")):
        return "reals", back
    if w.is_positive and sign_form(R, ">"):
        slope, err = attempt(0.5, lambda: derivative(A_w, w))
        if not err and (sign_form(slope, ">") or sign_form(-slope, ">")):
            return "range", back
    return _another_root(world, case, A_w, w, R, first, second, target)


def _another_root(world, case, A_w, w, R, first, second, target):
    """(reason, point) when the first equation, in the target alone, has a root in the
    case other than the claimed R (x² − 4 = 0 ⟺ x = −2 for x > 0: x = 2); else None.
    Not when a condition the case leaves as a fact mentions the target (x² > 9)."""
    from sympy import Interval, S, oo, solveset
    if A_w.free_symbols != {w} or not R.is_number or \
            any(target in getattr(f, "free_symbols", ()) for f in world.facts):
        return None
    domain = Interval.open(0, oo) if w.is_positive else S.Reals
    roots, err = attempt(0.5, lambda: solveset(A_w, w, domain))
    if err or not roots.is_FiniteSet:
        return None
    # Only a root of the case: log² y = log² 2 has y = 2 too, but not for a declared 0 < y < 1.
    from ..kernel.world import inside_interval
    if target not in case.intervals or target in world.equations or target in case.dominance or \
            any(target == small for small, _ in case.dominance.values()):
        return None
    other = sorted((r for r in roots if r.is_real and r != R and inside_interval(
        r, case.intervals[target], case.signs.get(target))), key=lambda r: abs(r))
    if not other:
        return None
    shown = other[0]
    return (f"{target} = {shown} also solves {first}, where {second} fails",
            {str(target): str(shown)})


def _realised_counterexample(world, case, first, second, target):
    """A point where ``target = R`` holds but the first condition does not.

    Only for a target that is a variable or an integer power of one: the value
    of the variable is then recovered from R and the case's sign.
    """
    from .points import _holds_number, evaluate, plan, sample
    from ..kernel.world import inside_interval
    base, power = (target, 1) if target.is_Symbol else (target.as_base_exp())
    if base not in world.vars or not getattr(power, "is_Integer", power == 1):
        return None
    # The value recovered for the variable is a point of the world only if it is inside the
    # variable's interval and every condition holds there (t = −1 − x² for a declared t > 0
    # never holds: no point at all).
    conditions = plan(world)
    if not conditions.exact or base in case.dominance or \
            any(base == small for small, _ in case.dominance.values()) or \
            any(var == base for var, _ in conditions.constraints):
        return None
    n = int(power)
    rng = random.Random(1)
    solved = world.expand_defs(second.rhs)
    for _ in range(20):
        point = sample(world, case, rng)
        if point is None:
            continue
        try:
            r = complex(solved.evalf(30, subs=point))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            continue
        if abs(r.imag) > 1e-12 or (n % 2 == 0 and r.real <= 0):
            continue
        mag = abs(r.real) ** (1 / n)
        value = mag if case.signs.get(base, 1) > 0 else -mag
        if n % 2 == 1:
            value = r.real ** (1 / n) if r.real >= 0 else -((-r.real) ** (1 / n))
        point[base] = value
        if not inside_interval(value, case.intervals[base], case.signs.get(base)) or any(
                (v := evaluate(gap, point)) is None or not _holds_number(op, v)
                for op, gap in conditions.filters):
            continue
        try:
            sides = [to_primitives(world.expand_defs(rebuild(e))).evalf(30, subs=point)
                     for e in first.args]
            left, right = (complex(x) for x in sides)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            continue
        if abs(left - right) > 1e-12 * max(1, abs(left), abs(right)):
            shown = {str(k): f"{v:.8g}" for k, v in point.items()}
            shown.update(lhs=f"{left.real:.8g}", rhs=f"{right.real:.8g}")
            return (f"where {second} holds, {first} does not", shown)
    return None


def _threshold_or_refutation(goal, first, second):
    """A Threshold when the kernel's own rule accepts it (it re-checks it again when
    deciding); otherwise a point where one side holds and the other does not, if any."""
    from ..kernel.equalities import Rejected, threshold
    try:
        threshold(goal.world, goal.kind, first, second)
        return Threshold()
    except Rejected as rejected:
        # Imported only here: the refuters (and the search they import) cost a file whose
        # thresholds hold nothing.
        from .points import Context, region
        from .refute import refute_threshold
        if rejected.refutes:
            return failed(goal.kind, rejected.reason)
        for case in goal.world.cases:
            found = refute_threshold(Context(goal.world), region(goal.world, case), first, second)
            if found is not None and found[1] is not None:
                return failed(goal.kind, where(case, found[0]), found[1])
        raise


def _positive_multiples(world, first, second):
    """An Equivalence when g ≥ 0 and h ≥ 0 (same strictness) have g = k·h, k > 0, in every case."""
    from ..kernel.equalities import as_gap
    (g, op), (h, op2) = as_gap(first), as_gap(second)
    if op != op2:
        return None
    methods = []
    for case in world.cases:
        G = primitive(world, g, case, signs=True)
        H = primitive(world, h, case, signs=True)
        if H == 0:
            return None
        k, err = attempt(0.5, lambda: cancelled(G / H))
        if err or not _proportional(k, positive=True):
            return None
        methods.append((case.label, "proportional", "", ""))
    return Equivalence(tuple(methods))


def _disagreement(world, first, second, points=24):
    """A sampled point where one inequality holds and the other clearly does not."""
    from ..kernel.equalities import as_gap
    from .points import evaluate, plan, sample
    from .sampling import _fmt
    if not plan(world).exact:
        return None
    (g, _), (h, _) = as_gap(first), as_gap(second)
    g, h = (to_primitives(world.expand_defs(rebuild(e))) for e in (g, h))
    rng = random.Random(2)
    for case in world.cases:
        for _ in range(points):
            point = sample(world, case, rng)
            if point is None:
                continue
            a, b = evaluate(g, point), evaluate(h, point)
            if a is None or b is None or abs(a) < 1e-12 or abs(b) < 1e-12:
                continue
            if (a > 0) != (b > 0):
                shown = {str(k): _fmt(v) for k, v in point.items()
                         if k in first.free_symbols | second.free_symbols}
                shown.update(lhs=f"{'holds' if a > 0 else 'fails'}",
                             rhs=f"{'holds' if b > 0 else 'fails'}")
                return shown
    return None


def _is_ineq(rel):
    return isinstance(rel, (StrictGreaterThan, StrictLessThan, GreaterThan, LessThan))


def _threshold(goal, first, second):
    """A strict/weak mismatch is refuted where the threshold is attainable; the rest
    the kernel re-checks (and refutes when g(c) ≠ 0 or g runs the other way)."""
    from ..kernel.equalities import as_gap
    world, kind = goal.world, goal.kind
    proportional = _positive_multiples(world, first, second)
    if proportional is not None:
        return proportional
    z, c = second.lhs, second.rhs
    if not (z.is_Symbol and c.is_number):
        apart = _disagreement(world, first, second)
        if apart is not None:
            return failed(kind, f"{first} and {second} differ at a point", apart)
        raise UnsupportedStep("the two inequalities are not positive multiples of each other, and "
                              "the right one is not a threshold `symbol ≥ number`")
    (_, op), (_, op2) = as_gap(first), as_gap(second)
    var = world.vars.get(z)
    if op == op2 or (var is not None and var.integer and c.is_Integer):
        # For an integer ≥ and > differ by one: the kernel's integer rule decides.
        return _threshold_or_refutation(goal, first, second)
    # Not refuted by the mismatch alone: x + 1 > 0 ⟺ x ≥ 0 holds at x = 0 on both sides (it
    # breaks at x = −½), and t > 0 ⟺ t ≥ 0 is true for a declared t > 0. Only a point decides.
    why = f"one side is strict and the other is not ({first} versus {second})"
    from .points import Context, region
    from .refute import refute_threshold
    for case in world.cases:
        found = refute_threshold(Context(world), region(world, case), first, second)
        if found is not None and found[1] is not None:
            return failed(kind, where(case, f"{why}: {found[0]}"), found[1])
    return unknown(kind, why)
