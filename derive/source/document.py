"""A LaTeX or Markdown document as people write it, read into a Derivation.

No front matter and no justifications: every display's chains are steps (each
checked by whatever kind of reasoning settles it), sections are parts, names
get their meaning from the prose and the displays (definitions.py). What cannot
be read is one error at file:line:col and the rest is read on; only a document
with no step at all is an input error.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..model import ChainError, Why, compose
from . import hints
from .chains import split
from .definitions import DocumentBuilder, Names, cued
from .includes import IncludeError, Includes
from .latex import parse_expr, parse_relations
from .macros import MacroError, Macros
from .regions import Source, scan
from .scope import Scope
from .text import Text, Where, quote

CHAIN_BUDGET = 2.0           # CPU seconds to read one chain (10^{10^{10}} must not hang)
DEFINING = re.compile(r":=|=:|\\(coloneqq|coloneq|eqqcolon|triangleq|defeq|stackrel|overset)\b")
ANY_SET = re.compile(r"\\in\s*\\mathbb\s*\{?\s*R\s*\}?\s*$")


@dataclass
class Pending:
    lhs: object
    rel: str
    rhs: object
    why: Why
    when: tuple
    label: str
    origin: tuple
    tex: str


@dataclass
class Section:
    label: str
    title: str
    steps: list = field(default_factory=list)


def load_document(path: Path, markdown: bool, data: bytes | None = None):
    """The Derivation a document holds (read from ``data`` when given); InputError only
    when nothing in it could be read."""
    return DocumentReader(Path(path), markdown).read(data)


def read_text(path: Path, raw: bytes | None = None) -> str:
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", str(path)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError("the file is not UTF-8 text", str(path), line, 1) from None


class DocumentReader:
    """Reads the document once, region by region, \\input files in place."""

    def __init__(self, path: Path, markdown: bool):
        self.path, self.markdown = path, markdown
        self.scope = Scope()
        self.builder = DocumentBuilder(path.stem, path.stem)
        self.names = Names(self.scope, self.builder)
        self.macros = Macros()
        self.includes = Includes(path)
        self.errors: list = []
        self.sections = [Section("0", "")]
        self.numbers = [0, 0, 0, 0]
        self.title = None
        self.last = None                 # (section, value) the last chain ended on

    def read(self, data: bytes | None = None):
        from .skeletons import STORE
        try:
            self.read_source(read_text(self.path, data), self.path)
        finally:
            STORE.save()
        return self.build()

    def read_source(self, text: str, path: Path):
        where = Where(str(path))
        for region in scan(Source(text), self.markdown):
            try:
                getattr(self, "_" + region.kind)(region, where)
            except InputError as exc:
                self.errors.append(exc)

    # -- regions -------------------------------------------------------------------
    def _heading(self, region, where):
        title = " ".join(region.text.s.split())
        if self.markdown and region.level == 1 and self.title is None and \
                not any(s.steps for s in self.sections):
            self.title = title
            return
        if self.markdown:
            self.numbers[0] += 1
            label = str(self.numbers[0])
        else:
            level = max(region.level, 1)
            if region.numbered:
                self.numbers[level - 1] += 1
                self.numbers[level:] = [0] * (len(self.numbers) - level)
            label = ".".join(str(n) for n in self.numbers[:level])
        self.sections.append(Section(label, title))
        self.names.section += 1
        self.last = None

    def _title(self, region, where):
        self.title = " ".join(region.text.s.split())

    def _comment(self, region, where):
        m = re.match(r"\s*derive\s*:", region.text.s)
        if m:
            self.names.declare(region.text[m.end():], where)

    def _macro(self, region, where):
        self.macros.define(region.macro)

    def _input(self, region, where):
        if self.markdown:
            return
        try:
            path = self.includes.enter(region.text.s)
        except IncludeError as exc:
            where.error(str(exc), region.text)
        try:
            self.read_source(read_text(path), path)
        finally:
            self.includes.leave()

    def _error(self, region, where):
        where.error(region.env, region.text)

    def _inline(self, region, where):
        """Inline math is not checked; it may define names (`$u := vx$`, "let $u = vx$")."""
        is_cued = cued(region.before)
        if not (DEFINING.search(region.text.s) or (is_cued and "=" in region.text.s)):
            return
        self._definitions(self._expand(region.text, where), where, is_cued)

    def _definitions(self, text: Text, where: Where, is_cued: bool):
        with self._budget(where, text):
            for chain in split(text, where).chains:
                if not chain.first.s.strip():
                    continue
                link = chain.links[0]
                if link.op == "def" or (link.op == "=" and is_cued and
                                        self.names.fresh(chain.first, where, link.rhs)):
                    self.names.define(chain.first, link.rhs, where)
                elif link.op == "rdef":
                    self.names.define(link.rhs, chain.first, where)

    def _display(self, region, where):
        display = split(self._expand(region.text, where), where)
        self.errors.extend(display.errors)
        for prose in display.prose:
            for m in re.finditer(r"\$([^$]+)\$", prose.s):
                try:
                    self._definitions(prose[m.start(1):m.end(1)], where, cued(prose.s[:m.start()]))
                except InputError as exc:
                    self.errors.append(exc)
        for chain in display.chains:
            try:
                with self._budget(where, chain.first if chain.first.s else chain.links[0].rel):
                    self.chain(chain, where)
            except InputError as exc:
                self.errors.append(exc)

    def _expand(self, text: Text, where: Where) -> Text:
        try:
            return self.macros.expand(text)
        except MacroError as exc:
            raise InputError(str(exc), where.file, *exc.where) from None

    @contextmanager
    def _budget(self, where: Where, text: Text):
        from ..budget import Timeout, time_limit
        try:
            with time_limit(CHAIN_BUDGET), _guard(where, text):
                yield
        except Timeout:
            where.error(f"reading this took over {CHAIN_BUDGET:g} s of CPU time (is a number in "
                        "it too large to work with?)", text)

    # -- chains ----------------------------------------------------------------------
    def chain(self, chain, where: Where):
        links = chain.links
        ops = [link.op for link in links]
        if "statement" in ops:
            return               # x ∈ ℝ, f: ℝ → ℝ: not a derivation
        if "implies" in ops:
            where.error("not checked: an implication (⟹) makes its sides conditions, and derive "
                        "does not check implications yet", links[ops.index("implies")].rel)
        self._where_definitions(links, where)
        if "iff" in ops:
            return self.equivalences(chain, where)
        section = self.sections[-1]
        start, current = 0, None
        first = chain.first
        if not first.s.strip():
            if self.last is None or self.last[0] is not section:
                where.error("this display starts with a relation, but no chain comes before it "
                            "in this section to continue", links[0].rel)
            current = self.last[1]
        elif links[0].op == "def" or (links[0].op == "=" and
                                      self.names.fresh(first, where, links[0].rhs)):
            current, start = self.names.define(first, links[0].rhs, where), 1
        elif links[0].op == "rdef":
            current, start = self.names.define(links[0].rhs, first, where), 1
        else:
            current = self._parse(first, where, len(links), own=True)
        rels, fresh = [], True
        for n in range(start, len(links)):
            link = links[n]
            if link.op == "def":
                self._fail(where, "a definition (:=) inside a chain: give it a display of its own",
                           link.rel, len(links) - n - 1)
            if link.op == "rdef":
                current = self._define_value(link, current, where)
                continue
            if link.op == "unchecked":
                self.errors.append(InputError(
                    f"not checked: {quote(link.rel.s.strip())} is not a relation derive checks "
                    "(=, <, \\le, >, \\ge, \\iff)", where.file, *link.rel.where(0)))
                current, rels, fresh = self._parse(link.rhs, where, len(links) - n - 1), [], True
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
            tex = " ".join(((first.s + " ") if n == 0 else "").split() +
                           (link.rel.s + " " + link.rhs.s).split())
            section.steps.append(Pending(current if fresh else None, link.op, rhs, self._why(link),
                                         when, link.label, (where.file, *link.rel.where(0)), tex))
            current, fresh = rhs, False
        self.last = (section, current)

    def _define_value(self, link, value, where: Where):
        """``… =: u``: u is defined as the expression before it."""
        got = self.names.head(link.rhs, where)
        if got is None or got[1] is not None:
            where.error(f"expected a name after =:, found {quote(link.rhs.s)}", link.rhs)
        name = got[0]
        self.builder.line = link.rhs.where(0)[0]
        sym = self.builder.define(name.shown, value, latex=name.key)
        self.names._bind(name, sym)
        self.names.defined[name.key] = self.names.section
        return sym

    def equivalences(self, chain, where: Where):
        """``A ⟺ B ⟺ C``: each side is one relation; the steps are A ⟺ B, B ⟺ C."""
        sides, origins, pieces = [], [], chain.first
        for link in chain.links:
            if link.op == "iff":
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
            where.error("this display starts with ⟺, but nothing comes before it to continue",
                        origins[0])
        for n, (side, rel) in enumerate(zip(sides[1:], origins)):
            value = self._side(side, where)
            link = next(link for link in chain.links if link.rel is rel)
            section.steps.append(Pending(current if n == 0 else None, "iff", value, self._why(link),
                                         self._conditions(link, where), link.label,
                                         (where.file, *rel.where(0)), " ".join(side.s.split())))
            current = value
        self.last = (section, current)

    def _side(self, text: Text, where: Where):
        rels = parse_relations(text, self.scope, where)
        if len(rels) != 1:
            where.error(f"each side of ⟺ is one relation: {quote(text.s)}", text)
        return rels[0]

    def _parse(self, text: Text, where: Where, following: int, own: bool = False):
        try:
            return parse_expr(text, self.scope, where)
        except InputError as exc:
            raise InputError(exc.message + _skipped(following, own), exc.file, exc.line,
                             exc.column) from None

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

    # -- the derivation ------------------------------------------------------------------
    def build(self):
        b = self.builder
        b.title = self.title or self.path.stem
        if not any(s.steps for s in self.sections):
            if self.errors:
                first = self.errors[0]
                more = f" ({len(self.errors) - 1} more error(s))" if len(self.errors) > 1 else ""
                raise InputError(f"{first.message}{more}; nothing in the document could be read "
                                 "as a derivation step", first.file, first.line, first.column)
            raise InputError("no derivation steps found: expected display math with a relation "
                             "(=, \\le, <, …) in $$…$$, \\[…\\] or an equation/align environment",
                             str(self.path))
        for section in self.sections:
            if not section.steps:
                continue
            b.part(section.label, section.title)
            for p in section.steps:
                b.step(p.lhs, p.rel, p.rhs, p.why, when=p.when, label=p.label, origin=p.origin,
                       tex=p.tex)
        b.extra.append(("unreadable", tuple((e.file, e.line, e.column, e.message)
                                            for e in self.errors)))
        for sym, tex in self.scope.latex.items():
            if sym not in dict(b.latex):
                b.latex.append((sym, tex))
        return b.build(source=str(self.path))


def _skipped(n: int, own: bool) -> str:
    """What an unreadable piece costs the rest of its chain, said once."""
    if not n:
        return ""
    steps = f"{n} step{'s' if n != 1 else ''}"
    verb = "is" if n == 1 else "are"
    return f" (so this chain's {steps} {verb} not checked)" if own else \
        f" (so the {steps} after it in this chain {verb} not checked)"


@contextmanager
def _guard(where: Where, text: Text):
    """SymPy can raise on strange input; that is still unreadable math at this place."""
    try:
        yield
    except InputError:
        raise
    except RecursionError:
        where.error("this math is nested too deeply", text)
    except (TypeError, ValueError, AttributeError, ZeroDivisionError, NotImplementedError,
            IndexError, KeyError) as exc:
        where.error(f"cannot read {quote(text.s)}: {type(exc).__name__}: {exc}", text)
