"""Sums and families in LaTeX: \\sum_{i=1}^{n}, \\sum_i, \\prod, x_i, x_{i+1}, \\delta_{km}, [k = m].

Indices are bound where a sum binds them: inside ``\\sum_i`` the name i is the
sum's own (a BoundIndex), whatever i means outside; outside it, an undeclared i
is an error that says where it was bound. Every family member's index must lie
provably inside the family's declared range.
"""

from __future__ import annotations

from sympy import Indexed, KroneckerDelta, Number, Product, Sum, evaluate, sympify

from ..indexed import BoundIndex, DerivativeWrt
from .library import Skel
from .text import quote

# Constructs read by nobody yet: named, so the author learns what is missing.
UNSUPPORTED = {
    "int": "integrals are not supported yet", "iint": "integrals are not supported yet",
    "iiint": "integrals are not supported yet", "oint": "integrals are not supported yet",
    "binom": "binomial coefficients are not supported yet",
    "choose": "binomial coefficients are not supported yet",
    "cup": "set notation is not supported yet", "cap": "set notation is not supported yet",
    "setminus": "set notation is not supported yet", "bigcup": "set notation is not supported yet",
    "bigcap": "set notation is not supported yet",
    "coprod": "coproducts are not supported", "limsup": "lim sup is not supported yet",
    "liminf": "lim inf is not supported yet", "sup": "suprema are not supported yet",
    "inf": "infima are not supported yet",
}
BIG = {"sum": Sum, "prod": Product}


class SumNotation:
    """Reader methods for sums, products and indexed families (mixed into Reader)."""

    def unsupported(self, k: int):
        """Fail with the construct's name when the control sequence at k is one we refuse."""
        t = self.toks[k]
        if t.kind == "cs" and t.text in UNSUPPORTED:
            self.fail(f"{quote(t.shown)}: {UNSUPPORTED[t.text]}", k)
        if t.kind == "cs" and t.text == "begin":
            env, _ = self._env_name(k)
            if env in ("vmatrix", "Vmatrix", "Bmatrix", "smallmatrix", "array"):
                self.fail(f"`\\begin{{{env}}}` is not supported: write a pmatrix (or bmatrix), "
                          "and \\det for a determinant", k)

    # -- Σ and Π -----------------------------------------------------------------------
    def big_operator(self, k: int, j: int):
        """\\sum_{i=a}^{b} body, \\sum_i body (i's declared range), \\prod likewise.

        The body is the rest of the product term, as after \\lim: \\sum_i x_i + y is
        (Σ x_i) + y, and \\sum_i x_i y_i is Σ (x_i y_i)."""
        toks, op = self.toks, self.toks[k].text
        shown = "\\" + op
        if k + 1 >= j or not toks[k + 1].is_char("_"):
            self.fail(f"{shown} needs its index below it: {shown}_{{i=1}}^{{n}}", k)
        a, b, nxt = self._arg(k + 2, "subscript")
        eq = next((q for q in range(a, b) if toks[q].is_char("=")), None)
        got = self.read_name(a, declaring=True)
        if got is None or got[0] != (eq if eq is not None else b):
            if any(toks[q].is_char(",") for q in range(a, b)):
                self.fail(f"one index per {shown}: write {shown}_i {shown}_j", a)
            self.fail(f"expected an index name in {self.q(a, b)}: {shown}_{{i=1}}^{{n}} or {shown}_i", a)
        name = got[1]
        if name.key in self.bound and isinstance(self.bound[name.key], BoundIndex):
            self.fail(f"the index {quote(name.key)} is already bound by an outer sum: "
                      "use another letter", a)
        if self.scope.functions.get(name.key) is not None:
            self.fail(f"{quote(name.key)} is a function, not an index", a)
        if eq is not None:
            if nxt >= j or not toks[nxt].is_char("^"):
                self.fail(f"{shown}_{{{self.src(a, b)}}} needs its upper limit: "
                          f"{shown}_{{{self.src(a, b)}}}^{{n}}", nxt)
            lower = self._limit(eq + 1, b)
            ua, ub, nxt = self.sup_range(nxt)
            upper = self._limit(ua, ub)
        else:
            if nxt < j and toks[nxt].is_char("^"):
                self.fail(f"write the lower limit too: {shown}_{{{self.src(a, b)}=1}}^{{…}}", nxt)
            declared = self.scope.indices.get(name.key)
            if declared is None:
                self.fail(f"{shown}_{{{self.src(a, b)}}} needs its range: write {shown}_{{"
                          f"{self.src(a, b)}=1}}^{{n}} or declare {name.key} \\in \\{{1, \\dots, n\\}}", k)
            lower, upper = declared.lower, declared.upper
        for limit in (lower, upper):
            if any(s.name == name.shown for s in sympify(limit).free_symbols):
                self.fail(f"the limits of {shown}_{{{self.src(a, b)}}} mention its own index", a)
        if nxt >= j:
            self.fail(f"{self.q(k, nxt)} needs something to sum after it", nxt)
        index = BoundIndex(name.shown)
        saved = self.bound
        self.bound = dict(saved, **{name.key: index})
        self.ranges = dict(getattr(self, "ranges", {}))
        self.ranges[index] = (lower, upper)
        try:
            body_sk, end = self.seq_until(nxt, j, True)
            body = self.finish(body_sk, nxt, end)
        finally:
            self.bound = saved
        self.scalar(body, k)
        from ..matrices import is_matrix
        if is_matrix(body) or getattr(body, "is_commutative", True) is False:
            self.fail(f"{shown} of matrices is not supported: write the entries' sums", k)
        self._bound_at = dict(getattr(self, "_bound_at", {}), **{name.key: k})
        sk = Skel()
        # Built evaluated: unevaluated, Sum wraps its body as 1·body (its orientation).
        sk.obj(BIG[op](body, (index, lower, upper)), k)
        return end, sk

    def _limit(self, a: int, b: int):
        """A sum's limit: an integer expression in numbers, declared integers and indices."""
        if a >= b:
            self.fail("an empty limit", a)
        got = self.read_name(a) if self.scope.undeclared is not None else None
        if got is not None and got[0] == b and self.lookup(got[1]) is None \
                and not self.scope.known(got[1].key):
            # A document's undeclared n, first seen as a sum's limit, counts terms.
            self.scope.undeclared(got[1], False, integer=True)
        value = _plain(self.expr(a, b))
        self._integer(value, a, "a sum's limit")
        return value

    def _integer(self, value, k: int, what: str):
        for s in sympify(value).free_symbols:
            if not (s.is_integer or isinstance(s, BoundIndex)):
                self.fail(f"{what} must be an integer: {quote(str(s))} is not declared as one "
                          "(declare it \\in \\mathbb{N} or as an index)", k)
        for n in sympify(value).atoms(Number):
            if not n.is_Integer:
                self.fail(f"{what} must be an integer, not {quote(str(value))}", k)

    # -- x_i, δ_{km}, [k = m] -----------------------------------------------------------
    def member(self, k: int, j: int):
        """(next, skeleton) for a family member x_{…} at k, or None when k is not one."""
        got = self.read_name(k)
        if got is None:
            return None
        nxt, name = got
        base_key = name.key.split("_{", 1)[0]
        family = self.scope.families.get(base_key)
        if family is None or base_key == name.key or self.lookup(name) is not None:
            return None
        us = next(q for q in range(k, nxt) if self.toks[q].is_char("_"))
        a, b, after = self._arg(us + 1, "subscript")
        index = self._subscript_index(a, b, family.name)
        self._inside(index, family, a)
        sk = Skel()
        sk.obj(family.base[index], k)
        return after, sk

    def _subscript_index(self, a: int, b: int, what: str):
        toks = self.toks
        if any(toks[q].is_char(",") for q in range(a, b)):
            self.fail(f"{what} has one index: write {what}_{{i}}", a)
        for q in range(a, b - 1):
            if toks[q].kind == "letter" and toks[q + 1].kind == "letter":
                self.fail(f"ambiguous subscript {self.q(a, b)}: write {what}_{{i j}} for a "
                          "product of indices, or one index", q)
        value = _plain(self.expr(a, b))
        self._integer(value, a, f"the index of {what}")
        return value

    def _inside(self, index, family, k: int):
        """The index provably lies in the family's range, wherever its symbols range."""
        # Callers may be inside evaluate(False) (e^{z_k} is read so): compute evaluated.
        with evaluate(True):
            lo, hi = self._index_bounds(index, k)
            inside = _le(family.lower, lo) and _le(hi, family.upper)
        if not inside:
            self.fail(f"{family.name}_{{{index}}} may lie outside {family.name}_{family.lower}, …, "
                      f"{family.name}_{{{family.upper}}}: its index ranges over {lo}, …, {hi}", k)

    def _index_bounds(self, index, k: int):
        """(least, greatest) value of an index expression affine in its indices; a range
        given by another index (b in 1..a inside Σ_{a=1}^{K}) is followed to its ends."""
        index = sympify(index)
        ends = [index, index]                       # least, greatest
        for _ in range(8):
            moved = False
            for end in (0, 1):
                for s in sorted(ends[end].free_symbols, key=str):
                    rng = self._range_of(s)
                    if rng is None:
                        continue
                    slope = ends[end].diff(s)
                    if not slope.is_number or ends[end].diff(s, 2) != 0:
                        self.fail(f"cannot tell which values the index {quote(str(index))} takes", k)
                    low_end = (slope >= 0) == (end == 0)
                    ends[end] = ends[end].xreplace({s: rng[0] if low_end else rng[1]})
                    moved = True
            if not moved:
                break
        return ends[0], ends[1]

    def _range_of(self, s):
        if isinstance(s, BoundIndex):
            return getattr(self, "ranges", {}).get(s)
        declared = next((i for i in self.scope.indices.values() if i.symbol == s), None)
        return (declared.lower, declared.upper) if declared else None

    def delta(self, k: int):
        """\\delta_{km} (or \\delta_{k,m}) when δ is not a declared name: KroneckerDelta."""
        toks = self.toks
        if k + 1 >= len(toks) or not toks[k + 1].is_char("_") or self.scope.known("\\delta"):
            return None
        a, b, after = self._arg(k + 2, "subscript")
        commas = [q for q in range(a, b) if toks[q].is_char(",")]
        if commas:
            pieces = [(a, commas[0]), (commas[0] + 1, b)]
        elif b - a == 2:
            pieces = [(a, a + 1), (a + 1, b)]
        else:
            self.fail("\\delta_{…} takes two indices: \\delta_{km} or \\delta_{k,m}", a)
        p, q = (_plain(self.expr(*piece)) for piece in pieces)
        for value in (p, q):
            self._integer(value, a, "an index of \\delta")
        sk = Skel()
        sk.obj(KroneckerDelta(p, q), k)
        return after, sk

    def iverson(self, k: int):
        """[k = m] (Iverson's bracket) as δ_{km}; None when the bracket holds no '='."""
        end = self.close_of(k)
        pieces, ops = self.split_relations(k + 1, end)
        if not ops:
            return None
        if len(ops) != 1 or ops[0][0] != "=":
            self.fail("an Iverson bracket [k = m] holds one equation between indices", k)
        p, q = (_plain(self.expr(*piece)) for piece in pieces)
        for value in (p, q):
            self._integer(value, k, "a side of [k = m]")
        sk = Skel()
        sk.obj(KroneckerDelta(p, q), k)
        return end + 1, sk

    # -- ∂/∂σ² and bound names used outside their sum --------------------------------------
    def compound_derivative(self, target, variables, order: int, k: int):
        """∂F/∂v^p with one variable and ∂ of order 1 on top: F as a function of v^p."""
        if order != 1 or len(variables) != 1:
            return None
        v, p = variables[0]
        if isinstance(v, Indexed):
            return None
        return DerivativeWrt(target, v ** p, v)

    def outside_sum(self, name, k: int):
        """Fail when an undeclared name is an index some sum of this formula binds."""
        at = getattr(self, "_bound_at", {}).get(name.key)
        if at is not None:
            self.fail(f"{quote(name.key)} is the index of the sum at column "
                      f"{self.text.where(self.toks[at].i)[1]} and means nothing outside it: "
                      f"declare {name.key} as an index, or move it inside the sum", k)


def _plain(expr):
    """An index expression evaluated (x_{i+1}'s i + 1 as SymPy's own sum)."""
    from ..expressions import rebuild
    with evaluate(True):
        return rebuild(expr)


def _le(a, b) -> bool:
    """a ≤ b for every admissible value of the sizes (b − a is a nonnegative expression)."""
    gap = sympify(b) - sympify(a)
    if gap.is_number:
        return bool(gap >= 0)
    return bool(gap.expand().is_nonnegative)


__all__ = ["SumNotation", "UNSUPPORTED"]
