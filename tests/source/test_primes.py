"""f'(a), f''(a): the derivative of a function of one variable, in documents and derivation files."""

from __future__ import annotations

import textwrap

import pytest

from derive.checks import check_derivation
from derive.errors import InputError
from derive.source import load_text

DOC = r"""
\section{Primes}
Let $\sigma(z) = \frac{1}{1+e^{-z}}$.
Let $f(t) = t^3 + z t$.
Let $g(u) = e^{2u}$.
"""

STEPS = [
    # (step, status): right ones proved, each wrong variant failed with a counterexample
    (r"\sigma'(z) = \sigma(z)(1-\sigma(z))", "proved"),
    (r"\sigma'(z) = \sigma(z)(1+\sigma(z))", "failed"),          # sign
    (r"\sigma(z)(1-\sigma(z)) = \sigma'(z)", "proved"),           # on the right side too
    (r"f'(z) = 3z^2 + z", "proved"),                             # f's own z is not the argument
    (r"f'(z) = 4z^2", "failed"),
    (r"f'(2z) = 12 z^2 + z", "proved"),                           # at a compound point
    (r"f'(2z) = 3 z^2 + z", "failed"),                            # the point forgotten
    (r"f''(x) = 6x", "proved"),
    (r"f''(x) = 3x", "failed"),                                   # factor
    (r"g'(x y) = 2 e^{2 x y}", "proved"),
    (r"g'(x y) = 2 e^{x y}", "failed"),                           # exponent
]


def statuses(doc: str):
    derivation = load_text(textwrap.dedent(doc).strip() + "\n", "primes.tex")
    return [r.verdict for r in check_derivation(derivation)]


@pytest.mark.parametrize("step, status", STEPS, ids=[s for s, _ in STEPS])
def test_a_prime_is_the_derivative(step, status):
    (verdict,) = statuses(DOC + f"\\[ {step} \\]\n")
    assert verdict.status == status, verdict
    if status == "failed":
        assert verdict.counterexample, verdict


def test_a_prime_at_the_start_of_a_display_is_not_a_new_name():
    """σ'(z) = … must be checked, not read as the definition of a name σ′."""
    got = statuses(DOC + r"\[ \sigma'(z) = \sigma(z)(1+\sigma(z)) \]" + "\n" +
                   r"\[ \sigma'(z) = \sigma(z)(1-\sigma(z)) \]" + "\n")
    assert [v.status for v in got] == ["failed", "proved"], got


@pytest.mark.parametrize("text, message", [
    (r"Let $h(a, b) = a b$." + "\n" + r"\[ h'(x, y) = y \]", r"function of one variable"),
    (r"\[ q'(x) = 1 \]", r"prime"),
    (r"\[ \sigma'(x, y) = 1 \]", r"takes 1 argument"),
])
def test_primes_that_mean_nothing_are_refused_where_they_are(text, message):
    derivation_text = textwrap.dedent(DOC).strip() + "\n" + text + "\n"
    with pytest.raises(InputError, match=message):
        load_text(derivation_text, "primes.tex")


def test_a_derivation_file_reads_primes_too():
    text = textwrap.dedent(r"""
        ---
        title: primes
        symbols:
          - x \in \mathbb{R}
        functions:
          - f(t) = t^2 \log(1 + t^2)
        ---
        ## (a) A
        $$
        f'(x) = 2x \log(1 + x^2) + \frac{2 x^3}{1 + x^2}   % derivative
        $$
        $$
        f'(x) = 2x \log(1 + x^2)   % derivative
        $$
        """).strip() + "\n"
    got = [r.verdict.status for r in check_derivation(load_text(text, "primes.md"))]
    assert got == ["proved", "failed"], got


def test_the_same_derivative_twice_in_a_step():
    """σ'(u) twice with different factors: the second visit of the same node handed the
    rewriter its replacement ('Mul' object has no attribute 'variable_count'), so right
    steps of a logistic-loss homework were unknown (found by an adversarial test)."""
    doc = textwrap.dedent(r"""
        Where $\sigma(z) = 1/(1+e^{-z})$.
        \[ y\sigma'(u) + \sigma'(u) = (1+y)\sigma(u)(1-\sigma(u)) \]
        \[ \frac{\sigma'(u)}{\sigma(u)} + \frac{\sigma'(u)}{1-\sigma(u)} = 1 \]
        \[ y\sigma'(u) + \sigma'(u) = (2+y)\sigma(u)(1-\sigma(u)) \]
    """).strip() + "\n"
    got = [r.verdict.status for r in check_derivation(load_text(doc, "twice.tex"))]
    assert got == ["proved", "proved", "failed"], got


def test_a_derivative_at_a_point_prints_with_a_prime():
    """σ'(wx)·x printed as '∂/∂t[σ(t)] at t = w·x·x', as if x were part of the point."""
    from sympy import Derivative, Subs, Symbol
    from derive.notation import sigma
    from derive.printing import text
    t, w, x = Symbol("t"), Symbol("w"), Symbol("x")
    assert text(Subs(Derivative(sigma(t), t), t, w * x) * x) in ("σ′(w·x)·x", "x·σ′(w·x)")
    assert text(Subs(Derivative(sigma(t), (t, 2)), t, w)) == "σ′′(w)"
    assert text(Subs(Derivative(t**3, t), t, w) * x) == "x·[∂/∂t[t³] at t = w]"
