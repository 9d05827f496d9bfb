"""Reasons and counterexamples read as math: no SymPy syntax, no internal names, 6 digits."""

from __future__ import annotations

import pytest
from sympy import (Derivative, Dummy, Eq, Float, Function, Integer, Rational, Symbol, evaluate,
                   exp, sqrt)

from derive.printing import text
from derive.readable import number, point_text, reason

x, y, t, L = (Symbol(n) for n in "xytL")
mu = Symbol("μ")
f = Symbol("f")


def unevaluated(build):
    with evaluate(False):
        return build()


@pytest.mark.parametrize("expr, shown", [
    (unevaluated(lambda: exp(-t * mu / L)), "e^(-t·μ/L)"),
    (unevaluated(lambda: Symbol("g") / (2 * mu)), "g/(2·μ)"),
    (unevaluated(lambda: 2 * (-x)), "-2·x"),
    (Derivative(Function("f")(x, y), x, y) ** 2, "(∂²/∂x∂y[f(x, y)])²"),
    (Derivative(f, x, y, evaluate=False) ** 2, "(∂²f/∂x∂y)²"),
    (Integer(10) ** -300, "1/10³⁰⁰"),
    (Rational(-1, 10**300), "-1/10³⁰⁰"),
    (Integer(123456789012345678901234), "1.23457·10²³"),
    (Float(1.23456789), "1.23457"),
    (Float(1.5e-7), "1.5·10⁻⁷"),
    (x ** -2, "1/x²"),
    (sqrt(x + 1), "√(1 + x)"),
    (Dummy("t"), "t"),
    (unevaluated(lambda: (1 - mu / L) ** t), "(1 - μ/L)^t"),
    (Eq(x, 1), "x = 1"),
    (x <= y, "x ≤ y"),
], ids=lambda v: str(v)[:30])
def test_text_prints_math_as_a_reader_writes_it(expr, shown):
    assert text(expr) == shown


def test_a_huge_number_prints_without_building_its_digits():
    assert text(Integer(10) ** 100000) == "≈10¹⁰⁰⁰⁰⁰"


@pytest.mark.parametrize("raw, shown", [
    ("an equation condition must have a symbol on the left: Eq(y_1 + y_2 + y_3, 1)",
     "an equation condition must have a symbol on the left: y_1 + y_2 + y_3 = 1"),
    ("the inequality <= breaks", "the inequality ≤ breaks"),
    ("the sign of -1 + a - log(a) >= 0 does not follow", "the sign of -1 + a - log(a) ≥ 0 does not follow"),
    ("residual x**2 - 2*x*_t + exp(-_t)", "residual x² - 2·x·t + e^(-t)"),
    ("differ by ‖g‖²/((2·μ))", "differ by ‖g‖²/(2·μ)"),
    ("at 1.5477264176418153, 1e-130 and 0.872", "at 1.54773, 1·10⁻¹³⁰ and 0.872"),
    ("Ne(x, 0) and Lt(y, 2)", "x ≠ 0 and y < 2"),
    ("held at 16 sampled points (case v>0, x<0)", "held at 16 sampled points (case v>0, x<0)"),
    ("x_1 & ŷ at 50% of points", "x_1 & ŷ at 50% of points"),
])
def test_a_reason_is_cleaned_for_display(raw, shown):
    assert reason(raw) == shown


@pytest.mark.parametrize("value, shown", [
    ("1.5477264176418153", "1.54773"), ("-1.44649949824222", "-1.4465"), ("0.25", "0.25"),
    ("2", "2"), ("1e-130", "1·10⁻¹³⁰"), ("(0.123456789, -2.0)", "(0.123457, -2.0)"), ("1/3", "1/3")])
def test_a_sampled_value_has_six_significant_digits(value, shown):
    assert number(value) == shown


def test_a_counterexample_names_its_variables_then_both_sides():
    point = {"x": "1.5477264176418153", "y": "-1.44649949824222", "lhs": "1.5477264",
             "rhs": "3.0168947", "difference": "-1.47"}
    assert point_text(point) == "x = 1.54773, y = -1.4465: left side 1.54773, right side 3.01689"
