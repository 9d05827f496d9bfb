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


# -- hook: steps with sums, families, matrices or ∂/∂(σ²) go to checks/indexed.py (issue 10) --

def _indexed(ctx, lhs, rhs) -> bool:
    """The step, its definitions expanded, uses the notation of sums."""
    from sympy import sympify
    from ..indexed import uses_indexed
    from ..expectation import uses_expectations
    from ..matrices import uses_matrices
    if any(f(e) for f in (uses_indexed, uses_matrices, uses_expectations) for e in (lhs, rhs)):
        return True
    seen, todo = set(), set(sympify(lhs).free_symbols | sympify(rhs).free_symbols)
    while todo:
        s = todo.pop()
        if s in seen or s not in ctx.defs:
            continue
        seen.add(s)
        if uses_indexed(ctx.defs[s]) or uses_expectations(ctx.defs[s]):
            return True
        todo |= sympify(ctx.defs[s]).free_symbols
    return False


def _check_indexed(ctx, lhs, rel, rhs, kind):
    from .indexed import check_indexed
    return check_indexed(ctx, lhs, rel, rhs, kind)
