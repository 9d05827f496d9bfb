"""A step with no justification: the kinds of reasoning tried in order of cost."""

from __future__ import annotations

from dataclasses import replace

from sympy import Derivative, Limit, Piecewise, Pow, exp, log

from ..errors import UnsupportedStep
from ..model import Use, Why
from ..verdict import Verdict, unknown
from .equalities import EQUALITY_KINDS
from .registry import checker_for, register

# A searcher's "failed" is a refutation of the step only from these tiers: a lemma
# that does not match says nothing about the step itself.
REFUTING = ("equality", "sign", "equivalence")


@register("auto")
def _auto(goal):
    """The first tier whose certificate the kernel accepts, or that refutes the step.

    Verdicts are never made here: a certificate goes to the kernel, under the
    name of the kind that found it (``algebra (found): expand``).
    """
    hint = goal.step.why.option("hint")
    tried, evidence = [], None
    for tier, sub in _tiers(goal, hint):
        try:
            found = checker(tier, sub)
        except UnsupportedStep as exc:
            tried.append(f"{tier}: {exc}")
            continue
        verdict = found if isinstance(found, Verdict) else sub.decide(found)
        if verdict.status in ("proved", "cited") or (verdict.status == "failed" and tier in REFUTING):
            return verdict
        if verdict.status == "checked" and evidence is None:
            evidence = verdict
        tried.append(f"{tier}: {verdict.reason or verdict.status}")
    if evidence is not None:
        return evidence
    return unknown("auto", "no kind of reasoning settled it; tried " + "; ".join(tried))


def checker(tier, goal):
    """The searcher registered for the goal's kind, so routing added to a kind (sums,
    matrices, expectations) applies here too."""
    return checker_for(goal.step.why.kind)(goal)


def _named(goal, kind, name):
    """The goal justified by ``kind``, its verdicts reported under ``name``."""
    step = replace(goal.link.step, why=replace(goal.link.step.why, kind=kind))
    return replace(goal, link=replace(goal.link, step=step), name=name)


def _tiers(goal, hint):
    """(tier, goal as that tier sees it) pairs, cheapest first; a hinted kind names its tier."""
    rel = goal.rel
    if rel == "=":
        kind = hint if hint in EQUALITY_KINDS else _equality_kind(goal)
        yield "equality", _named(goal, kind, f"{kind} (found)")
        return
    if rel == "iff":
        kind = hint if hint in ("solve", "equivalent") else "solve"
        yield "equivalence", _named(goal, kind, f"{kind} (found)")
        return
    # The equality kinds settle ≤ by the sign of the difference and name it as told.
    yield "sign", _named(goal, "algebra", "sign (found)")
    for name, args in lemma_instances(goal.lhs, rel, goal.rhs):
        why = Why("lemma", f"{name} (found)", (Use(name, args),))
        yield f"lemma {name}", _justified(goal, why, "lemma (found)")
    if rel in ("<=", ">="):
        yield "monotone", _justified(goal, Why("monotone", "monotone (found)"), "monotone (found)")


def _justified(goal, why, name):
    """The goal with the step justified by ``why`` (the kernel checks that step), its
    verdicts reported under ``name``."""
    step = replace(goal.link.step, why=why)
    return replace(goal, link=replace(goal.link, step=step), name=name)


def _equality_kind(goal) -> str:
    """The name of the reasoning an equality needs, read from what its sides contain."""
    sides = [s for s in (goal.lhs, goal.rhs) if hasattr(s, "has")]
    if any(s.has(Derivative) for s in sides):
        defined = set(goal.world.defs)
        chained = any(d.expr.free_symbols & defined for s in sides for d in s.atoms(Derivative))
        return "chain rule" if chained else "derivative"
    if any(s.has(Limit) for s in sides):
        return "limit"
    if any(s.has(Piecewise) for s in sides):
        return "case"
    return "algebra"


def lemma_instances(lhs, rel, rhs):
    """Standard lemmas the step may be an instance of: exp_bound(z) is 1 − z ≤ e^{−z},
    so an e^{a} on the larger side suggests z = −a."""
    larger, smaller = (rhs, lhs) if rel in ("<=", "<") else (lhs, rhs)
    if not hasattr(larger, "atoms") or not hasattr(smaller, "atoms"):
        return []
    seen, out = set(), []
    for e in sorted(larger.atoms(exp), key=str):
        z = -e.args[0]
        if z not in seen:
            seen.add(z)
            out.append(("exp_bound", (z,)))
    # log_bound(y) is log y ≤ y − 1, so a log on the smaller side suggests its argument.
    for e in sorted(smaller.atoms(log), key=str):
        if len(e.args) == 1 and ("log", e.args[0]) not in seen:
            seen.add(("log", e.args[0]))
            out.append(("log_bound", (e.args[0],)))
    # cauchy_schwarz(a, b) is ⟨a, b⟩² ≤ ‖a‖²‖b‖²: a squared ⟨a, b⟩ on the smaller side.
    from ..notation import Inner
    for e in sorted(smaller.atoms(Inner), key=str):
        if e.args[0] != e.args[1] and Pow(e, 2) in smaller.atoms(Pow):
            out.append(("cauchy_schwarz", tuple(e.args)))
    return out[:5]
