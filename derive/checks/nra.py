"""Exact search with z3's nonlinear real arithmetic: a checked counterexample, or an unsat certificate."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sympy import Rational, sympify

from ..budget import attempt, clock, expired
from ..notation import Inner
from .smt import NEGATION, Translator, Unsupported, case_conditions, relation

# z3 bounds: rlimit counts z3's own steps, so the same query gives the same answer on
# a busy and an idle machine (1e6 steps ≈ 0.25–0.7 s here); the wall-clock timeout and the
# CPU watchdog only stop a query the step count would not stop in time.
RLIMIT = 1_000_000
WALL_MS = 10_000
BUDGET = 1.0


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
    tr = Translator(z3, ctx)
    try:
        a, b = tr.expr(to_primitives(sympify(lhs))), tr.expr(to_primitives(sympify(rhs)))
        conditions, dropped = case_conditions(tr, case)
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
        if not _in_ranges(case, values, original):
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


def _in_ranges(case, values, original) -> bool:
    """Each declared index in the model is an integer inside its range at the model's
    sizes (and joins the point, for the conditions that name it)."""
    from .points import index_ranges
    for i, lo, hi in index_ranges(getattr(case, "world", None)):
        if i not in values:
            continue
        v = values[i]
        if not v.is_Integer or _sign(v - lo.xreplace(original)) not in (0, 1) \
                or _sign(hi.xreplace(original) - v) not in (0, 1):
            return False
        original[i] = v
    return True


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
