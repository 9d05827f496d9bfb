"""Matrices in derivation files, by meaning; dimensions that do not agree are input errors where written."""

from __future__ import annotations

import pytest
from sympy import (Derivative, Determinant, ImmutableMatrix, Inverse, MatMul, MatrixSymbol, Trace,
                   Transpose)

from derive.build import Builder
from derive.errors import InputError
from derive.matrices import Gradient, Hessian, explicit
from derive.source.declare import Declarations
from derive.source.latex import parse_expr, parse_step
from derive.source.scope import Scope
from derive.source.text import Text, Where

WHERE = Where("t.md")


def make():
    scope, builder = Scope(), Builder("t", "t")
    d = Declarations(scope, builder, WHERE)
    for n, item in enumerate([r"a, b, c, d, x, y \in \mathbb{R}"], 1):
        d.symbol(Text.at(item, n, 1))
    d.function(Text.at(r"f(x, y) = x^2 y + e^{xy}", 2, 1))
    for n, item in enumerate([r"u = \begin{pmatrix} a \\ b \end{pmatrix}",
                              r"A = \begin{bmatrix} a & b \\ c & d \end{bmatrix}"], 3):
        d.define(Text.at(item, n, 1))
    return scope, builder


SCOPE, BUILDER = make()
a, b, c, d, x, y = (SCOPE.symbols[s] for s in "abcdxy")
DEFS = dict(dict(BUILDER.extra)["matrices"])
u, A = SCOPE.symbols["u"], SCOPE.symbols["A"]


def parse(src):
    return parse_expr(Text.at(src, 1, 1), SCOPE, WHERE)


def value(src):
    return explicit(parse(src), DEFS)


MEANING = [
    (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", ImmutableMatrix([[a, b], [c, d]])),
    (r"\begin{bmatrix} 1 \\ 2 \end{bmatrix}", ImmutableMatrix([[1], [2]])),
    (r"u^\top u", a ** 2 + b ** 2),                                     # a 1×1 product is its entry
    (r"u u^\top", ImmutableMatrix([[a ** 2, a * b], [a * b, b ** 2]])),
    (r"A u", ImmutableMatrix([[a ** 2 + b ** 2], [a * c + b * d]])),
    (r"2A - A", ImmutableMatrix([[a, b], [c, d]])),
    (r"\det A", a * d - b * c),
    (r"\operatorname{tr}(A)", a + d),
    (r"\det \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", -2),
    (r"A^\top", ImmutableMatrix([[a, c], [b, d]])),
]


@pytest.mark.parametrize("src, want", MEANING, ids=[m[0] for m in MEANING])
def test_meaning(src, want):
    got = value(src)
    assert (got - want).applyfunc(lambda e: e.expand()) == ImmutableMatrix.zeros(*want.shape) \
        if hasattr(want, "shape") else (got - want).expand() == 0


def test_inverse_and_structure_kept_for_printing():
    assert isinstance(parse(r"A^{-1}"), Inverse)
    assert explicit(parse(r"\begin{pmatrix} 2 & 0 \\ 0 & 4 \end{pmatrix}^{-1}")) == \
        ImmutableMatrix([[2, 0], [0, 4]]).inv()
    assert isinstance(parse(r"u^\top"), Transpose) and isinstance(parse(r"\det A"), Determinant)
    assert isinstance(parse(r"\operatorname{tr} A"), Trace)
    assert isinstance(parse(r"u u^\top"), MatMul)
    assert isinstance(u, MatrixSymbol) and u.shape == (2, 1)


def test_gradient_and_hessian_of_a_formula():
    g, h = parse(r"\nabla f(x, y)"), parse(r"\nabla^2 f(0, 0)")
    assert isinstance(g, Gradient) and g.shape == (2, 1)
    assert isinstance(h, Hessian) and h.shape == (2, 2)
    assert isinstance(g.as_explicit()[0], Derivative)
    mixed = h.as_explicit()[0, 1]                      # ∂²(x²y + e^{xy})/∂x∂y, then at (0, 0)
    assert mixed.args[0].doit().xreplace({x: 0, y: 0}) == 1


def test_a_step_between_matrices_and_psd():
    lhs, rel, rhs = parse_step(Text.at(r"u u^\top \succeq 0", 1, 1), SCOPE, WHERE)
    assert rel == ">=" and lhs.shape == (2, 2)


ERRORS = [
    (r"u u", r"the dimensions do not agree: a 2×1 matrix times a 2×1 matrix"),
    (r"A + u", r"the dimensions do not agree: a 2×2 matrix plus a 2×1 matrix"),
    (r"A + 1", r"a matrix plus a number"),
    (r"\frac{1}{A}", r"a matrix in a denominator"),
    (r"u^{-1}", r"only square matrices have powers"),
    (r"\det u", r"det takes a square matrix"),
    (r"\begin{pmatrix} 1 & 2 \\ 3 \end{pmatrix}", r"rows of this .* have different lengths"),
    (r"\begin{vmatrix} 1 & 2 \\ 3 & 4 \end{vmatrix}", r"write a pmatrix"),
    (r"\nabla^3 f(x, y)", r"only \\nabla and \\nabla\^2"),
    (r"\nabla f(x)", r"takes 2 arguments, got 1"),
]


@pytest.mark.parametrize("src, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_refused_with_a_message(src, message):
    with pytest.raises(InputError, match=message) as info:
        parse(src)
    assert info.value.line == 1 and info.value.column is not None


STEP_ERRORS = [
    (r"u = A", r"the two sides have different dimensions \(2×1 and 2×2\)"),
    (r"A = 1", r"the two sides have different dimensions \(2×2 and 1×1\)"),
    (r"A \ge 0", r"between matrices: write \\succeq"),
    (r"A > 0", r"a strict inequality between matrices"),
    (r"a \succeq b", r"compares matrices: write \\ge"),
    (r"A \succeq u", r"different dimensions \(2×2 and 2×1\)"),
    (r"A \succeq 1", r"compared with a matrix of its dimensions or with 0"),
]


@pytest.mark.parametrize("src, message", STEP_ERRORS, ids=[e[0] for e in STEP_ERRORS])
def test_steps_refused(src, message):
    with pytest.raises(InputError, match=message):
        parse_step(Text.at(src, 1, 1), SCOPE, WHERE)


def test_steps_allowed():
    for src in (r"A \succeq 0", r"u^\top u = a^2 + b^2", r"u u^\top \succeq 0", r"A = A^\top"):
        parse_step(Text.at(src, 1, 1), SCOPE, WHERE)


def test_a_sum_of_matrices_is_refused():
    with pytest.raises(InputError, match="of matrices is not supported"):
        make_sum = r"\sum_{i=1}^{2} \nabla f(x, y)"
        parse(make_sum)
