"""Signs from the symbols' assumptions: ``expr > 0`` or ``≥ 0`` in one of a few fixed rewritings."""

from __future__ import annotations

from sympy import Abs, Poly, S, cancel, expand, factor, factor_terms, fraction, together

from ..budget import attempt

WANT = {">": "is_positive", ">=": "is_nonnegative"}


def _split_fraction(expr, fn):
    num, den = fraction(cancel(together(expr)))
    return fn(num) / fn(den)


def complete_square(expr):
    """a(x + b/2a)² + (c − b²/4a) for the first symbol x in which ``expr`` is a quadratic
    with a numeric leading coefficient a ≠ 0 (x² + x + 1 = (x + ½)² + ¾); else ``expr``."""
    for x in sorted(expr.free_symbols, key=lambda s: s.name):
        if not expr.is_polynomial(x):
            continue
        poly = Poly(expand(expr), x)
        if poly.degree() != 2:
            continue
        a, b, c = poly.all_coeffs()
        if not a.is_number or a == 0:
            continue
        return a * (x + b / (2 * a)) ** 2 + expand(c - b**2 / (4 * a))
    return expr


def roots_as_squares(expr):
    """Each positive (nonnegative) symbol under a square root written p² with a fresh
    p > 0 (≥ 0), then factored: (a + b)/2 − √(ab) is (p − q)²/2. Not an identity but a
    bijection of the symbol's range onto itself, so the form's sign for every p is the
    expression's for every value of the symbol."""
    from sympy import Dummy, Pow
    reps = {}
    for root in expr.atoms(Pow):
        if root.exp.is_Rational and root.exp.q == 2:
            for sym in root.base.free_symbols:
                if sym.is_positive:
                    reps[sym] = Dummy(sym.name, positive=True) ** 2
                elif sym.is_nonnegative:
                    reps[sym] = Dummy(sym.name, nonnegative=True) ** 2
    return _split_fraction(expr.xreplace(reps), factor) if reps else expr


# Each rewriting is an identity (where the expression is defined), or a bijective
# reparametrisation, so a sign shown for the form is the expression's sign.
FORMS = (
    ("as written", lambda e: e),
    ("together", lambda e: cancel(together(e))),
    ("factor_terms", lambda e: _split_fraction(e, factor_terms)),
    ("expand", lambda e: _split_fraction(e, expand)),
    ("factor", lambda e: _split_fraction(e, factor)),      # x² − 2x + 1 = (x − 1)²
    ("square", lambda e: _split_fraction(e, complete_square)),
    ("roots as squares", roots_as_squares),                # √a = p with a = p², p > 0
)
BY_NAME = dict(FORMS)
SPLIT = "integer split"


def integer_split(expr, rel, depth=2):
    """``expr rel 0`` for every value of its first integer symbol k of unknown or
    nonnegative sign, shown on each side of the gap between 0 and 1: k = −a or k = 1 + a
    (k = 0 or k = 1 + a when k ≥ 0), a ≥ 0 an integer, in the other forms (splitting
    again, ``depth`` times in all: k(k + 1) ≥ 0 needs a(a − 1) ≥ 0 for a ≥ 0)."""
    from sympy import Dummy, Product, Sum
    ints = sorted((s for s in expr.free_symbols if s.is_integer and not s.is_positive),
                  key=lambda s: s.name)
    if not ints or depth < 1 or expr.has(Sum, Product):
        return False        # a sum's limits are its own business (kernel/summation.py)
    k = ints[0]
    a = Dummy("a", integer=True, nonnegative=True)
    low = S.Zero if k.is_nonnegative else -a
    names = tuple(name for name, _ in FORMS)
    return all(sign_form(part, rel, forms=names) or integer_split(part, rel, depth - 1)
               for part in (expr.xreplace({k: low}), expr.xreplace({k: 1 + a})))
_CACHE: dict = {}


def sign_form(expr, rel: str, budget: float = 0.3, forms=None):
    """The name of the first form in which SymPy's assumptions show ``expr rel 0``, or None.

    ``expr`` must be written in reparametrised symbols (fresh positive symbols),
    so that every interval fact is in the symbols' assumptions. The assumption
    system only answers True when the sign is implied; an unknown sign gives
    None, never a guess. ``forms`` restricts the rewritings tried (a
    certificate names the one that worked).
    """
    key = (expr, rel, forms)
    if key in _CACHE:
        return _CACHE[key]
    answer, complete = _sign_form(expr, rel, budget, forms)
    if complete:
        if len(_CACHE) > 8192:
            _CACHE.clear()
        _CACHE[key] = answer
    return answer


def _sign_form(expr, rel, budget, forms):
    attr = WANT[rel]
    if expr.is_number:
        value = getattr(expr, attr)
        return ("numeric" if value is True else None), True
    complete = True
    for name, make in FORMS + ((SPLIT, None),):
        if forms is not None and name not in forms:
            continue
        if name == SPLIT:
            value, err = attempt(budget, integer_split, expr, rel)
            if value is True:
                return name, True
            complete = complete and not err
            continue
        form, err = attempt(budget, make, expr)
        if err or form is None:
            complete = complete and not err
            continue
        value, err = attempt(budget, lambda: getattr(form, attr))
        complete = complete and not err
        if value is True:
            return name, True
        if rel == ">=" and not err and form == 0:
            return name, True
    return None, complete


def holds(expr, rel: str, hint=None) -> bool:
    """Re-check ``expr rel 0`` in the form a certificate names (or in any form)."""
    forms = None if hint in (None, "numeric") else (hint,)
    if hint is not None and hint not in ("numeric", SPLIT) and hint not in BY_NAME:
        return False
    return sign_form(expr, rel, forms=forms) is not None


def everywhere(world, g, strict: bool, gaps=(), depth=0):
    """How ``g ≥ 0`` (``> 0`` when strict) holds in every case of ``world``, or None.

    Either from the symbols' intervals alone, or as F·q with F ≥ 0 a named fact
    among the parameters (``gaps``: ηL ≤ 1 gives 1 − ηL ≥ 0) and q ≥ 0 from the
    intervals; with |A| in g, on each side of A = 0 (1 − |1 − aη| ≥ 0 from aη ≤ 2).
    """
    from ..printing import text
    want = ">" if strict else ">="
    if g == 0:
        return None if strict else "identically 0"
    if all(sign_form(g.xreplace(case.sign_subs), want) for case in world.cases):
        return "from the symbols' intervals"
    for fact_gap, fact_strict in gaps:
        if strict and not fact_strict:
            continue
        q = cancel(g / fact_gap)
        if q.has(fact_gap) or cancel(g - fact_gap * q) != 0:
            continue
        if all(sign_form(q.xreplace(case.sign_subs), want) for case in world.cases):
            return f"{text(g)} = ({text(fact_gap)})·({text(q)}) ≥ 0 by a named fact"
    return _split_abs(world, g, strict, gaps, depth) if g.has(Abs) else None


def _split_abs(world, g, strict, gaps, depth):
    """g with |A| in it ≥ 0: where A ≥ 0 (|A| = A, and A ≥ 0 joins the named facts) and
    where A ≤ 0 (|A| = −A, −A ≥ 0 joins them) — every point is in one or the other."""
    atoms = sorted(g.atoms(Abs), key=str)
    if depth >= 3:
        return None
    a = atoms[0].args[0]
    for sign in (1, -1):
        if not everywhere(world, g.xreplace({atoms[0]: sign * a}), strict,
                          (*gaps, (sign * a, False)), depth + 1):
            return None
    return f"split on the sign of {a} inside |·|"
