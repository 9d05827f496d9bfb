"""Notation in LaTeX beyond arithmetic: ∂-fractions, √, |x|, ‖a‖², ⟨a,b⟩, lim, cases."""

from __future__ import annotations

from sympy import Abs, Indexed, Limit, Piecewise, S, Symbol, evaluate, sqrt

from ..expressions import derivative
from ..notation import Inner, VectorSymbol, linear_parts
from .library import Skel
from .text import quote


class Notation:
    """Reader methods for the notation the library lacks (mixed into Reader)."""

    def frac(self, k: int, j: int):
        """\\frac{a}{b} (also \\frac12), or a derivative when it is a ∂- or d-fraction."""
        toks = self.toks
        t = toks[k + 1] if k + 1 < len(toks) else None
        sk = Skel()
        if t is not None and t.kind == "num" and len(t.text) == 2 and "." not in t.text:
            sk.raw("\\frac{%s}{%s}" % (t.text[0], t.text[1]), k)     # \frac12
            return k + 2, sk
        a1, b1, n1 = self._arg(k + 1, "numerator")
        a2, b2, n2 = self._arg(n1, "denominator")
        if a1 == b1 or a2 == b2:
            self.fail(f"an empty fraction part in {self.q(k, n2)}", k)
        deriv = self.derivative(k, a1, b1, a2, b2, n2, j)
        if deriv is not None:
            return deriv
        sk.raw("\\frac{", k)
        sk.extend(self.seq(a1, b1))
        sk.raw("}{", b1)
        sk.extend(self.seq(a2, b2))
        sk.raw("}", b2)
        return n2, sk

    def _is_d(self, k: int) -> bool:
        """d as a differential: \\mathrm{d}, or a plain d that is not a declared symbol."""
        t = self.toks[k]
        if t.is_cs("mathrm") and self._text_word(k) == "d":
            return True
        return t.kind == "letter" and t.text == "d" and not self.scope.known("d") and "d" not in self.bound

    def _after_d(self, k: int) -> int:
        return self.close_of(k + 1) + 1 if self.toks[k].is_cs("mathrm") else k + 1

    def derivative(self, k, a1, b1, a2, b2, after, j):
        """∂ⁿF/∂xⁿ, ∂/∂x [operand], dF/dx; None when the fraction is an ordinary one."""
        toks = self.toks
        if toks[a1].is_cs("partial") and toks[a2].is_cs("partial"):
            mark = "partial"
        elif self._is_d(a1) and self._is_d(a2):
            mark = "d"
        else:
            return None
        # numerator: ∂ [^n] [F]
        p = a1 + 1 if mark == "partial" else self._after_d(a1)
        order = 1
        if p < b1 and toks[p].is_char("^"):
            oa, ob, p = self._arg(p + 1, "order")
            order = self._order(oa, ob)
        # denominator: ∂x [^n] ∂y ...
        variables, q = [], a2
        while q < b2:
            if mark == "partial" and toks[q].is_cs("partial"):
                q += 1
            elif mark == "d" and self._is_d(q):
                q = self._after_d(q)
            else:
                differential = "\\partial" if mark == "partial" else "d"
                self.fail(f"expected {differential} before each variable in {self.q(a2, b2)}", q)
            got = self.read_name(q) if q < b2 else None
            if got is None:
                self.fail(f"expected a variable after the differential in {self.q(a2, b2)}", q)
            member = self.member(q, b2)
            if member is not None:
                got = (member[0], got[1])
            q, name = got
            sym = member[1].single() if member is not None else self.lookup(name)
            fn = self.scope.functions.get(name.key)
            if sym is None and fn is not None:
                sym = fn.bare
            elif sym is None and self.scope.undeclared is not None:
                sym = self.scope.undeclared(name, False)
                sym = None if isinstance(sym, str) else sym
            if not isinstance(sym, (Symbol, Indexed)) or isinstance(sym, VectorSymbol):
                self.fail(f"cannot differentiate with respect to {quote(name.key)}: "
                          "expected a declared scalar symbol or a defined quantity", q - 1)
            n = 1
            if q < b2 and toks[q].is_char("^"):
                oa, ob, q = self._arg(q + 1, "order")
                n = self._order(oa, ob)
            variables.append((sym, n))
        if not variables:
            self.fail(f"expected a variable in {self.q(a2, b2)}", a2)
        total = sum(n for _, n in variables)
        compound = None
        if total != order:
            compound = self.compound_derivative(None, variables, order, k)
        if total != order and compound is None:
            self.fail(f"the orders do not match in {self.q(k, after)}: "
                      f"{order} on top, {total} below", k)
        if p < b1:
            target = self.expr(p, b1)
            nxt = after
        else:
            if after >= j or not self.starts_atom(after):
                self.fail(f"{self.q(k, after)} needs something to differentiate after it", after)
            nxt, operand_sk = self.operand(after, j)
            if nxt < j and self.starts_atom(nxt):
                self.fail(f"ambiguous: what does {self.q(k, after)} apply to? put its operand "
                          "in brackets, \\frac{\\partial}{\\partial v}\\left[…\\right]", nxt)
            target = self.finish(operand_sk, after, nxt)
        self.scalar(target, k)
        with evaluate(False):
            value = derivative(target, *variables) if compound is None else \
                self.compound_derivative(target, variables, order, k)
        sk = Skel()
        sk.obj(value, k)
        return nxt, sk

    def _order(self, a: int, b: int) -> int:
        if b - a == 1 and self.toks[a].kind == "num" and self.toks[a].text.isdigit():
            return int(self.toks[a].text)
        self.fail("the order of a derivative must be a whole number", a)

    def sqrt(self, k: int):
        """\\sqrt{x} and \\sqrt[n]{x}, left to the library."""
        sk = Skel()
        nxt = k + 1
        sk.raw("\\sqrt", k)
        if nxt < len(self.toks) and self.toks[nxt].is_char("["):
            end = self.close_of(nxt)
            sk.raw("[", nxt)
            sk.extend(self.seq(nxt + 1, end))
            sk.raw("]", end)
            nxt = end + 1
        a, b, after = self._arg(nxt, "argument of \\sqrt")
        sk.raw("{", a)
        sk.extend(self.seq(a, b))
        sk.raw("}", b)
        return after, sk

    def _bar_close(self, k: int, j: int, chars, commands) -> int:
        """The index of the bar that closes the one at k (bars are their own closers)."""
        q = k + 1
        while q < j:
            t = self.toks[q]
            if (t.kind == "char" and t.text in chars) or (t.kind == "cs" and t.text in commands):
                return q
            q = self.skip(q)
        self.fail(f"{quote(self.toks[k].shown)} is never closed", k)

    def abs(self, k: int, j: int):
        """|x|, \\lvert x \\rvert, \\left| x \\right|."""
        t = self.toks[k]
        if t.is_cs("lvert"):
            end = self.close_of(k)
        else:
            end = self._bar_close(k, j, {"|"}, {"vert", "rvert"})
        value = self.expr(k + 1, end)
        self.scalar(value, k)
        sk = Skel()
        with evaluate(False):
            sk.obj(Abs(value), k)
        return end + 1, sk

    def norm(self, k: int, j: int):
        """‖a‖² as ⟨a, a⟩; ‖a‖ alone as its square root."""
        t = self.toks[k]
        end = self.close_of(k) if t.is_cs("lVert") else self._bar_close(k, j, set(), {"|", "Vert", "rVert"})
        value = self.expr(k + 1, end)
        self.vector(value, k, "‖…‖")
        nxt = end + 1
        if nxt < j and self.toks[nxt].is_char("_"):
            a, b, after = self._arg(nxt + 1, "subscript")
            if self.src(a, b) != "2":
                self.fail("only the Euclidean norm ‖·‖ (or ‖·‖_2) is supported", a)
            nxt = after
        sk = Skel()
        with evaluate(False):
            if nxt < j and self.toks[nxt].is_char("^"):
                a, b, after = self.sup_range(nxt)
                if self.src(a, b) == "2":
                    sk.obj(Inner(value, value), k)
                    return after, sk
            sk.obj(sqrt(Inner(value, value)), k)
        return nxt, sk

    def inner(self, a, b, k: int):
        """⟨a, b⟩ of two vectors, unevaluated so it prints as written."""
        self.vector(a, k, "the left side of ⟨·,·⟩")
        self.vector(b, k, "the right side of ⟨·,·⟩")
        with evaluate(False):
            return Inner(a, b)

    def limit(self, k: int, j: int):
        """\\lim_{h \\to c^±} over the rest of the product term; h may be a new, bound name."""
        toks = self.toks
        if k + 1 >= j or not toks[k + 1].is_char("_"):
            self.fail("\\lim needs a subscript: \\lim_{h \\to 0^+}", k)
        a, b, body = self._arg(k + 2, "subscript")
        arrow = next((q for q in range(a, b) if toks[q].is_cs("to", "rightarrow", "downarrow",
                                                               "uparrow", "searrow", "nearrow")), None)
        if arrow is None:
            self.fail(f"expected \\to in {self.q(a, b)}: \\lim_{{h \\to 0^+}}", a)
        got = self.read_name(a)
        if got is None or got[0] != arrow:
            self.fail(f"expected one variable before \\to in {self.q(a, b)}", a)
        name = got[1]
        var = self.lookup(name)
        if var is None and self.scope.known(name.key):
            self.fail(f"{quote(name.key)} is a function, not a variable", a)
        if var is not None and (isinstance(var, VectorSymbol) or not isinstance(var, Symbol)):
            self.fail(f"the variable of a limit must be a scalar symbol, not {quote(name.key)}", a)
        direction = {"downarrow": "+", "searrow": "+", "uparrow": "-", "nearrow": "-"}.get(
            toks[arrow].text, "+-")
        c_end = b
        if b - 2 > arrow and toks[b - 1].is_char("+", "-") and toks[b - 2].is_char("^"):
            direction, c_end = toks[b - 1].text, b - 2              # 0^+
        elif b - 4 > arrow and toks[b - 1].is_char("}") and toks[b - 2].is_char("+", "-") \
                and toks[b - 3].is_char("{") and toks[b - 4].is_char("^"):
            direction, c_end = toks[b - 2].text, b - 4              # 0^{+}
        point = self.expr(arrow + 1, c_end)
        # The limit binds its variable: a declared c > 0 says nothing of c near −1 (SymPy would
        # read |c| as c). Only an integer's limit at ±∞, a sequence's, keeps being an integer.
        sequence = var is not None and var.is_integer and point in (S.Infinity, S.NegativeInfinity)
        var = Symbol(name.shown, integer=True) if sequence else Symbol(name.shown, real=True)
        self.scope.latex.setdefault(var, name.key)
        if body >= j:
            self.fail(f"{self.q(k, body)} needs an expression after it", body)
        saved = self.bound
        self.bound = dict(saved, **{name.key: var})
        try:
            sk_body, end = self.seq_until(body, j, True)
            value = self.finish(sk_body, body, end)
        finally:
            self.bound = saved
        self.scalar(value, k)
        sk = Skel()
        with evaluate(False):
            sk.obj(Limit(value, var, point, direction), k)
        return end, sk

    def cases(self, k: int):
        """\\begin{cases} value & condition \\\\ … \\end{cases} as a Piecewise."""
        env, start = self._env_name(k)
        if env != "cases":
            self.fail(f"\\begin{{{env}}} is not supported inside a step: expected cases", k)
        end = self.close_of(k)
        rows, q, row_start = [], start, start
        while q < end:
            if self.toks[q].is_cs("\\"):
                rows.append((row_start, q))
                row_start = q + 1
            q = self.skip(q)
        rows.append((row_start, end))
        pieces = []
        for a, b in rows:
            if a == b:
                continue
            amp = next((q for q in range(a, b) if self.toks[q].is_char("&")), None)
            if amp is None:
                self.fail(f"expected '&' between the value and its condition in {self.q(a, b)}", a)
            vb = amp
            while vb > a and self.toks[vb - 1].is_char(",", ";"):
                vb -= 1
            value = self.expr(a, vb)
            cond = self.condition(amp + 1, b)
            pieces.append((value, cond))
        if not pieces:
            self.fail("an empty cases environment", k)
        sk = Skel()
        with evaluate(False):
            sk.obj(Piecewise(*pieces), k)
        return self._env_name(end)[1], sk

    def scalar(self, expr, k: int):
        """Vectors only inside ⟨·,·⟩, ‖·‖ and function values: anything else is an error."""
        bad = _loose_vector(expr)
        if bad is not None:
            self.fail(f"{bad} is a vector here: use it inside ⟨·,·⟩, ‖·‖ or f(·)", k)

    def vector(self, expr, k: int, what: str):
        try:
            parts = linear_parts(_rebuild(expr))
        except (TypeError, ValueError):
            parts = None
        if parts is None or (not parts and not _is_zero_vector(expr)):
            self.fail(f"{what} must be a vector (a declared vector, or a sum of multiples of "
                      f"them), not {quote(str(expr))}", k)


def _rebuild(expr):
    from ..expressions import rebuild
    return rebuild(expr)


def _is_zero_vector(expr) -> bool:
    return getattr(expr, "name", None) == "0"


def _loose_vector(expr):
    """A vector standing where a scalar must, or None."""
    if isinstance(expr, VectorSymbol):
        return expr
    if isinstance(expr, Inner):
        return None
    for a in getattr(expr, "args", ()):
        bad = _loose_vector(a)
        if bad is not None:
            return bad
    return None
