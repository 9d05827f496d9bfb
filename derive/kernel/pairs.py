"""Sums over pairs of one range: the triangles below, on and above the diagonal in one form.

With T(F) = Σ_{k=a}^{b} Σ_{j=k+1}^{b} F(k, j) (the pairs k < j), D(F) = Σ_{k=a}^{b} F(k, k),
the square Q(F) = Σ_{k=a}^{b} Σ_{j=a}^{b} F and Fᵀ(k, j) = F(j, k), a sum
Σ_{k=a}^{b} Σ_{j=L}^{U} F over the pairs of a..b is

    (L, U) = (a, k − 1): T(Fᵀ)      (a, k): D(F) + T(Fᵀ)      (k, b): D(F) + T(F)

(the pairs j < k counted from j: the interchange of a finite double sum), and the square
is both triangles and the diagonal, Q(F) = T(F) + D(F) + T(Fᵀ). So each term t of a
triangle is kept as T(t) or written Q(t) − D(t) − T(tᵀ), whichever of t, tᵀ comes first
in SymPy's order (the same every time), and a symmetric t as (Q(t) − D(t))/2:
Σ_{i<j} x_i x_j is ((Σ x)² − Σ x²)/2. Each is an identity of ordinary finite sums, used
only where b ≥ a − 1 is proved (so also under Karr's convention), and only for an F with
no sum or product (their bound index would be captured at j = k), and no denominator, log
or power with an exponent in k or j: Q and D take F at j = k, where T never does.
"""

from __future__ import annotations

from sympy import Add, Mul, Pow, Product, S, Sum, expand

PATTERNS = ("below", "below or on", "on or above", "above")


def triangle(rules, dep, k, a, b, depth):
    """Σ_{k=a}^{b} ``dep`` in the form above, normalised by ``rules`` at ``depth``; or None
    when ``dep`` is not f(k)·Σ_j g(k, j) over one of the triangles, or is in that form."""
    inner = [f for f in Mul.make_args(dep) if isinstance(f, Sum) and len(f.limits) == 1]
    if len(inner) != 1 or not rules._le(a - 1, b):
        return None
    (j, low, high), = inner[0].limits
    shape = _shape(low, high, k, a, b)
    if shape is None:
        return None
    F = expand(Mul(*[f for f in Mul.make_args(dep) if f is not inner[0]]) * inner[0].function)
    if rules.vanishing(F, k) or rules.vanishing(F, j) or F.has(Sum, Product) or \
            _power_of_index(F, k, j):
        return None
    swap = {k: j, j: k}
    upper = F.xreplace(swap) if shape.startswith("below") else F
    terms = Add.make_args(upper)
    if shape == "above" and all(_kept(t, t.xreplace(swap)) for t in terms):
        return None
    out = Add(*[_upper(t, t.xreplace(swap), k, j, a, b) for t in terms])
    if shape in ("below or on", "on or above"):
        out += Sum(F.xreplace({j: k}), (k, a, b))
    return rules.normal(out, depth)


def _power_of_index(F, k, j) -> bool:
    """A power whose exponent moves with k or j on a base not known positive: at j = k it
    may be 0⁻¹ (j·(j − k)^{k − j − 1} is finite above the diagonal only)."""
    return any(p.exp.has(k, j) and p.base.is_positive is not True for p in F.atoms(Pow))


def _kept(t, flipped) -> bool:
    return expand(t - flipped) != 0 and t.sort_key() < flipped.sort_key()


def _shape(low, high, k, a, b):
    """Which triangle of a..b the inner limits (low, high) cover at outer index k."""
    for name, (lo, hi) in zip(PATTERNS, ((a, k - 1), (a, k), (k, b), (k + 1, b))):
        if expand(low - lo) == 0 and expand(high - hi) == 0:
            return name
    return None


def _upper(t, flipped, k, j, a, b):
    """T(t) in the form above."""
    square = Sum(Sum(t, (j, a, b)), (k, a, b)) - Sum(t.xreplace({j: k}), (k, a, b))
    if expand(t - flipped) == 0:
        return square / 2
    if _kept(t, flipped):
        return Sum(Sum(t, (j, k + 1, b)), (k, a, b))
    return square - Sum(Sum(flipped, (j, k + 1, b)), (k, a, b))
