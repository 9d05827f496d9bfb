"""A formula's terms and factors in LaTeX: + − · /, juxtaposition, superscripts, and who reads each factor."""

from __future__ import annotations

from sympy import Rational, oo

from .calls import BUILTINS, MULTI
from .library import Skel
from .matrices import ENVIRONMENTS
from .names import DECORATIONS, GREEK
from .sums import BIG
from .text import quote
from .tokens import RELATIONS


class Operands:
    """Reader methods that cut a formula into factors and read each one (mixed into Reader)."""

    def seq(self, i: int, j: int):
        """A skeleton for tokens i..j-1: operands joined by + − · /, juxtaposition made ·."""
        return self.seq_until(i, j, False)[0]

    def seq_until(self, i: int, j: int, stop_at_sign: bool):
        """(skeleton, where it stopped); with ``stop_at_sign`` it ends before a + or −
        that follows an operand (the extent of a product term, as after \\lim)."""
        sk = Skel()
        k, expect, count = i, True, 0
        while k < j:
            t = self.toks[k]
            if t.is_char("+", "-"):
                if stop_at_sign and count:
                    break
                sk.raw(t.text, k)
                expect = True
                k += 1
                continue
            if t.is_cs("cdot", "times") or t.is_char("*"):
                if expect:
                    self.fail(f"{quote(t.shown)} needs something on its left in {self.q(i, j)}", k)
                sk.raw("\\cdot ", k)
                expect = True
                k += 1
                continue
            if t.is_char("/") or t.is_cs("div"):
                if expect:
                    self.fail(f"{quote(t.shown)} needs something on its left in {self.q(i, j)}", k)
                sk.raw("/", k)
                k, piece = self.operand(k + 1, j)
                sk.extend(piece)
                if k < j and self.starts_atom(k):
                    self.fail(f"ambiguous division in {self.q(i, j)}: write \\frac{{…}}{{…}} "
                              f"or put the divisor in parentheses", k)
                expect = False
                count += 1
                continue
            if t.is_char("=", "<", ">") or t.is_cs(*RELATIONS):
                self.fail(f"unexpected relation {quote(t.shown)} in {self.q(i, j)}: "
                          "expected one relation per step or condition", k)
            if not self.starts_atom(k):
                self.fail(f"unexpected {quote(t.shown)} in {self.q(i, j)}: expected a number, "
                          "a declared symbol, ( … ), \\frac{…}{…} or a function", k)
            if not expect:
                prev = self.toks[k - 1]
                if t.kind == "num" and prev.kind == "letter" and prev.i + 1 == t.i:
                    # x2 is a typo for x_2 or x^2 more often than a product.
                    self.fail(f"a number right after a letter in {self.q(i, j)}: write 2x, x_2, "
                              "x^2 or x \\cdot 2", k)
                sk.raw("\\cdot ", k)
            k, piece = self.operand(k, j)
            sk.extend(piece)
            expect = False
            count += 1
        if expect:
            if count == 0 and not sk.parts:
                self.fail("expected an expression here", i)
            self.fail(f"{self.q(i, k)} ends with an operator: expected something after it", k - 1)
        return sk, k

    def starts_atom(self, k: int) -> bool:
        t = self.toks[k]
        if t.kind in ("num", "letter"):
            return True
        if t.kind == "char":
            return t.text in "([{|"
        if t.kind == "cs":
            return t.text not in RELATIONS and t.text not in ("cdot", "times", "div", "\\", "to",
                                                              "rangle", "rVert", "rvert", "end")
        return False

    def operand(self, k: int, j: int):
        """One factor with its superscript; ``x^\\top y`` is read here as ⟨x, y⟩."""
        k, sk = self.atom(k, j)
        if k < j and self.toks[k].is_char("^"):
            sup = self.sup_range(k)
            if self._is_transpose(*sup):
                transposed = self.transpose(sk, k)
                if transposed is not None:
                    return sup[2], transposed
                left = self.finish(sk, k, k)
                k = sup[2]
                if k >= j or not self.starts_atom(k):
                    self.fail("a transpose needs a vector after it: write x^\\top y", k)
                k2, right_sk = self.atom(k, j)
                right = self.finish(right_sk, k, k2)
                out = Skel()
                out.obj(self.inner(left, right, k), k)
                return k2, out
            k = self.power(k, j, sk)
        if k < j and self.toks[k].is_char("^"):
            self.fail("a double superscript: use braces, x^{a^{b}}", k)
        if k < j and self.toks[k].is_char("_"):
            self.fail(f"a subscript after {self.q(k - 1, k)}: subscripts belong to names such as w_t", k)
        if k < j and self.toks[k].is_char("'"):
            self.fail("a prime here is not a declared name: write \\frac{d}{dx} or declare the name", k)
        if k < j and self.toks[k].is_char("!"):
            self.fail("factorials are not supported", k)
        return k, sk

    def sup_range(self, k: int):
        """(start, end, next) of the superscript argument whose '^' is at k."""
        return self._arg(k + 1, "superscript")

    def _arg(self, k: int, what: str):
        if k >= len(self.toks):
            self.fail(f"expected a {what} here", k)
        t = self.toks[k]
        if t.is_char("{"):
            end = self.close_of(k)
            return k + 1, end, end + 1
        if t.kind == "num" and len(t.text) > 1:
            self.fail(f"{quote(t.text)} as an unbraced {what} is only its first digit in TeX: "
                      f"write {{{t.text}}}", k)
        if t.kind in ("num", "letter") or t.is_char("*", "+", "-", "'") or (
                t.kind == "cs" and (t.text in GREEK or t.text in DECORATIONS or
                                    t.text in ("infty", "intercal", "pi"))):
            return k, k + 1, k + 1
        self.fail(f"expected a {what} after {quote(self.toks[k - 1].shown)}", k)

    def _is_transpose(self, a, b, _next) -> bool:
        if b - a != 1:
            return False
        t = self.toks[a]
        if t.is_cs("top", "intercal"):
            return True
        return t.kind == "letter" and t.text == "T" and not self.scope.known("T") and "T" not in self.bound

    def power(self, k: int, j: int, sk: Skel) -> int:
        a, b, nxt = self.sup_range(k)
        t = self.toks[a]
        if b - a == 1 and (t.is_char("*", "+", "'") or t.is_cs(*DECORATIONS)):
            self.fail(f"{self.q(k - 1, nxt)} is not a declared name: declare it under symbols", a)
        if b - a == 1 and t.is_char("-"):
            self.fail("a superscript '-' alone: write x^{-1} for a power", a)
        sk.raw("^{", k)
        sk.extend(self.seq(a, b))
        sk.raw("}", b)
        return nxt

    def atom(self, k: int, j: int):
        """(next index, skeleton) for one factor starting at k, without its superscript."""
        t = self.toks[k]
        sk = Skel()
        if t.kind == "num":
            if "." in t.text:
                sk.obj(Rational(t.text), k)
            else:
                sk.raw(t.text, k)
            return k + 1, sk
        if t.is_char("["):
            got = self.iverson(k)
            if got is not None:
                return got
        if t.is_char("(", "[", "{") or t.is_cs("{"):
            end = self.close_of(k)
            if end == k + 1:
                self.fail(f"empty {quote(t.shown + self.toks[end].shown)}: expected an expression inside", k)
            sk.raw("(", k)
            sk.extend(self.seq(k + 1, end))
            sk.raw(")", end)
            return end + 1, sk
        if t.kind == "cs":
            name = t.text
            self.unsupported(k)
            if name in BIG:
                return self.big_operator(k, j)
            if name == "delta":
                got = self.delta(k)
                if got is not None:
                    return got
            if name in ("frac", "tfrac", "dfrac", "cfrac"):
                return self.frac(k, j)
            if name == "sqrt":
                return self.sqrt(k)
            if name == "langle":
                end = self.close_of(k)
                parts = self.split_commas(k + 1, end)
                if len(parts) != 2:
                    self.fail(f"⟨…⟩ takes two vectors separated by one comma: {self.q(k, end + 1)}", k)
                a = self.expr(*parts[0])
                b = self.expr(*parts[1])
                sk.obj(self.inner(a, b, k), k)
                return end + 1, sk
            if name in ("|", "Vert", "lVert"):
                return self.norm(k, j)
            if name in ("lvert", "vert"):
                return self.abs(k, j)
            if name == "lim":
                return self.limit(k, j)
            if name == "nabla":
                got = self.nabla_formula(k, j)
                return got if got is not None else self.gradient(k, j)
            if name == "det":
                return self.det_trace(k, j, "det")
            if self.is_expectation(k):
                return self.expectation(k, j)
            if self.is_variance(k):
                return self.expectation(k, j, variance=True)
            if name == "operatorname" and self._text_word(k) in ("tr", "Tr", "trace"):
                return self.det_trace(k, j, "tr")
            if name == "begin":
                if self._env_name(k)[0] in ENVIRONMENTS:
                    return self.matrix_env(k)
                return self.cases(k)
            if name == "infty":
                sk.obj(oo, k)
                return k + 1, sk
            if name == "partial":
                self.fail("\\partial outside a fraction: write \\frac{\\partial f}{\\partial x}", k)
            if name in ("text", "mbox", "textrm", "textit", "textbf"):
                end = self.skip(k + 1) if k + 1 < len(self.toks) else k + 1
                self.fail(f"text inside math ({self.q(k, end)}): expected math; "
                          "use \\operatorname{…} for a function name", k)
            if name in BUILTINS or name in MULTI:
                return self.call(k, j, None, builtin=name)
        if t.is_char("|"):
            return self.abs(k, j)
        return self.named(k, j)
