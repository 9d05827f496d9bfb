"""Declarations of n-term mathematics: sizes, indices, families x_1, …, x_n, p_k := …, facts about sums."""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Eq, sympify

from ..indexed import Family, Index, family_base, index_symbol, uses_indexed
from .sums import _plain
from .text import Text, quote

DOTS = ("dots", "ldots", "cdots")


@dataclass(frozen=True)
class FamilySpec:
    """``x_1, \\dots, x_n`` as declared: the family's name and its index range."""

    key: str          # the LaTeX of x in x_i
    shown: str
    lower: object
    upper: object


class IndexedDeclarations:
    """Mixed into Declarations: the declarations issue 10 adds."""

    def _family_spec(self, reader, i: int, j: int):
        """A FamilySpec for ``x_1, \\dots, x_n`` in tokens i..j-1, or None without \\dots."""
        toks = reader.toks
        if not any(toks[q].is_cs(*DOTS) for q in range(i, j)):
            return None
        pieces = reader.split_commas(i, j)
        if len(pieces) != 3 or not (pieces[1][1] - pieces[1][0] == 1
                                    and toks[pieces[1][0]].is_cs(*DOTS)):
            reader.fail("a family is declared as x_1, \\dots, x_n (first, \\dots, last)", i)
        ends = [self._member_end(reader, *pieces[0]), self._member_end(reader, *pieces[2])]
        (key1, shown1, lo), (key2, _, hi) = ends
        if key1 != key2:
            reader.fail(f"{quote(key1)} and {quote(key2)} are not one family: write x_1, \\dots, x_n",
                        pieces[2][0])
        return FamilySpec(key1, shown1, lo, hi)

    def _member_end(self, reader, a: int, b: int):
        """(family key, shown name, index) of x_1 or x_n in a family declaration."""
        toks = reader.toks
        us = next((q for q in range(a, b) if toks[q].is_char("_")), None)
        if us is None:
            reader.fail(f"expected a member with its index, such as x_1 or x_n, not {reader.q(a, b)}", a)
        got = reader.read_name(a, declaring=True)
        if got is None or got[0] != b:
            reader.fail(f"expected a member such as x_1, not {reader.q(a, b)}", a)
        name = got[1]
        key = name.key.split("_{", 1)[0]
        shown = name.shown.split("_", 1)[0]
        ia, ib, _ = reader._arg(us + 1, "subscript")
        index = _plain(reader.expr(ia, ib))
        reader._integer(index, ia, "a family's first and last index")
        return key, shown, sympify(index)

    def _declare_family(self, reader, k, spec: FamilySpec, line, lo, hi, lo_open, hi_open, integer):
        if integer:
            reader.fail("a family of integers is not supported: its members are real numbers", k)
        from ..notation import VectorSymbol
        vector = self.scope.symbols.get(spec.key)
        if not isinstance(vector, VectorSymbol):
            vector = None               # x_1, …, x_n may be the coordinates of a vector x
        if spec.key in self.scope.families or (self.scope.known(spec.key) and vector is None):
            reader.fail(f"{quote(spec.key)} is declared twice", k)
        base = family_base(spec.shown, lo, hi, lo_open, hi_open)
        family = Family(base, spec.lower, spec.upper, lo, hi, lo_open, hi_open, vector=vector)
        self.scope.families[spec.key] = family
        self.scope.declared[spec.key] = line
        self.scope.latex[base.label] = spec.key
        self.builder._extra_add("families", family)

    # -- i ∈ {1, …, n} -----------------------------------------------------------------
    def index_set(self, reader, names, right_text: Text, line):
        """``i, j \\in \\{1, \\dots, n\\}``: indices over a range of integers."""
        from .latex import Reader
        inner = right_text.s.strip()
        body = right_text.strip()
        if any(isinstance(name, FamilySpec) for _, name in names) and "dots" not in inner:
            self.where.error(f"a family's members in a finite set ({inner}) are not supported: "
                             "they are real numbers; declare them in an interval (\\in [0, 1]) "
                             "if every step holds there", right_text)
        r = Reader(body, self.scope, self.where)
        toks = r.toks
        if len(toks) < 2 or not toks[0].is_cs("{") or not toks[-1].is_cs("}"):
            self.where.error(f"expected a range \\{{1, \\dots, n\\}}, not {quote(inner)}", right_text)
        pieces = r.split_commas(1, len(toks) - 1)
        if len(pieces) != 3 or not (pieces[1][1] - pieces[1][0] == 1 and toks[pieces[1][0]].is_cs(*DOTS)):
            r.fail("expected a range \\{1, \\dots, n\\}: first, \\dots, last", 0)
        lower, upper = _plain(r.expr(*pieces[0])), _plain(r.expr(*pieces[2]))
        for value, (a, _) in ((lower, pieces[0]), (upper, pieces[2])):
            r._integer(value, a, "an index's range")
        for k, name in names:
            if isinstance(name, FamilySpec):
                reader.fail("an index is a single name such as i", k)
            self._new_name(reader, k, name, line)
            sym = index_symbol(name.shown, lower)
            index = Index(sym, sympify(lower), sympify(upper))
            self.scope.indices[name.key] = index
            self.scope.symbols[name.key] = sym
            self.scope.latex[sym] = name.key
            self.builder._extra_add("indices", index)

    # -- p_k := …, Σ_k y_k = 1 ----------------------------------------------------------
    def define_family(self, reader, k: int, name, value_at, line):
        """``p_k = body(k)`` with k a declared index: a defined family over k's range.
        Returns False when the name is not of that form."""
        if "_{" not in name.key or not name.key.endswith("}"):
            return False
        key, sub = name.key.split("_{", 1)
        sub = sub[:-1]
        index = self.scope.indices.get(sub)
        if index is None or self.scope.known(name.key):
            return False
        if key in self.scope.families or self.scope.known(key):
            reader.fail(f"{quote(key)} is declared twice", k)
        body = value_at()
        reader.scalar(body, k)
        shown = name.shown.split("_", 1)[0]
        base = family_base(shown)
        family = Family(base, index.lower, index.upper, definition=(index.symbol, body))
        self.scope.families[key] = family
        self.scope.declared[key] = line
        self.scope.latex[base.label] = key
        self.builder._extra_add("families", family)
        return True

    def define_matrix(self, reader, name, value, line) -> bool:
        """``x = \\begin{pmatrix} x_1 \\\\ x_2 \\end{pmatrix}``: a named matrix (False when the
        value is not a matrix)."""
        from sympy import MatrixSymbol
        from ..matrices import explicit, is_matrix
        if not is_matrix(value):
            return False
        self._new_name(reader, 0, name, line)
        rows, cols = value.shape
        sym = MatrixSymbol(name.shown, rows, cols)
        self.scope.symbols[name.key] = sym
        self.scope.latex[sym] = name.key
        self.builder._extra_add("matrices", (sym, explicit(value, dict(self.builder._declared("matrices")))))
        return True

    def sum_fact(self, relations) -> bool:
        """Assumptions that mention sums or families are facts about sums (Σ_k y_k = 1), or
        inequalities at each value of a declared index (a_{t+1} \\le a_t)."""
        if not any(uses_indexed(r) for r in relations):
            return False
        for r in relations:
            self.builder.fact(r)
        return True


__all__ = ["IndexedDeclarations", "FamilySpec"]
