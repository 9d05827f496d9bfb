"""A display's chains as steps: definitions made first, each link parsed and checked, a link
that cannot be read reported once (with what it costs the rest of its chain)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from ..model import ChainError, Why, compose
from . import hints
from .chains import split
from .latex import parse_expr, parse_relations
from .text import Text, Where, quote

ANY_SET = re.compile(r"\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*$")


@dataclass
class Pending:
    """A step read from the document, waiting to be built."""

    lhs: object
    rel: str
    rhs: object
    why: Why
    when: tuple
    label: str
    origin: tuple
    tex: str


class ChainSteps:
    """Reader methods that turn chains into Pending steps of the current section (mixed into
    DocumentReader, which provides names, sections, builder, errors and last)."""

    implicit = True          # the first display `name = …` of an unused name defines it

    def chain(self, chain, where: Where):
        links = chain.links
        ops = [link.op for link in links]
        if "statement" in ops:
            return               # x ∈ ℝ, f: ℝ → ℝ: not a derivation
        if "impliedby" in ops:
            where.error("not checked: write the implication forwards, A ⟹ B (\\implies), "
                        "for derive to check it", links[ops.index("impliedby")].rel)
        self._where_definitions(links, where)
        if "iff" in ops or "implies" in ops:
            return self.equivalences(chain, where)
        section = self.sections[-1]
        start, current, source = 0, None, chain.first     # source: the LaTeX of current
        first = chain.first
        if not first.s.strip():
            if self.last is None or self.last[0] is not section:
                where.error("this display starts with a relation, but no chain comes before it "
                            "in this section to continue", links[0].rel)
            _, current, source = self.last
        elif links[0].op == "def" or (links[0].op == "=" and self.implicit and
                                      self.names.fresh(first, where, links[0].rhs)):
            current, start = self.names.define(first, links[0].rhs, where), 1
        elif links[0].op == "rdef":
            current, start, source = self.names.define(links[0].rhs, first, where), 1, links[0].rhs
        else:
            current = self._parse(first, where, len(links), own=True)
        rels, fresh = [], True
        for n in range(start, len(links)):
            link = links[n]
            if link.op == "def":
                self._fail(where, "a definition (:=) inside a chain: give it a display of its own",
                           link.rel, len(links) - n - 1)
            if link.op == "rdef":
                current, source = self._define_value(link, current, source, where), link.rhs
                continue
            if link.op == "unchecked":
                self.errors.append(InputError(
                    f"not checked: {quote(link.rel.s.strip())} is not a relation derive checks "
                    "(=, <, \\le, >, \\ge, \\iff)", where.file, *link.rel.where(0)))
                current, rels, fresh = self._parse(link.rhs, where, len(links) - n - 1), [], True
                source = link.rhs
                continue
            rhs = self._parse(link.rhs, where, len(links) - n - 1)
            when = self._conditions(link, where)
            rels.append(link.op)
            try:
                compose(rels)
            except ChainError as exc:
                self.errors.append(InputError(f"{exc}: this step is checked on its own",
                                              where.file, *link.rel.where(0)))
                rels, fresh = [link.op], True
            # The step as written; a step that starts a chain carries its left side.
            tex = " ".join(((source.s + " ") if fresh else "").split() +
                           (link.rel.s + " " + link.rhs.s).split())
            section.steps.append(Pending(current if fresh else None, link.op, rhs, self._why(link),
                                         when, link.label, (where.file, *link.rel.where(0)), tex))
            current, source, fresh = rhs, link.rhs, False
        self.last = (section, current, source)

    def _define_value(self, link, value, source: Text, where: Where):
        """``… =: u``: u is defined as the expression before it."""
        got = self.names.head(link.rhs, where)
        if got is None or got[1] is not None:
            where.error(f"expected a name after =:, found {quote(link.rhs.s)}", link.rhs)
        name = got[0]
        self.names.written.append((name.key, None, " ".join(source.s.split()),
                                   link.rhs.where(0)[0]))
        self.builder.line = link.rhs.where(0)[0]
        sym = self.builder.define(name.shown, value, latex=name.key)
        self.names._bind(name, sym)
        self.names.defined[name.key] = self.names.section
        return sym

    def equivalences(self, chain, where: Where):
        """``A ⟺ B ⟹ C``: each side is one relation; the steps are A ⟺ B, B ⟹ C."""
        sides, origins, pieces = [], [], chain.first
        for link in chain.links:
            if link.op in ("iff", "implies"):
                sides.append(pieces)
                origins.append(link.rel)
                pieces = link.rhs
            else:
                pieces = pieces.join(link.rel, " ").join(link.rhs, " ")
        sides.append(pieces)
        section = self.sections[-1]
        current = None
        if sides[0].s.strip():
            current = self._side(sides[0], where)
        elif self.last is not None and self.last[0] is section:
            current = self.last[1]
        else:
            where.error("this display starts with ⟺ or ⟹, but nothing comes before it to "
                        "continue", origins[0])
        source = sides[0] if sides[0].s.strip() else self.last[2]
        for n, (side, rel) in enumerate(zip(sides[1:], origins)):
            value = self._side(side, where)
            link = next(link for link in chain.links if link.rel is rel)
            word = " \\iff " if link.op == "iff" else " \\implies "
            section.steps.append(Pending(current if n == 0 else None, link.op, value, self._why(link),
                                         self._conditions(link, where), link.label,
                                         (where.file, *rel.where(0)),
                                         " ".join(((source.s + word) if n == 0 else word).split()
                                                  + side.s.split())))
            current = value
        self.last = (section, current, side)

    def _side(self, text: Text, where: Where):
        rels = parse_relations(text, self.scope, where)
        for rel in rels:
            self._no_dependence_assumed(rel, text, where)
        if len(rels) != 1:
            where.error(f"each side of ⟺ is one relation: {quote(text.s)}", text)
        return rels[0]

    def _parse(self, text: Text, where: Where, following: int, own: bool = False):
        try:
            value = parse_expr(text, self.scope, where)
            self._no_dependence_assumed(value, text, where)
            return value
        except InputError as exc:
            raise InputError(exc.message + _skipped(following, own), exc.file, exc.line,
                             exc.column) from None

    def _no_dependence_assumed(self, value, text: Text, where: Where):
        """∂ℓ/∂w of a name nobody defined would be 0 (ℓ is then a variable of its own), which
        is never what the author meant: ask for the definition instead."""
        from sympy import Derivative
        for d in value.atoms(Derivative) if hasattr(value, "atoms") else ():
            if d.expr in self.names.undefined and d.expr not in d.variables:
                name = self.scope.latex.get(d.expr, str(d.expr))
                where.error(f"{quote(name)} is differentiated but never defined, so it would be a "
                            f"variable of its own and its derivative 0: define it first "
                            f"({name} := …)", text)

    def _fail(self, where, message, text, following):
        where.error(message + _skipped(following, False), text)

    def _where_definitions(self, links, where: Where):
        """`\\text{where } u = vx` beside a step defines u before the step is read."""
        for link in links:
            keep = []
            for word, text in link.conditions:
                if word == "where":
                    pieces = split(text, where).chains
                    if len(pieces) == 1 and pieces[0].links[0].op in ("=", "def") and \
                            len(pieces[0].links) == 1 and \
                            self.names.fresh(pieces[0].first, where, pieces[0].links[0].rhs):
                        self.names.define(pieces[0].first, pieces[0].links[0].rhs, where)
                        continue
                keep.append((word, text))
            link.conditions = keep

    def _conditions(self, link, where: Where) -> tuple:
        out = []
        for _, text in link.conditions:
            if ANY_SET.search(text.s) or not text.s.strip():
                continue          # "for x ∈ ℝ" says what every undeclared letter is anyway
            out.extend(parse_relations(text, self.scope, where))
        return tuple(out)

    def _why(self, link) -> Why:
        if link.hint is None:
            return Why("auto")
        kind = hints.kind_of(link.hint.s)
        text = hints.clean(link.hint.s)
        return Why("auto", text, (), (("hint", kind),) if kind else ())


def _skipped(n: int, own: bool) -> str:
    """What an unreadable piece costs the rest of its chain, said once."""
    if not n:
        return ""
    steps = f"{n} step{'s' if n != 1 else ''}"
    verb = "is" if n == 1 else "are"
    return f" (so this chain's {steps} {verb} not checked)" if own else \
        f" (so the {steps} after it in this chain {verb} not checked)"
