"""Definitions nested deep (σ applied 64 times through s_k = σ(s_{k-1})) unfold once from the
innermost out, so the chain rule through all of them is proved; a wrong factor is caught by
sampling, which evaluates each repeated subexpression once (to depth 32; at 64 the exact layers
tried before sampling use up the step's budget: README, Known limits)."""

from __future__ import annotations

import pytest

from derive.checks import check_derivation
from derive.source import load_text


def nested(depth: int, factors: str) -> str:
    define = "  - s_{1} = \\sigma(w x)\n" + "".join(
        f"  - s_{{{k}}} = \\sigma(s_{{{k - 1}}})\n" for k in range(2, depth + 1))
    return ("---\nsymbols:\n  - x, w \\in \\mathbb{R}\nfunctions:\n"
            "  - \\sigma(z) = \\frac{1}{1 + e^{-z}}\ndefine:\n" + define + "---\n## (a) A\n$$\n"
            f"\\frac{{\\partial s_{{{depth}}}}}{{\\partial w}} = {factors}   % chain rule\n$$\n")


def chain(depth: int, skip=None, last="x") -> str:
    return "".join(f"s_{{{k}}}(1 - s_{{{k}}})\\," for k in range(depth, 0, -1) if k != skip) + last


@pytest.mark.parametrize("depth, factors, status", [
    (64, chain(64), "proved"),
    (8, chain(8), "proved"),
    (8, chain(8, last="w"), "failed"),          # the innermost factor is ∂(wx)/∂w = x
    (8, chain(8, skip=5), "failed"),            # one level's σ' left out
    (32, chain(32, skip=17), "failed"),
])
def test_sigma_nested(depth, factors, status):
    [result] = check_derivation(load_text(nested(depth, factors), "nested.md"))
    assert result.verdict.status == status, (result.verdict.status, result.verdict.reason[:300])


def test_a_derivative_inside_a_definition_is_not_unfolded_away():
    # From the review of the one-pass unfolding: d = ∂v/∂u with u = 2x defined. Finding the
    # parts to put in by free symbols left the Derivative's variable u as it was, v became 4x²
    # and ∂(4x²)/∂u = 0 was proved. Every occurrence is put in, as the passes did.
    doc = ("---\nsymbols:\n  - x \\in \\mathbb{R}\ndefine:\n  - u = 2 x\n  - v = u^2\n"
           "  - d = \\frac{\\partial v}{\\partial u}\n---\n## (a) A\n$$\nd = 0   % derivative\n$$\n")
    [result] = check_derivation(load_text(doc, "d.md"))
    assert result.verdict.status not in ("proved", "cited"), result.verdict
