"""Where a witness puts a minimiser: ∇f(m) = 0 among the equations, or G(m) ≤ G(p) for every point p."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sympy import Symbol, expand, sympify, true

from ..notation import Inner, VectorSymbol

VALUE = re.compile(r"^(∇?)([^()∇]+)\((.*)\)$")
# The point a schema is probed at, and the one whose coordinates the objective is solved
# for: names no author writes (a witness hides points named ξ… from its description).
_PROBE, _FREE = "ξ_probe", "ξ_min"


@dataclass(frozen=True)
class Minimiser:
    """A point the hypotheses say minimises something: ``head``'s quadratic (∇head(m) = 0),
    else the objective Y of a schema X ≤ Y(p) with X = Y(m) (expanded, at the point
    ξ_min), its words in ``of``."""

    of: str
    head: str | None = None
    objective: object = None
    points: frozenset = frozenset()     # the other points the objective names


def from_equations(ctx) -> dict:
    """Point name -> Minimiser for each equation ∇f(p) = 0."""
    out = {}
    for key, value in ctx.equations.items():
        m = VALUE.match(getattr(key, "name", ""))
        if m and m.group(1) and (value == 0 or getattr(value, "name", "") == "0"):
            out[m.group(3)] = Minimiser(m.group(2), head=m.group(2))
    return out


def from_schemas(ctx, schemas, expanded) -> dict:
    """Point name -> Minimiser for each one-point schema whose instance at a fresh p is
    X ≤ Y(p) (or Y(p) ≥ X) with X free of p and equal, definitions expanded, to Y(m) for
    a free point m. In name order, the first schema that names a point wins."""
    from ..printing import text
    defined = {getattr(k, "name", None) for k in ctx.defs}
    out = {}
    for _, schema in sorted({s.name: s for s, _ in schemas}.items()):
        sides = _sides(schema, VectorSymbol(_PROBE))
        if sides is None:
            continue
        try:
            x = expanded(sides[0])
        except Exception:      # noqa: BLE001 - a schema we cannot read names no minimiser
            continue
        if _PROBE in str(x):
            continue
        for m in sorted(_point_names(x) - defined):
            at_m = _sides(schema, VectorSymbol(m))
            try:
                same = at_m is not None and expand(expanded(at_m[1]) - x) == 0
            except Exception:      # noqa: BLE001
                same = False
            if not same or m in out:
                continue
            at_free, shown = _sides(schema, VectorSymbol(_FREE)), _sides(schema, VectorSymbol("p"))
            if at_free is not None:
                others = _point_names(expanded(sides[1])) - {_PROBE, m}
                words = f"p ↦ {text(shown[1])} ({schema.name})" if shown else schema.name
                out[m] = Minimiser(words, objective=expanded(at_free[1]), points=frozenset(others))
                break
    return out


def _sides(schema, point):
    """(X, Y) of the schema's instance at ``point`` read as X ≤ Y, or None."""
    from sympy import GreaterThan, LessThan
    from sympy.core.parameters import evaluate
    try:
        r = schema.instance(point)
        if r is true:
            with evaluate(False):       # G(m) ≤ G(m) at m itself is True: keep its sides
                r = schema.instance(point)
    except Exception:      # noqa: BLE001 - not a schema of one point
        return None
    if isinstance(r, LessThan):
        return r.lhs, r.rhs
    if isinstance(r, GreaterThan):
        return r.rhs, r.lhs
    return None


def _point_names(expr) -> set:
    expr = sympify(expr)
    names = set()
    for s in expr.free_symbols:
        if isinstance(s, VectorSymbol):
            names.add(s.name)
        elif isinstance(s, Symbol):
            m = VALUE.match(s.name)
            if m and re.fullmatch(r"[^\s+\-*/()]+", m.group(3)):
                names.add(m.group(3))
    for atom in expr.atoms(Inner):
        names |= {v.name for v in atom.args if isinstance(v, VectorSymbol)}
    return names


def place(world, minimiser):
    """The minimiser's coordinates under the world's quadratics, exact (a linear solve in
    at most 3 unknowns); None when the function has none (not convex, unbounded below,
    or not quadratic in the point)."""
    if minimiser.head is not None:
        eig, b = world.quadratics[minimiser.head]
        if any(e == 0 for e in eig):
            return None
        return [-bi / e for bi, e in zip(b, eig)]
    from sympy import Matrix, Poly, hessian, linsolve
    coords = [Symbol(f"{_FREE}_{j}", real=True) for j in range(world.dim)]
    saved = getattr(world, "coords", set())
    world.points[_FREE], world.vectors[_FREE] = VectorSymbol(_FREE), coords
    world.coords = set(saved) | set(coords)
    try:
        y = expand(world.scalar(minimiser.objective))
    finally:
        world.coords = saved
        world.points.pop(_FREE, None)
        world.vectors.pop(_FREE, None)
    if y.free_symbols - set(coords) or Poly(y, *coords).total_degree() > 2:
        return None
    H = hessian(y, coords)
    if not H.is_positive_semidefinite:
        return None                     # not convex: no minimiser
    at0 = {x: 0 for x in coords}
    solutions = linsolve((H, Matrix([-y.diff(x).subs(at0) for x in coords])), coords)
    if not solutions:
        return None                     # unbounded below along a flat direction
    # A flat direction leaves a line of minimisers (ℒ ≡ 0 is minimised everywhere): any
    # of them will do; the one with its free coordinates at 0.
    return [v.subs({s: 0 for s in v.free_symbols}) for v in next(iter(solutions))]
