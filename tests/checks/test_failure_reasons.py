"""SymPy's internal errors read as reasons a reader can follow; the step stays unknown."""

from __future__ import annotations

import pytest

from tests.helpers import file_verdicts

SYMBOLS = [r"x, a \in \mathbb{R}", r"c > 0"]

# (step, the reason, exactly); each was "SymPy could not handle this step
# (NotImplementedError: …)" with SymPy's internals in it.
STEPS = [
    (r"\lim_{x \to 0} x \sin(1/x) = 0  % limit", "SymPy could not take this limit"),
    (r"\lim_{x \to 0^+} \frac{\max(x, a) - \max(0, a)}{x} = 0  % limit for a > 0",
     "SymPy could not take this limit (it has no series expansion of max(…))"),
]


@pytest.mark.parametrize("step, reason", STEPS)
def test_a_limit_sympy_cannot_take_is_said_in_words(step, reason):
    verdict, = file_verdicts(SYMBOLS, [step])
    assert (verdict.status, verdict.reason) == ("unknown", reason)


def test_a_limit_taken_on_the_way_is_said_to_be_one():
    """f''(0) through the kink of max(x, c)²: the kernel's difference quotient is a limit."""
    from derive.source import load_text
    from tests.helpers import verdicts
    text = ("---\nsymbols:\n  - x \\in \\mathbb{R}\n  - c > 0\nfunctions:\n"
            "  - f(x) = \\max(x, c)^2\n---\n## (a) A\n$$\nf''(0) = 0  % derivative\n$$\n")
    verdict, = verdicts(load_text(text, "d.md"))
    assert (verdict.status, verdict.reason) == (
        "unknown", "SymPy could not take a limit this step needs "
                   "(it has no series expansion of max(…))")


def _raised(exc):
    try:
        raise exc
    except Exception as caught:  # noqa: BLE001 - the test needs it with its traceback
        return caught


@pytest.mark.parametrize("exc, limit_step, reason", [
    (NotImplementedError("The _eval_nseries method should be added to Min to give\nterms"),
     False, "SymPy could not expand this step in a series (it has no series expansion of min(…))"),
    (NotImplementedError("The _eval_nseries method should be added to Abs to give terms"),
     False, "SymPy could not expand this step in a series (it has no series expansion of |·|)"),
    # Not one SymPy's limit raised: its class and message are all a reader can be told.
    (NotImplementedError("Result depends on the sign of -I"), False,
     "SymPy could not handle this step (NotImplementedError: Result depends on the sign of -I)"),
    (TypeError("cannot determine truth value\nof Relational"), True,
     "SymPy could not handle this step (TypeError: cannot determine truth value of Relational)"),
    (ValueError(), False, "SymPy could not handle this step (ValueError)"),
])
def test_other_errors_keep_what_helps(exc, limit_step, reason):
    from derive.checks.failures import failure_reason
    assert failure_reason(_raised(exc), limit_step) == reason
