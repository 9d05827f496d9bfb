"""A realistic notes file, checked as written: every step settled, the kind found; wrong lines caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.checks import check_derivation
from derive.source import load_file

HERE = Path(__file__).parent / "documents"
NOTES, WRONG = HERE / "notes.tex", HERE / "notes-wrong.tex"

# The lines notes-wrong.tex changes (a fragment of each), all of which must fail.
WRONG_LINES = [
    r"&= \frac{n}{\sigma}(\bar{x} - \mu)",
    r"\sum_{i=1}^{n} (x_i - \bar{x}) = \bar{x}",
    r"= \sum_{i=1}^{n} x_i^2 - 2n\bar{x}^2",
    r"&= 2(x^2 - \lambda) w - 2xt",
    r"\iff w = \frac{x}{x^2 + \lambda}",
    r"&= p_1(1 + p_1)",
    r"\frac{\partial^2 f}{\partial v^2} &= 3v",
    r"= 12v^2 + 4u^2",
    r"&\ge x^2 .",
]


@pytest.fixture(scope="module")
def notes():
    d = load_file(NOTES)
    return d, check_derivation(d)


@pytest.fixture(scope="module")
def wrong():
    d = load_file(WRONG)
    return d, check_derivation(d)


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text().splitlines()
    found = [n for n, line in enumerate(lines, start=1) if fragment in line]
    assert len(found) == 1, fragment
    return found[0]


def test_every_step_settled_with_the_kind_found(notes):
    derivation, results = notes
    assert not dict(derivation.extra)["unreadable"]
    assert len(results) == 28
    for r in results:
        assert r.verdict.status in ("proved", "cited"), (r.step.origin, r.verdict)
        assert r.step.why.kind == "auto"
        assert "(found)" in r.verdict.method


def test_sections_are_parts_and_kinds_are_named(notes):
    derivation, results = notes
    assert [p.label for p in derivation.parts] == ["1", "2", "3", "4", "5", "6"]
    assert derivation.parts[0].title == "Gaussian maximum likelihood"
    assert derivation.title == "Notes for week 3: estimators and losses"
    methods = {r.verdict.method.split(":")[0] for r in results}
    assert {"chain rule (found)", "algebra (found)", "solve (found)", "sign (found)",
            "derivative (found)", "lemma (found)"} <= methods


def test_redefinitions_are_new_symbols(notes):
    derivation, _ = notes
    names = [str(sym) for sym, _ in derivation.definitions]
    # ℓ is defined three times (Gaussian, softmax, logistic); each is its own symbol.
    assert [n for n in names if n.startswith("ℓ")] == ["ℓ", f"ℓ@{line_of(NOTES, 'stackrel')}",
                                                       f"ℓ@{line_of(NOTES, 'ell(w) &:=')}"]
    latex = dict(derivation.latex_names)
    assert {latex[s] for s, _ in derivation.definitions if str(s).startswith("ℓ")} == {r"\ell"}


def test_the_derive_line_declares(notes):
    derivation, _ = notes
    bounds = {str(v.symbol): (v.lower, v.upper) for v in derivation.variables}
    assert bounds["σ"] == (0, None) and bounds["λ"] == (0, None) and bounds["y"] == (0, 1)
    assert bounds["a"] == (None, None)            # undeclared letters are real variables


def test_each_wrong_line_fails_with_a_counterexample_at_its_line(wrong):
    _, results = wrong
    failed = [r for r in results if r.verdict.status == "failed"]
    assert {r.step.origin[1] for r in failed} == {line_of(WRONG, f) for f in WRONG_LINES}
    for r in failed:
        assert r.verdict.counterexample, r.verdict
        assert r.step.origin[0] == str(WRONG)
    assert all(r.verdict.status in ("proved", "cited") for r in results if r not in failed)
