"""The front matter's declarations, read into a Scope and a Builder.

symbols:    ``x, v \\in \\mathbb{R}``, ``0 < y < 1``, ``L > 0``, ``t \\in \\mathbb{N}``,
            ``w, g \\in \\mathbb{R}^n``, ``\\eta \\in (0, 1]``
functions:  ``\\sigma(z) = \\frac{1}{1+e^{-z}}``, ``f \\colon \\mathbb{R}^n \\to \\mathbb{R}``
define:     ``\\hat{y} = \\sigma(u)``
assume:     ``L \\ge \\mu``
hypotheses / lemmas: ``smooth(a, b \\in \\mathbb{R}^n): f(a) \\le …  \\quad\\text{if } …``
"""

from __future__ import annotations

import re

from sympy import (Dummy, GreaterThan, LessThan, Max, StrictGreaterThan, StrictLessThan, Symbol,
                   cancel, exp)

from ..notation import ZERO, VectorSymbol, grad_at, linear_parts, value_at
from .declare_indexed import IndexedDeclarations
from .declare_symbols import SETS, VECTOR_SET, SymbolDeclarations, _norm
from .random import RandomDeclarations
from .latex import Reader, parse_relations
from .names import GREEK
from .scope import Fn, Name, Scope
from .text import Text, Where, quote


class Declarations(SymbolDeclarations, IndexedDeclarations, RandomDeclarations):
    """Reads declarations in order; each one may use the names declared before it."""

    def __init__(self, scope: Scope, builder, where: Where):
        self.scope, self.builder, self.where = scope, builder, where
        self.shown: dict = {}        # Unicode name -> LaTeX key, to refuse look-alikes

    # -- names -------------------------------------------------------------------
    def _new_name(self, reader: Reader, k: int, name: Name, line: int):
        if self.scope.known(name.key):
            first = self.scope.declared.get(name.key)
            again = f" (first on line {first})" if first else ""
            reader.fail(f"{quote(name.key)} is declared twice{again}", k)
        if name.shown in self.shown and self.shown[name.shown] != name.key:
            reader.fail(f"{quote(name.key)} and {quote(self.shown[name.shown])} both read as "
                        f"{name.shown}: use one spelling", k)
        self.shown[name.shown] = name.key
        self.scope.declared[name.key] = line

    def _names(self, reader: Reader, i: int, j: int) -> list:
        """[(token index, Name)] for a comma-separated list of names."""
        spec = self._family_spec(reader, i, j)
        if spec is not None:
            return [(i, spec)]
        out = []
        for a, b in reader.split_commas(i, j):
            if a == b:
                reader.fail("expected a name between commas", a)
            got = reader.read_name(a, declaring=True)
            if got is None or got[0] != b:
                reader.fail(f"expected a name such as x, \\mu, \\hat{{y}} or w_t, found "
                            f"{reader.q(a, b)}", a)
            out.append((a, got[1]))
        return out

    def _number(self, reader: Reader, a: int, b: int):
        value = reader.expr(a, b)
        from ..expressions import rebuild
        value = rebuild(value)
        if not (value.is_number and value.is_extended_real):
            reader.fail(f"a bound must be a number, not {reader.q(a, b)}: write relations between "
                        "symbols under assume:", a)
        return value

    # -- functions -------------------------------------------------------------------
    def function(self, item: Text):
        reader = Reader(item, self.scope, self.where)
        toks = reader.toks
        if not toks:
            self.where.error("expected a function declaration", item)
        got = reader.read_name(0, declaring=True)
        if got is None:
            reader.fail("expected a function name such as f, \\sigma or \\operatorname{softplus}", 0)
        k, name = got
        line = item.where(0)[0]
        if k < len(toks) and (toks[k].is_char(":") or toks[k].is_cs("colon")):
            return self._signature(reader, k, name, line)
        if k >= len(toks) or not toks[k].is_char("("):
            reader.fail(f"expected {name.key}(z) = formula or {name.key} \\colon \\mathbb{{R}}^n "
                        "\\to \\mathbb{R}", k)
        end = reader.close_of(k)
        params = self._names(reader, k + 1, end)
        if end + 1 >= len(toks) or not (toks[end + 1].is_char("=") or toks[end + 1].is_cs("coloneqq", "coloneq")):
            reader.fail(f"expected '=' and a formula after {reader.q(0, end + 1)}", end + 1)
        bound = {p.key: Symbol(p.shown, real=True) for _, p in params}
        if len(bound) != len(params):
            reader.fail("two parameters with the same name", k)
        saved = reader.bound
        reader.bound = bound
        body = reader.expr(end + 2, len(toks))
        reader.bound = saved
        reader.scalar(body, end + 2)
        symbols = [bound[p.key] for _, p in params]
        kind = _recognise(body, symbols)
        self._new_name(reader, 0, name, line)
        self.scope.functions[name.key] = Fn(kind, name, tuple(symbols), body)

    def _signature(self, reader: Reader, k: int, name: Name, line: int):
        toks = reader.toks
        arrow = next((q for q in range(k, len(toks)) if toks[q].is_cs("to", "rightarrow")), None)
        if arrow is None:
            reader.fail(f"expected {name.key} \\colon \\mathbb{{R}}^n \\to \\mathbb{{R}}", k)
        domain = _norm(reader.src(k + 1, arrow))
        codomain = _norm(reader.src(arrow + 1, len(toks)))
        if codomain != r"\mathbb{R}":
            reader.fail("only real-valued functions are supported: expected \\to \\mathbb{R}", arrow + 1)
        if VECTOR_SET.match(domain):
            kind = "vector"
        elif domain == r"\mathbb{R}":
            kind = "scalar"
            if not (len(name.key) == 1 or (name.base in GREEK and name.key == "\\" + name.base)):
                reader.fail("an opaque ℝ → ℝ function is named by a letter or a Greek letter", 0)
        else:
            reader.fail(f"unknown domain {quote(domain)}: expected \\mathbb{{R}} or \\mathbb{{R}}^n", k + 1)
        self._new_name(reader, 0, name, line)
        self.scope.functions[name.key] = Fn(kind, name)

    # -- definitions, assumptions --------------------------------------------------------
    def define(self, item: Text):
        reader = Reader(item, self.scope, self.where)
        toks = reader.toks
        got = reader.read_name(0, declaring=True) if toks else None
        if got is None:
            self.where.error("expected a definition such as `u = v x`", item)
        k, name = got
        if k >= len(toks) or not (toks[k].is_char("=") or toks[k].is_cs("coloneqq", "coloneq", "triangleq")):
            reader.fail(f"expected '=' after {quote(name.key)} in a definition", k)
        if k + 1 >= len(toks):
            reader.fail("expected the defining expression after '='", k)
        if self.define_family(reader, k + 1, name, lambda: reader.expr(k + 1, len(toks)),
                              item.where(0)[0]):
            return
        value = reader.expr(k + 1, len(toks))
        if self.define_matrix(reader, name, value, item.where(0)[0]):
            return
        vector = _is_vector(value)
        if not vector:
            reader.scalar(value, k + 1)
        self._new_name(reader, 0, name, item.where(0)[0])
        sym = self.builder.define(name.shown, value, latex=name.key, vector=vector)
        self.scope.symbols[name.key] = sym
        self.scope.latex[sym] = name.key

    def assume(self, item: Text):
        if self.independence(item):
            return
        relations = parse_relations(item, self.scope, self.where)
        if not self.sum_fact(relations):
            self.builder.assume(*relations)

    # -- hypotheses and lemmas ----------------------------------------------------------
    def schema(self, item: Text, kind: str):
        m = re.match(r"\s*([A-Za-z][\w-]*)\s*(\(([^()]*)\))?\s*:", item.s)
        if not m:
            self.where.error(f"expected `name(a, b): statement` for a {kind}, found {quote(item.s)}", item)
        name = m.group(1)
        if any(s.name == name for s in self.builder.schemas):
            self.where.error(f"the {kind} {name!r} is declared twice", item)
        from ..kernel.facts import LEMMAS
        if name in LEMMAS:
            self.where.error(f"{name!r} is a standard lemma ({LEMMAS[name].statement}); "
                             "choose another name", item)
        params = []
        if m.group(3) is not None and m.group(3).strip():
            params = self._params(item[m.start(3):m.end(3)], name)
        body = item[m.end():].strip()
        split = re.search(r"(\\(quad|qquad|,|;)\s*)?\\text\{\s*(if|for|when|where)\s*\}", body.s)
        statement_text = body[:split.start()].strip() if split else body
        conditions_text = body[split.end():].strip() if split else None
        bound = {key: sym for key, sym, _, _ in params}
        symbols = [sym for _, sym, _, _ in params]
        self.scope.params = set(symbols)
        before = dict(self.scope.deferred)
        try:
            statement = parse_relations(statement_text, self.scope, self.where, bound)
            if len(statement) != 1:
                self.where.error(f"a {kind} states one relation, not a chain", statement_text)
            conditions = (tuple(parse_relations(conditions_text, self.scope, self.where, bound))
                          if conditions_text is not None else ())
        finally:
            self.scope.params = set()
        deferred = {p: v for p, v in self.scope.deferred.items() if p not in before}
        template = statement[0]
        kinds = [vec for _, _, vec, _ in params]
        # A parameter's set (s \in \mathbb{R}_{>0}) is a side condition of every use.
        conditions = tuple(r for *_, within in params for r in within) + conditions
        instance = _Instance(name, symbols, kinds, template, deferred)
        obligations = _Instance(name, symbols, kinds, conditions, deferred) if conditions else None
        self.builder.schema(name, instance, kind=kind, statement=body.s, obligations=obligations)
        self.scope.declared[f"schema:{name}"] = (tuple(kinds), kind)

    def _params(self, text: Text, schema: str):
        reader = Reader(text, self.scope, self.where)
        out, pending = [], []
        for a, b in reader.split_commas(0, len(reader.toks)):
            at = next((q for q in range(a, b) if reader.toks[q].is_cs("in")), None)
            got = reader.read_name(a, declaring=True) if a < b else None
            if got is None or got[0] != (at if at is not None else b):
                reader.fail(f"expected a parameter name in {reader.q(a, b)}", a)
            pending.append(got[1])
            if at is not None:
                spec = _norm(reader.src(at + 1, b))
                vector = bool(VECTOR_SET.match(spec))
                if not vector and (spec not in SETS or SETS[spec][5]):
                    # An integer parameter would need its arguments to be integers, which
                    # no side condition can say: a use at t = 1/2 would be cited.
                    reader.fail(f"a parameter ranges over \\mathbb{{R}}, an interval of it "
                                f"(\\mathbb{{R}}_{{>0}}) or \\mathbb{{R}}^n, not {quote(spec)}", at + 1)
                out.extend((p, vector, None if vector else SETS[spec]) for p in pending)
                pending = []
        out.extend((p, False, None) for p in pending)
        keys = [p.key for p, _, _ in out]
        if len(set(keys)) != len(keys):
            reader.fail("two parameters with the same name", 0)
        params = []
        for p, vector, spec in out:
            sym = VectorSymbol(f"{p.shown}⟦{schema}⟧") if vector else Dummy(p.shown, real=True)
            params.append((p.key, sym, vector, _within(sym, spec)))
        return params


def _within(sym, spec) -> tuple:
    """The relations that keep a scalar parameter in its set (s > 0 for \\mathbb{R}_{>0})."""
    if spec is None:
        return ()
    _, lo, hi, lo_open, hi_open, _ = spec
    out = []
    if lo is not None:
        out.append(StrictGreaterThan(sym, lo) if lo_open else GreaterThan(sym, lo))
    if hi is not None:
        out.append(StrictLessThan(sym, hi) if hi_open else LessThan(sym, hi))
    return tuple(out)


class _Instance:
    """A schema's statement (or side conditions) at given arguments."""

    def __init__(self, name, params, kinds, template, deferred):
        self.name, self.params, self.kinds = name, params, kinds
        self.template, self.deferred = template, deferred

    def __call__(self, *args):
        if len(args) != len(self.params):
            raise TypeError(f"{self.name} takes {len(self.params)} argument(s), got {len(args)}")
        from ..expressions import put_in, rebuild
        mapping = dict(zip(self.params, args))
        values = {}
        for placeholder, (kind, fn, point) in self.deferred.items():
            p = rebuild(point.xreplace(mapping))
            p = ZERO if p == 0 else p
            values[placeholder] = grad_at(fn.name.shown, p) if kind == "grad" else value_at(fn.name.shown, p)
        mapping.update(values)
        if isinstance(self.template, tuple):
            return tuple(rebuild(put_in(c, mapping)) for c in self.template)
        return rebuild(put_in(self.template, mapping))      # g'(a) at 2 is g' at 2, not d/d2


def _is_vector(value) -> bool:
    from ..expressions import rebuild
    try:
        return bool(linear_parts(rebuild(value)))
    except (TypeError, ValueError):
        return False


def _recognise(body, params) -> str:
    """"sigmoid" or "relu" when the formula is one of them, else "formula"."""
    if len(params) != 1:
        return "formula"
    z = params[0]
    from ..expressions import rebuild
    b = rebuild(body)
    if b in (Max(0, z), Max(z, 0)):
        return "relu"
    try:
        if cancel((b - 1 / (1 + exp(-z))).rewrite(exp)) == 0:
            return "sigmoid"
    except Exception:        # a formula SymPy cannot cancel is simply not the sigmoid
        pass
    return "formula"


__all__ = ["Declarations"]
