"""A sum of squares as its mean's square plus its spread (Σ h² = (Σ h)²/N + Σ (h − h̄)²):
the sample variance ≥ 0, Cauchy–Schwarz with ones, the mean as the least-squares centre
and bias–variance for samples are proved; every wrong variant fails with a counterexample,
and the rule is not used where a sum may be empty, h may be complex, or > is claimed."""

from __future__ import annotations

import pytest

from helpers import source_verdicts as checked

SOURCE = r"""---
id: jensen
title: "Sums of squares and their means"
symbols:
  - n \in \mathbb{Z}_{\ge 1}
  - m \in \mathbb{Z}_{\ge 0}
  - i \in \{1, \dots, n\}
  - x_1, \dots, x_n \in \mathbb{R}
  - y_1, \dots, y_n \in \mathbb{R}
  - u_1, \dots, u_m \in \mathbb{R}
  - \mu, c \in \mathbb{R}
  - s > 0
define:
  - \bar{x} = \frac{1}{n}\sum_{i=1}^{n} x_i
---

## (a) True

$$
\frac{1}{n}\sum_{i=1}^{n} x_i^2 \ge \bar{x}^2   % sign
\left(\sum_{i=1}^{n} x_i\right)^2 \le n \sum_{i=1}^{n} x_i^2   % sign
\sum_{i=1}^{n} (x_i - \mu)^2 \ge \sum_{i=1}^{n} (x_i - \bar{x})^2   % sign
\frac{1}{n}\sum_{i=1}^{n} (x_i - \mu)^2 \ge (\bar{x} - \mu)^2   % sign
\sum_{i=1}^{n} (s x_i + c)^2 \ge \frac{1}{n}\left(\sum_{i=1}^{n} (s x_i + c)\right)^2   % sign
\left(\sum_{i=1}^{n} x_i y_i\right)^2 \le n \sum_{i=1}^{n} x_i^2 y_i^2   % sign
\sum_{i=1}^{n} (x_i - \mu)^2 \ge n (\bar{x} - \mu)^2   % sign
$$

## (b) Wrong: direction, factor, exponent, sign, a missing n

$$
\frac{1}{n}\sum_{i=1}^{n} x_i^2 \le \bar{x}^2   % sign
\frac{1}{n}\sum_{i=1}^{n} x_i^2 \ge 2 \bar{x}^2   % sign
\frac{1}{n^2}\sum_{i=1}^{n} x_i^2 \ge \bar{x}^2   % sign
\frac{1}{n}\sum_{i=1}^{n} (x_i - \mu)^2 \ge (\bar{x} + \mu)^2   % sign
\left(\sum_{i=1}^{n} x_i\right)^2 \le \sum_{i=1}^{n} x_i^2   % sign
\sum_{i=1}^{n} (x_i - \mu)^2 \le \sum_{i=1}^{n} (x_i - \bar{x})^2   % sign
\sum_{i=1}^{n} (2 x_i - \mu)^2 \ge 4 \sum_{i=1}^{n} (x_i - \bar{x})^2 + n \mu^2   % sign
$$

## (c) Not by this rule: strict, possibly empty

$$
\frac{1}{n}\sum_{i=1}^{n} x_i^2 > \bar{x}^2   % sign
\left(\sum_{k=1}^{m} u_k\right)^2 \le m \sum_{k=1}^{m} u_k^2   % sign
\sum_{i=1}^{n} (x_i - \mu)^2 \ge 0   % sign
$$
"""

EXPECTED = {
    "a.1": "proved", "a.2": "proved", "a.3": "proved", "a.4": "proved", "a.5": "proved",
    "a.6": "proved", "a.7": "proved",
    "b.8": "failed", "b.9": "failed", "b.10": "failed", "b.11": "failed", "b.12": "failed",
    "b.13": "failed", "b.14": "failed",
    # x_i all equal: equality, so > is false (a counterexample); with m = 0 both sides are 0,
    # true, but Σ h² = (Σ h)²/N needs N ≥ 1 term: sampling only.
    "c.15": "failed", "c.16": "checked",
    # every term ≥ 0: signed sums alone
    "c.17": "proved",
}


@pytest.fixture(scope="module")
def verdicts():
    return checked("jensen.md", SOURCE)


@pytest.mark.parametrize("step, status", EXPECTED.items(), ids=list(EXPECTED))
def test_verdict(verdicts, step, status):
    v = verdicts[step]
    assert v.status == status, (v.status, v.method, v.reason)
    if status == "failed":
        cex = v.counterexample or {}
        assert "n" in cex or "m" in cex, cex


def test_the_proof_says_which_sums_were_written_as_mean_and_spread(verdicts):
    assert any("(Σ h)²/N" in line for line in verdicts["a.1"].lines), verdicts["a.1"].lines
    assert verdicts["c.17"].status == "proved"
    assert not any("(Σ h)²/N" in line for line in verdicts["c.17"].lines), verdicts["c.17"].lines
