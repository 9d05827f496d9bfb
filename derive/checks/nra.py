"""Exact search with z3's nonlinear real arithmetic: a checked counterexample, or an unsat certificate."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction

from sympy import (Abs, Add, And, Eq, Float, Heaviside, Max, Min, Mul, Ne, Not, Or,
                   Piecewise, Pow, Rational, S, Symbol, sign, sympify)
from sympy.core.relational import Relational
from sympy.logic.boolalg import BooleanFalse, BooleanTrue

from ..budget import attempt, clock, expired
from ..notation import Inner, ReLU
from ..kernel.world import signed_interval

# z3 bounds: rlimit counts z3's own steps, so the same query gives the same answer on
# a busy and an idle machine (1e6 steps ≈ 0.25–0.7 s here); the wall-clock timeout and the
# CPU watchdog only stop a query the step count would not stop in time.
RLIMIT = 1_000_000
WALL_MS = 10_000
BUDGET = 1.0
MAX_POWER = 16            # x**n with a larger n is not worth a query
MAX_VECTORS = 4           # Gram matrices up to 4×4: every principal minor asserted ≥ 0


class Unsupported(Exception):
    """The expression leaves polynomial/rational arithmetic (exp, log, opaque functions)."""


@dataclass(frozen=True)
class Certificate:
    """An ``unsat`` answer as data a kernel can re-check: the query is complete SMT-LIB.

    ``claim`` is the relation proved, ``domain`` the conditions under which its
    sides are defined (denominators ≠ 0, roots of nonnegative numbers), which the
    query assumes; ``assumptions`` the case's conditions it assumes.
    """

    claim: str
    assumptions: tuple
    domain: tuple
    smt2: str
    solver: str
    version: str
    logic: str
    seconds: float

    def to_json(self) -> dict:
        return {"kind": "nra-unsat", "claim": self.claim, "assumptions": list(self.assumptions),
                "domain": list(self.domain), "smt2": self.smt2, "solver": self.solver,
                "version": self.version, "logic": self.logic, "seconds": round(self.seconds, 6)}

    def recheck(self, budget=BUDGET) -> str:
        """Run the stored query again in a fresh solver: "unsat", "sat" or "unknown"."""
        import z3
        ctx = z3.Context()
        solver = z3.SolverFor(self.logic, ctx=ctx) if self.logic != "ALL" else z3.Solver(ctx=ctx)
        solver.from_string(self.smt2)
        return _bounded_check(solver, ctx, budget)[0]


@dataclass
class Outcome:
    """What one query found: status "sat" (with ``model``), "unsat" (with
    ``certificate``), "unknown" or "unsupported" (with ``why``)."""

    status: str
    why: str = ""
    model: dict = field(default_factory=dict)     # SymPy symbol -> exact SymPy number
    grams: dict = field(default_factory=dict)     # Inner atom -> exact SymPy number
    certificate: Certificate | None = None


# -- translation -----------------------------------------------------------------

class _Translator:
    """SymPy → z3, exact: every division and root adds its domain condition."""

    def __init__(self, z3, ctx):
        self.z3, self.ctx = z3, ctx
        self.vars = {}          # SymPy symbol -> z3 constant
        self.grams = {}         # Inner atom -> z3 constant
        self.domain = []        # (z3 condition, readable text)
        self.side = []          # definitions of auxiliary variables
        self._aux = 0

    def var(self, sym):
        if sym not in self.vars:
            name = f"{sym.name}_{len(self.vars)}"
            z = self.z3.Int(name, self.ctx) if sym.is_integer else self.z3.Real(name, self.ctx)
            self.vars[sym] = z
            for attr, cond in (("is_positive", z > 0), ("is_negative", z < 0),
                               ("is_nonnegative", z >= 0), ("is_nonpositive", z <= 0)):
                if getattr(sym, attr):
                    self.side.append(cond)
        return self.vars[sym]

    def num(self, q):
        q = Fraction(int(q.p), int(q.q))
        return self.z3.RealVal(f"{q.numerator}/{q.denominator}", self.ctx)

    def fresh(self):
        self._aux += 1
        return self.z3.Real(f"aux_{self._aux}", self.ctx)

    def expr(self, e):
        z3 = self.z3
        if e.is_Rational:
            return self.num(e)
        if isinstance(e, Float):
            return self.num(Rational(e))        # the float's exact binary value
        if e.is_Symbol:
            return self.var(e)
        if isinstance(e, Add):
            return z3.Sum([self.expr(a) for a in e.args])
        if isinstance(e, Mul):
            return z3.Product([self.expr(a) for a in e.args])
        if isinstance(e, Pow):
            return self.power(e.base, e.exp)
        if isinstance(e, Inner):
            return self.gram(e)
        if isinstance(e, Abs):
            a = self.expr(e.args[0])
            return z3.If(a >= 0, a, -a)
        if isinstance(e, (Max, Min)):
            args = [self.expr(a) for a in e.args]
            out = args[0]
            for a in args[1:]:
                out = z3.If(a > out, a, out) if isinstance(e, Max) else z3.If(a < out, a, out)
            return out
        if isinstance(e, ReLU):
            a = self.expr(e.args[0])
            return z3.If(a > 0, a, self.num(S.Zero))
        if isinstance(e, sign):
            a = self.expr(e.args[0])
            return z3.If(a > 0, self.num(S.One), z3.If(a < 0, self.num(S.NegativeOne), self.num(S.Zero)))
        if isinstance(e, Heaviside):
            a = self.expr(e.args[0])
            at0 = e.args[1] if len(e.args) > 1 else S.Half
            if not at0.is_Rational:              # H(0) undefined: 0 is outside the domain
                self.domain.append((a != 0, f"{e.args[0]} ≠ 0"))
                at0 = S.Zero
            return z3.If(a > 0, self.num(S.One), z3.If(a < 0, self.num(S.Zero), self.num(at0)))
        if isinstance(e, Piecewise):
            return self.piecewise(e)
        raise Unsupported(f"{type(e).__name__} is not polynomial arithmetic")

    def power(self, base, n):
        z3 = self.z3
        if n.is_Integer:
            k = int(n)
            if abs(k) > MAX_POWER:
                raise Unsupported(f"power {k} too high")
            b = self.expr(base)
            out = z3.Product([b] * abs(k)) if k else self.num(S.One)
            if k < 0:
                self.domain.append((b != 0, f"{base} ≠ 0"))
                out = self.num(S.One) / out
            return out
        if n.is_Rational:
            p, q = int(n.p), int(n.q)
            if q > 4 or abs(p) > MAX_POWER:
                raise Unsupported(f"root of order {q}")
            # SymPy's b**(p/q) is real only for b ≥ 0 (it is complex for b < 0).
            b = self.expr(base)
            r = self.fresh()
            self.domain.append((b >= 0, f"{base} ≥ 0"))
            self.side += [r >= 0, z3.Product([r] * q) == b]
            out = z3.Product([r] * abs(p))
            if p < 0:
                self.domain.append((b != 0, f"{base} ≠ 0"))
                out = self.num(S.One) / out
            return out
        raise Unsupported("a symbolic exponent")

    def piecewise(self, e):
        """Piecewise((e₁, c₁), (e₂, c₂), …): the first condition that holds chooses."""
        z3 = self.z3
        conditions = [self.boolean(c) for _, c in e.args]
        values = [self.expr(v) for v, _ in e.args]
        if e.args[-1][1] is not S.true:          # undefined where no condition holds
            self.domain.append((z3.Or(conditions), "a branch of the cases applies"))
        out = values[-1]
        for c, v in zip(reversed(conditions[:-1]), reversed(values[:-1])):
            out = z3.If(c, v, out)
        return out

    def boolean(self, c):
        z3 = self.z3
        if isinstance(c, BooleanTrue):
            return z3.BoolVal(True, self.ctx)
        if isinstance(c, BooleanFalse):
            return z3.BoolVal(False, self.ctx)
        if isinstance(c, And):
            return z3.And([self.boolean(a) for a in c.args])
        if isinstance(c, Or):
            return z3.Or([self.boolean(a) for a in c.args])
        if isinstance(c, Not):
            return z3.Not(self.boolean(c.args[0]))
        if isinstance(c, Relational):
            return relation(self.expr(c.lhs), c.rel_op, self.expr(c.rhs))
        raise Unsupported(f"condition {c}")

    def gram(self, atom):
        if atom not in self.grams:
            self.grams[atom] = self.z3.Real(f"gram_{len(self.grams)}", self.ctx)
        return self.grams[atom]

    def gram_conditions(self):
        """Every principal minor of the Gram matrix ≥ 0: exactly the Gram matrices of
        vectors in some ℝⁿ (the space is dimension-free)."""
        from itertools import combinations
        from sympy import Matrix
        vectors = sorted({v for atom in self.grams for v in atom.args}, key=lambda v: v.name)
        if not vectors:
            return []
        if len(vectors) > MAX_VECTORS:
            raise Unsupported(f"{len(vectors)} vectors")
        for a in vectors:
            for b in vectors:
                self.gram(Inner(a, b))          # canonical order; pairs absent from the step too
        cells = {}
        symbols = {}
        for i, a in enumerate(vectors):
            for j, b in enumerate(vectors):
                atom = Inner(a, b)
                symbols.setdefault(atom, Symbol(f"G{len(symbols)}"))
                cells[i, j] = symbols[atom]
        by_symbol = {s: self.grams[atom] for atom, s in symbols.items()}
        out = []
        for k in range(1, len(vectors) + 1):
            for rows in combinations(range(len(vectors)), k):
                minor = Matrix(k, k, lambda i, j: cells[rows[i], rows[j]]).det(method="berkowitz")
                out.append(_poly(self.z3, minor.expand(), by_symbol, self) >= 0)
        return out


def _poly(z3, e, by_symbol, tr):
    if e.is_Symbol:
        return by_symbol[e]
    if e.is_Rational:
        return tr.num(e)
    if isinstance(e, Add):
        return z3.Sum([_poly(z3, a, by_symbol, tr) for a in e.args])
    if isinstance(e, Mul):
        return z3.Product([_poly(z3, a, by_symbol, tr) for a in e.args])
    if isinstance(e, Pow):
        return z3.Product([_poly(z3, e.base, by_symbol, tr)] * int(e.exp))
    raise Unsupported(str(e))


def relation(a, op, b):
    return {"<": lambda: a < b, "<=": lambda: a <= b, ">": lambda: a > b, ">=": lambda: a >= b,
            "==": lambda: a == b, "!=": lambda: a != b, "=": lambda: a == b}[op]()


NEGATION = {"=": "!=", "<=": ">", "<": ">=", ">=": "<", ">": "<="}


# -- the query ---------------------------------------------------------------------

def _case_conditions(tr, case):
    """The case as z3 conditions on its Dummies, with readable text; conditions that
    leave polynomial arithmetic are dropped (a proof then holds more widely; a model
    is re-checked against every condition before it counts)."""
    out, dropped = [], []
    for sym, iv in case.intervals.items():
        rep = case.subs.get(sym)
        if rep is None:
            continue
        if case.signs.get(sym) is not None:
            iv = signed_interval(iv, case.signs[sym])
        try:
            z = tr.expr(sympify(rep))
        except Unsupported:
            dropped.append(str(sym))
            continue
        if iv.lower is not None:
            out.append((relation(z, ">" if iv.lower_open else ">=", tr.expr(sympify(iv.lower))),
                        f"{sym} {'>' if iv.lower_open else '≥'} {iv.lower}"))
        if iv.upper is not None:
            out.append((relation(z, "<" if iv.upper_open else "<=", tr.expr(sympify(iv.upper))),
                        f"{sym} {'<' if iv.upper_open else '≤'} {iv.upper}"))
    for var, expr in case.constraints:
        try:
            out.append((tr.expr(sympify(case.subs[var])) == tr.expr(sympify(expr).xreplace(case.subs)),
                        f"{var} = {expr}"))
        except Unsupported:
            dropped.append(f"{var} = {expr}")
    for op, g in case.filters:
        try:
            out.append((relation(tr.expr(sympify(g).xreplace(case.subs)), op, tr.num(S.Zero)),
                        f"{g} {op} 0"))
        except Unsupported:
            dropped.append(f"{g} {op} 0")
    return out, dropped


def query(lhs, rhs, rel, case, budget=BUDGET, rlimit=RLIMIT) -> Outcome:
    """Is there a point of ``case`` where ``lhs rel rhs`` fails? Exact arithmetic.

    "sat": ``model`` holds exact values (rational, or rational approximations of
    algebraic ones: the caller re-checks them); "unsat": no such point exists
    where both sides are defined, with a certificate; else "unknown"/"unsupported".
    """
    try:
        import z3
    except ImportError:
        return Outcome("unsupported", "z3 is not installed")
    from ..expressions import to_primitives
    start = clock()
    ctx = z3.Context()
    tr = _Translator(z3, ctx)
    try:
        a, b = tr.expr(to_primitives(sympify(lhs))), tr.expr(to_primitives(sympify(rhs)))
        conditions, dropped = _case_conditions(tr, case)
        grams = tr.gram_conditions()
    except Unsupported as exc:
        return Outcome("unsupported", str(exc))
    except (TypeError, ValueError, z3.Z3Exception) as exc:
        return Outcome("unsupported", f"{type(exc).__name__}: {exc}")
    negated = relation(a, NEGATION[rel], b)
    integer = any(s.is_integer for s in tr.vars)
    logic = "ALL" if integer else "QF_NRA"
    solver = z3.Solver(ctx=ctx) if integer else z3.SolverFor("QF_NRA", ctx=ctx)
    solver.set("rlimit", rlimit)
    solver.set("timeout", WALL_MS)
    solver.add(*tr.side, *grams, *[c for c, _ in tr.domain], *[c for c, _ in conditions], negated)
    status, why = _bounded_check(solver, ctx, budget)
    if status == "unsat":
        claim = f"{lhs} {rel} {rhs}"
        cert = Certificate(claim, tuple(t for _, t in conditions), tuple(t for _, t in tr.domain),
                           solver.to_smt2(), "z3", z3.get_full_version(), logic, clock() - start)
        return Outcome("unsat", "dropped: " + ", ".join(dropped) if dropped else "", certificate=cert)
    if status == "sat":
        m = solver.model()
        model = {s: _value(z3, m.eval(z, model_completion=True)) for s, z in tr.vars.items()}
        grams = {atom: _value(z3, m.eval(z, model_completion=True)) for atom, z in tr.grams.items()}
        if any(v is None for v in list(model.values()) + list(grams.values())):
            return Outcome("unknown", "a model value z3 could not give exactly")
        return Outcome("sat", model=model, grams=grams)
    return Outcome(status, why)


def _value(z3, v):
    """A z3 numeral as an exact SymPy number; an algebraic one as a close rational."""
    if z3.is_int_value(v):
        return sympify(v.as_long())
    if z3.is_rational_value(v):
        f = v.as_fraction()
        return Rational(f.numerator, f.denominator)
    if z3.is_algebraic_value(v):
        f = v.approx(40).as_fraction()
        return Rational(f.numerator, f.denominator)
    return None


def _bounded_check(solver, ctx, budget):
    """solver.check() stopped by its step limit, its wall-clock timeout, or this process's
    CPU budget (the innermost derive.budget deadline included).

    z3 runs in C with the GIL released: SIGPROF cannot interrupt it (the Python handler
    runs only when the call returns), so a watchdog thread watches the CPU clock and
    interrupts the context when the budget is spent.
    """
    from ..budget import _deadlines
    deadline = clock() + budget
    if _deadlines:
        deadline = min(deadline, min(_deadlines))
    stop = threading.Event()

    def watch():
        while not stop.wait(0.005):
            if clock() >= deadline:
                ctx.interrupt()
                return
    watchdog = threading.Thread(target=watch, daemon=True)
    watchdog.start()
    try:
        answer = solver.check()
    finally:
        stop.set()
        watchdog.join()
    text = str(answer)
    if text in ("sat", "unsat"):
        return text, ""
    reason = solver.reason_unknown()
    if clock() >= deadline or expired():
        reason = "over the CPU budget"
    return "unknown", reason


def prove(lhs, rhs, rel, case, budget=BUDGET):
    """The certificate that ``lhs rel rhs`` holds everywhere in ``case`` (where both sides
    are defined), or None. Only the kernel may turn it into a verdict."""
    value, err = attempt(budget, query, lhs, rhs, rel, case, budget)
    if err or value.status != "unsat":
        return None
    return value.certificate


# -- a model as a counterexample ------------------------------------------------------

def counterexample(lhs, rhs, rel, case, outcome):
    """The model of a "sat" outcome as a counterexample, re-checked exactly with SymPy
    numbers (the case's conditions and the broken relation), its values rounded to
    few digits where the break survives; None when the check does not hold up."""
    from .space import describe
    for digits in (1, 2, 3, 4, 6, None):
        model = {s: _rounded(v, digits) for s, v in outcome.model.items()}
        grams = {g: _rounded(v, digits) for g, v in outcome.grams.items()}
        checked = _recheck(lhs, rhs, rel, case, model, grams)
        if checked is None:
            continue
        original, a, b = checked
        shown = {k: _exact_text(v) for k, v in original.items()}
        for s, v in model.items():
            if s not in case.subs and not any(s in sympify(r).free_symbols for r in case.subs.values()):
                shown[str(s)] = _exact_text(v)
        for atom, v in grams.items():
            from ..printing import text
            shown[text(atom)] = _exact_text(v)
        import mpmath
        with mpmath.workdps(30):
            return describe(case, lhs, rhs, original, shown, _mpf(a), _mpf(b))
    return None


def _rounded(v, digits):
    if digits is None or v.is_Integer or v == 0:
        return v
    q = v.q
    if q <= 1000:
        return v                    # already readable as a fraction
    from sympy import Float
    return Rational(str(Float(v, digits)))


def _recheck(lhs, rhs, rel, case, model, grams):
    """(original point, lhs, rhs) when every condition of the case holds exactly at the
    model and the relation breaks exactly; None otherwise."""
    from ..expressions import to_primitives
    from ..kernel.world import inside_interval as _inside_interval
    values = dict(model)
    try:
        for s, v in values.items():
            for attr in ("is_positive", "is_negative", "is_nonnegative", "is_nonpositive", "is_integer"):
                if getattr(s, attr) and not getattr(v, attr):
                    return None
        original = {}
        for sym, rep in case.subs.items():
            value = sympify(rep).xreplace(values)
            if value.free_symbols:
                return None
            if sym in case.intervals and not _inside_interval(value, case.intervals[sym],
                                                              case.signs.get(sym)):
                return None
            original[sym] = value
        for var, expr in case.constraints:
            if _sign(sympify(expr).xreplace(original) - original[var]) != 0:
                return None
        for op, gap in case.filters:
            s = _sign(sympify(gap).xreplace(original))
            if s is None or not {">": s > 0, ">=": s >= 0, "<": s < 0, "<=": s <= 0, "!=": s != 0}[op]:
                return None
        if grams and not _psd(grams):
            return None
        sub = {**values, **grams}
        a = to_primitives(sympify(lhs)).xreplace(sub)
        b = to_primitives(sympify(rhs)).xreplace(sub)
        if not (a.is_real and b.is_real and a.is_finite and b.is_finite):
            return None
        s = _sign(a - b)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if s is None:
        return None
    broken = {"=": s != 0, "<=": s > 0, "<": s >= 0, ">=": s < 0, ">": s <= 0}[rel]
    return (original, a, b) if broken else None


def _sign(x):
    """-1, 0, 1 for an exact real number; None when SymPy cannot decide."""
    x = sympify(x)
    if x.is_zero:
        return 0
    if x.is_positive:
        return 1
    if x.is_negative:
        return -1
    return None


def _psd(grams) -> bool:
    """Every principal minor of the Gram matrix ≥ 0, in exact arithmetic."""
    from itertools import combinations
    from sympy import Matrix
    vectors = sorted({v for atom in grams for v in atom.args}, key=lambda v: v.name)
    cell = {}
    for i, a in enumerate(vectors):
        for j, b in enumerate(vectors):
            value = grams.get(Inner(a, b))
            if value is None:
                return False
            cell[i, j] = value
    for k in range(1, len(vectors) + 1):
        for rows in combinations(range(len(vectors)), k):
            minor = Matrix(k, k, lambda i, j: cell[rows[i], rows[j]]).det(method="berkowitz")
            if _sign(minor) is None or _sign(minor) < 0:
                return False
    return True


def _exact_text(v) -> str:
    v = sympify(v)
    if v.is_Integer:
        return str(v)
    if v.is_Rational:
        q = int(v.q)
        twos_fives = q
        for p in (2, 5):
            while twos_fives % p == 0:
                twos_fives //= p
        if twos_fives == 1 and len(str(q)) <= 8:        # a finite decimal
            from decimal import Decimal
            return format(Decimal(int(v.p)) / Decimal(q), "f")
        return f"{v.p}/{v.q}" if q <= 10 ** 6 else str(v.evalf(8))
    return str(v.evalf(8))


def _mpf(x):
    import mpmath
    return mpmath.mpf(str(sympify(x).evalf(30)))
