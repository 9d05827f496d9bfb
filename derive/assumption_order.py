"""SymPy's assumption queries in one fixed order: the same step costs the same work every run.

SymPy tries the prerequisites of an assumption (is ``x + y`` positive? then is it
real, nonzero, finite, ...) in an order it shuffles with an unseeded random
generator, so that its own test suite exposes handlers whose answers depend on
the order. Here that made the same `check all` cost from 4.57 to 5.00 billion
instructions from one run to the next (callgrind, 6 runs), and an answer that
depended on the order would make a verdict depend on the run. Queries here try
the prerequisites that settle the most other facts first (ties by name): a fixed
order, and as cheap as the cheapest shuffles measured.
"""

from __future__ import annotations

import sys

import sympy  # noqa: F401 - the module patched below is SymPy's own


def _ranks() -> dict:
    module = sys.modules["sympy.core.assumptions"]
    rules = module._assume_rules
    implied = rules.full_implications
    settles = {fact: len(implied[(fact, True)]) + len(implied[(fact, False)]) for fact in rules.prereq}
    ranked = sorted(settles, key=lambda f: (-settles[f], f))
    # Facts with no prerequisites of their own come last, by name: every fact has a key.
    ranked += sorted(set(module._assume_defined) - set(ranked))
    return {fact: k for k, fact in enumerate(ranked)}


_RANK = _ranks()


def in_fixed_order(facts: list) -> None:
    """Sort ``facts`` in place, most decisive first (what SymPy's ``_ask`` calls ``shuffle``)."""
    # A dict lookup as the key (no tuple per fact): this runs on every assumption query.
    facts.sort(key=_RANK.__getitem__)


def install() -> bool:
    """Make SymPy's assumption queries use ``in_fixed_order``; False if this SymPy has no such hook."""
    module = sys.modules["sympy.core.assumptions"]
    if not callable(getattr(module, "shuffle", None)) or not hasattr(module, "_ask"):
        return False
    module.shuffle = in_fixed_order
    return True


INSTALLED = install()
