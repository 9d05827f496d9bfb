"""When SymPy's limit may be believed: parameters of a strict sign, pieces and kinks settled near the point, analytic quotients."""

from __future__ import annotations

from sympy import Dummy, S

from ..budget import attempt
from ..expressions import kinks, to_primitives


def undecided_piece(body) -> bool:
    """A piece whose condition is still undecided once z = c ± p: SymPy's ``limit`` then takes
    the last piece, whatever the condition says near p = 0 (lim_{x→1} of 0 for x < e^c, else
    x, came out 1 for c > 0, and with x³ < 1 as the condition, 1 from the left), so no such
    limit is taken."""
    from sympy import Piecewise
    return any(cond not in (S.true, S.false) for piece in body.atoms(Piecewise)
               for _, cond in piece.args[:-1])


def undecided_kink(body, p) -> bool:
    """A kink whose side is not settled for small p > 0 once z = c ± p (nonzero and continuous
    at p = 0, or of one sign for every p): SymPy answers for a generic parameter
    (ReLU(1 + p − c) with c > 0 as if c ≠ 1); or a jump at every integer."""
    from sympy import Mod, ceiling, floor, frac
    from .kinks import continuous
    if body.has(floor, ceiling, frac, Mod):
        return True

    def settled(k):
        at = k.xreplace({p: 0})
        return (continuous(k) and (at.is_positive or at.is_negative)) or k.is_positive \
            or k.is_negative or k.is_zero
    return not all(settled(k) for k in kinks(body))


def real_again(value, body):
    """cos and sin went through exp(i·x) for ``limit``: a value with i from a body without
    it is written back in cos and sin (1 − cos 1, not (−1 − e^{2i} + 2e^{i})e^{−i}/2), so
    sampling and sign proofs see a real number; left as it is if that does not remove i."""
    from sympy import I, cos, expand
    if value is None or not value.has(I) or body.has(I):
        return value
    back, err = attempt(0.5, lambda: expand(expand(value).rewrite(cos)))
    return value if err or back.has(I) else back


def generic_ok(body, z, c):
    """SymPy's ``limit`` treats a parameter as generic: lim_{h→0} x^h = 1 is
    wrong at x = 0. A limit is taken only when each parameter has a strict sign
    in the case, or when the body is a ratio of polynomials that, cancelled, has
    a nonzero number as its denominator at c, and whose own denominator is not
    the zero polynomial in z for any value of the parameters (a numeric
    coefficient): then near c it is the cancelled ratio, continuous at c, for
    every value of the parameters (((x + h)² − x²)/h → 2x; az/(z + 1) → a at ∞)."""
    from sympy import Poly, cancel, fraction, oo, together
    params = (body.free_symbols | c.free_symbols) - {z}
    if all(p.is_positive or p.is_negative for p in params):
        return True
    if not body.is_rational_function(z, *params):
        return False
    num, den = fraction(together(body))
    if c.is_infinite:
        # At ±∞ a numerator of no higher degree over a denominator whose leading coefficient
        # is a nonzero number tends to the ratio of their z^deg terms, for every parameter.
        top = Poly(den, z)
        return top.LC().is_number and top.LC() != 0 and Poly(num, z).degree() <= top.degree()
    if not any(k.is_number and k != 0 for k in Poly(den, z).all_coeffs()):
        return False
    at = fraction(cancel(body))[1].xreplace({z: c})
    return at.is_number and at.is_zero is False and at not in (oo, -oo)


def analytic_quotient(body, z, c) -> bool:
    """Whether ``body`` is N/D near z = c with N built from entire functions (+, ·, powers
    with natural exponents, exp, sin, cos, sinh, cosh, atan; σ and tanh through exp) and D
    a product of polynomials in z alone and of factors positive for every real value of
    their symbols. Then N/D = Σ_j a_j(params)(z − c)^(j − m) near c with a_j analytic in
    the parameters, and a finite limit SymPy finds for symbolic parameters (a_0 … a_{m−1}
    simplified to 0) holds for every value of them: lim_{h→0} (σ(z + h) − σ(z))/h."""
    from sympy import Mul, Poly, exp, fraction, tanh, together
    try:
        num, den = fraction(together(to_primitives(body).rewrite(tanh, exp)))
    except Exception:            # noqa: BLE001 - SymPy's rewrite/together: not this rule
        return False
    if not _entire(num):
        return False
    for factor in Mul.make_args(den):
        base, k = factor.as_base_exp()
        if not (k.is_Integer and k > 0):
            return False
        if base.free_symbols <= {z} and base.is_polynomial(z):
            if Poly(base, z).is_zero:
                return False
            continue
        if not _entire(base):
            return False
        real = {s: Dummy(s.name, real=True) for s in base.free_symbols}
        if base.xreplace(real).is_positive is not True:
            return False
    return True


def _entire(e) -> bool:
    from sympy import Add, Mul, Pow, atan, cos, cosh, exp, sin, sinh
    if e.is_Number or e.is_Symbol:
        return e.is_finite is not False and e.is_real is not False
    if isinstance(e, (Add, Mul)):
        return all(_entire(a) for a in e.args)
    if isinstance(e, Pow):
        return e.exp.is_Integer and e.exp >= 0 and _entire(e.base)
    if isinstance(e, (exp, sin, cos, sinh, cosh, atan)):
        return _entire(e.args[0])
    return False
