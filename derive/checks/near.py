"""What ⌊·⌋, |·|, max, ReLU and sign become near a point from one side, so that a limit can be refuted exactly through them."""

from __future__ import annotations

from sympy import Abs, Dummy, Heaviside, Limit, Max, Min, S, ceiling, floor, frac, sign

from ..budget import attempt

LEAD_BUDGET = 0.3       # CPU seconds for the leading term of one kink's argument


def settled(node):
    """The one-sided limit ``node`` (at a number) with each ⌊g⌋, ⌈g⌉, |g|, sign g, H(g),
    ReLU(g), max and min whose side is settled near the point replaced by what it is there
    (|g| by −g when g < 0 on that side). The kernel takes no limit through a jump, nor
    through a kink whose side it cannot settle from the signs alone (|sin(−3h)| at 0⁺); a
    side settled here is g's value at the point, or the sign of g's leading term when g is
    analytic there. What is not settled is left for the kernel to refuse."""
    from sympy import Mod
    from ..notation import ReLU
    body, z, c, direction = node.args
    kinds = (floor, ceiling, frac, Mod, Abs, sign, Heaviside, ReLU, Max, Min)
    if c.is_infinite or not body.has(*kinds):
        return node
    p = Dummy("p", positive=True)
    side = 1 if str(direction) == "+" else -1
    near = body.xreplace({z: c + side * p})
    near = near.replace(frac, lambda g: g - floor(g)).replace(Mod, lambda a, b: a - b * floor(a / b))
    while True:
        inner = [k for k in near.atoms(*kinds) if not any(a.has(*kinds) for a in k.args)]
        kept = {k: v for k in inner if (v := _kept(k, p)) is not None}
        if not kept:
            break
        near = near.xreplace(kept)
    return Limit(near.xreplace({p: side * (z - c)}), z, c, direction)


def _kept(node, p):
    """What ``node`` is for every small p > 0, or None."""
    from ..notation import ReLU
    if isinstance(node, (Max, Min)):
        want = (1, 0) if isinstance(node, Max) else (-1, 0)
        for a in node.args:
            if all(a == b or side_sign(a - b, p) in want for b in node.args):
                return a
        return None
    g = node.args[0]
    if isinstance(node, (floor, ceiling)):
        return _step(node, g, p)
    s = side_sign(g, p)
    if s is None:
        return None
    if isinstance(node, Abs):
        return s * g
    if isinstance(node, sign):
        return S(s)
    if isinstance(node, ReLU):
        return g if s > 0 else S.Zero
    return {1: S.One, -1: S.Zero}.get(s)       # H(0) is a convention: not settled


def _step(node, g, p):
    """⌊g⌋ or ⌈g⌉ for small p > 0: g(0) when it is not an integer, else one side of it."""
    at = g.xreplace({p: S.Zero})
    if not _real_near(g, at):
        return None
    if at.is_integer is False:
        return type(node)(at)
    if at.is_integer is not True:
        return None
    s = side_sign(g - at, p)
    if s is None:
        return None
    if s == 0:
        return at
    if isinstance(node, floor):
        return at if s > 0 else at - 1
    return at + 1 if s > 0 else at


def side_sign(g, p):
    """The sign (1, −1, 0) of g for every small p > 0, or None: from SymPy's assumptions, or
    g continuous and real with g(0) ≠ 0, or g(0) = 0 and g analytic at 0 (its expansion's
    first nonzero term then has g's sign for small p)."""
    if g.is_zero:
        return 0
    if g.is_positive:
        return 1
    if g.is_negative:
        return -1
    at = g.xreplace({p: S.Zero})
    smooth = analytic(g, p)             # real and continuous near 0 as well
    if not (smooth or _real_near(g, at)):
        return None
    if at.is_positive or at.is_negative:
        return 1 if at.is_positive else -1
    if not (at.is_zero and smooth):
        return None
    try:
        lead, err = attempt(LEAD_BUDGET, lambda: g.as_leading_term(p))
    except Exception:       # noqa: BLE001 - SymPy gave up on the expansion: not settled
        return None
    if err:
        return None
    coeff, power = lead.as_coeff_exponent(p)
    if p in coeff.free_symbols or not (power.is_positive and power.is_finite):
        return None
    return 1 if coeff.is_positive else -1 if coeff.is_negative else None


def _real_near(g, at) -> bool:
    """g is real for p > 0, built continuously, and finite and real at p = 0."""
    from ..kernel.kinks import continuous
    return g.is_extended_real is True and continuous(g) and at.is_finite is True \
        and at.is_extended_real is True


def analytic(e, p) -> bool:
    """Whether ``e`` is real-analytic in p at p = 0: built by +, ·, exp, sin, cos, sinh, cosh
    and atan from p and finite real constants, with powers, and logs of what is positive at
    0 (a power with a negative or fractional exponent only of what is nonzero or positive
    there). Then SymPy's leading term is its expansion's first nonzero term."""
    from sympy import Add, Mul, Pow, atan, cos, cosh, exp, log, sin, sinh
    if not e.has(p):
        return e.is_finite is True and e.is_extended_real is True
    if e == p:
        return True
    if isinstance(e, (Add, Mul)):
        return all(analytic(a, p) for a in e.args)
    if isinstance(e, (exp, sin, cos, sinh, cosh, atan)):
        return analytic(e.args[0], p)
    at = e.args[0].xreplace({p: S.Zero}) if e.args else None
    if isinstance(e, log):
        return at.is_positive is True and analytic(e.args[0], p)
    if isinstance(e, Pow):
        base, k = e.args
        if k.is_Integer and k >= 0:
            return analytic(base, p)
        if k.is_Integer:
            return at.is_zero is False and at.is_finite is True and analytic(base, p)
        return at.is_positive is True and analytic(base, p) and analytic(k, p)
    return False
