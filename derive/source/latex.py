"""LaTeX math to SymPy: our pre-pass for the notation, latex2sympy2_extended for arithmetic.

The pre-pass reads every name, function call and special notation itself
(∂-fractions, ⟨a,b⟩, ‖a‖², |x|, lim, cases, σ, ReLU, f(w), ∇f(w)) and hands
the library only a skeleton: numbers, placeholders ``\\variable{zN}``, + − ·
/, ^, \\frac, \\sqrt and parentheses, with every implicit product made an
explicit ``\\cdot``. That keeps the library away from the places where it
reads a different meaning than a mathematician (``2(3)`` as 5, ``1e5`` as
1·e·5, ``a(b)`` as a call, ``\\log`` as base 10, dropped primes).
"""

from __future__ import annotations

from sympy import Basic, Eq, Expr, Ge, Gt, Integer, Le, Lt, Ne, Rational, evaluate, oo

from .calls import BUILTINS, MULTI, Calls
from .constructs import Notation
from .library import ALLOWED, Obj, Skel, error_column, library_parse, placed, preorder, tidy
from .names import DECORATIONS, GREEK
from .scope import Scope
from .matrices import ENVIRONMENTS, MatrixNotation
from .random import RandomNotation
from .sums import BIG, SumNotation
from .text import Text, Where, quote
from .tokens import tokenize

RELATIONS = {"=": "=", "<": "<", ">": ">", "le": "<=", "leq": "<=", "leqslant": "<=",
             "ge": ">=", "geq": ">=", "geqslant": ">=", "lt": "<", "gt": ">", "ne": "!=",
             "neq": "!=", "iff": "iff", "Leftrightarrow": "iff", "Longleftrightarrow": "iff",
             "implies": "implies", "Rightarrow": "implies", "Longrightarrow": "implies",
             "succeq": ">=", "preceq": "<="}     # ⪰ between matrices: positive semidefinite
CONSTRUCTORS = {"=": Eq, "<": Lt, ">": Gt, "<=": Le, ">=": Ge, "!=": Ne}
MAX_LENGTH = 4000


class Reader(Calls, Notation, SumNotation, MatrixNotation, RandomNotation):
    """Reads one piece of LaTeX math against a Scope; errors point into the file."""

    def __init__(self, text: Text, scope: Scope, where: Where, bound=None, tokens=None):
        if len(text) > MAX_LENGTH:
            where.error(f"this math is {len(text)} characters long; the limit is {MAX_LENGTH}", text)
        self.text, self.scope, self.where = text, scope, where
        toks = tokens if tokens is not None else tokenize(text, where)
        self.toks = [t for t in toks if t.kind != "space"]
        self.bound = dict(bound or {})
        self.match = self._match()

    # -- errors ---------------------------------------------------------------
    def fail(self, message: str, k: int | None = None):
        i = self.toks[k].i if k is not None and k < len(self.toks) else len(self.text)
        self.where.error(message, self.text, i)

    def src(self, i: int, j: int) -> str:
        """The LaTeX of tokens i..j-1 as the author wrote it."""
        if i >= j or i >= len(self.toks):
            return ""
        a = self.toks[i].i
        b = self.toks[j].i if j < len(self.toks) else len(self.text)
        return self.text.s[a:b].strip()

    def q(self, i: int, j: int) -> str:
        return quote(self.src(i, j))

    # -- bracket matching -----------------------------------------------------
    def _match(self) -> dict:
        pairs = {"(": ")", "[": "]", "{": "}"}
        cs_pairs = {"{": "}", "langle": "rangle", "lVert": "rVert", "lvert": "rvert"}
        closers = set(pairs.values())
        cs_closers = set(cs_pairs.values())
        stack, match = [], {}
        k, toks = 0, self.toks
        while k < len(toks):
            t = toks[k]
            if t.kind == "char" and t.text in pairs:
                stack.append((k, pairs[t.text]))
            elif t.kind == "cs" and t.text in cs_pairs:
                stack.append((k, "\\" + cs_pairs[t.text]))
            elif t.kind == "cs" and t.text in ("begin", "end"):
                env, after = self._env_name(k)
                if t.text == "begin":
                    stack.append((k, "\\end{%s}" % env))
                else:
                    self._close(stack, match, k, "\\end{%s}" % env)
                k = after
                continue
            elif (t.kind == "char" and t.text in closers) or (t.kind == "cs" and t.text in cs_closers):
                self._close(stack, match, k, t.shown)
            k += 1
        if stack:
            k, want = stack[-1]
            self.fail(f"{quote(self.toks[k].shown)} is never closed: expected {quote(want)} "
                      f"in {quote(self.text.s)}", k)
        return match

    def _env_name(self, k: int):
        toks = self.toks
        if k + 1 < len(toks) and toks[k + 1].is_char("{"):
            j = k + 2
            name = ""
            while j < len(toks) and (toks[j].kind == "letter" or toks[j].is_char("*")):
                name += toks[j].text
                j += 1
            if j < len(toks) and toks[j].is_char("}") and name:
                return name, j + 1
        self.fail(f"expected an environment name in braces after \\{toks[k].text}", k)

    def _close(self, stack, match, k, shown):
        if not stack:
            self.fail(f"{quote(shown)} closes nothing in {quote(self.text.s)}", k)
        opener, want = stack.pop()
        if want != shown:
            self.fail(f"expected {quote(want)} to close {quote(self.toks[opener].shown)}, "
                      f"found {quote(shown)}", k)
        match[opener] = k

    def close_of(self, k: int) -> int:
        return self.match[k]

    def skip(self, k: int) -> int:
        """The index after the token at k and, if it opens a group, the whole group."""
        if k in self.match:
            t = self.toks[k]
            end = self.match[k]
            if t.is_cs("begin"):
                return self._env_name(end)[1] if self.toks[end].is_cs("end") else end + 1
            return end + 1
        return k + 1

    # -- top level ------------------------------------------------------------
    def split_relations(self, i: int, j: int):
        """[(start, end)] of the pieces between top-level relations, and the relations
        [(op, token index)]."""
        pieces, ops, start, k = [], [], i, i
        while k < j:
            t = self.toks[k]
            op = None
            if (t.kind == "char" and t.text in "=<>") or (t.kind == "cs" and t.text in RELATIONS):
                op = RELATIONS[t.text]
            if op:
                pieces.append((start, k))
                ops.append((op, k))
                start = k + 1
            k = self.skip(k) if k in self.match else k + 1
        pieces.append((start, j))
        return pieces, ops

    def split_commas(self, i: int, j: int):
        pieces, start, k = [], i, i
        while k < j:
            if self.toks[k].is_char(","):
                pieces.append((start, k))
                start = k + 1
            k = self.skip(k)
        pieces.append((start, j))
        return pieces

    def relations(self, i: int, j: int) -> list:
        """The relations of ``a < b ≤ c``-style text as a list of SymPy relationals."""
        pieces, ops = self.split_relations(i, j)
        if not ops:
            self.fail(f"expected a relation (=, <, \\le, …) in {self.q(i, j)}", i)
        out = []
        sides = [self.expr(a, b) if a < b else self.fail(
            f"a relation needs two sides in {self.q(i, j)}", a) for a, b in pieces]
        for (op, k), lhs, rhs in zip(ops, sides, sides[1:]):
            if op in ("iff", "implies"):
                self.fail(f"{'⟺' if op == 'iff' else '⟹'} joins two conditions, not expressions", k)
            self.scalar(lhs, k)
            self.scalar(rhs, k)
            with evaluate(False):
                out.append(CONSTRUCTORS[op](lhs, rhs))
        return out

    def expr(self, i: int, j: int):
        """The SymPy expression of tokens i..j-1 (no relations)."""
        if i >= j:
            self.fail(f"expected an expression here, in {quote(self.text.s)}", i)
        sk = self.seq(i, j)
        return self.finish(sk, i, j)

    def finish(self, sk: Skel, i: int, j: int):
        single = sk.single()
        if single is not None:
            return single
        matrix = self.matrix_formula(sk, i, j)
        if matrix is not None:
            return matrix
        pieces, objs, offsets = [], [], []
        length = 0
        for piece, tok in sk.parts:
            if isinstance(piece, Obj):
                s = "\\variable{z%d}" % len(objs)
                objs.append(piece.value)
            else:
                s = piece
            offsets.append((length, tok))
            pieces.append(s)
            length += len(s)
        skeleton = "".join(pieces)
        result = Integer(skeleton) if skeleton.isdigit() else library_parse(skeleton)
        if isinstance(result, BaseException):
            col = error_column(str(result))
            tok = i
            if col is not None:
                for off, t in offsets:
                    if off <= col:
                        tok = t
            self.fail(f"cannot read {self.q(i, j)} near {self.q(tok, min(tok + 3, j))}: "
                      f"expected an expression such as 2x(1-y) or \\frac{{a}}{{b}}", tok)
        if not isinstance(result, Expr) or isinstance(result, Basic) and result.is_Relational:
            self.fail(f"{self.q(i, j)} is not an expression", i)
        for node in preorder(result):
            name = type(node).__name__
            if name not in ALLOWED:
                self.fail(f"cannot read {self.q(i, j)}: the LaTeX parser made a {name} of it", i)
        result = tidy(result)
        names = {f"z{n}": obj for n, obj in enumerate(objs)}
        mapping = {}
        for s in result.free_symbols:
            if s.name not in names:
                self.fail(f"cannot read {self.q(i, j)}: unexpected symbol {s.name}", i)
            mapping[s] = names[s.name]
        return placed(result, mapping)

    # -- sequences and atoms ----------------------------------------------------
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












































# -- public entry points -----------------------------------------------------------

def relations(reader: Reader, i: int, j: int) -> list:
    """The relations of tokens i..j-1 of ``reader`` (see Reader.relations)."""
    return reader.relations(i, j)


def parse_expr(text: Text, scope: Scope, where: Where, bound=None):
    """One expression (no relation)."""
    r = Reader(text, scope, where, bound)
    if not r.toks:
        where.error("expected an expression here", text)
    return r.expr(0, len(r.toks))


def parse_relations(text: Text, scope: Scope, where: Where, bound=None) -> list:
    """``a < b``, ``0 < y < 1``, or several separated by commas, as relationals."""
    r = Reader(text, scope, where, bound)
    if not r.toks:
        where.error("expected a relation here", text)
    out = []
    for a, b in r.split_commas(0, len(r.toks)):
        if a == b:
            r.fail("an empty condition between commas", a)
        out.extend(relations(r, a, b))
    return out


def parse_step(text: Text, scope: Scope, where: Where):
    """(lhs or None, relation, rhs) of one step; lhs is None when it continues a chain."""
    r = Reader(text, scope, where)
    n = len(r.toks)
    if not n:
        where.error("expected a step: a relation such as a = b", text)
    pieces, ops = r.split_relations(0, n)
    iffs = [(op, k) for op, k in ops if op in ("iff", "implies")]
    if iffs:
        if len(iffs) > 1:
            r.fail("one ⟺ or ⟹ per step: put each link of the chain on its own line", iffs[1][1])
        op, k = iffs[0]
        lhs = None if k == 0 else _side_relation(r, 0, k)
        rhs = _side_relation(r, k + 1, n)
        return lhs, op, rhs
    if not ops:
        r.fail(f"a step needs a relation (=, \\le, <, \\ge, >, \\iff): {quote(text.s)}", 0)
    if len(ops) > 1:
        r.fail(f"one relation per step, found {len(ops)} in {quote(text.s)}: end each link "
               "with its own % justification", ops[1][1])
    op, k = ops[0]
    if op == "!=":
        r.fail("≠ is not a step relation: expected =, \\le, <, \\ge, > or \\iff", k)
    if k + 1 >= n:
        r.fail(f"nothing after {quote(r.toks[k].shown)}: expected the right side", k)
    lhs = None if k == 0 else r.expr(0, k)
    rhs = r.expr(k + 1, n)
    for side in (lhs, rhs):
        if side is not None:
            r.scalar(side, k)
    r.matrix_relation(lhs, op, rhs, k)
    return lhs, op, rhs


def _side_relation(r: Reader, i: int, j: int):
    if i >= j:
        r.fail("⟺ needs a condition on each side", i)
    rels = relations(r, i, j)
    if len(rels) != 1:
        r.fail(f"each side of ⟺ is one relation, not a chain: {r.q(i, j)}", i)
    return rels[0]


__all__ = ["Reader", "parse_expr", "parse_relations", "parse_step", "relations", "RELATIONS"]
