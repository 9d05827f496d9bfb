"""Splitting on the sign of what is inside |·|: each branch a proof of its own."""

from __future__ import annotations

from sympy import Abs, Ge

from ..printing import text
from .equalities import Rejected
from .facts import Fact, normal
from .inequalities import Premises, check_combination, goal_gap

MAX_DEPTH = 4


def split(world, step, lhs, rel, rhs, ledger, cert):
    """goal ≥ 0 with |A| in it: with |A| = A given A ≥ 0, and |A| = −A given −A ≥ 0, each
    branch re-checked by its certificate with the branch's condition as the last fact."""
    premises = Premises.for_step(world, step, ledger)
    g, strict = goal_gap(lhs, rel, rhs)
    lines = check_split(world, premises, abs_form(normal(world, g)), strict, cert, 0)
    return "split on the sign inside |·|", (*premises.obligations, *lines)


def abs_form(expr):
    """ReLU, max, min with |·| (identities): ReLU(A) = (A + |A|)/2, max(a, b) = (a + b + |a − b|)/2."""
    from sympy import Max, Min
    from ..expressions import rewrite_bottom_up
    from ..notation import ReLU

    def pairwise(node):
        if isinstance(node, ReLU):
            return (node.args[0] + Abs(node.args[0])) / 2
        sign = 1 if isinstance(node, Max) else -1
        out = node.args[0]
        for b in node.args[1:]:
            out = (out + b + sign * Abs(out - b)) / 2
        return out
    return rewrite_bottom_up(expr, (ReLU, Max, Min), pairwise)


def check_split(world, premises, goal, strict, cert, depth):
    """The lines of an accepted split of goal ≥ 0 (> 0), else Rejected."""
    if depth > MAX_DEPTH:
        raise Rejected("too many nested splits")
    a = cert.on
    if Abs(a) not in goal.atoms(Abs):
        raise Rejected(f"the split is on |{text(a)}|, which the step does not hold")
    lines = []
    for sign, sub, words in ((1, cert.positive, "≥ 0"), (-1, cert.negative, "≤ 0")):
        condition = Ge(sign * a, 0)
        branch = Premises(world, [*premises.facts, Fact(f"the case {text(a)} {words}", condition)],
                          premises.obligations)
        g = goal.xreplace({Abs(a): sign * a})
        lines.append(f"where {text(a)} {words}, |{text(a)}| = {text(sign * a)}:")
        if sub.kind == "split":
            inner = check_split(world, branch, g, strict, sub, depth + 1)
        elif sub.kind == "combination":
            inner = check_combination(world, branch, g, strict, sub)
        else:
            raise Rejected(f"a branch of a split is proved by a combination or a split, not {sub.kind}")
        lines.extend("  " + line for line in inner)
    return lines
