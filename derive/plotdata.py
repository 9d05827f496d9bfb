"""Where a failed step breaks: both sides along a line through its counterexample,
sampled inside the assumptions, every point drawn on the wrong side confirmed the way
the checker confirmed the counterexample (so the picture never contradicts the verdict)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .readable import number

BUDGET = 0.3            # CPU seconds per failed step, choosing the line included
SCAN = 13               # points per candidate variable when choosing the line
POINTS = 49             # points on the line drawn
RELATIONS = ("=", "<", "<=", ">", ">=")


@dataclass(frozen=True)
class Plot:
    """Both sides of step ``index`` along ``variable``; the other variables held at
    the counterexample (``fixed``). ``broken`` is True where the step fails (confirmed),
    False where it holds, None where neither could be settled (drawn as a gap)."""

    index: int
    variable: str
    fixed: tuple            # ((name, value as text), ...)
    rel: str
    xs: tuple
    lhs: tuple
    rhs: tuple
    broken: tuple
    at: tuple               # (x, lhs, rhs) at the counterexample

    def runs(self):
        """[(x0, x1)] of the stretches where the step fails, for shading."""
        out, start, last = [], None, None
        for x, b in zip(self.xs, self.broken):
            if b:
                start = x if start is None else start
                last = x
            elif start is not None:
                out.append((start, last))
                start = None
        if start is not None:
            out.append((start, last))
        return out


def plots_for(derivation, results, budget=BUDGET) -> dict:
    """{step index: Plot} for the failed steps with a counterexample (nothing else is
    computed, nothing is imported, when no step failed)."""
    out = {}
    for r in results:
        if _plottable(r):
            plot = plot_step(derivation, r, budget)
            if plot is not None:
                out[r.index] = plot
    return out


def _plottable(r) -> bool:
    v = r.verdict
    return (v.status == "failed" and isinstance(v.counterexample, dict)
            and r.step.rel in RELATIONS and "lhs" in v.counterexample)


def plot_step(derivation, result, budget=BUDGET):
    """The Plot of one failed step, or None (no scalar line through its counterexample,
    or not within ``budget`` CPU seconds)."""
    from .budget import Timeout, time_limit
    try:
        with time_limit(budget):
            line = _Line.through(derivation, result)
            return line.plot() if line is not None else None
    except Timeout:
        return None
    except Exception:      # noqa: BLE001 - a picture is extra: SymPy or mpmath may refuse a point
        return None


class _Line:
    """The checker's own view of one step in the case its counterexample lies in.

    A thin adapter over derive/checks (the case split, the prepared sides, the
    multi-precision decision): the same functions that produced the counterexample.
    """

    def __init__(self, result, case, syms, f, g, original, extra):
        self.result, self.case, self.syms, self.f, self.g = result, case, syms, f, g
        self.original, self.extra = original, extra
        self.rel = result.step.rel

    @classmethod
    def through(cls, derivation, result):
        import mpmath
        from .checks.points import Context
        from .checks.sampling import _decide, _gram_atoms, _numeric
        cex = result.verdict.counterexample
        ctx = Context(derivation, tuple(result.part.when) + tuple(result.step.when), result.part.label)
        for case in ctx.cases:
            lhs = ctx.prepare(result.lhs, case)
            rhs = ctx.prepare(result.step.rhs, case)
            lhs, rhs, grams = _gram_atoms(lhs, rhs)
            if grams:
                return None                  # vectors: no single line to draw along
            syms = sorted(lhs.free_symbols | rhs.free_symbols, key=lambda s: s.name)
            by_name = {str(s): s for s in case.intervals}
            try:
                original = {by_name[k]: mpmath.mpf(v) for k, v in cex.items() if k in by_name}
                extra = {s: mpmath.mpf(cex[str(s)]) for s in syms
                         if s not in case.subs.values() and str(s) in cex and str(s) not in by_name}
            except (ValueError, TypeError):
                return None                  # a vector or a fraction: not a scalar point
            line = cls(result, case, syms, _numeric(lhs, syms), _numeric(rhs, syms), original, extra)
            decided = line.decide(original, _decide)
            if decided and decided[0]:
                return line
        return None

    # -- points --------------------------------------------------------------------
    def raw(self, point):
        dummies = self.case.dummy_point(point)
        values = {**dummies, **self.extra}
        raw = [values.get(s) for s in self.syms]
        return None if any(x is None for x in raw) else raw

    def decide(self, point, decide):
        raw = self.raw(point)
        return None if raw is None else decide(self.f, self.g, raw, self.rel)

    def inside(self, point) -> bool:
        """The point satisfies the case: variables an equation fixes recomputed,
        every other condition holding."""
        from .checks.points import _holds_number, evaluate
        from .kernel.world import inside_interval
        for var, expr in self.case.constraints:
            value = evaluate(expr, point)
            if value is None or not inside_interval(value, self.case.intervals[var],
                                                    self.case.signs.get(var)):
                return False
            point[var] = value
        for op, gap in self.case.filters:
            value = evaluate(gap, point)
            if value is None or not _holds_number(op, value):
                return False
        return True

    def at(self, var, x):
        """Both sides at 30 digits where ``var`` = x, or None outside the case."""
        import mpmath
        from .checks.sampling import DIGITS, _at
        point = dict(self.original)
        point[var] = mpmath.mpf(x)
        if not self.inside(point):
            return None, point
        raw = self.raw(point)
        return (None if raw is None else _at(self.f, self.g, raw, DIGITS)), point

    def breaks(self, a, b) -> bool:
        scale = 1e-12 * max(1.0, abs(a), abs(b))
        return {"=": abs(a - b) > scale, "<": a >= b, "<=": a > b + scale,
                ">": a <= b, ">=": a < b - scale}[self.rel]

    # -- the line --------------------------------------------------------------------
    def candidates(self):
        from .kernel.world import signed_interval
        fixed = {v for v, _ in self.case.constraints} | set(self.case.at_end or {}) | \
            set(self.case.dominance or {})
        for var in self.original:
            iv = self.case.intervals[var]
            sign = self.case.signs.get(var)
            if var in fixed or sign == 0 or iv.integer:
                continue
            if sign is not None:
                iv = signed_interval(iv, sign)
            yield var, (None if iv.lower is None else float(iv.lower)), \
                (None if iv.upper is None else float(iv.upper))

    def window(self, c, lo, hi, width):
        a, b = c - width, c + width
        if lo is not None:
            a = max(a, lo + 0.01 * (c - lo))
        if hi is not None:
            b = min(b, hi - 0.01 * (hi - c))
        return a, b

    def scan(self, var, a, b, n):
        out = []
        for i in range(n):
            x = a + (b - a) * i / (n - 1)
            values, _ = self.at(var, x)
            if values is not None:
                out.append((x, not self.breaks(float(values[0]), float(values[1]))))
        return out

    def choose(self):
        """(variable, a, b): the first variable along which the step also holds somewhere."""
        first = None
        for var, lo, hi in self.candidates():
            c = float(self.original[var])
            for width in (1.5 * max(1.0, abs(c)), 6 * max(1.0, abs(c))):
                a, b = self.window(c, lo, hi, width)
                held = [x for x, ok in self.scan(var, a, b, SCAN) if ok]
                first = first or (var, a, b)
                if held:
                    h = min(held, key=lambda x: abs(x - c))
                    pad = 0.6 * abs(h - c) + 1e-9
                    a2, b2 = self.window(c, lo, hi, abs(h - c) + pad)
                    return var, max(a, a2), min(b, b2)
        return first

    def point_at(self, var, x):
        """(x, lhs, rhs, broken) where ``var`` = x, broken confirmed; None if unsettled."""
        from .checks.sampling import _decide
        values, point = self.at(var, x)
        if values is None:
            return None
        left, right = float(values[0]), float(values[1])
        if not (math.isfinite(left) and math.isfinite(right)):
            return None
        if not self.breaks(left, right):
            return x, left, right, False
        decided = self.decide(point, _decide)
        if decided is None:
            return None
        return (x, float(decided[1]), float(decided[2]), True) if decided[0] else (x, left, right, False)

    def refine(self, var, shown):
        """Where the step turns from holding to failing between two samples, the
        turning point to within 1/4000 of the range (so the shading starts there)."""
        xs, _, _, broken = shown
        extra = []
        width = xs[-1] - xs[0]
        for i in range(len(xs) - 1):
            if broken[i] is None or broken[i + 1] is None or broken[i] == broken[i + 1]:
                continue
            good, bad = (xs[i], xs[i + 1]) if not broken[i] else (xs[i + 1], xs[i])
            while abs(bad - good) > width / 4000:
                mid = (good + bad) / 2
                found = self.point_at(var, mid)
                if found is None:
                    break
                if found[3]:
                    bad = mid
                else:
                    good = mid
            for x in (good, bad):
                found = self.point_at(var, x)
                if found is not None:
                    extra.append(found)
        rows = sorted(set(zip(*shown)) | set(extra), key=lambda row: row[0])
        return tuple(list(col) for col in zip(*rows))

    def plot(self):
        from .checks.sampling import _decide
        chosen = self.choose()
        if chosen is None:
            return None
        var, a, b = chosen
        c = float(self.original[var])
        xs = sorted({a + (b - a) * i / (POINTS - 1) for i in range(POINTS)} | {c})
        shown = ([], [], [], [])
        for x in xs:
            values, point = self.at(var, x)
            if values is None:
                continue
            left, right = float(values[0]), float(values[1])
            if not (math.isfinite(left) and math.isfinite(right)):
                continue
            broken = False
            if self.breaks(left, right):
                decided = self.decide(point, _decide)
                if decided is None:
                    continue          # not settled: a gap, never a point drawn as failing
                broken = bool(decided[0])
                if broken:
                    left, right = float(decided[1]), float(decided[2])
            for seq, value in zip(shown, (x, left, right, broken)):
                seq.append(value)
        if len(shown[0]) < 3:
            return None
        shown = self.refine(var, shown)
        at = shown[0].index(c) if c in shown[0] else None
        if at is None or not shown[3][at]:
            return None                   # the counterexample itself must be drawn, confirmed
        fixed = tuple((str(k), number(str(float(v)))) for k, v in self.original.items() if k != var)
        return Plot(self.result.index, str(var), fixed, self.rel, tuple(shown[0]), tuple(shown[1]),
                    tuple(shown[2]), tuple(shown[3]), (c, shown[1][at], shown[2][at]))


def plots_of(checked, budget=BUDGET) -> dict:
    """{derivation id: {step index: Plot}} for a document's failed steps."""
    out = {}
    for derivation, results in checked:
        if derivation is not None and any(_plottable(r) for r in results):
            found = plots_for(derivation, results, budget)
            if found:
                out[derivation.id] = found
    return out


def terminal_plots(derivation, results, width=80) -> dict:
    """{step index: lines} for `derive check --plot`: each failed step's braille plot,
    indented under it, fitting ``width`` columns."""
    from .plotdraw import braille
    return {index: ["      " + line for line in braille(plot, max(40, width - 6))]
            for index, plot in plots_for(derivation, results).items()}
