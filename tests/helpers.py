"""One set of helpers for the tests: a step's verdict, a derivation's statuses, a step's world."""

from __future__ import annotations

from dataclasses import replace

from derive import kernel
from derive.build import why as make_why
from derive.checks import check_derivation, check_step
from derive.checks.driver import Goal
from derive.model import Link, Part, Step

NEVER = ("proved", "cited")            # what a hard or wrong case must never become


def one_step(base, lhs, rel, rhs, kind="algebra", when=(), uses=(), label="a", **options):
    """``base`` with one part holding one step, and that step's Link."""
    why = kind if not isinstance(kind, str) else make_why(kind, "", uses, **options)
    step = Step(lhs, rel, rhs, why, tuple(when))
    part = Part(label, "test", (step,))
    derivation = replace(base, parts=(part,))
    return derivation, Link(part, 1, step, lhs)


def verdict(base, lhs, rel, rhs, kind="algebra", when=(), uses=(), **options):
    """The verdict on ``lhs rel rhs`` (justified by ``kind``) in the world of ``base``."""
    derivation, link = one_step(base, lhs, rel, rhs, kind, when, uses, **options)
    return check_step(derivation, link)


def step_verdict(derivation, part, step, lhs, ledger=None):
    """The verdict on one step of ``derivation`` (its left side given), with a ledger."""
    return check_step(derivation, Link(part, 1, step, lhs), ledger)


def verdicts(derivation) -> list:
    return [r.verdict for r in check_derivation(derivation)]


def statuses(derivation) -> list:
    return [v.status for v in verdicts(derivation)]


def file_verdicts(symbols, steps, name="steps.md") -> list:
    """The verdicts of a derivation file with these ``symbols:`` lines and these step lines
    (each with its `% kind`), in one part."""
    from derive.source import load_text
    text = ("---\nsymbols:\n" + "".join(f"  - {s}\n" for s in symbols) + "---\n## (a) A\n$$\n"
            + "\n".join(steps) + "\n$$\n")
    return verdicts(load_text(text, name))


def world(base, conditions=(), part="a"):
    """The world a step with ``conditions`` holds in."""
    return kernel.World(base, tuple(conditions), part)


def goal(base, lhs, rel, rhs, kind="algebra", when=(), uses=()):
    """The Goal a searcher receives for one step."""
    derivation, link = one_step(base, lhs, rel, rhs, kind, when, uses)
    return Goal(derivation, link, kernel.Ledger(), kernel.world_for(derivation, link.part, link.step))


def source_verdicts(name, source) -> dict:
    """{"part.index": verdict} of the derivation file text ``source``, read as file ``name``."""
    from derive.source import load_text
    return {f"{r.part.label}.{r.index}": r.verdict for r in check_derivation(load_text(source, name))}


def assert_sum_verdict(v, status, size="n"):
    """``v`` has ``status``; proved by the rules for sums, or else failed (or not) with a
    counterexample that names the size and shows the two sides differ."""
    assert v.status == status, (v.status, v.method, v.reason)
    if status == "proved":
        assert v.method.endswith(": sums"), v.method
    else:
        cex = v.counterexample or {}
        assert size in cex and float(cex["lhs"]) != float(cex["rhs"]), cex
