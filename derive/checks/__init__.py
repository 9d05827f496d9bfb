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


def check_step(derivation, part, step, lhs, facts=()):
    """One step's verdict; never raises for a wrong or unsupported step."""
    from ..budget import Timeout, time_limit
    start = time.perf_counter()
    try:
        with time_limit(STEP_BUDGET):
            ctx = Context(derivation, tuple(part.when) + tuple(step.when))
            verdict = checker_for(step.why.kind)(ctx, lhs, step.rel, step.rhs, step, facts)
    except UnsupportedStep as exc:
        verdict = unknown(step.why.kind, str(exc))
    except Timeout:
        verdict = unknown(step.why.kind, f"over the step budget of {STEP_BUDGET:g}s")
    except (TypeError, ValueError, NotImplementedError, ZeroDivisionError,
            AttributeError, RecursionError) as exc:
        # SymPy raises these for expressions it cannot handle: not a verdict on the math.
        verdict = unknown(step.why.kind, f"SymPy could not handle this step ({type(exc).__name__}: {exc})"[:300])
    return replace(verdict, seconds=time.perf_counter() - start)


def check_derivation(derivation):
    """All steps in order, each link of a chain checked against the previous right side."""
    results = []
    index = 0
    for part in derivation.parts:
        current = None
        for step in part.steps:
            index += 1
            lhs = step.lhs if step.lhs is not None else current
            if lhs is None:
                verdict = unknown(step.why.kind, "a chain continues, but nothing precedes it")
            else:
                verdict = check_step(derivation, part, step, lhs)
            results.append(StepResult(part, step, index, lhs, verdict))
            current = step.rhs
    return results


__all__ = ["StepResult", "check_step", "check_derivation", "compose"]
