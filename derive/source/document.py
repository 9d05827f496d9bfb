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
from .chains import split
from .steps import ChainSteps
from .definitions import DocumentBuilder, Names, cued
from .includes import IncludeError, Includes
from .macros import MacroError, Macros
from .regions import Source, scan
from .scope import Scope
from .text import Text, Where, decoded, quote

CHAIN_BUDGET = 2.0           # CPU seconds to read one chain (10^{10^{10}} must not hang)
DEFINING = re.compile(r":=|=:|\\(coloneqq|coloneq|eqqcolon|triangleq|defeq|stackrel|overset)\b")


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
    return decoded(raw, path)


class DocumentReader(ChainSteps):
    """Reads the document once, region by region, \\input files in place."""

    inline_steps = False     # inline math holds steps too (OCR output, where most math is inline)

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

    def read(self, data: bytes | None = None, empty_ok: bool = False):
        self.read_source(read_text(self.path, data), self.path)
        return self.build(empty_ok)

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
            self.names.after_steps = any(s.steps for s in self.sections)
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
        """Inline math is not checked; it may define names (`$u := vx$`, "let $u = vx$").
        (Reading OCR output, every inline relation is a step: ``inline_steps``.)"""
        is_cued = cued(region.before)
        if self.inline_steps and not DEFINING.search(region.text.s):
            return self._display(region, where)
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
        _balanced(region.text, where)
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

    # -- the derivation ------------------------------------------------------------------
    def build(self, empty_ok: bool = False):
        b = self.builder
        b.title = self.title or self.path.stem
        if not empty_ok and not any(s.steps for s in self.sections):
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


def _balanced(text: Text, where: Where) -> None:
    """A display's braces match: with one left open its relation sat inside the group and
    the display was skipped without a word (\\frac{1}{2 = 3)."""
    opened, k, s = [], 0, text.s
    while k < len(s):
        c = s[k]
        if c == "\\":
            k += 2
            continue
        if c == "%":
            nl = s.find("\n", k)
            k = len(s) if nl < 0 else nl
            continue
        if c == "{":
            opened.append(k)
        elif c == "}":
            if not opened:
                where.error("this `}` closes no `{`", text, k)
            opened.pop()
        k += 1
    if opened:
        where.error("this `{` is never closed", text, opened[-1])
