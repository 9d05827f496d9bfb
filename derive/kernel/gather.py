"""Sums and indices compared term by term: sums over one range gathered, δ of two indices."""

from __future__ import annotations

from sympy import Add, KroneckerDelta, Mul, Sum, expand_mul

from ..indexed import BoundIndex


def merged(expr, vanishes, ranges):
    """``expr`` with each group of sums over one range (the same index and limits, their
    factors free of the index) dropped when ``vanishes`` shows the gathered summand is 0
    (Σf + c·Σg = Σ(f + c·g)). Atoms alone cannot see that Σ x·e^{wx}/(1 + e^{wx}) −
    Σ x/(1 + e^{−wx}) = 0: the summands differ as written and agree term by term.
    A group with a sum that has no value (a term 0/0 or 1/0 inside its range for some
    admissible limits: summation.defined, with the free indices' ``ranges``) is kept:
    Σ x_a(a² − 1)/(a − 1) − Σ x_a(a + 1) is not 0, its first term is 0/0 (review r15)."""
    from .summation import defined
    groups, rest = {}, []
    for term in Add.make_args(expr):
        const, node = term.as_independent(Sum, as_Add=False)
        if isinstance(node, Sum) and len(node.limits) == 1 and not const.has(node.limits[0][0]):
            groups.setdefault(node.limits[0], []).append((term, const * node.function))
        else:
            rest.append(term)
    for group in groups.values():
        if len(group) < 2 or not all(defined(term, ranges) for term, _ in group) or \
                not vanishes(Add(*[summand for _, summand in group])):
            rest.extend(term for term, _ in group)
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
