"""Steps with sums, families, matrices and expectations: the search (a Sums certificate, or a point).

A symbolic n is every admissible integer: a step is proved only by rewriting (the
kernel's normal form of sums and the algebra layers, re-run by kernel/sums.py), never
by the sizes sampled; the sampler can only refute (a counterexample naming n and the
data) or leave evidence (``checked``).
"""

from __future__ import annotations

from sympy import Indexed, Product, Sum, expand, sympify

from ..budget import attempt
from ..expressions import to_primitives
from ..kernel.certificates import Sums
from ..kernel.indexed import (atomized, normal, prepare, sign_views, signed_sums, summed_facts, uses_sums,  # noqa: F401
                              _lengths)
from ..kernel.normal import LAYERS
from ..kernel.positivity import sign_form as prove_sign
from ..kernel.summation import atomize
from ..matrices import uses_matrices
from ..verdict import Verdict, checked, failed, unknown
from .equalities import CHEAP, zero_by
from .families import World, in_case
from .instances import sample_instances
from .points import plan, region
from .sampling import sample_relation, unsettled

__all__ = ["check_indexed", "families_of", "regions", "uses_sums"]

GATHER_BUDGET = 0.5     # seconds per layer for sums over one range gathered into one


def families_of(ctx):
    """The derivation's families with what sampling needs, built once per world."""
    key = ("families, sampled",)
    if key not in ctx.memo:
        ctx.memo[key] = World(ctx.derivation)
    return ctx.memo[key]


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


def regions(ctx):
    return [region(ctx, c) for c in ctx.cases]


# -- preparing a side -----------------------------------------------------------------


# -- equalities -------------------------------------------------------------------------

def _equal(ctx, world, pairs, kind, labels=None):
    """Each (lhs, rhs) pair equal in every case (the entries of two matrices, or one pair)."""
    methods, evidence = [], None
    exact = plan(ctx).families_exact and not ctx.equations and world.exact
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
        return _short(kind, case, world, L, R, "=", exact, short, "the two sides differ" + entry)
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
        name = name or _gathered(form, LAYERS[:CHEAP], world.ranges(case))
        if name:
            return ("sums", name), None
    outcome, info = sample_sides(L, R, "=", case, world)
    if outcome == "counterexample" and exact:
        return failed(f"{kind}: sampling", _where(case, "the two sides differ" + entry), info)
    name, timeouts = zero_by(atomic if atomic is not None else diff, LAYERS[CHEAP:])
    name = name or (_gathered(form, LAYERS[CHEAP:], world.ranges(case)) if atomic is not None
                   else None)
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
    return unknown(kind, f"no symbolic proof{entry} (residual {residual}); {unsettled(outcome, info)}"
                   + (f"; {timeouts} layer(s) ran out of time" if timeouts else ""))


def _gathered(form, layers, ranges):
    """The first of ``layers`` that shows every group of sums over one range has summand 0
    (kernel/gather.gathered), or None; each try within its own small budget."""
    from ..kernel.normal import reduces_to_zero
    from ..kernel.gather import gathered
    if len({t.limits for t in form.atoms(Sum)}) == len(form.atoms(Sum)):
        return None                 # no two sums share a range
    for name, _ in layers:
        done, err = attempt(GATHER_BUDGET, lambda: reduces_to_zero(
            atomize(gathered(form, ranges, lambda s: reduces_to_zero(s, name)))[0], name))
        if done and not err:
            return name
    return None


def _short(kind, case, world, L, R, rel, exact, short, broken):
    """A step with a sum that may have fewer than zero terms (Σ_{i=3}^{n} at n = 1) is
    unknown, unless it breaks at sizes where every sum is an ordinary one (the sampler
    writes out no other): the claim is then false there."""
    outcome, info = sample_sides(L, R, rel, case, world)
    if outcome == "counterexample" and exact:
        return failed(f"{kind}: sampling", _where(case, f"{broken} (at sizes where every sum "
                                                        "has at least zero terms)"), info)
    return unknown(kind, _where(case, f"the sum {_show(short[0])} may have fewer than "
                                      "zero terms for an admissible size"))


def _provably_nonzero(residual):
    """'positive' or 'negative' when the residual's sign follows from its symbols' own
    assumptions (true facts about the case, if weaker than its intervals)."""
    if prove_sign(residual, ">"):
        return "positive"
    if prove_sign(-residual, ">"):
        return "negative"
    return None


def sample_sides(L, R, rel, case, world):
    """Prepared sides sampled in one case: a random finite law for 𝔼, written-out sums at
    small sizes, else plain points; the outcome as sample_instances gives it."""
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
        if joint is None:
            return "none", "too many random variables for an exact joint law"
        # A declared law's probabilities (p of a Bernoulli) in the case's symbols, as the
        # sides are; one the case cannot write is not sampled (p would be a free number).
        subs = getattr(getattr(case, "case", case), "subs", {})
        joint = [(sympify(p).xreplace(subs), point) for p, point in joint]
        known = set().union(*(sympify(v).free_symbols for v in subs.values()))
        if any(not sympify(p).free_symbols <= known for p, _ in joint):
            return "none", "a declared law's probabilities are not in the case's variables"
        outcome, info = sample_sides(evaluate_atoms(L, joint), evaluate_atoms(R, joint), rel, case, world)
        if outcome == "counterexample":
            info = dict(info, **describe(joint, randoms))
            return outcome, info
        if outcome == "held":
            held += info
    return ("held", held) if held else ("none", info)


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
        if found.status in ("unknown", "failed"):
            # A point in the data (n, the family's values) says more than one in the
            # symbols that stand for whole sums.
            return _refute_solution(ctx, world, first, second, kind) or found
        if not hasattr(found.certificate, "kind"):
            return found
        found = found.certificate     # proved for the transformed step: decided again for this one
    return Sums((), found)


def _refute_solution(ctx, world, first, second, kind):
    """A failed verdict when, at sampled data, the claimed solution T = R does not solve
    the first equation; only for T a free variable of all of ℝ (so T = R is a point)."""
    target = second.lhs
    var = ctx.vars.get(target)
    if var is None or var.lower is not None or var.upper is not None or var.integer \
            or not (plan(ctx).families_exact and not ctx.equations and world.exact):
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
    found = _signs(ctx, world, (rhs - lhs) if rel in ("<=", "<") else (lhs - rhs), RELOPS[rel])
    if found is None and world.index_facts:
        for inner in _summed_candidates(ctx, world, lhs, rel, rhs):
            found = _signs(ctx, world, ((rhs - lhs) if rel in ("<=", "<") else (lhs - rhs))
                           - summed_facts(world, inner)[0], RELOPS[rel], summed=True)
            if found is not None:
                return Sums(found, inner)
    return Sums(found) if found is not None else _unsigned(ctx, world, lhs, rel, rhs, kind)


def _signs(ctx, world, gap, want, summed=False):
    """((case, "", "signed sums", form), ...) when every case's gap has its sign, else None.
    ``summed``: facts were summed into the gap, so the normal form (telescoping) comes first."""
    forms = []
    for case in regions(ctx):
        value, err = attempt(PREPARE_BUDGET, lambda: to_primitives(prepare(ctx, world, gap, case, True)))
        if err or _lengths(ctx, world, case, value):
            return None
        how = next((h for _, shown in sign_views(ctx, world, case, value, summed)
                    for h in [prove_sign(signed_sums(ctx, world, case, shown), want)] if h), None)
        if not how:
            return None
        forms.append((case.label, "", "signed sums", how))
    return tuple(forms)


def _summed_candidates(ctx, world, lhs, rel, rhs):
    """Combinations that sum one index fact over its range with a multiplier c that makes
    a sum or member of the step's gap cancel (then c = 1): the kernel proves c ≥ 0."""
    from sympy import S
    from ..kernel.certificates import Combination
    from ..kernel.sums import multiplier_sign
    gap = (rhs - lhs) if rel in ("<=", "<") else (lhs - rhs)
    case = regions(ctx)[0]
    back = {in_case(case, sym): sym for sym in ctx.vars}
    for i in range(len(world.index_facts)):
        single = Combination(((i, S.One),))
        forms = [normal(ctx, world, case, to_primitives(prepare(ctx, world, e, case, True)))
                 for e in (gap, summed_facts(world, single)[0])]
        seen = set()
        if None not in forms:
            mine, theirs = (expand(f) for f in forms)
            for atom in sorted(theirs.atoms(Sum, Indexed), key=str):
                a, b = mine.coeff(atom), theirs.coeff(atom)
                c = (a / b).xreplace(back) if a != 0 and b != 0 else None
                if c is None or c in seen or c.has(Sum, Indexed) or c.free_symbols - set(ctx.vars):
                    continue
                seen.add(c)
                if multiplier_sign(ctx, ctx.expand_defs(c)):
                    yield Combination(((i, c),))
                    for j in range(len(world.index_facts)):     # with one more fact at this c
                        if j != i:                              # (a_T ≥ a⋆ bounds the a_T left)
                            yield Combination(((i, c), (j, c)))
        if S.One not in seen:
            yield single


def _unsigned(ctx, world, lhs, rel, rhs, kind):
    """No sign shown: a counterexample, or checked, or unknown."""
    gap = (rhs - lhs) if rel in ("<=", "<") else (lhs - rhs)
    want = RELOPS[rel]
    exact = plan(ctx).families_exact and not ctx.equations and world.exact
    for case in regions(ctx):
        value, err = attempt(PREPARE_BUDGET, lambda: to_primitives(prepare(ctx, world, gap, case, True)))
        if err:
            return unknown(kind, f"evaluating the sides took over {PREPARE_BUDGET}s")
        short = _lengths(ctx, world, case, value)
        if short:
            L, R = prepare(ctx, world, lhs, case), prepare(ctx, world, rhs, case)
            return _short(kind, case, world, L, R, rel, exact, short, f"the inequality {rel} breaks")
        if any(prove_sign(signed_sums(ctx, world, case, shown), want)
               for _, shown in sign_views(ctx, world, case, value)):
            continue
        L, R = prepare(ctx, world, lhs, case), prepare(ctx, world, rhs, case)
        outcome, info = sample_sides(L, R, rel, case, world)
        if outcome == "counterexample" and exact:
            return failed(f"{kind}: sampling", _where(case, f"the inequality {rel} breaks"), info)
        why = f"the sign of {_show(gap)} {want} 0 does not follow from the assumptions"
        if outcome == "held" and exact:
            return checked(f"{kind}: sampling", f"{why}; held at {info} sampled instances")
        return unknown(kind, f"{why}; {unsettled(outcome, info)}")
    return unknown(kind, "the sign was not shown in every case within the budget")


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
