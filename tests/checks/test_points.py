"""Function values at compound points: f(p) and ∇f(p) compare by what p is (definitions and the
step's equations put in), never by how p is printed; a different point stays different."""

from __future__ import annotations

import pickle

import pytest
from sympy import Eq, Rational, Symbol

from derive.checks import check_derivation
from derive.kernel import World
from derive.kernel.points import canonical
from derive.notation import PointGrad, PointValue, VectorSymbol, grad_at, value_at
from derive.source import load_text

HEAD = r"""---
id: points
symbols:
  - L, \eta > 0
  - w, v \in \mathbb{R}^n
functions:
  - f \colon \mathbb{R}^n \to \mathbb{R}
define:
  - w^+ = w - \eta \nabla f(w)
hypotheses:
  - smooth(a, b \in \mathbb{R}^n): f(a) \le f(b) + \langle \nabla f(b), a - b \rangle + \frac{L}{2} \|a - b\|^2
  - sharp(a \in \mathbb{R}^n): f(a) = f(w) - \frac{1}{2L} \|\nabla f(w)\|^2
---

$$
"""


def verdict(line):
    d = load_text(HEAD + line + "\n$$\n", "points.md")
    return [r.verdict for r in check_derivation(d)][-1]


DESCENT = r"f(w - \frac{1}{L}\nabla f(w)) \le f(w) - \frac{1}{2L}\|\nabla f(w)\|^2"

RIGHT = [
    (DESCENT + r"   % by smooth(w - \eta\nabla f(w), w) for \eta = \frac{1}{L}", "proved"),
    (DESCENT + r"   % by smooth(w^+, w) for \eta = \frac{1}{L}", "proved"),
    (DESCENT + r"   % by smooth(w - \frac{1}{L}\nabla f(w), w)", "proved"),
    (r"f(w^+) \le f(w) - \eta\|\nabla f(w)\|^2 + \frac{L\eta^2}{2}\|\nabla f(w)\|^2"
     r"   % by smooth(w - \eta \nabla f(w), w)", "proved"),
    (r"f(w^+) \le f(w) + \langle \nabla f(w), w^+ - w \rangle + \frac{L}{2}\|w^+ - w\|^2"
     r"   % hypothesis smooth(w - \eta \nabla f(w), w)", "cited"),
    (r"f(w - \frac{1}{L}\nabla f(w)) = f(w) - \frac{1}{2L}\|\nabla f(w)\|^2"
     r"   % hypothesis sharp(w^+) for \eta = \frac{1}{L}", "cited"),
]


@pytest.mark.parametrize("line, expected", RIGHT, ids=[r[0].split("%")[1].strip() for r in RIGHT])
def test_values_at_compound_points_meet_by_meaning(line, expected):
    v = verdict(line)
    assert v.status == expected, (v.status, v.reason)


WRONG = [
    # (what is wrong, step): the instance is at another point, never proved
    ("factor in the point", DESCENT + r"   % by smooth(w - 2\eta\nabla f(w), w) for \eta = \frac{1}{L}"),
    ("sign in the point", DESCENT + r"   % by smooth(w + \eta\nabla f(w), w) for \eta = \frac{1}{L}"),
    ("no η = 1/L", DESCENT + r"   % by smooth(w - \eta\nabla f(w), w)"),
    ("another base point", DESCENT + r"   % by smooth(w^+, v) for \eta = \frac{1}{L}"),
    ("exponent of L", r"f(w - \frac{1}{L^2}\nabla f(w)) \le f(w) - \frac{1}{2L}\|\nabla f(w)\|^2"
                      r"   % by smooth(w^+, w) for \eta = \frac{1}{L}"),
    ("direction", r"f(w - \frac{1}{L}\nabla f(w)) \ge f(w) - \frac{1}{2L}\|\nabla f(w)\|^2"
                  r"   % by smooth(w^+, w) for \eta = \frac{1}{L}"),
]


@pytest.mark.parametrize("what, line", WRONG, ids=[w[0] for w in WRONG])
def test_values_at_other_points_stay_other(what, line):
    v = verdict(line)
    assert v.status not in ("proved", "cited", "checked"), (v.status, v.reason)


def test_a_value_keeps_its_point_and_its_name():
    w = VectorSymbol("w")
    eta = Symbol("η", positive=True)
    p = w - eta * grad_at("f", w)
    a = value_at("f", p)
    assert isinstance(a, PointValue) and a.point == p and a.name == f"f({p})"
    assert isinstance(grad_at("f", p), PointGrad) and isinstance(grad_at("f", p), VectorSymbol)
    assert value_at("f", p) == a and hash(value_at("f", p)) == hash(a)
    assert value_at("f", w) != value_at("g", w) and value_at("f", w) != a
    again = pickle.loads(pickle.dumps(a))
    assert again == a and again.name == a.name and again.point == a.point


def test_points_are_canonical_only_through_what_the_world_says():
    from derive.build import Builder
    b = Builder("p", "points")
    L = b.var("L", lower=0)
    eta = b.var("η", lower=0)
    w = b.vector("w")
    d = b.build()
    at_eta = value_at("f", w - eta * grad_at("f", w))
    at_l = value_at("f", w - grad_at("f", w) / L)
    assert canonical(World(d, (Eq(eta, 1 / L),)), at_eta) == canonical(World(d, ()), at_l)
    assert canonical(World(d, ()), at_eta) != canonical(World(d, ()), at_l)
    assert canonical(World(d, (Eq(eta, Rational(1, 2) / L),)), at_eta) != canonical(World(d, ()), at_l)
