"""The per-step verdict memo behind `derive watch` and `derive serve`: what an edit re-checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.checks import check_derivation
from derive.incremental import Session, fingerprint
from derive.source import load_file, load_text

ROOT = Path(__file__).resolve().parents[2]

TWO_CHAINS = r"""---
symbols:
  - a, b > 0
---

## (a) Two chains

$$
a^2 + b^2 \ge 2 a b   % sign
$$

Between the chains, some prose.

$$
a^2 + b^2 + 1 \ge 2 a b + 1   % by above
(a + b)^2 = a^2 + 2 a b + b^2   % algebra
  = b^2 + 2 a b + a^2   % algebra
$$
"""


def rechecked(session, text):
    """(step numbers checked afresh, statuses) for one re-check of ``text``."""
    outcome = session.check(text)
    assert outcome.error is None, outcome.error
    return ([r.index for r in outcome.results if not r.verdict.cached],
            [r.verdict.status for r in outcome.results])


@pytest.fixture()
def warm():
    session = Session("two-chains.md")
    assert rechecked(session, TWO_CHAINS) == ([1, 2, 3, 4], ["proved"] * 4)
    return session


EDITS = [
    ("nothing", lambda t: t, [], ["proved"] * 4),
    ("prose and blank lines only (steps move down)",
     lambda t: t.replace("some prose.", "some prose.\n\nAnd more.\n\n"), [], ["proved"] * 4),
    ("the printed form of a step only (same expression)",
     lambda t: t.replace("(a + b)^2 = a^2", "(a+b)^{2} = a^{2}"), [], ["proved"] * 4),
    ("one step's right side: it and the next link of its chain",
     lambda t: t.replace("= a^2 + 2 a b + b^2", "= a^2 + 3 a b + b^2"), [3, 4],
     ["proved", "proved", "failed", "failed"]),
    ("the chain above a step that uses it: that step, not the one that ignores it",
     lambda t: t.replace(r"\ge 2 a b   % sign", r"\ge 3 a b   % sign"), [1, 2],
     ["failed", "unknown", "proved", "proved"]),
    ("a justification", lambda t: t.replace("+ a^2   % algebra", "+ a^2   % expand"), [4],
     ["proved"] * 4),
    ("a case condition", lambda t: t.replace("+ a^2   % algebra", "+ a^2   % algebra for a > 1"),
     [4], ["proved"] * 4),
    ("the front matter: every step", lambda t: t.replace("a, b > 0", "a, b > 1"), [1, 2, 3, 4],
     ["proved"] * 4),
]


@pytest.mark.parametrize("edit, expected, statuses", [e[1:] for e in EDITS],
                         ids=[e[0] for e in EDITS])
def test_an_edit_rechecks_exactly_the_steps_it_touches(warm, edit, expected, statuses):
    assert rechecked(warm, edit(TWO_CHAINS)) == (expected, statuses)


def test_undoing_an_edit_recalls_every_verdict(warm):
    rechecked(warm, TWO_CHAINS.replace("= a^2 + 2 a b + b^2", "= a^2 + 3 a b + b^2"))
    assert rechecked(warm, TWO_CHAINS) == ([], ["proved"] * 4)


@pytest.mark.parametrize("example", ["deliberate-error.md", "q6.md", "descent-lemma.md"])
def test_recalled_verdicts_equal_a_fresh_check(example):
    """Read twice (hypotheses hold Dummy symbols, numbered anew each reading): the second
    reading recalls everything, and every verdict is the one a fresh check gives."""
    text = (ROOT / "examples" / example).read_text(encoding="utf-8")
    session = Session(example)
    session.check(text)
    again = session.check(text)
    assert again.rechecked == 0
    fresh = check_derivation(load_file(ROOT / "examples" / example))
    assert [(r.verdict.status, r.verdict.method, r.verdict.reason) for r in again.results] == \
        [(r.verdict.status, r.verdict.method, r.verdict.reason) for r in fresh]


def test_two_readings_of_one_text_have_one_fingerprint():
    text = (ROOT / "examples" / "descent-lemma.md").read_text(encoding="utf-8")
    a, b = load_text(text, "d.md"), load_text(text, "d.md")
    assert fingerprint(a.schemas, a.parts[0].steps[0].why) == \
        fingerprint(b.schemas, b.parts[0].steps[0].why)


def test_a_derivation_built_in_python_is_always_checked_afresh():
    """Its hypotheses are Python functions, which have no text to compare: no recall."""
    from derive import catalog
    from derive.incremental import StepMemo
    memo = StepMemo()
    q4 = catalog.load("q4")
    first = check_derivation(q4, memo)
    second = check_derivation(q4, memo)
    assert not any(r.verdict.cached for r in second)
    assert [r.verdict.status for r in first] == [r.verdict.status for r in second]


def test_bad_input_is_an_outcome_with_its_place():
    outcome = Session("bad.md").check(TWO_CHAINS.replace("% sign", "% sigh"))
    assert outcome.results == ()
    assert str(outcome.error).startswith("bad.md:9:")
    assert "unknown justification `sigh`" in str(outcome.error)
