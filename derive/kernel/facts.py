"""What a step may use: hypotheses, lemmas and earlier results, instantiated, with their side conditions."""

from __future__ import annotations

from dataclasses import dataclass, field

from sympy import (Add, Eq, GreaterThan, LessThan, Mul, Ne, S, StrictGreaterThan,
                   StrictLessThan, cancel, expand, exp, log, sympify)

from ..errors import UnsupportedStep
from ..expressions import rebuild
from ..model import Schema
from ..notation import Inner, VectorSymbol
from ..printing import text
from .points import canonical
from .positivity import everywhere

# Standard lemmas every derivation may cite, each with its proof sketched in docs/lemmas.md.
LEMMAS = {
    # 1 − z ≤ e^{−z} for every real z: e^{−z} is convex and 1 − z is its tangent at 0.
    "exp_bound": Schema("exp_bound", lambda z: LessThan(1 - z, exp(-z)), kind="lemma",
                        statement="1 − z ≤ e^{−z} for every real z"),
    # log y ≤ y − 1 for y > 0: log is concave and y − 1 is its tangent at 1.
    "log_bound": Schema("log_bound", lambda y: LessThan(log(y), y - 1), kind="lemma",
                        statement="log y ≤ y − 1 for every y > 0",
                        obligations=lambda y: (StrictGreaterThan(y, 0),)),
    # ⟨a, b⟩² ≤ ‖a‖²‖b‖² in every real inner-product space: ‖a − tb‖² ≥ 0 for every t.
    "cauchy_schwarz": Schema("cauchy_schwarz",
                             lambda a, b: LessThan(Inner(a, b) ** 2, Inner(a, a) * Inner(b, b)),
                             kind="lemma", statement="⟨a, b⟩² ≤ ‖a‖²‖b‖² for all vectors a, b"),
}
# Which arguments of each standard lemma are vectors (the readers check a citation's).
LEMMA_VECTORS = {"exp_bound": (False,), "log_bound": (False,), "cauchy_schwarz": (True, True)}


@dataclass(frozen=True)
class Fact:
    """One relation a step may use, and the words that name it."""

    label: str
    relation: object


@dataclass
class Ledger:
    """What the steps before this one established, in derivation order.

    ``above`` is the relation the previous chain proved (first left side to last
    right side; None unless every link was proved or cited) and the conditions
    its links assumed; ``established`` maps a result's name to where it was proved.
    """

    above: object = None
    above_conditions: tuple = ()
    established: dict = field(default_factory=dict)


class Established(tuple):
    """Where a result was proved: its arguments and the part (a tuple of the arguments)."""

    def __new__(cls, at, part):
        self = super().__new__(cls, at)
        self.part = part
        return self


def lookup(derivation, name, part=None):
    """A schema of the derivation, else a standard lemma; unknown names are refused.

    A schema scoped to some parts cannot be used in another part.
    """
    if name in LEMMAS and any(s.name == name for s in derivation.schemas):
        raise UnsupportedStep(f"{name!r} is a standard lemma; the derivation may not redefine it")
    for s in derivation.schemas:
        if s.name == name:
            if part is not None and s.parts and part not in s.parts:
                where = ", ".join(f"({p})" for p in s.parts)
                raise UnsupportedStep(f"{name!r} holds only in part {where}, not in ({part})")
            return s
    if name in LEMMAS:
        return LEMMAS[name]
    known = ", ".join([s.name for s in derivation.schemas] + sorted(LEMMAS))
    raise UnsupportedStep(f"no hypothesis, result or lemma named {name!r} (known: {known})")


# -- normal forms of inequalities ---------------------------------------------------

def gap(rel_or_sides, rel=None):
    """(g, strict) with ``g ≥ 0`` (``g > 0`` when strict) equivalent to the relation;
    strict is None for an equation (g = 0)."""
    if rel is None:
        r = rel_or_sides
        if isinstance(r, (LessThan, StrictLessThan)):
            return r.rhs - r.lhs, isinstance(r, StrictLessThan)
        if isinstance(r, (GreaterThan, StrictGreaterThan)):
            return r.lhs - r.rhs, isinstance(r, StrictGreaterThan)
        if isinstance(r, Eq):
            return r.lhs - r.rhs, None
        raise UnsupportedStep(f"not an inequality: {r}")
    lhs, rhs = rel_or_sides
    if rel in ("<=", "<"):
        return rhs - lhs, rel == "<"
    if rel in (">=", ">"):
        return lhs - rhs, rel == ">"
    if rel == "=":
        return lhs - rhs, None
    raise UnsupportedStep(f"relation {rel!r} is not an inequality")


def normal(world, expr, expand_=True):
    """Definitions expanded, equations applied, ⟨·,·⟩ re-expanded, sums expanded."""
    key = ("normal", expr, expand_)        # a pure function of the world: searcher and kernel share it
    if key not in world.memo:
        world.memo[key] = _normal(world, expr, expand_)
    return world.memo[key]


def _normal(world, expr, expand_):
    expr = rebuild(sympify(expr))
    if world.equations:
        expr = expr.xreplace(world.equations)
    expr = rebuild(world.expand_defs(expr))
    if world.equations:
        expr = rebuild(expr.xreplace(world.equations))
    expr = canonical(world, expr)
    return expand(expr) if expand_ else expr


def surface(world, expr):
    """The author's expression, evaluated, equations applied, definitions kept as names."""
    expr = rebuild(sympify(expr))
    if world.equations:
        expr = rebuild(expr.xreplace(world.equations))
    return expr


def split_atoms(world, expr, unknowns=()):
    """Split a linear form into (coefficients of free atoms, Gram part, constant).

    Parameters (declared variables) live in the coefficients; every other symbol
    (a function's value, ℒ*) and every ⟨p, q⟩ is an atom. Raises UnsupportedStep
    when the expression is not linear in its atoms.
    """
    params = set(world.vars) | set(unknowns)
    free, gram, const = {}, {}, S.Zero
    for term in Add.make_args(expr):
        coeff, atoms = S.One, []
        for factor in Mul.make_args(term):
            if is_param(factor, params):
                coeff *= factor
            else:
                atoms.append(factor)
        if not atoms:
            const += coeff
        elif len(atoms) == 1 and isinstance(atoms[0], Inner):
            gram[atoms[0]] = gram.get(atoms[0], S.Zero) + coeff
        elif len(atoms) == 1 and (atoms[0].is_Symbol or atoms[0].is_Function):
            # A function's value, ℒ*, or log(L‖w*‖²/ε): anything the facts must cancel.
            free[atoms[0]] = free.get(atoms[0], S.Zero) + coeff
        else:
            raise UnsupportedStep(f"not linear in the function values and inner products: {text(term)}")
    return free, gram, const


def is_param(factor, params) -> bool:
    syms = factor.free_symbols
    return not factor.has(Inner) and (syms <= params or not syms) and \
        not any(isinstance(s, VectorSymbol) for s in syms)


# -- facts ----------------------------------------------------------------------------

def instances(world, step, ledger) -> list:
    """The facts a step's ``uses`` name, then the step's own conditions that are facts."""
    out = []
    for use in step.why.uses:
        if use.name == "above":
            if ledger.above is None:
                raise UnsupportedStep("'above' is used, but the chain above is missing or "
                                      "not proved in every link")
            missing = [c for c in ledger.above_conditions if c not in world.own_conditions]
            if missing:
                raise UnsupportedStep(f"the chain above holds only where {text(missing[0])}; "
                                      "this step does not assume it")
            out.append(Fact("the chain above", ledger.above))
            continue
        schema = lookup(world.derivation, use.name, world.part)
        if schema.kind == "result" and use.name not in ledger.established:
            raise UnsupportedStep(f"uses {use.name!r}, which no step above established")
        rel = schema.instance(*use.args)
        label = f"{use.name}({', '.join(text(a) for a in use.args)})" if use.args else use.name
        out.append(Fact(label, rel))
    for fact in world.facts:
        out.append(Fact(f"condition {text(fact)}", fact))
    return out


def parameter_gaps(world, facts) -> tuple:
    """The facts that only constrain parameters, as (gap ≥ 0, strict), for sign proofs
    (ηL ≤ 1 gives 1 − ηL ≥ 0 to factor out)."""
    gaps = []
    params = set(world.vars)
    for fact in facts:
        g, strict = gap(fact.relation)
        if strict is None:
            continue
        g = normal(world, g)
        if g.free_symbols and g.free_symbols <= params and not g.has(Inner):
            gaps.append((g, strict))
    return tuple(gaps)


def condition_gaps(world) -> tuple:
    """The step's conditions that only constrain parameters, as (gap ≥ 0, strict)."""
    key = ("condition gaps",)
    if key not in world.memo:
        facts = [Fact("", f) for f in world.facts if isinstance(f, (LessThan, StrictLessThan,
                                                                   GreaterThan, StrictGreaterThan))]
        world.memo[key] = parameter_gaps(world, facts)
    return world.memo[key]


def obligations(world, step, ledger, gaps=()):
    """Side conditions of the schemas a step uses, each proved: (lines, None) or (lines, why not)."""
    from .results import result_domain, same_world
    results = []
    props = [p for p in world.derivation.properties if not p.parts or world.part in p.parts]
    for use in step.why.uses:
        if use.name == "above":
            continue
        schema = lookup(world.derivation, use.name, world.part)
        if schema.kind == "result" and use.name not in ledger.established:
            return results, f"uses {use.name!r}, which no step above established"
        items = list(schema.obligations(*use.args)) if schema.obligations is not None else []
        if schema.kind == "result":
            moved = same_world(world, use, ledger, schema)
            if moved:
                return results, moved
            items.extend(result_domain(world, use, ledger))
        for item in items:
            if isinstance(item, tuple) and item and item[0] == "property":
                _, name, f, const = item
                have = [p.value for p in props if p.name == name and p.function == f]
                shown = f"{f} {name} ({text(const)})"
                if not any(cancel(c - const) == 0 for c in have):
                    declared = ", ".join(f"{text(c)}-{name}" for c in have) or "nothing"
                    return results, f"{shown} is not among the hypotheses (declared: {f} {declared})"
                results.append(f"{shown}: a stated hypothesis")
            elif item is S.true or item is True:
                continue        # settled by the symbols' own assumptions when it was built
            elif item is S.false or item is False:
                return results, (f"a side condition is false for {use.name}"
                                 f"({', '.join(text(a) for a in use.args)}): an argument is "
                                 "outside the domain the fact holds on")
            else:
                if isinstance(item, Ne):
                    g = normal(world, item.lhs - item.rhs)
                    ok = everywhere(world, g, True, gaps) or everywhere(world, -g, True, gaps)
                else:
                    g, strict = gap(item)
                    g = normal(world, g)
                    # An equation must hold identically, not merely as ≥.
                    ok = cancel(g) == 0 if strict is None else everywhere(world, g, strict, gaps)
                if not ok:
                    return results, f"side condition {text(item)} does not follow from the assumptions"
                results.append(f"side condition {text(item)}: proved from the assumptions")
    return results, None
