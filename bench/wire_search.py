"""The searcher wired into the checkers from outside, for measuring only (bench/falsify_corpus.py --search).

This is what the lead is asked to wire in derive/checks/ proper; until then the corpus
measures it through these wrappers:
- every call of sample_relation (equalities, signs, and through sampling.break_point citations and combinations) first samples as today,
  then, when that found no counterexample, runs search_relation (in the engine it
  belongs only before a step would end `checked` or `unknown`, after the symbolic layers);
- a solved form that does not substitute back: refute_solution;
- a step that ends `unknown`, or `failed` without a point: an equivalence gets
  refute_solution / refute_threshold, a limit refute_limit, a step that uses facts
  (or a combination) quadratic_witness, then search_relation when no fact is about
  an opaque function.
"""

from __future__ import annotations

from sympy import Eq, Limit


class _Plain:
    """setattr/setitem as they are (pytest's monkeypatch has the same two methods)."""

    @staticmethod
    def setattr(obj, name, value):
        setattr(obj, name, value)

    @staticmethod
    def setitem(mapping, key, value):
        mapping[key] = value


def wire(patch=_Plain):
    from derive.checks import driver, equalities, equivalences, sampling, signs
    from derive.checks.falsify import search_relation
    from derive.checks.points import Context, region
    from derive.checks.refute import refute_solution

    original = sampling.sample_relation

    def sample_then_search(lhs, rhs, rel, case, **kw):
        outcome = original(lhs, rhs, rel, case, **kw)
        if outcome[0] == "counterexample":
            return outcome
        searched = search_relation(lhs, rhs, rel, case)
        return searched if searched[0] != "none" else outcome

    # (citations and combinations sample through sampling.break_point, which the first covers)
    for module in (sampling, equalities, signs):
        patch.setattr(module, "sample_relation", sample_then_search)
    patch.setattr(equivalences, "_realised_counterexample",
                  lambda world, case, first, second, target:
                  refute_solution(Context(world), region(world, case), first, second))
    check_step = driver.check_step

    def refuting_check_step(derivation, link, ledger=None):
        verdict = check_step(derivation, link, ledger)
        if verdict.status == "unknown" or (verdict.status == "failed" and not verdict.counterexample):
            found = _refute(derivation, link, ledger)
            if found is not None:
                from dataclasses import replace
                return replace(found, seconds=verdict.seconds)
        return verdict

    patch.setattr(driver, "check_step", refuting_check_step)


def _refute(derivation, link, ledger):
    from derive import kernel
    from derive.checks.points import Context
    from derive.verdict import failed
    step, lhs, rel, rhs = link.step, link.lhs, link.step.rel, link.step.rhs
    kind = step.why.kind
    try:
        ctx = Context(kernel.world_for(derivation, link.part, step))
        if rel == "iff":
            from derive.checks.refute import refute_solution, refute_threshold
            helper = refute_solution if isinstance(rhs, Eq) else refute_threshold
            for case in ctx.cases:
                found = helper(ctx, case, lhs, rhs)
                if found and found[1]:
                    return failed(f"{kind}: search", found[0], found[1])
            return None
        if rel == "=" and isinstance(lhs, Limit):
            from derive.checks.refute import refute_limit
            for case in ctx.cases:
                found = refute_limit(ctx, case, lhs, rhs)
                if found:
                    return failed(f"{kind}: search", found[0], found[1])
            return None
        if step.why.uses or kind in ("combination", "monotone"):
            from derive.checks.witness import quadratic_witness
            from derive.kernel.facts import instances
            facts = [(f.label, f.relation) for f in instances(ctx.world, step, ledger or kernel.Ledger())]
            found = quadratic_witness(ctx, facts, lhs, rel, rhs, uses=step.why.uses)
            if found:
                return failed(f"{kind}: witness", "a quadratic function satisfies the facts used, "
                              "and the step fails for it", found)
            if rel != "=" and all(label.startswith("condition") for label, _ in facts):
                # Nothing but the assumptions: the step must hold at every point of them.
                from derive.checks.falsify import search_relation
                from derive.checks.sampling import trustworthy
                if trustworthy(ctx.world, lhs, rhs):
                    for case in ctx.cases:
                        outcome, point = search_relation(ctx.prepare(lhs, case), ctx.prepare(rhs, case),
                                                         rel, case)
                        if outcome == "counterexample":
                            return failed(f"{kind}: search", f"the inequality {rel} breaks", point)
    except Exception:       # noqa: BLE001 - a refutation that cannot run refutes nothing
        return None
    return None
