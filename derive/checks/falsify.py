"""A counterexample search, not just sampling: z3 for polynomial steps, a local optimiser otherwise.

``search_relation`` keeps ``sample_relation``'s contract: ("counterexample", point),
("held", n) or ("none", why). It only refutes: a point is reported once the break is
confirmed at high precision (or exactly), never a proof.
"""

from __future__ import annotations

import math
import random

import mpmath
from sympy import sympify

from ..budget import attempt
from .floats import _as_float, _floats, _mp, _real, _relative, _round, _text
from .optimise import nelder_mead, starts
from .sampling import POINTS, _decide, _gram_atoms, _numeric
from .space import Space, affine_inverse, float_dummies

SEARCH_BUDGET = 1.5         # CPU seconds: a backstop; the evaluation count is the bound
EVALUATIONS = 2500          # float evaluations of the margin by the optimiser
OPTIMISER_STARTS = 8
CONFIRMATIONS = 12          # high-precision confirmations of float candidates


def search_relation(lhs, rhs, rel, case, seed=0, budget=SEARCH_BUDGET, certificates=None):
    """Look for a point of ``case`` where ``lhs rel rhs`` breaks.

    First z3 on the negation (polynomial and rational steps, with |·|, max, cases and
    roots): its model is re-checked exactly before it counts, and its ``unsat`` is
    appended to ``certificates`` (a list, when given) as an ``nra.Certificate`` for the
    kernel to judge. Then points of the case at random, at its closed ends, near
    equalities between variables, at tiny and huge magnitudes, each also the start of
    a Nelder–Mead search that minimises the margin (rhs − lhs for ≤, −|lhs − rhs| for =).
    """
    value, err = attempt(budget, _search, sympify(lhs), sympify(rhs), rel, case, seed, budget,
                         certificates)
    if err:
        return "none", "the search ran out of time"
    return value


def _search(lhs, rhs, rel, case, seed, budget, certificates):
    from . import nra
    exact = nra.query(lhs, rhs, rel, case, budget=budget / 3)
    if exact.status == "sat":
        point = nra.counterexample(lhs, rhs, rel, case, exact)
        if point is not None:
            return "counterexample", point
    try:
        problem = _Problem(lhs, rhs, rel, case)
    except _Cannot as exc:
        return "none", str(exc)
    found = problem.run(random.Random(seed), optimise=exact.status != "unsat")
    if found[0] == "held" and exact.status == "unsat" and certificates is not None:
        certificates.append(exact.certificate)
    return found


class _Cannot(Exception):
    pass


class _Problem:
    """One relation in one case: its margin in floats, its confirmation at high precision."""

    def __init__(self, lhs, rhs, rel, case):
        self.lhs, self.rhs, self.rel, self.case = lhs, rhs, rel, case
        L, R, self.grams = _gram_atoms(lhs, rhs)
        self.symbols = sorted(L.free_symbols | R.free_symbols, key=lambda s: s.name)
        covered = set()
        for rep in case.subs.values():
            covered |= sympify(rep).free_symbols
        extra = [s for s in self.symbols if s not in covered and s not in self.grams]
        vectors = {v for pq in self.grams.values() for v in pq}
        self.space = Space(case, extra, vectors)
        self.inverse = affine_inverse(case)
        try:
            self.f, self.g = _numeric(L, self.symbols), _numeric(R, self.symbols)
        except Exception as exc:       # noqa: BLE001 - an expression lambdify cannot translate
            raise _Cannot(f"cannot evaluate numerically ({type(exc).__name__})") from None
        self.ff, self.gf = _floats(L, self.symbols, self.f), _floats(R, self.symbols, self.g)
        self.confirmations = 0

    # -- floats ------------------------------------------------------------------
    def _args(self, original, vectors, extra, dummies):
        out = []
        for s in self.symbols:
            if s in dummies:
                out.append(dummies[s])
            elif s in self.space.indices and s in original:
                out.append(original[s])
            elif s in self.grams:
                p, q = self.grams[s]
                out.append(sum(a * b for a, b in zip(vectors[p], vectors[q])))
            elif s in extra:
                out.append(extra[s])
            else:
                return None
        return out

    def margin(self, values):
        """rhs − lhs for ≤ (lhs − rhs for ≥, −|lhs − rhs| for =), relative to the sides'
        size; negative breaks the relation. ``inf`` where a side is undefined; a point
        off a condition of the case scores above every point on it."""
        at = self.space.point(values)
        if at is None:
            return math.inf
        original, vectors, extra, violation = at
        dummies = float_dummies(self.inverse, original)
        args = self._args(original, vectors, extra, dummies)
        if args is None:
            return math.inf
        try:
            a, b = self.ff(*args), self.gf(*args)
            a, b = float(_real(a)), float(_real(b))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return math.inf
        if not (math.isfinite(a) and math.isfinite(b)):
            return math.inf
        scale = 1.0 + abs(a) + abs(b)
        if self.rel == "=":
            m = -abs(a - b) / scale
        elif self.rel in ("<=", "<"):
            m = (b - a) / scale
        else:
            m = (a - b) / scale
        return m if violation == 0 else 2.0 + violation

    def candidate(self, m) -> bool:
        if self.rel == "=":
            return m < -1e-9
        if self.rel in ("<", ">"):
            return m <= 1e-15
        return m < -1e-13

    # -- high precision --------------------------------------------------------------
    def decide(self, values):
        """(broken, lhs, rhs, precise point) by sampling's 30–240-digit rule, or None."""
        from ..kernel.world import inside_interval as _inside_interval
        from .points import EXACT_DIGITS, _holds_number, evaluate as _evaluate
        at = self.space.point([_as_float(v) for v in values])
        if at is None:
            return None
        with mpmath.workdps(EXACT_DIGITS):
            original = {k: _mp(v) for k, v in self.space.fixed.items()}
            vectors, extra = {}, {}
            exact = dict(zip(self.space.kinds, values))
            for kind, v in exact.items():
                if kind[0] == "var":
                    original[kind[1]] = _mp(v)
                elif kind[0] == "extra":
                    extra[kind[1]] = _mp(v)
                elif kind[0] == "vector":
                    vectors.setdefault(kind[1], [0] * self.space.dim)[kind[2]] = _mp(v)
            for big in self.space.order:
                small = self.case.dominance[big][0]
                original[big] = original[small] + _mp(exact[("gap", big)])
            for var, expr in self.case.constraints:
                value = _evaluate(expr, original)
                if value is None or not _inside_interval(value, self.case.intervals[var],
                                                         self.case.signs.get(var)):
                    return None
                original[var] = value
            for op, gap in self.space.filters:
                value = _evaluate(gap, original)
                if value is None or not _holds_number(op, value):
                    return None
            dummies = self.case.dummy_point(original)
            args = self._args(original, vectors, extra, dummies)
        if args is None:
            return None
        decided = _decide(self.f, self.g, args, self.rel)
        if decided is None:
            return None
        if decided[0] and self.rel in ("<", ">") and decided[1] == decided[2] \
                and not self._exact_tie(values):
            # Equal to 240 digits is no tie: σ(1000) = 1 − e⁻¹⁰⁰⁰ < 1.
            return None
        return decided + ((original, vectors, extra),)

    def _exact_tie(self, values) -> bool:
        """The two sides are exactly equal at ``values`` (SymPy, rational inputs)."""
        from sympy import Rational
        from ..expressions import to_primitives
        if self.case.constraints or self.grams:
            return False
        exact = {}
        for kind, v in zip(self.space.kinds, values):
            exact[kind] = Rational(v) if not isinstance(v, str) else Rational(v)
        original = {k: Rational(v) for k, v in self.space.fixed.items()}
        for kind, v in exact.items():
            if kind[0] == "var":
                original[kind[1]] = v
        for big in self.space.order:
            original[big] = original[self.case.dominance[big][0]] + exact[("gap", big)]
        # The point must meet the step's other conditions exactly too: sin(πt) > 0 holds
        # at t = 1 in floating point and at 300 digits, but sin(π) = 0.
        for op, gap in self.space.filters:
            value = sympify(gap).xreplace(original)
            truth = {">": value.is_positive, ">=": value.is_nonnegative, "<": value.is_negative,
                     "<=": value.is_nonpositive, "!=": value.is_nonzero}.get(op)
            if truth is not True:
                return False
        sub = {kind[1]: v for kind, v in exact.items() if kind[0] == "extra"}
        affine, gaps = self.inverse
        for d, sym, _, _ in affine:
            rep = sympify(self.case.subs[sym])
            b = rep.diff(d)
            sub[d] = (original[sym] - rep.xreplace({d: 0})) / b
        for gap, big, small in gaps:
            sub[gap] = original[big] - original[small]
        sub.update({i: original[i] for i in self.space.indices})
        try:
            return (to_primitives(self.lhs - self.rhs).xreplace(sub)).is_zero is True
        except (TypeError, ValueError, ZeroDivisionError):
            return False

    def confirm(self, values, decided):
        """The counterexample at ``values`` (rounded to few digits where the break survives)."""
        # Rounded only where the break stays as visible as it was (σ(12) ≈ 1 would
        # turn a clear difference into one in the eleventh digit).
        wanted = min(_relative(decided), 1e-6)
        for digits in range(1, 9):
            rounded = [_round(v, digits, c) for v, c in zip(values, self.space.coords)]
            if any(not c.contains(_as_float(v)) for v, c in zip(rounded, self.space.coords)):
                continue
            if rounded == values:
                break
            again = self.decide(rounded)
            if again is not None and again[0] and _relative(again) >= wanted:
                return self.describe(again)
        return self.describe(decided)

    def describe(self, decided):
        from .space import describe
        _, a, b, (original, vectors, extra) = decided
        shown = {k: _text(v) for k, v in original.items()}
        shown.update({str(k): _text(v) for k, v in extra.items()})
        shown.update({str(v): "(" + ", ".join(_text(c) for c in comps) + ")"
                      for v, comps in vectors.items()})
        return describe(self.case, self.lhs, self.rhs, original, shown, a, b)

    # -- the search ----------------------------------------------------------------------
    def clear(self, m) -> bool:
        """A break that shows in the sixth digit (or an exact tie against a strict claim)."""
        if self.rel in ("<", ">"):
            return m <= 0
        return m < -1e-6

    def run(self, rng, optimise=True):
        points = starts(self.space, self.case, rng)
        scored, faint = [], None
        for values, pinned in points:
            m = self.margin(values)
            if m == math.inf:
                continue
            scored.append((m, values, pinned))
            if self.candidate(m) and (faint is None or self.clear(m)):
                decided = self._decided(values)
                if decided is not None and decided[0]:
                    if self.clear(m):
                        return "counterexample", self.confirm(values, decided)
                    faint = values, decided
        # Sampling's own evidence: the random points at 30–240 digits, which also sees
        # differences below floating point (1 + q·e⁻³⁰⁰ ≠ 1).
        held = 0
        for m, values, pinned in scored[:POINTS]:
            decided = self.decide(values)
            if decided is None:
                continue
            if decided[0]:
                faint = faint or (values, decided)
                break
            held += 1
        if (optimise or faint) and self.space.coords:
            # A faint break is real but hard to read: the optimiser may find a clear one.
            found = self._optimise(scored)
            if found:
                return "counterexample", found
        if faint:
            return "counterexample", self.confirm(*faint)
        if held == 0:
            return "none", "no sample point where both sides are defined"
        return "held", held

    def _decided(self, values):
        if self.confirmations >= CONFIRMATIONS:
            return None
        self.confirmations += 1
        return self.decide(values)

    def _optimise(self, scored):
        scored = sorted(scored, key=lambda s: s[0])
        budget = EVALUATIONS
        tried = set()
        for m, values, pinned in scored:
            if budget <= 0 or len(tried) >= OPTIMISER_STARTS:
                break
            key = tuple(round(_as_float(v), 6) for v in values)
            if key in tried:
                continue
            tried.add(key)
            free = [i for i in range(len(values)) if i not in pinned]
            if not free:
                continue
            coords = self.space.coords

            def objective(t, values=values, free=free):
                trial = list(values)
                for i, ti in zip(free, t):
                    trial[i] = coords[i].value(ti)
                return self.margin(trial), trial
            x0 = [coords[i].inverse(_as_float(values[i])) for i in free]
            cap = min(budget, 80 * (len(free) + 1))
            best, used = nelder_mead(objective, x0, cap, self.clear)
            budget -= used
            if best is not None and self.candidate(best[0]):
                decided = self._decided(best[1])
                if decided is not None and decided[0]:
                    return self.confirm(best[1], decided)
            tie = self._tie_near(best[1], free) if best is not None and 0 < best[0] < 1e-9 else None
            if tie:
                return tie
        return None

    def _tie_near(self, values, free):
        """A strict claim is false where its sides are equal (log u < u − 1 at u = 1): the
        optimiser only comes near such a point in floating point, so the free coordinates
        are snapped to nearby halves, quarters, … (exact in binary) and the tie is decided
        exactly (``decide``: 30–240 digits, then SymPy on the rational point)."""
        if self.rel not in ("<", ">"):
            return None
        coords = self.space.coords
        for d in (1, 2, 4, 8, 16):
            snapped = list(values)
            for i in free:
                snapped[i] = round(_as_float(values[i]) * d) / d
            if snapped == list(values) or not all(c.contains(_as_float(v))
                                                  for v, c in zip(snapped, coords)):
                continue
            if self.margin(snapped) > 1e-12:
                continue
            decided = self._decided(snapped)
            if decided is not None and decided[0]:
                return self.describe(decided)
        return None
