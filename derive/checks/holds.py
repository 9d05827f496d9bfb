"""Whether a relation holds for a witness: at its values, or at every point, shown exactly."""

from __future__ import annotations

from sympy import Symbol, sympify

from ..expressions import rebuild
from ..notation import VectorSymbol, linear_parts

class Unknown(Exception):
    """A name the witness cannot give a value (a point written in a way we cannot read)."""


def expanded(ctx, expr):
    """Definitions expanded and equations applied, as the inequality checkers see it."""
    expr = rebuild(sympify(expr))
    if ctx.equations:
        expr = expr.xreplace(ctx.equations)
    expr = rebuild(ctx.expand_defs(expr))
    if ctx.equations:
        expr = rebuild(expr.xreplace(ctx.equations))
    return expr


def gap(lhs, rel, rhs):
    """(g, kind): the relation is g ≥ 0 ("weak"), g > 0 ("strict") or g = 0 ("equal")."""
    if rel in ("<=", "<"):
        return rhs - lhs, "strict" if rel == "<" else "weak"
    if rel in (">=", ">"):
        return lhs - rhs, "strict" if rel == ">" else "weak"
    return lhs - rhs, "equal"


def relation(r):
    from sympy import Eq, GreaterThan, LessThan, StrictGreaterThan, StrictLessThan
    op = {LessThan: "<=", StrictLessThan: "<", GreaterThan: ">=", StrictGreaterThan: ">", Eq: "="}
    return r.lhs, op[type(r)], r.rhs


def sign(value):
    value = sympify(value)
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    return None


def holds(value, kind) -> bool | None:
    s = sign(value)
    if s is None:
        return None
    return {"weak": s >= 0, "strict": s > 0, "equal": s == 0}[kind]


def is_vector(a) -> bool:
    if isinstance(a, VectorSymbol):
        return True         # the point 0 too, which has no linear parts
    try:
        return bool(linear_parts(rebuild(sympify(a))))
    except (TypeError, ValueError):
        return False


def unnamed_schemas(schemas):
    """(schema, (kinds, args)) for hypotheses a step does not name, each argument a point
    (checked at fresh points, as ``everywhere`` does), or None when one cannot be read that
    way (its instance at points is not a relation)."""
    from sympy.core.relational import Relational
    out = []
    for schema in schemas:
        for n in range(5):              # its number of arguments: the first count it takes
            try:
                probe = schema.instance(*[VectorSymbol(f"ζ{i}") for i in range(n)])
                break
            except Exception:      # noqa: BLE001 - not this many points
                continue
        else:
            return None
        if not isinstance(probe, Relational):
            return None
        out.append((schema, ((True,) * n, (None,) * n)))
    return out


def named_schemas(ctx, uses):
    """(schema, kinds of its arguments) for every named fact the step uses."""
    from ..kernel.facts import lookup
    out = []
    for use in uses:
        if use.name == "above":
            continue
        try:
            schema = lookup(ctx.derivation, use.name, ctx.part)
        except Exception:      # noqa: BLE001 - an unknown name is the checker's to report
            continue
        out.append((schema, tuple(is_vector(a) for a in use.args), use.args))
    return [(s, (kinds, args)) for s, kinds, args in out]


def everywhere(ctx, world, schemas, rng) -> bool:
    """Each schema holds for the witness at every point: its vector arguments are points
    with symbolic coordinates, so its gap is a polynomial in them, shown ≥ 0 (> 0, = 0)
    for all of them exactly (a quadratic: a positive semidefinite Hessian and a minimum of
    the right sign); anything else is not shown, and the witness is not used."""
    if not _at_random_points(ctx, world, schemas):
        return False                  # cheap first: most candidate witnesses fail here
    for schema, (kinds, args) in schemas:
        fresh, coords = [], []
        for i, (vec, a) in enumerate(zip(kinds, args)):
            if not vec:
                # A scalar parameter too is every value (shown for every real one, more than
                # its set): checked only at the named value, lb(t): f(x) ≥ −t for t > 0 held
                # for f(x) = −½ at t = 1 and the witness broke the true f(x) ≥ 0.
                t = Symbol(f"ξ_{i}", real=True)
                coords.append(t)
                fresh.append(t)
                continue
            v = VectorSymbol(f"ξ_{i}")
            xs = [Symbol(f"ξ_{i}_{j}", real=True) for j in range(world.dim)]
            world.points[v.name], world.vectors[v.name] = v, xs
            coords += xs
            fresh.append(v)
        world.coords = set(coords)
        try:
            l_, op, r_ = relation(schema.instance(*fresh))
            g, kind = gap(expanded(ctx, l_), op, expanded(ctx, r_))
            if not holds_for_all(world.scalar(g), kind, coords):
                return False
        except (Unknown, TypeError, ValueError, ZeroDivisionError, KeyError):
            return False
        finally:
            world.coords = set()
            for i in range(len(kinds)):
                world.points.pop(f"ξ_{i}", None)
                world.vectors.pop(f"ξ_{i}", None)
    return True


def _at_random_points(ctx, world, schemas, checks=3) -> bool:
    """Each schema at a few random points with small integer coordinates (a screen only)."""
    for schema, (kinds, args) in schemas:
        for k in range(checks):
            fresh = [VectorSymbol(f"ρ{k}_{i}") if vec else a for i, (vec, a) in enumerate(zip(kinds, args))]
            for v in fresh:
                if isinstance(v, VectorSymbol):
                    world.points[v.name] = v
            try:
                l_, op, r_ = relation(schema.instance(*fresh))
                g, kind = gap(expanded(ctx, l_), op, expanded(ctx, r_))
                if not holds(world.scalar(g), kind):
                    return False
            except (Unknown, TypeError, ValueError, ZeroDivisionError, KeyError):
                return False
    return True


def holds_for_all(g, kind, coords) -> bool:
    """g ≥ 0 (> 0, = 0) for every real value of ``coords``; False when not shown."""
    from sympy import Matrix, Poly, expand, hessian, linsolve
    g = expand(g)
    if kind == "equal":
        return g == 0
    if not coords or not (g.free_symbols & set(coords)):
        return bool(holds(g, kind))
    if g.free_symbols - set(coords) or Poly(g, *coords).total_degree() > 2:
        return False
    H = hessian(g, coords)
    if not H.is_positive_semidefinite:
        return False
    c = Matrix([g.diff(x).subs({y: 0 for y in coords}) for x in coords])
    solutions = linsolve((H, -c), coords)
    if not solutions:
        return False                     # unbounded below along a direction H does not see
    z = next(iter(solutions))
    at = dict(zip(coords, [v.subs({s: 0 for s in v.free_symbols}) for v in z]))
    return bool(holds(g.subs(at), kind))
