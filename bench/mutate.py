"""Mechanical wrong variants of a right step: ten kinds of slip, each at a chosen place."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from sympy import (Add, Derivative, Eq, Function, GreaterThan, LessThan, Limit, Mul, Piecewise,
                   Pow, S, StrictGreaterThan, StrictLessThan, Symbol, Tuple, oo, sympify)
from sympy.core.relational import Relational

from derive.notation import Inner, VectorSymbol

OPERATORS = ("sign flip", "constant scaled", "term dropped", "factor dropped", "exponent changed",
             "argument negated", "symbols swapped", "relation reversed", "wrong branch",
             "wrong limit point")

_REVERSED = {"<=": ">=", "<": ">", ">=": "<=", ">": "<"}
_FLIP = {LessThan: GreaterThan, GreaterThan: LessThan, StrictLessThan: StrictGreaterThan,
         StrictGreaterThan: StrictLessThan}


@dataclass(frozen=True)
class Mutant:
    operator: str
    description: str
    lhs: object
    step: object


def _nodes(expr, path=()):
    """(path, node) for every subexpression a slip may touch (not ∂'s variables, not a
    limit's variable, not a case's conditions)."""
    yield path, expr
    if isinstance(expr, (Derivative,)):
        yield from _nodes(expr.args[0], path + (0,))
        return
    if isinstance(expr, Limit):
        yield from _nodes(expr.args[0], path + (0,))
        return
    if isinstance(expr, Piecewise):
        for i, (e, _) in enumerate(expr.args):
            yield from _nodes(e, path + (i, 0))
        return
    if isinstance(expr, (Inner, Tuple)) or expr.is_Atom:
        return
    for i, a in enumerate(expr.args):
        yield from _nodes(a, path + (i,))


def _put(expr, path, new):
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = _put(args[path[0]], path[1:], new)
    return expr.func(*args)


def _candidates(expr, variables):
    """(operator, description, new expression) for every single slip in ``expr``."""
    expr = sympify(expr)
    out = []
    if expr != 0:
        out.append(("sign flip", "the whole side negated", -expr))
        out.append(("constant scaled", "the whole side doubled", 2 * expr))
    for path, node in _nodes(expr):
        if isinstance(node, Add) and len(node.args) >= 2:
            for i, term in enumerate(node.args):
                rest = [a for j, a in enumerate(node.args) if j != i]
                out.append(("term dropped", f"dropped the term {term}", _put(expr, path, Add(*rest))))
                flipped = rest + [-term]
                out.append(("sign flip", f"sign of {term} flipped", _put(expr, path, Add(*flipped))))
        if isinstance(node, Mul) and len(node.args) >= 2:
            for i, factor in enumerate(node.args):
                if factor == -1:
                    continue
                rest = [a for j, a in enumerate(node.args) if j != i]
                out.append(("factor dropped", f"dropped the factor {factor}", _put(expr, path, Mul(*rest))))
        if node.is_Rational and node not in (S.Zero, S.One, S.NegativeOne) and path:
            out.append(("constant scaled", f"{node} became {2 * node}", _put(expr, path, 2 * node)))
        if isinstance(node, Pow) and node.exp.is_Number:
            new_exp = node.exp + 1 if node.exp != -1 else S(-2)
            out.append(("exponent changed", f"exponent {node.exp} became {new_exp}",
                        _put(expr, path, Pow(node.base, new_exp))))
        if isinstance(node, Function) and len(node.args) == 1 and not isinstance(node, Inner) \
                and node.args[0] != 0:
            out.append(("argument negated", f"{node.func}(·) of the negated argument",
                        _put(expr, path, node.func(-node.args[0]))))
        if isinstance(node, Piecewise) and len(node.args) >= 2:
            (e0, c0), (e1, c1) = node.args[0], node.args[1]
            if e0 != e1:
                swapped = Piecewise((e1, c0), (e0, c1), *node.args[2:])
                out.append(("wrong branch", "two branches' formulas swapped", _put(expr, path, swapped)))
        if isinstance(node, Limit):
            body, z, z0, d = node.args
            new_point = S.Zero if z0 in (oo, -oo) else z0 + 1
            out.append(("wrong limit point", f"the limit taken at {new_point} instead of {z0}",
                        _put(expr, path, Limit(body, z, new_point, d if new_point != 0 or z0 not in (oo, -oo) else "+-"))))
    scalars = sorted((s for s in expr.free_symbols if not isinstance(s, VectorSymbol) and s in variables),
                     key=lambda s: s.name)
    if len(scalars) >= 2:
        a, b = scalars[0], scalars[1]
        out.append(("symbols swapped", f"{a} and {b} swapped", expr.xreplace({a: b, b: a})))
    elif len(scalars) == 1:
        others = [v for v in variables if v != scalars[0] and not isinstance(v, VectorSymbol)
                  and v.is_integer == scalars[0].is_integer]
        if others:
            other = sorted(others, key=lambda s: s.name)[0]
            out.append(("symbols swapped", f"{scalars[0]} became {other}", expr.xreplace({scalars[0]: other})))
    return [(op, why, new) for op, why, new in out if new != expr]


def mutants(step, lhs, variables, seed=0, per_operator=1):
    """Wrong variants of one step (at most ``per_operator`` of each kind)."""
    rng = random.Random(seed)
    found = []
    if step.rel == "iff":
        second = step.rhs
        for op, why, new in _candidates(second.rhs, variables):
            found.append(Mutant(op, why, lhs, replace(step, rhs=second.func(second.lhs, new))))
        if type(second) in _FLIP:
            found.append(Mutant("relation reversed", "the solved condition's direction reversed", lhs,
                                replace(step, rhs=_FLIP[type(second)](second.lhs, second.rhs))))
    else:
        for op, why, new in _candidates(step.rhs, variables):
            found.append(Mutant(op, why, lhs, replace(step, rhs=new)))
        if step.rel in _REVERSED:
            found.append(Mutant("relation reversed", f"{step.rel} became {_REVERSED[step.rel]}", lhs,
                                replace(step, rel=_REVERSED[step.rel])))
        for path, node in _nodes(sympify(lhs)):
            if isinstance(node, Limit):
                body, z, z0, d = node.args
                new_point = S.Zero if z0 in (oo, -oo) else z0 + 1
                new_lhs = _put(sympify(lhs), path, Limit(body, z, new_point, "+-" if z0 in (oo, -oo) else d))
                found.append(Mutant("wrong limit point", f"the limit taken at {new_point} instead of {z0}",
                                    new_lhs, step))
    for i, cond in enumerate(step.when):
        if type(cond) in _FLIP:
            flipped = list(step.when)
            flipped[i] = _FLIP[type(cond)](cond.lhs, cond.rhs)
            found.append(Mutant("wrong branch", f"the case {cond} reversed", lhs,
                                replace(step, when=tuple(flipped))))
    by_op = {}
    for m in found:
        by_op.setdefault(m.operator, []).append(m)
    chosen = []
    for op in OPERATORS:
        options = by_op.get(op, [])
        rng.shuffle(options)
        chosen.extend(options[:per_operator])
    return chosen
