"""Attacks on the trusted meaning of a step: limits (at ±∞, with parameters), ∂ and its
kinks, ∂/∂σ², case splits (closed intervals, dominance, equations, integers) and the
case bound. Holes are strict xfails; attacks that held are ordinary tests."""

from __future__ import annotations

import textwrap

import pytest
from sympy import Gt, Limit, Symbol, exp, log, oo, sqrt

from derive import kernel
from derive.build import Builder, lim
from derive.checks import check_derivation
from derive.kernel import certificates as C
from derive.kernel.meaning import limits
from derive.source import load_text
from helpers import NEVER, one_step, verdict


def statuses_of(symbols, body, functions=()):
    """The statuses of the steps of a derivation file with these symbols and this body."""
    text = "---\nsymbols:\n" + "".join(f"  - {s}\n" for s in symbols) + \
        ("functions:\n" + "".join(f"  - {f}\n" for f in functions) if functions else "") + \
        "---\n## (a) A\n$$\n" + \
        textwrap.dedent(body).strip() + "\n$$\n"
    return [r.verdict.status for r in check_derivation(load_text(text, "attack.md"))]


# -- limits at ±∞ (a hole, closed here: z = ±1/p with p → 0⁺ in kernel/meaning.limits) ----------

z = Symbol("z", positive=True)


@pytest.mark.parametrize("limit, value", [
    (Limit((z + 1) ** (1 / log(z)), z, oo), exp(1)),          # ∞⁰ put into the body gave 1
    (Limit(z ** (1 / sqrt(log(z))), z, oo), oo),
    (Limit(z / (z + 1), z, oo), 1),                           # ∞/∞ gave nan: a right step unknown
    (Limit(z * exp(-z), z, oo), 0),
    (Limit(exp(z) / (exp(z) + 1), z, -oo), 0),
])
def test_a_limit_at_infinity_is_its_value(limit, value):
    assert limits(limit) == value


def test_a_wrong_limit_at_infinity_is_not_proved():
    got = statuses_of([r"z > 0"], r"""
        \lim_{z \to \infty} (z+1)^{1/\log z} = 1   % limit
        \lim_{z \to \infty} z^{1/\sqrt{\log z}} = 1   % limit
        \lim_{z \to \infty} \frac{z}{z+1} = 1   % limit
        \lim_{z \to \infty} z e^{-z} = 0   % limit
    """)
    assert got[0] not in NEVER and got[1] not in NEVER and got[2:] == ["proved", "proved"], got


# -- limits with a parameter of unknown sign ----------------------------------------------------

# Fixed: a limit is taken only where each parameter has a strict sign (or the body is
# a ratio of polynomials with a nonzero denominator at the point).
def test_a_limit_that_fails_at_one_value_of_a_parameter_is_not_proved():
    b = Builder("lim", "lim")
    x, h = b.var("x"), b.var("h")
    v = verdict(b.build(), lim(x ** h, h, 0), "=", 1, "limit")
    assert v.status not in NEVER, v
    # The same with x > 0 decided is proved; a polynomial body needs no sign.
    b = Builder("lim", "lim")
    x, h = b.var("x", lower=0, lower_open=True), b.var("h")
    assert verdict(b.build(), lim(x ** h, h, 0), "=", 1, "limit").status == "proved"
    b = Builder("lim", "lim")
    x, h = b.var("x"), b.var("h")
    assert verdict(b.build(), lim((x + h) ** 2 / (1 + h ** 2), h, 0), "=", x ** 2, "limit").status == "proved"


def test_limits_that_do_not_exist_are_not_proved():
    b = Builder("lim", "lim")
    h = b.var("h")
    base = b.build()
    assert verdict(base, lim(abs(h) / h, h, 0), "=", 1, "limit").status not in NEVER
    assert verdict(base, lim(1 / h, h, 0), "=", oo, "limit").status not in NEVER
    # A one-sided limit is its side's.
    assert verdict(base, lim(abs(h) / h, h, 0, "+"), "=", 1, "limit").status == "proved"
    assert verdict(base, lim(abs(h) / h, h, 0, "-"), "=", 1, "limit").status == "failed"


# -- ∂, kinks, ∂/∂σ², the chain rule's meaning ----------------------------------------------------

def test_derivatives_through_kinks_and_compounds():
    got = statuses_of([r"x, v, \sigma \in \mathbb{R}", r"s > 0"], r"""
        \frac{\partial |x|}{\partial x} = 1 % derivative for x \ge 0
        \frac{\partial |x|}{\partial x} = 1 % derivative for x > 0
        \frac{\partial \sigma}{\partial \sigma^2} = \frac{1}{2\sigma} % derivative
        \frac{\partial s}{\partial s^2} = \frac{1}{2 s} % derivative
        \frac{\partial s}{\partial s^2} = \frac{1}{s} % derivative
    """)
    # At 0 |x| has no derivative; ∂/∂σ² needs σ ≠ 0.
    assert got[0] not in NEVER and got[1] == "proved" and got[2] not in NEVER
    assert got[3] == "proved" and got[4] == "failed", got


def test_the_chain_rule_meaning_refuses_an_ambiguous_partial():
    b = Builder("d", "d")
    v, x = b.var("v"), b.var("x")
    u = b.define("u", v * x)
    from derive.build import D
    base = b.build()
    assert verdict(base, D(u + x, u), "=", 1, "derivative").status not in NEVER
    assert verdict(base, D(u ** 2, v), "=", 2 * v * x ** 2, "chain rule").status == "proved"
    assert verdict(base, D(u ** 2, v), "=", 2 * v * x, "chain rule").status == "failed"


# -- case splits ----------------------------------------------------------------------------

def test_case_splits_keep_every_point():
    got = statuses_of([r"x, y \in \mathbb{R}", r"a, b > 0", r"\eta \in (0, 1]", r"n \in \mathbb{N}"], r"""
        \eta < 1 % sign
        \eta \le 1 % sign
        a > b % sign for a \ge b
        a \ge b % sign for a \ge b
        x^2 = 5 % algebra for x = 2
        x^2 = 4 % algebra for x = 2
        (-1)^{n} = 1 % algebra
        (-1)^{2n} = 1 % algebra
        n \ge 1 % sign
        \sqrt{x^2} = x % algebra for x^2 y > 0, y > 0
        \sqrt{x^2} = x % algebra for x y \ge 0, y > 0
    """)
    wrong = [0, 2, 4, 6, 8, 9]                  # η = 1, a = b, x = 2, n odd, n = 0, x < 0
    right = [1, 3, 5, 7, 10]
    assert all(got[i] not in NEVER for i in wrong), got
    assert all(got[i] == "proved" for i in right), got


def test_more_than_64_cases_is_unknown_not_a_blind_product():
    b = Builder("c", "c")
    xs = [b.var(f"x{i}") for i in range(5)]
    conditions = tuple(Gt(xs[i] * xs[i + 1], 0) for i in range(4)) + (Gt(xs[4] * xs[0] * xs[1], 0),)
    derivation, link = one_step(b.build(), xs[0] ** 2, ">=", 0, "sign", when=conditions)
    with pytest.raises(Exception, match="sign cases"):
        kernel.world_for(derivation, link.part, link.step)


def test_a_certificate_for_fewer_cases_than_the_world_is_refused():
    b = Builder("c", "c")
    x, y = b.var("x"), b.var("y")
    derivation, link = one_step(b.build(), abs(x * y), "=", x * y, "algebra", when=(Gt(x * y, 0),))
    world = kernel.world_for(derivation, link.part, link.step)
    assert len(world.cases) == 2                              # x > 0, y > 0 and x < 0, y < 0
    whole = C.Zero(tuple((label, "expand") for label in world.labels))
    assert kernel.decide(derivation, link, kernel.Ledger(), whole).status == "proved"
    half = C.Zero(((world.labels[0], "expand"),))
    assert kernel.decide(derivation, link, kernel.Ledger(), half).status not in NEVER


def test_an_equation_with_an_integer_variable_keeps_it_an_integer():
    got = statuses_of([r"a \in \mathbb{R}", r"z \in \mathbb{Z}"], r"""
        \cos(2 \pi a) = 1 % algebra for z = a
    """)
    assert got[0] != "failed", got


def test_an_implication_is_its_conclusion_under_its_premise():
    got = statuses_of([r"x, a, b \in \mathbb{R}"], r"""
        x > 1 \implies x^2 > 1 % sign
        x \ge 1 \implies x^2 > 1 % sign
        x > -1 \implies x^2 > 1 % sign
        x = 2 \implies x^3 = 4 % algebra
        x = 2 \implies x^3 = 8 % algebra
        a + b = 1 \implies a = 1 - b % algebra
        x^2 < 0 \implies x = 5 % algebra
    """)
    assert got[0] == "proved" and got[4] == "proved" and got[5] == "proved", got
    assert all(got[i] not in NEVER for i in (1, 2, 3, 6)), got


# -- difference quotients of entire functions, for every value of the parameters -------------

def test_a_difference_quotient_of_entire_functions_is_its_derivative_for_every_parameter():
    got = statuses_of([r"x, z \in \mathbb{R}", r"h \in \mathbb{R}"], r"""
        \lim_{h \to 0} \frac{e^{x h} - 1}{h} = x   % limit
        \lim_{h \to 0} \frac{\sigma(z + h) - \sigma(z)}{h} = \sigma(z)(1 - \sigma(z))   % limit
        \lim_{h \to 0} \frac{\cos(x + h) - \cos(x)}{h} = -\sin(x)   % limit
        \lim_{h \to 0} \frac{\sin(x h)}{h} = x   % limit
        \lim_{h \to 0} \frac{\sigma(z + h) - \sigma(z)}{h} = \sigma(h)(1 - \sigma(h))   % limit
        \lim_{h \to 0} \frac{e^{x h} - 1}{h} = 1   % limit
        \lim_{h \to 0} \frac{x h + h^2}{h^2} = 1   % limit
        \lim_{h \to 0} \frac{\sin(h)}{x h} = \frac{1}{x}   % limit
        \lim_{h \to 0} \frac{|x + h| - |x|}{h} = 1   % limit
    """, functions=[r"\sigma(t) = \frac{1}{1 + e^{-t}}"])
    assert got[:4] == ["proved"] * 4, got
    assert got[4] == "failed" and got[5] == "failed", got           # σ(h) for σ(z); x dropped
    assert all(g not in NEVER for g in got[6:]), got                # ∞ but 1 at x = 0; 1/x at x = 0; |·|


def test_a_limit_through_cos_is_a_real_number_again():
    """limit() takes cos through exp(i·x); the value is written back in cos and sin, so a
    wrong value is refuted at a point instead of staying unknown."""
    got = statuses_of([r"x, h \in \mathbb{R}"], r"""
        \lim_{h \to 1} \frac{1 - \cos h}{h^2} = 1 - \cos 1   % limit
        \lim_{h \to 1} \frac{1 - \cos h}{h^2} = \frac{1}{2}   % limit
        \lim_{h \to 0} \frac{\cos(x + h) - \cos(x)}{h} = -\sin(x)   % limit
        \lim_{h \to 0} \frac{\cos(x + h) - \cos(x)}{h} = \sin(x)   % limit
    """)
    assert got == ["proved", "failed", "proved", "failed"], got
