"""Multipliers by a small linear program: nonnegative numbers times candidate factors of each
fact, chosen so that what remains is ≥ 0 term by term (the kernel re-checks the result)."""

from __future__ import annotations

from sympy import Add, Dummy, Mul, S, cancel, expand

from ..kernel.certificates import Combination
from ..kernel.facts import gap, normal
from ..kernel.positivity import sign_form

BOUND = 1000           # multipliers stay below this (keeps the program bounded)
MAX_UNKNOWNS = 120


def candidates(world) -> list:
    """Factors a multiplier may be made of: 1, and each declared variable v > 0 and 1/v."""
    out = [S.One]
    for v in sorted(world.vars, key=lambda s: s.name):
        if world.vars[v].integer:
            continue
        if all(sign_form(sympy_sub(v, case), ">") for case in world.cases):
            out += [v, 1 / v]
    return out


def sympy_sub(expr, case):
    return expr.xreplace(case.sign_subs)


def lp_search(world, premises, goal, strict):
    """A Combination whose remainder is ≥ 0 term by term, or None.

    Each multiplier is Σ t·m over the candidate factors m with numbers t (t ≥ 0 for an
    inequality, any sign for an equation). The remainder goal − Σ cₖ·gapₖ is split into
    terms number × t × μ; each μ's coefficient must be ≥ 0 where μ ≥ 0 in every case,
    ≤ 0 where μ ≤ 0, and 0 otherwise (function values, inner products of two points,
    variables of either sign). A strict goal needs a strict fact used or a positive constant.
    """
    facts = premises.facts
    if not facts:
        return None
    factors = candidates(world)
    if len(facts) * len(factors) > MAX_UNKNOWNS:
        factors = factors[:max(1, MAX_UNKNOWNS // len(facts))]
    unknowns, bounds, mults, strict_ts = [], [], [], []
    total = normal(world, goal)
    for fact in facts:
        g, fstrict = gap(fact.relation)
        terms = []
        for m in factors:
            t = Dummy("t")
            unknowns.append(t)
            bounds.append((0, BOUND) if fstrict is not None else (-BOUND, BOUND))
            if fstrict:
                strict_ts.append(t)
            terms.append(t * m)
        c = Add(*terms)
        mults.append(c)
        total -= c * normal(world, g)
    groups = _group(expand(total), set(unknowns))
    if groups is None:
        return None
    const = groups.pop(S.One, S.Zero)
    rows = [(-const, "<=")]                     # const ≥ 0
    for mu, coeff in groups.items():
        sign = _sign(world, mu)
        rows.append((-coeff, "<=") if sign > 0 else (coeff, "<=") if sign < 0 else (coeff, "="))
    if strict:
        # s ≤ const + Σ strict multipliers, s ≤ 1, maximise s: > 0 needed.
        s = Dummy("s")
        rows.append((s - const - Add(*strict_ts), "<="))
        values = _linprog(-s, rows, unknowns + [s], bounds + [(None, 1)])
        if values is None or values[s] <= 0:
            return None
    else:
        values = _linprog(Add(*[t for t, b in zip(unknowns, bounds) if b[0] == 0]), rows,
                          unknowns, bounds)
        if values is None:
            return None
    chosen = [(i, cancel(c.xreplace(values))) for i, c in enumerate(mults)]
    return Combination(tuple((i, c) for i, c in chosen if c != 0))


def _linprog(objective, rows, variables, bounds):
    """{variable: value} minimising ``objective`` (linear) with rows (expr, "<=" | "=")
    meaning expr ≤ 0 or expr = 0, or None when infeasible or unbounded."""
    from sympy import Matrix
    from sympy.solvers.simplex import InfeasibleLPError, UnboundedLPError, linprog
    index = {v: i for i, v in enumerate(variables)}

    def row(expr):
        out, rest = [S.Zero] * len(variables), S.Zero
        for term in Add.make_args(expand(expr)):
            coeff, var = term.as_coeff_Mul()
            if var in index:
                out[index[var]] += coeff
            elif term.is_number:
                rest += term
            else:
                raise ValueError("not linear")
        return out, -rest
    try:
        c, _ = row(objective)
        ub = [row(e) for e, op in rows if op == "<="]
        eq = [row(e) for e, op in rows if op == "="]
        A = Matrix([r for r, _ in ub]) if ub else None
        b = Matrix([v for _, v in ub]) if ub else None
        A_eq = Matrix([r for r, _ in eq]) if eq else None
        b_eq = Matrix([v for _, v in eq]) if eq else None
        _, x = linprog(Matrix([c]), A, b, A_eq, b_eq, bounds=bounds)
    except (InfeasibleLPError, UnboundedLPError, ValueError, TypeError):
        return None
    return dict(zip(variables, x))


def _group(expr, unknowns):
    """{μ: coefficient linear in the unknowns} for expr = Σ coefficient·μ, or None."""
    out = {}
    for term in Add.make_args(expr):
        number, rest = S.One, []
        for factor in Mul.make_args(term):
            if factor.is_number or factor in unknowns:
                number *= factor
            else:
                rest.append(factor)
        mu = Mul(*rest)
        if mu.free_symbols & unknowns:
            return None
        out[mu] = out.get(mu, S.Zero) + number
    return out


def _sign(world, mu) -> int:
    """1 when μ ≥ 0 in every case, −1 when μ ≤ 0, else 0."""
    if mu.is_number:
        return 1 if mu >= 0 else -1
    if all(sign_form(sympy_sub(mu, case), ">=") for case in world.cases):
        return 1
    if all(sign_form(sympy_sub(-mu, case), ">=") for case in world.cases):
        return -1
    return 0
