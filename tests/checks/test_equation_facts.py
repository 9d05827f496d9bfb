"""Equations as facts: a step cited from an equation hypothesis, and equations combined into an equation."""

from __future__ import annotations

import re

import pytest

from derive.checks import check_derivation
from derive.source import load_text

HEAD = r"""---
id: eq
symbols:
  - \eta > 0
  - 0 < \beta < 1
  - g, m_0, m_1, m_2, s \in \mathbb{R}
  - w_t, w_{t+1} \in \mathbb{R}^n
functions:
  - f \colon \mathbb{R}^n \to \mathbb{R}
hypotheses:
  - update(a, b \in \mathbb{R}^n): f(b) = f(a) - \eta \|\nabla f(a)\|^2
  - momentum(p, q): q = \beta p + (1 - \beta) g
  - bound(p, q): q \le \beta p
lemmas:
  - square(p): (p + 1)^2 = p^2 + 2 p + 1
---

$$
"""


def status(line):
    d = load_text(HEAD + line + "\n$$\n", "eq.md")
    v = [r.verdict for r in check_derivation(d)][-1]
    return v


RIGHT = [
    # (step, status): each an instance or a combination of the equations named
    (r"f(w_{t+1}) = f(w_t) - \eta \|\nabla f(w_t)\|^2   % hypothesis update(w_t, w_{t+1})", "cited"),
    (r"f(w_t) - \eta \|\nabla f(w_t)\|^2 = f(w_{t+1})   % hypothesis update(w_t, w_{t+1})", "cited"),
    (r"f(w_{t+1}) \le f(w_t) - \eta \|\nabla f(w_t)\|^2   % hypothesis update(w_t, w_{t+1})", "cited"),
    (r"f(w_{t+1}) \ge f(w_t) - \eta \|\nabla f(w_t)\|^2   % hypothesis update(w_t, w_{t+1})", "cited"),
    (r"m_1 = \beta m_0 + (1 - \beta) g   % hypothesis momentum(m_0, m_1)", "cited"),
    (r"m_1 - \beta m_0 = (1 - \beta) g   % hypothesis momentum(m_0, m_1)", "cited"),
    (r"(s + 1)^2 = s^2 + 2 s + 1   % lemma square(s)", "cited"),
    (r"m_2 = \beta^2 m_0 + (1 - \beta^2) g   % by momentum(m_0, m_1), momentum(m_1, m_2)", "proved"),
    (r"m_2 - g = \beta^2 (m_0 - g)   % by momentum(m_0, m_1), momentum(m_1, m_2)", "proved"),
    (r"f(w_{t+1}) \le f(w_t)   % by update(w_t, w_{t+1})", "proved"),
    (r"2 f(w_{t+1}) = 2 f(w_t) - 2 \eta \|\nabla f(w_t)\|^2   % by update(w_t, w_{t+1})", "proved"),
]


@pytest.mark.parametrize("line, expected", RIGHT, ids=[r[0].split("%")[0].strip() for r in RIGHT])
def test_right_steps_from_equations(line, expected):
    v = status(line)
    assert v.status == expected, (v.status, v.reason)


WRONG = [
    # (what is wrong, step, reason pattern)
    ("sign", r"f(w_{t+1}) = f(w_t) + \eta \|\nabla f(w_t)\|^2   % hypothesis update(w_t, w_{t+1})",
     r"^not an instance of update"),
    ("factor", r"f(w_{t+1}) = f(w_t) - 2 \eta \|\nabla f(w_t)\|^2   % hypothesis update(w_t, w_{t+1})",
     r"^not an instance of update"),
    ("exponent", r"m_1 = \beta^2 m_0 + (1 - \beta) g   % hypothesis momentum(m_0, m_1)",
     r"^not an instance of momentum"),
    ("points swapped", r"f(w_t) = f(w_{t+1}) - \eta \|\nabla f(w_t)\|^2   % hypothesis update(w_t, w_{t+1})",
     r"^not an instance of update"),
    ("direction: strict from an equation",
     r"f(w_{t+1}) < f(w_t) - \eta \|\nabla f(w_t)\|^2   % hypothesis update(w_t, w_{t+1})",
     r"is an equation; it gives no strict inequality"),
    ("an equation from an inequality", r"m_1 = \beta m_0   % hypothesis bound(m_0, m_1)",
     r"is an inequality; it does not give an equation"),
    ("branch: the wrong coefficient of g",
     r"m_2 = \beta^2 m_0 + (1 - \beta) g   % by momentum(m_0, m_1), momentum(m_1, m_2)",
     r"^no combination of the named equations"),
    ("an equation from an inequality fact", r"m_1 = \beta m_0   % by bound(m_0, m_1)",
     r"^an equation follows only from equations, and none is named"),
    ("a weak bound is not an equation", r"f(w_{t+1}) = f(w_t)   % by update(w_t, w_{t+1})",
     r"^no combination of the named equations"),
]


@pytest.mark.parametrize("what, line, pattern", WRONG, ids=[w[0] for w in WRONG])
def test_wrong_steps_from_equations_are_never_proved(what, line, pattern):
    v = status(line)
    assert v.status not in ("proved", "cited", "checked"), (v.status, v.reason)
    assert re.search(pattern, v.reason), v.reason


def test_a_stated_equation_lemma_that_is_false_is_caught():
    line = r"(s + 1)^2 = s^2 + 1   % lemma wrong(s)"
    d = load_text(HEAD.replace(r"  - square(p): (p + 1)^2 = p^2 + 2 p + 1",
                               "  - square(p): (p + 1)^2 = p^2 + 2 p + 1\n  - wrong(p): (p + 1)^2 = p^2 + 1")
                  + line + "\n$$\n", "eq.md")
    v = [r.verdict for r in check_derivation(d)][-1]
    assert v.status == "failed" and v.counterexample, (v.status, v.reason)
