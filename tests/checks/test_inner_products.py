"""Inner products: ⟨·,·⟩ bilinear and symmetric, ‖a‖² ≥ 0, nothing else assumed."""

from __future__ import annotations

import pytest

from sympy import S, evaluate
from derive.expressions import rebuild
from derive.notation import ZERO, Inner, norm_sq
from world_inequalities import (
    L, a, c, g, mu, v, w, x)


# -- ⟨·,·⟩ normalisation --------------------------------------------------------

INNER = [
    ("bilinear on the left", Inner(2 * a + 3 * c, g), 2 * Inner(a, g) + 3 * Inner(c, g)),
    ("bilinear on the right", Inner(g, 2 * a - c), 2 * Inner(a, g) - Inner(c, g)),
    ("scalars come out", Inner(mu * a, c / L), mu / L * Inner(a, c)),
    ("symmetric", Inner(c, a), Inner(a, c)),
    ("‖a − c‖² expands", norm_sq(a - c), norm_sq(a) - 2 * Inner(a, c) + norm_sq(c)),
    ("‖x − g/μ − x‖² = ‖g‖²/μ²", norm_sq(v - g / mu - v), norm_sq(g) / mu**2),
    ("‖x − g/L − x‖² with L", norm_sq(v - g / L - v), norm_sq(g) / L**2),
    ("⟨0, a⟩ = 0 (the zero vector)", Inner(ZERO, a), S.Zero),
    ("⟨a, 0 + c⟩ = ⟨a, c⟩", Inner(a, ZERO + c), Inner(a, c)),
    ("‖0 − w‖² = ‖w‖²", norm_sq(ZERO - w), norm_sq(w)),
    ("⟨a − a, c⟩ = 0", Inner(a - a, c), S.Zero),
    ("⟨a, 0⟩ = 0 (the number 0)", Inner(a, 0), S.Zero),
]


@pytest.mark.parametrize("what, expr, expected", INNER, ids=[row[0] for row in INNER])
def test_inner_normalises(what, expr, expected):
    assert (expr - expected).expand() == 0
    assert expr.expand() == expected.expand()


def test_inner_written_unevaluated_normalises_when_rebuilt():
    with evaluate(False):
        written = norm_sq(v - g / mu - v)
    assert written != norm_sq(g) / mu**2          # kept as the author wrote it
    assert rebuild(written) == norm_sq(g) / mu**2


def test_inner_argument_order_is_canonical():
    assert Inner(c, a).args == Inner(a, c).args


@pytest.mark.parametrize("args", [(a * c, g), (x, a), (a + x, c)], ids=["a·c", "scalar", "a + scalar"])
def test_inner_of_a_non_linear_vector_expression_is_an_error(args):
    with pytest.raises(TypeError, match="not a linear vector expression"):
        Inner(*args)


def test_only_a_square_is_known_nonnegative():
    assert norm_sq(a).is_nonnegative is True
    assert (-norm_sq(a)).is_nonpositive is True
    assert Inner(a, c).is_nonnegative is None
