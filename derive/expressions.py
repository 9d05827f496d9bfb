"""Expression plumbing every layer shares: re-evaluation, bottom-up rewriting, kinks, σ unfolded."""

from __future__ import annotations

from sympy import Derivative, Limit, S, exp, sympify


def rebuild(expr):
    """Re-create an expression written under ``evaluate(False)`` with evaluation on.

    Authors write claims unevaluated to keep their order for printing; checks
    need the canonical form (e.g. ⟨·,·⟩ expanded bilinearly).
    """
    expr = sympify(expr)
    if not expr.args or expr.is_Atom:
        return expr
    if isinstance(expr, (Derivative, Limit)):
        return expr.func(rebuild(expr.args[0]), *expr.args[1:])
    return expr.func(*[rebuild(a) for a in expr.args])


def rewrite_bottom_up(expr, types, fn):
    """Replace each node of ``types``, innermost first, by ``fn(node)`` (the node with
    its inner replacements made); ``fn`` returns None to leave a node as it is."""
    if not expr.has(*types):
        return expr
    reps = {}
    for node in _postorder(expr, types):
        if node in reps:
            continue            # met again (σ'(u) twice): xreplace would hand fn its replacement
        new = fn(node.xreplace(reps))
        if new is not None:
            reps[node] = new
    return expr.xreplace(reps)


def derivative(expr, *variables):
    """Derivative(expr, *variables), not carried out; a derivative of a derivative is one
    derivative with whole orders (under ``evaluate(False)`` SymPy merges (x, 1) and (x, 1)
    into (x, 1 + 1), which printed as ∂¹ ⁺ ¹ and which nothing can differentiate)."""
    from sympy import evaluate
    with evaluate(True):
        return Derivative(expr, *variables)


def fresh_variable(name, taken):
    """A new real variable for a derivative at a point, named ``name`` unless a symbol of that
    name is in ``taken`` (names: p(x, y) = ∂(x²y)/∂x at (x, x) printed "∂/∂x[x²·x] at x = x")."""
    from sympy import Dummy
    return Dummy(next(n for n in (name, "t", "s", "u", "v", "w") + tuple(
        f"t_{k}" for k in range(len(taken) + 1)) if n not in taken), real=True)


def names(*exprs) -> set:
    """The names of the symbols in ``exprs``, bound ones too."""
    from sympy import Symbol
    return {s.name for e in exprs for s in sympify(e).atoms(Symbol)}


def put_in(expr, mapping):
    """``expr`` with each variable of ``mapping`` replaced by its value, as one puts an argument
    into a formula: a derivative with respect to a replaced variable becomes that derivative
    at the value (at a fresh variable), never a derivative with respect to the value
    (m(x) = g'(x) at 2 is g' at 2, where xreplace made d/d2, which SymPy refuses)."""
    from sympy import Dummy, Subs, Symbol
    expr, keys = sympify(expr), set(mapping)
    found = []

    def walk(e):
        if isinstance(e, Derivative) and set(e.variables) & keys:
            found.append(e)
        else:
            for a in e.args:
                walk(a)
    walk(expr)
    if not found:
        return expr.xreplace(mapping)
    values = {}
    for d in dict.fromkeys(found):
        bound = [v for v in dict.fromkeys(d.variables) if v in keys]
        taken = names(*mapping.values()) | {s.name for s in d.atoms(Symbol) if s not in bound}
        fresh = {v: fresh_variable(v.name, taken) for v in bound}
        inner = put_in(d.xreplace(fresh), {k: v for k, v in mapping.items() if k not in fresh})
        (v0, *more), value = bound, mapping[bound[0]]
        if not more and isinstance(value, Symbol) and value not in inner.free_symbols:
            values[d] = inner.xreplace({fresh[v0]: value})      # g'(y) as d/dy, as written
        else:
            values[d] = Subs(inner, [fresh[v] for v in bound], [mapping[v] for v in bound])
    hold = {d: Dummy() for d in values}
    return expr.xreplace(hold).xreplace(mapping).xreplace({hold[d]: v for d, v in values.items()})


def _postorder(expr, types):
    out = []

    def walk(e):
        for a in e.args:
            walk(a)
        if isinstance(e, types):
            out.append(e)
    walk(expr)
    return out


def to_primitives(expr):
    """σ as 1/(1+e^{-z}): sigmoid identities become rational identities in e^{u}."""
    from .notation import sigma
    if expr.has(sigma):
        expr = expr.replace(sigma, lambda z: 1 / (1 + exp(-z)))
    return expr


def nonsmooth_types():
    """Functions with kinks, jumps or branch cuts: no derivative through them is taken blindly."""
    from sympy import (Abs, DiracDelta, Heaviside, Max, Min, Mod, Piecewise, arg, atan2,
                       ceiling, conjugate, floor, frac, im, re, sign)
    from .notation import ReLU
    # Kinks, jumps and branch cuts (atan2 and arg jump by 2π across the negative axis).
    return (Abs, Max, Min, Piecewise, Heaviside, DiracDelta, sign, ReLU, floor, ceiling,
            frac, Mod, atan2, arg, re, im, conjugate)


def kinks(expr) -> set:
    """Where the non-smooth functions in ``expr`` may fail to be differentiable."""
    from sympy import Max, Min, Mod, Piecewise, atan2, ceiling, conjugate, floor, frac, im, re
    from sympy.core.relational import Relational
    out = set()
    for node in expr.atoms(*nonsmooth_types()):
        if isinstance(node, (Max, Min)):
            args = node.args
            out.update(a - b for i, a in enumerate(args) for b in args[i + 1:])
        elif isinstance(node, Piecewise):
            for _, cond in node.args:
                out.update(r.lhs - r.rhs for r in
                           ([cond] if isinstance(cond, Relational) else cond.atoms(Relational)))
        elif isinstance(node, (floor, ceiling, frac, Mod, re, im, conjugate)):
            out.add(S.Zero)        # jumps at every integer, or not holomorphic: never sure
        elif isinstance(node, atan2):
            out.update(node.args)  # the cut: y = 0 (with x < 0), and the origin
        else:
            out.add(node.args[0])
    return out


CSE_NODES = 400       # above this size, common subexpressions are evaluated once


def evaluator(symbols, expr, modules):
    """``lambdify(symbols, expr, modules=modules)``, with each repeated subexpression of a big
    expression evaluated once (σ nested n deep: every level's σ' holds every level below, so
    evaluation stays linear). Not through pieces, where a shared subexpression would be
    computed outside the branch that guards it, nor through sums, products, integrals or
    lambdas, where it would be lifted out of the scope of their bound variable; below
    CSE_NODES nothing changes."""
    from sympy import Integral, Lambda, Piecewise, Product, Sum, lambdify, preorder_traversal
    from .notation import ReLU
    if expr.has(ReLU):       # lambdify has no ReLU: every searcher evaluates it as a piece
        expr = expr.replace(ReLU, lambda z: Piecewise((z, z > 0), (0, True)))
    big = any(count >= CSE_NODES for count, _ in enumerate(preorder_traversal(expr)))
    scoped = expr.has(Piecewise, Sum, Product, Integral, Lambda)
    return lambdify(symbols, expr, modules=modules, cse=big and not scoped)
