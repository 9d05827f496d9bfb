"""A concrete function for an abstract one: a quadratic under which the facts hold and a step fails."""

from __future__ import annotations

import random
import re

from sympy import Rational, S, Symbol, sympify

from ..notation import Inner, VectorSymbol, linear_parts, point_name
from ..expressions import rebuild
from .holds import (Unknown, everywhere, expanded, gap, holds, is_vector, named_schemas,
                    relation)
from .minimisers import VALUE as _VALUE, from_equations, from_schemas, place


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
        self.minimisers = minimisers        # point name -> minimisers.Minimiser
        self.rng = rng
        self._placing = set()

    def vector(self, name):
        if name in self.vectors:
            return self.vectors[name]
        if name == "0":
            value = [S.Zero] * self.dim
        elif name in self.minimisers:
            if name in self._placing:       # its objective names the point itself
                raise Unknown(name)
            self._placing.add(name)
            try:
                value = place(self, self.minimisers[name])
            finally:
                self._placing.discard(name)
            if value is None:
                raise Unknown("a minimiser of a function that has none")
        elif name.startswith("∇"):
            m = _VALUE.match(name)
            if not m or m.group(2) not in self.quadratics:
                raise Unknown(name)
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
            raise Unknown(name)
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
                    raise Unknown(s.name)
                eig, b = self.quadratics[m.group(2)]
                w = self.vector(m.group(3))
                reps[s] = sum((e * x * x / 2 + bi * x for e, x, bi in zip(eig, w, b)), S.Zero)
        value = expr.xreplace(reps)
        if value.free_symbols - getattr(self, "coords", set()):
            raise Unknown(str(value))
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
                out[name] = "(" + ", ".join(map(_num, value)) + f"), the minimiser of {self.minimisers[name].of}"
        out.update({str(s): _num(v) for s, v in self.scalars.items() if used is None or s in used})
        return out


def quadratic_witness(ctx, facts, lhs, rel, rhs, uses=(), seed=0, tries=60, also=()):
    """A concrete quadratic f(w) = ½⟨w, Aw⟩ + ⟨b, w⟩ for each opaque function (A diagonal,
    its eigenvalues among the case's positive scalars, 0 and 1), vectors with small integer
    components, scalars at a point of the case rounded to two digits, such that every fact
    (label, relation) holds exactly and ``lhs rel rhs`` does not; and every hypothesis the
    step names (and those in ``also``) holds at every point, shown exactly (``everywhere``:
    ½⟨w, Aw⟩ with μ ≤ eig(A) ≤ L is μ-strongly convex and L-smooth).

    ``uses`` are the step's Use(name, args): their vector arguments name the points
    inside f(·), and their schemas are the hypotheses checked at random points.
    Returns the witness as a dict of printable values, or None.
    """
    points = [a for u in uses for a in u.args if is_vector(a)]
    schemas = named_schemas(ctx, uses) + list(also)
    goal = gap(*(expanded(ctx, e) if i != 1 else e for i, e in enumerate((lhs, rel, rhs))))
    exprs = [( "the step", goal)]
    for label, fact in facts:
        l_, r_op, r_ = relation(fact)
        exprs.append((label, gap(expanded(ctx, l_), r_op, expanded(ctx, r_))))
    registry, heads = _names(ctx, [g for _, (g, _) in exprs], points)
    if not heads:
        return None
    # A point with ∇f(m) = 0 is f's minimiser, whatever a schema naming it says besides.
    minimisers = from_schemas(ctx, schemas, lambda e: expanded(ctx, e)) | from_equations(ctx)
    for name in sorted(set().union(*(mn.points for mn in minimisers.values()))):
        registry.setdefault(name, VectorSymbol(name))     # a point only an objective names
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
            broken = holds(step_gap, goal[1])
            if broken is not False:
                continue
            if not all(holds(world.scalar(g), kind) for _, (g, kind) in exprs[1:]):
                continue
            if not everywhere(ctx, world, schemas, rng):
                continue
            lv, rv = world.scalar(expanded(ctx, lhs)), world.scalar(expanded(ctx, rhs))
        except (Unknown, TypeError, ValueError, ZeroDivisionError):
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


def _names(ctx, exprs, points):
    """Point name -> vector expression, and the function heads."""
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
    # A base point named in a function value but never seen as a vector is a free point too.
    for e in exprs:
        for s in sorted(sympify(e).free_symbols, key=str):
            m = _VALUE.match(s.name)
            if m and m.group(3) not in registry and re.fullmatch(r"[^\s+\-*/()]+", m.group(3)):
                registry[m.group(3)] = VectorSymbol(m.group(3))
    return registry, heads


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
        if not holds(value if op in (">", ">=") else -value, "strict" if op in (">", "<") else "weak"):
            return None
    return out


def _num(value):
    from .nra import _exact_text
    return _exact_text(value)
