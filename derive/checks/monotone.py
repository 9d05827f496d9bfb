"""Monotonicity search: compare two sides structurally (common factors, powers, exp) down to facts."""

from __future__ import annotations

from sympy import Add, Mul, Pow, cancel, exp

from ..errors import UnsupportedStep
from ..kernel.certificates import Monotone, Node
from ..kernel.equalities import Rejected
from ..kernel.facts import gap, normal, surface
from ..kernel.inequalities import MAX_DEPTH, Premises, goal_gap
from ..printing import text
from ..verdict import unknown
from .generic import nonzero
from .combinations import search as combination
from .registry import register


@register("monotone")
def _monotone(goal):
    _, strict = goal_gap(goal.lhs, goal.rel, goal.rhs)
    if strict:
        raise UnsupportedStep("monotonicity proves ≤ or ≥; split a strict step")
    world = goal.world
    small, big = (goal.lhs, goal.rhs) if goal.rel in ("<=", "<") else (goal.rhs, goal.lhs)
    try:
        premises = Premises.for_step(world, goal.step, goal.ledger)
    except Rejected as r:
        return unknown("monotone", r.reason)
    node, why = _prove(world, premises, surface(world, small), surface(world, big), 0)
    if node is not None:
        return Monotone(node)
    from .combinations import refuted
    return refuted(goal, premises, "monotone", why)


def _prove(world, premises, a, b, depth):
    """(Node proving a ≤ b, None) or (None, why not). ``a`` and ``b`` are surface forms
    (defined names kept) so the structure the author wrote is matched."""
    if depth > MAX_DEPTH:
        return None, "monotonicity recursion too deep"
    raw = normal(world, b - a)
    # cancel() of these is most of a monotone step's time: a value far from 0 at one
    # generic point shows the difference is not 0 without it.
    if _zero(raw):
        return Node("equal", a, b), None
    for i, g in enumerate(_fact_gaps(world, premises)):
        if g is not None and _zero(g - raw):
            return Node("fact", a, b, fact=i), None
    fa, fb = list(Mul.make_args(a)), list(Mul.make_args(b))
    common = []
    for f in fa:
        if f != 1 and f in fb:
            common.append(f)
            fb.remove(f)
    if common:
        k = Mul(*common)
        rest = list(Mul.make_args(a))
        for f in common:
            rest.remove(f)
        x, y = Mul(*rest), Mul(*fb)
        rules = (("factor", k, x, y), ("factor turned", -k, y, x))
        # k ≥ 0 and −k ≥ 0 both hold only for k = 0, so the order changes no outcome; a
        # k written with a minus sign is tried as −k first (a failed sign search costs more).
        for rule, sign, lo, hi in (rules[::-1] if k.could_extract_minus_sign() else rules):
            ok, proof = _nonneg(world, premises, sign)
            if ok:
                child, why = _prove(world, premises, lo, hi, depth + 1)
                return (Node(rule, a, b, arg=k, sign_of=proof, children=(child,)), None) \
                    if child is not None else (None, why)
        return None, f"the sign of the common factor {text(k)} is not known"
    if isinstance(a, Pow) and not a.exp.is_Number:
        t = a.exp
        bb = b
        if isinstance(b, exp) and not cancel(b.args[0] / t).has(*t.free_symbols):
            bb = Pow(exp(cancel(b.args[0] / t)), t, evaluate=False)
        if isinstance(bb, Pow) and cancel(bb.exp - t) == 0:
            if not premises.sign(world, normal(world, t), False):
                return None, f"the exponent {text(t)} is not provably ≥ 0"
            ok, proof = _nonneg(world, premises, a.base)
            if not ok:
                return None, f"the base {text(a.base)} is not provably ≥ 0"
            child, why = _prove(world, premises, a.base, bb.base, depth + 1)
            return (Node("power", a, b, arg=t, sign_of=proof, children=(child,)), None) \
                if child is not None else (None, why)
    if isinstance(a, exp) and isinstance(b, exp):
        child, why = _prove(world, premises, a.args[0], b.args[0], depth + 1)
        return (Node("exp", a, b, children=(child,)), None) if child is not None else (None, why)
    ta, tb = Add.make_args(a), Add.make_args(b)
    shared = [t for t in ta if t in tb]
    if shared and len(ta) > 1:
        rest_a = Add(*[t for t in ta if t not in shared])
        rest_b = Add(*[t for t in tb if t not in shared])
        child, why = _prove(world, premises, rest_a, rest_b, depth + 1)
        return (Node("terms", a, b, children=(child,)), None) if child is not None else (None, why)
    if not _free_atom(world, premises, raw) and premises.sign(world, cancel(raw), False):
        return Node("sign", a, b), None
    # Last resort: a multiplier certificate from the facts.
    cert, why = combination(world, premises, b - a, False)
    if cert is not None:
        return Node("combination", a, b, combination=cert), None
    return None, f"cannot show {text(a)} ≤ {text(b)}: {why}"


# A citation whose step follows from the cited fact by monotonicity asks for the same tree.
prove = _prove


def _nonneg(world, premises, k):
    """(True, None) from the intervals, (True, Combination) from the facts, or (False, None)."""
    k = normal(world, k)
    if _free_atom(world, premises, k):
        pass                     # neither k ≥ 0 nor k < 0 follows from the intervals
    elif premises.sign(world, k, False):
        return True, None
    elif premises.sign(world, -k, True):
        return False, None       # k < 0: no multipliers can show k ≥ 0 (the search costs seconds)
    cert, _ = combination(world, premises, k, False)
    return (cert is not None), cert


def _zero(expr) -> bool:
    """cancel(expr) == 0, skipping cancel when the expression is plainly 0 or plainly not."""
    return expr == 0 or (not nonzero(expr) and cancel(expr) == 0)


def _fact_gaps(world, premises):
    """Each fact's gap ≥ 0 in normal form (None for an equation), computed once per step."""
    cached = getattr(premises, "_monotone_gaps", None)
    if cached is None:
        cached = []
        for fact in premises.facts:
            g, strict = gap(fact.relation)
            cached.append(None if strict is None else normal(world, g))
        premises._monotone_gaps = cached
    return cached


def _free_atom(world, premises, g) -> bool:
    """g = c·X + (terms without X), c a nonzero number, X a value with no sign of its own
    (ℒ(w₀), not a variable, in no case's substitution or named parameter gap): g takes
    every real value as X does, so no interval or gap shows g ≥ 0 or g < 0 (that search
    costs a hundred milliseconds in all its forms and fails)."""
    terms = Add.make_args(g)
    if len(terms) < 2:
        return False
    known = set(world.vars)
    for case in world.cases:
        for var, form in case.sign_subs.items():
            known.update({var, *form.free_symbols})
    for fg, _ in premises.gaps:
        known.update(fg.free_symbols)
    for term in terms:
        c, x = term.as_coeff_Mul()
        if not (c.is_Rational and c != 0 and x.is_Symbol) or x in known:
            continue
        if x.is_nonnegative is None and x.is_nonpositive is None and \
                not any(x in t.free_symbols for t in terms if t is not term):
            return True
    return False
