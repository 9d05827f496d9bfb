"""The examples with sums: every step proved as documented, every mutated step failed with a
counterexample that names the size, and the deliberate errors caught."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sympy import Eq, Rational

from derive.checks import check_derivation
from helpers import step_verdict as check_step
from derive.source import load_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROVED = ["softmax-cross-entropy.md", "ridge-regression.md", "gaussian-mle.md", "cauchy-schwarz.md",
          "sample-variance.md"]


@pytest.fixture(scope="module", params=PROVED)
def checked(request):
    derivation = load_file(EXAMPLES / request.param)
    return derivation, check_derivation(derivation)


def test_every_step_is_proved(checked):
    _, results = checked
    assert {r.verdict.status for r in results} == {"proved"}, \
        [(r.index, r.verdict.reason) for r in results if r.verdict.status != "proved"]


def mutant(step):
    """The step made wrong: 1/7 added to the right side, an inequality turned round,
    the claimed solution of an equivalence moved by 1/7."""
    if step.rel == "=":
        return replace(step, rhs=step.rhs + Rational(1, 7))
    if step.rel == "iff":
        return replace(step, rhs=Eq(step.rhs.lhs, step.rhs.rhs + Rational(1, 7)))
    flipped = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}[step.rel]
    return replace(step, rel=flipped)


def test_every_mutated_step_fails_with_a_counterexample(checked):
    derivation, results = checked
    for r in results:
        v = check_step(derivation, r.part, mutant(r.step), r.lhs)
        assert v.status == "failed", (r.index, v.status, v.reason)
        cex = v.counterexample or {}
        assert any(size in cex for size in ("n", "K")), (r.index, cex)


def test_deliberate_errors_fail_and_name_their_data():
    results = check_derivation(load_file(EXAMPLES / "sums-deliberate-errors.md"))
    got = {f"{r.part.label}.{r.index}": r.verdict for r in results}
    assert {k: v.status for k, v in got.items()} == {
        "a.1": "proved", "a.2": "failed", "b.3": "failed", "c.4": "failed", "d.5": "failed"}
    for key in ("a.2", "b.3", "c.4", "d.5"):
        assert got[key].counterexample["n"] in {"1", "2", "3", "5", "8"}
    assert "x" in got["c.4"].counterexample and "y" in got["a.2"].counterexample


def test_the_builder_example_proves_every_step():
    import runpy
    module = runpy.run_path(str(EXAMPLES / "builder_sums.py"))
    results = check_derivation(module["build"]())
    assert [r.verdict.status for r in results] == ["proved"] * 4
