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


def reduces_to_zero(expr, layer: str) -> bool:
    """True when the named layer turns ``expr`` into 0 (an unknown layer proves nothing)."""
    if expr == 0:
        return True
    fn = BY_NAME.get(layer)
    return fn is not None and fn(expr) == 0
