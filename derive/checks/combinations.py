"""Multiplier search: nonnegative multiples of the named facts that leave a remainder ≥ 0."""

from __future__ import annotations

from sympy import Dummy, S, cancel, expand, linsolve

from ..budget import attempt
from ..kernel.certificates import Combination
from ..kernel.equalities import Rejected
from ..kernel.facts import gap, normal, split_atoms
from ..kernel.inequalities import Premises, check_combination, goal_gap
from ..printing import text
from ..verdict import unknown
from .registry import register

SOLVE_BUDGET = 1.0


@register("combination")
def _combination(goal):
    g, strict = goal_gap(goal.lhs, goal.rel, goal.rhs)
    try:
        premises = Premises.for_step(goal.world, goal.step, goal.ledger)
    except Rejected as r:
        return unknown("combination", r.reason)
    cert, why = search(goal.world, premises, g, strict, validate=False)
    return cert if cert is not None else refuted(goal, premises, "combination", why)


def refuted(goal, premises, kind, why):
    """When no certificate is found: a concrete witness (a quadratic function for each
    opaque one) that satisfies every fact while the step fails, else `unknown`."""
    from ..verdict import failed
    from .points import Context
    from .witness import quadratic_witness
    derivation, part = goal.derivation, goal.world.part
    in_scope = {s.name for s in derivation.schemas
                if s.kind == "hypothesis" and (not s.parts or part in s.parts)}
    if not in_scope <= {u.name for u in goal.step.why.uses}:
        # A hypothesis the step does not name may be what makes it true: a function
        # that satisfies only the named ones refutes nothing.
        return unknown(kind, why)
    facts = [(f.label, f.relation) for f in premises.facts]
    try:
        witness = quadratic_witness(Context(goal.world), facts, goal.lhs, goal.rel, goal.rhs,
                                    uses=goal.step.why.uses)
    except Exception:   # noqa: BLE001 - a witness is a bonus; its failure is not the step's
        witness = None
    if witness:
        return failed(kind, f"{why}; and a function that satisfies every fact named breaks the step",
                      {str(k): str(v) for k, v in witness.items()})
    return unknown(kind, why)


def search(world, premises, goal, strict, validate=True):
    """(Combination, None) for goal ≥ 0 (> 0) from the premises' facts, or (None, why not).

    The coefficients of every function value must cancel exactly (they can take
    any value): one linear system in the unknown multipliers. Multipliers it
    leaves free are set to 0. The kernel then checks signs, the remainder and
    strictness; its reason is returned when it refuses.
    """
    goal_n = normal(world, goal)
    mults, total = [], goal_n
    for fact in premises.facts:
        c = Dummy("c")
        mults.append(c)
        total -= c * normal(world, gap(fact.relation)[0])
    free, _, _ = split_atoms(world, expand(total), mults)
    equations = [e for e in free.values() if e != 0]
    if equations and not mults:
        return None, (f"no facts are named, and the function values do not cancel "
                      f"({_residual(free)})")
    solution = {c: S.Zero for c in mults}
    if equations:
        sols, err = attempt(SOLVE_BUDGET, lambda: linsolve(equations, mults))
        if err:
            return None, "solving for the multipliers ran out of time"
        if not sols:
            return None, f"no combination of the facts cancels the function values ({_residual(free)})"
        sol = next(iter(sols))
        leftover = {s: 0 for v in sol for s in v.free_symbols if s in mults}
        solution = {c: cancel(v.xreplace(leftover)) for c, v in zip(mults, sol)}
    cert = Combination(tuple((i, solution[c]) for i, c in enumerate(mults) if solution[c] != 0))
    if not validate:
        return cert, None       # the kernel will say whether it holds, and why not
    try:
        check_combination(world, premises, goal, strict, cert)
    except Rejected as r:
        return None, r.reason
    return cert, None


def _residual(free):
    shown = ", ".join(f"{text(a)}: {text(v)}" for a, v in list(free.items())[:4])
    return f"coefficient equations {shown} have no solution"
