"""Check a derivation step by step: searchers propose, the kernel decides, the ledger carries results."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from .. import kernel, runtime
from ..budget import Timeout, time_limit
from ..errors import UnsupportedStep
from ..verdict import Verdict, unknown
from .failures import failure_reason
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


@dataclass
class Goal:
    """What a searcher is asked about: one step in its world, with what came before it."""

    derivation: object
    link: object
    ledger: object
    world: object
    name: str = ""          # the word verdicts are reported under, if not the step's kind

    @property
    def step(self):
        return self.link.step

    @property
    def lhs(self):
        return self.link.lhs

    @property
    def rel(self):
        return self.link.step.rel

    @property
    def rhs(self):
        return self.link.step.rhs

    @property
    def kind(self):
        return self.name or self.link.step.why.kind

    def decide(self, certificate) -> Verdict:
        """The kernel's verdict on ``certificate`` for this step."""
        return kernel.decide(self.derivation, self.link, self.ledger, certificate, self.name or None)


def check_step(derivation, link, ledger=None) -> Verdict:
    """One step's verdict; never raises for a wrong or unsupported step.

    The step's budget is CPU time and covers the search, the kernel's re-check
    and recording a result the step states.
    """
    ledger = ledger if ledger is not None else kernel.Ledger()
    kind = link.step.why.kind
    start = time.perf_counter()
    try:
        with time_limit(STEP_BUDGET):
            verdict = _search(derivation, link, ledger)
            if link.step.why.establishes:
                verdict = kernel.establish(derivation, link, ledger, verdict)
    except UnsupportedStep as exc:
        verdict = unknown(kind, str(exc))
    except Timeout:
        verdict = unknown(kind, f"over the step budget of {STEP_BUDGET:g}s")
    except MemoryError:
        verdict = unknown(kind, runtime.over_memory_reason())
    except Exception as exc:  # noqa: BLE001
        # SymPy raises all kinds of errors for expressions it cannot handle
        # (TypeError, ValueError, NotImplementedError, PolynomialError, ...): none
        # of them is a verdict on the math, and none may stop the run.
        verdict = unknown(kind, failure_reason(exc, _states_a_limit(link)))
    return replace(verdict, seconds=time.perf_counter() - start)


def _states_a_limit(link) -> bool:
    from sympy import Limit
    try:
        return any(e.has(Limit) for e in (link.lhs, link.step.rhs) if hasattr(e, "has"))
    except Exception:  # noqa: BLE001 - only the wording of a reason depends on it
        return False


def _search(derivation, link, ledger) -> Verdict:
    if link.lhs is None:
        return unknown(link.step.why.kind, "a chain continues, but nothing precedes it")
    if link.step.rel == "implies":
        return _implication(derivation, link, ledger)
    world = kernel.world_for(derivation, link.part, link.step)
    goal = Goal(derivation, link, ledger, world)
    if link.step.why.uses:
        from .stated import refute_stated_lemmas
        refuted = refute_stated_lemmas(goal)
        if refuted is not None:
            return refuted
    found = checker_for(link.step.why.kind)(goal)
    if not isinstance(found, Verdict):
        return inhabited(goal.decide(found), world)
    if found.status in ("proved", "cited") and not kernel.vouches(found, link):
        # Only the kernel says proved, and only for the step it was asked about.
        return unknown(link.step.why.kind, "a searcher said proved, but the kernel did not")
    return inhabited(found, world)


def inhabited(verdict, world, tries=64) -> Verdict:
    """A refutation without a point ('provably positive wherever the assumptions hold')
    disproves the step only if some point meets every condition: x + 1 = x for
    x² + b² < 0 holds vacuously. Shown by a sampled point when the step's conditions go
    beyond intervals and sign cases (which are never empty); else `unknown`. (An equation
    sampling cannot follow, such as ∇f(w*) = 0, is taken as satisfiable: not checked.)"""
    if verdict.status != "failed" or verdict.counterexample is not None or not world.facts:
        return verdict
    import random
    from .points import plan, region
    rng = random.Random(0)
    if len(plan(world).filters) == len(world.facts) and any(
            region(world, case).sample(rng) is not None for case in world.cases for _ in range(tries)):
        return verdict
    return unknown(verdict.method, f"{verdict.reason}; but no point was found where every "
                                   "condition holds, and the step is true if none does")


def _implication(derivation, link, ledger) -> Verdict:
    """A ⟹ B: the step's own kind searches for B with A among the conditions; a
    counterexample satisfies A and breaks B."""
    from ..kernel.certificates import Implication
    from ..kernel.implications import premised
    inner = premised(link)
    goal = Goal(derivation, inner, ledger, kernel.world_for(derivation, inner.part, inner.step))
    found, name = checker_for(link.step.why.kind)(goal), None
    if isinstance(found, Verdict):
        if found.status not in ("proved", "cited") or not hasattr(found.certificate, "kind"):
            return inhabited(found, goal.world)
        # A searcher that asked the kernel itself (auto): the outer step is decided again.
        found, name = found.certificate, found.method.split(":")[0]
    return inhabited(kernel.decide(derivation, link, ledger, Implication(found), name), goal.world)


def check_derivation(derivation, memo=None) -> list:
    """All steps in order, each link of a chain checked against the previous right side.

    Inequality steps may use ``above`` (the relation the previous chain of the
    part established) and results that earlier steps established
    (``why(..., establishes=NAME, at=ARGS)``).

    ``memo`` (derive.incremental.StepMemo) recalls the verdict of a step whose
    content and context it has seen: ``memo.recall(derivation, part, step, lhs,
    env, check)`` returns a recalled verdict (``cached``) or ``check(env)``'s,
    where ``env`` holds the ledger's entries (above, above_conditions,
    established) so the memo can note which of them a check read.
    """
    walk, results = kernel.Walk(), []
    for link in derivation.links():
        walk.before(link)
        if runtime.out_of_time():
            verdict = unknown(link.step.why.kind, runtime.OUT_OF_TIME)
        elif memo is None:
            verdict = check_step(derivation, link, walk.ledger)
        else:
            verdict = _recall(memo, derivation, link, walk.ledger)
        walk.after(link, verdict)
        results.append(StepResult(link.part, link.step, link.index, link.lhs, verdict))
        runtime.step_done(derivation, link.index)
    return results


class _LedgerView:
    """A ledger read through a mapping, so a memo sees which entries a check used."""

    def __init__(self, env):
        self._env = env

    above = property(lambda self: self._env["above"])
    above_conditions = property(lambda self: self._env["above_conditions"])
    established = property(lambda self: self._env["established"])


def _recall(memo, derivation, link, ledger):
    env = {"above": ledger.above, "above_conditions": ledger.above_conditions,
           "established": ledger.established}
    if link.lhs is None:
        return check_step(derivation, link, ledger)
    verdict = memo.recall(derivation, link.part, link.step, link.lhs, env,
                          lambda view: check_step(derivation, link, _LedgerView(view)))
    if verdict.cached and link.step.why.establishes and verdict.status in ("proved", "cited"):
        # Recalled in this process from the kernel's own verdict: record it again.
        kernel.record(ledger, link.step, link.part.label)
    return verdict
