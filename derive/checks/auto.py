"""A step with no justification: the existing checkers tried in order of cost."""

from __future__ import annotations

from dataclasses import replace

from sympy import Derivative, Limit, Piecewise, exp

from ..errors import UnsupportedStep
from ..model import Use, Why
from ..verdict import unknown
from .registry import EQUALITY_KINDS, checker_for, register

# A checker's "failed" is a refutation of the step only from these tiers: a lemma
# that does not match says nothing about the step itself.
REFUTING = ("equality", "sign", "equivalence")


@register("auto")
def _auto(ctx, lhs, rel, rhs, step, env):
    """The first tier that proves, cites or refutes the step; its verdict as it gave it.

    Verdicts are never made here: each comes from an existing checker, whose
    method names the kind it found (``algebra (found): expand``).
    """
    hint = step.why.option("hint")
    tried, evidence = [], None
    for tier, run in _tiers(ctx, lhs, rel, rhs, step, env, hint):
        try:
            verdict = run()
        except UnsupportedStep as exc:
            tried.append(f"{tier}: {exc}")
            continue
        if verdict.status in ("proved", "cited") or (verdict.status == "failed" and tier in REFUTING):
            return verdict
        if verdict.status == "checked" and evidence is None:
            evidence = verdict
        tried.append(f"{tier}: {verdict.reason or verdict.status}")
    if evidence is not None:
        return evidence
    return unknown("auto", "no kind of reasoning settled it; tried " + "; ".join(tried))


def _tiers(ctx, lhs, rel, rhs, step, env, hint):
    """(tier, thunk) pairs, cheapest first; a hinted kind goes first among its peers.

    Each tier calls the checker registered for a kind, with the step's justification
    renamed to that kind plus "(found)": the checker looks up nothing by that name, it
    only shows it (so routing added to a kind, such as sums to checks/indexed.py,
    applies here too).
    """
    def run(kind, label, uses=()):
        why = Why(label, step.why.text, tuple(uses), step.why.options)
        return checker_for(kind)(ctx, lhs, rel, rhs, replace(step, why=why), env)

    if rel == "=":
        kind = hint if hint in EQUALITY_KINDS else _equality_kind(ctx, lhs, rhs)
        yield "equality", lambda: run(kind, f"{kind} (found)")
        return
    if rel == "iff":
        kind = hint if hint in ("solve", "equivalent") else "solve"
        yield "equivalence", lambda: run(kind, f"{kind} (found)")
        return
    # The equality kinds settle ≤ by the sign of the difference and name it as told
    # ("sign" itself names its method "sign" whatever the step calls it).
    yield "sign", lambda: run("algebra", "sign (found)")
    for name, args in lemma_instances(lhs, rel, rhs):
        yield f"lemma {name}", lambda use=Use(name, args): run("lemma", "lemma", (use,))
    if rel in ("<=", ">="):
        yield "monotone", lambda: run("monotone", "monotone (found)")


def _equality_kind(ctx, lhs, rhs) -> str:
    """The name of the reasoning an equality needs, read from what its sides contain."""
    sides = [s for s in (lhs, rhs) if hasattr(s, "has")]
    if any(s.has(Derivative) for s in sides):
        defined = set(ctx.defs)
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
    larger = rhs if rel in ("<=", "<") else lhs
    if not hasattr(larger, "atoms"):
        return []
    seen, out = set(), []
    for e in sorted(larger.atoms(exp), key=str):
        z = -e.args[0]
        if z not in seen:
            seen.add(z)
            out.append(("exp_bound", (z,)))
    return out[:3]
