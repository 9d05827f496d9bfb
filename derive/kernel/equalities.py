"""Kernel rules for equalities, signs and equivalences: each certificate re-checked case by case."""

from __future__ import annotations

from sympy import (Dummy, Eq, GreaterThan, LessThan, Limit, S, StrictGreaterThan, StrictLessThan,
                   cancel, diff)

from ..errors import UnsupportedStep
from ..expressions import nonsmooth_types, to_primitives
from ..printing import text
from .meaning import before_cases, primitive, prepare
from .normal import cancelled, reduces_to_zero
from .positivity import holds, sign_form
from .world import signed_interval

MAX_POWER = 8
RELOPS = {"<=": ">=", "<": ">", ">=": ">=", ">": ">"}


class Rejected(UnsupportedStep):
    """The kernel does not accept a certificate; ``refutes`` when the reason disproves the step.

    An UnsupportedStep, so a searcher that asks the kernel and is refused ends `unknown`.
    """

    def __init__(self, reason, refutes=False):
        super().__init__(reason)
        self.reason, self.refutes = reason, refutes


def _cases(world, entries):
    """The certificate's entries, one per case of the world, in order."""
    labels = tuple(e[0] for e in entries)
    if labels != world.labels:
        raise Rejected(f"the certificate covers the cases {labels}, the step has {world.labels}")
    return zip(world.cases, entries)


def tag(method, world):
    if len(world.cases) == 1 and not world.cases[0].label:
        return method
    return f"{method} in each sign case ({'; '.join(world.labels)})"


def where(case, words):
    return f"{words} (case {case.label})" if case.label else words


def zero(world, kind, lhs, rhs, cert):
    for case, (_, layer) in _cases(world, cert.layers):
        L, R = prepare(world, lhs, case), prepare(world, rhs, case)
        if L.has(Limit) or R.has(Limit):
            raise Rejected(where(case, "a limit could not be evaluated"))
        if L == R and L in (S.Infinity, S.NegativeInfinity):
            continue            # ∞ = ∞ (where ∞ − ∞ is nan; never nan = nan or zoo = zoo)
        if not reduces_to_zero(to_primitives(L - R), layer):
            raise Rejected(where(case, f"{layer} does not reduce lhs − rhs to 0"))
    used = sorted({layer for _, layer in cert.layers})
    return tag(f"{kind}: {'+'.join(used)}", world), ()


def root(world, kind, lhs, rhs, cert):
    """lhs = rhs at the point T = R the step's own conditions name (T a symbol, R free of it)."""
    from .certificates import Zero
    points = [c for c in world.own_conditions if isinstance(c, Eq) and c.lhs.is_Symbol
              and c.lhs not in world.expand_defs(c.rhs).free_symbols]
    if not points:
        raise Rejected("a root is checked at a point: write the step's condition `for w = …`")
    method, _ = zero(world, kind, lhs, rhs, Zero(cert.layers))
    at = ", ".join(f"{text(p.lhs)} = {text(p.rhs)}" for p in points)
    return method, (f"at {at} the equation holds (a root; that it is the only one is not claimed)",)


def sign(world, kind, lhs, rel, rhs, cert):
    gap = (rhs - lhs) if rel in ("<=", "<") else (lhs - rhs)
    want = RELOPS[rel]
    for case, (_, form) in _cases(world, cert.forms):
        value = primitive(world, gap, case, signs=True)
        if not holds(value, want, form):
            raise Rejected(where(case, f"{text(gap)} {want} 0 is not shown by the form {form!r}"))
    used = sorted({form for _, form in cert.forms})
    return tag(f"{kind}: {'+'.join(used)}", world), (f"{text(gap)} {want} 0 from the symbols' intervals",)


def equivalence(world, kind, first, second, cert):
    if not (isinstance(first, Eq) and isinstance(second, Eq)):
        return _inequalities(world, kind, first, second, cert)
    a, c = first.lhs - first.rhs, second.lhs - second.rhs
    names = []
    for case, (_, method, layer, mode) in _cases(world, cert.methods):
        A = primitive(world, a, case, signs=True)
        C = primitive(world, c, case, signs=True)
        if method == "proportional":
            k = cancelled(A / C) if C != 0 else 0
            tries = (-k, k) if mode == "-" else (k, -k)     # the mode only orders the tries
            if k == 0 or not finite(k) or not any(sign_form(t, ">") for t in tries):
                raise Rejected(where(case, "the two sides are not proportional by a factor of one sign"))
            names.append("proportional")
        elif method == "power":
            # A = k·Cᵐ with k of one strict sign: Cᵐ = 0 exactly where C = 0.
            m = int(mode) if mode.isdigit() and 0 < len(mode) < 3 else 0
            k = cancelled(A / C**m) if C != 0 and 1 <= m <= MAX_POWER else 0
            if k == 0 or not finite(k) or not (sign_form(k, ">") or sign_form(-k, ">")):
                raise Rejected(where(case, f"the first side is not a factor of one sign times the "
                                           f"second to the power {mode}"))
            names.append(f"a factor of one sign times a power ({m})")
        elif method == "solved":
            _solved(world, case, A, second, layer, mode)
            names.append("solved form: substituted back, strictly monotone")
        else:
            raise Rejected(f"unknown equivalence method {method!r}")
    return tag(f"{kind}: {'; '.join(sorted(set(names)))}", world), ()


def finite(k) -> bool:
    """k's denominator has a strict sign, so A = k·C holds at every point, not only where
    C ≠ 0 (a factor 1/(y − ½) would say nothing at y = ½)."""
    from sympy import fraction, together
    _, den = fraction(together(k))
    return den.is_number and den != 0 or bool(sign_form(den, ">") or sign_form(-den, ">"))


def _inequalities(world, kind, first, second, cert):
    """g ≥ 0 ⟺ h ≥ 0 (or both strict) when g = k·h with k > 0 in every case."""
    (g, op), (h, op2) = as_gap(first), as_gap(second)
    if op != op2:
        raise Rejected("one side is strict and the other is not")
    for case, (_, method, _, _) in _cases(world, cert.methods):
        G = primitive(world, g, case, signs=True)
        H = primitive(world, h, case, signs=True)
        k = cancelled(G / H) if H != 0 else 0
        if method != "proportional" or k == 0 or not finite(k) or not sign_form(k, ">"):
            raise Rejected(where(case, "the two inequalities are not positive multiples of each other"))
    return tag(f"{kind}: proportional, by a positive factor", world), ()


# The target of a solved form as a variable (on its range, on all reals): the same two
# symbols for the searcher and the kernel, so the slope both differentiate is one
# expression, its sign proved once; fresh ones where the expressions already hold them.
TARGET = (Dummy("w", positive=True), Dummy("w", real=True))


def target_symbols(*exprs):
    if any(e.free_symbols & set(TARGET) for e in exprs):
        return Dummy("w", positive=True), Dummy("w", real=True)
    return TARGET


def _solved(world, case, A, second, layer, mode):
    """``second`` (T = R) is the only solution of A = 0 in this case."""
    target = second.lhs
    if target.free_symbols & world.expand_defs(second.rhs).free_symbols:
        raise Rejected("the solved form's right side mentions its target")
    target_c = to_primitives(target.xreplace(case.sign_subs))
    R = to_primitives(world.expand_defs(second.rhs).xreplace(case.sign_subs))
    w_pos, w_real = target_symbols(A, R)
    w = w_pos if target_c.is_positive else w_real
    # The first condition must depend on its variables only through the target.
    A_w = A.subs(target_c, w)
    if A_w.has(*nonsmooth_types()) or A_w.free_symbols & target_c.free_symbols:
        raise Rejected(where(case, "the first equation is not a smooth function of the target alone"))
    if not reduces_to_zero(A_w.xreplace({w: R}), layer):
        raise Rejected(where(case, f"{layer} does not show that the solution satisfies the equation"))
    if mode == "reals":
        # Strictly monotone on all reals: R is the only real root, so where the target
        # cannot equal R (v² = R < 0) neither equation has a solution.
        slope = derivative(A_w.xreplace({w: w_real}), w_real)
    elif mode == "range" and w.is_positive and sign_form(R, ">"):
        # Otherwise only on the target's own range (w > 0), which must then contain R.
        slope = derivative(A_w, w)
    else:
        raise Rejected(where(case, "no range on which the equation is monotone"))
    if not (sign_form(slope, ">") or sign_form(-slope, ">")):
        raise Rejected(where(case, "the equation is not strictly monotone in the target"))


def threshold(world, kind, first, second):
    """g ≥ 0 ⟺ z ≥ c (or >, ≤, <): g(c) = 0 and g strictly monotone in z on its interval."""
    z, c = second.lhs, second.rhs
    if not (z.is_Symbol and c.is_number):
        raise Rejected("the right side of a threshold equivalence must be `symbol ≥ number`")
    var = world.vars.get(z)
    if var is not None and var.integer and c.is_Integer and z not in world.equations:
        from .integers import integer_threshold
        return integer_threshold(world, kind, first, second)
    g, op = as_gap(first)
    h, op2 = as_gap(second)
    if op != op2:
        raise Rejected(f"one side is strict and the other is not ({first} versus {second})")
    rising = (h - (z - c)) == 0     # second says z ≥ c (or >); otherwise z ≤ c
    var = world.vars.get(z)
    if var is None or not ((var.lower is None or c > var.lower) and (var.upper is None or c < var.upper)):
        raise Rejected(f"a threshold needs {c} inside the interval of a declared variable {z}")
    if z in world.equations or z in world.dominance or \
            any(z == small for small, _ in world.dominance.values()):
        raise Rejected(f"a threshold in {z} needs {z} free over its own interval")
    g0 = to_primitives(before_cases(world, g)[0])
    free = not any(z in f.free_symbols for f in world.facts)   # (z − 3)² ≤ 0: no points near c
    for case in world.cases:
        own = signed_interval(case.intervals[z], case.signs[z]) if z in case.signs else case.intervals[z]
        if not ((own.lower is None or c > own.lower) and (own.upper is None or c < own.upper)):
            raise Rejected(where(case, f"{z} = {c} is not inside the interval {z} ranges over here"))
        whole = g0.xreplace(case.sign_subs)
        if whole.has(*nonsmooth_types()):
            raise Rejected(where(case, "the left side is not smooth in the variable, so its "
                                       "derivative's sign does not make it monotone"))
        if whole.is_real is not True:
            # A pole or a log of a negative number inside would let a monotone-looking g jump.
            raise Rejected(where(case, f"cannot show the left side is a real, finite function "
                                       f"of {z} on its whole interval"))
        at_c = cancel(g0.xreplace({z: c}).xreplace({k: v for k, v in case.sign_subs.items() if k != z}))
        if at_c != 0:
            if not (sign_form(at_c, ">") or sign_form(-at_c, ">")):     # log 6 − log 2 − log 3
                raise Rejected(where(case, f"cannot show the left side is 0 at {z} = {c} ({at_c})"))
            raise Rejected(where(case, f"at {z} = {c} the left side is {at_c}, not 0, so the threshold is elsewhere"
                                 + ("" if free else f" (or a condition on {z} removes the points near it)")), refutes=free)
        slope = to_primitives(derivative(g0, z).xreplace(case.sign_subs))
        if not sign_form(slope if rising else -slope, ">"):
            if sign_form(-slope if rising else slope, ">"):
                raise Rejected(where(case, f"the left side is monotone the other way in {z}: "
                                           f"the equivalent condition is {z} {'≤' if rising else '≥'} {c}"),
                               refutes=free)
            raise Rejected(where(case, f"cannot show the left side is strictly monotone in {z}"))
    return tag(f"{kind}: threshold at {z} = {c}, strictly monotone", world), ()


def derivative(expr, z):
    """∂expr/∂z: SymPy's diff, computed by kernel.derivatives for a real variable (the same
    expression, without the assumption queries diff makes at every node)."""
    from .derivatives import differentiate
    return diff(expr, z) if z.is_integer else differentiate(expr, [(z, 1)])


def as_gap(rel):
    """(g, op) with the relation ⟺ g op 0, op in {">", ">="}."""
    if isinstance(rel, (GreaterThan, StrictGreaterThan)):
        return rel.lhs - rel.rhs, ">=" if isinstance(rel, GreaterThan) else ">"
    if isinstance(rel, (LessThan, StrictLessThan)):
        return rel.rhs - rel.lhs, ">=" if isinstance(rel, LessThan) else ">"
    raise Rejected(f"not an inequality: {rel}")
