"""Registry entries for equalities, signs and equivalences (question 6's reasoning)."""

from __future__ import annotations

from ..errors import UnsupportedStep
from .registry import EQUALITY_KINDS, register
from .relations import check_equal, check_iff, check_sign_inequality


@register(*EQUALITY_KINDS)
def _equality(ctx, lhs, rel, rhs, step, facts):
    kind = step.why.kind
    if rel == "=":
        return check_equal(ctx, lhs, rhs, kind)
    if rel == "iff":
        return check_iff(ctx, lhs, rhs, kind)
    return check_sign_inequality(ctx, lhs, rel, rhs, kind)


@register("sign")
def _sign(ctx, lhs, rel, rhs, step, facts):
    if rel in ("=", "iff"):
        raise UnsupportedStep("a sign argument justifies an inequality, not '='")
    return check_sign_inequality(ctx, lhs, rel, rhs, "sign")


@register("solve", "equivalent")
def _solve(ctx, lhs, rel, rhs, step, facts):
    if rel != "iff":
        raise UnsupportedStep("'solve' justifies an equivalence (iff) of two conditions")
    return check_iff(ctx, lhs, rhs, step.why.kind)
