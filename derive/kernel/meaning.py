"""What an expression means in one case: definitions unfolded, ∂ with its chain-rule meaning, limits taken."""

from __future__ import annotations

from sympy import Derivative, Dummy, Limit, Subs, cancel, sympify

from ..errors import UnsupportedStep
from ..expressions import kinks, rebuild, rewrite_bottom_up, to_primitives


def prepare(world, expr, case, signs=False):
    """``expr`` as checked in ``case``: derivatives, conditions, definitions, then the
    case's substitution (``sign_subs`` when ``signs``) and its limits.

    Remembered per world: the searchers and the kernel share the answer, which is
    a function of the world, the expression and the case alone.
    """
    key = ("prepare", sympify(expr), case.label, signs)
    if key not in world.memo:
        value, found = before_cases(world, expr)
        check_kinks(world, found, case)
        subs = case.sign_subs if signs else case.subs
        world.memo[key] = limits(value.xreplace(subs))
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
    value = _derivatives(world, _isolate_limits(world, rebuild(sympify(expr))), found)
    if world.equations:
        # Before expanding (ŷ = y names a defined symbol) and after (λ = ε/‖w*‖²
        # may sit inside a definition).
        value = value.xreplace(world.equations)
        value = rebuild(world.expand_defs(value).xreplace(world.equations))
    value = world.expand_defs(value)
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
        found.update(k for k in kinks(inner) if k.free_symbols & set(variables))
        return inner.diff(*node.variable_count)

    def put(node):
        # f'(a): the derivative, taken above at a fresh variable, put at a.
        return node.expr.xreplace(dict(zip(node.variables, node.point)))
    return rewrite_bottom_up(rewrite_bottom_up(sympify(expr), (Derivative,), one), (Subs,), put)


def _isolate_limits(world, expr):
    """Give each limit a fresh bound variable, its body's definitions expanded.

    Otherwise a case (v < 0), an equation (v = 5) or a condition on a defined
    name (ŷ = y) would reach inside lim_{v→0⁺} and change what is being limited.
    """
    def isolate(node):
        body, z, z0, direction = node.args
        fresh = Dummy(z.name, real=True)
        return Limit(world.expand_defs(body).xreplace({z: fresh}), fresh, z0, direction)
    return rewrite_bottom_up(expr, (Limit,), isolate)


def limits(expr):
    """Evaluate one-sided and two-sided limits (after the case substitution).

    For z → c⁺ the body only matters for z > c, so z is replaced by c + p with
    p > 0 before SymPy's ``limit``; that lets ReLU and |·| settle their sign. A
    two-sided limit needs both one-sided limits, equal; otherwise it stays
    unevaluated and nothing can be proved about it. For z → ±∞, z is ±1/p with
    p → 0⁺ (c + p would put ∞ into the body, and ∞⁰ = 1 there: (z + 1)^{1/log z}
    would tend to 1, not e).
    """
    from sympy import S, exp, limit

    def evaluate(node):
        body, z, c, direction = node.args
        if not _generic_ok(body, z, c):
            return None
        body = body.rewrite(exp)
        side = str(direction)
        p = Dummy("p", positive=True)
        if c.is_infinite:
            if c not in (S.Infinity, S.NegativeInfinity):
                return None
            return limit(body.xreplace({z: (1 if c is S.Infinity else -1) / p}), p, 0, "+")
        right = limit(body.xreplace({z: c + p}), p, 0, "+") if side in ("+", "+-") else None
        left = limit(body.xreplace({z: c - p}), p, 0, "+") if side in ("-", "+-") else None
        if side == "+":
            return right
        if side == "-":
            return left
        if not right.has(Limit) and not left.has(Limit) and cancel(right - left) == 0:
            return right
        return None
    return rewrite_bottom_up(expr, (Limit,), evaluate)


def _generic_ok(body, z, c):
    """SymPy's ``limit`` treats a parameter as generic: lim_{h→0} x^h = 1 is
    wrong at x = 0. A limit is taken only when each parameter has a strict sign
    in the case, or when the body is a ratio of polynomials that, cancelled, has
    a nonzero number as its denominator at c, and whose own denominator is not
    the zero polynomial in z for any value of the parameters (a numeric
    coefficient): then near c it is the cancelled ratio, continuous at c, for
    every value of the parameters (((x + h)² − x²)/h → 2x)."""
    from sympy import Poly, cancel, fraction, oo, together
    params = (body.free_symbols | c.free_symbols) - {z}
    if all(p.is_positive or p.is_negative for p in params):
        return True
    if c.is_infinite or not body.is_rational_function(z, *params):
        return False
    _, den = fraction(together(body))
    if not any(k.is_number and k != 0 for k in Poly(den, z).all_coeffs()):
        return False
    at = fraction(cancel(body))[1].xreplace({z: c})
    return at.is_number and at.is_zero is False and at not in (oo, -oo)


def check_kinks(world, found, case):
    """A derivative through |·|, max, ReLU or a Piecewise only exists off its kinks:
    in this case every kink's argument must have a provable sign."""
    for k in found:
        value = rebuild(world.expand_defs(k.xreplace(world.equations)).xreplace(world.equations))
        value = value.xreplace(case.subs)
        if value.is_nonzero is not True:
            where = f" (case {case.label})" if case.label else ""
            raise UnsupportedStep(f"a derivative is taken where {k} may be 0{where}; "
                                  "it has no derivative there: state the case (e.g. ≠ 0)")
