"""Sums over one range gathered into one, δ of two free indices, and δ inside nested sums:
the logistic gradient and Hessian over n samples, the softmax Jacobian written p_m(δ − p_k),
and Σ_m ∂H/∂z_m = 0 are proved; each wrong variant still fails with a counterexample."""

from __future__ import annotations

import pytest

from helpers import assert_sum_verdict, source_verdicts as checked

SOURCE = r"""---
id: gathered
title: "Sums over one range gathered; δ of two indices; inner δ-sums"
symbols:
  - n \in \mathbb{Z}_{\ge 1}
  - K \in \mathbb{Z}_{\ge 1}
  - i \in \{1, \dots, n\}
  - j, k, m, l \in \{1, \dots, K\}
  - x_1, \dots, x_n \in \mathbb{R}
  - y_1, \dots, y_n \in [0, 1]
  - z_1, \dots, z_K \in \mathbb{R}
  - c_1, \dots, c_K \in [0, 1]
  - w \in \mathbb{R}
functions:
  - \sigma(s) = \frac{1}{1 + e^{-s}}
define:
  - L = \sum_{i=1}^{n} \left(\log(1 + e^{w x_i}) - y_i w x_i\right)
  - p_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}
  - H = -\sum_{k=1}^{K} c_k \log p_k
  - G = -\sum_{k=1}^{K} \log p_k
assume:
  - \sum_{k=1}^{K} c_k = 1
---

## (a) Gathered

$$
\sum_{i=1}^{n} \frac{x_i}{1 + e^{-w x_i}} = \sum_{i=1}^{n} \frac{x_i e^{w x_i}}{1 + e^{w x_i}}  % algebra
\sum_{i=1}^{n} \frac{x_i}{1 + e^{-w x_i}} = \sum_{i=1}^{n} \frac{x_i e^{-w x_i}}{1 + e^{w x_i}}  % algebra
\frac{\partial L}{\partial w} = \sum_{i=1}^{n} \left(\sigma(w x_i) - y_i\right) x_i  % derivative
\frac{\partial L}{\partial w} = \sum_{i=1}^{n} \left(\sigma(w x_i) - y_i\right) x_i^2  % derivative
\frac{\partial^2 L}{\partial w^2} = \sum_{i=1}^{n} \sigma(w x_i)\left(1 - \sigma(w x_i)\right) x_i^2  % derivative
\frac{\partial^2 L}{\partial w^2} = \sum_{i=1}^{n} \sigma(w x_i)^2 x_i^2  % derivative
$$

## (b) One index

$$
\frac{\partial p_k}{\partial z_m} = p_m([k = m] - p_k)  % derivative
\frac{\partial p_k}{\partial z_m} = p_k([k = m] - p_k)  % derivative
\frac{\partial^2 H}{\partial z_m \partial z_l} = p_m([m = l] - p_l)  % derivative
\frac{\partial^2 H}{\partial z_m \partial z_l} = p_l([m = l] - p_l)  % derivative
$$

## (c) Inner sums with δ

$$
\sum_{m=1}^{K} \frac{\partial H}{\partial z_m} = 0  % derivative
\sum_{m=1}^{K} \frac{\partial G}{\partial z_m} = 0  % derivative
\sum_{m=1}^{K} \frac{\partial G}{\partial z_m} = 1 - K  % derivative
\sum_{j=1}^{K} \sum_{k=1}^{K} c_k [j = k] = 1  % algebra
\sum_{j=1}^{K} \sum_{k=2}^{K} c_k [j = k] = 1  % algebra
$$
"""

EXPECTED = {
    # gathered: the summands agree only once written over one denominator (e^{−u} = 1/e^{u})
    "a.1": "proved", "a.2": "failed", "a.3": "proved", "a.4": "failed", "a.5": "proved",
    "a.6": "failed",
    # δ_{k,m}·p_k = δ_{k,m}·p_m
    "b.7": "proved", "b.8": "failed", "b.9": "proved", "b.10": "failed",
    # Σ_j c_j·δ_{k,j} = c_k inside Σ_k over the same range; not over 2..K
    "c.11": "proved", "c.12": "proved", "c.13": "failed", "c.14": "proved", "c.15": "failed",
}


@pytest.fixture(scope="module")
def verdicts():
    return checked("gathered.md", SOURCE)


@pytest.mark.parametrize("step, status", EXPECTED.items(), ids=list(EXPECTED))
def test_verdict(verdicts, step, status):
    assert_sum_verdict(verdicts[step], status)


# Review r15: summands that agree only where the sum's terms exist. Each left side has a term
# 0/0 (or 1/0) at an index every admissible range contains, so it has no value; gathering
# must not cancel it (they were proved when the gathered summand alone was tested).
UNDEFINED = r"""---
id: gather-undefined
title: "Gathered summands that are 0 only where the sum's terms exist"
symbols:
  - n \in \mathbb{Z}_{\ge 1}
  - i \in \{1, \dots, n\}
  - x_1, \dots, x_n \in \mathbb{R}
---

## (a) A term 0/0 at an index every admissible range contains

$$
\sum_{a=1}^{n} \frac{x_a (a^2 - 1)}{a - 1} = \sum_{a=1}^{n} x_a (a + 1)  % algebra
\sum_{a=1}^{n} \frac{x_a (a^2 - n^2)}{a - n} = \sum_{a=1}^{n} x_a (a + n)  % algebra
\sum_{a=1}^{n} \frac{x_a (a - i)}{a^2 - i^2} = \sum_{a=1}^{n} \frac{x_a}{a + i}  % algebra
\sum_{a=1}^{n} \frac{x_a}{a - 1} = \sum_{a=1}^{n} \frac{x_a (a + 1)}{a^2 - 1}  % algebra
\sum_{a=1}^{n} \sum_{b=1}^{n} [b = a] x_b \frac{a^2 - 1}{a - 1} = \sum_{a=1}^{n} x_a (a + 1)  % algebra
\sum_{a=1}^{n} \frac{a^2 - 1}{a - 1} = \frac{n (n + 3)}{2}  % algebra
$$
"""


def test_a_sum_without_a_value_is_not_gathered_away():
    verdicts = checked("gather-undefined.md", UNDEFINED)
    got = {k: v.status for k, v in verdicts.items()}
    # a.6 was `checked`: the sampler summed Σ_{a=1}^{1} (a² − 1)/(a − 1) in closed form (2),
    # stepping over the 0/0; written out term by term it has no value at any size.
    assert got == {"a.1": "unknown", "a.2": "unknown", "a.3": "unknown", "a.4": "unknown",
                   "a.5": "unknown", "a.6": "unknown"}, got
    assert all(v.reason.endswith("no instance where both sides are defined")
               for v in verdicts.values()), [v.reason for v in verdicts.values()]


# Inequalities between sums over one range, shown term by term (the sums written as one);
# a sum without a value is not (a.8: its first term is 0/0).
TERMWISE = r"""---
id: termwise
title: "Sums compared term by term"
symbols:
  - n \in \mathbb{Z}_{\ge 1}
  - x_1, \dots, x_n \in \mathbb{R}
  - y_1, \dots, y_n \in \mathbb{R}
  - p_1, \dots, p_n \in [0, 1]
  - w \in \mathbb{R}
functions:
  - \sigma(s) = \frac{1}{1 + e^{-s}}
define:
  - L = \sum_{i=1}^{n} \log(1 + e^{w x_i})
---

$$
\frac{\partial^2 L}{\partial w^2} \le \frac{1}{4}\sum_{i=1}^{n} x_i^2  % sign
\frac{\partial^2 L}{\partial w^2} \le \frac{1}{8}\sum_{i=1}^{n} x_i^2  % sign
\sum_{i=1}^{n} p_i (1 - p_i) \le \frac{1}{4}\sum_{j=1}^{n} 1  % sign
\sum_{i=1}^{n} p_i^2 \le \sum_{j=1}^{n} p_j  % sign
\sum_{i=1}^{n} p_i \le \sum_{j=1}^{n} p_j^2  % sign
\sum_{i=1}^{n} 2 x_i y_i \le \sum_{i=1}^{n} (x_i^2 + y_i^2)  % sign
\sum_{i=1}^{n} 3 x_i y_i \le \sum_{i=1}^{n} (x_i^2 + y_i^2)  % sign
\sum_{a=1}^{n} \frac{x_a^2 (a^2 - 1)}{a - 1} \ge \sum_{a=1}^{n} x_a^2 (a + 1)  % sign
$$
"""


def test_sums_compared_term_by_term():
    got = checked("termwise.md", TERMWISE)
    assert {k: v.status for k, v in got.items()} == {
        "a.1": "proved", "a.2": "failed", "a.3": "proved", "a.4": "checked", "a.5": "failed",
        "a.6": "proved", "a.7": "failed", "a.8": "unknown"}, {k: (v.status, v.reason) for k, v in got.items()}
    for key in ("a.2", "a.5", "a.7"):
        assert got[key].counterexample["n"] == "1", got[key].counterexample


# Nested ranges over a family (read since review r15): proved by the normal form, and the
# sampler writes Σ_{b=1}^{a} out inside Σ_{a=1}^{K} (a multi-limit sum, outermost first).
NESTED = r"""---
id: nested
title: "Nested ranges over a family"
symbols:
  - K \in \mathbb{Z}_{\ge 1}
  - m \in \{1, \dots, K\}
  - c_1, \dots, c_K \in \mathbb{R}
---

$$
\sum_{a=1}^{K} \sum_{b=1}^{a} 1 = \frac{K (K + 1)}{2}  % algebra
\sum_{a=1}^{K} \sum_{b=1}^{a} 1 = K^2  % algebra
\sum_{a=1}^{K} \sum_{b=1}^{a} c_b = \sum_{b=1}^{K} (K - b) c_b  % algebra
\sum_{j=1}^{m} c_j^2 \ge 0  % sign
\sum_{j=1}^{m} c_j = \sum_{j=1}^{K} c_j  % algebra
$$
"""


def test_nested_ranges_are_checked():
    got = checked("nested.md", NESTED)
    assert {k: v.status for k, v in got.items()} == {
        "a.1": "proved", "a.2": "failed", "a.3": "failed", "a.4": "proved", "a.5": "failed"}, \
        {k: (v.status, v.reason) for k, v in got.items()}
    assert got["a.3"].counterexample["K"] == "1"


# Inner limits that depend on the outer index: the length of Σ_{j=i}^{n} inside Σ_{i=1}^{n} is
# n − i + 1 ≥ 1 at the end of i's range its slope points to (summation._least); a length that
# can be negative (Σ_{j=i+2}^{n} at i = n, Σ_{j=n}^{i}) or is not affine (j from i²) still
# proves nothing: such a sum means something else under SymPy's (Karr's) convention. a.10 is
# the interchange of a triangle (kernel/pairs.py; `checked` before it).
DEPENDENT = r"""---
id: nested3
title: "Inner limits that depend on the outer index"
symbols:
  - n \in \mathbb{Z}_{\ge 1}
  - x_1, \dots, x_n \in \mathbb{R}
---

$$
\sum_{i=1}^{n} \sum_{j=i}^{n} 1 = \frac{n (n + 1)}{2}  % algebra
\sum_{i=1}^{n} \sum_{j=i}^{n} 1 = n^2  % algebra
\sum_{i=1}^{n} \sum_{j=i+1}^{n} 1 = \frac{n (n - 1)}{2}  % algebra
\sum_{i=1}^{n} \sum_{j=i+1}^{n} 1 = \frac{n (n + 1)}{2}  % algebra
\sum_{i=0}^{n} \sum_{j=i}^{n-1} 1 = \frac{n (n + 1)}{2}  % algebra
\sum_{i=1}^{n} \sum_{j=1}^{n-i} 1 = \frac{n (n - 1)}{2}  % algebra
\sum_{i=1}^{n} \sum_{j=i+2}^{n} 1 = \frac{(n - 1)(n - 2)}{2}  % algebra
\sum_{i=1}^{n} \sum_{j=n}^{i} 1 = 1  % algebra
\sum_{i=1}^{n} \sum_{j=i^2}^{n} 1 = 0  % algebra
\sum_{i=1}^{n} \sum_{j=i}^{n} x_j = \sum_{j=1}^{n} j x_j  % algebra
\sum_{i=1}^{n} \sum_{j=i}^{n} x_j = \sum_{j=1}^{n} (j - 1) x_j  % algebra
$$
"""


def test_inner_limits_that_depend_on_the_outer_index():
    got = checked("dependent.md", DEPENDENT)
    assert {k: v.status for k, v in got.items()} == {
        "a.1": "proved", "a.2": "failed", "a.3": "proved", "a.4": "failed", "a.5": "proved",
        "a.6": "proved", "a.7": "unknown", "a.8": "unknown", "a.9": "failed", "a.10": "proved",
        "a.11": "failed"}, {k: (v.status, v.reason) for k, v in got.items()}
    assert "fewer than zero terms" in got["a.7"].reason and "fewer than zero terms" in got["a.8"].reason
