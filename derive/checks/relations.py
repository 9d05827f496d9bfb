"""Equalities, sign inequalities and equivalences of equations, checked case by case."""

from __future__ import annotations

from sympy import (Dummy, Limit, Eq, cancel, diff, sympify,
                   StrictGreaterThan, StrictLessThan, GreaterThan, LessThan)

from ..budget import attempt
from ..errors import UnsupportedStep
from ..verdict import checked, failed, proved, unknown
from .context import nonsmooth_types, rebuild, signed_interval
from .algebra import CHEAP, LAYERS, to_primitives, zero_by
from .sampling import sample_relation
from .signs import prove_sign

PREPARE_BUDGET = 1.5


def _prepare(ctx, expr, case, signs=False):
    if signs:
        saved = case.subs
        case.subs = case.sign_subs
        try:
            return ctx.prepare(expr, case)
        finally:
            case.subs = saved
    return ctx.prepare(expr, case)


def _sampling_exact(ctx, *exprs) -> bool:
    """Counterexamples are real ones unless an equation condition constrains the
    variables in a way sampling cannot follow (see Context._constraints), or two
    values of one function are taken at points that may coincide (f(x⁺) and
    f(x − η∇f(x)) are named apart but are the same number)."""
    if not ctx.sampling_exact:
        return False
    # An equation (x = 0, x = y) can make two points one: f(x) and f(0) are then equal.
    may_coincide = bool(ctx.equations)
    defined_points = {s.name for s in ctx.defs}
    groups = {}
    symbols = set()
    for e in exprs:
        for sym in sympify(e).free_symbols:
            symbols |= ctx.expand_defs(sym).free_symbols if sym in ctx.defs else {sym}
    for e in [None]:
        for sym in symbols:
            name = sym.name
            if name.endswith(")") and "(" in name:
                head, point = name.split("(", 1)
                groups.setdefault(head, set()).add(point[:-1])
    known = {s.name for s in _all_symbols(ctx)}
    for points in groups.values():
        if len(points) > 1 and (may_coincide or any(p in defined_points or (p not in known and p != "0")
                                                    for p in points)):
            return False
    return True


def _all_symbols(ctx):
    """The plain (undefined) symbols and vectors the derivation mentions."""
    out = set()
    for s, e in ctx.defs.items():
        out |= {x for x in sympify(e).free_symbols if x not in ctx.defs}
    out |= set(ctx.vars)
    return out


def _tag(method, cases, ctx):
    if len(ctx.cases) == 1 and not ctx.cases[0].label:
        return method
    return f"{method} in each sign case ({'; '.join(c.label for c in ctx.cases)})"


def check_equal(ctx, lhs, rhs, kind="algebra"):
    """lhs = rhs in every case; symbolic layers prove it, sampling can only refute."""
    methods, evidence = [], None
    exact = _sampling_exact(ctx, lhs, rhs)
    for case in ctx.cases:
        sides, err = attempt(PREPARE_BUDGET, lambda: (_prepare(ctx, lhs, case), _prepare(ctx, rhs, case)))
        if err:
            return unknown(kind, f"evaluating the sides took over {PREPARE_BUDGET}s")
        L, R = sides
        if L.has(Limit) or R.has(Limit):
            return unknown(kind, _where(case, "a limit could not be evaluated (or its one-sided "
                                              "limits differ)"))
        diff_ = to_primitives(L - R)
        name, _ = zero_by(diff_, LAYERS[:CHEAP])
        if name:
            methods.append(name)
            continue
        outcome, info = sample_relation(L, R, "=", case)
        if outcome == "counterexample" and exact:
            return failed(f"{kind}: sampling", _where(case, "the two sides differ"), info)
        name, timeouts = zero_by(diff_, LAYERS[CHEAP:])
        if name:
            methods.append(name)
            continue
        residual = _short(diff_)
        refuted = _provably_nonzero(ctx, lhs - rhs, case)
        if refuted:
            return failed(kind, _where(case, f"the residual {residual} is provably {refuted} "
                                             "(wherever the assumptions hold)"))
        if outcome == "held" and exact:
            evidence = f"no symbolic proof (residual {residual} not reduced to 0); held at {info} sampled points"
        else:
            return unknown(kind, f"no symbolic proof (residual {residual}); {info}"
                           + (f"; {timeouts} layer(s) ran out of time" if timeouts else ""))
    if evidence:
        return checked(f"{kind}: sampling", evidence)
    return proved(_tag(f"{kind}: {'+'.join(sorted(set(methods)))}", ctx.cases, ctx))


RELOPS = {"<=": ">=", "<": ">", ">=": ">=", ">": ">"}


def check_sign_inequality(ctx, lhs, rel, rhs, kind="sign"):
    """lhs rel rhs by proving the sign of the difference from the intervals alone."""
    gap = (rhs - lhs) if rel in ("<=", "<") else (lhs - rhs)
    want = RELOPS[rel]
    forms = []
    exact = _sampling_exact(ctx, lhs, rhs)
    for case in ctx.cases:
        value, err = attempt(PREPARE_BUDGET, lambda: to_primitives(_prepare(ctx, gap, case, signs=True)))
        if err:
            return unknown(kind, f"evaluating the sides took over {PREPARE_BUDGET}s")
        form = prove_sign(value, want)
        if form:
            forms.append(form)
            continue
        L = _prepare(ctx, lhs, case)
        R = _prepare(ctx, rhs, case)
        outcome, info = sample_relation(L, R, rel, case)
        if outcome == "counterexample" and exact:
            return failed(f"{kind}: sampling", _where(case, f"the inequality {rel} breaks"), info)
        # No sampled point broke it; it may still be false everywhere by a hair.
        if prove_sign(-value, ">" if want == ">=" else ">="):
            return failed(kind, _where(case, f"{_short(gap)} is provably "
                                             f"{'negative' if want == '>=' else 'not positive'}"))
        why = f"the sign of {_short(gap)} {want} 0 does not follow from the assumptions"
        if outcome == "held" and exact:
            return checked(f"{kind}: sampling", f"{why}; held at {info} sampled points")
        return unknown(kind, f"{why}; {info}")
    cert = [f"{_short(gap)} {want} 0 from the symbols' intervals"]
    return proved(_tag(f"{kind}: {'+'.join(sorted(set(forms)))}", ctx.cases, ctx), cert)


def check_iff(ctx, first, second, kind="solve"):
    """Two equations or inequalities are equivalent under the assumptions.

    Methods, tried in order:
    - proportional: (a−b) = k·(c−d) with k provably nonzero (same zero set);
    - solved form: the second is ``target = R``; R satisfies the first and the
      first is strictly monotone in the target, so R is its only solution;
    - threshold: the second is ``z ≥ c`` (or ≤, >, <); the first is g ≥ 0 with
      g(c) = 0 and g strictly monotone in z on z's interval.
    """
    if isinstance(first, Eq) and isinstance(second, Eq):
        return _iff_equations(ctx, first, second, kind)
    if _is_ineq(first) and _is_ineq(second):
        return _iff_threshold(ctx, first, second, kind)
    raise UnsupportedStep("an equivalence must join two equations or two inequalities")


def _iff_equations(ctx, first, second, kind):
    a = first.lhs - first.rhs
    c = second.lhs - second.rhs
    methods = []
    for case in ctx.cases:
        A = to_primitives(_prepare(ctx, a, case, signs=True))
        C = to_primitives(_prepare(ctx, c, case, signs=True))
        if C != 0:
            k, err = attempt(0.5, lambda: cancel(A / C))
            if not err and k != 0 and (prove_sign(k, ">") or prove_sign(-k, ">")):
                methods.append("proportional")
                continue
        outcome = _solved_form(ctx, case, A, first, second)
        if outcome is True:
            methods.append("solved form: substituted back, strictly monotone")
            continue
        if outcome is not None:
            return failed(kind, _where(case, outcome[0]), outcome[1])
        return unknown(kind, _where(case, "neither proportional nor a solved form with a monotone left side"))
    return proved(_tag(f"{kind}: {'; '.join(sorted(set(methods)))}", ctx.cases, ctx))


def _solved_form(ctx, case, A, first, second):
    """True when ``second`` (T = R) is the unique solution of A = 0; a (reason,
    counterexample) pair when R does not solve it; None when undecided."""
    target = second.lhs
    if target.free_symbols & ctx.expand_defs(second.rhs).free_symbols:
        return None
    target_c = to_primitives(target.xreplace(case.sign_subs))
    R = to_primitives(ctx.expand_defs(second.rhs).xreplace(case.sign_subs))
    w = Dummy("w", positive=True) if target_c.is_positive else Dummy("w", real=True)
    # The first condition must depend on its variables only through the target.
    A_w = A.subs(target_c, w)
    if A_w.has(*nonsmooth_types()):
        return None      # a derivative's sign says nothing across a jump or a kink
    if A_w.free_symbols & target_c.free_symbols:
        return None
    back_expr = A_w.xreplace({w: R})
    back, err = attempt(0.5, lambda: zero_by(back_expr, LAYERS[:5])[0])
    if err:
        return None
    if not back:
        return _realised_counterexample(ctx, case, first, second, target)
    # Strictly monotone on all reals: R is the only real root, so where the target
    # cannot equal R (v² = R < 0) neither equation has a solution.
    w_real = Dummy("w", real=True)
    A_real = A_w.xreplace({w: w_real})
    slope, err = attempt(0.5, lambda: diff(A_real, w_real))
    if not err and (prove_sign(slope, ">") or prove_sign(-slope, ">")):
        return True
    # Otherwise only on the target's own range (w > 0), which must then contain R.
    if w.is_positive and prove_sign(R, ">"):
        slope, err = attempt(0.5, lambda: diff(A_w, w))
        if not err and (prove_sign(slope, ">") or prove_sign(-slope, ">")):
            return True
    return None


def _realised_counterexample(ctx, case, first, second, target):
    """A point where ``target = R`` holds but the first condition does not.

    Only for a target that is a variable or an integer power of one: the value
    of the variable is then recovered from R and the case's sign.
    """
    import random
    base, power = (target, 1) if target.is_Symbol else (target.as_base_exp())
    if base not in ctx.vars or not getattr(power, "is_Integer", power == 1):
        return None
    rng = random.Random(1)
    rhs = ctx.expand_defs(second.rhs)
    for _ in range(20):
        point = case.sample(rng)
        try:
            r = complex(rhs.evalf(30, subs=point))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            continue
        if abs(r.imag) > 1e-12 or (int(power) % 2 == 0 and r.real <= 0):
            continue
        mag = abs(r.real) ** (1 / int(power))
        value = mag if case.signs.get(base, 1) > 0 else -mag
        if int(power) % 2 == 1:
            value = r.real ** (1 / int(power)) if r.real >= 0 else -((-r.real) ** (1 / int(power)))
        point[base] = value
        try:
            sides = [to_primitives(ctx.expand_defs(rebuild(e))).evalf(30, subs=point) for e in first.args]
            lhs, rhs = (complex(x) for x in sides)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            continue
        if abs(lhs - rhs) > 1e-12 * max(1, abs(lhs), abs(rhs)):
            shown = {str(k): f"{v:.8g}" for k, v in point.items()}
            shown.update(lhs=f"{lhs.real:.8g}", rhs=f"{rhs.real:.8g}")
            return (f"where {second} holds, {first} does not", shown)
    return None


def _is_ineq(rel):
    return isinstance(rel, (StrictGreaterThan, StrictLessThan, GreaterThan, LessThan))


def _iff_threshold(ctx, first, second, kind):
    z, c = second.lhs, second.rhs
    if not (z.is_Symbol and c.is_number):
        raise UnsupportedStep("the right side of a threshold equivalence must be `symbol ≥ number`")
    g, op = _as_gap(first)          # first ⟺ g op 0 with op in {">", ">="}
    h, op2 = _as_gap(second)        # second ⟺ h op2 0, h = ±(z − c)
    if op != op2:
        var = ctx.vars.get(z)
        attainable = var is not None and not var.integer and not any(
            z in c_.free_symbols for c_ in ctx.conditions if not isinstance(c_, Eq)
            and getattr(c_, "rel_op", "") == "!=")
        why = f"one side is strict and the other is not ({first} versus {second})"
        return failed(kind, why + f": at {z} = {c} they differ") if attainable else unknown(kind, why)
    rising = (h - (z - c)) == 0     # second says z ≥ c (or >); otherwise z ≤ c
    var = ctx.vars.get(z)
    if var is None or not _inside(c, var):
        raise UnsupportedStep(f"a threshold needs {c} inside the interval of a declared variable {z}")
    if z in ctx.equations or z in ctx.dominance or any(z == small for small, _ in ctx.dominance.values()):
        raise UnsupportedStep(f"a threshold in {z} needs {z} free over its own interval")
    g0 = to_primitives(ctx._before_cases(g))
    for case in ctx.cases:
        own = signed_interval(case.intervals[z], case.signs[z]) if z in case.signs else case.intervals[z]
        if not _strictly_inside(c, own):
            return unknown(kind, _where(case, f"{z} = {c} is not inside the interval {z} ranges over here"))
        whole = g0.xreplace(case.sign_subs)
        if whole.has(*nonsmooth_types()):
            return unknown(kind, _where(case, "the left side is not smooth in the variable, so its "
                                              "derivative's sign does not make it monotone"))
        if whole.is_real is not True:
            # A pole or a logarithm of a negative number inside the interval would let a
            # monotone-looking function jump: it must be a real function on all of it.
            return unknown(kind, _where(case, f"cannot show the left side is a real, finite function "
                                              f"of {z} on its whole interval"))
        at_c = cancel(g0.xreplace({z: c}).xreplace(
            {k: v for k, v in case.sign_subs.items() if k != z}))
        if at_c != 0:
            return failed(kind, _where(case, f"at {z} = {c} the left side is {at_c}, not 0, "
                                             "so the threshold is elsewhere"))
        slope = to_primitives(diff(g0, z).xreplace(case.sign_subs))
        if not prove_sign(slope if rising else -slope, ">"):
            if prove_sign(-slope if rising else slope, ">"):
                return failed(kind, _where(case, f"the left side is monotone the other way in {z}: "
                                                 f"the equivalent condition is {z} {'≤' if rising else '≥'} {c}"))
            return unknown(kind, _where(case, f"cannot show the left side is strictly monotone in {z}"))
    return proved(_tag(f"{kind}: threshold at {z} = {c}, strictly monotone", ctx.cases, ctx))


def _as_gap(rel):
    if isinstance(rel, (GreaterThan, StrictGreaterThan)):
        return rel.lhs - rel.rhs, ">=" if isinstance(rel, GreaterThan) else ">"
    return rel.rhs - rel.lhs, ">=" if isinstance(rel, LessThan) else ">"


def _provably_nonzero(ctx, diff, case):
    """'positive' or 'negative' when the residual has that sign at every point of the case."""
    value, err = attempt(PREPARE_BUDGET, lambda: to_primitives(_prepare(ctx, diff, case, signs=True)))
    if err:
        return None
    if prove_sign(value, ">"):
        return "positive"
    if prove_sign(-value, ">"):
        return "negative"
    return None


def _where(case, text):
    return f"{text} (case {case.label})" if case.label else text


def _short(expr, limit=160):
    from ..printing import text as readable
    text = readable(expr) if hasattr(expr, "free_symbols") else str(expr)
    return text if len(text) <= limit else text[:limit] + "…"


def _inside(c, var) -> bool:
    return (var.lower is None or c > var.lower) and (var.upper is None or c < var.upper)


def _strictly_inside(c, iv) -> bool:
    return (iv.lower is None or c > iv.lower) and (iv.upper is None or c < iv.upper)
