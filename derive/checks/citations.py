"""Citations: a step that is an instance of one named fact, and induction by unrolling a stated result."""

from __future__ import annotations

from ..errors import UnsupportedStep
from ..kernel.certificates import Instance, Unroll
from ..kernel.facts import LEMMAS
from ..kernel.inequalities import Premises
from ..verdict import failed
from .registry import register


@register("hypothesis", "lemma", "result")
def _cite(goal):
    """The step is literally an instance of one named fact (the kernel matches it)."""
    uses = goal.step.why.uses
    if len(uses) != 1:
        raise UnsupportedStep(f"'{goal.kind}' cites exactly one fact; use 'combination' for several")
    # Side conditions first (a stated lemma was sampled where its instance makes sense:
    # stated.refute_stated_lemmas, before any checker).
    Premises.for_step(goal.world, goal.step, goal.ledger)
    verdict = goal.decide(Instance())
    if verdict.status == "failed" and not verdict.counterexample and uses[0].name not in LEMMAS:
        # Not the instance: a function satisfying every hypothesis for which the step fails.
        from .combinations import witness_for
        found = witness_for(goal, [])
        if found:
            return failed(verdict.method, f"{verdict.reason}; and a function that satisfies "
                          "every hypothesis breaks the step", found)
    return verdict


@register("unroll")
def _unroll(goal):
    """Induction: the kernel checks the premise, q ≥ 0 and the unrolled form itself."""
    return Unroll()
