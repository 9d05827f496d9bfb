"""What an expression means in one case: definitions unfolded, ∂ with its chain-rule meaning, limits taken."""

from __future__ import annotations

from sympy import AccumBounds, Derivative, Dummy, Limit, S, Subs, Symbol, Tuple, cancel, sympify

from ..errors import UnsupportedStep
from ..expressions import derivative, kinks, put_in, rebuild, rewrite_bottom_up, to_primitives
from .derivatives import differentiate
from .points import canonical
from .kinks import continuous, found_in, glued, select_by_case, select_pieces
from .limit_guards import analytic_quotient, generic_ok, real_again, undecided_kink, undecided_piece


def prepare(world, expr, case, signs=False, off_kinks=False):
    """``expr`` as checked in ``case``: derivatives, conditions, definitions, then the
    case's substitution (``sign_subs`` when ``signs``) and its limits.

    Remembered per world: the searchers and the kernel share the answer, which is
    a function of the world, the expression and the case alone. ``off_kinks`` skips
    the check that every derivative exists in the whole case: the value is then right
    only off the kinks (``kink_gaps``), which is all a counterexample needs.
    """
    key = ("prepare", sympify(expr), case.label, signs, off_kinks)
    if key not in world.memo:
        value, found = before_cases(world, expr)
        if not off_kinks:
            check_kinks(world, found, case)
        value = select_by_case(world, select_pieces(world, value), case)
        subs = case.sign_subs if signs else case.subs
        value, back = bases_at_infinity(world, value, case)
        back = {k: v.xreplace(subs) for k, v in back.items()}
        world.memo[key] = limits(value.xreplace(subs)).xreplace(back)
    return world.memo[key]


def primitive(world, expr, case, signs=False):
    """``prepare`` with σ unfolded into exponentials (what normal forms compare)."""
    return to_primitives(prepare(world, expr, case, signs))


def before_cases(world, expr):
    """(value, kinks): everything that does not depend on the case, computed once."""
    key = ("before", sympify(expr))
    if key in world.memo:
        return world.memo[key]
    found = set()
    raw = sympify(expr)
    built = rebuild(raw)
    value = _derivatives(world, _isolate_limits(world, built), found)
    if len(raw.atoms(Derivative, Subs)) > len(built.atoms(Derivative, Subs)):
        # |x|'(0) − |x|'(0) and 0·|x|'(0) evaluate to 0: each derivative written must still
        # exist, so each is taken on its own (its kinks found, its quotient's limit taken).
        points = raw.atoms(Subs)
        for node in points | (raw.atoms(Derivative) - {d for q in points for d in q.atoms(Derivative)}):
            taken = limits(_derivatives(world, rebuild(node), found))
            if taken.has(Limit):
                from ..printing import text
                raise UnsupportedStep(f"{text(node)} is written here and may not exist (at a kink "
                                      "its difference quotient must have a limit)")
    if world.equations:
        # Before expanding (ŷ = y names a defined symbol) and after (λ = ε/‖w*‖²
        # may sit inside a definition).
        value = value.xreplace(world.equations)
        value = rebuild(world.expand_defs(value).xreplace(world.equations))
    value = world.expand_defs(value)
    if value.has(Derivative, Subs):     # k = a'(0) under define: its derivatives are taken too
        value = _derivatives(world, value, found)
    value = canonical(world, value)
    world.memo[key] = (value, frozenset(found))
    return world.memo[key]


def _derivatives(world, expr, found):
    """Carry out every ∂-derivative in ``expr`` with its chain-rule meaning.

    ∂A/∂B expands A's definitions down to B (B itself stays a variable) and
    differentiates; B is a base variable or an intermediate such as ŷ or u.
    """
    def one(node):
        variables = [v for v, _ in node.variable_count]
        inner = world.expand_defs(node.expr, stop=variables)
        for v in variables:
            if v in world.defs:
                # ∂A/∂ŷ treats ŷ as free: A must not also depend on what ŷ is made of.
                shared = inner.free_symbols & (world.expand_defs(v).free_symbols - {v})
                if shared:
                    raise UnsupportedStep(
                        f"∂/∂{v} is ambiguous here: the expression also depends on "
                        f"{', '.join(sorted(str(x) for x in shared))}, which {v} is made of")
        inner = select_pieces(world, inner, open_only=True)
        found.update(found_in(inner, node.variable_count))
        return differentiate(inner, node.variable_count)

    def put(node):
        # f'(a): the derivative, taken above at a fresh variable, put at a.
        return node.expr.xreplace(dict(zip(node.variables, node.point)))

    def at_a_number(node):
        # f'(0) of a function with a kink: by definition, the limit of its difference quotient,
        # two-sided (``limits`` takes it only when both one-sided limits exist and agree), so
        # (z·|z|)'(0) = 0 and |z|'(0) stays untaken. Only at a number: at a symbolic point the
        # case's signs settle the kink as for any derivative.
        d = node.expr
        if len(node.variables) != 1 or not isinstance(d, Derivative):
            return None         # ∂f/∂x at (0, 1): the fresh-variable way, as before
        (x,), (a,) = node.variables, node.point
        if not (len(d.variable_count) == 1 and d.variables[0] == x and a.is_number
                and x not in world.defs):
            return None
        # f⁽ⁿ⁾(a) (m'(a) for m = g') is the quotient of f⁽ⁿ⁻¹⁾, taken at a by this same rule.
        lower = derivative(d.expr, (x, d.variable_count[0][1] - 1))
        inner = select_pieces(world, world.expand_defs(lower, stop=[x]), open_only=True)
        if not found_in(inner, d.variable_count):
            return None
        if any(x in e.variables for e in inner.atoms(Derivative)):
            # f⁽ⁿ⁻¹⁾ near a (h ≠ 0) by its formula, its kinks in x left to the guards of
            # ``limits``: f⁽ⁿ⁻¹⁾(a) below is a quotient whose limit they let exist only
            # where every kink of f keeps one sign on each side of a, close to it.
            near = set()
            moved = _derivatives(world, inner, near)
            found.update(k for k in near if isinstance(k, tuple) and k[0] == "limit")
            # Each derivative at a is taken on its own too: it must exist even where a
            # factor cancels it (x·g'(x) at 0 is 0·g'(0), which has no value if g'(0) has none).
            written = Tuple(inner, *(e for e in inner.atoms(Derivative) if x in e.variables))
            here, *alone = _derivatives(world, put_in(written, {x: a}), found)
            if any(q not in here.atoms(Limit) for v in alone for q in v.atoms(Limit)):
                return None     # cancelled: the quotient would treat 0·g'(0) as 0
        else:
            moved, here = inner, inner.xreplace({x: a})
        h = Dummy("h")
        quotient = Limit((moved.xreplace({x: a + h}) - here) / h, h, 0, "+-")
        found.add(("limit", quotient, node))     # it must exist, whatever the step makes of it
        return quotient
    expr = rewrite_bottom_up(sympify(expr), (Subs,), at_a_number)
    return rewrite_bottom_up(rewrite_bottom_up(expr, (Derivative,), one), (Subs,), put)


def _isolate_limits(world, expr):
    """Give each limit a fresh bound variable, its body's definitions expanded.

    Otherwise a case (v < 0), an equation (v = 5) or a condition on a defined
    name (ŷ = y) would reach inside lim_{v→0⁺} and change what is being limited.
    """
    def isolate(node):
        body, z, z0, direction = node.args
        fresh = Dummy(z.name, real=True)
        body = world.expand_defs(body)
        # The limit binds its name: a declared c inside a definition (u = cx) is the c that moves.
        named = {s: fresh for s in body.free_symbols if isinstance(s, Symbol) and s.name == z.name}
        return Limit(body.xreplace({**named, z: fresh}), fresh, z0, direction)
    return rewrite_bottom_up(expr, (Limit,), isolate)


def limits(expr):
    """Evaluate one-sided and two-sided limits (after the case substitution).

    At ±∞ see ``at_infinity`` (never ∞ put in as a point: ∞⁰ = 1 there, and
    (z + 1)^{1/log z} would tend to 1, not e).

    For z → c⁺ the body only matters for z > c, so z is replaced by c + p with
    p > 0 before SymPy's ``limit``; that lets ReLU and |·| settle their sign. A
    two-sided limit needs both one-sided limits, equal; otherwise it stays
    unevaluated and nothing can be proved about it.
    """
    from sympy import S, exp, limit

    def evaluate(node):
        body, z, c, direction = node.args
        if body.has(Limit):
            return None         # m'(0) for m = g': g'(0) had no limit that could be taken
        if generic_ok(body, z, c):
            return taken(node)
        if c.is_infinite or not analytic_quotient(body, z, c):
            return None
        # A quotient of entire functions by (z − c)^m: a finite generic limit is the
        # limit for every value of the parameters (see ``analytic_quotient``).
        value = taken(node)
        if value is None or value.has(Limit, S.Infinity, S.NegativeInfinity, S.ComplexInfinity,
                                      S.NaN, AccumBounds) or z in value.free_symbols:
            return None
        return value

    def taken(node):
        body, z, c, direction = node.args
        if infinity(c) is not None:
            return at_infinity(to_primitives(body), z, infinity(c))
        return real_again(one_sided(body.rewrite(exp), z, c, str(direction)), body)

    def one_sided(body, z, c, side):
        p = Dummy("p", positive=True)
        if c.is_infinite:
            return None         # ±∞ went to at_infinity; ∞ of no sign has no limit here
        near = {s: body.xreplace({z: c + s * p}) for s in (1, -1)}
        if any(undecided_piece(b) or undecided_kink(b, p) for b in near.values()):
            return None
        right = limit(near[1], p, 0, "+") if side in ("+", "+-") else None
        left = limit(near[-1], p, 0, "+") if side in ("-", "+-") else None
        if side == "+":
            return right
        if side == "-":
            return left
        if not right.has(Limit) and not left.has(Limit) and cancel(right - left) == 0:
            return right
        return None
    return rewrite_bottom_up(expr, (Limit,), evaluate)


def kink_gaps(world, expr) -> set:
    """The expressions (in the variables) that are 0 where a derivative in ``expr`` may not
    exist: off them, the derivatives ``prepare(off_kinks=True)`` took are the true ones."""
    out = set()
    for k in before_cases(world, expr)[1]:
        if isinstance(k, tuple) and k[0] == "limit":
            continue            # f'(0) taken as a limit: a number, no kink to keep off
        out.update(kinks(k[1]) if isinstance(k, tuple) else {k})
    return {rebuild(world.expand_defs(k.xreplace(world.equations)).xreplace(world.equations))
            for k in out}


def check_kinks(world, found, case):
    """A derivative through |·|, max, ReLU or a Piecewise only exists off its kinks:
    in this case every kink's argument must have a provable sign, unless the kink is a
    piecewise function's whose pieces glue smoothly (kernel/kinks.py)."""
    plain = set()
    for k in found:
        if isinstance(k, tuple) and k[0] == "limit":
            if limits(k[1].xreplace(world.equations).xreplace(case.subs)).has(Limit):
                from ..printing import text
                raise UnsupportedStep(f"{text(k[2])} may not exist: its difference quotient has "
                                      "no limit that derive can take")
            continue
        if isinstance(k, tuple):
            if not glued(world, k, case):
                plain.update(kk for kk in kinks(k[1]) if kk.free_symbols & {k[2]})
            continue
        plain.add(k)
    for k in plain:
        general = rebuild(world.expand_defs(k.xreplace(world.equations)).xreplace(world.equations))
        value = general.xreplace(case.subs)
        # Nonzero at each point from the intervals, or by a strict condition (y·z < 1 keeps
        # 1 − y·z > 0), and continuous: then nonzero near each point too. Continuous before an
        # equation or the case fixes a variable (x = 0 makes 0^{x²} − ½ the number ½).
        nonzero = value.is_nonzero is True or _positive(world, case, value) \
            or _positive(world, case, -value)
        if not (nonzero and continuous(rebuild(world.expand_defs(k))) and continuous(general)):
            where = f" (case {case.label})" if case.label else ""
            from ..printing import text
            raise UnsupportedStep(f"a derivative is taken where {text(k)} may be 0{where}; "
                                  "it has no derivative there: state the case (e.g. ≠ 0)")


def infinity(c):
    """∞ or −∞ when the limit point ``c`` is one (−1·∞ as read, too), else None."""
    if c.is_infinite is not True or c.is_extended_real is not True:
        return None
    c = c.doit()
    return c if c in (S.Infinity, S.NegativeInfinity) else None


def at_infinity(body, z, c):
    """lim_{z→±∞} body, or None when SymPy's answer is not a settled value.

    Only large |z| matters, so z = ±u with u > 0 (a limit at ∞ is one-sided by
    nature). An answer that still holds ∞ times something, sign(·), nan, an
    interval of accumulation points or a limit is SymPy saying it depends on what
    it cannot know (exp(∞·sign(log a)) for aᵗ): the limit stays unevaluated.
    """
    from sympy import AccumBounds, Order, limit, sign, zoo
    from sympy import Pow
    u = Dummy("u", positive=True)
    body = body.xreplace({z: u if c is S.Infinity else -u})
    # SymPy takes a parameter x in x^{1/u} as generic (x > 0): at x = 0 the limit is 0, not 1.
    if any(p.base.free_symbols - {u} and not p.exp.is_Integer and p.base.is_positive is not True
           for p in body.atoms(Pow)):
        return None
    try:
        value = limit(body, u, S.Infinity)
    except (NotImplementedError, ValueError, TypeError, ArithmeticError):
        return None         # "the result depends on the sign of …": not settled
    if value in (S.Infinity, S.NegativeInfinity):
        return value
    if value.has(S.Infinity, S.NegativeInfinity, zoo, S.NaN, AccumBounds, Limit, Order, sign, u) \
            or value.is_extended_real is False:
        return None
    return value


def bases_at_infinity(world, expr, case):
    """(expr, back): each power bᵗ inside a limit at ±∞ whose base b (free of t) is
    shown in ``case`` to lie in (0, 1) or (1, ∞) written as e^{∓k t}, k > 0 fresh,
    and back = {k: ∓log b} to put b back after the limit.

    SymPy cannot take lim (1 − ημ)ᵗ without knowing 0 < 1 − ημ < 1, which the
    case's symbols do not carry when ημ < 1 is a condition (a fact): the facts
    settle it here. The limit for every k > 0 is the limit at the one k = −log b.
    """
    from sympy import Pow, exp, log
    if not expr.has(Limit):
        return expr, {}
    back = {}

    def rewrite(node):
        body, z, c, direction = node.args
        if infinity(c) is None:
            return None
        reps = {}
        for power in body.atoms(Pow):
            b, e = power.args
            if z in b.free_symbols or z not in e.free_symbols or b.is_number:
                continue
            if not _positive(world, case, b):
                continue
            if _positive(world, case, 1 - b):
                k = Dummy("k", positive=True)
                reps[power], back[k] = exp(-k * e), -log(b)
            elif _positive(world, case, b - 1):
                k = Dummy("k", positive=True)
                reps[power], back[k] = exp(k * e), log(b)
        return Limit(body.xreplace(reps), z, c, direction) if reps else None
    return rewrite_bottom_up(expr, (Limit,), rewrite), back


def _positive(world, case, g):
    """g > 0 in ``case``: from the case's intervals, or as F·q with F > 0 a condition
    on the parameters (ημ < 1 gives 1 − ημ > 0) and q > 0 from the intervals."""
    from .facts import condition_gaps
    from .positivity import sign_form
    if sign_form(g.xreplace(case.sign_subs), ">"):
        return True
    for fact_gap, strict in condition_gaps(world):
        if not strict:
            continue
        q = cancel(g / fact_gap)
        if cancel(g - fact_gap * q) == 0 and sign_form(q.xreplace(case.sign_subs), ">"):
            return True
    return False
