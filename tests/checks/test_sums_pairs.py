"""Sums over pairs of one range (kernel/pairs.py): the triangles j < i, j ≤ i, j ≥ i, j > i
interchanged and written with the square and the diagonal, so (Σx)² = Σx² + 2Σ_{i<j} x_i x_j
and Σ_{i<j} (x_i − x_j)² = nΣx² − (Σx)² are proved for every n; each wrong variant (a lost 2,
roles not swapped, a lost or extra diagonal, a wrong count) fails with a counterexample."""

from __future__ import annotations

import pytest

from helpers import assert_sum_verdict, source_verdicts as checked

SOURCE = r"""---
id: pairs
title: "Sums over pairs of samples"
symbols:
  - n \in \mathbb{Z}_{\ge 1}
  - i, j \in \{1, \dots, n\}
  - x_1, \dots, x_n \in \mathbb{R}
  - y_1, \dots, y_n \in \mathbb{R}
  - w_1, \dots, w_n \in [0, 1]
define:
  - \bar{x} = \frac{1}{n}\sum_{i=1}^{n} x_i
---

## (a) True

$$
\sum_{i=1}^{n}\sum_{j=1}^{i} x_i x_j = \sum_{j=1}^{n}\sum_{i=j}^{n} x_i x_j   % algebra
\left(\sum_{i=1}^{n} x_i\right)^2 = \sum_{i=1}^{n} x_i^2 + 2\sum_{i=1}^{n}\sum_{j=i+1}^{n} x_i x_j   % algebra
\sum_{i=1}^{n}\sum_{j=1}^{i-1} x_i y_j = \sum_{j=1}^{n}\sum_{i=j+1}^{n} x_i y_j   % algebra
\sum_{i=1}^{n}\sum_{j=1}^{i-1} x_i y_j + \sum_{i=1}^{n}\sum_{j=i+1}^{n} x_i y_j = \left(\sum_{i=1}^{n} x_i\right)\left(\sum_{j=1}^{n} y_j\right) - \sum_{i=1}^{n} x_i y_i   % algebra
\sum_{i=1}^{n}\sum_{j=i+1}^{n} (x_i - x_j)^2 = n \sum_{i=1}^{n} x_i^2 - \left(\sum_{i=1}^{n} x_i\right)^2   % algebra
\sum_{i=1}^{n}\sum_{j=1}^{i-1} (x_i y_j - x_j y_i) = \sum_{i=1}^{n}\sum_{j=i+1}^{n} (x_j y_i - x_i y_j)   % algebra
\sum_{i=1}^{n}\sum_{j=i+1}^{n} w_i w_j = \frac{1}{2}\left(\sum_{i=1}^{n} w_i\right)^2 - \frac{1}{2}\sum_{i=1}^{n} w_i^2   % algebra
\sum_{i=1}^{n}\sum_{j=1}^{n} (x_i - x_j)^2 = 2 n \sum_{i=1}^{n} (x_i - \bar{x})^2   % algebra
\sum_{i=1}^{n}\sum_{j=i+1}^{n} 1 = \frac{n(n-1)}{2}   % algebra
\sum_{i=1}^{n}\sum_{j=i}^{n} x_j = \sum_{j=1}^{n} j x_j   % algebra
$$

## (b) Wrong: a lost 2, roles not swapped, a lost diagonal, a wrong count, a diagonal too many

$$
\left(\sum_{i=1}^{n} x_i\right)^2 = \sum_{i=1}^{n} x_i^2 + \sum_{i=1}^{n}\sum_{j=i+1}^{n} x_i x_j   % algebra
\sum_{i=1}^{n}\sum_{j=1}^{i-1} x_i y_j = \sum_{i=1}^{n}\sum_{j=i+1}^{n} x_i y_j   % algebra
\sum_{i=1}^{n}\sum_{j=1}^{i} x_i x_j = \sum_{j=1}^{n}\sum_{i=j+1}^{n} x_i x_j   % algebra
\sum_{i=1}^{n}\sum_{j=i+1}^{n} 1 = \frac{n(n+1)}{2}   % algebra
\sum_{i=1}^{n}\sum_{j=i+1}^{n} x_i x_j = \sum_{j=1}^{n}\sum_{i=1}^{j} x_i x_j   % algebra
\sum_{i=1}^{n}\sum_{j=i+1}^{n} (x_i - x_j)^2 = n \sum_{i=1}^{n} x_i^2 - \frac{1}{n}\left(\sum_{i=1}^{n} x_i\right)^2   % algebra
\sum_{i=1}^{n}\sum_{j=i}^{n} x_j = \sum_{j=1}^{n} (j - 1) x_j   % algebra
$$
"""

EXPECTED = {f"a.{k}": "proved" for k in range(1, 11)} | {f"b.{k}": "failed" for k in range(11, 18)}


@pytest.fixture(scope="module")
def verdicts():
    return checked("pairs.md", SOURCE)


@pytest.mark.parametrize("step, status", EXPECTED.items(), ids=list(EXPECTED))
def test_verdict(verdicts, step, status):
    assert_sum_verdict(verdicts[step], status)


# Review r18: a product binding its own index inside the summand had that index captured when
# the diagonal was taken (Π_{l≤i}(x_l + y_i) became Π_{l≤i}(x_l + y_l)): the false a.1 was
# proved; a fact about a triangle stopped applying once the triangle became (Q − D)/2.
REVIEW = r"""---
id: pairs-review
title: "Triangles with products inside, and facts about triangles"
symbols:
  - n \in \mathbb{Z}_{\ge 1}
  - i, j, l \in \{1, \dots, n\}
  - x_1, \dots, x_n \in \mathbb{R}
  - y_1, \dots, y_n \in \mathbb{R}
  - z_1, \dots, z_n \in \mathbb{R}
assume:
  - \sum_{i=1}^{n}\sum_{j=i+1}^{n} x_j y_i = 3
---

$$
\sum_{i=1}^{n} \left(\prod_{l=1}^{i} (x_l + y_i)\right) \sum_{j=1}^{i} z_j = \sum_{i=1}^{n} \left(\prod_{l=1}^{i} (x_l + y_l)\right) z_i + \sum_{i=1}^{n}\sum_{j=1}^{i-1} \left(\prod_{l=1}^{i} (x_l + y_i)\right) z_j  % algebra
\sum_{i=1}^{n}\sum_{j=i+1}^{n} x_j y_i = 3   % algebra
\sum_{i=1}^{n}\sum_{j=i+1}^{n} x_j y_i + \sum_{i=1}^{n} x_i = 3 + \sum_{i=1}^{n} x_i   % algebra
\sum_{i=1}^{n}\sum_{j=i+1}^{n} x_j y_i = 4   % algebra
$$
"""


def test_review_r18():
    # a.1 with the fact about sums: sampling cannot honour that fact, so it only refuses
    got = checked("pairs-review.md", REVIEW)
    assert {k: v.status for k, v in got.items()} == {
        "a.1": "unknown", "a.2": "proved", "a.3": "proved", "a.4": "failed"}, \
        {k: (v.status, v.reason) for k, v in got.items()}
    alone = REVIEW.replace("assume:\n  - \\sum_{i=1}^{n}\\sum_{j=i+1}^{n} x_j y_i = 3\n", "")
    got = checked("pairs-capture.md", alone)
    assert got["a.1"].status == "failed" and got["a.1"].counterexample, got["a.1"]
