"""Results a derivation states and cites later: where they may be recorded, and what transfers."""

from __future__ import annotations

import inspect
import re

from sympy import Ge, Gt, Le, Lt, S, Symbol, cancel, sympify

from ..expressions import rebuild
from ..notation import VectorSymbol
from ..printing import text
from .facts import Established, gap, lookup, normal


def establishes(world, step, lhs):
    """None when ``step`` states its result at its ``at`` arguments, else why not."""
    name = step.why.establishes
    schema = lookup(world.derivation, name)
    args = step.why.at
    problem = _generic_arguments(world, schema, args)
    if problem:
        return problem
    inst = schema.instance(*args)
    g_inst, s_inst = gap(inst)
    g_step, s_step = gap((lhs, step.rhs), step.rel)
    if s_inst is None or s_step is None or (s_inst and not s_step):
        return f"the step does not state {name} (relation differs)"
    differ = cancel(normal(world, g_inst - g_step))
    if differ != 0:
        return f"the step does not state {name}: they differ by {text(differ)}"
    return None


def record(ledger, step, part_label):
    ledger.established[step.why.establishes] = Established(tuple(step.why.at), part_label)


def same_world(world, use, ledger, schema):
    """A result without obligations may only be cited where every part-scoped
    hypothesis of the part that proved it also holds (it may have used any)."""
    if schema.obligations is not None:
        return None
    done = ledger.established.get(use.name)
    proved_in = getattr(done, "part", None)
    if proved_in is None or proved_in == world.part:
        return None
    names, props = _scoped(world.derivation, proved_in)
    here_names, here_props = _scoped(world.derivation, world.part)
    lost = sorted(names - here_names) + sorted(f"{p[1]} {p[0]}" for p in props - here_props)
    if lost:
        return (f"{use.name} was proved in ({proved_in}), where {lost[0]} holds; "
                f"it does not hold in ({world.part})")
    return None


def _scoped(derivation, part):
    """The part-scoped hypotheses and properties that hold in ``part``."""
    names = {s.name for s in derivation.schemas
             if s.kind != "result" and s.parts and part in s.parts}
    props = {(p.name, p.function, p.value) for p in derivation.properties
             if p.parts and part in p.parts}
    return names, props


def result_domain(world, use, ledger):
    """A result proved at variables (t ≥ 0, an integer; μ > 0 with L ≥ μ) holds for
    arguments in the same domain: each interval bound and each assumption that
    mentions those variables becomes a side condition on the arguments."""
    from ..errors import UnsupportedStep
    at = ledger.established.get(use.name, ())
    if len(at) != len(use.args):
        raise UnsupportedStep(f"{use.name} was established at {len(at)} argument(s), "
                              f"used with {len(use.args)}")
    for a, b in zip(at, use.args):
        if isinstance(a, str) and a != b and lookup(world.derivation, use.name).obligations is None:
            # A function's name is not a variable: without obligations that say what
            # the new function satisfies, the result is about the one it was proved for.
            yield S.false
    for a, b in zip(at, use.args):
        if isinstance(a, Symbol) and a not in world.vars:
            # A constant's own assumptions were available to the proof: they transfer.
            b = sympify(b)
            for attr, rel in (("is_positive", Gt), ("is_negative", Lt),
                              ("is_nonnegative", Ge), ("is_nonpositive", Le)):
                if getattr(a, attr) and not isinstance(a, VectorSymbol):
                    yield rel(b, 0)
            if a.is_integer and not b.is_integer:
                yield S.false
    swap = {a: b for a, b in zip(at, use.args) if a in world.vars}
    for a, b in swap.items():
        var = world.vars[a]
        if var.integer and not sympify(b).is_integer:
            yield S.false
        if var.lower is not None:
            yield (Gt if var.lower_open else Ge)(b, var.lower)
        if var.upper is not None:
            yield (Lt if var.upper_open else Le)(b, var.upper)
    for assumption in world.derivation.assumptions:
        expanded = rebuild(world.expand_defs(assumption))
        if expanded.free_symbols & set(swap):
            yield expanded.xreplace(swap)


def _generic_arguments(world, schema, args):
    """A result is cited at other arguments later, so the ones it is proved at must
    be free to vary: distinct symbols, and (unless the result's obligations say
    what transfers) points that no assumption or hypothesis pins down."""
    derivation = world.derivation
    symbols = [a for a in args if not isinstance(a, str)]
    if any(not isinstance(a, Symbol) for a in symbols) or len(set(symbols)) != len(symbols):
        return (f"{schema.name} must be established at distinct variables or points, "
                f"not at {', '.join(text(a) for a in symbols)}")
    defined = [a for a in symbols if a in dict(derivation.definitions)]
    if defined:
        return (f"{schema.name} must be established at free points or variables; "
                f"{defined[0].name} has a definition")
    # The statement itself may not mention the argument it is proved at (P(p): p ≤ x + z
    # proved at x), not even through a definition: a probe instance must be free of it.
    probe = _probe(world, schema)
    if probe is None:
        return f"cannot instantiate {schema.name} to see what it depends on"
    leaked = [a for a in symbols if _mentions(probe, a)]
    if leaked:
        return (f"{schema.name} mentions {leaked[0].name}, the argument it is proved at: "
                "it would not hold at other arguments")
    if schema.obligations is not None:
        return None
    pinned = _pinned_symbols(world)
    if pinned is None:
        return f"cannot tell whether the hypotheses pin down {', '.join(text(a) for a in symbols)}"
    by_hypotheses, by_assumptions = pinned
    variables = {v.symbol for v in derivation.variables}
    for a in symbols:
        # A variable's interval and the assumptions on it transfer as side conditions
        # (see result_domain); a hypothesis about it, or about a point, does not.
        mentioned = by_hypotheses if a in variables else by_hypotheses | by_assumptions
        if any(_mentions_symbol(p, a) for p in mentioned):
            return (f"{schema.name} is proved at {a.name}, which a hypothesis or assumption "
                    "pins down: it would not hold at other arguments")
    return None


def _pinned_symbols(world):
    """(symbols the hypotheses mention, symbols the assumptions mention), definitions
    expanded and fresh arguments standing for a hypothesis' own variables; None if unsure."""
    derivation = world.derivation
    out, assumed = set(), set()
    for a in derivation.assumptions:
        assumed |= rebuild(world.expand_defs(a)).free_symbols if hasattr(a, "free_symbols") else set()
    for s in derivation.schemas:
        if s.kind == "result":
            continue
        inst = _instantiate(s, (lambda i: VectorSymbol(f"_probe{i}"),
                                lambda i: Symbol(f"_probe{i}", real=True)))
        if inst is None:
            return None
        # Keep compound points such as f(_probe0 + c): they pin c.
        out |= {x for x in rebuild(world.expand_defs(inst)).free_symbols
                if not x.name.startswith("_probe")}
    return out, assumed


def _instantiate(schema, makers):
    try:
        n = len(inspect.signature(schema.instance).parameters)
    except (TypeError, ValueError):
        return None
    for make in makers:
        try:
            return schema.instance(*[make(i) for i in range(n)])
        except Exception:   # noqa: BLE001 - try another kind of argument
            continue
    return None


def _probe(world, schema):
    """The schema instantiated at fresh arguments, definitions expanded; None if it fails."""
    inst = _instantiate(schema, (lambda i: VectorSymbol(f"_probe{i}"),
                                 lambda i: Symbol(f"_probe{i}", real=True),
                                 lambda i: f"_probe{i}"))
    return None if inst is None else rebuild(world.expand_defs(inst))


def _mentions_symbol(p, a) -> bool:
    """p is a, or a function value at a point built from a (ℒ(x), ℒ(x + c), ∇ℒ(x))."""
    pattern = re.compile(r"\((?:.*[^\w])?" + re.escape(a.name) + r"(?:[^\w].*)?\)")
    return p == a or bool(pattern.search(p.name))


def _mentions(expr, a) -> bool:
    return any(_mentions_symbol(p, a) for p in expr.free_symbols)
