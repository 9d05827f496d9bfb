"""Attacks on what a step may cite: a hypothesis outside its parameters' sets, results established
and cited later (conditions, domains, parts), and `above`. Holes are strict xfails; attacks that
held are ordinary tests."""

from __future__ import annotations

import textwrap

import pytest
from sympy import Ge, Gt, log

from derive.build import Builder, use, why
from derive.checks import check_derivation
from derive.errors import InputError
from derive.source import load_text
from helpers import NEVER


def statuses(text):
    return [r.verdict.status for r in check_derivation(load_text(textwrap.dedent(text).strip() + "\n",
                                                                 "attack.md"))]


# -- a hypothesis' parameters range over their sets (a hole, closed in source/declare.py) -----------

def test_a_hypothesis_is_cited_only_inside_its_parameters_set():
    # pos(s ∈ ℝ_{>0}): 1/s > 0 is true; its set was dropped, so 1/t > 0 was `cited` for t ∈ ℝ.
    got = statuses(r"""
        ---
        symbols:
          - t \in \mathbb{R}
          - u > 1
          - w \ge 0
        hypotheses:
          - pos(s \in \mathbb{R}_{>0}): \frac{1}{s} > 0
          - nn(s \in \mathbb{R}_{\ge 0}, r): r^2 s \ge 0
        ---
        ## (a) A
        $$
        \frac{1}{t} > 0   % hypothesis pos(t)
        t^2 w \ge 0   % hypothesis nn(w, t)
        w^2 t \ge 0   % hypothesis nn(t, w)
        $$
    """)
    assert got == ["unknown", "cited", "unknown"], got


def test_an_integer_parameter_is_refused_where_it_is_declared():
    # sin(πk) ≥ 0 holds for k ∈ ℕ; at k = t ∈ ℝ it was `cited`, and no side condition can say
    # that an argument is an integer.
    with pytest.raises(InputError, match=r"parameter ranges over .*not `\\mathbb\{N\}`"):
        statuses(r"""
            ---
            symbols:
              - t \in \mathbb{R}
            hypotheses:
              - nat(k \in \mathbb{N}): \sin(\pi k) \ge 0
            ---
            ## (a) A
            $$
            \sin(\pi t) \ge 0  % hypothesis nat(t)
            $$
        """)


# -- results established and cited later --------------------------------------------------------

def run(builder):
    return [r.verdict.status for r in check_derivation(builder.build())]


def test_a_result_transfers_its_domain_and_never_its_case():
    b = Builder("r", "r")
    a, x, y = b.var("a", lower=0), b.var("x"), b.var("y", lower=0)
    b.schema("R", lambda s: Ge(s + 1 / s, 2), kind="result")
    b.part("a", "a")
    b.step(a + 1 / a, ">=", 2, why("sign", establishes="R", at=(a,)))
    b.step(x + 1 / x, ">=", 2, why("result", uses=[use("R", x)]))       # x may be negative
    b.step(y + 1 / y, ">=", 2, why("result", uses=[use("R", y)]))
    assert run(b) == ["proved", "unknown", "cited"]

    b = Builder("r", "r")
    a, x = b.var("a"), b.var("x")
    b.schema("R", lambda s: Ge(s, 0), kind="result")
    b.part("a", "a", when=(Gt(a, 0),))
    b.step(a, ">=", 0, why("sign", establishes="R", at=(a,)))
    b.part("b", "b")
    b.step(x, ">=", 0, why("result", uses=[use("R", x)]))
    assert all(s not in NEVER for s in run(b))


def test_a_result_is_not_cited_before_it_is_established_nor_by_itself():
    b = Builder("r", "r")
    x = b.var("x")
    b.schema("R", lambda s: Ge(s ** 2 + 1, 2 * s), kind="result")
    b.part("a", "a")
    b.step(x ** 2 + 1, ">=", 2 * x, why("result", uses=[use("R", x)], establishes="R", at=(x,)))
    b.step(x ** 2 + 1, ">=", 2 * x, why("result", uses=[use("R", x)]))
    assert all(s not in NEVER for s in run(b))


def test_a_result_proved_under_a_part_hypothesis_stays_in_that_part():
    b = Builder("r", "r")
    x, y = b.var("x"), b.var("y")
    b.schema("big", lambda: Ge(y, 3), parts=("a",))
    b.schema("R", lambda s: Ge(s + y, s + 3), kind="result")
    b.part("a", "a")
    b.step(x + y, ">=", x + 3, why("combination", uses=[use("big")], establishes="R", at=(x,)))
    b.part("b", "b")
    b.step(x + y, ">=", x + 3, why("result", uses=[use("R", x)]))
    assert run(b)[1] not in NEVER


# -- above ----------------------------------------------------------------------------------------

def test_above_is_only_a_proved_chain_of_the_same_part_under_the_same_case():
    b = Builder("r", "r")
    x, t = b.var("x"), b.var("t", lower=0)
    b.part("a", "a")
    b.step(x, ">=", 0, why("sign"), when=(Gt(x, 0),))
    b.step(x + 1, ">=", 1, why("combination", uses=[use("above")]))                 # case dropped
    b.step(log(t ** 2 + 1), "<=", t ** 2, why("sign"))                               # only checked
    b.step(log(t ** 2 + 1) + 1, "<=", t ** 2 + 1, why("combination", uses=[use("above")]))
    b.step(x ** 2, ">=", 0, why("sign"))
    b.part("b", "b")
    b.step(x ** 2 + 1, ">=", 1, why("combination", uses=[use("above")]))             # other part
    got = run(b)
    assert got[0] == "proved" and got[2] == "checked", got
    assert all(got[i] not in NEVER for i in (1, 3, 5)), got
