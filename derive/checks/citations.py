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
    """Induction: the kernel checks the premise, q ≥ 0 and the unrolled form (or a weaker
    one). A step it does not vouch for is not thereby false (the premise may be written
    otherwise, the bound may be true for other reasons): it fails only when it breaks at
    its first index t₀, one of its own instances, for a witness or at a sampled point."""
    verdict = goal.decide(Unroll())
    if verdict.status != "unknown":
        return verdict
    base = _first_instance(goal)
    if base is None:
        return verdict
    from types import SimpleNamespace
    from ..verdict import failed
    from .combinations import witness_for
    from .sampling import break_point
    t0, lhs, rhs = base
    at = SimpleNamespace(derivation=goal.derivation, world=goal.world, lhs=lhs, rel="<=", rhs=rhs,
                         step=SimpleNamespace(why=SimpleNamespace(uses=())))
    found = witness_for(at, [])
    how = "for a function that satisfies every hypothesis"
    if not found:
        found, how = break_point(goal.world, lhs, "<=", rhs), "at a sampled point"
    if not found:
        return verdict
    t = goal.step.why.option("t")
    # The witness shows every scalar of the case, t at some drawn value among them: the
    # instance it breaks is the one at t₀.
    return failed(goal.kind, f"{verdict.reason}; and at {t} = {t0} the step breaks {how}",
                  {str(t): str(t0), **{k: v for k, v in found.items() if k != str(t)}})


def _first_instance(goal):
    """(t₀, left side, right side) of the step at the least t it claims, or None when that
    instance may speak of more than r(t₀) and declared scalars: a later iterate (w₁) is
    tied to w₀ by how the sequence is made, which neither a witness nor sampling sees."""
    from sympy import ceiling, sympify
    from ..expressions import rebuild
    why, world = goal.step.why, goal.world
    r, t = why.option("r"), why.option("t")
    var = world.vars.get(t)
    if r is None or var is None or not var.integer or var.lower is None or goal.rel != "<=":
        return None
    conditions = (*goal.link.part.when, *goal.step.when, *goal.derivation.assumptions)
    if any(t in rebuild(world.expand_defs(c)).free_symbols for c in conditions):
        return None           # t₀ may be outside what the step claims
    low = sympify(var.lower)
    if not low.is_number:
        return None
    t0 = ceiling(low) + (1 if var.lower_open and low.is_integer else 0)
    try:
        first = r(t0)
        lhs, rhs = first + (goal.lhs - r(t)).subs(t, t0), goal.rhs.subs(t, t0)
        seen = [rebuild(world.expand_defs(e)).free_symbols for e in (first, lhs, rhs)]
    except Exception:      # noqa: BLE001 - an r SymPy cannot build here: no instance to test
        return None
    scalars = {s for s, v in world.vars.items() if s != t}
    if not (seen[1] | seen[2]) <= seen[0] | scalars:
        return None
    return t0, lhs, rhs
