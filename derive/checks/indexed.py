"""Steps with sums, indexed families and ∂/∂(σ²): prepared, normalised, sampled at small sizes.

A symbolic n is every admissible integer: a step is proved only by rewriting
(``sums.normal_form`` and the algebra layers), never by the sizes sampled; the
sampler can only refute (a counterexample naming n and the data) or leave
evidence (``checked``).
"""

from __future__ import annotations

from sympy import (Derivative, Dummy, Indexed, Ne, Product, Sum, sympify)

from ..budget import attempt
from ..errors import UnsupportedStep
from ..expressions import kinks, rebuild, rewrite_bottom_up, to_primitives
from ..indexed import DerivativeWrt
from ..kernel.certificates import Sums
from ..kernel.meaning import check_kinks, prepare as meaning
from ..kernel.normal import LAYERS
from ..kernel.positivity import sign_form as prove_sign
from ..matrices import At, uses_matrices
from ..verdict import Verdict, checked, failed, unknown
from .equalities import CHEAP, zero_by
from .families import World, in_case
from .instances import sample_instances
from .points import plan, region
from .sampling import sample_relation
from .sums import atomize, lengths_ok, normal_form

PREPARE_BUDGET = 1.5
RELOPS = {"<=": ">=", "<": ">", ">=": ">=", ">": ">"}


def check_indexed(goal):
    """A Sums certificate for the kernel, or the verdict, when either side of the step
    uses the notation of sums or matrices.

    ``ctx`` below is the step's world (derive.kernel.World); ``world`` is what the
    derivation declares about families (families.World); a ``case`` is a sampling
    Region of one of the world's cases.
    """
    ctx, lhs, rel, rhs, kind = goal.world, goal.lhs, goal.rel, goal.rhs, goal.kind
    world = families_of(ctx)
    if uses_matrices(lhs) or uses_matrices(rhs):
        from .matrices import check_matrices
        return check_matrices(ctx, world, lhs, rel, rhs, kind)
    if rel == "=":
        return _equal(ctx, world, [(lhs, rhs)], kind)
    if rel == "iff":
        return _iff(goal, ctx, world, lhs, rhs, kind)
    return _inequality(ctx, world, lhs, rel, rhs, kind)


def uses_sums(ctx, lhs, rhs) -> bool:
    """The step, its definitions expanded, uses the notation of sums or matrices."""
    from ..expectation import uses_expectations
    from ..indexed import uses_indexed
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


def families_of(ctx):
    key = ("families",)
    if key not in ctx.memo:
        ctx.memo[key] = World(ctx.derivation)
    return ctx.memo[key]


def regions(ctx):
    return [region(ctx, c) for c in ctx.cases]


# -- preparing a side -----------------------------------------------------------------

def prepare(ctx, world, expr, case, signs=False):
    """∂/∂(σ²) and ∂ carried out (families' definitions expanded except where a member is
    the variable), then the usual preparation: definitions, conditions, the case."""
    found = set()
    expr = rebuild(sympify(expr))
    expr = rewrite_bottom_up(expr, (DerivativeWrt,), lambda node: _compound(node, case))
    expr = rewrite_bottom_up(expr, (Derivative,), lambda node: _derivative(ctx, world, node, found))
    expr = rewrite_bottom_up(expr, (At,), lambda node: node.value())       # ∇²f(0, 0)
    expr = _expectations(world, world.coordinates(_unfold(ctx, world, expr)))
    check_kinks(ctx, found, case.case)
    return meaning(ctx, expr, case.case, signs).xreplace(_positive_sizes(ctx, case))


def _expectations(world, expr):
    """𝔼 and Var in their normal form (checks/expectation.py), when there are any."""
    from ..expectation import RandomSymbol, uses_expectations
    if not uses_expectations(expr) and not any(isinstance(s, RandomSymbol) for s in expr.free_symbols):
        return expr
    from .expectation import normal
    return normal(expr, world.laws)


def _positive_sizes(ctx, case) -> dict:
    """An integer n ≥ 1 as a positive symbol: the case's integer symbols only say n ≥ 0,
    and 1/n is then not known to be real."""
    memo = getattr(case, "_positive_sizes", None)
    if memo is not None:
        return memo
    out = {}
    for sym, var in ctx.vars.items():
        d = case.sign_subs.get(sym)
        if d != case.subs.get(sym):
            continue
        if var.integer and var.lower is not None and var.lower >= 1 and getattr(d, "is_Dummy", False):
            out[d] = Dummy(sym.name, integer=True, positive=True)
    case._positive_sizes = out
    return out


def _unfold(ctx, world, expr, stop_symbols=(), stop_families=()):
    """Definitions of symbols (x̄) and of families (p_k) expanded, each into the other."""
    for _ in range(len(ctx.defs) + len(world.families) + 1):
        new = world.expand_families(ctx.expand_defs(expr, stop=stop_symbols), stop=stop_families)
        if new == expr:
            return new
        expr = new
    return expr


def _compound(node, case):
    """∂F/∂φ(v) = (∂F/∂v)/φ'(v), only where φ'(v) is provably nonzero."""
    outer, slope = node.meaning()
    value = rebuild(slope).xreplace(case.sign_subs)
    if not (prove_sign(value, ">") or prove_sign(-value, ">")):
        where = f" (case {case.label})" if case.label else ""
        raise UnsupportedStep(f"∂/∂({node.compound}) needs {slope} ≠ 0, which does not follow "
                              f"from the assumptions{where}: declare {node.variable} > 0")
    return outer / slope


def _derivative(ctx, world, node, found):
    """One ∂-node with its chain-rule meaning; a family member may be the variable."""
    variables = [v for v, _ in node.variable_count]
    families = {str(v.base) for v in variables if isinstance(v, Indexed)}
    symbols = [v for v in variables if not isinstance(v, Indexed)]
    inner = _unfold(ctx, world, node.expr, symbols, families)
    for v in variables:
        made_of = set()
        if v in ctx.defs:
            made_of = ctx.expand_defs(v).free_symbols - {v}
        elif isinstance(v, Indexed) and world.families[str(v.base)].definition:
            made_of = {str(m.base) for m in world.expand_families(v).atoms(Indexed)}
        shared = {s for s in inner.free_symbols if s in made_of or
                  (isinstance(s, Indexed) and str(s.base) in made_of)}
        if shared:
            raise UnsupportedStep(f"∂/∂{v} is ambiguous here: the expression also depends on "
                                  f"{', '.join(sorted(str(s) for s in shared))}, which {v} is made of")
    found.update(k for k in kinks(inner) if k.free_symbols & set(variables))
    return inner.diff(*node.variable_count)


# -- equalities -------------------------------------------------------------------------

def _equal(ctx, world, pairs, kind, labels=None):
    """Each (lhs, rhs) pair equal in every case (the entries of two matrices, or one pair)."""
    methods, evidence = [], None
    exact = plan(ctx).exact and not ctx.equations and world.exact
    for case in regions(ctx):
        for n, (lhs, rhs) in enumerate(pairs):
            entry = f" (entry {labels[n]})" if labels else ""
            got = _equal_in_case(ctx, world, lhs, rhs, kind, case, exact, entry)
            if isinstance(got, Verdict):
                return got
            method, note = got
            if method == "sampling":
                evidence = evidence or note
            else:
                methods.append((case.label, labels[n] if labels else "", *method))
    if evidence:
        return checked(f"{kind}: sampling", evidence)
    return Sums(tuple(methods))


def _equal_in_case(ctx, world, lhs, rhs, kind, case, exact, entry):
    """(method, evidence or None) when lhs = rhs holds here, else the verdict."""
    sides, err = attempt(PREPARE_BUDGET, lambda: (prepare(ctx, world, lhs, case),
                                                  prepare(ctx, world, rhs, case)))
    if err:
        return unknown(kind, f"evaluating the sides took over {PREPARE_BUDGET}s")
    L, R = sides
    short = _lengths(ctx, world, case, L, R)
    if short:
        return unknown(kind, _where(case, f"the sum {_show(short[0])} may have fewer than "
                                          "zero terms for an admissible size"))
    diff = to_primitives(L - R)
    if not diff.has(Sum, Product):
        # The normal form of sums does the expanding itself; without sums the
        # cheap layers are all there is.
        name, _ = zero_by(diff, LAYERS[:CHEAP])
        if name:
            return (name, ""), None
    form = normal(ctx, world, case, diff)
    atomic = atomize(form)[0] if form is not None else None
    if atomic is not None:
        name, _ = zero_by(atomic, LAYERS[:CHEAP])
        if name:
            return ("sums", name), None
    outcome, info = _sample(L, R, "=", case, world)
    if outcome == "counterexample" and exact:
        return failed(f"{kind}: sampling", _where(case, "the two sides differ" + entry), info)
    name, timeouts = zero_by(atomic if atomic is not None else diff, LAYERS[CHEAP:])
    if name:
        return (("sums", name) if atomic is not None else (name, "")), None
    residual = _show(form if form is not None else diff)
    sign = _provably_nonzero(atomic if atomic is not None else diff)
    if sign:
        return failed(kind, _where(case, f"the residual {residual} is provably {sign} "
                                         f"(wherever the assumptions hold){entry}"))
    if outcome == "held" and exact:
        return "sampling", (f"no symbolic proof (residual {residual} not reduced to 0){entry}; "
                            f"held at {info} sampled instances")
    return unknown(kind, f"no symbolic proof{entry} (residual {residual}); {info}"
                   + (f"; {timeouts} layer(s) ran out of time" if timeouts else ""))


def _provably_nonzero(residual):
    """'positive' or 'negative' when the residual's sign follows from its symbols' own
    assumptions (true facts about the case, if weaker than its intervals)."""
    if prove_sign(residual, ">"):
        return "positive"
    if prove_sign(-residual, ">"):
        return "negative"
    return None


def normal(ctx, world, case, expr):
    """The normal form of sums, with the derivation's facts about sums applied."""
    ranges = world.ranges(case)
    form = normal_form(expr, ranges, _nonzero(ctx, case))
    if form is None:
        return None
    for fact in world.facts:
        lhs = normal_form(prepare(ctx, world, fact.lhs, case), ranges)
        if lhs is not None and lhs.has(Sum):
            form = form.xreplace({lhs: prepare(ctx, world, fact.rhs, case)})
    return form


def _nonzero(ctx, case):
    """Expressions the conditions make nonzero (q − 1 from q ≠ 1), in the case's symbols."""
    out = []
    for cond in ctx.conditions:
        if isinstance(cond, Ne):
            out.append(in_case(case, rebuild(cond.lhs - cond.rhs)))
    return out


def _sample(L, R, rel, case, world):
    from ..expectation import Expectation
    if L.has(Expectation) or R.has(Expectation):
        return _sample_laws(L, R, rel, case, world)
    if world.sizes_in(case, L, R) or L.has(Sum, Product, Indexed) or R.has(Sum, Product, Indexed):
        return sample_instances(L, R, rel, case, world)
    return sample_relation(L, R, rel, case)


def _sample_laws(L, R, rel, case, world, laws=4, seed=0):
    """Sampling with a random finite law for the random variables: any law with finite
    moments is one the step must hold for, so a breaking one is a counterexample."""
    import random
    from ..expectation import Expectation
    from .expectation import describe, draw_laws, evaluate_atoms
    rng = random.Random(seed)
    randoms = set()
    for atom in L.atoms(Expectation) | R.atoms(Expectation):
        randoms |= atom.arg.free_symbols
    held, info = 0, "no law tried"
    for _ in range(laws):
        joint = draw_laws(world.laws, randoms, rng)
        outcome, info = _sample(evaluate_atoms(L, joint), evaluate_atoms(R, joint), rel, case, world)
        if outcome == "counterexample":
            info = dict(info, **describe(joint, randoms))
            return outcome, info
        if outcome == "held":
            held += info
    return ("held", held) if held else ("none", info)


def too_short(ctx, world, case, *exprs) -> list:
    return _lengths(ctx, world, case, *exprs)


def _lengths(ctx, world, case, *exprs) -> list:
    """The author's sums that may have a negative number of terms (b < a − 1)."""
    lowest = {}
    here = (lambda e: in_case(case, e)) if case is not None else sympify
    for sym, var in ctx.vars.items():
        if var.integer and var.lower is not None:
            lowest[here(sym)] = var.lower + Dummy("r", integer=True, nonnegative=True)
    for index in world.indices.values():
        lowest[index.symbol] = here(index.lower) + Dummy("r", integer=True, nonnegative=True)

    def nonnegative(e):
        e = sympify(e).xreplace(lowest).xreplace(lowest)
        return e.is_nonnegative or (e.expand().is_nonnegative)
    bad = []
    for e in exprs:
        bad.extend(lengths_ok(e, nonnegative))
    return bad


# -- equivalences ---------------------------------------------------------------------

def _iff(goal, ctx, world, first, second, kind):
    """Two equations with sums, equivalent: the scalar equivalence of ``atomized``'s
    equations, found by the scalar searcher and re-checked by the kernel on the same
    transformation; a wrong solution is refuted at sampled data."""
    from dataclasses import replace
    from .equivalences import check_iff
    transformed = atomized(ctx, world, first, second)
    if isinstance(transformed, Verdict):
        return transformed
    step = replace(goal.step, lhs=transformed[0], rhs=transformed[1])
    found = check_iff(replace(goal, link=replace(goal.link, step=step, lhs=transformed[0])))
    if isinstance(found, Verdict):
        if found.status == "unknown":
            return _refute_solution(ctx, world, first, second, kind) or found
        return found
    return Sums((), found)


def atomized(ctx, world, first, second):
    """(Eq(A, 0), Eq(t, R)): each sum of the normal form a symbol, sizes positive integers.

    Sound because a sum that does not involve the solved-for variable is just a number:
    what holds for every value of the symbol holds for the sum's value."""
    from sympy import Eq
    if not (isinstance(first, Eq) and isinstance(second, Eq)):
        raise UnsupportedStep("an equivalence with sums must join two equations")
    target = second.lhs
    out = []
    for rel in (first, second):
        if rel.has(DerivativeWrt):
            raise UnsupportedStep("∂/∂(σ²) inside an equivalence is not supported yet")
        sides = []
        for side in (rel.lhs, rel.rhs):
            found = set()
            expr = rewrite_bottom_up(rebuild(side), (Derivative,),
                                     lambda node: _derivative(ctx, world, node, found))
            if found:
                raise UnsupportedStep("a derivative through a kink inside an equivalence with sums")
            expr = _unfold(ctx, world, expr)
            short = _lengths(ctx, world, None, expr)
            if short:
                raise UnsupportedStep(f"the sum {_show(short[0])} may have fewer than zero terms")
            form = normal_form(expr, world.raw_ranges())
            if form is None:
                return unknown("solve", "putting the sums in normal form took too long")
            sides.append(form)
        out.append(sides)
    (a, b), (t, r) = out
    atomic, nodes = atomize(a - b + r)            # one table: equal sums, one symbol
    if any(node.has(*target.free_symbols) for node in nodes.values()):
        raise UnsupportedStep(f"a sum depends on {target}: solving through it is not supported")
    table = {node: sym for sym, node in nodes.items()}
    # A size n ≥ 1 as a positive integer the case split leaves alone (it would make it
    # an integer ≥ 0, and n·k could then be 0).
    sizes = {s: Dummy(s.name, integer=True, positive=True) for s, v in ctx.vars.items()
             if v.integer and v.lower is not None and v.lower >= 1}
    A, R = (e.xreplace(table).xreplace(sizes) for e in (a - b, r))
    return Eq(A, 0), Eq(t, R)


def _refute_solution(ctx, world, first, second, kind):
    """A failed verdict when, at sampled data, the claimed solution T = R does not solve
    the first equation; only for T a free variable of all of ℝ (so T = R is a point)."""
    target = second.lhs
    var = ctx.vars.get(target)
    if var is None or var.lower is not None or var.upper is not None or var.integer \
            or not (plan(ctx).exact and not ctx.equations and world.exact):
        return None
    for case in regions(ctx):
        gap = prepare(ctx, world, first.lhs - first.rhs, case)
        value = prepare(ctx, world, second.rhs, case)
        here = in_case(case, target)
        if not here.is_Symbol or value.has(here):
            return None
        outcome, info = sample_instances(gap.xreplace({here: value}), 0, "=", case, world)
        if outcome == "counterexample":
            info.pop("lhs", None), info.pop("rhs", None)    # the difference is the residual
            return failed(f"{kind}: sampling", _where(case, f"where {_show(second)} holds, "
                                                            f"{_show(first)} does not"), info)
    return None


# -- inequalities -------------------------------------------------------------------

def _inequality(ctx, world, lhs, rel, rhs, kind):
    gap = (rhs - lhs) if rel in ("<=", "<") else (lhs - rhs)
    want = RELOPS[rel]
    forms = []
    exact = plan(ctx).exact and not ctx.equations and world.exact
    for case in regions(ctx):
        value, err = attempt(PREPARE_BUDGET, lambda: to_primitives(prepare(ctx, world, gap, case, True)))
        if err:
            return unknown(kind, f"evaluating the sides took over {PREPARE_BUDGET}s")
        short = _lengths(ctx, world, case, value)
        if short:
            return unknown(kind, _where(case, f"the sum {_show(short[0])} may have fewer than "
                                              "zero terms for an admissible size"))
        form = signed_sums(ctx, world, case, value)
        how = prove_sign(form, want)
        if how:
            forms.append((case.label, "", "signed sums", how))
            continue
        L, R = prepare(ctx, world, lhs, case), prepare(ctx, world, rhs, case)
        outcome, info = _sample(L, R, rel, case, world)
        if outcome == "counterexample" and exact:
            return failed(f"{kind}: sampling", _where(case, f"the inequality {rel} breaks"), info)
        why = f"the sign of {_show(gap)} {want} 0 does not follow from the assumptions"
        if outcome == "held" and exact:
            return checked(f"{kind}: sampling", f"{why}; held at {info} sampled instances")
        return unknown(kind, f"{why}; {info}")
    return Sums(tuple(forms))


def signed_sums(ctx, world, case, expr):
    """Each sum whose terms are all ≥ 0 (> 0) replaced by a nonnegative (positive) symbol.

    Sound because every sum has b ≥ a − 1 (checked before): it is then an ordinary
    sum of its terms, empty or not; a positive one needs at least one term."""
    table = {}
    for node in sorted(expr.atoms(Sum), key=lambda n: -len(str(n))):
        (v, a, b), = node.limits[-1:]
        if len(node.limits) != 1:
            continue
        body = node.function
        if prove_sign(body, ">") and not _lengths(ctx, world, case, Sum(body, (v, a + 1, b))):
            table[node] = Dummy("Σ", positive=True)
        elif prove_sign(body, ">="):
            table[node] = Dummy("Σ", nonnegative=True)
        elif prove_sign(-body, ">="):
            table[node] = -Dummy("Σ", nonnegative=True)
    return _jensen_squares(expr.xreplace(table))


def _jensen_squares(expr):
    """𝔼[Z²] as 𝔼[Z]² + V with V ≥ 0 (the variance of Z) for each atom 𝔼[Z²] of a
    monomial square Z² (X², X²Y², X⁴): Jensen for the square, true of every law with
    finite second moments, which is what the declarations give."""
    from ..expectation import Expectation
    table = {}
    for atom in expr.atoms(Expectation):
        root = _square_root(atom.arg)
        if root is not None:
            table[atom] = Expectation(root) ** 2 + Dummy("V", nonnegative=True)
    for _ in range(4):             # 𝔼[X⁴] ↦ 𝔼[X²]² + V, and that 𝔼[X²] in turn
        new = expr.xreplace(table)
        if new == expr:
            break
        expr = new
    return expr


def _square_root(monomial):
    """Z when the monomial is Z² with Z a monomial, else None."""
    from sympy import Mul, Pow
    factors = []
    for factor in Mul.make_args(monomial):
        base, exp = factor.as_base_exp()
        if not (exp.is_Integer and exp > 0 and exp % 2 == 0):
            return None
        factors.append(Pow(base, exp // 2))
    return Mul(*factors)


def _tag(method, ctx):
    if len(ctx.cases) == 1 and not ctx.cases[0].label:
        return method
    return f"{method} in each sign case ({'; '.join(c.label for c in ctx.cases)})"


def _where(case, text):
    return f"{text} (case {case.label})" if case.label else text


def _show(expr, limit=160):
    from ..printing import text
    shown = text(expr) if hasattr(expr, "free_symbols") else str(expr)
    return shown if len(shown) <= limit else shown[:limit] + "…"


__all__ = ["check_indexed", "prepare"]
