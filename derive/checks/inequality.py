"""Inequalities under named hypotheses: instances, multiplier certificates, monotonicity, unrolling."""

from __future__ import annotations

from sympy import (Add, Dummy, Eq, GreaterThan, LessThan, Mul, Ne, Pow, S,
                   StrictGreaterThan, StrictLessThan, Symbol, cancel, exp, expand,
                   linsolve, sympify)

from ..budget import attempt
from ..errors import UnsupportedStep
from ..notation import Inner, VectorSymbol
from ..printing import text
from ..verdict import cited, failed, proved, unknown
from .context import rebuild
from .lemmas import lookup
from .registry import register
from .signs import prove_sign

SOLVE_BUDGET = 1.0


# -- normal forms --------------------------------------------------------------

def gap(rel_or_sides, rel=None):
    """(g, strict) with ``g ≥ 0`` (``g > 0`` when strict) equivalent to the relation."""
    if rel is None:
        r = rel_or_sides
        if isinstance(r, (LessThan, StrictLessThan)):
            return r.rhs - r.lhs, isinstance(r, StrictLessThan)
        if isinstance(r, (GreaterThan, StrictGreaterThan)):
            return r.lhs - r.rhs, isinstance(r, StrictGreaterThan)
        if isinstance(r, Eq):
            return r.lhs - r.rhs, None
        raise UnsupportedStep(f"not an inequality: {r}")
    lhs, rhs = rel_or_sides
    if rel in ("<=", "<"):
        return rhs - lhs, rel == "<"
    if rel in (">=", ">"):
        return lhs - rhs, rel == ">"
    if rel == "=":
        return lhs - rhs, None
    raise UnsupportedStep(f"relation {rel!r} is not an inequality")


def normal(ctx, expr, expand_=True):
    """Definitions expanded, equations applied, ⟨·,·⟩ re-expanded, sums expanded."""
    expr = rebuild(sympify(expr))
    if ctx.equations:
        expr = expr.xreplace(ctx.equations)
    expr = rebuild(ctx.expand_defs(expr))
    if ctx.equations:
        expr = rebuild(expr.xreplace(ctx.equations))
    return expand(expr) if expand_ else expr


def surface(ctx, expr):
    """The author's expression, evaluated, equations applied, definitions kept as names."""
    expr = rebuild(sympify(expr))
    if ctx.equations:
        expr = rebuild(expr.xreplace(ctx.equations))
    return expr


def split_atoms(ctx, expr, unknowns=()):
    """Split a linear form into (coefficients of free atoms, Gram part, constant).

    Parameters (declared variables) live in the coefficients; every other symbol
    (a function's value, ℒ*) and every ⟨p, q⟩ is an atom. Raises UnsupportedStep
    when the expression is not linear in its atoms.
    """
    params = set(ctx.vars) | set(unknowns)
    free, gram, const = {}, {}, S.Zero
    for term in Add.make_args(expr):
        coeff, atoms = S.One, []
        for factor in Mul.make_args(term):
            if _is_param(factor, params):
                coeff *= factor
            else:
                atoms.append(factor)
        if not atoms:
            const += coeff
        elif len(atoms) == 1 and isinstance(atoms[0], Inner):
            gram[atoms[0]] = gram.get(atoms[0], S.Zero) + coeff
        elif len(atoms) == 1 and (atoms[0].is_Symbol or atoms[0].is_Function):
            # A function's value, ℒ*, or log(L‖w*‖²/ε): anything the facts must cancel.
            free[atoms[0]] = free.get(atoms[0], S.Zero) + coeff
        else:
            raise UnsupportedStep(f"not linear in the function values and inner products: {text(term)}")
    return free, gram, const


def _is_param(factor, params) -> bool:
    syms = factor.free_symbols
    return not factor.has(Inner) and (syms <= params or not syms) and \
        not any(isinstance(s, VectorSymbol) for s in syms)


# -- facts ---------------------------------------------------------------------

def instances(ctx, step, env):
    """The relations a step's ``uses`` name, with a label each, and the step's own facts."""
    derivation = ctx.derivation
    out = []
    for use in step.why.uses:
        if use.name == "above":
            if env.get("above") is None:
                raise UnsupportedStep("'above' is used, but the chain above is missing or "
                                      "not proved in every link")
            missing = [c for c in env.get("above_conditions", ()) if c not in ctx.own_conditions]
            if missing:
                raise UnsupportedStep(f"the chain above holds only where {text(missing[0])}; "
                                      "this step does not assume it")
            out.append(("the chain above", env["above"]))
            continue
        schema = lookup(derivation, use.name, ctx.part)
        if schema.kind == "result" and use.name not in env.get("established", {}):
            raise UnsupportedStep(f"uses {use.name!r}, which no step above established")
        rel = schema.instance(*use.args)
        label = f"{use.name}({', '.join(text(a) for a in use.args)})" if use.args else use.name
        out.append((label, rel))
    for fact in ctx.facts:
        out.append((f"condition {text(fact)}", fact))
    _remember_parameter_facts(ctx, out)
    return out


def obligations(ctx, step, env):
    """Side conditions of the schemas a step uses: (label, verdict-or-None) pairs."""
    results = []
    props = [p for p in dict(ctx.derivation.extra).get("properties", ())
             if not (len(p) > 3 and p[3]) or ctx.part in p[3]]
    props = [p[:3] for p in props]
    for use in step.why.uses:
        if use.name == "above":
            continue
        schema = lookup(ctx.derivation, use.name, ctx.part)
        if schema.kind == "result" and use.name not in env.get("established", {}):
            return results, f"uses {use.name!r}, which no step above established"
        items = list(schema.obligations(*use.args)) if schema.obligations is not None else []
        if schema.kind == "result":
            moved = _same_world(ctx, use, env, schema)
            if moved:
                return results, moved
            items.extend(_result_domain(ctx, use, env))
        for item in items:
            if isinstance(item, tuple) and item and item[0] == "property":
                _, name, f, const = item
                have = [c for (n, g, c) in props if n == name and g == f]
                ok = any(cancel(c - const) == 0 for c in have)
                shown = f"{f} {name} ({text(const)})"
                if not ok:
                    declared = ", ".join(f"{text(c)}-{name}" for c in have) or "nothing"
                    return results, f"{shown} is not among the hypotheses (declared: {f} {declared})"
                results.append(f"{shown}: a stated hypothesis")
            elif item is S.true or item is True:
                continue        # settled by the symbols' own assumptions when it was built
            elif item is S.false or item is False:
                return results, (f"a side condition is false for {use.name}"
                                 f"({', '.join(text(a) for a in use.args)}): an argument is "
                                 "outside the domain the fact holds on")
            else:
                if isinstance(item, Ne):
                    g = normal(ctx, item.lhs - item.rhs)
                    ok = _sign_ok(ctx, g, True) or _sign_ok(ctx, -g, True)
                else:
                    g, strict = gap(item)
                    g = normal(ctx, g)
                    # An equation must hold identically, not merely as ≥.
                    ok = cancel(g) == 0 if strict is None else _sign_ok(ctx, g, strict)
                if not ok:
                    return results, f"side condition {text(item)} does not follow from the assumptions"
                results.append(f"side condition {text(item)}: proved from the assumptions")
    return results, None


class Established(tuple):
    """Where a result was proved: its arguments and the part (a tuple of the arguments)."""

    def __new__(cls, at, part):
        self = super().__new__(cls, at)
        self.part = part
        return self


def _context(derivation, part):
    """The part-scoped hypotheses and properties that hold in ``part``."""
    names = {s.name for s in derivation.schemas
             if s.kind != "result" and s.parts and part in s.parts}
    props = {p[:3] for p in dict(derivation.extra).get("properties", ())
             if len(p) > 3 and p[3] and part in p[3]}
    return names, props


def _same_world(ctx, use, env, schema):
    """A result without obligations may only be cited where every part-scoped
    hypothesis of the part that proved it also holds (it may have used any)."""
    if schema.obligations is not None:
        return None
    done = env.get("established", {}).get(use.name)
    proved_in = getattr(done, "part", None)
    if proved_in is None or proved_in == ctx.part:
        return None
    names, props = _context(ctx.derivation, proved_in)
    here_names, here_props = _context(ctx.derivation, ctx.part)
    lost = sorted(names - here_names) + sorted(f"{p[1]} {p[0]}" for p in props - here_props)
    if lost:
        return (f"{use.name} was proved in ({proved_in}), where {lost[0]} holds; "
                f"it does not hold in ({ctx.part})")
    return None


def _result_domain(ctx, use, env):
    """A result proved at variables (t ≥ 0, an integer; μ > 0 with L ≥ μ) holds for
    arguments in the same domain: each interval bound and each assumption that
    mentions those variables becomes a side condition on the arguments."""
    from sympy import Ge, Gt, Le, Lt
    at = env.get("established", {}).get(use.name, ())
    if len(at) != len(use.args):
        raise UnsupportedStep(f"{use.name} was established at {len(at)} argument(s), "
                              f"used with {len(use.args)}")
    for a, b in zip(at, use.args):
        if isinstance(a, str) and a != b and lookup(ctx.derivation, use.name).obligations is None:
            # A function's name is not a variable: without obligations that say what
            # the new function satisfies, the result is about the one it was proved for.
            yield S.false
    for a, b in zip(at, use.args):
        if isinstance(a, Symbol) and a not in ctx.vars:
            # A constant's own assumptions were available to the proof: they transfer.
            b = sympify(b)
            for attr, rel in (("is_positive", Gt), ("is_negative", Lt),
                              ("is_nonnegative", Ge), ("is_nonpositive", Le)):
                if getattr(a, attr) and not isinstance(a, VectorSymbol):
                    yield rel(b, 0)
            if a.is_integer and not b.is_integer:
                yield S.false
    swap = {a: b for a, b in zip(at, use.args) if a in ctx.vars}
    for a, b in swap.items():
        var = ctx.vars[a]
        if var.integer and not sympify(b).is_integer:
            yield S.false
        if var.lower is not None:
            yield (Gt if var.lower_open else Ge)(b, var.lower)
        if var.upper is not None:
            yield (Lt if var.upper_open else Le)(b, var.upper)
    for assumption in ctx.derivation.assumptions:
        expanded = rebuild(ctx.expand_defs(assumption))
        if expanded.free_symbols & set(swap):
            yield expanded.xreplace(swap)


def _sign_ok(ctx, g, strict) -> bool:
    """g ≥ 0 (> 0) from the intervals, or as F·q with F ≥ 0 a named fact among the
    parameters (ηL ≤ 1 gives 1 − ηL ≥ 0) and q ≥ 0 from the intervals."""
    want = ">" if strict else ">="
    if g == 0:
        return not strict
    if all(prove_sign(g.xreplace(case.sign_subs), want) for case in ctx.cases):
        return True
    for fact_gap, fact_strict in getattr(ctx, "param_gaps", ()):
        if strict and not fact_strict:
            continue
        q = cancel(g / fact_gap)
        if q.has(fact_gap) or cancel(g - fact_gap * q) != 0:
            continue
        if all(prove_sign(q.xreplace(case.sign_subs), want) for case in ctx.cases):
            note = f"{text(g)} = ({text(fact_gap)})·({text(q)}) ≥ 0 by a named fact"
            if note not in getattr(ctx, "param_notes", []):
                ctx.param_notes = getattr(ctx, "param_notes", []) + [note]
            return True
    return False


def _finite_everywhere(ctx, value) -> bool:
    """The multiplier's denominator has a strict sign under the assumptions."""
    from sympy import fraction, together
    _, den = fraction(together(value))
    if den.is_number:
        return den != 0
    return _sign_ok(ctx, den, True) or _sign_ok(ctx, -den, True)


def _remember_parameter_facts(ctx, facts):
    """The facts that only constrain parameters, as (gap ≥ 0, strict), for sign proofs."""
    gaps = []
    params = set(ctx.vars)
    for _, rel in facts:
        g, strict = gap(rel)
        if strict is None:
            continue
        g = normal(ctx, g)
        if g.free_symbols and g.free_symbols <= params and not g.has(Inner):
            gaps.append((g, strict))
    ctx.param_gaps = tuple(gaps)


# -- multiplier certificates ---------------------------------------------------

def certificate(ctx, goal, strict, facts):
    """Find c_k ≥ 0 with goal − Σ c_k·fact_k = remainder, the remainder provably ≥ 0.

    ``facts`` are (label, relation). Returns (lines, None) or (None, reason).
    The coefficients of every function value must cancel exactly (they can take
    any value); what remains is a constant in the parameters, shown ≥ 0 from the
    assumptions, plus a quadratic form in inner products, shown positive
    semidefinite (≥ 0 for every Gram matrix, i.e. in every inner-product space).
    """
    goal_n = normal(ctx, goal)
    mults, total, fact_info = [], goal_n, []
    for label, rel in facts:
        g, fstrict = gap(rel)
        c = Dummy("c")
        mults.append(c)
        total -= c * normal(ctx, g)
        fact_info.append((label, c, fstrict))
    total = expand(total)
    free, gram, const = split_atoms(ctx, total, mults)
    equations = [e for e in free.values() if e != 0]
    solution = {}
    if equations and not mults:
        residual = _residual_text(ctx, goal_n, free)
        return None, f"no facts are named, and the function values do not cancel ({residual})"
    if equations:
        sols, err = attempt(SOLVE_BUDGET, lambda: linsolve(equations, mults))
        if err:
            return None, "solving for the multipliers ran out of time"
        if not sols:
            residual = _residual_text(ctx, goal_n, free)
            return None, f"no combination of the facts cancels the function values ({residual})"
        sol = next(iter(sols))
        solution = {c: v for c, v in zip(mults, sol)}
        # Multipliers left free by the equations are set to zero.
        leftover = {s: 0 for v in solution.values() for s in v.free_symbols if s in mults}
        solution = {c: cancel(v.xreplace(leftover)) for c, v in solution.items()}
    else:
        solution = {c: S.Zero for c in mults}
    lines = []
    strict_used = False
    for label, c, fstrict in fact_info:
        value = solution.get(c, S.Zero)
        if value != 0 and not _finite_everywhere(ctx, value):
            # c = 1/x times an equation x·a = x·b would "prove" a = b where x = 0.
            return None, f"{label} would need the multiplier {text(value)}, which may be undefined"
        if fstrict is None:
            lines.append(f"{label} × {text(value)} (an equation: any sign)")
            continue
        if value != 0 and not _sign_ok(ctx, value, False):
            return None, f"{label} would need the multiplier {text(value)}, not provably ≥ 0"
        if value != 0:
            lines.append(f"{label} × {text(value)} (≥ 0 from the assumptions)")
            if fstrict and _sign_ok(ctx, value, True):
                strict_used = True
    const = cancel(const.xreplace(solution))
    gram = {a: cancel(v.xreplace(solution)) for a, v in gram.items()}
    gram = {a: v for a, v in gram.items() if v != 0}
    if not _sign_ok(ctx, const, False):
        return None, f"the remainder's constant part {text(const)} is not provably ≥ 0"
    ok, why = _psd(ctx, gram)
    if not ok:
        return None, why
    if strict and not strict_used and not _sign_ok(ctx, const, True):
        return None, "a strict inequality needs a strict fact or a positive remainder"
    lines.extend(getattr(ctx, "param_notes", []))
    remainder = const + Add(*[v * a for a, v in gram.items()])
    lines.append(f"remainder {text(remainder)} ≥ 0" + (" (a positive semidefinite form in inner products)" if gram else ""))
    return lines, None


def _residual_text(ctx, goal_n, free):
    shown = ", ".join(f"{text(a)}: {text(v)}" for a, v in list(free.items())[:4])
    return f"coefficient equations {shown} have no solution"


def _psd(ctx, gram):
    """Is Σ coeff·⟨p,q⟩ ≥ 0 for every choice of vectors? (symbolic LDLᵀ)"""
    if not gram:
        return True, None
    vectors = sorted({v for a in gram for v in a.args}, key=lambda v: v.sort_key())
    index = {v: i for i, v in enumerate(vectors)}
    n = len(vectors)
    m = [[S.Zero] * n for _ in range(n)]
    for atom, coeff in gram.items():
        p, q = atom.args
        i, j = index[p], index[q]
        if i == j:
            m[i][i] += coeff
        else:
            m[i][j] += coeff / 2
            m[j][i] += coeff / 2
    for k in range(n):
        pivot = cancel(m[k][k])
        if pivot == 0:
            if any(cancel(m[k][j]) != 0 for j in range(k + 1, n)):
                return False, f"the inner-product form is not positive semidefinite (zero pivot at {vectors[k]})"
            continue
        if all(cancel(m[k][j]) == 0 for j in range(k + 1, n)):
            # Nothing to eliminate: the pivot only has to be ≥ 0.
            if not _sign_ok(ctx, pivot, False):
                return False, f"the inner-product form's pivot {text(pivot)} at {vectors[k]} is not provably ≥ 0"
            continue
        if not _sign_ok(ctx, pivot, True):
            return False, f"the inner-product form's pivot {text(pivot)} at {vectors[k]} is not provably > 0"
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                m[i][j] = cancel(m[i][j] - m[i][k] * m[k][j] / pivot)
    return True, None


# -- checkers ------------------------------------------------------------------

def _goal(lhs, rel, rhs):
    g, strict = gap((lhs, rhs), rel)
    if strict is None:
        raise UnsupportedStep("this justification proves an inequality (≤, <, ≥, >), not '='")
    return g, strict


@register("hypothesis", "lemma", "result")
def _cite(ctx, lhs, rel, rhs, step, env):
    """The step is literally an instance of one named fact (after normalisation)."""
    uses = [u for u in step.why.uses]
    if len(uses) != 1:
        raise UnsupportedStep(f"'{step.why.kind}' cites exactly one fact; use 'combination' for several")
    kind = step.why.kind
    obl, bad = obligations(ctx, step, env)
    if bad:
        return unknown(kind, bad)
    (label, inst), = instances(ctx, step, env)[:1]
    g_claim, strict = gap((lhs, rhs), rel)
    g_inst, inst_strict = gap(inst)
    if strict is None or inst_strict is None:
        raise UnsupportedStep("a cited fact and its step must both be inequalities")
    diff = cancel(normal(ctx, g_claim - g_inst))
    if diff == 0 and (inst_strict or not strict):
        refuted = _refute_stated_lemma(ctx, uses[0], inst)
        if refuted:
            return refuted
        return cited(f"{kind}: {label}", [f"instance of {label}: {text(inst)}", *obl])
    if diff == 0:
        return failed(kind, f"{label} gives a weak inequality; the step claims a strict one")
    return failed(kind, f"not an instance of {label}: the step and the instance differ by {text(diff)}",
                  certificate=[f"{label}: {text(inst)}"])


def _refute_stated_lemma(ctx, use, inst):
    """A lemma a derivation states itself is not assumed blindly: where its instance
    involves only declared variables, sampling looks for a point that breaks it.
    (Hypotheses are assumptions about the world, such as smoothness of ℒ, and
    the built-in lemmas have proofs: neither is sampled.)"""
    from .lemmas import LEMMAS
    from .relations import _prepare
    from .sampling import sample_relation
    schema = lookup(ctx.derivation, use.name, ctx.part)
    if schema.kind != "lemma" or use.name in LEMMAS:
        return None
    expanded = normal(ctx, inst.lhs - inst.rhs)
    if not expanded.free_symbols <= set(ctx.vars):
        return None
    rel = {LessThan: "<=", StrictLessThan: "<", GreaterThan: ">=", StrictGreaterThan: ">"}.get(type(inst))
    if rel is None:
        return None
    for case in ctx.cases:
        outcome, info = sample_relation(_prepare(ctx, inst.lhs, case), _prepare(ctx, inst.rhs, case),
                                        rel, case)
        if outcome == "counterexample":
            return failed("lemma", f"the stated lemma {use.name} is false here: {text(inst)} breaks", info)
    return None


@register("combination")
def _combination(ctx, lhs, rel, rhs, step, env):
    """Nonnegative multiples of the named facts, a remainder shown ≥ 0."""
    goal, strict = _goal(lhs, rel, rhs)
    obl, bad = obligations(ctx, step, env)
    if bad:
        return unknown("combination", bad)
    facts = instances(ctx, step, env)
    lines, why = certificate(ctx, goal, strict, facts)
    if lines is None:
        return unknown("combination", why)
    return proved("combination: multipliers", [*obl, *lines])


@register("monotone")
def _monotone(ctx, lhs, rel, rhs, step, env):
    """Compare the two sides structurally (common factors, powers, exp), discharge the leaves."""
    goal, strict = _goal(lhs, rel, rhs)
    if strict:
        raise UnsupportedStep("monotonicity proves ≤ or ≥; split a strict step")
    small, big = (lhs, rhs) if rel in ("<=", "<") else (rhs, lhs)
    obl, bad = obligations(ctx, step, env)
    if bad:
        return unknown("monotone", bad)
    facts = instances(ctx, step, env)
    lines = []
    ok, why = _mono(ctx, surface(ctx, small), surface(ctx, big), facts, lines, 0)
    if not ok:
        return unknown("monotone", why)
    return proved("monotone", [*obl, *lines])


def _mono(ctx, a, b, facts, lines, depth):
    """Prove a ≤ b; record each rule used in ``lines``.

    ``a`` and ``b`` are surface forms (defined names kept) so the structure the
    author wrote is matched; each leaf is discharged on the expanded forms.
    """
    if depth > 12:
        return False, "monotonicity recursion too deep"
    diff = cancel(normal(ctx, b - a))
    if diff == 0:
        return True, None
    for label, rel in facts:
        g, strict = gap(rel)
        if strict is not None and cancel(normal(ctx, g) - diff) == 0:
            lines.append(f"{text(a)} ≤ {text(b)}: {label}")
            return True, None
    # A common factor: a = k·x, b = k·y.
    fa, fb = list(Mul.make_args(a)), list(Mul.make_args(b))
    common = []
    for f in fa:
        if f != 1 and f in fb:
            common.append(f)
            fb.remove(f)
    if common:
        k = Mul(*common)
        rest_a = list(Mul.make_args(a))
        for f in common:
            rest_a.remove(f)
        x, y = Mul(*rest_a), Mul(*fb)
        if _nonneg(ctx, k, facts):
            lines.append(f"multiply by {text(k)} ≥ 0")
            return _mono(ctx, x, y, facts, lines, depth + 1)
        if _nonneg(ctx, -k, facts):
            lines.append(f"multiply by {text(k)} ≤ 0 (the inequality turns)")
            return _mono(ctx, y, x, facts, lines, depth + 1)
        return False, f"the sign of the common factor {text(k)} is not known"
    # Powers with one exponent: aᵗ ≤ bᵗ from 0 ≤ a ≤ b and t ≥ 0.
    if isinstance(a, Pow) and not a.exp.is_Number:
        t = a.exp
        if isinstance(b, exp) and not cancel(b.args[0] / t).has(*t.free_symbols):
            b = Pow(exp(cancel(b.args[0] / t)), t, evaluate=False)
        if isinstance(b, Pow) and cancel(b.exp - t) == 0:
            if not _sign_ok(ctx, normal(ctx, t), False):
                return False, f"the exponent {text(t)} is not provably ≥ 0"
            if not _nonneg(ctx, a.base, facts):
                return False, f"the base {text(a.base)} is not provably ≥ 0"
            lines.append(f"powers with exponent {text(t)} ≥ 0 of bases ≥ 0 keep the order")
            return _mono(ctx, a.base, b.base, facts, lines, depth + 1)
    if isinstance(a, exp) and isinstance(b, exp):
        lines.append("exp is increasing")
        return _mono(ctx, a.args[0], b.args[0], facts, lines, depth + 1)
    # Common terms of a sum.
    ta, tb = Add.make_args(a), Add.make_args(b)
    shared = [t for t in ta if t in tb]
    if shared and len(ta) > 1:
        rest_a = Add(*[t for t in ta if t not in shared])
        rest_b = Add(*[t for t in tb if t not in shared])
        lines.append("cancel the common terms")
        return _mono(ctx, rest_a, rest_b, facts, lines, depth + 1)
    if _sign_ok(ctx, diff, False):
        lines.append(f"{text(a)} ≤ {text(b)}: the difference is ≥ 0 from the assumptions")
        return True, None
    # Last resort: a multiplier certificate from the facts.
    cert, why = certificate(ctx, b - a, False, facts)
    if cert:
        lines.append(f"{text(a)} ≤ {text(b)}:")
        lines.extend("  " + c for c in cert)
        return True, None
    return False, f"cannot show {text(a)} ≤ {text(b)}: {why}"


def _nonneg(ctx, k, facts) -> bool:
    k = normal(ctx, k)
    if _sign_ok(ctx, k, False):
        return True
    cert, _ = certificate(ctx, k, False, facts)
    return cert is not None


@register("unroll")
def _unroll(ctx, lhs, rel, rhs, step, env):
    """Induction: r_{k+1} ≤ q·r_k for every k ≥ 0 and q ≥ 0 give r_t ≤ qᵗ·r_0."""
    if rel != "<=":
        raise UnsupportedStep("unrolling proves r_t ≤ qᵗ·r_0 (write it with ≤)")
    r, q, t = step.why.option("r"), step.why.option("q"), step.why.option("t")
    if r is None or q is None or t is None or len(step.why.uses) != 1:
        raise UnsupportedStep("unroll needs options r (k ↦ r_k), q, t and one premise in uses")
    k = Dummy("k", integer=True, nonnegative=True)   # never the derivation's own k
    name = step.why.uses[0].name
    if name not in env.get("established", {}):
        raise UnsupportedStep(f"uses {name!r}, which no step above established")
    label, premise = f"{name}(k)", lookup(ctx.derivation, name, ctx.part).instance(k)
    at = env["established"][name]
    var = ctx.vars.get(at[0]) if len(at) == 1 else None
    covers = var is not None and var.integer and var.upper is None and (
        var.lower is None or var.lower < 0 or (var.lower == 0 and not var.lower_open))
    constrained = var is not None and any(
        at[0] in rebuild(ctx.expand_defs(a)).free_symbols for a in ctx.derivation.assumptions)
    if not covers or constrained:
        return unknown("unroll", f"{name} must be established at one integer variable "
                                 "ranging over all k ≥ 0")
    moved = _same_world(ctx, step.why.uses[0], env, lookup(ctx.derivation, name, ctx.part))
    if moved:
        return unknown("unroll", moved)
    want = LessThan(r(k + 1), q * r(k))
    g_p, sp = gap(premise)
    g_w, _ = gap(want)
    if sp is None or cancel(normal(ctx, g_p - g_w)) != 0:
        return failed("unroll", f"the premise {label} is not r(k+1) ≤ q·r(k): it differs by "
                                f"{text(cancel(normal(ctx, g_p - g_w)))}")
    if not _sign_ok(ctx, normal(ctx, q), False):
        return unknown("unroll", f"q = {text(q)} is not provably ≥ 0, and the induction needs it")
    tv = ctx.vars.get(t)
    if not tv or not tv.integer or tv.lower is None or tv.lower < 0:
        return unknown("unroll", f"{t} must be a declared integer variable ≥ 0")
    g_claim = normal(ctx, rhs - lhs)
    g_lemma = normal(ctx, q**t * r(0) - r(t))
    residual = cancel(g_claim - g_lemma)
    if residual != 0:
        return failed("unroll", f"the step is not r(t) ≤ qᵗ·r(0): it differs by {text(residual)}")
    return cited("lemma: unrolling", [f"premise {label}: r(k+1) ≤ q·r(k) for every k ≥ 0",
                                      f"q = {text(q)} ≥ 0 from the assumptions",
                                      "by induction on t: r(t) ≤ qᵗ·r(0)"])


def establishes(derivation, step, lhs, name):
    """None when ``step`` states result ``name`` at its ``at`` arguments, else why not."""
    from .context import Context
    schema = lookup(derivation, name)
    args = step.why.option("at", ())
    ctx = Context(derivation, ())
    problem = _generic_arguments(derivation, schema, args)
    if problem:
        return problem
    inst = schema.instance(*args)
    g_inst, s_inst = gap(inst)
    g_step, s_step = gap((lhs, step.rhs), step.rel)
    if s_inst is None or s_step is None or (s_inst and not s_step):
        return f"the step does not state {name} (relation differs)"
    if cancel(normal(ctx, g_inst - g_step)) != 0:
        return f"the step does not state {name}: they differ by {text(cancel(normal(ctx, g_inst - g_step)))}"
    return None


def _generic_arguments(derivation, schema, args):
    """A result is cited at other arguments later, so the ones it is proved at must
    be free to vary: distinct symbols, and (unless the result's obligations say
    what transfers) points that no assumption or hypothesis pins down."""
    symbols = [a for a in args if not isinstance(a, str)]
    if any(not isinstance(a, Symbol) for a in symbols) or len(set(symbols)) != len(symbols):
        return (f"{schema.name} must be established at distinct variables or points, "
                f"not at {', '.join(text(a) for a in symbols)}")
    defined = [a for a in symbols if a in dict(derivation.definitions)]
    if defined:
        return (f"{schema.name} must be established at free points or variables; "
                f"{defined[0].name} has a definition")
    # The statement itself may not mention the argument it is proved at (P(p): p ≤ x + z
    # proved at x), not even through a definition: a probe instance must be free of it.
    probe = _probe_instance(derivation, schema)
    if probe is None:
        return f"cannot instantiate {schema.name} to see what it depends on"
    leaked = [a for a in symbols if _mentions(probe, a)]
    if leaked:
        return (f"{schema.name} mentions {leaked[0].name}, the argument it is proved at: "
                "it would not hold at other arguments")
    if schema.obligations is not None:
        return None
    pinned = _pinned_symbols(derivation)
    if pinned is None:
        return f"cannot tell whether the hypotheses pin down {', '.join(text(a) for a in symbols)}"
    by_hypotheses, by_assumptions = pinned
    variables = {v.symbol for v in derivation.variables}
    for a in symbols:
        # A variable's interval and the assumptions on it transfer as side conditions
        # (see _result_domain); a hypothesis about it, or about a point, does not.
        mentioned = by_hypotheses if a in variables else by_hypotheses | by_assumptions
        if any(_mentions_symbol(p, a) for p in mentioned):
            return (f"{schema.name} is proved at {a.name}, which a hypothesis or assumption "
                    "pins down: it would not hold at other arguments")
    return None


def _pinned_symbols(derivation):
    """(symbols the hypotheses mention, symbols the assumptions mention), definitions
    expanded and fresh arguments standing for a hypothesis' own variables; None if unsure."""
    import inspect
    from .context import Context
    ctx = Context(derivation, ())
    out, assumed = set(), set()
    for a in derivation.assumptions:
        assumed |= rebuild(ctx.expand_defs(a)).free_symbols if hasattr(a, "free_symbols") else set()
    for s in derivation.schemas:
        if s.kind == "result":
            continue
        try:
            n = len(inspect.signature(s.instance).parameters)
        except (TypeError, ValueError):
            return None
        inst = None
        for make in (lambda i: VectorSymbol(f"_probe{i}"), lambda i: Symbol(f"_probe{i}", real=True)):
            try:
                inst = s.instance(*[make(i) for i in range(n)])
                break
            except Exception:   # noqa: BLE001 - try the other kind of argument
                continue
        if inst is None:
            return None
        # Keep compound points such as f(_probe0 + c): they pin c.
        out |= {x for x in rebuild(ctx.expand_defs(inst)).free_symbols
                if not x.name.startswith("_probe")}
    return out, assumed


def _point_pattern(name):
    import re
    return re.compile(r"\((?:.*[^\w])?" + re.escape(name) + r"(?:[^\w].*)?\)")


def _mentions_symbol(p, a) -> bool:
    """p is a, or a function value at a point built from a (ℒ(x), ℒ(x + c), ∇ℒ(x))."""
    return p == a or bool(_point_pattern(a.name).search(p.name))


def _mentions(expr, a) -> bool:
    return any(_mentions_symbol(p, a) for p in expr.free_symbols)


def _probe_instance(derivation, schema):
    """The schema instantiated at fresh arguments, definitions expanded; None if it fails."""
    import inspect
    from .context import Context
    try:
        n = len(inspect.signature(schema.instance).parameters)
    except (TypeError, ValueError):
        return None
    ctx = Context(derivation, ())
    for make in (lambda i: VectorSymbol(f"_probe{i}"), lambda i: Symbol(f"_probe{i}", real=True),
                 lambda i: f"_probe{i}"):
        try:
            inst = schema.instance(*[make(i) for i in range(n)])
            return rebuild(ctx.expand_defs(inst))
        except Exception:   # noqa: BLE001 - try another kind of argument
            continue
    return None
