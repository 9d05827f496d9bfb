"""Witnesses that honour a minimiser stated as a hypothesis, G(m) ≤ G(p) for every point p."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from sympy import Ge, Le

from derive.build import Builder, use
from derive.notation import ZERO, norm_sq, value_at
from helpers import verdict

F = "ℒ"


def Lv(p):
    return value_at(F, p)


b = Builder("minimisers", "minimisers stated as hypotheses")
lam = b.var("λ", lower=0)
x, c, m, n = b.vector("x"), b.vector("c"), b.vector("m"), b.vector("n")


def G(p):
    return Lv(p) + lam / 2 * norm_sq(p)


def H(p):
    return Lv(p) + norm_sq(p - c)


Gm = b.define("G(m)", G(m))
# m minimises G (its value a definition, expanded before it is compared with G(p));
# n minimises H, written the other way round and about a second point c.
b.schema("m minimises G", lambda p: Le(Gm, G(p)))
b.schema("n minimises H", lambda p: Ge(H(p), H(n)))
WORLD = b.build()


# -- the witness, read back: its numbers are checked here, not trusted -------------------

def _vec(shown):
    """'(0, 20/23, -1.5), the minimiser of …' -> [0, 20/23, -3/2]."""
    inside = re.match(r"^\(([^)]*)\)", shown).group(1)
    return [Fraction(v.strip()) for v in inside.split(",")]


def _read(found):
    """ℒ as (eigenvalues, b), the points and λ that a witness shows."""
    quad = found[f"{F}(w)"]
    eig = [Fraction(v) for v in re.search(r"A = diag\(([^)]*)\)", quad).group(1).split(",")]
    lin = [Fraction(v) for v in re.search(r"b = \(([^)]*)\)", quad).group(1).split(",")]
    points = {k: _vec(v) for k, v in found.items() if v.startswith("(")}
    return (eig, lin), points, Fraction(found["λ"]) if "λ" in found else None


def _f(quad, w):
    eig, lin = quad
    return sum(e * a * a / 2 + bi * a for e, a, bi in zip(eig, w, lin))


def _dot(u, v):
    return sum(a * b_ for a, b_ in zip(u, v))


def _sub(u, v):
    return [a - b_ for a, b_ in zip(u, v)]


def _is_minimiser(quad, curvature, linear, at):
    """∇(ℒ(p) + curvature/2·‖p‖² + ⟨linear, p⟩) = 0 at ``at``, its Hessian positive definite:
    ``at`` is the unique minimiser."""
    eig, lin = quad
    return all(e + curvature > 0 for e in eig) and \
        all((e + curvature) * a + bi + li == 0 for e, a, bi, li in zip(eig, at, lin, linear))


def _minimises_g(quad, P, lam_):
    return _is_minimiser(quad, lam_, [0] * len(P["m"]), P["m"])


def _minimises_h(quad, P, lam_):
    return _is_minimiser(quad, 2, [-2 * a for a in P["c"]], P["n"])


def _g(quad, P, lam_, p):
    return _f(quad, p) + lam_ / 2 * _dot(p, p)


ORIGIN = [Fraction(0)] * 3

# (what, lhs, rel, rhs, cited at, the step's sides at the witness)
FALSE = [
    ("G(m) below ℒ(x): the λ term dropped on the right", Gm, "<=", Lv(x), use("m minimises G", x),
     lambda q, P, l_: (_g(q, P, l_, P["m"]), _f(q, P["x"]))),
    ("m minimises ℒ itself", Lv(m), "<=", Lv(x), use("m minimises G", x),
     lambda q, P, l_: (_f(q, P["m"]), _f(q, P["x"]))),
    ("λ/2 became λ/4 on the right", Gm, "<=", Lv(x) + lam / 4 * norm_sq(x), use("m minimises G", x),
     lambda q, P, l_: (_g(q, P, l_, P["m"]), _f(q, P["x"]) + l_ / 4 * _dot(P["x"], P["x"]))),
    ("ℒ(m) above ℒ(0), cited at 0", Lv(m), ">=", Lv(ZERO), use("m minimises G", ZERO),
     lambda q, P, l_: (_f(q, P["m"]), _f(q, ORIGIN))),
    ("n minimises ℒ itself (the ≥ form, about c)", Lv(x), ">=", Lv(n), use("n minimises H", x),
     lambda q, P, l_: (_f(q, P["x"]), _f(q, P["n"]))),
]


@pytest.mark.parametrize("what, lhs, rel, rhs, cite, sides", FALSE, ids=[r[0] for r in FALSE])
def test_a_false_step_is_refuted_by_a_witness_whose_points_are_the_minimisers(what, lhs, rel, rhs, cite, sides):
    v = verdict(WORLD, lhs, rel, rhs, "hypothesis", uses=[cite])
    assert v.status == "failed", (v.status, v.reason)
    found = v.counterexample
    # Both hypotheses are in scope (one cited, one not): both points are placed.
    for point, schema in (("m", "m minimises G"), ("n", "n minimises H")):
        assert re.fullmatch(r"\(.*\), the minimiser of p ↦ .*\(" + schema + r"\)", found[point]), found
    quad, P, lam_ = _read(found)
    P = {k: v_ + [Fraction(0)] * (3 - len(v_)) for k, v_ in P.items()}     # the origin's dimension
    quad = tuple(list(a) + [Fraction(0)] * (3 - len(a)) for a in quad)
    assert _minimises_g(quad, P, lam_) and _minimises_h(quad, P, lam_), found
    left, right = sides(quad, P, lam_)
    assert (left > right) if rel == "<=" else (left < right), (left, right, found)
    assert (Fraction(found["lhs"]), Fraction(found["rhs"])) == (left, right), found


TRUE = [
    ("the instance at x", Gm, "<=", G(x), "hypothesis", [use("m minimises G", x)]),
    ("the instance at 0: G(m) ≤ ℒ(0)", Gm, "<=", Lv(ZERO), "hypothesis", [use("m minimises G", ZERO)]),
    ("a weakening: ℒ(m) ≤ G(x)", Lv(m), "<=", G(x), "hypothesis", [use("m minimises G", x)]),
    ("the ≥ form at x", H(x), ">=", H(n), "hypothesis", [use("n minimises H", x)]),
    ("a weakening: ℒ(n) ≤ ℒ(c) = H(c)", Lv(n), "<=", Lv(c), "hypothesis", [use("n minimises H", c)]),
]


@pytest.mark.parametrize("what, lhs, rel, rhs, kind, uses", TRUE, ids=[r[0] for r in TRUE])
def test_a_true_step_about_the_minimiser_is_not_failed(what, lhs, rel, rhs, kind, uses):
    v = verdict(WORLD, lhs, rel, rhs, kind, uses=uses)
    assert v.status != "failed", (v.status, v.reason, v.counterexample)


# -- no minimiser: the hypothesis says what no quadratic meets ----------------------------

nb = Builder("maximiser", "a point that maximises the norm")
k, y = nb.vector("k"), nb.vector("y")
nb.schema("k maximises ‖·‖²", lambda p: Le(-norm_sq(k), -norm_sq(p)))
NO_MINIMISER = nb.build()


def test_an_objective_that_is_not_convex_places_no_point():
    """−‖p‖² is read as G(k) ≤ G(p), but no point minimises it: the draw is skipped, and
    the step (vacuously true: no vector maximises the norm) stays unknown."""
    import random
    from derive.checks import holds, minimisers
    from derive.checks.points import Context
    from derive.checks.witness import _World
    from helpers import goal
    cite = use("k maximises ‖·‖²", y)
    ctx = Context(goal(NO_MINIMISER, Lv(k), "<=", Lv(y) - 1, "hypothesis", uses=[cite]).world)
    found = minimisers.from_schemas(ctx, holds.named_schemas(ctx, [cite]), lambda e: holds.expanded(ctx, e))
    assert list(found) == ["k"]
    draw = _World(ctx, {}, {F}, {}, 2, random.Random(0), found)
    with pytest.raises(holds.Unknown, match="a minimiser of a function that has none"):
        draw.vector("k")
    v = verdict(NO_MINIMISER, Lv(k), "<=", Lv(y) - 1, "hypothesis", uses=[cite])
    assert v.status == "unknown", (v.status, v.reason, v.counterexample)
