"""Chains: how relations compose, and what a chain above may pass on."""

from __future__ import annotations

import pytest

from dataclasses import replace
from derive.build import use, why
from derive.model import ChainError, compose
from derive.errors import InputError
from derive.model import Step
from world_inequalities import (
    WORLD, a, c, derivation_verdicts, f, mu, v)


# -- chain composition ------------------------------------------------------------

COMPOSE = [
    (["=", "<="], "<="),
    (["<=", "="], "<="),
    (["<", "<="], "<"),
    (["<=", "=", "<"], "<"),
    (["=", "="], "="),
    ([">=", "=", ">"], ">"),
    ([">=", ">="], ">="),
    (["iff", "iff"], "iff"),
]


@pytest.mark.parametrize("rels, expected", COMPOSE, ids=[" ".join(c[0]) for c in COMPOSE])
def test_compose(rels, expected):
    assert compose(rels) == expected


COMPOSE_ERRORS = [
    (["<=", ">="], r"^a chain mixes ≤ and ≥ \(≤ ≥\); split it or flip one side$"),
    (["=", "<", ">"], r"^a chain mixes ≤ and ≥ \(= < >\); split it or flip one side$"),
    (["iff", "="], r"^a chain cannot mix ⟺ or ⟹ with =, ≤ or ≥$"),
    ([], r"^an empty chain has no relation$"),
]


@pytest.mark.parametrize("rels, message", COMPOSE_ERRORS, ids=[" ".join(c[0]) or "empty" for c in COMPOSE_ERRORS])
def test_compose_errors(rels, message):
    with pytest.raises(ChainError, match=message) as info:
        compose(rels)
    assert isinstance(info.value, InputError)


def test_a_chain_proves_its_composite_for_the_next_step():
    """a = b ≤ c < d gives a < d, which the next chain may use as `above`."""
    steps = (Step(f(a), "<=", f(c), why("hypothesis", "", [use("order")])),
             Step(None, "<", f(c) + mu, why("combination")),
             Step(f(a), "<", f(c) + mu, why("combination", "", [use("above")])))
    assert [v.status for v in derivation_verdicts(WORLD, *steps)] == ["cited", "proved", "proved"]
    weaker = replace(steps[2], rel="<=")
    assert derivation_verdicts(WORLD, *steps[:2], weaker)[-1].status == "proved"
    stronger = replace(steps[2], rhs=f(c) + mu / 2)
    assert derivation_verdicts(WORLD, *steps[:2], stronger)[-1].status == "unknown"


def test_a_chain_with_an_unproved_link_gives_nothing_to_the_next():
    steps = (Step(f(a), "<=", f(c), why("hypothesis", "", [use("order")])),
             Step(None, "<=", f(c) - mu, why("combination")),         # false
             Step(f(a), "<=", f(c) - mu, why("combination", "", [use("above")])))
    first, link, next_ = derivation_verdicts(WORLD, *steps)
    assert link.status == "unknown" and next_.status == "unknown"
