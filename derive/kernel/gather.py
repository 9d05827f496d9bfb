"""Sums and indices compared term by term: sums over one range gathered, δ of two indices."""

from __future__ import annotations

from sympy import Add, KroneckerDelta, Mul, Sum, expand_mul

from ..indexed import BoundIndex


def gathered(expr, ranges, vanishes=None):
    """``expr`` with the sums over one range written as one sum of their summands
    (Σ_i f_i + c·Σ_j g_j = Σ_i (f_i + c·g_i), the bound index renamed where it is free
    nowhere else), so that Σ σ_i(1 − σ_i)x_i² ≤ ¼·Σ x_i² can be shown term by term; with
    ``vanishes``, only each group whose summand it shows is 0 is changed (dropped): atoms
    alone cannot see Σ x·e^{wx}/(1 + e^{wx}) − Σ x/(1 + e^{−wx}) = 0.

    A group with a sum that has no value (a term 0/0 or 1/0 inside its range for some
    admissible limits and free indices in ``ranges``: summation.defined) is left as it is:
    Σ x_a(a² − 1)/(a − 1) − Σ x_a(a + 1) is not 0, its first term is 0/0 (review r15)."""
    from .summation import defined
    groups, rest = {}, []
    for term in Add.make_args(expr):
        const, node = term.as_independent(Sum, as_Add=False)
        if isinstance(node, Sum) and len(node.limits) == 1:
            groups.setdefault(node.limits[0][1:], []).append((term, const, node))
        else:
            rest.append(term)
    for (a, b), group in groups.items():
        k = group[0][2].limits[0][0]
        body = Add(*[const * node.function.xreplace({node.limits[0][0]: k}) for _, const, node in group])
        if len(group) < 2 or not all(defined(node, ranges) for _, _, node in group) or any(
                const.has(k) or (node.limits[0][0] != k and node.function.has(k))
                for _, const, node in group) or (vanishes is not None and not vanishes(body)):
            rest.extend(term for term, _, _ in group)
        elif vanishes is None:
            rest.append(Sum(body, (k, a, b)))
    return Add(*rest)


def one_index(expr):
    """δ_{k,m}·g(k) = δ_{k,m}·g(m) (both are 0 unless k = m): in each term with δ of two
    free indices the later-named is written as the other, so δ_{k,m}·(p_k − p_m) is 0.
    ``expr`` itself when no term changes."""
    if not expr.has(KroneckerDelta):
        return expr
    terms, changed = [], False
    for term in Add.make_args(expand_mul(expr)):
        deltas = sorted((d for d in Mul.make_args(term) if isinstance(d, KroneckerDelta) and all(
            a.is_Symbol and not isinstance(a, BoundIndex) for a in d.args)), key=str)
        if deltas:
            delta = deltas[0]
            keep, gone = sorted(delta.args, key=str)
            rest = Mul(*[f for f in Mul.make_args(term) if f is not delta])
            moved = rest.xreplace({gone: keep})
            changed = changed or moved != rest
            term = delta * moved
        terms.append(term)
    return Add(*terms) if changed else expr
