"""What a step with sums, families, matrices or expectations means, and the normal forms that decide it.

The same functions serve the searchers (derive.checks.indexed) and the kernel's rule
(kernel/sums.py): ``ctx`` is the step's World, ``world`` what the derivation declares
about families (kernel/families.py), a ``case`` one of the world's cases.
"""

from __future__ import annotations

from sympy import Derivative, Dummy, Indexed, Ne, Sum, sympify

from ..errors import UnsupportedStep
from ..expressions import kinks, rebuild, rewrite_bottom_up
from ..indexed import DerivativeWrt
from ..matrices import At, uses_matrices
from .derivatives import differentiate
from .families import Families, in_case
from .meaning import check_kinks, prepare as meaning
from .positivity import sign_form as prove_sign
from .summation import atomize, lengths_ok, normal_form


def families_of(ctx):
    """The derivation's declarations about families, built once per world."""
    key = ("families",)
    if key not in ctx.memo:
        ctx.memo[key] = Families(ctx.derivation)
    return ctx.memo[key]


def _show(expr, limit=160):
    from ..printing import text
    shown = text(expr) if hasattr(expr, "free_symbols") else str(expr)
    return shown if len(shown) <= limit else shown[:limit] + "…"


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


def prepare(ctx, world, expr, case, signs=False):
    """∂/∂(σ²) and ∂ carried out (families' definitions expanded except where a member is
    the variable), then the usual preparation: definitions, conditions, the case."""
    found = set()
    expr = rebuild(sympify(expr))
    expr = rewrite_bottom_up(expr, (DerivativeWrt,), lambda node: _compound(node, case))
    expr = rewrite_bottom_up(expr, (Derivative,), lambda node: _derivative(ctx, world, node, found))
    expr = rewrite_bottom_up(expr, (At,), lambda node: node.value())       # ∇²f(0, 0)
    expr = _expectations(world, world.coordinates(_unfold(ctx, world, expr)))
    check_kinks(ctx, found, getattr(case, "case", case))
    return meaning(ctx, expr, getattr(case, "case", case), signs)


def _expectations(world, expr):
    """𝔼 and Var in their normal form (kernel/expectation.py), when there are any."""
    from ..expectation import RandomSymbol, uses_expectations
    if not uses_expectations(expr) and not any(isinstance(s, RandomSymbol) for s in expr.free_symbols):
        return expr
    from .expectation import normal
    return normal(expr, world.laws)


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
    # A kink inside Σᵢ that names x_i is x₁'s too (∂/∂x₁ Σᵢ |xᵢ| has none at x₁ = 0).
    bases = {v.base for v in variables if isinstance(v, Indexed)}
    found.update(k for k in kinks(inner) if k.free_symbols & set(variables) or
                 any(a.base in bases for a in k.atoms(Indexed)))
    return differentiate(inner, node.variable_count)


def normal(ctx, world, case, expr):
    """The normal form of sums, with the derivation's facts about sums applied."""
    ranges = world.ranges(case)
    form = normal_form(expr, ranges, _nonzero(ctx, case))
    if form is None:
        return None
    for fact in world.facts:
        lhs = normal_form(prepare(ctx, world, fact.lhs, case), ranges)
        if lhs is not None and lhs.has(Sum):
            form = _apply(form, lhs, prepare(ctx, world, fact.rhs, case))
    if _lengths(ctx, world, case, form):
        # Aligning Σ_{i=1}^{n} with an unrelated Σ_{j=4}^{m} peels it to Σ_{i=4}^{n}, an
        # identity under Karr's convention, but for n < 3 a sum with fewer than zero terms:
        # atomize would then give it the sign of its terms, which it does not have.
        return None
    return form


def _apply(form, lhs, rhs):
    """``form`` with the fact lhs = rhs used: lhs replaced where it is one term, or, when
    its normal form is a sum of terms (Σ_{i<j} as (Q − D)/2), c·(lhs − rhs) subtracted
    for the c at which every term of lhs occurs in ``form`` (adding 0, by the fact)."""
    from sympy import Add, expand
    if not lhs.is_Add:
        return form.xreplace({lhs: rhs})
    expanded = expand(form)
    ratios = set()
    for term in Add.make_args(expand(lhs)):
        coeff, bare = term.as_coeff_Mul()
        ratios.add(expanded.coeff(bare) / coeff)
    c, = ratios if len(ratios) == 1 else (0,)
    return expand(expanded - c * (lhs - rhs)) if c != 0 else form


def _nonzero(ctx, case):
    """Expressions the conditions make nonzero (q − 1 from q ≠ 1 or q < 1, or from q in
    (0, 1): an open end of its interval), in the case's symbols."""
    from sympy import StrictGreaterThan, StrictLessThan
    out = []
    for cond in ctx.conditions:
        if isinstance(cond, (Ne, StrictLessThan, StrictGreaterThan)):
            out.append(in_case(case, rebuild(cond.lhs - cond.rhs)))
    for sym, var in ctx.vars.items():
        for end, is_open in ((var.lower, var.lower_open), (var.upper, var.upper_open)):
            if end is not None and is_open and sympify(end).is_finite:
                out.append(in_case(case, sym - end))
    return out


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
                raise UnsupportedStep("putting the sums in normal form took too long")
            short = _lengths(ctx, world, None, form)
            if short:
                raise UnsupportedStep(f"the normal form's sum {_show(short[0])} may have fewer "
                                      "than zero terms")
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


def summed_facts(world, inner):
    """(Σ cᵢ·Σ_t gapᵢ(t), lines) for a Combination naming the index facts (a_{t+1} ≤ a_t
    at each t) to sum over their index's whole declared range, each gap ≥ 0 there; (0, ())
    for none. The multipliers' signs are the caller's to prove."""
    from sympy import S
    from ..printing import text
    from .facts import gap as fact_gap
    if inner is None:
        return S.Zero, ()
    if inner.kind != "combination" or not inner.multipliers:
        raise UnsupportedStep("an inequality with sums cites index facts by a combination")
    total, lines = S.Zero, []
    for i, c in inner.multipliers:
        if not (isinstance(i, int) and 0 <= i < len(world.index_facts)):
            raise UnsupportedStep("the certificate names an index fact the derivation lacks")
        fact = world.index_facts[i]
        gap, strict = fact_gap(fact)              # a strict one is used as a weak one
        if strict is None:
            raise UnsupportedStep("only an inequality at each index can be summed")
        at = [s for s in fact.free_symbols if s in world.indices]
        if not at:                                # a_T ≥ a⋆: one member, no index
            total += c * gap
            lines.append(f"{text(c)} × ({text(gap)}) ≥ 0 (assumed)")
            continue
        t, index = at[0], world.indices[at[0]]
        total += Sum(c * gap, (t, index.lower, index.upper))     # c is free of t
        lines.append(f"{text(c)} × the sum over {text(t)} = {text(index.lower)}…"
                     f"{text(index.upper)} of {text(gap)} ≥ 0 (assumed at each {text(t)})")
    return total, tuple(lines)


def multipliers(inner) -> tuple:
    return () if inner is None else tuple(c for _, c in inner.multipliers)


def sign_views(ctx, world, case, value, summed=False):
    """(name, form) of the gap of an inequality, in the order its sign is looked for: as
    prepared, sums over one range gathered, sums of squares as mean and spread, and the
    normal form of sums (closed forms: Σ_{t<T} q^t ≤ 1/(1 − q)). Each an identity. With
    facts ``summed`` into the gap the normal form comes first: they telescope there."""
    from .gather import gathered
    form = normal(ctx, world, case, value) if summed else None
    if form is not None:
        yield "normal form", form
    yield "", value
    yield "", gathered(value, world.ranges(case))
    yield "mean and spread", sample_jensen(ctx, world, case, value)
    form = normal(ctx, world, case, value) if not summed else None
    if form is not None:
        yield "normal form", form


_INDEX = Dummy("i", integer=True)


def sample_jensen(ctx, world, case, expr):
    """Each Σ_{i=a}^{b} k·h_i² (k free of i, h_i real, at least one term) written
    k·((Σ h_i)²/N + V), N = b − a + 1: V = Σ (h_i − h̄)² ≥ 0 with h̄ = (Σ h_i)/N; every
    other sum of c·m_i + s written c·Σ m_i + N·s (c, s free of i).

    An identity for real h_i (Jensen for the uniform average of N numbers, as
    _jensen_squares is for 𝔼); one V for every h that differs only by a term free of i,
    since a shift moves h̄ with it and leaves every h_i − h̄ as it was."""
    table, spreads = {}, {}
    for node in expr.atoms(Sum):
        if len(node.limits) != 1:
            continue
        (v, a, b), = node.limits
        k, rest = node.function.as_independent(v, as_Add=False)
        h = _square_root(rest)
        if h is None or not h.has(v) or h.is_extended_real is not True or h.is_finite is not True \
                or _lengths(ctx, world, case, Sum(rest, (v, a + 1, b))):
            table[node] = _linear(node.function, v, a, b)
            continue
        moving = h.as_independent(v, as_Add=True)[1]
        spread = spreads.setdefault((moving.xreplace({v: _INDEX}), a, b), Dummy("V", nonnegative=True))
        table[node] = k * (_linear(h, v, a, b) ** 2 / (b - a + 1) + spread)
    return expr.xreplace(table)


def _linear(body, v, a, b):
    """Σ_{v=a}^{b} body as c·Σ m + N·s for body = c·m + s (c, s free of v; N ≥ 0 terms)."""
    shift, moving = body.as_independent(v, as_Add=True)
    scale, core = moving.as_independent(v, as_Add=False)
    return scale * Sum(core, (v, a, b)) + (b - a + 1) * shift


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
