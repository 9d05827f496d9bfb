"""Citations: a step that is an instance of one named fact, and induction by unrolling a stated result."""

from __future__ import annotations

from ..budget import attempt
from ..errors import UnsupportedStep
from ..kernel.certificates import Instance, Unroll
from ..kernel.facts import gap
from ..kernel.inequalities import Premises
from .registry import register

# The multiplier search for a step that is not the instance; over it the step is unknown.
FOLLOW_BUDGET = 1.5


@register("hypothesis", "lemma", "result")
def _cite(goal):
    """The step is literally an instance of one named fact (the kernel matches it); else
    it may follow from that fact by nonnegative multipliers (a Combination the kernel
    re-checks: 2·√(uv) ≤ u + v from amgm), else a counterexample is looked for, else
    unknown: a step that is not the instance is not thereby false."""
    uses = goal.step.why.uses
    if len(uses) != 1:
        raise UnsupportedStep(f"'{goal.kind}' cites exactly one fact; use 'combination' for several")
    # Side conditions first (a stated lemma was sampled where its instance makes sense:
    # stated.refute_stated_lemmas, before any checker).
    premises = Premises.for_step(goal.world, goal.step, goal.ledger)
    verdict = goal.decide(Instance())
    if verdict.status != "unknown":
        return verdict
    try:
        found = _follows(goal, premises)
    except UnsupportedStep:         # ⟨x, y⟩² is no linear combination: the search cannot say
        found = None
    if found is not None:
        return found
    from .combinations import refuted
    return refuted(goal, premises, goal.kind, verdict.reason, named=False)


def _follows(goal, premises):
    """The kernel's verdict on what the search proposes from the cited fact alone: a
    Combination (2·instance), else a Monotone tree (e^{log u} ≤ e^{u − 1}); or None."""
    from .combinations import search, search_equations
    world = goal.world
    if goal.rel == "=":
        found, err = attempt(FOLLOW_BUDGET, search_equations, world, premises, goal.lhs - goal.rhs)
    elif goal.rel in ("<=", "<", ">=", ">"):
        g, strict = gap((goal.lhs, goal.rhs), goal.rel)
        found, err = attempt(FOLLOW_BUDGET, search, world, premises, g, strict)
    else:
        return None
    cert = found[0] if found and not err else None
    verdict = goal.decide(cert) if cert is not None else None
    if (verdict is None or verdict.status != "proved") and goal.rel in ("<=", ">="):
        from ..kernel.certificates import Monotone
        from ..kernel.facts import surface
        from .monotone import prove
        small, big = (goal.lhs, goal.rhs) if goal.rel == "<=" else (goal.rhs, goal.lhs)
        found, err = attempt(FOLLOW_BUDGET, prove, world, premises, surface(world, small),
                             surface(world, big), 0)
        node = found[0] if found and not err else None
        verdict = goal.decide(Monotone(node)) if node is not None else verdict
    return verdict if verdict is not None and verdict.status == "proved" else None


@register("unroll")
def _unroll(goal):
    """Induction: the kernel checks the premise, q ≥ 0 and the unrolled form itself."""
    return Unroll()
