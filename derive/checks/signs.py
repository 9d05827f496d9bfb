"""Sign inequalities: find, case by case, a rewriting whose sign the assumptions settle, or a point where it breaks."""

from __future__ import annotations

from ..budget import attempt
from ..errors import UnsupportedStep
from ..kernel.certificates import Sign
from ..kernel.equalities import RELOPS, where
from ..kernel.meaning import prepare, primitive
from ..kernel.positivity import sign_form
from ..verdict import checked, failed, unknown
from ..printing import short
from .equalities import PREPARE_BUDGET, _search
from .registry import register
from .points import region
from .sampling import sample_relation, trustworthy, unsettled
from .splits import from_conditions

prove_sign = sign_form      # the search and the kernel's check are the same bounded procedure


@register("sign")
def _sign(goal):
    from .indexed import check_indexed, uses_sums
    if goal.rel in ("=", "iff"):
        raise UnsupportedStep("a sign argument justifies an inequality, not '='")
    if uses_sums(goal.world, goal.lhs, goal.rhs):
        return check_indexed(goal)
    return check_sign(goal)


def check_sign(goal):
    """lhs rel rhs by the sign of the difference from the intervals alone."""
    world, kind, lhs, rel, rhs = goal.world, goal.kind, goal.lhs, goal.rel, goal.rhs
    gap = (rhs - lhs) if rel in ("<=", "<") else (lhs - rhs)
    want = RELOPS[rel]
    forms = []
    exact = trustworthy(world, lhs, rhs)
    for case in world.cases:
        value, err = attempt(PREPARE_BUDGET, lambda: primitive(world, gap, case, signs=True))
        if err:
            return unknown(kind, f"evaluating the sides took over {PREPARE_BUDGET}s")
        form = sign_form(value, want)
        if form:
            forms.append((case.label, form))
            continue
        L, R = prepare(world, lhs, case), prepare(world, rhs, case)
        outcome, info = sample_relation(L, R, rel, region(world, case))
        if outcome == "counterexample" and exact:
            return failed(f"{kind}: sampling", where(case, f"the inequality {rel} breaks"), info)
        if outcome != "counterexample":
            outcome, info = _search(L, R, rel, region(world, case), outcome, info)
            if outcome == "counterexample" and exact:
                return failed(f"{kind}: search", where(case, f"the inequality {rel} breaks"), info)
        # No point broke it; it may still be false everywhere by a hair.
        if sign_form(-value, ">" if want == ">=" else ">="):
            return failed(kind, where(case, f"{short(gap)} is provably "
                                            f"{'negative' if want == '>=' else 'not positive'}"))
        found = from_conditions(goal)
        if found is not None:
            return found            # multipliers for the conditions, or a split on |·|
        why = f"the sign of {short(gap)} {want} 0 does not follow from the assumptions"
        if outcome == "held" and exact:
            return checked(f"{kind}: sampling", f"{why}; held at {info} sampled points")
        return unknown(kind, f"{why}; {unsettled(outcome, info)}")
    return Sign(tuple(forms))
