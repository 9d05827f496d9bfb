"""Inequalities from the step's conditions: multipliers for them, and splits on the sign inside |·|."""

from __future__ import annotations

from sympy import Abs, Ge, Max, Min, sympify

from ..budget import attempt
from ..kernel.certificates import Split
from ..kernel.equalities import Rejected
from ..kernel.facts import Fact, normal
from ..kernel.inequalities import Premises, goal_gap
from ..notation import ReLU
from ..printing import text

MAX_DEPTH = 3
BUDGET = 4.0        # |1 − ηL| + |1 − aη| ≤ 2 takes about 1 s of CPU: a margin for a loaded machine


def from_conditions(goal):
    """A certificate for an inequality step from its conditions that are facts (ηL ≤ 1,
    aη ≤ 2): a combination, or a split on the sign inside |·|; None if none is found."""
    if goal.rel not in ("<=", "<", ">=", ">"):
        return None
    if not (goal.world.facts or goal.step.why.uses
            or any(sympify(side).has(Abs, Max, Min, ReLU) for side in (goal.lhs, goal.rhs))):
        return None         # nothing to combine and no |·| (max, min, ReLU) to split on
    try:
        premises = Premises.for_step(goal.world, goal.step, goal.ledger)
    except Rejected:
        return None
    g, strict = goal_gap(goal.lhs, goal.rel, goal.rhs)
    found, err = attempt(BUDGET, _search, goal.world, premises, g, strict)
    return None if err else found


def _search(world, premises, g, strict):
    from .combinations import search
    cert, _ = search(world, premises, g, strict)
    if cert is not None:
        return cert
    return split_search(world, premises, g, strict)


def split_search(world, premises, goal, strict, depth=0):
    """A Split for goal ≥ 0 (> 0) holding |A|: each branch by a combination (or a further
    split) with A ≥ 0, resp. A ≤ 0, as the last fact; None if a branch finds nothing."""
    from .combinations import search
    from ..kernel.cases import abs_form
    g = abs_form(normal(world, goal))
    atoms = sorted(g.atoms(Abs), key=str)
    if not atoms or depth >= MAX_DEPTH:
        return None
    a = atoms[0].args[0]
    branches = []
    for sign, words in ((1, "≥ 0"), (-1, "≤ 0")):
        branch = Premises(world, [*premises.facts, Fact(f"the case {text(a)} {words}", Ge(sign * a, 0))],
                          premises.obligations)
        part = g.xreplace({Abs(a): sign * a})
        cert = split_search(world, branch, part, strict, depth + 1) if part.has(Abs) else None
        if cert is None:
            cert, _ = search(world, branch, part, strict)
        if cert is None:
            return None
        branches.append(cert)
    return Split(a, *branches)
