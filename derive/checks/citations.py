"""Citations: a step that is an instance of one named fact, and induction by unrolling a stated result."""

from __future__ import annotations

from sympy import Equality, GreaterThan, LessThan, S, StrictGreaterThan, StrictLessThan

from ..errors import UnsupportedStep
from ..kernel.certificates import Instance, Unroll
from ..kernel.facts import LEMMAS, lookup, normal
from ..kernel.inequalities import Premises
from ..notation import Inner
from ..printing import text
from ..verdict import failed, unknown
from .registry import register
from .sampling import break_point


@register("hypothesis", "lemma", "result")
def _cite(goal):
    """The step is literally an instance of one named fact (the kernel matches it)."""
    uses = goal.step.why.uses
    if len(uses) != 1:
        raise UnsupportedStep(f"'{goal.kind}' cites exactly one fact; use 'combination' for several")
    # Side conditions first (a stated lemma was sampled where its instance makes sense:
    # refute_stated_lemmas, before any checker).
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


def refute_stated_lemmas(goal):
    """A lemma a derivation states itself is not assumed blindly, whatever the step does
    with it (cites it, or uses it by a combination or monotonicity: a false lemma used so
    proved a false step): where its instance involves only declared variables and inner
    products of vectors, sampling looks for a point that breaks it, once the step's side
    conditions hold. (Hypotheses are assumptions about the world, such as smoothness of
    ℒ, and the built-in lemmas have proofs: neither is sampled.) A failed verdict, or None."""
    world = goal.world
    stated = []
    for use in goal.step.why.uses:
        if use.name == "above" or use.name in LEMMAS:
            continue
        try:
            schema = lookup(world.derivation, use.name, world.part)
        except UnsupportedStep:
            continue
        if schema.kind == "lemma":
            stated.append((use, schema))
    if not stated:
        return None
    try:
        premises = Premises.for_step(world, goal.step, goal.ledger)
    except UnsupportedStep:
        return None               # side conditions not shown: the checker says why
    lemma = tuple(use.name for use, _ in stated)
    # Where the step breaks, every other fact it uses must hold (never the false lemma).
    facts = [f.relation for f in premises.facts
             if not any(f.label == n or f.label.startswith(n + "(") for n in lemma)]
    for use, schema in stated:
        broken = _refute_stated_lemma(goal, use, schema)
        if broken is None:
            continue
        inst, point = broken
        # A false lemma proves nothing; the step fails only where it breaks itself.
        own = break_point(world, goal.lhs, goal.rel, goal.rhs, facts)
        if own is not None:
            return failed(goal.kind, f"the step breaks (and the stated lemma {use.name} it "
                          f"uses is false here: {text(inst)} breaks too)", own)
        where = ", ".join(f"{k} = {v}" for k, v in point.items() if k not in ("lhs", "rhs", "difference"))
        return unknown(goal.kind, f"the stated lemma {use.name} is false here: {text(inst)} "
                                  f"breaks at {where}, so it proves nothing")
    return None


def _refute_stated_lemma(goal, use, schema):
    """(the instance, a point where it breaks), or None."""
    world = goal.world
    inst = schema.instance(*use.args)
    if not hasattr(inst, "lhs"):
        return None
    gap = normal(world, inst.lhs - inst.rhs)
    # Vectors only inside ⟨·,·⟩ (sampling draws them), scalars only declared variables.
    outside = gap.xreplace({a: S.One for a in gap.atoms(Inner)}).free_symbols
    if not outside <= set(world.vars):
        return None
    rel = {LessThan: "<=", StrictLessThan: "<", GreaterThan: ">=", StrictGreaterThan: ">",
           Equality: "="}.get(type(inst))
    if rel is None:
        return None
    point = break_point(world, inst.lhs, rel, inst.rhs)
    return None if point is None else (inst, point)


@register("unroll")
def _unroll(goal):
    """Induction: the kernel checks the premise, q ≥ 0 and the unrolled form itself."""
    return Unroll()
