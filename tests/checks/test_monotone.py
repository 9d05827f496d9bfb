"""Monotonicity: common factors, powers and exp compared, every side condition proved."""

from __future__ import annotations

import pytest
import re

from sympy import Le, exp
from derive.build import use
from world_inequalities import (
    L, a, c, f, mu, s, t, v, verdict, x, y, z)


# -- monotonicity side conditions ------------------------------------------------

MONOTONE = [
    # (what, lhs, rel, rhs, uses, when, status, pattern in certificate or reason)
    ("a negative common factor turns the inequality", -mu * f(c), "<=", -mu * f(a), ["order"], (),
     "proved", r"multiply by -μ ≤ 0 \(the inequality turns\)"),
    ("… and does not prove the unturned one", -mu * f(a), "<=", -mu * f(c), ["order"], (),
     "unknown", r"cannot show"),
    ("a positive common factor keeps it", mu * f(a), "<=", mu * f(c), ["order"], (),
     "proved", r"multiply by μ ≥ 0"),
    ("a common factor of unknown sign is refused", s * f(a), "<=", s * f(c), ["order"], (),
     "unknown", r"^the sign of the common factor s is not known$"),
    ("powers: base ≥ 0, exponent t ≥ 0", z**t, "<=", (z + 1)**t, [], (),
     "proved", r"powers with exponent t ≥ 0 of bases ≥ 0 keep the order"),
    # Refused, and each false somewhere: a sampled point where the step breaks fails it
    # (they were unknown; a plainly false Δ ≤ Δ/2 too, found by an adversarial test).
    ("powers: base of unknown sign refused", x**t, "<=", y**t, [], (Le(x, y),),
     "failed", r"^the base x is not provably ≥ 0; and the step breaks at a sampled point$"),
    ("powers: exponent of unknown sign refused", z**s, "<=", (z + 1)**s, [], (),
     "failed", r"^the exponent s is not provably ≥ 0; and the step breaks"),
    ("powers: a negative exponent refused", z**(-t), "<=", (z + 1)**(-t), [], (),
     "failed", r"exponent -t is not provably ≥ 0; and the step breaks"),
    ("Δ ≤ Δ/2", z, "<=", z / 2, [], (), "failed", r"and the step breaks at a sampled point"),
    ("exp is increasing", exp(x), "<=", exp(y), [], (Le(x, y),), "proved", r"exp is increasing"),
    ("exp the wrong way", exp(y), "<=", exp(x), [], (Le(x, y),), "failed", r"cannot show"),
    ("(1 − μ/L)ᵗ ≤ e^{−tμ/L} with the lemma", (1 - mu / L)**t, "<=", exp(-t * mu / L), ["exp_bound"], (),
     "proved", r"exp_bound\(μ/L\)"),
    ("… without the lemma", (1 - mu / L)**t, "<=", exp(-t * mu / L), [], (), "unknown", r"cannot show"),
    # f(c) − f(a) takes any value as far as the intervals know: its sign comes from the facts.
    ("a factor of function values ≥ 0 by a named fact", (f(c) - f(a)) * mu, "<=", (f(c) - f(a)) * L,
     ["order"], (), "proved", r"^multiply by -f\(a\) \+ f\(c\) ≥ 0$"),
    ("… of unknown sign without it", (f(c) - f(a)) * mu, "<=", (f(c) - f(a)) * L, [], (),
     "unknown", r"^the sign of the common factor -f\(a\) \+ f\(c\) is not known$"),
]


@pytest.mark.parametrize("what, lhs, rel, rhs, uses, when, status, pattern", MONOTONE,
                         ids=[r[0] for r in MONOTONE])
def test_monotone_side_conditions(what, lhs, rel, rhs, uses, when, status, pattern):
    u = [use("exp_bound", mu / L) if n == "exp_bound" else use(n) for n in uses]
    v = verdict(lhs, rel, rhs, "monotone", u, when)
    assert v.status == status, (v.status, v.reason, v.lines)
    if status == "failed":
        assert float(v.counterexample["lhs"]) > float(v.counterexample["rhs"]), v.counterexample
    shown = "\n".join(v.lines) if status == "proved" else v.reason
    assert re.search(pattern, shown, re.M), shown


def test_monotone_does_not_prove_strict_steps():
    v = verdict(mu * f(a), "<", mu * f(c), "monotone", [use("order")])
    assert v.status == "unknown" and "monotonicity proves ≤ or ≥" in v.reason


def test_a_sampled_point_must_keep_the_hypotheses_the_step_uses():
    """e^{ηL} ≤ e by monotonicity under step: ηL ≤ 1 was failed at ηL = 3.19, a point that
    breaks the hypothesis (found by review); a wrong step under it still fails there."""
    from derive.checks import check_derivation
    from derive.source import load_text
    doc = "\n".join(["---", "id: t2", "title: t", "symbols:", r"  - \eta, L > 0", "hypotheses:",
                     r"  - step: \eta L \le 1", "---", "", "$$",
                     r"e^{\eta L} \le e     % monotone step",
                     r"\tanh(\eta L) \le \tanh(1)     % monotone step",
                     r"\eta L \le \frac{\eta L}{2}     % monotone step", "$$", ""])
    got = [r.verdict for r in check_derivation(load_text(doc, "t2.md"))]
    assert [v.status for v in got[:2]] == ["unknown", "unknown"], got
    assert got[2].status == "failed", got[2]
    point = got[2].counterexample
    assert float(point["η"]) * float(point["L"]) <= 1, point
