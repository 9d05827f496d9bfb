"""Symbolic zero tests: cheap normal forms first, heavier rewriting last, each under budget."""

from __future__ import annotations

from sympy import (cancel, exp, expand, expand_log, powsimp, radsimp,
                   simplify, together)

from ..budget import attempt
from ..notation import ReLU, sigma

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

CHEAP = 2      # layers tried before sampling; the rest only when sampling found nothing


def to_primitives(expr):
    """σ as 1/(1+e^{-z}): sigmoid identities become rational identities in e^{u}."""
    if expr.has(sigma):
        expr = expr.replace(sigma, lambda z: 1 / (1 + exp(-z)))
    return expr


def zero_by(diff, layers=LAYERS, budget=0.5):
    """Return the name of the first layer that reduces ``diff`` to 0, else None.

    Layers that run out of time are skipped; ``timeouts`` counts them.
    """
    if diff == 0:
        return "identical", 0
    timeouts = 0
    for name, fn in layers:
        value, err = attempt(budget, fn, diff)
        if err:
            timeouts += 1
            continue
        if value == 0:
            return name, timeouts
    return None, timeouts


def has_relu(expr) -> bool:
    return expr.has(ReLU)
