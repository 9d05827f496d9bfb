"""Normal forms that decide ``expr = 0``: each one an equivalence on the symbols' domain."""

from __future__ import annotations

from sympy import cancel, exp, expand, expand_log, powsimp, radsimp, simplify, together

# (name, transformation). Every one is an equivalence on the domain the symbols'
# assumptions describe: no force=True, so no branch condition is ignored.
LAYERS = (
    ("expand", expand),
    ("cancel", cancel),
    ("together", lambda e: cancel(together(e))),
    ("radsimp", lambda e: cancel(radsimp(e))),
    ("expand_log", lambda e: cancel(powsimp(expand_log(e)))),
    ("rewrite(exp)", lambda e: cancel(e.rewrite(exp))),
    ("simplify", simplify),
)
BY_NAME = dict(LAYERS)
# (name, expr) -> a layer's answer, or cancel's value: pure in the exact expression (symbols
# with their assumptions, Dummies by identity, 2.0 ≠ 2), so a searcher's try and the kernel's
# re-check, or two steps meeting the same difference, compute it once per process.
_MEMO: dict = {}


def _remembered(name, fn, expr):
    if (name, expr) not in _MEMO:
        value = fn(expr)                # an interrupted call (out of budget) stores nothing
        _MEMO.clear() if len(_MEMO) >= 4096 else None
        _MEMO[name, expr] = value
    return _MEMO[name, expr]


def reduces_to_zero(expr, layer: str) -> bool:
    """True when the named layer turns ``expr`` into 0 (an unknown layer proves nothing)."""
    if expr == 0:
        return True
    fn = BY_NAME.get(layer)
    return fn is not None and _remembered(layer, lambda e: fn(e) == 0, expr)


def cancelled(expr):
    """cancel(expr), remembered: a searcher's factor A/C and the kernel's re-check are one."""
    return _remembered("cancelled", cancel, expr)
