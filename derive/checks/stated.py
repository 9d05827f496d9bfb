"""A lemma the derivation states is sampled before any step may use it: refuted, held, or untested."""

from __future__ import annotations

from sympy import Equality, GreaterThan, LessThan, S, StrictGreaterThan, StrictLessThan
from sympy.core.function import AppliedUndef

from ..budget import attempt
from ..errors import UnsupportedStep
from ..kernel.facts import LEMMAS, lookup, normal
from ..kernel.inequalities import Premises
from ..notation import Inner
from ..printing import text
from ..verdict import failed, unknown
from .sampling import break_point, hypothesis_facts, sample_in_world

RELS = {LessThan: "<=", StrictLessThan: "<", GreaterThan: ">=", StrictGreaterThan: ">",
        Equality: "="}
PREPARE_BUDGET = 1.5


def refute_stated_lemmas(goal):
    """A lemma a derivation states itself is not assumed blindly, whatever the step does
    with it (cites it, or uses it by a combination or monotonicity: a false lemma used so
    proved a false step). Its instance is sampled once the step's side conditions hold:
    plain variables and inner products at random points, sums and families at small
    sizes, 𝔼 under random finite laws. A lemma that breaks proves nothing: the step fails
    at its own point where it breaks, else is unknown; so is a step whose lemma sampling
    could not test at all. (Hypotheses are assumptions about the world, such as
    smoothness of ℒ, and the built-in lemmas have proofs: neither is sampled.) A verdict,
    or None when every stated lemma the step uses held where it was sampled."""
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
    # Where the step breaks, every hypothesis it uses must hold (never the false lemma).
    facts = hypothesis_facts(world, goal.step, premises)
    tested = [(use, *_tested(world, use, schema)) for use, schema in stated]
    # A lemma that breaks says more than one that could not be tested.
    tested.sort(key=lambda t: t[1] != "counterexample")
    for use, outcome, inst, info in tested:
        if outcome == "held":
            continue
        own = _own_break(goal, facts)
        if outcome == "counterexample":
            if own is not None:
                return failed(goal.kind, f"the step breaks (and the stated lemma {use.name} it "
                              f"uses is false here: {text(inst)} breaks too)", own)
            where = ", ".join(f"{k} = {v}" for k, v in info.items()
                              if k not in ("lhs", "rhs", "difference"))
            return unknown(goal.kind, f"the stated lemma {use.name} is false here: {text(inst)} "
                                      f"breaks at {where}, so it proves nothing")
        why = (f"the stated lemma {use.name} could not be tested ({info}), so it proves "
               "nothing here (prove it as a step; or, if it is an assumption, state it under "
               "hypotheses:)")
        if own is not None:
            return failed(goal.kind, f"the step breaks ({why})", own)
        return unknown(goal.kind, why)
    return None


def _tested(world, use, schema):
    """(outcome, the instance, info) for one stated lemma in the step's world: outcome
    "counterexample" (info: the point), "held" or "none" (info: why not), remembered
    per world."""
    key = ("stated lemma sampled", use.name, tuple(use.args))
    if key not in world.memo:
        inst = schema.instance(*use.args)
        try:
            world.memo[key] = (*_sample(world, inst), inst)
        except UnsupportedStep as exc:
            world.memo[key] = ("none", str(exc), inst)
    outcome, info, inst = world.memo[key]
    return outcome, inst, info


def _sample(world, inst):
    rel = RELS.get(type(inst))
    if rel is None:
        return "none", "it is not a relation sampling tests (=, ≤, <, ≥, >)"
    from .indexed import uses_sums
    if uses_sums(world, inst.lhs, inst.rhs):
        return sample_indexed(world, inst.lhs, rel, inst.rhs)
    gap = normal(world, inst.lhs - inst.rhs)
    # Vectors only inside ⟨·,·⟩ (sampling draws them), scalars only declared variables:
    # a function value drawn freely would break a lemma the function's hypotheses make true.
    outside = gap.xreplace({a: S.One for a in gap.atoms(Inner)}).free_symbols - set(world.vars)
    outside |= gap.atoms(AppliedUndef)      # P(s) for a declared P: ℝ → ℝ
    if outside:
        names = ", ".join(sorted(text(s) for s in outside))
        return "none", f"sampling cannot draw {names}"
    return sample_in_world(world, inst.lhs, rel, inst.rhs)


def sample_indexed(world, lhs, rel, rhs):
    """``lhs rel rhs`` with sums, families or 𝔼, sampled in every case of the world as
    steps with them are (small sizes, random finite laws): the outcome and its info."""
    from ..matrices import uses_matrices
    from .indexed import families_of, prepare, regions, sample_sides
    from .points import plan
    if uses_matrices(lhs) or uses_matrices(rhs):
        return "none", "sampling does not draw matrices for a lemma"
    from .sampling import scope_filters, tally
    if scope_filters(world, lhs, rhs) != []:
        return "none", "a hypothesis speaks of what sampling would draw, and this sampler draws no facts"
    families = families_of(world)
    if not (plan(world).exact and not world.equations and families.exact):
        return "none", ("sampling cannot follow every condition here (an equation condition, "
                        "or a family it cannot draw)")
    def each_case():
        for case in regions(world):
            sides, err = attempt(PREPARE_BUDGET, lambda: (prepare(world, families, lhs, case),
                                                          prepare(world, families, rhs, case)))
            if err:
                yield "stop", f"evaluating the sides took over {PREPARE_BUDGET}s"
                return
            yield sample_sides(*sides, rel, case, families)
    return tally(each_case())


def _own_break(goal, facts):
    """A point where the step itself breaks while the hypotheses it uses hold, or None.
    With sums or 𝔼 only when it uses no hypothesis (that sampler draws no facts)."""
    from .indexed import uses_sums
    world = goal.world
    if not uses_sums(world, goal.lhs, goal.rhs):
        return break_point(world, goal.lhs, goal.rel, goal.rhs, facts)
    if facts or goal.rel not in ("=", "<=", "<", ">=", ">"):
        return None
    try:
        outcome, info = sample_indexed(world, goal.lhs, goal.rel, goal.rhs)
    except UnsupportedStep:
        return None
    return info if outcome == "counterexample" else None


__all__ = ["refute_stated_lemmas", "sample_indexed"]
