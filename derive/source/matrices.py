"""Matrices in LaTeX: pmatrix/bmatrix, ^\\top, products, \\det, \\operatorname{tr}, A^{-1}, ∇f and ∇²f.

A formula that holds a matrix is evaluated by a small reader of our own over
the skeleton (the LaTeX library would sort the factors of a product, and the
order of a matrix product is its meaning); dimensions that do not agree are an
input error where the product or sum is written.
"""

from __future__ import annotations

import re

from sympy import (Determinant, ImmutableMatrix, Integer, Inverse, MatAdd, MatMul, MatPow, Trace,
                   Transpose, evaluate, sqrt)
from sympy.matrices.common import ShapeError

from ..matrices import Gradient, Hessian, is_matrix
from .library import Obj, Skel
from .text import quote

ENVIRONMENTS = ("pmatrix", "bmatrix", "matrix")
TOKEN = re.compile(r"\\cdot|\\frac\{|\\sqrt|\^\{|\}\{|\d+|[-+/()\[\]{}]|\s+")


class MatrixNotation:
    """Reader methods for matrices (mixed into Reader)."""

    def matrix_env(self, k: int):
        """\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix} as an explicit matrix."""
        env, start = self._env_name(k)
        end = self.close_of(k)
        rows, q, row_start = [], start, start
        while q < end:
            if self.toks[q].is_cs("\\"):
                rows.append((row_start, q))
                row_start = q + 1
            q = self.skip(q)
        rows.append((row_start, end))
        rows = [r for r in rows if r[0] < r[1]]
        entries = []
        for a, b in rows:
            cells, c_start, q = [], a, a
            while q < b:
                if self.toks[q].is_char("&"):
                    cells.append((c_start, q))
                    c_start = q + 1
                q = self.skip(q)
            cells.append((c_start, b))
            row = []
            for ca, cb in cells:
                if ca >= cb:
                    self.fail(f"an empty entry in \\begin{{{env}}}", ca)
                value = self.expr(ca, cb)
                if is_matrix(value):
                    self.fail("a matrix inside a matrix is not supported", ca)
                self.scalar(value, ca)
                row.append(value)
            entries.append(row)
        if not entries:
            self.fail(f"an empty \\begin{{{env}}}", k)
        widths = {len(r) for r in entries}
        if len(widths) != 1:
            self.fail(f"the rows of this \\begin{{{env}}} have different lengths "
                      f"({', '.join(str(len(r)) for r in entries)})", k)
        sk = Skel()
        sk.obj(ImmutableMatrix(entries), k)
        return self._env_name(end)[1], sk

    def nabla_formula(self, k: int, j: int):
        """∇f(a, b) and ∇²f(a, b) for f declared by a formula; None for an opaque f."""
        toks = self.toks
        q = k + 1
        order = 1
        if q < j and toks[q].is_char("^"):
            a, b, q = self._arg(q + 1, "order")
            if self.src(a, b) != "2":
                self.fail("only \\nabla and \\nabla^2 are supported", a)
            order = 2
        got = self.read_name(q) if q < j else None
        fn = self.scope.functions.get(got[1].key) if got else None
        if fn is None or fn.kind not in ("formula", "sigmoid") or not fn.params:
            if order == 2:
                self.fail("\\nabla^2 applies to a function declared by a formula, as in "
                          "f(x, y) = x^2 y", q)
            return None
        nxt = got[0]
        if nxt >= j or not toks[nxt].is_char("("):
            self.fail(f"{self.q(k, nxt)} needs its point in parentheses: \\nabla f(x, y)", nxt)
        end = self.close_of(nxt)
        point = [self.expr(a, b) for a, b in self.split_commas(nxt + 1, end)]
        if len(point) != len(fn.params):
            self.fail(f"{fn.name.key} takes {len(fn.params)} arguments, got {len(point)}", nxt)
        cls = Gradient if order == 1 else Hessian
        sk = Skel()
        sk.obj(cls(fn.name.shown, fn.body, fn.params, point), k)
        return end + 1, sk

    def det_trace(self, k: int, j: int, what: str):
        """\\det M, \\det(M), \\operatorname{tr}(M)."""
        nxt = self.close_of(k + 1) + 1 if what == "tr" else k + 1
        if nxt >= j or not self.starts_atom(nxt):
            self.fail(f"{self.q(k, nxt)} needs a matrix after it", nxt)
        after, sk = self.operand(nxt, j)
        value = self.finish(sk, nxt, after)
        if not is_matrix(value) or value.shape[0] != value.shape[1]:
            self.fail(f"{self.q(k, after)}: {'det' if what == 'det' else 'tr'} takes a square matrix", nxt)
        out = Skel()
        out.obj(Determinant(value) if what == "det" else Trace(value), k)
        return after, out

    def transpose(self, sk: Skel, k: int):
        """``M^\\top``: a Skel holding the transpose, or None when M is not a matrix."""
        single = sk.single()
        if single is None or not is_matrix(single):
            return None
        out = Skel()
        out.obj(Transpose(single), k)
        return out

    def matrix_relation(self, lhs, op, rhs, k: int):
        """Dimensions agree across a step's relation; ⪰ only between matrices; < and >
        not between matrices (lhs None: a continued chain, checked with its left side)."""
        written = self.toks[k]
        sides = [e for e in (lhs, rhs) if e is not None]
        dims = [e.shape for e in sides if is_matrix(e) and e.shape != (1, 1)]
        if written.is_cs("succeq", "preceq") and lhs is not None and not dims:
            self.fail(f"{quote(written.shown)} compares matrices: write \\ge or \\le for numbers", k)
        if not dims:
            return
        if op in ("<", ">"):
            self.fail("a strict inequality between matrices is not supported: write \\succeq", k)
        if op in ("<=", ">=") and not written.is_cs("succeq", "preceq"):
            self.fail(f"{quote(written.shown)} between matrices: write \\succeq (positive "
                      "semidefinite) or \\preceq", k)
        if op == "=" and len(sides) == 2 and (len(dims) == 1 or dims[0] != dims[1]):
            shown = [f"{d[0]}×{d[1]}" for d in (e.shape if is_matrix(e) else (1, 1) for e in sides)]
            self.fail(f"the two sides have different dimensions ({shown[0]} and {shown[1]})", k)
        if op in ("<=", ">=") and len(sides) == 2 and len(dims) == 1 and \
                not (not is_matrix(sides[1 if is_matrix(sides[0]) else 0]) and
                     sides[1 if is_matrix(sides[0]) else 0] == 0):
            self.fail("a matrix is compared with a matrix of its dimensions or with 0", k)
        if op in ("<=", ">=") and len(dims) == 2 and dims[0] != dims[1]:
            self.fail(f"the two sides have different dimensions ({dims[0][0]}×{dims[0][1]} and "
                      f"{dims[1][0]}×{dims[1][1]})", k)

    # -- a formula with matrices in it -------------------------------------------------------
    def matrix_formula(self, sk: Skel, i: int, j: int):
        """The value of a skeleton with a matrix in it, or None when it holds none."""
        if not any(isinstance(p, Obj) and is_matrix(p.value) for p, _ in sk.parts):
            return None
        items = []
        for piece, tok in sk.parts:
            if isinstance(piece, Obj):
                items.append(("obj", piece.value, tok))
                continue
            for m in TOKEN.finditer(piece):
                if m.group().strip():
                    items.append((m.group(), None, tok))
        parser = _Formula(self, items, i)
        value = parser.expr()
        if parser.at < len(items):
            self.fail(f"cannot read {self.q(i, j)} as a matrix formula", items[parser.at][2])
        return value


class _Formula:
    """Recursive descent over a skeleton: + −, · and /, ^{…}, ( ), \\frac, \\sqrt."""

    def __init__(self, reader, items, start):
        self.r, self.items, self.at, self.start = reader, items, 0, start

    def peek(self):
        return self.items[self.at][0] if self.at < len(self.items) else None

    def tok(self):
        return self.items[min(self.at, len(self.items) - 1)][2] if self.items else self.start

    def take(self, want):
        if self.peek() != want:
            self.r.fail(f"expected {quote(want)} in a matrix formula", self.tok())
        self.at += 1

    def expr(self):
        sign = 1
        if self.peek() in ("+", "-"):
            sign = -1 if self.peek() == "-" else 1
            self.at += 1
        value = self.term()
        if sign < 0:
            value = self.mul(Integer(-1), value)
        while self.peek() in ("+", "-"):
            op = self.peek()
            self.at += 1
            right = self.term()
            value = self.add(value, right if op == "+" else self.mul(Integer(-1), right))
        return value

    def term(self):
        value = self.factor()
        while self.peek() in ("\\cdot", "/"):
            op = self.peek()
            self.at += 1
            right = self.factor()
            if op == "/":
                if is_matrix(right):
                    self.r.fail("division by a matrix: write its inverse, A^{-1}", self.tok())
                right = 1 / right
            value = self.mul(value, right)
        return value

    def factor(self):
        base = self.primary()
        if self.peek() == "^{":
            tok = self.tok()
            self.at += 1
            power = self.expr()
            self.take("}")
            if is_matrix(base):
                return self.matrix_power(base, power, tok)
            if is_matrix(power):
                self.r.fail("a matrix in an exponent", tok)
            return base ** power
        return base

    def primary(self):
        kind = self.peek()
        if kind is None:
            self.r.fail("a matrix formula ends too early", self.tok())
        item = self.items[self.at]
        if kind == "obj":
            self.at += 1
            return item[1]
        if kind.isdigit():
            self.at += 1
            return Integer(kind)
        if kind in ("(", "{"):
            self.at += 1
            value = self.expr()
            self.take(")" if kind == "(" else "}")
            return value
        if kind == "\\frac{":
            self.at += 1
            top = self.expr()
            self.take("}{")
            bottom = self.expr()
            self.take("}")
            if is_matrix(bottom):
                self.r.fail("a matrix in a denominator: write its inverse, A^{-1}", self.tok())
            return self.mul(top, 1 / bottom)
        if kind == "\\sqrt":
            self.at += 1
            self.take("{")
            value = self.expr()
            self.take("}")
            if is_matrix(value):
                self.r.fail("the square root of a matrix is not supported", self.tok())
            return sqrt(value)
        self.r.fail(f"unexpected {quote(kind)} in a matrix formula", self.tok())

    def mul(self, a, b):
        if is_matrix(a) and is_matrix(b):
            if a.shape[1] != b.shape[0]:
                self.r.fail(f"the dimensions do not agree: a {_dims(a)} matrix times a {_dims(b)} "
                            "matrix", self.tok())
            return MatMul(a, b)
        if is_matrix(a) or is_matrix(b):
            return MatMul(*((a, b) if not is_matrix(a) else (b, a)))
        with evaluate(False):
            return a * b

    def add(self, a, b):
        if is_matrix(a) != is_matrix(b):
            self.r.fail("a matrix plus a number: the dimensions do not agree", self.tok())
        if is_matrix(a):
            if a.shape != b.shape:
                self.r.fail(f"the dimensions do not agree: a {_dims(a)} matrix plus a {_dims(b)} "
                            "matrix", self.tok())
            return MatAdd(a, b)
        with evaluate(False):
            return a + b

    def matrix_power(self, base, power, tok):
        if base.shape[0] != base.shape[1]:
            self.r.fail(f"a power of a {_dims(base)} matrix: only square matrices have powers", tok)
        try:
            power = int(power)
        except TypeError:
            self.r.fail("a matrix power must be a whole number", tok)
        if power == -1:
            if base.shape[0] > 3:
                self.r.fail("inverses of matrices larger than 3×3 are not supported", tok)
            return Inverse(base)
        if power < 1:
            self.r.fail("only A^{-1} and positive powers of a matrix are supported", tok)
        return MatPow(base, power)


def _dims(m) -> str:
    return f"{m.shape[0]}×{m.shape[1]}"


__all__ = ["MatrixNotation", "ENVIRONMENTS", "ShapeError"]
