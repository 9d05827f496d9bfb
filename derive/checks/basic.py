"""Registry entries for equalities, signs and equivalences (question 6's reasoning)."""

from __future__ import annotations

from ..errors import UnsupportedStep
from .registry import EQUALITY_KINDS, register
from .relations import check_equal, check_iff, check_sign_inequality


@register(*EQUALITY_KINDS)
def _equality(ctx, lhs, rel, rhs, step, facts):
    kind = step.why.kind
    if _indexed(ctx, lhs, rhs):
        return _check_indexed(ctx, lhs, rel, rhs, kind)
    if rel == "=":
        return check_equal(ctx, lhs, rhs, kind)
    if rel == "iff":
        return check_iff(ctx, lhs, rhs, kind)
    return check_sign_inequality(ctx, lhs, rel, rhs, kind)


@register("sign")
def _sign(ctx, lhs, rel, rhs, step, facts):
    if rel in ("=", "iff"):
        raise UnsupportedStep("a sign argument justifies an inequality, not '='")
    if _indexed(ctx, lhs, rhs):
        return _check_indexed(ctx, lhs, rel, rhs, "sign")
    return check_sign_inequality(ctx, lhs, rel, rhs, "sign")


@register("solve", "equivalent")
def _solve(ctx, lhs, rel, rhs, step, facts):
    if rel != "iff":
        raise UnsupportedStep("'solve' justifies an equivalence (iff) of two conditions")
    if _indexed(ctx, lhs, rhs):
        return _check_indexed(ctx, lhs, rel, rhs, step.why.kind)
    return check_iff(ctx, lhs, rhs, step.why.kind)


# -- hook: steps that use sums, families or ∂/∂(σ²) go to checks/indexed.py (issue 10) --

def _indexed(ctx, lhs, rhs) -> bool:
    """The step, its definitions expanded, uses the notation of sums."""
    from ..indexed import uses_indexed
    return any(uses_indexed(e) or (ctx.defs and uses_indexed(ctx.expand_defs(e)))
               for e in (lhs, rhs))


def _check_indexed(ctx, lhs, rel, rhs, kind):
    from .indexed import check_indexed
    return check_indexed(ctx, lhs, rel, rhs, kind)
