"""The searcher wired into the checkers from outside, for measuring only (bench/falsify_corpus.py --search).

This is what the lead is asked to wire in derive/checks/ proper; until then the corpus
measures it through these wrappers:
- every call of sample_relation first samples as today, then, when that found no
  counterexample, runs search_relation (in the engine it belongs only before a step
  would end `checked` or `unknown`, after the symbolic layers);
- a solved form that does not substitute back: refute_solution;
- an equivalence left unknown or failed without a point: refute_threshold / refute_solution;
- a limit step left unknown: refute_limit;
- a combination or monotone step left unknown: quadratic_witness.
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
    import derive.checks.relations as relations
    import derive.checks.sampling as sampling
    from derive.checks import registry
    from derive.checks.falsify import search_relation
    from derive.checks.refute import refute_solution

    original = sampling.sample_relation

    def sample_then_search(lhs, rhs, rel, case, **kw):
        outcome = original(lhs, rhs, rel, case, **kw)
        if outcome[0] == "counterexample":
            return outcome
        searched = search_relation(lhs, rhs, rel, case)
        return searched if searched[0] != "none" else outcome

    patch.setattr(sampling, "sample_relation", sample_then_search)
    patch.setattr(relations, "sample_relation", sample_then_search)
    patch.setattr(relations, "_realised_counterexample",
                  lambda ctx, case, first, second, target: refute_solution(ctx, case, first, second))
    registry._load()
    for kind, fn in list(registry._CHECKERS.items()):
        patch.setitem(registry._CHECKERS, kind, _refuting(fn))


def _refuting(fn):
    def checker(ctx, lhs, rel, rhs, step, env):
        from derive.errors import UnsupportedStep
        try:
            verdict = fn(ctx, lhs, rel, rhs, step, env)
        except UnsupportedStep:
            found = _refute(ctx, lhs, rel, rhs, step, env)
            if found:
                return found
            raise
        if verdict.status == "unknown" or (verdict.status == "failed" and not verdict.counterexample):
            found = _refute(ctx, lhs, rel, rhs, step, env)
            if found:
                return found
        return verdict
    return checker


def _refute(ctx, lhs, rel, rhs, step, env):
    from derive.verdict import failed
    kind = step.why.kind
    try:
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
            from derive.checks.inequality import instances
            from derive.checks.witness import quadratic_witness
            facts = instances(ctx, step, env)
            found = quadratic_witness(ctx, facts, lhs, rel, rhs, uses=step.why.uses)
            if found:
                return failed(f"{kind}: witness", "a quadratic function satisfies the facts used, "
                              "and the step fails for it", found)
            if not facts or all(label.startswith("condition") for label, _ in facts):
                # Nothing but the assumptions: the step must hold at every point of them.
                from derive.checks.falsify import search_relation
                from derive.checks.relations import _sampling_exact
                if rel in ("<=", "<", ">=", ">") and _sampling_exact(ctx, lhs, rhs):
                    for case in ctx.cases:
                        outcome, point = search_relation(ctx.prepare(lhs, case), ctx.prepare(rhs, case),
                                                         rel, case)
                        if outcome == "counterexample":
                            return failed(f"{kind}: search", f"the inequality {rel} breaks", point)
    except Exception:       # noqa: BLE001 - a refutation that cannot run refutes nothing
        return None
    return None
