"""A CI-sized slice of the mutation corpus (bench/corpus): right steps stay right, wrong ones are refuted."""

from __future__ import annotations

import pytest

from bench import wire_search
from bench.falsify_corpus import CORPUS, kind_of, steps_of, verdict_of
from bench.mutate import OPERATORS, mutants
from bench.oracle import refutes
from derive.source import load_file

# (file, step): a few steps of each kind of reasoning the corpus holds.
SLICE = [
    ("logistic", 16),        # log(1 + e^{-z}) ≤ e^{-z}: sampling territory
    ("inequalities", 6),     # AM–GM in three variables: z3 territory
    ("piecewise", 2),        # Huber ≤ δ|r|: cases
    ("recurrences", 15),     # |1 − ηa| ≤ 1 under ηa ≤ 2
    ("mle", 5),              # a solve step
    ("descent", 4),          # a combination over an opaque function
]


def _step(name, index):
    derivation = load_file(CORPUS / f"{name}.md")
    for i, part, step, lhs in steps_of(derivation):
        if i == index:
            return derivation, part, step, lhs
    raise LookupError(index)


def test_the_corpus_has_150_right_steps_that_read():
    total = sum(1 for path in sorted(CORPUS.glob("*.md")) for _ in steps_of(load_file(path)))
    assert total >= 150


@pytest.mark.parametrize("name, index", SLICE, ids=[f"{n}:{i}" for n, i in SLICE])
def test_right_steps_are_not_failed_and_the_oracle_agrees(name, index):
    derivation, part, step, lhs = _step(name, index)
    verdict, _ = verdict_of(derivation, part, step, lhs)
    assert not verdict.status == "failed", (verdict.reason, verdict.counterexample)
    assert refutes(derivation, part, step, lhs, points=15) is None


def _kept(name, index):
    derivation, part, step, lhs = _step(name, index)
    variables = [v.symbol for v in derivation.variables]
    for m in mutants(step, lhs, variables, seed=index):
        if refutes(derivation, part, m.step, m.lhs, points=20):
            yield derivation, part, m


@pytest.mark.parametrize("name, index", SLICE, ids=[f"{n}:{i}" for n, i in SLICE])
def test_wrong_variants_are_refuted_with_the_searcher_wired(name, index, monkeypatch):
    wire_search.wire(monkeypatch)
    kept = list(_kept(name, index))
    assert kept, "the oracle kept no wrong variant"
    for derivation, part, m in kept:
        verdict, _ = verdict_of(derivation, part, m.step, m.lhs)
        kind = kind_of(verdict)
        assert kind not in ("checked", "proved", "cited"), (m.operator, m.description, verdict)
        assert kind == "failed+cex", (m.operator, m.description, verdict.status, verdict.reason)


def test_the_mutation_operators_are_the_ten_slips():
    assert len(OPERATORS) == 10
