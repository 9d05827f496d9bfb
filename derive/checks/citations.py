"""Citations: a step that is an instance of one named fact, and induction by unrolling a stated result."""

from __future__ import annotations

from sympy import Equality, GreaterThan, LessThan, StrictGreaterThan, StrictLessThan

from ..errors import UnsupportedStep
from ..kernel.certificates import Instance, Unroll
from ..kernel.facts import LEMMAS, lookup, normal
from ..kernel.inequalities import Premises
from ..kernel.meaning import prepare
from ..printing import text
from ..verdict import failed
from .registry import register
from .points import region
from .sampling import sample_relation


@register("hypothesis", "lemma", "result")
def _cite(goal):
    """The step is literally an instance of one named fact (the kernel matches it)."""
    uses = goal.step.why.uses
    if len(uses) != 1:
        raise UnsupportedStep(f"'{goal.kind}' cites exactly one fact; use 'combination' for several")
    # Side conditions first: a lemma is only sampled where its instance makes sense.
    Premises.for_step(goal.world, goal.step, goal.ledger)
    refuted = _refute_stated_lemma(goal, uses[0])
    if refuted is not None:
        return refuted
    verdict = goal.decide(Instance())
    if verdict.status == "failed" and not verdict.counterexample and uses[0].name not in LEMMAS:
        # Not the instance: a function satisfying every hypothesis for which the step fails.
        from .combinations import witness_for
        found = witness_for(goal, [])
        if found:
            return failed(verdict.method, f"{verdict.reason}; and a function that satisfies "
                          "every hypothesis breaks the step", found)
    return verdict


def _refute_stated_lemma(goal, use):
    """A lemma a derivation states itself is not assumed blindly: where its instance
    involves only declared variables, sampling looks for a point that breaks it.
    (Hypotheses are assumptions about the world, such as smoothness of ℒ, and
    the built-in lemmas have proofs: neither is sampled.)"""
    world = goal.world
    schema = lookup(world.derivation, use.name, world.part)
    if schema.kind != "lemma" or use.name in LEMMAS:
        return None
    inst = schema.instance(*use.args)
    if not hasattr(inst, "lhs"):
        return None
    if not normal(world, inst.lhs - inst.rhs).free_symbols <= set(world.vars):
        return None
    rel = {LessThan: "<=", StrictLessThan: "<", GreaterThan: ">=", StrictGreaterThan: ">",
           Equality: "="}.get(type(inst))
    if rel is None:
        return None
    for case in world.cases:
        outcome, info = sample_relation(prepare(world, inst.lhs, case),
                                        prepare(world, inst.rhs, case), rel, region(world, case))
        if outcome == "counterexample":
            return failed("lemma", f"the stated lemma {use.name} is false here: {text(inst)} breaks", info)
    return None


@register("unroll")
def _unroll(goal):
    """Induction: the kernel checks the premise, q ≥ 0 and the unrolled form itself."""
    return Unroll()
