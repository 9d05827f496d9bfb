"""A limit prints its point as written: ∞ and −∞ with no side, a number with its side if it has one."""

from __future__ import annotations

import pytest
from sympy import Limit, Symbol, exp, oo

from derive.printing import inline_tex, tex, text

x, a = Symbol("x"), Symbol("a")

# (limit, terminal text, LaTeX); SymPy records x → ∞ as from below, which printed
# lim_{x→oo⁻} and \infty^{-}.
LIMITS = [
    (Limit(exp(-a * x), x, oo), "lim_{x→∞} (e^(-a·x))", r"\lim_{x \to \infty} e^{- a x}"),
    (Limit(exp(a * x), x, -oo), "lim_{x→−∞} (e^(a·x))", r"\lim_{x \to -\infty} e^{a x}"),
    (Limit(1 / x, x, 0, "+"), "lim_{x→0⁺} (1/x)", r"\lim_{x \to 0^{+}}"),
    (Limit(1 / x, x, 0, "-"), "lim_{x→0⁻} (1/x)", r"\lim_{x \to 0^{-}}"),
    (Limit(1 / x, x, 0, "+-"), "lim_{x→0} (1/x)", r"\lim_{x \to 0}"),
]


@pytest.mark.parametrize("limit, shown, latex", LIMITS)
def test_a_limit_prints_its_point_and_side(limit, shown, latex):
    assert text(limit) == shown
    assert tex(limit).startswith(latex) and inline_tex(limit).startswith(latex)


@pytest.mark.parametrize("limit", [LIMITS[0][0], LIMITS[1][0]])
def test_no_side_at_infinity(limit):
    assert "⁻" not in text(limit) and "⁺" not in text(limit) and "oo" not in text(limit)
    assert "^{-}" not in tex(limit) and "^{+}" not in tex(limit)
