"""SymPy expressions as exact z3 terms: every division and root brings its domain condition."""

from __future__ import annotations

from fractions import Fraction

from sympy import (Abs, Add, And, Float, Heaviside, Max, Min, Mul, Not, Or, Piecewise, Pow,
                   Rational, S, Symbol, sign, sympify)
from sympy.core.relational import Relational
from sympy.logic.boolalg import BooleanFalse, BooleanTrue

from ..kernel.world import signed_interval
from ..notation import Inner, ReLU

MAX_POWER = 16            # x**n with a larger n is not worth a query
MAX_VECTORS = 4           # Gram matrices up to 4×4: every principal minor asserted ≥ 0


class Unsupported(Exception):
    """The expression leaves polynomial/rational arithmetic (exp, log, opaque functions)."""


class Translator:
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


def case_conditions(tr, case):
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
    from .points import index_ranges
    for i, lo, hi in index_ranges(getattr(case, "world", None)):
        if i not in tr.vars:
            continue          # an index the query does not name constrains nothing in it
        try:
            out.append((tr.var(i) >= tr.expr(lo.xreplace(case.subs)), f"{i} ≥ {lo}"))
            out.append((tr.var(i) <= tr.expr(hi.xreplace(case.subs)), f"{i} ≤ {hi}"))
        except Unsupported:
            dropped.append(f"{lo} ≤ {i} ≤ {hi}")
    return out, dropped
