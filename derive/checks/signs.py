"""Sign proofs: an expression is shown > 0 or ≥ 0 from the symbols' intervals alone."""

from __future__ import annotations

from sympy import cancel, expand, factor, factor_terms, fraction, together

from ..budget import attempt

WANT = {">": "is_positive", ">=": "is_nonnegative"}


def _forms(expr):
    yield "as written", lambda: expr
    yield "together", lambda: cancel(together(expr))
    yield "factor_terms", lambda: _split_fraction(expr, factor_terms)
    yield "expand", lambda: _split_fraction(expr, expand)
    yield "factor", lambda: _split_fraction(expr, factor)      # x² − 2x + 1 = (x − 1)²


def _split_fraction(expr, fn):
    num, den = fraction(cancel(together(expr)))
    return fn(num) / fn(den)


_CACHE: dict = {}


def prove_sign(expr, rel: str, budget: float = 0.3):
    """Cached ``_prove_sign``; an answer cut short by a budget is not remembered."""
    key = (expr, rel)
    if key in _CACHE:
        return _CACHE[key]
    answer, complete = _prove_sign(expr, rel, budget)
    if complete:
        if len(_CACHE) > 8192:
            _CACHE.clear()
        _CACHE[key] = answer
    return answer


def _prove_sign(expr, rel: str, budget: float):
    """Return the form in which SymPy's assumptions show ``expr rel 0``, or None.

    ``expr`` must already be written in reparametrised symbols (positive
    Dummies), so that every interval fact is in the symbols' assumptions. The
    assumption system only answers True when the sign is implied; an unknown
    sign gives None, never a guess.
    """
    attr = WANT[rel]
    if expr.is_number:
        value = getattr(expr, attr)
        return ("numeric" if value is True else None), True
    complete = True
    for name, make in _forms(expr):
        form, err = attempt(budget, make)
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
