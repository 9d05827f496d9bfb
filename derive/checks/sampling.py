"""Numeric sampling at points that satisfy the assumptions: a falsifier, never a proof."""

from __future__ import annotations

import random

import mpmath
from sympy import DiracDelta, Dummy, Heaviside, Ne, Piecewise

from ..budget import attempt
from ..errors import UnsupportedStep
from ..expressions import evaluator, to_primitives
from ..notation import Inner
from . import points as pts

DIGITS = 30
FINE_DIGITS = 60
POINTS = 16
# A difference that survives at 60 digits at this relative size is real, not rounding.
FINE_TOL = mpmath.mpf("1e-45")


def _numeric(expr, symbols):
    expr = to_primitives(expr)
    expr = expr.replace(Heaviside, lambda z, *h: Piecewise((1, z > 0), (0, z < 0), (mpmath.nan, True)))
    # δ(z) and its derivatives are 0 off z = 0 and have no value at it (lambdify has none).
    expr = expr.replace(DiracDelta, lambda z, *k: Piecewise((0, Ne(z, 0)), (mpmath.nan, True)))
    return evaluator(symbols, expr, "mpmath")


def sample_relation(lhs, rhs, rel, case, seed=0, points=POINTS, budget=1.0):
    """Evaluate both sides at random points of ``case`` (a points.Region).

    Returns ("counterexample", point) when the relation breaks at a point,
    ("held", n) with the number of points where it held, or ("none", why).
    """
    lhs, rhs, grams = _gram_atoms(lhs, rhs)
    symbols = sorted(lhs.free_symbols | rhs.free_symbols, key=lambda s: s.name)
    value, err = attempt(budget, _run, lhs, rhs, rel, case, symbols, seed, points, grams)
    if err:
        return "none", "sampling ran out of time"
    return value


def break_point(world, lhs, rel, rhs, facts=()):
    """A confirmed sampled point where ``lhs rel rhs`` breaks while the step's conditions
    and each of ``facts`` hold (the hypotheses a step uses: a point that breaks one refutes
    nothing), or None: also when sampling cannot follow the conditions or a fact."""
    outcome, info = sample_in_world(world, lhs, rel, rhs, facts)
    return info if outcome == "counterexample" else None


def hypothesis_facts(world, step, premises) -> list:
    """The relations among a step's facts that are hypotheses: only they say which points
    are admissible. A lemma, a result or the chain above is a claim about every admissible
    point, so a point where the step breaks refutes it wherever they stand (and as a
    filter, cauchy_schwarz's ⟨x, y⟩ cannot be evaluated, which stopped sampling)."""
    from ..kernel.facts import lookup
    names = set()
    for use in step.why.uses:
        try:
            if use.name != "above" and lookup(world.derivation, use.name, world.part).kind == "hypothesis":
                names.add(use.name)
        except UnsupportedStep:
            continue
    return [f.relation for f in premises.facts
            if any(f.label == n or f.label.startswith(n + "(") for n in names)]


def sample_in_world(world, lhs, rel, rhs, facts=()):
    """("counterexample", point) as break_point finds it, ("held", n) when it held at n
    points and broke nowhere, or ("none", why) when sampling could not test it at all."""
    from ..kernel.meaning import prepare
    if rel not in ("=", "<=", "<", ">=", ">") or lhs is None:
        return "none", "it is not a relation sampling tests (=, ≤, <, ≥, >)"
    from sympy import sympify
    from sympy.core.function import AppliedUndef
    if sympify(lhs).atoms(AppliedUndef) | sympify(rhs).atoms(AppliedUndef):
        return "none", "sampling draws no values of a declared function such as P(s)"
    scope = scope_filters(world, lhs, rhs)
    if scope is None:
        return "none", "a hypothesis with parameters speaks of what sampling would draw"
    facts = list(facts) + scope
    if not trustworthy(world, lhs, rhs):
        return "none", ("sampling cannot follow every condition here (an equation condition, "
                        "an assumption at each index, or points that may coincide)")
    def each_case():
        for case in world.cases:
            where = pts.with_facts(world, case, facts)
            if where is None:
                yield "stop", "a fact it is used with cannot filter sampled points"
                return
            try:
                yield sample_relation(prepare(world, lhs, case), prepare(world, rhs, case), rel, where)
            except UnsupportedStep as exc:
                yield "stop", str(exc)
                return
    return tally(each_case())


def tally(outcomes):
    """Case-by-case sampling outcomes as one: the first counterexample; ("none", why) at the
    first ("stop", why), a case sampling cannot test; else ("held", points) summed over the
    cases, or ("none", why) when no case held anywhere."""
    held, why = 0, "no case to sample"
    for outcome, info in outcomes:
        if outcome == "counterexample":
            return outcome, info
        if outcome == "stop":
            return "none", info
        if outcome == "held":
            held += info
        else:
            why = info
    return ("held", held) if held else ("none", why)


def scope_filters(world, lhs, rhs):
    """Every hypothesis in the step's scope that speaks of what the step samples, as a
    relation a sampled point must satisfy; None when one cannot be (it takes parameters:
    it holds for each of their values). A point that breaks a hypothesis is no
    counterexample: s ≤ 1 citing h2: s ≤ 5 failed at s = 3 though h1: s ≤ 1 was stated."""
    from sympy import Dummy
    from ..expressions import rebuild
    from ..notation import PointGrad, PointValue, VectorSymbol

    def seen(expr):
        symbols = rebuild(world.expand_defs(expr)).free_symbols
        return symbols | {s.head for s in symbols if isinstance(s, (PointValue, PointGrad))}
    sampled = seen(lhs - rhs)
    filters = []
    for schema in world.derivation.schemas:
        if schema.kind != "hypothesis" or (schema.parts and world.part not in schema.parts):
            continue
        probe, params = _probe(schema, Dummy, VectorSymbol)
        if probe is None:
            return None
        try:
            mentions = seen(probe.lhs - probe.rhs) - set(params)
        except Exception:      # noqa: BLE001 - a probe SymPy cannot take apart: assume the worst
            return None
        shared = mentions & sampled
        if not shared:
            continue                        # about other things than the step's
        if params and any(isinstance(h, str) for h in mentions) and \
                not any(isinstance(h, str) or h not in world.vars for h in shared):
            # About a function at every point, sharing only declared constants (L in
            # smoothness) with a step that draws no value of it: the constants are drawn in
            # their declared sets. (Such hypotheses together can still bound a constant,
            # μ ≤ L for strong convexity and smoothness; only a witness function sees that.)
            continue
        if params:
            return None
        filters.append(probe)
    return filters


def _probe(schema, *makers):
    """(the schema's instance at fresh arguments, those arguments): the first count of
    scalars or of vectors it takes; (None, None) when none does."""
    for n in range(5):
        for make in makers:
            params = [make(f"ζ{i}") for i in range(n)]
            try:
                probe = schema.instance(*params)
            except Exception:      # noqa: BLE001 - not this many arguments, or not of this kind
                continue
            if hasattr(probe, "lhs"):
                return probe, params
    return None, None


def unsettled(outcome, info) -> str:
    """Sampling's part of the reason for a step it could not settle: what it said, or
    why points where the step held are no evidence here."""
    cannot = ("sampling cannot follow every condition here (an equation condition, or points "
              "that may coincide)")
    if outcome == "held":
        return f"it held at {info} sampled points, but {cannot}"
    if outcome == "counterexample":
        return f"a sampled point broke it, but {cannot}, so that point may not be admissible"
    return str(info)


def _gram_atoms(lhs, rhs):
    """Replace each ⟨p, q⟩ by a symbol whose value comes from random vectors in ℝ³."""
    atoms = (lhs.atoms(Inner) | rhs.atoms(Inner))
    grams = {}
    for atom in atoms:
        grams[atom] = Dummy("G")
    return lhs.xreplace(grams), rhs.xreplace(grams), {g: atom.args for atom, g in grams.items()}


def _free_value(sym, rng):
    """A value for a symbol with no interval (a function's value, a constant)."""
    if sym.is_positive:
        return rng.uniform(0.1, 3.0)
    if sym.is_nonnegative:
        return rng.uniform(0.0, 3.0)
    return rng.uniform(-3.0, 3.0)


def _run(lhs, rhs, rel, case, symbols, seed, points, grams):
    try:
        f = _numeric(lhs, symbols)
        g = _numeric(rhs, symbols)
    except Exception as exc:    # an expression lambdify cannot translate
        return "none", f"cannot evaluate numerically ({type(exc).__name__})"
    rng = random.Random(seed)
    held = 0
    world = getattr(case, "world", None)
    indices = {i for i, _, _ in pts.index_ranges(world)} if world is not None else set()
    with mpmath.workdps(DIGITS):
        for _ in range(points * 3):
            if held >= points:
                break
            original = case.sample(rng)
            if original is None:
                continue
            dummies = case.dummy_point(original)
            vectors = {}
            for g_sym, (p, q) in grams.items():
                for v in (p, q):
                    if v not in vectors:
                        vectors[v] = [rng.uniform(-2, 2) for _ in range(3)]
                dummies[g_sym] = sum(a * b for a, b in zip(vectors[p], vectors[q]))
            if any(s in indices and s not in dummies for s in symbols):
                continue          # no index in its range here (i ∈ {1, …, n} at n = 0)
            for sym in symbols:
                if sym not in dummies:
                    dummies[sym] = _free_value(sym, rng)
                    original[sym] = dummies[sym]
            raw = [dummies[s] for s in symbols]
            decided = _decide(f, g, raw, rel)
            if decided is None:
                continue
            broken, a, b = decided
            if broken:
                used = lhs.free_symbols | rhs.free_symbols
                # The variables the two sides depend on, and those the step's
                # conditions fix or restrict, so the point can be checked by hand.
                conditioned = set(case.signs) | {v for v, _ in case.constraints}
                for v, e in case.constraints:
                    conditioned |= e.free_symbols
                for _, g in case.filters:
                    conditioned |= g.free_symbols
                for big, (small, _) in (getattr(case, "dominance", None) or {}).items():
                    conditioned |= {big, small}          # x > y: both, or x alone says nothing
                point = {str(k): _fmt(v) for k, v in original.items()
                         if k in used or k in conditioned
                         or (k in case.subs and case.subs[k].free_symbols & used)}
                point.update({str(v): "(" + ", ".join(_fmt(c) for c in comps) + ")"
                              for v, comps in vectors.items()})
                point.update(lhs=_fmt(a), rhs=_fmt(b), difference=mpmath.nstr(mpmath.re(a - b), 3))
                return "counterexample", point
            held += 1
    if held == 0:
        return "none", "no sample point where both sides are defined"
    return "held", held


def _at(f, g, raw, dps):
    """Both sides at ``dps`` digits, real parts; None unless both are finite reals.

    A value with any imaginary part left at this precision is not real: the point
    is outside where the step makes sense, neither evidence nor counterexample.
    """
    with mpmath.workdps(dps):
        try:
            args = [mpmath.mpf(x) for x in raw]
            a, b = f(*args), g(*args)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return None
        out = []
        for x in (a, b):
            if isinstance(x, mpmath.mpc):
                if x.imag != 0 and dps >= FINE_DIGITS:
                    return None
                x = x.real
            try:
                if not mpmath.isfinite(x):
                    return None
            except TypeError:
                return None
            out.append(+x)
        return out


def _decide(f, g, raw, rel):
    """(broken, lhs, rhs) at one point, or None when the point tells nothing.

    The difference is looked at in 30, 60, 120 and, when needed, 240 digits: rounding
    shrinks as the precision grows, a real difference does not (however small:
    y·e⁻²⁰⁰ ≠ 0), and cancellation (cosh² − sinh² of large arguments) shows as
    a difference that changes with the precision. Only a stable difference of
    the wrong sign breaks the relation; only an exact tie breaks a strict one.
    """
    at30 = _at(f, g, raw, DIGITS)
    if at30 is None:
        return None
    at60 = _at(f, g, raw, FINE_DIGITS)
    if at60 is None:
        return None
    a, b = at60
    d30, d60 = at30[0] - at30[1], a - b
    scale = max(1, abs(a), abs(b))
    if d60 == 0:
        # Equal to 60 digits; 120 tells an exact tie from a difference absorbed
        # by a large term (log(e²⁰⁰ + q) = 200 to 86 digits).
        at120 = _at(f, g, raw, 2 * FINE_DIGITS)
        if at120 is None:
            return None
        if at120[0] - at120[1] == 0 or abs(at120[0] - at120[1]) <= mpmath.mpf(10) ** -110 * scale:
            return (rel in ("<", ">") and d30 == 0), a, b
        at60, d60 = at120, at120[0] - at120[1]
    # Every apparent difference is confirmed at 120 digits (cancellation in
    # cosh² − sinh² of large arguments survives 60 digits); a difference too small
    # for 60 digits is followed to 240 (log(e²⁰⁰ + q) − 200 ≈ q·e⁻²⁰⁰).
    d_prev = d60
    for digits in (2 * FINE_DIGITS, 4 * FINE_DIGITS):
        nxt = _at(f, g, raw, digits)
        if nxt is None:
            return None
        d_next = nxt[0] - nxt[1]
        shrank = abs(d_next) <= mpmath.mpf("1e-6") * abs(d_prev)
        steady = abs(d_next - d_prev) <= mpmath.mpf("1e-3") * abs(d_next)
        if steady:
            a, b, d60 = nxt[0], nxt[1], d_next
            break
        if not shrank:
            return None                         # still moving: cannot tell
        tiny = mpmath.mpf(10) ** -(digits - 10) * scale
        if abs(d_next) <= tiny:
            return (rel in ("<", ">") and d_next == 0), nxt[0], nxt[1]   # rounding
        d_prev = d_next
    else:
        return None
    if rel == "=":
        return True, a, b
    if rel in ("<=", "<"):
        return d60 > 0, a, b
    return d60 < 0, a, b


def _fmt(x) -> str:
    if isinstance(x, int):
        return str(x)
    return mpmath.nstr(mpmath.re(x) if isinstance(x, mpmath.mpc) else x, 8)


def trustworthy(world, *exprs) -> bool:
    """Counterexamples are real ones unless an equation condition constrains the
    variables in a way sampling cannot follow (see points.plan), or two values of
    one function are taken at points that may coincide (f(x⁺) and f(x − η∇f(x))
    are named apart but are the same number)."""
    from sympy import sympify
    if not pts.plan(world).exact:
        return False
    # An equation (x = 0, x = y) can make two points one: f(x) and f(0) are then equal.
    may_coincide = bool(world.equations)
    defined_points = {s.name for s in world.defs}
    groups, symbols = {}, set()
    for e in exprs:
        for sym in sympify(e).free_symbols:
            symbols |= world.expand_defs(sym).free_symbols if sym in world.defs else {sym}
    for sym in symbols:
        name = sym.name
        if name.endswith(")") and "(" in name:
            head, point = name.split("(", 1)
            groups.setdefault(head, set()).add(point[:-1])
    known = set(world.vars)
    for e in world.defs.values():
        known |= {x for x in sympify(e).free_symbols if x not in world.defs}
    known = {s.name for s in known}
    for names in groups.values():
        if len(names) > 1 and (may_coincide or any(
                p in defined_points or (p not in known and p != "0") for p in names)):
            return False
    return True
