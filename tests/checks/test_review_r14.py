"""Review r14: `failed` only for a step shown false (a counterexample or a stated refutation), never for a justification that does not fit."""

from __future__ import annotations

import re
import textwrap

import pytest

from derive.checks import check_derivation
from derive.source import load_text

FRONT = r"""
id: r14
title: "r14"
symbols:
  - x, a \in \mathbb{R}
  - t > 0
  - s \ge 5
"""


def verdict(step, when=""):
    text = ("---\n" + textwrap.dedent(FRONT).strip() + "\n---\n## (a) A\n$$\n"
            + (f"% for {when}\n" if when else "") + step + "\n$$\n")
    [result] = check_derivation(load_text(text, "r14.md"))
    return result.verdict


def holds_or_fails(cex, first, second):
    """An equivalence's counterexample: exactly one of the two conditions holds at the point."""
    return first(cex) != second(cex)


# (step, condition, status, reason pattern, a check on the counterexample or None)
CASES = [
    # -- thresholds: a strict side against a weak one is not false by itself --------------
    # true: both hold for every declared t > 0 / for every s ≥ 5 (they were failed 'at t = 0
    # they differ', a point outside the declared range)
    (r"t > 0 \iff t \ge 0  % solve", "", "unknown", r"one side is strict and the other is not", None),
    (r"s - 1 > 0 \iff s \ge 1  % solve", "", "unknown", r"one side is strict and the other is not", None),
    # false, but not at x = 0, where both hold (it said 'at x = 0 they differ'): a point shows it
    (r"x + 1 > 0 \iff x \ge 0  % solve", "", "failed", r"x \+ 1 > 0 holds here but x >= 0 does not",
     lambda c: holds_or_fails(c, lambda p: float(p["x"]) + 1 > 0, lambda p: float(p["x"]) >= 0)),
    # -- thresholds: a value at c that is 0 written otherwise, a condition that pins x ------
    # true: log 6 − log 2 − log 3 = 0 (it was failed: 'the left side is … not 0')
    (r"\log(2 t) - \log(2) - \log(3) \ge 0 \iff t \ge 3  % solve", "", "unknown",
     r"cannot show the left side is 0 at t = 3", None),
    # true: a = 1 (it was failed: 'at x = 1 the left side is 1 - a, not 0')
    (r"x - a \ge 0 \iff x \ge 1  % solve", r"a \ge 1, a \le 1", "unknown",
     r"cannot show the left side is 0 at x = 1", None),
    # true: the condition leaves x = 3 only, where both hold (it was failed: 'threshold elsewhere')
    (r"x - 1 \ge 0 \iff x \ge 2  % solve", r"(x - 3)^2 \le 0", "unknown",
     r"or a condition on x removes the points near it", None),
    # still refuted: the threshold really is elsewhere, and nothing restricts x
    (r"x - 1 \ge 0 \iff x \ge 2  % solve", "", "failed", r"at x = 2 the left side is 1, not 0", None),
    # -- solved forms: the point 'where t = R holds' must be a point of the world ----------
    # true for a declared t > 0: neither side ever holds (they were failed at t = −5.35)
    (r"t^4 - 3 t^2 + 3 = 0 \iff t = -1 - x^2  % solve", "", "unknown", r"neither proportional", None),
    (r"\cos(t) + 2 = 0 \iff t = -1 - x^2  % solve", "", "unknown", r"neither proportional", None),
    (r"e^{t} - t = 0 \iff t = -1 - x^2  % solve", "", "unknown", r"neither proportional", None),
    # -- a claimed solution 'differing by a constant everywhere' refutes only where t = R can
    # hold: true for t > 0, where neither side ever holds (they were failed, no point)
    (r"e^{t} = \frac{1}{2} \iff t = \log(\frac{1}{3})  % solve", "", "unknown", r"neither proportional", None),
    (r"e^{t} + t = \frac{1}{2} \iff t = -1  % solve", "", "unknown", r"neither proportional", None),
    # still refuted where x = log 3 is a point of the world
    (r"e^{x} = 2 \iff x = \log(3)  % solve", "", "failed", r"differing by 1 everywhere", None),
    # -- 'another root' must be a root inside the variable's range: true for t > 0 and s ≥ 5
    # (they were failed at t = 2 and s = 1/6)
    (r"\log(t)^2 = \log(2)^2 \iff t = \frac{1}{2}  % solve", r"t < 1", "unknown", r"neither proportional", None),
    (r"\log(s)^2 = \log(6)^2 \iff s = 6  % solve", "", "unknown", r"neither proportional", None),
    # still refuted: t = 1/3 is a point of the world
    (r"\log(t)^2 = \log(3)^2 \iff t = 3  % solve", "", "failed", r"t = 1/3 also solves",
     lambda c: c == {"t": "1/3"}),
    # -- a refutation without a point needs a point where every condition holds: under
    # x² + a² < 0 nothing does, and these hold vacuously (they were failed 'provably …')
    (r"x + 1 = x  % algebra", r"x^2 + a^2 < 0", "unknown", r"no point was found where every condition holds", None),
    (r"x^2 + 1 \le 0  % sign", r"x^2 + a^2 < 0", "unknown", r"no point was found where every condition holds", None),
    # still refuted where the conditions hold somewhere
    (r"x + 1 = x  % algebra", r"x^2 + a^2 > 1", "failed", r"the two sides differ", None),
    (r"x - 1 \ge 0 \iff x \ge 2  % solve", r"a^2 > 1", "failed", r"at x = 2 the left side is 1, not 0", None),
    (r"x - 1 \ge 0 \iff x \ge 2  % solve", r"a^2 + 1 < 0", "unknown", r"no point was found", None),
]


@pytest.mark.parametrize("step, when, status, reason, check", CASES, ids=[c[0] + " " + c[1] for c in CASES])
def test_failed_only_when_the_step_is_disproved(step, when, status, reason, check):
    v = verdict(step, when)
    assert v.status == status, (v.status, v.method, v.reason, v.counterexample)
    assert re.search(reason, v.reason or ""), v.reason
    if check is not None:
        assert v.counterexample and check(v.counterexample), v.counterexample
