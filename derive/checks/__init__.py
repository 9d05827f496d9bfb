"""Check every step of a derivation: pure functions from model to verdicts."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ..errors import UnsupportedStep
from ..verdict import Verdict, unknown
from .chain import compose
from .context import Context
from .registry import checker_for

STEP_BUDGET = 4.0


@dataclass(frozen=True)
class StepResult:
    """A step, the expressions it relates (chains resolved), and its verdict."""

    part: object
    step: object
    index: int
    lhs: object
    verdict: Verdict


def check_step(derivation, part, step, lhs, env=None):
    """One step's verdict; never raises for a wrong or unsupported step."""
    from ..budget import Timeout, time_limit
    start = time.perf_counter()
    try:
        with time_limit(STEP_BUDGET):
            ctx = Context(derivation, tuple(part.when) + tuple(step.when), part.label)
            verdict = checker_for(step.why.kind)(ctx, lhs, step.rel, step.rhs, step, env or {})
    except UnsupportedStep as exc:
        verdict = unknown(step.why.kind, str(exc))
    except Timeout:
        verdict = unknown(step.why.kind, f"over the step budget of {STEP_BUDGET:g}s")
    except Exception as exc:  # noqa: BLE001
        # SymPy raises all kinds of errors for expressions it cannot handle
        # (TypeError, ValueError, NotImplementedError, PolynomialError, ...): none
        # of them is a verdict on the math, and none may stop the run.
        verdict = unknown(step.why.kind, f"SymPy could not handle this step ({type(exc).__name__}: {exc})"[:300])
    return replace(verdict, seconds=time.perf_counter() - start)


def check_derivation(derivation, memo=None):
    """All steps in order, each link of a chain checked against the previous right side.

    Inequality steps may use ``above`` (the relation the previous chain
    established, first left side to last right side) and results that earlier
    steps established (``why(..., establishes=NAME, at=ARGS)``).

    ``memo`` (derive.incremental.StepMemo) recalls the verdict of a step whose
    content and context it has seen: ``memo.recall(derivation, part, step, lhs,
    env, check)`` returns a recalled verdict (``cached``) or ``check(env)``'s.
    """
    results = []
    index = 0
    env = {"above": None, "above_conditions": (), "established": {}}
    chain = None          # [first lhs, [relations], last rhs, all ok, conditions]
    for part in derivation.parts:
        current = None
        for step in part.steps:
            index += 1
            if step.lhs is not None and chain is not None:
                env["above"], env["above_conditions"] = _composite(chain), tuple(chain[4])
            lhs = step.lhs if step.lhs is not None else current
            if lhs is None:
                verdict = unknown(step.why.kind, "a chain continues, but nothing precedes it")
            else:
                verdict = _check_or_recall(derivation, part, step, lhs, env, memo)
            if step.lhs is not None:
                chain = [lhs, [], None, True, []]
            chain[1].append(step.rel)
            # The chain's relation holds under every condition one of its links assumed.
            chain[4].extend(c for c in tuple(part.when) + tuple(step.when) if c not in chain[4])
            chain[2] = step.rhs
            # Only proofs carry forward: a sampled ("checked") link proves nothing later.
            chain[3] = chain[3] and verdict.status in ("proved", "cited")
            results.append(StepResult(part, step, index, lhs, verdict))
            current = step.rhs
        env["above"], chain = None, None
    return results


def _check_or_recall(derivation, part, step, lhs, env, memo):
    def check(env):
        verdict = check_step(derivation, part, step, lhs, env)
        if step.why.option("establishes"):
            verdict = _establish_within_budget(derivation, part, step, lhs, verdict, env)
        return verdict

    if memo is None:
        return check(env)
    verdict = memo.recall(derivation, part, step, lhs, env, check)
    if verdict.cached and step.why.option("establishes") and verdict.status in ("proved", "cited"):
        _record(part, step, env)            # what recording it did the first time
    return verdict


def _composite(chain):
    """The relation a finished chain proves, or None if a link of it is not ok."""
    from sympy import Eq, Ge, Gt, Le, Lt
    first, rels, last, ok, _ = chain
    if not ok or "iff" in rels:
        return None
    try:
        rel = compose(rels)
    except Exception:
        return None
    return {"=": Eq, "<=": Le, "<": Lt, ">=": Ge, ">": Gt}[rel](first, last, evaluate=False)


def _establish_within_budget(derivation, part, step, lhs, verdict, env):
    """Record a stated result under the step budget; its time counts for the step."""
    from ..budget import Timeout, time_limit
    start = time.perf_counter()
    try:
        with time_limit(STEP_BUDGET):
            recorded = _establish(derivation, part, step, lhs, verdict, env)
    except Timeout:
        recorded = unknown(step.why.kind, f"recording the result it states took over {STEP_BUDGET:g}s")
    except Exception as exc:  # noqa: BLE001 - a bad result statement is not a crash
        recorded = unknown(step.why.kind, f"cannot record the result it states "
                                          f"({type(exc).__name__}: {exc})"[:300])
    return replace(recorded, seconds=verdict.seconds + time.perf_counter() - start)


def _establish(derivation, part, step, lhs, verdict, env):
    """Record a named result a step states; its statement must be the step itself."""
    name = step.why.option("establishes")
    if not name or verdict.status not in ("proved", "cited"):
        return verdict
    if tuple(part.when) + tuple(step.when):
        # A result is cited later for any arguments: it cannot rest on a case.
        return unknown(step.why.kind, f"{name} is stated under a case condition; "
                                      "a citable result must hold without one")
    from .inequality import establishes
    problem = establishes(derivation, step, lhs, name)
    if problem:
        return unknown(step.why.kind, problem)
    _record(part, step, env)
    return verdict


def _record(part, step, env):
    from .inequality import Established
    env["established"][step.why.option("establishes")] = Established(
        tuple(step.why.option("at", ())), part.label)


__all__ = ["StepResult", "check_step", "check_derivation", "compose"]
