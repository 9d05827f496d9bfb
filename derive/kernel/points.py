"""Points compared by what they are: f(p) and ∇f(p) with p's definitions and equations put in."""

from __future__ import annotations

from sympy import Basic, expand

from ..expressions import rebuild
from ..notation import PointGrad, PointValue

MAX_DEPTH = 8


def canonical(world, expr, depth=0):
    """``expr`` with each f(p), ∇f(p) written at p's meaning: definitions expanded, the
    step's equations put in (η = 1/L), expanded. f is a function, so f(p) = f(q) whenever
    p = q; two points with the same meaning then name the same symbol."""
    found = [s for s in getattr(expr, "free_symbols", ()) if isinstance(s, (PointValue, PointGrad))]
    if not found or depth > MAX_DEPTH:
        return expr
    reps = {}
    for s in found:
        p = s.point
        if not isinstance(p, Basic) or isinstance(p, str):
            continue
        q = p.xreplace(world.equations) if world.equations else p
        q = rebuild(world.expand_defs(q))
        if world.equations:
            q = rebuild(q.xreplace(world.equations))
        q = expand(canonical(world, q, depth + 1))
        if q != p:
            reps[s] = type(s)(s.head, q, **s._assumptions_orig)
    return expr.xreplace(reps) if reps else expr


def named_definitions(defs) -> dict:
    """name → defined plain symbol, for names that read as a function's value (ℒ_λ(w_t))."""
    return {s.name: s for s in defs if "(" in s.name and not isinstance(s, (PointValue, PointGrad))}


def as_named(named, expr):
    """A value symbol whose name a definition holds is that defined quantity: q4 defines
    ℒ_λ(w_t) by a formula, and ℒ_λ's rate is stated with the value ℒ_λ(w_t)."""
    if not named:
        return expr
    same = {s: named[s.name] for s in getattr(expr, "free_symbols", ())
            if isinstance(s, (PointValue, PointGrad)) and s.name in named}
    return expr.xreplace(same) if same else expr
