"""A concrete function for an abstract one: a quadratic under which the facts hold and a step fails."""

from __future__ import annotations

import random
import re

from sympy import Rational, S, Symbol, sympify

from ..notation import Inner, VectorSymbol, linear_parts, point_name
from ..expressions import rebuild

_VALUE = re.compile(r"^(∇?)([^()∇]+)\((.*)\)$")


class _Unknown(Exception):
    """A name the witness cannot give a value (a point written in a way we cannot read)."""


def _expanded(ctx, expr):
    """Definitions expanded and equations applied, as the inequality checkers see it."""
    expr = rebuild(sympify(expr))
    if ctx.equations:
        expr = expr.xreplace(ctx.equations)
    expr = rebuild(ctx.expand_defs(expr))
    if ctx.equations:
        expr = rebuild(expr.xreplace(ctx.equations))
    return expr


def _gap(lhs, rel, rhs):
    """(g, kind): the relation is g ≥ 0 ("weak"), g > 0 ("strict") or g = 0 ("equal")."""
    if rel in ("<=", "<"):
        return rhs - lhs, "strict" if rel == "<" else "weak"
    if rel in (">=", ">"):
        return lhs - rhs, "strict" if rel == ">" else "weak"
    return lhs - rhs, "equal"


def _relation(r):
    from sympy import Eq, GreaterThan, LessThan, StrictGreaterThan, StrictLessThan
    op = {LessThan: "<=", StrictLessThan: "<", GreaterThan: ">=", StrictGreaterThan: ">", Eq: "="}
    return r.lhs, op[type(r)], r.rhs


class _World:
    """One draw: scalars, a quadratic per function, vectors in ℝᵈ, exact rationals."""

    def __init__(self, ctx, scalars, heads, points, dim, rng, minimisers):
        self.ctx, self.scalars, self.dim, self.points = ctx, scalars, dim, points
        self.vectors = {}
        choices = sorted({v for v in scalars.values() if v > 0} | {S.Zero, S.One})
        self.quadratics = {}
        for head in sorted(heads):
            eig = [rng.choice(choices) for _ in range(dim)]
            b = [Rational(rng.randint(-2, 2)) for _ in range(dim)] if rng.random() < 0.7 else [S.Zero] * dim
            self.quadratics[head] = (eig, b)
        self.minimisers = minimisers        # point name -> function it minimises
        self.rng = rng

    def vector(self, name):
        if name in self.vectors:
            return self.vectors[name]
        if name == "0":
            value = [S.Zero] * self.dim
        elif name in self.minimisers:
            eig, b = self.quadratics[self.minimisers[name]]
            if any(e == 0 for e in eig):
                raise _Unknown("a minimiser of a function that has none")
            value = [-bi / e for bi, e in zip(b, eig)]
        elif name.startswith("∇"):
            m = _VALUE.match(name)
            if not m or m.group(2) not in self.quadratics:
                raise _Unknown(name)
            eig, b = self.quadratics[m.group(2)]
            at = self.vector(m.group(3))
            value = [e * a + bi for e, a, bi in zip(eig, at, b)]
        elif name in self.points:
            expr = self.points[name]
            if isinstance(expr, VectorSymbol) and expr.name == name:
                value = [Rational(self.rng.randint(-2, 2)) for _ in range(self.dim)]
            else:
                value = [S.Zero] * self.dim
                for v, coeff in linear_parts(expr).items():
                    c = self.scalar(coeff)
                    value = [a + c * x for a, x in zip(value, self.vector(v.name))]
        else:
            raise _Unknown(name)
        self.vectors[name] = value
        return value

    def scalar(self, expr):
        expr = sympify(expr)
        reps = {}
        # In name order: a point gets its random value when first met (a set's order would
        # follow the hash seed).
        for atom in sorted(expr.atoms(Inner), key=str):
            p, q = atom.args
            reps[atom] = sum((a * b for a, b in zip(self.vector(p.name), self.vector(q.name))), S.Zero)
        for s in sorted(expr.free_symbols, key=str):
            if s in getattr(self, "coords", ()):
                continue
            if s in self.scalars:
                reps[s] = self.scalars[s]
            elif isinstance(s, Symbol) and not isinstance(s, VectorSymbol):
                m = _VALUE.match(s.name)
                if not m or m.group(1) or m.group(2) not in self.quadratics:
                    raise _Unknown(s.name)
                eig, b = self.quadratics[m.group(2)]
                w = self.vector(m.group(3))
                reps[s] = sum((e * x * x / 2 + bi * x for e, x, bi in zip(eig, w, b)), S.Zero)
        value = expr.xreplace(reps)
        if value.free_symbols - getattr(self, "coords", set()):
            raise _Unknown(str(value))
        return value

    def describe(self, used=None):
        out = {}
        for head, (eig, b) in self.quadratics.items():
            out[f"{head}(w)"] = (f"½⟨w, A w⟩ + ⟨b, w⟩ in ℝ^{self.dim}, A = diag({', '.join(map(_num, eig))}), "
                                 f"b = ({', '.join(map(_num, b))})")
        for name, value in self.vectors.items():
            if name.startswith(("ξ", "ρ")):
                continue            # the points the hypotheses were checked at
            if not name.startswith("∇") and name in self.points and \
                    isinstance(self.points[name], VectorSymbol) and name not in self.minimisers:
                out[name] = "(" + ", ".join(map(_num, value)) + ")"
            elif name in self.minimisers:
                out[name] = "(" + ", ".join(map(_num, value)) + f"), the minimiser of {self.minimisers[name]}"
        out.update({str(s): _num(v) for s, v in self.scalars.items() if used is None or s in used})
        return out


def _sign(value):
    value = sympify(value)
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    return None


def _holds(value, kind) -> bool | None:
    s = _sign(value)
    if s is None:
        return None
    return {"weak": s >= 0, "strict": s > 0, "equal": s == 0}[kind]


def quadratic_witness(ctx, facts, lhs, rel, rhs, uses=(), seed=0, tries=60, also=()):
    """A concrete quadratic f(w) = ½⟨w, Aw⟩ + ⟨b, w⟩ for each opaque function (A diagonal,
    its eigenvalues among the case's positive scalars, 0 and 1), vectors with small integer
    components, scalars at a point of the case rounded to two digits, such that every fact
    (label, relation) holds exactly and ``lhs rel rhs`` does not; and every hypothesis the
    step names (and those in ``also``) holds at every point, shown exactly (``_everywhere``:
    ½⟨w, Aw⟩ with μ ≤ eig(A) ≤ L is μ-strongly convex and L-smooth).

    ``uses`` are the step's Use(name, args): their vector arguments name the points
    inside f(·), and their schemas are the hypotheses checked at random points.
    Returns the witness as a dict of printable values, or None.
    """
    points = [a for u in uses for a in u.args if _is_vector(a)]
    schemas = _schemas(ctx, uses) + list(also)
    goal = _gap(*(_expanded(ctx, e) if i != 1 else e for i, e in enumerate((lhs, rel, rhs))))
    exprs = [( "the step", goal)]
    for label, fact in facts:
        l_, r_op, r_ = _relation(fact)
        exprs.append((label, _gap(_expanded(ctx, l_), r_op, _expanded(ctx, r_))))
    registry, heads, minimisers = _names(ctx, [g for _, (g, _) in exprs], points)
    if not heads:
        return None
    rng = random.Random(seed)
    for attempt_ in range(tries):
        dim = 1 + attempt_ % 3
        case = ctx.cases[attempt_ % len(ctx.cases)]
        scalars = _readable_scalars(case, rng)
        if scalars is None:
            continue
        world = _World(ctx, scalars, heads, registry, dim, rng, minimisers)
        try:
            step_gap = world.scalar(goal[0])
            broken = _holds(step_gap, goal[1])
            if broken is not False:
                continue
            if not all(_holds(world.scalar(g), kind) for _, (g, kind) in exprs[1:]):
                continue
            if not _everywhere(ctx, world, schemas, rng):
                continue
            lv, rv = world.scalar(_expanded(ctx, lhs)), world.scalar(_expanded(ctx, rhs))
        except (_Unknown, TypeError, ValueError, ZeroDivisionError):
            continue
        used = set().union(*[sympify(g).free_symbols for _, (g, _) in exprs])
        # Every scalar when hypotheses were checked: they may involve ones the step does not.
        out = world.describe(None if schemas else used)
        out.update(lhs=_num(lv), rhs=_num(rv))
        if len(facts):
            out["facts"] = "hold: " + "; ".join(label for label, _ in facts)
        if schemas:
            out["hypotheses"] = (f"{', '.join(sorted({s.name for s, _ in schemas}))} hold at every "
                                 "point (checked exactly)")
        return out
    return None



def _is_vector(a) -> bool:
    try:
        return bool(linear_parts(rebuild(sympify(a))))
    except (TypeError, ValueError):
        return False


def unnamed_schemas(schemas):
    """(schema, (kinds, args)) for hypotheses a step does not name, each argument a point
    (checked at fresh points, as ``_everywhere`` does), or None when one cannot be read that
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


def _schemas(ctx, uses):
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
        out.append((schema, tuple(_is_vector(a) for a in use.args), use.args))
    return [(s, (kinds, args)) for s, kinds, args in out]


def _everywhere(ctx, world, schemas, rng) -> bool:
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
            l_, op, r_ = _relation(schema.instance(*fresh))
            g, kind = _gap(_expanded(ctx, l_), op, _expanded(ctx, r_))
            if not _holds_for_all(world.scalar(g), kind, coords):
                return False
        except (_Unknown, TypeError, ValueError, ZeroDivisionError, KeyError):
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
                l_, op, r_ = _relation(schema.instance(*fresh))
                g, kind = _gap(_expanded(ctx, l_), op, _expanded(ctx, r_))
                if not _holds(world.scalar(g), kind):
                    return False
            except (_Unknown, TypeError, ValueError, ZeroDivisionError, KeyError):
                return False
    return True


def _holds_for_all(g, kind, coords) -> bool:
    """g ≥ 0 (> 0, = 0) for every real value of ``coords``; False when not shown."""
    from sympy import Matrix, Poly, expand, hessian, linsolve
    g = expand(g)
    if kind == "equal":
        return g == 0
    if not coords or not (g.free_symbols & set(coords)):
        return bool(_holds(g, kind))
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
    return bool(_holds(g.subs(at), kind))


def _names(ctx, exprs, points):
    """Point name -> vector expression, the function heads, and minimisers (points p with
    ∇f(p) = 0 among the equations)."""
    registry = {"0": S.Zero}
    for sym, value in ctx.defs.items():
        if isinstance(sym, VectorSymbol):
            registry[sym.name] = value
    for p in points:
        p = rebuild(sympify(p))
        registry.setdefault(point_name(p), p)
    heads = set()
    # In name order: the registry's order is the order points get their random values, so
    # a set's order (the hash seed) would change the counterexample from run to run.
    for e in exprs:
        for s in sorted(sympify(e).free_symbols, key=str):
            if isinstance(s, VectorSymbol):
                m = _VALUE.match(s.name)
                if m:
                    heads.add(m.group(2))
                else:
                    registry.setdefault(s.name, s)
            elif isinstance(s, Symbol) and s not in ctx.vars:
                m = _VALUE.match(s.name)
                if m and not m.group(1):
                    heads.add(m.group(2))
        for atom in sorted(sympify(e).atoms(Inner), key=str):
            for v in atom.args:
                if not _VALUE.match(v.name):
                    registry.setdefault(v.name, v)
    minimisers = {}
    for key, value in ctx.equations.items():
        m = _VALUE.match(getattr(key, "name", ""))
        if m and m.group(1) and (value == 0 or getattr(value, "name", "") == "0"):
            minimisers[m.group(3)] = m.group(2)
    # A base point named in a function value but never seen as a vector is a free point too.
    for e in exprs:
        for s in sorted(sympify(e).free_symbols, key=str):
            m = _VALUE.match(s.name)
            if m and m.group(3) not in registry and re.fullmatch(r"[^\s+\-*/()]+", m.group(3)):
                registry[m.group(3)] = VectorSymbol(m.group(3))
    return registry, heads, minimisers


def _readable_scalars(case, rng):
    """A point of the case with every variable rounded to two significant digits."""
    from ..kernel.world import inside_interval as _inside_interval
    point = case.sample(rng)
    if point is None:
        return None
    out = {}
    for sym, value in point.items():
        v = Rational(format(float(value), ".2g")) if value != 0 else S.Zero
        if sym in case.intervals and not _inside_interval(v, case.intervals[sym], case.signs.get(sym)):
            v = Rational(value)
        out[sym] = v
    for op, g in case.filters:
        value = sympify(g).xreplace(out)
        if not _holds(value if op in (">", ">=") else -value, "strict" if op in (">", "<") else "weak"):
            return None
    return out


def _num(value):
    from .nra import _exact_text
    return _exact_text(value)
