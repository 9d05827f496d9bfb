"""LaTeX → SymPy in derivation files, tested by meaning: each row says what the math means."""

from __future__ import annotations

import pytest
from sympy import (Abs, Derivative, E, Eq, Function, Gt, Integer, Le, Limit, Lt, Max, Ne,
                   Piecewise, Rational, cos, exp, log, pi, sin, sqrt, tanh, true)

from derive.build import Builder
from derive.expressions import rebuild
from derive.errors import InputError
from derive.notation import Inner, ReLU, VectorSymbol, grad_at, sigma, value_at
from derive.printing import TexPrinter
from derive.source.declare import Declarations
from derive.source.latex import parse_expr, parse_relations, parse_step
from derive.source.scope import Scope
from derive.source.text import Text, Where

WHERE = Where("t.md")

DECLARE = {
    "symbols": [r"x, y, v, u, a, b, h, t \in \mathbb{R}", r"\mu, \eta > 0", r"L > 0",
                r"x^* \in \mathbb{R}", r"w, g, w_{t+1}, w_t \in \mathbb{R}^n", r"k \in \mathbb{N}"],
    "functions": [r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"f \colon \mathbb{R}^n \to \mathbb{R}",
                  r"\phi \colon \mathbb{R} \to \mathbb{R}", r"\psi(s) = s^2 + 1"],
    "define": [r"\hat{y} = \sigma(u)", r"\ell = -y \log \hat{y}"],
}


def make_scope(declare=DECLARE, log_base=None):
    scope = Scope(log_base=log_base)
    b = Builder("t", "t")
    d = Declarations(scope, b, WHERE)
    for key, method in (("symbols", d.symbol), ("functions", d.function), ("define", d.define)):
        for n, item in enumerate(declare.get(key, ()), start=1):
            method(Text.at(item, n, 1))
    return scope


SCOPE = make_scope()
S = SCOPE.symbols
x, y, v, u, a, b, h, t = (S[n] for n in "xyvuabht")
mu, eta, L, xstar = S[r"\mu"], S[r"\eta"], S["L"], S["x^{*}"]
w, g, w1, wt = S["w"], S["g"], S["w_{t+1}"], S["w_{t}"]
yh, ell = S[r"\hat{y}"], S[r"\ell"]


def parse(src, scope=SCOPE):
    return parse_expr(Text.at(src, 1, 1), scope, WHERE)


def same(got, want):
    """Equal as mathematics after evaluation (the checkers' reading), not merely printable."""
    return rebuild(got) == rebuild(want)


MEANING = [
    # products: juxtaposition and parentheses are multiplication, never a call or a mixed number
    (r"2\mu(a-b)", 2 * mu * (a - b)),
    (r"x(1-2y)", x * (1 - 2 * y)),
    (r"2(3)", Integer(6)),
    (r"(2)(3)", Integer(6)),
    (r"2\frac{1}{2}", Integer(1)),
    (r"2 \cdot \frac12", Integer(1)),
    (r"\frac{1}{2} x", x / 2),
    (r"0.25x", x / 4),
    (r"x \times y", x * y),
    (r"\left(a + b\right)\bigl[a - b\bigr]", (a + b) * (a - b)),
    (r"x^2 y", x**2 * y),
    (r"x^{2} y^{-1}", x**2 / y),
    (r"a / b", a / b),
    (r"-x^2", -(x**2)),
    # e, exp and logarithms: e^{x} is exp, \log is natural
    (r"e^{x}", exp(x)),
    (r"e^x", exp(x)),
    (r"\mathrm{e}^{-x}", exp(-x)),
    (r"\exp(2x)", exp(2 * x)),
    (r"e", E),
    (r"\log x", log(x)),
    (r"\ln(1 - x)", log(1 - x)),
    (r"\log\left(\frac{1}{y} - 1\right)", log(1 / y - 1)),
    (r"\log_2 x", log(x) / log(2)),
    (r"\pi x", pi * x),
    # declared functions
    (r"\sigma(u)", sigma(u)),
    (r"\sigma(u)(1 - \sigma(u))", sigma(u) * (1 - sigma(u))),
    (r"\frac{1}{1 + e^{-u}}", 1 / (1 + exp(-u))),
    (r"\operatorname{ReLU}(vx)", ReLU(v * x)),
    (r"\mathrm{ReLU}(v x)", ReLU(v * x)),
    (r"\phi(x)", Function("phi")(x)),
    (r"\psi(x + 1)", (x + 1)**2 + 1),
    (r"\tanh^2(x)", tanh(x)**2),
    (r"\tanh(x)^2", tanh(x)**2),
    # a power of a builtin before a single-symbol argument, as written (was refused)
    (r"\sin^2 x + \cos^2 x", sin(x)**2 + cos(x)**2),
    # a builtin written as an operator name is the builtin (it was an unknown name)
    (r"\operatorname{tanh}(x)", tanh(x)),
    (r"\mathrm{exp}(x) + \operatorname{max}(0, x)", exp(x) + Max(0, x)),
    (r"\log^2 x", log(x)**2),
    (r"\sin^2 x^2", sin(x**2)**2),
    (r"\sin x^2", sin(x**2)),
    (r"\sin x \cos x", sin(x) * cos(x)),
    (r"\log x + 1", log(x) + 1),
    (r"\max(0, x)", Max(0, x)),
    (r"|x - y|", Abs(x - y)),
    (r"\sqrt{x^2 + 1}", sqrt(x**2 + 1)),
    (r"\sqrt[3]{x}", x**Rational(1, 3)),
    (r"σ(u)", sigma(u)),
    # names
    (r"\hat y (1 - \hat{y})", yh * (1 - yh)),
    (r"x^* - x^2", xstar - x**2),
    (r"w_{t+1}", w1),
    (r"\mu\eta", mu * eta),
    # derivatives: ∂-fractions with multi-letter names, operators, orders
    (r"\frac{\partial \ell}{\partial \hat y}", Derivative(ell, yh)),
    (r"\frac{\partial^2 \ell}{\partial v^2}", Derivative(ell, (v, 2))),
    (r"\frac{\partial}{\partial v}\left[v^2 x\right]", Derivative(v**2 * x, v)),
    (r"v\frac{\partial}{\partial v}\operatorname{ReLU}(vx)", v * Derivative(ReLU(v * x), v)),
    (r"\frac{d}{dx} x^2", Derivative(x**2, x)),
    (r"\frac{\mathrm{d} \hat y}{\mathrm{d} u}", Derivative(yh, u)),
    (r"\frac{\partial^2 \ell}{\partial u \, \partial v}", Derivative(ell, u, v)),
    # limits and cases
    (r"\lim_{h \to 0^+} \frac{h^2}{h}", Limit(h**2 / h, h, 0, "+")),
    (r"\lim_{h \to 0^{-}} \frac{h^2}{h}", Limit(h**2 / h, h, 0, "-")),
    (r"\lim_{h \downarrow 0} h x + 1", Limit(h * x, h, 0, "+") + 1),
    (r"\lim_{h \to 0} h", Limit(h, h, 0, "+-")),
    (r"\begin{cases} 2vx, & vx > 0 \\ 0, & vx < 0 \end{cases}",
     Piecewise((2 * v * x, Gt(v * x, 0)), (0, Lt(v * x, 0)))),
    (r"\begin{cases} x & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}",
     Piecewise((x, Gt(x, 0)), (0, true))),
    # vectors: ⟨·,·⟩, ‖·‖², function values and gradients
    (r"\langle g, w - w_{t+1} \rangle", Inner(g, w) - Inner(g, w1)),
    (r"\|w - g\|^2", Inner(w - g, w - g)),
    (r"\lVert w \rVert^{2}", Inner(w, w)),
    (r"\|w\|", sqrt(Inner(w, w))),
    (r"f(w) - \frac{\eta}{2}\|\nabla f(w)\|^2",
     value_at("f", w) - eta / 2 * Inner(grad_at("f", w), grad_at("f", w))),
    (r"\nabla f(w_t)^\top (w_{t+1} - w_t)", Inner(grad_at("f", wt), w1 - wt)),
    (r"f(0)", value_at("f", VectorSymbol("0"))),
]


@pytest.mark.parametrize("src,want", MEANING, ids=[m[0] for m in MEANING])
def test_latex_means(src, want):
    got = parse(src)
    assert same(got, want), f"{src} read as {got}, expected {want}"


def test_sigma_is_the_sigmoid_only_where_declared_so():
    as_symbol = make_scope({"symbols": [r"\sigma, u \in \mathbb{R}"]})
    got = parse(r"\sigma(u)", as_symbol)
    s, uu = as_symbol.symbols[r"\sigma"], as_symbol.symbols["u"]
    assert same(got, s * uu) and not got.has(sigma)
    with pytest.raises(InputError, match=r"`\\sigma` is not declared"):
        parse(r"\sigma(u)", make_scope({"symbols": [r"u \in \mathbb{R}"]}))


def test_log_base_follows_the_declaration():
    ten = make_scope({"symbols": [r"x > 0"]}, log_base=10)
    xx = ten.symbols["x"]
    assert same(parse(r"\log x", ten), log(xx) / log(10))
    assert same(parse(r"\ln x", ten), log(xx))


def test_declared_e_is_a_symbol_not_eulers_number():
    sc = make_scope({"symbols": [r"e, x \in \mathbb{R}"]})
    got = parse("e^{x}", sc)
    assert same(got, sc.symbols["e"] ** sc.symbols["x"]) and not got.has(exp)


def test_d_is_a_differential_unless_declared():
    sc = make_scope({"symbols": [r"d, x \in \mathbb{R}"]})
    got = parse(r"\frac{dx}{dx}", sc)
    assert same(got, Integer(1)) and not got.has(Derivative)


def test_a_bound_limit_variable_does_not_leak():
    sc = make_scope({"symbols": [r"x \in \mathbb{R}"]})
    parse(r"\lim_{s \to 0^+} s x", sc)
    assert "s" not in sc.symbols


STEPS = [
    (r"\frac{\partial \ell}{\partial v} = 2", (Derivative(ell, v), "=", Integer(2))),
    (r"= x + 1", (None, "=", x + 1)),
    (r"a \le b", (a, "<=", b)),
    (r"a \leq b", (a, "<=", b)),
    (r"a \geqslant b", (a, ">=", b)),
    (r"a < b", (a, "<", b)),
    (r"\ge 0", (None, ">=", Integer(0))),
    (r"\hat y = y \iff \sigma(v^2 x) = y", (Eq(yh, y), "iff", Eq(sigma(v**2 * x), y))),
    (r"\iff e^{-v^2 x} = \frac{1}{y} - 1", (None, "iff", Eq(exp(-v**2 * x), 1 / y - 1))),
    (r"f(w_{t+1}) \le f(w_t)", (value_at("f", w1), "<=", value_at("f", wt))),
]


@pytest.mark.parametrize("src,want", STEPS, ids=[s[0] for s in STEPS])
def test_step_relations(src, want):
    lhs, rel, rhs = parse_step(Text.at(src, 1, 1), SCOPE, WHERE)
    assert rel == want[1]
    assert (lhs is None) == (want[0] is None)
    if lhs is not None:
        assert same(lhs, want[0])
    assert same(rhs, want[2])


def test_conditions():
    got = parse_relations(Text.at(r"vx > 0, 0 < y < 1, x \ne 0, v = 0", 1, 1), SCOPE, WHERE)
    assert got == [Gt(v * x, 0), Lt(0, y), Lt(y, 1), Ne(x, 0), Eq(v, 0)]
    assert parse_relations(Text.at(r"a \le 1", 1, 1), SCOPE, WHERE) == [Le(a, 1)]


# -- round trip: parse → our LaTeX printer → parse gives the same mathematics ---------------

ROUND_TRIP = [src for src, _ in MEANING if src not in ("e", "σ(u)")]


@pytest.mark.parametrize("src", ROUND_TRIP)
def test_round_trip(src):
    first = parse(src)
    printed = TexPrinter(SCOPE.latex).doprint(first)
    again = parse(printed)
    assert same(again, first), f"{src} → {printed} → {again}"


@pytest.mark.parametrize("src", [s for s, _ in STEPS if not s.startswith(("=", r"\ge", r"\iff"))])
def test_round_trip_steps(src):
    from derive.printing import relation_tex
    lhs, rel, rhs = parse_step(Text.at(src, 1, 1), SCOPE, WHERE)
    left, op, right = relation_tex(lhs, rel, rhs, SCOPE.latex)
    lhs2, rel2, rhs2 = parse_step(Text.at(f"{left} {op} {right}", 1, 1), SCOPE, WHERE)
    assert rel2 == rel and same(lhs2, lhs) and same(rhs2, rhs)
