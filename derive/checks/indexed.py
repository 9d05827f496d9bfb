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
from ..indexed import DerivativeWrt
from ..verdict import checked, failed, proved, unknown
from .algebra import CHEAP, LAYERS, to_primitives, zero_by
from .context import kinks, rebuild, rewrite_bottom_up
from .families import World
from .instances import sample_instances
from .sampling import sample_relation
from .signs import prove_sign
from .sums import atomize, lengths_ok, normal_form

PREPARE_BUDGET = 1.5
RELOPS = {"<=": ">=", "<": ">", ">=": ">=", ">": ">"}


def check_indexed(ctx, lhs, rel, rhs, kind):
    """The verdict on ``lhs rel rhs`` when either side uses the notation of sums."""
    world = World(ctx.derivation)
    if rel == "=":
        return _equal(ctx, world, lhs, rhs, kind)
    if rel == "iff":
        raise UnsupportedStep("equivalences with sums are not supported yet")
    return _inequality(ctx, world, lhs, rel, rhs, kind)


# -- preparing a side -----------------------------------------------------------------

def prepare(ctx, world, expr, case, signs=False):
    """∂/∂(σ²) and ∂ carried out (families' definitions expanded except where a member is
    the variable), then the usual preparation: definitions, conditions, the case."""
    expr = rebuild(sympify(expr))
    expr = rewrite_bottom_up(expr, (DerivativeWrt,), lambda node: _compound(node, case))
    expr = rewrite_bottom_up(expr, (Derivative,), lambda node: _derivative(ctx, world, node))
    expr = world.expand_families(expr)
    if not signs:
        return ctx.prepare(expr, case)
    saved = case.subs
    case.subs = case.sign_subs
    try:
        value = ctx.prepare(expr, case)
    finally:
        case.subs = saved
    return value.xreplace(_positive_sizes(ctx, case))


def _positive_sizes(ctx, case) -> dict:
    """An integer n ≥ 1 as a positive symbol: the case's integer symbols only say n ≥ 0,
    and 1/n is then not known to be real."""
    memo = getattr(case, "_positive_sizes", None)
    if memo is not None:
        return memo
    out = {}
    for sym, var in ctx.vars.items():
        d = case.sign_subs.get(sym)
        if var.integer and var.lower is not None and var.lower >= 1 and getattr(d, "is_Dummy", False):
            out[d] = Dummy(sym.name, integer=True, positive=True)
    case._positive_sizes = out
    return out


def _compound(node, case):
    """∂F/∂φ(v) = (∂F/∂v)/φ'(v), only where φ'(v) is provably nonzero."""
    outer, slope = node.meaning()
    value = rebuild(slope).xreplace(case.sign_subs)
    if not (prove_sign(value, ">") or prove_sign(-value, ">")):
        where = f" (case {case.label})" if case.label else ""
        raise UnsupportedStep(f"∂/∂({node.compound}) needs {slope} ≠ 0, which does not follow "
                              f"from the assumptions{where}: declare {node.variable} > 0")
    return outer / slope


def _derivative(ctx, world, node):
    """One ∂-node with its chain-rule meaning; a family member may be the variable."""
    variables = [v for v, _ in node.variable_count]
    families = {str(v.base) for v in variables if isinstance(v, Indexed)}
    symbols = [v for v in variables if not isinstance(v, Indexed)]
    inner = world.expand_families(node.expr, stop=families)
    inner = world.expand_families(ctx.expand_defs(inner, stop=symbols), stop=families)
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
    ctx.kinks.update(k for k in kinks(inner) if k.free_symbols & set(variables))
    return inner.diff(*node.variable_count)


# -- equalities -------------------------------------------------------------------------

def _equal(ctx, world, lhs, rhs, kind):
    methods, evidence = [], None
    exact = ctx.sampling_exact and not ctx.equations and world.exact
    for case in ctx.cases:
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
        name, _ = zero_by(diff, LAYERS[:CHEAP])
        if name:
            methods.append(name)
            continue
        form = _normal(ctx, world, case, diff)
        atomic = atomize(form)[0] if form is not None else None
        if atomic is not None:
            name, _ = zero_by(atomic, LAYERS[:CHEAP])
            if name:
                methods.append("sums")
                continue
        outcome, info = _sample(L, R, "=", case, world)
        if outcome == "counterexample" and exact:
            return failed(f"{kind}: sampling", _where(case, "the two sides differ"), info)
        name, timeouts = zero_by(atomic if atomic is not None else diff, LAYERS[CHEAP:])
        if name:
            methods.append("sums" if atomic is not None else name)
            continue
        residual = _show(form if form is not None else diff)
        if outcome == "held" and exact:
            evidence = (f"no symbolic proof (residual {residual} not reduced to 0); "
                        f"held at {info} sampled instances")
        else:
            return unknown(kind, f"no symbolic proof (residual {residual}); {info}"
                           + (f"; {timeouts} layer(s) ran out of time" if timeouts else ""))
    if evidence:
        return checked(f"{kind}: sampling", evidence)
    return proved(_tag(f"{kind}: {'+'.join(sorted(set(methods)))}", ctx))


def _normal(ctx, world, case, expr):
    """The normal form of sums, with the derivation's facts about sums applied."""
    ranges = world.ranges(case)
    form = normal_form(expr, ranges, _nonzero(ctx, case))
    if form is None:
        return None
    for fact in world.facts:
        lhs = normal_form(ctx.prepare(rebuild(fact.lhs), case), ranges)
        if lhs is not None and lhs.has(Sum):
            form = form.xreplace({lhs: ctx.prepare(rebuild(fact.rhs), case)})
    return form


def _nonzero(ctx, case):
    """Expressions the conditions make nonzero (q − 1 from q ≠ 1), in the case's symbols."""
    out = []
    for cond in ctx.conditions:
        if isinstance(cond, Ne):
            out.append(rebuild(cond.lhs - cond.rhs).xreplace(case.subs))
    return out


def _sample(L, R, rel, case, world):
    if world.sizes_in(case, L, R) or L.has(Sum, Product, Indexed) or R.has(Sum, Product, Indexed):
        return sample_instances(L, R, rel, case, world)
    return sample_relation(L, R, rel, case)


def _lengths(ctx, world, case, *exprs) -> list:
    """The author's sums that may have a negative number of terms (b < a − 1)."""
    lowest = {}
    for sym, var in ctx.vars.items():
        if var.integer and var.lower is not None and sym in case.subs:
            lowest[case.subs[sym]] = var.lower + Dummy("r", integer=True, nonnegative=True)
    for index, lo, _ in world.free_indices(case):
        lowest[index] = lo + Dummy("r", integer=True, nonnegative=True)

    def nonnegative(e):
        e = sympify(e).xreplace(lowest).xreplace(lowest)
        return e.is_nonnegative or (e.expand().is_nonnegative)
    bad = []
    for e in exprs:
        bad.extend(lengths_ok(e, nonnegative))
    return bad


# -- inequalities -------------------------------------------------------------------

def _inequality(ctx, world, lhs, rel, rhs, kind):
    gap = (rhs - lhs) if rel in ("<=", "<") else (lhs - rhs)
    want = RELOPS[rel]
    forms = []
    exact = ctx.sampling_exact and not ctx.equations and world.exact
    for case in ctx.cases:
        value, err = attempt(PREPARE_BUDGET, lambda: to_primitives(prepare(ctx, world, gap, case, True)))
        if err:
            return unknown(kind, f"evaluating the sides took over {PREPARE_BUDGET}s")
        short = _lengths(ctx, world, case, value)
        if short:
            return unknown(kind, _where(case, f"the sum {_show(short[0])} may have fewer than "
                                              "zero terms for an admissible size"))
        form = _signed_sums(ctx, world, case, value)
        if prove_sign(form, want):
            forms.append("sums of signed terms")
            continue
        L, R = prepare(ctx, world, lhs, case), prepare(ctx, world, rhs, case)
        outcome, info = _sample(L, R, rel, case, world)
        if outcome == "counterexample" and exact:
            return failed(f"{kind}: sampling", _where(case, f"the inequality {rel} breaks"), info)
        why = f"the sign of {_show(gap)} {want} 0 does not follow from the assumptions"
        if outcome == "held" and exact:
            return checked(f"{kind}: sampling", f"{why}; held at {info} sampled instances")
        return unknown(kind, f"{why}; {info}")
    cert = [f"{_show(gap)} {want} 0: each sum has terms of one sign and at least "
            "as many terms as its limits say"]
    return proved(_tag(f"{kind}: {'+'.join(sorted(set(forms)))}", ctx), cert)


def _signed_sums(ctx, world, case, expr):
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
    return expr.xreplace(table)


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
