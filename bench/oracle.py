"""An independent numeric oracle for the mutation corpus: is a step false at some point?

It reads only the model (variables, definitions, conditions, hypotheses) and evaluates
with mpmath: definitions substituted, derivatives by numeric differentiation, limits
along a sequence, opaque functions as random quadratics that satisfy the hypotheses.
Nothing here calls derive.checks, so the engine is judged by something it does not share.
"""

from __future__ import annotations

import random
import re

import mpmath
from sympy import (Derivative, Dummy, Eq, GreaterThan, LessThan, Limit, Max, Min, Ne,
                   StrictGreaterThan, StrictLessThan, Symbol, exp, lambdify, oo, sympify)

from derive.notation import Inner, ReLU, VectorSymbol, linear_parts, sigma

DPS = 60
_VALUE = re.compile(r"^(∇?)([^()∇]+)\((.*)\)$")
_OPS = {LessThan: "<=", StrictLessThan: "<", GreaterThan: ">=", StrictGreaterThan: ">", Eq: "=", Ne: "!="}


class Undecided(Exception):
    """The oracle cannot evaluate this (a condition it cannot sample on, a kink, a slow limit)."""


def _primitive(expr):
    expr = sympify(expr)
    expr = expr.replace(sigma, lambda z: 1 / (1 + exp(-z)))
    return expr.replace(ReLU, lambda z: Max(0, z))


class World:
    """One random point: scalars, vectors in ℝ³, a quadratic per opaque function."""

    def __init__(self, scalars, vectors, quadratics, defs):
        self.scalars, self.vectors, self.quadratics, self.defs = scalars, vectors, quadratics, defs

    def vector(self, v):
        name = v.name if hasattr(v, "name") else str(v)
        if name in self.vectors:
            return self.vectors[name]
        if name == "0":
            return [mpmath.mpf(0)] * 3
        m = _VALUE.match(name)
        if m and m.group(1):
            A, b = self.quadratics[m.group(2)]
            p = self.point(m.group(3))
            return [sum(A[i][j] * p[j] for j in range(3)) + b[i] for i in range(3)]
        for sym, value in self.defs.items():
            if isinstance(sym, VectorSymbol) and sym.name == name:
                out = self.linear(value)
                self.vectors[name] = out
                return out
        raise Undecided(f"no value for the vector {name}")

    def point(self, name):
        if name in self.vectors or name == "0":
            return self.vector(VectorSymbol(name))
        for sym in self.defs:
            if isinstance(sym, VectorSymbol) and sym.name == name:
                return self.vector(sym)
        raise Undecided(f"a point written as an expression: {name}")

    def linear(self, expr):
        out = [mpmath.mpf(0)] * 3
        parts = _LINEAR.get(expr)
        if parts is None:
            parts = _LINEAR[expr] = linear_parts(expr)
        for v, coeff in parts.items():
            c = self.scalar(coeff)
            vec = self.vector(v)
            out = [a + c * x for a, x in zip(out, vec)]
        return out

    def value(self, head, point_name):
        A, b = self.quadratics[head]
        p = self.point(point_name)
        return sum(p[i] * A[i][j] * p[j] for i in range(3) for j in range(3)) / 2 + \
            sum(bi * pi for bi, pi in zip(b, p))

    def scalar(self, expr, extra=None):
        return evaluate(sympify(expr), self, extra or {})


def _expand(expr, defs, keep):
    """Definitions substituted (scalar ones), except those in ``keep``, outside ∂ and lim."""
    scalar_defs = {s: v for s, v in defs.items() if not isinstance(s, VectorSymbol) and s not in keep}
    for _ in range(len(scalar_defs) + 2):
        if not (expr.free_symbols & set(scalar_defs)):
            break
        reps = {}
        for node in expr.atoms(Derivative, Limit):
            reps[node] = Dummy()
        back = {d: n for n, d in reps.items()}
        expr = expr.xreplace(reps).xreplace(scalar_defs).xreplace(back)
    return expr


def evaluate(expr, world, extra, keep=frozenset()):
    """``expr`` at the world's point (``extra`` overrides symbols), as an mpmath number."""
    expr, nodes, rest = _prepared(sympify(expr), world.defs, keep)
    values = {Symbol(f"_oracle_{i}"): _special(node, world, extra, keep) for i, node in enumerate(nodes)}
    for s in rest.free_symbols:
        if s in values:
            continue
        if s in extra:
            values[s] = extra[s]
        elif s in world.scalars:
            values[s] = world.scalars[s]
        elif s in world.defs:
            values[s] = evaluate(world.defs[s], world, extra, keep)
        else:
            m = _VALUE.match(s.name)
            if m and not m.group(1) and m.group(2) in world.quadratics:
                values[s] = world.value(m.group(2), m.group(3))
            else:
                raise Undecided(f"no value for {s}")
    symbols = tuple(sorted(values, key=lambda s: str(s)))
    key = (rest, symbols)
    fn = _COMPILED.get(key)
    if fn is None:
        fn = _COMPILED[key] = lambdify(symbols, rest, modules="mpmath")
    try:
        out = fn(*[values[s] for s in symbols])
    except (ZeroDivisionError, ValueError, TypeError, OverflowError) as exc:
        raise Undecided(str(exc)) from None
    if isinstance(out, mpmath.mpc):
        if abs(out.imag) > mpmath.mpf(10) ** -(DPS - 10):
            raise Undecided("not real")
        out = out.real
    return mpmath.mpf(out)


_COMPILED: dict = {}
_LINEAR: dict = {}
_INSTANCES: dict = {}
_DEFS: dict = {}
_PREPARED: dict = {}


def _prepared(expr, defs, keep):
    """(expanded expression, its ∂/lim/⟨·,·⟩ nodes, the rest with placeholders), cached."""
    key = (expr, frozenset(keep), id(defs))
    if key not in _PREPARED:
        expanded = _expand(expr, defs, keep)
        nodes = _outermost(expanded)
        reps = {node: Symbol(f"_oracle_{i}") for i, node in enumerate(nodes)}
        _PREPARED[key] = (expanded, nodes, _primitive(expanded.xreplace(reps)))
    return _PREPARED[key]


def _outermost(expr):
    found = []

    def walk(e):
        if isinstance(e, (Derivative, Limit, Inner)):
            found.append(e)
            return
        for a in e.args:
            walk(a)
    walk(expr)
    return found


def _special(node, world, extra, keep):
    if isinstance(node, Inner):
        a, b = (world.linear(_expand(arg, world.defs, keep)) for arg in node.args)
        return sum(x * y for x, y in zip(a, b))
    if isinstance(node, Derivative):
        if len(node.variable_count) > 1:
            return _mixed_derivative(node, world, extra, keep)
        (var, n), = node.variable_count
        at = extra.get(var, world.scalars.get(var))
        if at is None and var in world.defs:
            at = evaluate(world.defs[var], world, extra, keep)
        if at is None:
            raise Undecided(f"no value for {var}")
        return mpmath.diff(lambda s: evaluate(node.expr, world, {**extra, var: s}, keep | {var}), at, n)
    body, z, z0, direction = node.args
    return _limit(lambda s: evaluate(body, world, {**extra, z: s}, keep | {z}), z0, str(direction))


def _mixed_derivative(node, world, extra, keep):
    """∂²f/∂u∂v by nested numeric differentiation."""
    (u, _), (v, _) = node.variable_count[:2]
    at_u, at_v = extra.get(u, world.scalars.get(u)), extra.get(v, world.scalars.get(v))
    inner = keep | {u, v}

    def du(s):
        return mpmath.diff(lambda r: evaluate(node.expr, world, {**extra, u: r, v: s}, inner), at_u)
    return mpmath.diff(du, at_v)


def _limit(F, z0, direction):
    """Along z0 ± 10⁻ᵏ (or ±10ᵏ for ±∞); a value only when the sequence has settled."""
    sides = {"+": (1,), "-": (-1,), "+-": (1, -1)}[direction]
    results = []
    for side in sides:
        seq = []
        for k in (10, 20, 40):
            if z0 is oo or z0 == -oo:
                at = mpmath.mpf(10) ** k * (1 if z0 is oo else -1)
            else:
                at = mpmath.mpf(sympify(z0)) + side * mpmath.mpf(10) ** -k
            seq.append(F(at))
        if abs(seq[2] - seq[1]) > mpmath.mpf(10) ** -8 * (1 + abs(seq[2])):
            raise Undecided("the sequence has not settled")
        results.append(seq[2])
    if len(results) == 2 and abs(results[0] - results[1]) > mpmath.mpf(10) ** -8 * (1 + abs(results[0])):
        raise Undecided("one-sided limits differ")
    return results[0]


# -- drawing a world --------------------------------------------------------------

def _draw_scalar(var, rng):
    lo, hi = var.lower, var.upper
    lo = None if lo is None or sympify(lo).is_infinite else float(lo)
    hi = None if hi is None or sympify(hi).is_infinite else float(hi)
    if var.integer:
        a = int(mpmath.ceil(lo)) if lo is not None else -8
        if lo is not None and var.lower_open and a == lo:
            a += 1
        b = int(mpmath.floor(hi)) if hi is not None else a + 12
        if hi is not None and var.upper_open and b == hi:
            b -= 1
        return mpmath.mpf(rng.randint(a, b))
    mag = 10 ** rng.uniform(-2, 1.5)
    if lo is not None and hi is not None:
        return mpmath.mpf(lo + (hi - lo) * rng.uniform(0.001, 0.999))
    if lo is not None:
        return mpmath.mpf(lo + mag)
    if hi is not None:
        return mpmath.mpf(hi - mag)
    return mpmath.mpf(rng.choice((1, -1)) * mag)


def _vectors_and_heads(derivation, exprs):
    vectors, heads = set(), set()
    for e in exprs:
        for s in sympify(e).free_symbols:
            m = _VALUE.match(s.name)
            if m:
                heads.add(m.group(2))
            elif isinstance(s, VectorSymbol):
                vectors.add(s.name)
        for node in sympify(e).atoms(Inner):
            for a in node.args:
                for v in sympify(a).free_symbols:
                    if isinstance(v, VectorSymbol) and not _VALUE.match(v.name):
                        vectors.add(v.name)
    defined = {s.name for s in dict(derivation.definitions) if isinstance(s, VectorSymbol)}
    return vectors - defined, heads


def _quadratic(rng, levels):
    """½⟨w, Aw⟩ + ⟨b, w⟩ with A = QΛQᵀ, its eigenvalues between two of ``levels`` (the
    world's positive scalars and 0: hypotheses such as μ ≤ eig ≤ L then hold often)."""
    lo, hi = sorted(rng.sample(levels, 2)) if len(levels) > 1 else (0.0, levels[0])
    eig = [rng.uniform(lo, hi) for _ in range(3)]
    # A random rotation from Gram–Schmidt on a random matrix.
    cols = []
    for _ in range(3):
        v = [rng.gauss(0, 1) for _ in range(3)]
        for c in cols:
            d = sum(a * b for a, b in zip(v, c))
            v = [a - d * b for a, b in zip(v, c)]
        n = sum(a * a for a in v) ** 0.5
        cols.append([a / n for a in v])
    A = [[mpmath.mpf(sum(cols[k][i] * eig[k] * cols[k][j] for k in range(3))) for j in range(3)]
         for i in range(3)]
    b = [mpmath.mpf(rng.uniform(-1, 1)) for _ in range(3)]
    return A, b


def conditions_of(derivation, part, step):
    return tuple(derivation.assumptions) + tuple(part.when) + tuple(step.when)


def draw(derivation, conditions, exprs, rng, tries=200):
    """A World where every condition and every hypothesis (at random points) holds."""
    defs = _DEFS.setdefault(derivation.definitions, dict(derivation.definitions))
    vectors, heads = _vectors_and_heads(derivation, list(exprs) + list(defs.values()) + list(conditions))
    for _ in range(tries):
        scalars = {v.symbol: _draw_scalar(v, rng) for v in derivation.variables}
        levels = sorted({float(x) for x in scalars.values() if x > 0} | {0.0, 1.0})
        world = World(scalars, {n: [mpmath.mpf(rng.uniform(-2, 2)) for _ in range(3)] for n in sorted(vectors)},
                      {h: _quadratic(rng, levels) for h in sorted(heads)}, defs)
        try:
            if not all(_holds_condition(c, world) for c in conditions):
                continue
            if derivation.schemas and not _hypotheses_hold(derivation, world, rng):
                continue
        except Undecided:
            continue
        return world
    raise Undecided("no point satisfies the conditions")


def _holds_condition(cond, world):
    if cond in (True, False) or getattr(cond, "is_Boolean", False) and cond.is_Atom:
        return bool(cond)
    op = _OPS.get(type(cond))
    if op is None:
        raise Undecided(f"condition {cond}")
    if op == "=":
        lhs = cond.lhs
        if lhs in world.scalars:          # an equation fixing a variable: follow it
            world.scalars[lhs] = evaluate(cond.rhs, world, {})
            return True
        rhs = cond.rhs
        if rhs in world.scalars and lhs in world.defs:
            world.scalars[rhs] = evaluate(lhs, world, {})
            return True
        if isinstance(lhs, VectorSymbol) or isinstance(rhs, VectorSymbol):
            raise Undecided("a vector equation")
        raise Undecided(f"an equation it cannot follow: {cond}")
    a, b = evaluate(cond.lhs, world, {}), evaluate(cond.rhs, world, {})
    return _compare(a, b, op, tol=mpmath.mpf(10) ** -30)


def _compare(a, b, op, tol):
    scale = 1 + abs(a) + abs(b)
    d = a - b
    return {"<=": d <= tol * scale, "<": d < -tol * scale, ">=": d >= -tol * scale,
            ">": d > tol * scale, "!=": abs(d) > tol * scale, "=": abs(d) <= tol * scale}[op]


def _hypotheses_hold(derivation, world, rng):
    """Every hypothesis holds at every tuple of the derivation's named points (where the
    steps look) and at random vector arguments."""
    import itertools
    named = sorted(set(world.vectors) | {s.name for s in world.defs if isinstance(s, VectorSymbol)})
    named = [n for n in named if not n.startswith("ρ")]
    for schema in derivation.schemas:
        if schema.kind != "hypothesis":
            continue
        args, _ = _instance(schema, 0)
        for at in itertools.product(named, repeat=len(args)):
            if not _holds_condition(_instance_at(schema, at), world):
                return False
        for k in range(3):
            args, rel = _instance(schema, k)
            for a in args:
                world.vectors[a.name] = [mpmath.mpf(rng.uniform(-3, 3)) for _ in range(3)]
            if not _holds_condition(rel, world):
                return False
    return True


def _instance_at(schema, names):
    key = (schema, names)
    if key not in _INSTANCES:
        _INSTANCES[key] = schema.instance(*[VectorSymbol(n) for n in names])
    return _INSTANCES[key]


def _instance(schema, k):
    """The schema at fresh vector arguments ρk_0, ρk_1, … (cached)."""
    key = (schema, k)
    if key not in _INSTANCES:
        for arity in range(0, 4):
            try:
                args = [VectorSymbol(f"ρ{k}_{i}") for i in range(arity)]
                _INSTANCES[key] = (args, schema.instance(*args))
                break
            except TypeError:
                continue
        else:
            raise Undecided(f"cannot instantiate {schema.name}")
    return _INSTANCES[key]


# -- the verdict ------------------------------------------------------------------

def refutes(derivation, part, step, lhs, points=300, seed=0):
    """A point where ``lhs step.rel step.rhs`` is robustly false, as a dict; None if none found."""
    rng = random.Random(seed)
    conditions = conditions_of(derivation, part, step)
    exprs = [lhs, step.rhs] if step.rel != "iff" else [*lhs.args, *step.rhs.args]
    with mpmath.workdps(DPS):
        for _ in range(points):
            try:
                world = draw(derivation, conditions, exprs, rng, tries=20)
                found = _false_at(world, lhs, step)
            except (Undecided, ZeroDivisionError, ValueError, TypeError, OverflowError):
                continue
            if found:
                return found
    return None


def _false_at(world, lhs, step):
    if step.rel == "iff":
        return _iff_false_at(world, lhs, step.rhs)
    a, b = evaluate(lhs, world, {}), evaluate(step.rhs, world, {})
    if _robustly_false(a, b, step.rel):
        return _shown(world, a, b)
    return None


def _robustly_false(a, b, rel):
    """False by a margin far above rounding (a relative 10⁻⁸): the oracle never trusts a tie."""
    tol = mpmath.mpf(10) ** -8 * (1 + abs(a) + abs(b))
    d = a - b
    return {"=": abs(d) > tol, "<=": d > tol, "<": d > tol, ">=": d < -tol, ">": d < -tol}[rel]


def _iff_false_at(world, first, second):
    """Where the second relation is made to hold (an equation solved for its variable) the
    first must hold too; for two inequalities their truth values must agree."""
    op1, op2 = _OPS.get(type(first)), _OPS.get(type(second))
    if op1 is None or op2 is None:
        raise Undecided("not two relations")
    if op2 == "=":
        target, value = second.lhs, evaluate(second.rhs, world, {})
        base, power = (target, 1) if target.is_Symbol else target.as_base_exp()
        if base not in world.scalars or not sympify(power).is_Integer:
            raise Undecided("a solved form for something other than a variable")
        power = int(power)
        if power % 2 == 0:
            if value < 0:
                return None
            root = value ** (mpmath.mpf(1) / power)
            root = root if world.scalars[base] >= 0 else -root
        else:
            root = mpmath.root(value, power) if value >= 0 else -mpmath.root(-value, power)
        world.scalars[base] = root
        a, b = evaluate(first.lhs, world, {}), evaluate(first.rhs, world, {})
        if op1 == "=" and _robustly_false(a, b, "="):
            return _shown(world, a, b)
        return None
    a1, b1 = evaluate(first.lhs, world, {}), evaluate(first.rhs, world, {})
    a2, b2 = evaluate(second.lhs, world, {}), evaluate(second.rhs, world, {})
    sure = mpmath.mpf(10) ** -6
    if min(abs(a1 - b1) / (1 + abs(a1) + abs(b1)), abs(a2 - b2) / (1 + abs(a2) + abs(b2))) < sure:
        return None               # too close to a boundary to tell
    if _compare(a1, b1, op1, 0) != _compare(a2, b2, op2, 0):
        return _shown(world, a1 - b1, a2 - b2)
    return None


def _shown(world, a, b):
    out = {str(s): mpmath.nstr(v, 8) for s, v in world.scalars.items()}
    out.update(lhs=mpmath.nstr(a, 10), rhs=mpmath.nstr(b, 10))
    return out
