"""Inequalities with sums read in the normal form of sums (closed forms): the geometric series
bounded by 1/(1 − q) for q in [0, 1) is proved, its branch q ≠ 1 read off the open end of q's
interval or a condition; each wrong variant fails with a counterexample; q = 1 allowed proves
nothing."""

from __future__ import annotations

import pytest

from helpers import source_verdicts as checked

SOURCE = r"""---
id: closed-bounds
title: "Bounds read in the normal form of sums"
symbols:
  - T \in \mathbb{Z}_{\ge 1}
  - q \in [0, 1)
  - p \in (0, 1]
  - r \in \mathbb{R}
  - a_0, \dots, a_T \in \mathbb{R}
---

## (a) True

$$
\sum_{t=0}^{T-1} q^t = \frac{1 - q^T}{1 - q}   % algebra
\sum_{t=0}^{T-1} q^t \le \frac{1}{1 - q}   % sign
\sum_{t=1}^{T} \frac{1}{t(t+1)} < 1   % sign
\sum_{t=0}^{T-1} (a_{t+1} - a_t) \le a_T - a_0   % sign
$$

## (b) Wrong: direction, off by one, a bound too tight

$$
\sum_{t=0}^{T-1} q^t \ge \frac{1}{1 - q}   % sign
\sum_{t=0}^{T} q^t \le \frac{1 - q^T}{1 - q}   % sign
\sum_{t=0}^{T-1} q^t \le \frac{q}{1 - q}   % sign
\sum_{t=1}^{T} \frac{1}{t(t+1)} < \frac{1}{2}   % sign
$$

## (c) With a condition, and where q = 1 is allowed

$$
\sum_{t=0}^{T-1} r^t \le \frac{1}{1 - r}   % sign for r < 1, r > 0
\sum_{t=0}^{T-1} p^t \le \frac{1}{1 - p}   % sign
$$
"""

EXPECTED = {"a.1": "proved", "a.2": "proved", "a.3": "proved", "a.4": "proved",
            "b.5": "failed", "b.6": "failed", "b.7": "failed", "b.8": "failed",
            # q < 1 as a condition; at p = 1 the right side has no value: sampled only
            "c.9": "proved", "c.10": "checked"}


@pytest.fixture(scope="module")
def verdicts():
    return checked("closed-bounds.md", SOURCE)


@pytest.mark.parametrize("step, status", EXPECTED.items(), ids=list(EXPECTED))
def test_verdict(verdicts, step, status):
    v = verdicts[step]
    assert v.status == status, (v.status, v.method, v.reason)
    if status == "failed":
        assert "T" in (v.counterexample or {}), v.counterexample
