"""Equalities: find, case by case, the normal form that reduces lhs − rhs to 0, or a point where it is not."""

from __future__ import annotations

from sympy import Eq, Limit, S

from ..budget import attempt
from ..errors import UnsupportedStep
from ..expressions import to_primitives
from ..kernel.certificates import Zero
from ..kernel.equalities import where
from ..kernel.meaning import prepare
from ..kernel.normal import BY_NAME, LAYERS, reduces_to_zero
from ..kernel.positivity import sign_form
from ..printing import short
from ..verdict import checked, failed, unknown
from .limits import refute_limit
from .registry import register
from .points import region
from .sampling import sample_relation, trustworthy, unsettled

PREPARE_BUDGET = 1.5
CHEAP = 2      # layers tried before sampling; the rest only when sampling found nothing
EQUALITY_KINDS = ("algebra", "chain rule", "derivative", "substitute", "definition",
                  "limit", "case", "simplify", "expand", "product rule")


@register(*EQUALITY_KINDS)
def _equality_kinds(goal):
    """The equality kinds name the reasoning for the reader; '=' is checked as an
    equality, ⟺ as an equivalence, ≤ and friends by the sign of the difference."""
    from .equivalences import check_iff
    from .indexed import check_indexed, uses_sums
    from .signs import check_sign
    if uses_sums(goal.world, goal.lhs, goal.rhs):
        return check_indexed(goal)
    if goal.rel == "=":
        return check_equal(goal)
    if goal.rel == "iff":
        return check_iff(goal)
    return check_sign(goal)


@register("root")
def _root(goal):
    """The equation at the point the step's `for T = R` names: an equality under that
    condition, certified as a root (the kernel checks the point is stated)."""
    from ..kernel.certificates import Root
    if goal.rel != "=":
        raise UnsupportedStep("'root' justifies an equation that holds at a point (`for w = …`)")
    if not any(isinstance(c, Eq) for c in goal.world.own_conditions):
        raise UnsupportedStep("a root is checked at a point: write the step's condition `for w = …`")
    found = check_equal(goal)
    return Root(found.layers) if isinstance(found, Zero) else found


def zero_by(diff, layers=LAYERS, budget=0.5):
    """(name of the first layer that reduces ``diff`` to 0 or None, layers out of time)."""
    if diff == 0:
        return "identical", 0
    timeouts = 0
    for name, fn in layers:
        # The kernel's own (remembered) answer when the layer is one of its normal forms:
        # its re-check of this certificate then costs nothing.
        value, err = (attempt(budget, reduces_to_zero, diff, name) if BY_NAME.get(name) is fn
                      else attempt(budget, lambda: fn(diff) == 0))
        if err:
            timeouts += 1
            continue
        if value:
            return name, timeouts
    return None, timeouts


def check_equal(goal):
    """lhs = rhs in every case: a Zero certificate, or a counterexample, or why not."""
    world, kind, lhs, rhs = goal.world, goal.kind, goal.lhs, goal.rhs
    found, evidence = [], None
    exact = trustworthy(world, lhs, rhs)
    for case in world.cases:
        try:
            sides, err = attempt(PREPARE_BUDGET, lambda: (prepare(world, lhs, case), prepare(world, rhs, case)))
        except UnsupportedStep as exc:
            # No proof where a derivative may not exist, but a point off the kinks may refute.
            try:
                refuted = _refute_off_kinks(world, case, lhs, rhs, kind) if exact else None
                refuted = refuted or _refute_at_a_number(world, case, lhs, rhs, kind)
            except Exception:   # noqa: BLE001 - no refutation (sampling cannot evaluate δ): the reason stands
                refuted = None
            if refuted is None:
                raise
            return refuted
        if err:
            return unknown(kind, f"evaluating the sides took over {PREPARE_BUDGET}s")
        L, R = sides
        if L.has(Limit) or R.has(Limit):
            refuted = refute_limit(world, case, L, R, points=exact)
            if refuted is not None:
                return failed(kind, where(case, refuted[0]), refuted[1])
            return unknown(kind, where(case, "a limit could not be evaluated exactly, and no "
                                             "exact one-sided limit differs from the claim"
                                       + _illustration(world, case, lhs, rhs)))
        infinite = [x for x in (L, R) if x in (S.Infinity, S.NegativeInfinity)]
        if infinite:
            if L == R:
                found.append((case.label, "identical"))
                continue
            if all(x in infinite or x.is_finite for x in (L, R)):
                return failed(kind, where(case, f"the left side is {short(L)}, the right side {short(R)}"))
            return unknown(kind, where(case, f"the left side is {short(L)}, the right side {short(R)}"))
        diff = to_primitives(L - R)
        name, _ = zero_by(diff, LAYERS[:CHEAP])
        if name:
            found.append((case.label, name))
            continue
        outcome, info = sample_relation(L, R, "=", region(world, case))
        if outcome == "counterexample" and exact:
            return failed(f"{kind}: sampling", where(case, "the two sides differ"), info)
        name, timeouts = zero_by(diff, LAYERS[CHEAP:])
        if name:
            found.append((case.label, name))
            continue
        residual = short(diff)
        refuted = provably_nonzero(world, lhs - rhs, case)
        if refuted:
            return failed(kind, where(case, f"the residual {residual} is provably {refuted} "
                                            "(wherever the assumptions hold)"))
        if outcome != "counterexample":
            # Not proved and not yet refuted: search before calling it evidence.
            outcome, info = _search(L, R, "=", region(world, case), outcome, info)
            if outcome == "counterexample" and exact:
                return failed(f"{kind}: search", where(case, "the two sides differ"), info)
        if outcome == "held" and exact:
            evidence = f"no symbolic proof (residual {residual} not reduced to 0); held at {info} sampled points"
        else:
            return unknown(kind, f"no symbolic proof (residual {residual}); {unsettled(outcome, info)}"
                           + (f"; {timeouts} layer(s) ran out of time" if timeouts else ""))
    if evidence:
        return checked(f"{kind}: sampling", evidence)
    return Zero(tuple(found))


def _search(L, R, rel, where_, outcome, info):
    """The counterexample search (z3, optimisation) after sampling found nothing; what
    sampling said stands when the search finds nothing either."""
    from .falsify import search_relation
    found, more = search_relation(L, R, rel, where_)
    if found == "counterexample":
        return found, more
    return outcome, info


def _refute_off_kinks(world, case, lhs, rhs, kind):
    """A failed verdict at a point of the case where every derivative exists (each kink's
    expression nonzero there) and the two sides differ; None if sampling finds none."""
    from dataclasses import replace
    from ..kernel.kinks import continuous
    from ..kernel.meaning import kink_gaps
    from .points import region
    sides, err = attempt(PREPARE_BUDGET, lambda: (prepare(world, lhs, case, off_kinks=True),
                                                  prepare(world, rhs, case, off_kinks=True)))
    if err or sides[0].has(Limit) or sides[1].has(Limit):
        return None
    gaps = kink_gaps(world, lhs) | kink_gaps(world, rhs)
    if S.Zero in gaps or any(not g.free_symbols <= set(world.vars) for g in gaps):
        return None                        # a jump at every integer, or a gap sampling cannot see
    if not all(continuous(g) for g in gaps):
        return None                        # 0^{x²} − ½ ≠ 0 at x = 0, yet the pieces jump there
    off = replace(region(world, case), filters=region(world, case).filters +
                  tuple((">", g ** 2) for g in gaps))
    outcome, info = sample_relation(sides[0], sides[1], "=", off)
    if outcome != "counterexample":
        return None
    return failed(f"{kind}: sampling", where(case, "the two sides differ (at a point where every "
                                               "derivative exists)"), info)


def _refute_at_a_number(world, case, lhs, rhs, kind):
    """f'(0) of |z| claimed 0: its difference quotient tends to 1 from the right, exactly (the
    kernel's one-sided limits, with their guards; sides prepared without the existence check,
    which refused them). None unless a side is such a quotient of numbers alone with an exact
    one-sided limit that is not the claimed number."""
    sides, err = attempt(PREPARE_BUDGET, lambda: (prepare(world, lhs, case, off_kinks=True),
                                                  prepare(world, rhs, case, off_kinks=True)))
    if err or any(s.free_symbols for s in sides) or \
            not any(isinstance(s, Limit) and str(s.args[3]) == "+-" for s in sides):
        return None
    refuted = refute_limit(world, case, *sides, what="the difference quotient", points=False)
    return None if refuted is None else failed(kind, where(case, refuted[0]))


def _illustration(world, case, lhs, rhs):
    """What a sampled sequence suggests against the claim, said as no more than that
    (scale fools it: (a² + 1)/(1 + 10¹⁰⁰|x|) seems to settle at 3·10⁻²⁰ along x = 10⁻ᵏ)."""
    from sympy import sympify
    from .points import Context, region
    from .refute import sampled_limit
    for limit, claimed in ((lhs, rhs), (rhs, lhs)):
        if isinstance(sympify(limit), Limit) and not sympify(claimed).has(Limit):
            try:
                seen = sampled_limit(Context(world), region(world, case), sympify(limit), claimed)
            except Exception:   # noqa: BLE001 - an illustration only: none rather than a crash
                seen = None
            if seen is not None:
                return f"; sampled, it seems to {seen} (a sequence decides nothing)"
    return ""


def provably_nonzero(world, diff, case):
    """'positive' or 'negative' when the residual has that sign at every point of the case."""
    value, err = attempt(PREPARE_BUDGET, lambda: to_primitives(prepare(world, diff, case, signs=True)))
    if err:
        return None
    if sign_form(value, ">"):
        return "positive"
    if sign_form(-value, ">"):
        return "negative"
    return None
