"""Declared symbols and the sets they range over: x \\in \\mathbb{R}, 0 < y < 1, w \\in \\mathbb{R}^n, (0, 1]."""

from __future__ import annotations

import re

from sympy import Integer, oo, sympify

from .declare_indexed import FamilySpec
from .latex import Reader
from .text import Text, quote
from .tokens import tokenize

SETS = {
    r"\mathbb{R}": ("real", None, None, True, True, False),
    r"\mathbb{R}_{>0}": ("real", 0, None, True, True, False),
    r"\mathbb{R}_{+}": ("real", 0, None, True, True, False),
    r"\mathbb{R}_+": ("real", 0, None, True, True, False),
    r"\mathbb{R}_{\ge0}": ("real", 0, None, False, True, False),
    r"\mathbb{R}_{\geq0}": ("real", 0, None, False, True, False),
    r"\mathbb{R}_{<0}": ("real", None, 0, True, True, False),
    r"\mathbb{N}": ("real", 0, None, False, True, True),
    r"\mathbb{N}_0": ("real", 0, None, False, True, True),
    r"\mathbb{N}_{0}": ("real", 0, None, False, True, True),
    r"\mathbb{Z}_{\ge0}": ("real", 0, None, False, True, True),
    r"\mathbb{Z}_{\geq0}": ("real", 0, None, False, True, True),
    r"\mathbb{Z}_{>0}": ("real", 1, None, False, True, True),
    r"\mathbb{Z}_{\ge1}": ("real", 1, None, False, True, True),
    r"\mathbb{N}_{\ge1}": ("real", 1, None, False, True, True),
    r"\mathbb{N}_{>0}": ("real", 1, None, False, True, True),
    r"\mathbb{N}^+": ("real", 1, None, False, True, True),
    r"\mathbb{N}^{+}": ("real", 1, None, False, True, True),
    r"\mathbb{N}^*": ("real", 1, None, False, True, True),
    r"\mathbb{N}^{*}": ("real", 1, None, False, True, True),
    r"\mathbb{Z}": ("real", None, None, True, True, True),
}
VECTOR_SET = re.compile(r"^\\mathbb\{R\}\^(\{?[nmdkp]\}?|\{[nmdkp]\})$")
INTEGER_WORD = re.compile(r"(,\s*)?(\\quad\s*|\\,\s*)?\\text\{\s*(an?\s+)?integers?\s*\}\s*$")
INTERVAL_OPEN = {"(": True, "[": False}
INTERVAL_CLOSE = {")": True, "]": False}
SIGN = {"<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s).replace(r"\geq", r"\ge").replace(r"\leq", r"\le")


class SymbolDeclarations:
    """Declarations of symbols: bounds, sets, intervals, integers (mixed into Declarations)."""

    def symbol(self, item: Text):
        if self.random(item):
            return
        word = INTEGER_WORD.search(item.s)
        integer = word is not None
        if integer:
            item = item[:word.start()]          # n \ge 1 \text{ integer}
        tokens = [t for t in tokenize(item, self.where) if t.kind != "space"]
        at = next((n for n, t in enumerate(tokens) if t.is_cs("in")), None)
        if at is not None:
            return self._membership(item, tokens, at)
        reader = Reader(item, self.scope, self.where)
        pieces, ops = reader.split_relations(0, len(reader.toks))
        if not ops:
            reader.fail(f"expected a declaration such as `x \\in \\mathbb{{R}}` or `0 < y < 1`, "
                        f"found {quote(item.s)}", 0)
        if any(op not in SIGN for op, _ in ops) or len(ops) > 2:
            reader.fail(f"expected `name > number`, `a < name < b` or `name \\in set`, found "
                        f"{quote(item.s)}", ops[0][1])
        lower = upper = None
        lower_open = upper_open = True
        if len(ops) == 2:
            (op1, k1), (op2, k2) = ops
            if (op1[0], op2[0]) not in (("<", "<"), (">", ">")):
                reader.fail("a two-sided bound must point one way, as in 0 < y \\le 1", k2)
            a = self._number(reader, *pieces[0])
            b = self._number(reader, *pieces[2])
            names = self._names(reader, *pieces[1])
            if op1[0] == "<":
                lower, lower_open, upper, upper_open = a, op1 == "<", b, op2 == "<"
            else:
                upper, upper_open, lower, lower_open = a, op1 == ">", b, op2 == ">"
        else:
            (op, k), = ops
            left, right = pieces
            got = reader.read_name(left[0], declaring=True) if left[0] < left[1] else None
            if got is not None and (got[0] == left[1] or reader.toks[got[0]].is_char(",")):
                names, bound, flip = self._names(reader, *left), self._number(reader, *right), False
            else:
                names, bound, flip = self._names(reader, *right), self._number(reader, *left), True
            rel = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op] if flip else op
            if rel[0] == ">":
                lower, lower_open = bound, rel == ">"
            else:
                upper, upper_open = bound, rel == "<"
        if lower is not None and upper is not None and (lower > upper or (lower == upper and (lower_open or upper_open))):
            reader.fail(f"no number satisfies {quote(item.s)}", 0)
        if integer and any(b is not None and not sympify(b).is_Integer for b in (lower, upper)):
            reader.fail("an integer's bounds must be integers", 0)
        for k, name in names:
            self._scalar(reader, k, name, item.where(0)[0], lower, upper, lower_open, upper_open, integer)

    def _membership(self, item: Text, tokens, at: int):
        tok = tokens[at]
        left_text = item[:tok.i]
        right_text = item[tok.i + len("\\in"):].strip()
        reader = Reader(left_text, self.scope, self.where)
        if not reader.toks:
            self.where.error("expected names before \\in", item, tok.i)
        names = self._names(reader, 0, len(reader.toks))
        line = item.where(0)[0]
        spec = _norm(right_text.s)
        if spec.startswith("\\{"):
            return self.index_set(reader, names, right_text, line)
        if VECTOR_SET.match(spec):
            for k, name in names:
                if isinstance(name, FamilySpec):
                    reader.fail("a family of vectors is not supported: its members are real numbers", k)
                self._new_name(reader, k, name, line)
                sym = self.builder.vector(name.shown, latex=name.key)
                self.scope.symbols[name.key] = sym
                self.scope.latex[sym] = name.key
            return
        if spec in SETS:
            _, lo, hi, lo_open, hi_open, integer = SETS[spec]
            lo = None if lo is None else Integer(lo)
            hi = None if hi is None else Integer(hi)
            for k, name in names:
                self._scalar(reader, k, name, line, lo, hi, lo_open, hi_open, integer)
            return
        s = right_text.s.strip()
        if s and s[0] in INTERVAL_OPEN and s[-1] in INTERVAL_CLOSE:
            inner = right_text[1:len(right_text) - 1]
            r = Reader(inner, self.scope, self.where)
            parts = r.split_commas(0, len(r.toks))
            if len(parts) != 2 or parts[0][0] == parts[0][1] or parts[1][0] == parts[1][1]:
                self.where.error(f"an interval has two bounds: {quote(s)}", right_text)
            lo = self._number(r, *parts[0])
            hi = self._number(r, *parts[1])
            lo_open, hi_open = INTERVAL_OPEN[s[0]], INTERVAL_CLOSE[s[-1]]
            if lo == -oo:
                lo = None
            if hi == oo:
                hi = None
            if lo is not None and hi is not None and (lo > hi or (lo == hi and (lo_open or hi_open))):
                self.where.error(f"the interval {quote(s)} is empty", right_text)
            for k, name in names:
                self._scalar(reader, k, name, line, lo, hi, lo_open, hi_open, False)
            return
        self.where.error(f"unknown set {quote(s)}: expected \\mathbb{{R}}, \\mathbb{{R}}^n, "
                         "\\mathbb{N}, \\mathbb{Z}, \\mathbb{R}_{>0} or an interval such as (0, 1]",
                         right_text)

    def _scalar(self, reader, k, name, line, lo, hi, lo_open, hi_open, integer):
        if isinstance(name, FamilySpec):
            return self._declare_family(reader, k, name, line, lo, hi, lo_open, hi_open, integer)
        self._new_name(reader, k, name, line)
        sym = self.builder.var(name.shown, latex=name.key, lower=lo, upper=hi,
                               lower_open=lo_open, upper_open=hi_open, integer=integer)
        self.scope.symbols[name.key] = sym
        self.scope.latex[sym] = name.key
