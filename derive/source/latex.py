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

from sympy import Basic, Eq, Expr, Ge, Gt, Integer, Le, Lt, Ne, evaluate

from .. import sympy_guards  # noqa: F401 - SymPy's wrong evaluations off before any formula is built
from .calls import Calls
from .conditions import Conditions
from .constructs import Notation
from .library import ALLOWED, Obj, Skel, error_column, library_parse, placed, preorder, tidy
from .operands import Operands
from .scope import Scope
from .matrices import MatrixNotation
from .random import RandomNotation
from .sums import SumNotation
from .text import Text, Where, quote
from .tokens import RELATIONS, tokenize

CONSTRUCTORS = {"=": Eq, "<": Lt, ">": Gt, "<=": Le, ">=": Ge, "!=": Ne}
MAX_LENGTH = 4000


class Reader(Operands, Calls, Notation, Conditions, SumNotation, MatrixNotation, RandomNotation):
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


__all__ = ["Reader", "parse_expr", "parse_relations", "parse_step", "relations"]
