"""Where a piecewise function is differentiable anyway: pieces that glue smoothly, and pieces the conditions choose."""

from __future__ import annotations

from sympy import (Dummy, Eq, FiniteSet, GreaterThan, Indexed, LessThan, Piecewise, Reals, S,
                   StrictGreaterThan, StrictLessThan, cancel, solveset, sympify)

from ..expressions import kinks, rebuild

_TRUE_BELOW = (LessThan, StrictLessThan)        # lhs − rhs < 0 is the side where they hold
_RELATIONS = (LessThan, StrictLessThan, GreaterThan, StrictGreaterThan)


def found_in(inner, variable_count) -> set:
    """The places an n-th derivative of ``inner`` may fail to exist: kinks (expressions whose
    zeros are kinks) and, for a derivative in one variable, ("glued", P, x, n) for each
    two-piece P = (A if g ≤ 0 else B) whose own kinks ``glued`` may show are harmless."""
    variables = {v for v, _ in variable_count}
    pieces = []
    if len(variable_count) == 1:
        x, n = variable_count[0]
        pieces = [p for p in inner.atoms(Piecewise) if x in p.free_symbols and _two_pieces(p)]
    stand_in = {p: Dummy("P") for p in pieces}
    back = {d: p for p, d in stand_in.items()}
    # A piece's own kinks are glued's to judge; a kink of what surrounds it (|P| at P = 0)
    # stays a kink, with P put back.
    out = {k.xreplace(back) for k in kinks(inner.xreplace(stand_in))}
    # ∂/∂x₁ of Σᵢ |xᵢ|: the kink x_i is x₁'s for i = 1, though it does not name x₁.
    bases = {v.base for v in variables if isinstance(v, Indexed)}
    out = {k for k in out if k.free_symbols & variables or
           any(a.base in bases for a in k.atoms(Indexed))}
    out.update(("glued", p, x, int(n)) for p in pieces)
    return out


def _two_pieces(p) -> bool:
    (a, c), (b, last) = p.args if len(p.args) == 2 else ((None, None), (None, None))
    return last == True and isinstance(c, _RELATIONS) and not a.has(Piecewise) \
        and not b.has(Piecewise) and not c.has(Piecewise)  # noqa: E712 - SymPy's true


def glued(world, entry, case) -> bool:
    """The piecewise P = (A where c, else B) has n derivatives in x at every point, in ``case``.

    At every point x = s of the boundary (c's gap = 0, all of them: solveset over ℝ must give
    a finite set) A and B agree with their first n derivatives (the one-sided derivatives
    agree), and neither has a kink there; each kink of A lies strictly where B is chosen (so
    A is not used near it), each kink of B strictly where A is; a kink inside c lies strictly
    off the boundary (c keeps its truth value near it). Otherwise None of this is shown.
    """
    _, p, x, n = entry
    p = rebuild(world.expand_defs(p.xreplace(world.equations)).xreplace(world.equations))
    if not (isinstance(p, Piecewise) and _two_pieces(p)):
        return False            # an equation decided it (r = δ): its kinks are checked as they are
    x_c = case.subs.get(x, x)
    others = set().union(*[sympify(e).free_symbols for v, e in case.subs.items() if v != x])
    u = _parameter(x_c, others)
    if u is None:
        return False
    (a, c), (b, _) = p.args
    below = isinstance(c, _TRUE_BELOW)
    # Piece by piece: the case may decide c, which would fold P into one piece.
    a, b, g = (e.xreplace(case.subs) for e in (a, b, c.lhs - c.rhs))
    if not continuous(g):
        return False            # c may change its truth value without g passing through 0
    boundary = _zeros(g, u)
    if boundary is None:
        return False
    for s in boundary:
        for k in range(n + 1):
            if cancel((a - b).diff(u, k).xreplace({u: s})) != 0:
                return False
        if any(kk.xreplace({u: s}).is_nonzero is not True for kk in kinks(a) | kinks(b)):
            return False
    for kink_set, where_used in ((kinks(a), True), (kinks(b), False)):
        for kk in kink_set:
            if kk.is_nonzero is True:
                continue
            zeros = _zeros(kk, u)
            if zeros is None or not all(_strict_side(g, u, t, below) == (not where_used) for t in zeros):
                return False
    for kk in kinks(g):
        zeros = _zeros(kk, u)
        if zeros is None or any(g.xreplace({u: t}).is_nonzero is not True for t in zeros):
            return False
    return True


def _parameter(x_c, others):
    """The fresh symbol x is written in here (x = u, −u, 1 + u, δ + u with u its own), or None."""
    own = [s for s in x_c.free_symbols if s not in others]
    if len(own) != 1:
        return None
    u = own[0]
    slope = x_c.diff(u)
    return u if slope.is_number and slope != 0 and x_c.diff(u, 2) == 0 else None


def _zeros(expr, u):
    """Every real zero of ``expr`` in u (a finite set), or None when that is not known."""
    if u not in expr.free_symbols:
        return [] if expr.is_nonzero else None
    found = solveset(Eq(expr, 0), u, Reals)
    if found is S.EmptySet:
        return []
    return list(found) if isinstance(found, FiniteSet) else None


def _strict_side(g, u, t, below):
    """True where c holds strictly at u = t, False where it fails strictly, None on the boundary
    or when the sign is not known."""
    value = g.xreplace({u: t})
    if value.is_negative:
        return below
    if value.is_positive:
        return not below
    return None


def select_pieces(world, expr, open_only=False):
    """Each two-piece (A where c, else B) whose condition c, or its negation, the step's
    conditions imply: A, or B (|r| ≤ δ chooses ½r² of the Huber loss); each θ(g), sign(g),
    δ(g), |g| whose g is a strict condition's gap times a positive factor (1, 1, 0, g) or a
    negative one (0, −1, 0, −g): y·z < 1 makes θ(1 − y·z), in the hinge's derivative, 1.

    ``open_only``: only by strict conditions with a continuous gap (|r| < δ), which hold
    in a neighbourhood of each of their points, so the choice may be made before
    differentiating.
    """
    from sympy import Abs, DiracDelta, Heaviside, sign
    from .facts import gap
    if not expr.has(Piecewise, Heaviside, sign, DiracDelta, Abs) or not world.facts:
        return expr
    facts = []
    for f in world.facts:
        if isinstance(f, _RELATIONS):
            g, strict = gap(f)
            g = rebuild(world.expand_defs(g))
            if open_only and not (strict and continuous(g)):
                continue            # {g > 0} is open only for a continuous g (not 0^{x²} > ½)
            facts.append((g, strict))

    def choose(p):
        if not _two_pieces(p):
            return None
        (a, c), (b, _) = p.args
        g_c, strict_c = gap(c)
        for g_f, strict_f in facts:
            if cancel(g_f - g_c) == 0 and (strict_f or not strict_c):
                return a
            if cancel(g_f + g_c) == 0 and (strict_f or strict_c):
                return b
        return None
    def step(h):
        g = h.args[0]
        above, below = {Heaviside: (S.One, S.Zero), sign: (S.One, S.NegativeOne),
                        DiracDelta: (S.Zero, S.Zero), Abs: (g, -g)}[h.func]
        for g_f, strict_f in facts:
            q = cancel(g / g_f) if strict_f else None      # g = q·g_f: 2 − 2yz by yz < 1
            if q is not None and q.is_positive is True:
                return above
            if q is not None and q.is_negative is True:
                return below
        return None
    from ..expressions import rewrite_bottom_up
    return rewrite_bottom_up(rewrite_bottom_up(expr, (Piecewise,), choose),
                             (Heaviside, sign, DiracDelta, Abs), step)


def continuous(e) -> bool:
    """``e`` is continuous wherever it is defined: variables and numbers joined by +, ·,
    powers with a number for exponent or a positive base, exp, log, sin, cos, atan, sinh,
    cosh, tanh, |·|, max, min, σ, ReLU. Not θ, sign, ⌊·⌋, pieces, nor 0^{x²} (1 at x = 0
    only): where such a g is nonzero at a point it need not be nonzero near it."""
    from sympy import (Abs, Add, Indexed, Max, Min, Mul, Pow, atan, cos, cosh, exp, log, sin,
                       sinh, tanh)
    from ..notation import ReLU, sigma
    if e.is_Number or e.is_NumberSymbol or e.is_Symbol or isinstance(e, Indexed):
        return e.is_finite is not False
    if isinstance(e, Pow):
        return (e.exp.is_number or e.base.is_positive is True) and continuous(e.base) \
            and continuous(e.exp)
    if isinstance(e, (Add, Mul, Abs, Max, Min, exp, log, sin, cos, atan, sinh, cosh, tanh,
                      ReLU, sigma)):
        return all(continuous(a) for a in e.args)
    return False


def select_by_case(world, expr, case):
    """Each two-piece (A where c, else B) that the case puts on one side of its boundary,
    closure included, and whose pieces agree on the boundary where that matters: that
    side's piece (r = δ + d with d ≥ 0 puts |r| ≤ δ on its false side; at |r| = δ the
    derivative's pieces r and δ·sign(r) agree)."""
    from sympy import StrictGreaterThan as SGt, StrictLessThan as SLt
    from .positivity import sign_form
    if not expr.has(Piecewise):
        return expr

    def choose(p):
        if not _two_pieces(p):
            return None
        (a, c), (b, _) = p.args
        below, strict = isinstance(c, _TRUE_BELOW), isinstance(c, (SGt, SLt))
        g = c.lhs - c.rhs
        g_case = g.xreplace(case.sign_subs)
        nonpos, nonneg = sign_form(-g_case, ">="), sign_form(g_case, ">=")
        if (nonpos and below) or (nonneg and not below):
            return a if not strict or _agree(a, b, g, case) else None
        if (nonneg and below) or (nonpos and not below):
            return b if strict or _agree(a, b, g, case) else None
        return None
    from ..expressions import rewrite_bottom_up
    return rewrite_bottom_up(expr, (Piecewise,), choose)


def _agree(a, b, g, case):
    """A = B wherever g = 0 (solved for one variable's fresh symbol, every real zero)."""
    for x in sorted(g.free_symbols & set(case.subs), key=lambda s: s.name):
        others = set().union(*[sympify(e).free_symbols for v, e in case.subs.items() if v != x])
        u = _parameter(sympify(case.subs[x]), others)
        if u is None:
            continue
        zeros = _zeros(g.xreplace(case.subs), u)
        if zeros is not None:
            diff = (a - b).xreplace(case.subs)
            return all(cancel(diff.xreplace({u: t})) == 0 for t in zeros)
    return False
