"""Sums over one range gathered into one, δ of two free indices, and δ inside nested sums:
the logistic gradient and Hessian over n samples, the softmax Jacobian written p_m(δ − p_k),
and Σ_m ∂H/∂z_m = 0 are proved; each wrong variant still fails with a counterexample."""

from __future__ import annotations

import pytest

from derive.checks import check_derivation
from derive.source import load_file

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
def verdicts(tmp_path_factory):
    path = tmp_path_factory.mktemp("gathered") / "gathered.md"
    path.write_text(SOURCE, encoding="utf-8")
    return {f"{r.part.label}.{r.index}": r.verdict for r in check_derivation(load_file(path))}


@pytest.mark.parametrize("step, status", EXPECTED.items(), ids=list(EXPECTED))
def test_verdict(verdicts, step, status):
    v = verdicts[step]
    assert v.status == status, (v.status, v.method, v.reason)
    if status == "proved":
        assert v.method.endswith(": sums"), v.method
    else:
        cex = v.counterexample or {}
        assert "n" in cex and float(cex["lhs"]) != float(cex["rhs"]), cex
