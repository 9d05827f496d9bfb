"""The world a step is checked in: variables, definitions, case conditions, sign cases."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from sympy import (Derivative, Dummy, Eq, Limit, cancel, Mul, Ne, Pow, S,
                   StrictGreaterThan, StrictLessThan, GreaterThan, LessThan,
                   Symbol, sympify)

from ..errors import UnsupportedStep

# Values fixed by equation conditions are computed well beyond the deepest sampling
# recheck (240 digits), so that a condition holds "exactly" at every precision used.
EXACT_DIGITS = 300


@dataclass
class Interval:
    lower: object = None
    upper: object = None
    lower_open: bool = True
    upper_open: bool = True
    integer: bool = False

    def tighten(self, op: str, c) -> "Interval":
        lo, hi, lo_open, hi_open = self.lower, self.upper, self.lower_open, self.upper_open
        if op in (">", ">="):
            if lo is None or c > lo or (c == lo and op == ">"):
                lo, lo_open = c, op == ">"
        else:
            if hi is None or c < hi or (c == hi and op == "<"):
                hi, hi_open = c, op == "<"
        return Interval(lo, hi, lo_open, hi_open, self.integer)

    @property
    def empty(self) -> bool:
        if self.lower is None or self.upper is None:
            return False
        if self.lower > self.upper:
            return True
        return self.lower == self.upper and (self.lower_open or self.upper_open)


@dataclass
class Case:
    """One region of a case split: how to substitute and how to sample it."""

    label: str
    subs: dict                 # original symbol -> expression in fresh Dummies
    sign_subs: dict            # same, with every interval reparametrised (for sign proofs)
    intervals: dict            # original symbol -> Interval (after tightening)
    signs: dict                # original symbol -> +1 / -1 for sign-split symbols
    dominance: dict = None     # a -> (b, strict) for a ≥ b between variables
    constraints: tuple = ()    # (variable, expression of the others) from equation conditions
    filters: tuple = ()        # (op, gap): other conditions a sampled point must satisfy
    at_end: dict = None        # variables held at the closed upper end of their interval

    def sample(self, rng: random.Random) -> dict:
        """A random point (original symbol -> float) inside this region."""
        point = {}
        for sym, iv in self.intervals.items():
            if sym in (self.at_end or {}):
                point[sym] = float(self.at_end[sym])
                continue
            point[sym] = _draw(iv, self.signs.get(sym), rng)
            if point[sym] is None:
                return None
        for big in _dependency_order(self.dominance or {}):
            small, strict = self.dominance[big]
            point[big] = point[small] + rng.uniform(0.0 if not strict else 0.02, 3.0)
        # Equation conditions fix a variable from the others (v = 0; y = σ(v²x)).
        for var, expr in self.constraints:
            value = _evaluate(expr, point)
            if value is None or not _inside_interval(value, self.intervals[var],
                                                     self.signs.get(var)):
                return None
            point[var] = value
        for op, gap in self.filters:
            value = _evaluate(gap, point)
            if value is None or not _holds_number(op, value):
                return None
        return point

    def dummy_point(self, point: dict) -> dict:
        """Values of this case's Dummies that reproduce ``point`` (original symbols)."""
        import mpmath
        with mpmath.workdps(EXACT_DIGITS):    # arithmetic at the points' own precision
            return self._dummy_point(point)

    def _dummy_point(self, point: dict) -> dict:
        out = {}
        for sym, value in point.items():
            rep = self.subs[sym]
            if sym in (self.dominance or {}):
                small = self.dominance[sym][0]
                gap, = rep.free_symbols - self.subs[small].free_symbols
                out[gap] = value - point[small]
                continue
            dummies = [d for d in rep.free_symbols if isinstance(d, Dummy)]
            if len(dummies) != 1:
                continue
            d, = dummies
            # Every replacement is affine in its Dummy: a + b·d.
            b = rep.diff(d)
            a = rep.xreplace({d: 0})
            out[d] = (value - _mp(a)) / _mp(b)
        return out


def _draw(iv: Interval, sign, rng: random.Random):
    if sign == 0:
        return 0.0
    if sign is not None:
        return _draw(signed_interval(iv, sign), None, rng)
    if iv.integer:
        return _draw_integer(iv, rng)
    # Sometimes a closed end or zero itself: where weak claims are most often false.
    edge = rng.random()
    if edge < 0.08 and iv.lower is not None and not iv.lower_open:
        return float(iv.lower)
    if edge > 0.92 and iv.upper is not None and not iv.upper_open:
        return float(iv.upper)
    if 0.45 < edge < 0.5 and \
            (iv.lower is None or iv.lower < 0 or (iv.lower == 0 and not iv.lower_open)) and \
            (iv.upper is None or iv.upper > 0 or (iv.upper == 0 and not iv.upper_open)):
        return 0.0
    lo = None if iv.lower is None else float(iv.lower)
    hi = None if iv.upper is None else float(iv.upper)
    if lo is not None and hi is not None:
        width = hi - lo
        return lo + width * rng.uniform(0.02, 0.98)
    if lo is not None:
        return lo + rng.uniform(0.02, 4.0)
    if hi is not None:
        return hi - rng.uniform(0.02, 4.0)
    return rng.uniform(-3.0, 3.0)


def _draw_integer(iv: Interval, rng: random.Random):
    """An integer inside the interval (its ends included when closed)."""
    import math
    lo = None if iv.lower is None else (
        math.floor(iv.lower) + 1 if iv.lower_open else math.ceil(iv.lower))
    hi = None if iv.upper is None else (
        math.ceil(iv.upper) - 1 if iv.upper_open else math.floor(iv.upper))
    if lo is None and hi is None:
        lo, hi = -6, 6
    elif lo is None:
        lo = hi - 6
    elif hi is None:
        hi = lo + 6
    return rng.randint(lo, hi) if lo <= hi else None


class Context:
    """Variables, definitions and conditions of one step, and its case split."""

    def __init__(self, derivation, conditions=(), part=None):
        self.derivation = derivation
        self.part = part                 # the label of the part being checked
        self.own_conditions = tuple(conditions)
        self.vars = {v.symbol: v for v in derivation.variables}
        self.defs = dict(derivation.definitions)
        self.conditions = tuple(conditions) + tuple(derivation.assumptions)
        self.equations = {}      # defined or free symbol -> value, from Eq conditions
        self.facts = []          # other conditions: only reasoning under hypotheses uses them
        self.kinks = set()       # arguments of non-smooth functions something was differentiated through
        self._prepared = {}      # expression -> its case-independent preparation
        self.dominance = {}      # a -> (b, strict): a ≥ b (or a > b) between two variables
        self._dominance_conditions = {}
        self._split()

    # -- definitions ---------------------------------------------------------
    def expand_defs(self, expr, stop=()):
        """Replace defined symbols by their definitions, except those in ``stop``."""
        expr = sympify(expr)
        defs = {s: e for s, e in self.defs.items() if s not in stop}
        for _ in range(len(defs) + 1):
            if not defs or not (expr.free_symbols & defs.keys()):
                return expr
            expr = expr.xreplace(defs)
        return expr

    def derivatives(self, expr):
        """Carry out every ∂-derivative in ``expr`` with its chain-rule meaning.

        ∂A/∂B expands A's definitions down to B (B itself stays a variable) and
        differentiates; B is a base variable or an intermediate such as ŷ or u.
        """
        return rewrite_bottom_up(sympify(expr), (Derivative,), self._derivative)

    def _derivative(self, node):
        """One ∂-node, its inner ∂-nodes already carried out."""
        variables = [v for v, _ in node.variable_count]
        inner = self.expand_defs(node.expr, stop=variables)
        for v in variables:
            if v in self.defs:
                # ∂A/∂ŷ treats ŷ as free: A must not also depend on what ŷ is made of.
                shared = inner.free_symbols & (self.expand_defs(v).free_symbols - {v})
                if shared:
                    raise UnsupportedStep(
                        f"∂/∂{v} is ambiguous here: the expression also depends on "
                        f"{', '.join(sorted(str(x) for x in shared))}, which {v} is made of")
        self.kinks.update(k for k in kinks(inner) if k.free_symbols & set(variables))
        return inner.diff(*node.variable_count)

    def _isolate_limits(self, expr):
        """Give each limit a fresh bound variable, its body's definitions expanded.

        Otherwise a case (v < 0), an equation (v = 5) or a condition on a defined
        name (ŷ = y) would reach inside lim_{v→0⁺} and change what is being limited.
        """
        def isolate(node):
            body, z, z0, direction = node.args
            fresh = Dummy(z.name, real=True)
            return Limit(self.expand_defs(body).xreplace({z: fresh}), fresh, z0, direction)
        return rewrite_bottom_up(expr, (Limit,), isolate)

    @staticmethod
    def limits(expr):
        """Evaluate one-sided and two-sided limits (after the case substitution).

        For z → c⁺ the body only matters for z > c, so z is replaced by c + p with
        p > 0 before SymPy's ``limit``; that lets ReLU and |·| settle their sign.
        """
        from sympy import exp, limit

        def evaluate(node):
            body, z, c, direction = node.args
            body = body.rewrite(exp)
            side = str(direction)
            p = Dummy("p", positive=True)
            right = limit(body.xreplace({z: c + p}), p, 0, "+") if side in ("+", "+-") else None
            left = limit(body.xreplace({z: c - p}), p, 0, "+") if side in ("-", "+-") else None
            if side == "+":
                return right
            if side == "-":
                return left
            if not right.has(Limit) and not left.has(Limit) and cancel(right - left) == 0:
                return right        # two-sided: both one-sided limits, and equal
            return None             # left unevaluated: nothing can be proved about it
        return rewrite_bottom_up(expr, (Limit,), evaluate)

    def prepare(self, expr, case: "Case"):
        """The expression as checked in one case: derivatives, conditions, definitions."""
        expr = self._before_cases(expr).xreplace(case.subs)
        self._check_kinks(case)
        return self.limits(expr)

    def _before_cases(self, expr):
        """Everything that does not depend on the case, computed once per expression."""
        key = sympify(expr)
        if key in self._prepared:
            return self._prepared[key]
        value = self.derivatives(self._isolate_limits(rebuild(key)))
        if self.equations:
            # Before expanding (ŷ = y names a defined symbol) and after (λ = ε/‖w*‖²
            # may sit inside a definition).
            value = value.xreplace(self.equations)
            value = rebuild(self.expand_defs(value).xreplace(self.equations))
        value = self.expand_defs(value)
        self._prepared[key] = value
        return value

    def _check_kinks(self, case):
        """A derivative through |·|, max, ReLU or a Piecewise only exists off its kinks:
        in this case every kink's argument must have a provable sign."""
        for k in self.kinks:
            value = rebuild(self.expand_defs(k.xreplace(self.equations)).xreplace(self.equations))
            value = value.xreplace(case.subs)
            if value.is_nonzero is not True:
                where = f" (case {case.label})" if case.label else ""
                raise UnsupportedStep(f"a derivative is taken where {k} may be 0{where}; "
                                      "it has no derivative there: state the case (e.g. ≠ 0)")

    def _constraints(self):
        """Which equation conditions sampling can honour, by solving for one variable."""
        self.constraints, self.sampling_exact = [], True
        for lhs, rhs in self.equations.items():
            if lhs in self.vars and rhs.free_symbols <= set(self.vars) - {lhs}:
                self.constraints.append((lhs, rhs))
            elif lhs in self.defs and rhs in self.vars and \
                    rhs not in self.expand_defs(lhs).free_symbols:
                self.constraints.append((rhs, self.expand_defs(lhs)))
            else:
                # Sampling cannot stay on this condition's surface: no sampled point
                # may refute or support the step.
                self.sampling_exact = False
        targets = [var for var, _ in self.constraints]
        if len(targets) != len(set(targets)):
            self.sampling_exact = False     # two equations fix one variable: cannot follow both
        # Other conditions (ηL ≤ 1, t ≥ T) filter the sampled points; a proof may
        # ignore them (it then holds more widely), a counterexample may not.
        self.filters = []
        for fact in self.facts:
            op, lhs, rhs = _relop(fact)
            if op is None:
                self.sampling_exact = False
                continue
            gap = rebuild(self.expand_defs(lhs - rhs))
            if gap.free_symbols <= set(self.vars) and not gap.has(Derivative, Limit):
                self.filters.append((op, gap))
            else:
                self.sampling_exact = False

    # -- case split ----------------------------------------------------------
    def _dominates(self, lhs, rhs, op, intervals) -> bool:
        """Record a ≥ b between two variables as a = b + d, d ≥ 0, where that is exact."""
        if not (isinstance(lhs, Symbol) and isinstance(rhs, Symbol)
                and lhs in intervals and rhs in intervals):
            return False
        big, small = (lhs, rhs) if op in (">", ">=") else (rhs, lhs)
        ib, isml = intervals[big], intervals[small]
        if big in self.dominance or ib.upper is not None \
                or ib.integer or isml.integer:
            return False
        # b + d must cover every allowed value of a: a's lower bound may not exceed b's.
        if ib.lower is not None and (isml.lower is None or ib.lower > isml.lower):
            return False
        self.dominance[big] = (small, op in (">", "<"))
        return True

    def _split(self):
        intervals = {}
        for sym, var in self.vars.items():
            intervals[sym] = Interval(_finite(var.lower), _finite(var.upper), var.lower_open,
                                      var.upper_open, var.integer)
        sign_conds = []
        for cond in self.conditions:
            if cond is True or cond == S.true:
                continue
            if cond is False or cond == S.false:
                raise UnsupportedStep("a condition is false: the step holds nowhere")
            if isinstance(cond, Eq):
                lhs, rhs = cond.args
                if not isinstance(lhs, Symbol):
                    raise UnsupportedStep(f"an equation condition must have a symbol on the left: {cond}")
                if lhs in self.equations:
                    raise UnsupportedStep(f"two equation conditions for {lhs}")
                self.equations[lhs] = rhs
                continue
            op, lhs, rhs = _relop(cond)
            if op is None:
                self.facts.append(cond)
                continue
            if op != "!=" and isinstance(lhs, Symbol) and lhs in intervals and rhs.is_number:
                intervals[lhs] = intervals[lhs].tighten(op, _finite(rhs))
            elif op != "!=" and isinstance(rhs, Symbol) and rhs in intervals and lhs.is_number:
                intervals[rhs] = intervals[rhs].tighten(_flip(op), _finite(lhs))
            elif rhs == 0 and _is_monomial(lhs, intervals):
                sign_conds.append((op, lhs))
            elif lhs == 0 and _is_monomial(rhs, intervals):
                sign_conds.append((_flip(op), rhs))
            elif op != "!=" and self._dominates(lhs, rhs, op, intervals):
                self._dominance_conditions[lhs, rhs] = cond
            else:
                self.facts.append(cond)
        for sym, iv in intervals.items():
            if iv.empty:
                raise UnsupportedStep(f"the conditions leave no values for {sym}")
        # A variable fixed by an equation (v = 0) is that number in every case.
        fixed = {v: e for v, e in self.equations.items() if v in intervals and e.is_number}
        for v, value in fixed.items():
            if not _inside_interval(value, intervals[v], None):
                raise UnsupportedStep(f"the conditions leave no values for {v} ({v} = {value} "
                                      "is outside its interval)")
        split = sorted({s for _, m in sign_conds for s in m.free_symbols if s not in fixed},
                       key=lambda s: s.name)
        options = {s: _sign_options(intervals[s]) for s in split}
        split = [s for s in split if len(options[s]) > 1]
        # a = b + d only where neither variable is split on its sign, and only if no
        # later bound on a makes b + d too wide (otherwise it is a sampling filter).
        for big, (small, _) in list(self.dominance.items()):
            ib, isml = intervals[big], intervals[small]
            too_wide = ib.upper is not None or (ib.lower is not None and (
                isml.lower is None or ib.lower > isml.lower))
            if big in split or small in split or big in self.equations or small in self.equations \
                    or too_wide or _on_a_cycle(big, self.dominance):
                del self.dominance[big]
                cond = self._dominance_conditions.get((big, small))
                self.facts.append(cond if cond is not None
                                  else self._dominance_conditions.get((small, big)))
        self.facts = [f for f in self.facts if f is not None]
        self._constraints()
        # A closed interval [a, b] has no one-parameter form that sign proofs can use:
        # it is split into [a, b) (a + (b − a)·s/(1 + s), s ≥ 0) and the point b.
        closed = [s for s, iv in intervals.items()
                  if s not in split and s not in fixed and s not in self.dominance
                  and not iv.integer and iv.lower is not None and iv.upper is not None
                  and not iv.lower_open and not iv.upper_open and iv.lower != iv.upper]
        self.cases = []
        for signs, ends in itertools.product(
                itertools.product(*[options[s] for s in split]),
                itertools.product((False, True), repeat=len(closed))):
            sign_of = dict(zip(split, signs))
            at_end = {s: intervals[s].upper for s, top in zip(closed, ends) if top}
            subs, sign_subs = {}, {}
            for sym, iv in intervals.items():
                if sym in fixed or sym in at_end:
                    subs[sym] = sign_subs[sym] = fixed.get(sym, at_end.get(sym))
                    continue
                if sym in closed:
                    iv = Interval(iv.lower, iv.upper, False, True, iv.integer)
                subs[sym], sign_subs[sym] = _replacement(sym, iv, sign_of.get(sym))
            # a > b > c: b = c + d₁ first, then a = b + d₂ (smallest first).
            for big in _dependency_order(self.dominance):
                small, strict = self.dominance[big]
                gap = Dummy(f"d_{big.name}", positive=True) if strict else \
                    Dummy(f"d_{big.name}", nonnegative=True)
                subs[big] = subs[small] + gap
                sign_subs[big] = sign_subs[small] + gap
            verdicts = [_holds(op, m.xreplace(subs)) for op, m in sign_conds]
            verdicts += [False for v, e in self.equations.items()
                         if v in intervals and not e.is_number
                         and _outside(rebuild(self.expand_defs(e)).xreplace(sign_subs), intervals[v])]
            if any(v is None for v in verdicts):
                # A case is only dropped when its condition is provably false there.
                raise UnsupportedStep("cannot decide the case conditions "
                                      f"{', '.join(f'{m} {op} 0' for op, m in sign_conds)} "
                                      "on every sign case")
            if all(verdicts):
                label = ", ".join([f"{s}{'>' if g > 0 else '<' if g < 0 else '='}0"
                                   for s, g in sign_of.items()]
                                  + [f"{s}={v}" for s, v in at_end.items()])
                self.cases.append(Case(label, subs, sign_subs, intervals, sign_of,
                                       dict(self.dominance), tuple(self.constraints),
                                       tuple(self.filters), at_end))
        if not self.cases:
            raise UnsupportedStep("the case conditions contradict each other")


def rewrite_bottom_up(expr, types, fn):
    """Replace each node of ``types``, innermost first, by ``fn(node)`` (the node with
    its inner replacements made); ``fn`` returns None to leave a node as it is."""
    if not expr.has(*types):
        return expr
    reps = {}
    for node in _postorder(expr, types):
        new = fn(node.xreplace(reps))
        if new is not None:
            reps[node] = new
    return expr.xreplace(reps)


def _postorder(expr, types):
    out = []

    def walk(e):
        for a in e.args:
            walk(a)
        if isinstance(e, types):
            out.append(e)
    walk(expr)
    return out


def _relop(cond):
    table = {StrictGreaterThan: ">", GreaterThan: ">=", StrictLessThan: "<",
             LessThan: "<=", Ne: "!="}
    op = table.get(type(cond))
    if op is None:
        return None, None, None
    return op, cond.args[0], cond.args[1]


def _flip(op):
    return {">": "<", ">=": "<=", "<": ">", "<=": ">=", "!=": "!="}[op]


def _is_monomial(expr, intervals) -> bool:
    for factor in Mul.make_args(expr):
        base = factor.base if isinstance(factor, Pow) else factor
        if factor.is_number:
            continue
        if not (isinstance(base, Symbol) and base in intervals):
            return False
        if isinstance(factor, Pow) and not factor.exp.is_Integer:
            return False
    return True


def _holds(op, value):
    """True, False, or None when the sign of ``value`` is not decided."""
    attr = {"!=": "is_nonzero", ">": "is_positive", ">=": "is_nonnegative",
            "<": "is_negative", "<=": "is_nonpositive"}[op]
    return getattr(value, attr)


def _finite(bound):
    """±∞ as a bound means no bound."""
    if bound is None:
        return None
    bound = sympify(bound)
    return None if bound.is_infinite else bound


def _sign_options(iv: Interval) -> tuple:
    """The signs (+1, -1, 0) a variable with this interval can take."""
    out = []
    if iv.upper is None or iv.upper > 0:
        out.append(1)
    if iv.lower is None or iv.lower < 0:
        out.append(-1)
    if (iv.lower is None or iv.lower < 0 or (iv.lower == 0 and not iv.lower_open)) and \
            (iv.upper is None or iv.upper > 0 or (iv.upper == 0 and not iv.upper_open)):
        out.append(0)
    return tuple(out)


def signed_interval(iv: Interval, sign) -> Interval:
    """The part of ``iv`` on one side of 0 (a sign case keeps the variable's interval)."""
    if sign == 0:
        return Interval(S.Zero, S.Zero, False, False, iv.integer)
    if sign > 0:
        return Interval(S.Zero, iv.upper if iv.upper is not None and iv.upper > 0 else None,
                        True, iv.upper_open, iv.integer)
    return Interval(iv.lower if iv.lower is not None and iv.lower < 0 else None, S.Zero,
                    iv.lower_open, True, iv.integer)


def _replacement(sym, iv: Interval, sign):
    """(substitution for algebra, substitution for sign proofs) for one symbol."""
    name = sym.name
    if iv.integer:
        nonneg = iv.lower is not None and iv.lower >= 0
        d = Dummy(name, integer=True, nonnegative=nonneg or None)
        return d, d
    if sign == 0:
        return S.Zero, S.Zero
    if sign is not None:
        d = Dummy(name, positive=True)
        _, exact = _replacement(sym, signed_interval(iv, sign), None)
        return sign * d, exact
    lo, hi = iv.lower, iv.upper
    if lo is not None and hi is not None:
        # (lo, hi) ∋ lo + (hi - lo)/(1 + r) exactly for r > 0; closed ends use r ≥ 0.
        if iv.lower_open and iv.upper_open:
            r = Dummy("r_" + name, positive=True)
            param = lo + (hi - lo) / (1 + r)
        elif iv.lower_open:
            r = Dummy("r_" + name, nonnegative=True)
            param = lo + (hi - lo) / (1 + r)
        elif iv.upper_open:
            r = Dummy("r_" + name, nonnegative=True)
            param = lo + (hi - lo) * r / (1 + r)
        else:
            param = Dummy(name, real=True)
        if lo > 0 or (lo == 0 and iv.lower_open):
            alg = Dummy(name, positive=True)
        else:
            alg = Dummy(name, nonnegative=True) if lo >= 0 else Dummy(name, real=True)
        return alg, param
    if lo is not None:
        r = Dummy("r_" + name, positive=True) if iv.lower_open else Dummy("r_" + name, nonnegative=True)
        return lo + r, lo + r
    if hi is not None:
        r = Dummy("r_" + name, positive=True) if iv.upper_open else Dummy("r_" + name, nonnegative=True)
        return hi - r, hi - r
    d = Dummy(name, real=True)
    return d, d


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


def _evaluate(expr, point):
    """``expr`` at ``point`` to EXACT_DIGITS digits, or None where it is not a finite real.

    Inputs are taken as exact (mpmath, not SymPy's evalf, which limits the
    result to the inputs' 15 digits), so the 60-digit recheck in sampling sees
    the condition hold exactly.
    """
    import mpmath
    from sympy import Max, lambdify
    from .algebra import to_primitives
    from ..notation import ReLU
    e = to_primitives(sympify(expr)).replace(ReLU, lambda z: Max(0, z))
    symbols = sorted(e.free_symbols, key=lambda s: s.name)
    if any(s not in point for s in symbols):
        return None
    try:
        f = lambdify(symbols, e, modules="mpmath")
        with mpmath.workdps(EXACT_DIGITS):
            value = f(*[mpmath.mpf(point[s]) for s in symbols])
            if isinstance(value, mpmath.mpc):
                if abs(value.imag) > mpmath.mpf(10) ** -70:
                    return None
                value = value.real
            value = mpmath.mpf(value)
            return value if mpmath.isfinite(value) else None
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, NameError):
        return None


def _inside_interval(value, iv: Interval, sign) -> bool:
    if sign is not None:
        iv = signed_interval(iv, sign)
    if iv.lower is not None and (value < iv.lower or (iv.lower_open and value == iv.lower)):
        return False
    if iv.upper is not None and (value > iv.upper or (iv.upper_open and value == iv.upper)):
        return False
    return True


def _mp(number):
    """A SymPy number as an exact-as-possible mpmath value (rationals stay exact)."""
    import mpmath
    number = sympify(number)
    if number.is_Rational:
        with mpmath.workdps(EXACT_DIGITS):
            return mpmath.mpf(int(number.p)) / int(number.q)
    return mpmath.mpf(float(number))


def nonsmooth_types():
    from sympy import (Abs, DiracDelta, Heaviside, Max, Min, Mod, Piecewise, arg, atan2,
                       ceiling, conjugate, floor, frac, im, re, sign)
    from ..notation import ReLU
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


def _holds_number(op, value) -> bool:
    return {">": value > 0, ">=": value >= 0, "<": value < 0, "<=": value <= 0,
            "!=": value != 0}[op]


def _outside(value, iv: Interval) -> bool:
    """``value`` provably misses the interval (an equation that no point satisfies)."""
    below = iv.lower is not None and ((value - iv.lower).is_negative or
                                      (iv.lower_open and (value - iv.lower).is_zero))
    above = iv.upper is not None and ((value - iv.upper).is_positive or
                                      (iv.upper_open and (value - iv.upper).is_zero))
    return bool(below or above)


def _on_a_cycle(start, dominance) -> bool:
    seen, node = set(), start
    while node in dominance:
        if node in seen:
            return True
        seen.add(node)
        node = dominance[node][0]
    return False


def _dependency_order(dominance) -> list:
    """Dominated variables, each after the one it is written in terms of."""
    order = []

    def visit(v):
        if v in dominance and v not in order:
            visit(dominance[v][0])
            order.append(v)
    for v in dominance:
        visit(v)
    return order
