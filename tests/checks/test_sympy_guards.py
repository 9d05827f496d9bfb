"""SymPy evaluations known to be wrong are switched off (derive/sympy_guards.py): no false step
is proved through them."""

from __future__ import annotations

import pytest
from sympy import S, Symbol, cot, pi, tan

from derive import sympy_guards  # noqa: F401 - installs the guards
from derive.checks import check_derivation
from derive.source import load_text

HEAD = r"""---
id: trig
symbols:
  - x \in \mathbb{R}
  - n \in \mathbb{Z}_{\ge 1}
  - k \in \mathbb{Z}
---

$$
"""

# SymPy 1.14 turned tan(x + π/2 + πk) into tan(x) and tan(π/2 + πk) into 0 for an integer k,
# so each of these was proved (review r13).
FALSE = [
    r"\tan\left(x + \frac{\pi}{2} + \pi k\right) = \tan(x)   % algebra",
    r"\sum_{j=1}^{n} \tan\left(x + \frac{\pi}{2} + \pi j\right) = n \tan(x)   % algebra",
    r"\lim_{x \to 0} \tan\left(x + \frac{\pi}{2} + \pi k\right) = 0   % limit",
    r"1 + \tan\left(\frac{\pi}{2} + \pi k\right)^2 = 1   % algebra",
    r"\lim_{n \to \infty} \tan\left(\pi n + \frac{\pi}{2} + \frac{1}{n}\right) = 0   % limit",
]


@pytest.mark.parametrize("line", FALSE)
def test_a_wrong_tan_shift_is_never_proved(line):
    (result,) = check_derivation(load_text(HEAD + line + "\n$$\n", "trig.md"))
    assert result.verdict.status in ("failed", "unknown"), result.verdict


def test_tan_with_a_symbolic_multiple_of_pi_stays_as_written():
    x, k = Symbol("x", real=True), Symbol("k", integer=True)
    assert tan(x + pi / 2 + pi * k).args == (x + pi / 2 + pi * k,)
    assert tan(pi / 2 + pi * k).args == (pi / 2 + pi * k,)
    # Numbers times π evaluate as before.
    assert tan(x + pi / 2) == -cot(x) and tan(pi / 4) == 1 and tan(x + pi) == tan(x)
    assert tan(pi / 2) is S.ComplexInfinity
