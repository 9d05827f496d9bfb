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
# (layer, expr) -> whether the layer gives 0: pure in the exact expression (symbols with
# their assumptions, Dummies by identity, 2.0 ≠ 2), so a searcher's try and the kernel's
# re-check, or two steps meeting the same difference, compute it once per process.
_ZERO: dict = {}


def reduces_to_zero(expr, layer: str) -> bool:
    """True when the named layer turns ``expr`` into 0 (an unknown layer proves nothing)."""
    if expr == 0:
        return True
    fn = BY_NAME.get(layer)
    if fn is not None and (layer, expr) not in _ZERO:
        value = fn(expr) == 0           # an interrupted call (out of budget) stores nothing
        _ZERO.clear() if len(_ZERO) >= 4096 else None
        _ZERO[layer, expr] = value
    return fn is not None and _ZERO[layer, expr]


def cancelled(expr):
    """cancel(expr), remembered like the layers' answers (a searcher's factor k = A/C and
    the kernel's re-check of it are one computation)."""
    if ("cancelled", expr) not in _ZERO:
        value = cancel(expr)
        _ZERO.clear() if len(_ZERO) >= 4096 else None
        _ZERO["cancelled", expr] = value
    return _ZERO["cancelled", expr]
