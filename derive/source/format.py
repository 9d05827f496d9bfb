"""A derivation file (Markdown + LaTeX) read into a Derivation through the Builder.

Layout: front matter (declarations), then Markdown. Prose before the first
heading is the introduction; each ``##`` heading opens a part; every ``$$``
block holds steps, one relation each, with a ``% justification`` at the end of
its line; prose after a block is a note on its last step, or the part's
closing text when the part ends there.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..build import Builder, why as make_why
from ..errors import InputError
from . import frontmatter
from .declare import Declarations
from .justify import justification
from .latex import parse_relations, parse_step
from .layout import Layout, PendingPart
from .scope import Scope
from .text import Text, Where, decoded, lines, quote
from .tokens import RELATIONS, tokenize

ENVIRONMENT = re.compile(r"\\(begin|end)\{(aligned|align\*?|split|gathered|gather\*?|equation\*?|eqnarray\*?)\}")
TAG = re.compile(r"\\tag\*?\{([^{}]*)\}")
MARKERS = re.compile(r"\\nonumber|\\notag")
INNER_ENV = re.compile(r"\\(begin|end)\{(cases|array|matrix|pmatrix|bmatrix)\}")
ID = re.compile(r"^[A-Za-z0-9][\w.-]*$")
LOG_BASES = {"natural": None, "e": None, "ln": None, "10": 10, "2": 2}
FORMULA_BUDGET = 1.0         # CPU seconds to read one formula (typical: 1–5 ms)


@dataclass
class PendingStep:
    text: Text
    lhs: object
    rel: str
    rhs: object
    why: object = None
    when: tuple = ()
    note: str = ""
    label: str = ""
    directive: tuple = ()        # conditions from a `% for …` line above the step


def load(path: Path, raw: bytes | None = None):
    """Read one derivation file (or ``raw``, its bytes already read); bad input raises
    InputError with file:line:col."""
    where = Where(str(path))
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", str(path)) from None
    return read(decoded(raw, path), path)


def read(source: str, path: Path, memo: dict | None = None):
    """Read a derivation from text; ``path`` names it in messages and gives its default id.

    ``memo`` (a dict the caller keeps between readings of one changing text, e.g. an
    editor's buffer) remembers each step's reading while the front matter is unchanged.
    """
    return Reader(source, Where(str(path)), path, memo).derivation()


@contextmanager
def _guard(where: Where, text: Text):
    """SymPy can raise on strange input; that is still bad input at this place.

    Each formula (a declaration, a step, a justification) is read under its own
    CPU-time budget: reading evaluates numbers (a bound of 10^{10^{10}} would
    never end), while a file is never refused for its length.
    """
    from ..budget import Timeout, expired, time_limit
    try:
        with time_limit(FORMULA_BUDGET):
            yield
    except Timeout:
        if expired():
            raise                    # an outer budget ran out, not this formula's
        where.error(f"reading this took over {FORMULA_BUDGET:g} s of CPU time (is a number in "
                    "it too large to work with?)", text)
    except InputError:
        raise
    except RecursionError:
        where.error("this math is nested too deeply", text)
    except (TypeError, ValueError, AttributeError, ZeroDivisionError, NotImplementedError,
            IndexError, KeyError) as exc:
        where.error(f"cannot read {quote(text.s)}: {type(exc).__name__}: {exc}", text)


class Reader(Layout):
    """Walks the file once: front matter, then headings, prose and math blocks."""

    def __init__(self, source: str, where: Where, path: Path, memo: dict | None = None):
        self.where, self.path, self.memo = where, path, memo
        self.front = None            # the front matter's text: what a step's reading depends on
        self.lines = [(n, line) for n, line in enumerate(lines(source), start=1)]
        self.scope = Scope()
        self.parts: list = []
        self.intro: list = []
        self.prose: list = []
        self.heading_title = None
        self.label = ""              # a \tag{…} waiting for the step it belongs to

    # -- front matter ------------------------------------------------------------
    def derivation(self):
        entries, body_start = frontmatter.read(self.lines, self.where)
        self.front = "\n".join(line for _, line in self.lines[:body_start])
        did = self._id(entries.get("id"))
        title_entry = entries.get("title")
        if "log" in entries:
            value = entries["log"].value
            key = value.s.strip().lower() if value else ""
            if key not in LOG_BASES:
                self.where.error(f"log: expected natural, 10 or 2, not {value.s if value else ''!r}",
                                 value or Text.at("", entries["log"].line, 1))
            self.scope.log_base = LOG_BASES[key]
        self.builder = Builder(did, "")
        declare = Declarations(self.scope, self.builder, self.where)
        for key, method in (("symbols", declare.symbol), ("functions", declare.function),
                            ("define", declare.define), ("assume", declare.assume),
                            ("hypotheses", lambda t: declare.schema(t, "hypothesis")),
                            ("lemmas", lambda t: declare.schema(t, "lemma"))):
            entry = entries.get(key)
            for item in entry.items if entry else ():
                if not item.s.strip():
                    self.where.error(f"an empty item under {key}:", item)
                with _guard(self.where, item):
                    method(item)
        self.schemas = {name: value for name, value in
                        ((k.split(":", 1)[1], v) for k, v in self.scope.declared.items()
                         if k.startswith("schema:"))}
        self.body(body_start)
        title = title_entry.value if title_entry and title_entry.value else None
        if title is not None and self.heading_title is not None:
            self.where.error("the title is given twice (front matter and a '# ' heading): keep one",
                             self.heading_title)
        title = title or self.heading_title
        title_text = title.s.strip() if title is not None else self.path.stem
        if title is not None:
            self._check_prose(title, title=True)
        self.builder.title = title_text
        return self.build()

    def _id(self, entry):
        if entry is None or entry.value is None:
            return self.path.stem
        value = entry.value.s.strip()
        if not ID.match(value):
            self.where.error(f"id {value!r}: expected letters, digits, '-', '_' or '.'", entry.value)
        return value

    # -- steps ---------------------------------------------------------------------
    def math_block(self, block: list, line: int):
        if not self.parts:
            self.parts.append(PendingPart("a", "", line))
        part = self.parts[-1]
        buf, depth = None, 0
        for raw in block:
            code, comment = _split_comment(raw)
            code, label = _clean(code)
            pieces, depth_after = _split_breaks(code, depth)
            for piece in pieces:
                if not piece.s.strip():
                    continue
                if buf is None:
                    buf = piece
                elif depth == 0 and _has_relation(buf, self.where) and (
                        _starts_with_relation(piece, self.where) or _has_relation(piece, self.where)):
                    self.step(part, buf, None)
                    buf = piece
                else:
                    buf = buf.join(piece, "\n")
                depth = 0
            depth = depth_after
            if label:
                self.label = label
            if comment is None or comment.s.startswith("%"):
                continue
            if depth:
                self.where.error("a justification inside \\begin{cases}…\\end{cases}: put it "
                                 "after \\end{cases}", comment)
            if buf is not None:
                self.step(part, buf, comment)
                buf = None
            else:
                self.directive(part, comment)
        if buf is not None:
            self.step(part, buf, None)

    def directive(self, part: PendingPart, comment: Text):
        """A `% for …` line on its own: conditions for the steps after it in this part."""
        body = comment.strip()
        word = body.s.split()[0] if body.s.split() else ""
        if word not in ("for", "where", "when", "if"):
            if part.steps and part.steps[-1].why is None:
                self._justify(part.steps[-1], comment)
                return
            self.where.error("a justification with no step before it: write it at the end of "
                             "the step's line (or use '%%' for a plain comment)", comment)
        cond_text = body[len(word):].strip()
        if not cond_text.s:
            self.where.error(f"expected conditions after {word!r}", body)
        with _guard(self.where, cond_text):
            conditions = tuple(parse_relations(cond_text, self.scope, self.where))
        if part.steps:
            part.step_when = conditions
        else:
            part.when = part.when + conditions

    def step(self, part: PendingPart, text: Text, comment):
        with _guard(self.where, text):
            lhs, rel, rhs = self._parse_step(text.strip())
        if lhs is None and not part.steps:
            self.where.error("this step continues a chain, but no step comes before it in "
                             "this part: write its left side", text.strip())
        step = PendingStep(text, lhs, rel, rhs, label=self.label, directive=part.step_when)
        self.label = ""
        part.steps.append(step)
        if comment is not None:
            self._justify(step, comment)

    def _parse_step(self, text: Text):
        return self._remembered(("step", text.s), lambda: parse_step(text, self.scope, self.where))

    def _remembered(self, key, read):
        """``read()``, or its remembered value: the same text under the same front matter
        reads the same (only the names it adds for printing are replayed)."""
        if self.memo is None:
            return read()
        key = (self.front, *key)
        if key not in self.memo:
            before = set(self.scope.latex)
            value = read()
            self.memo[key] = (value, {k: v for k, v in self.scope.latex.items() if k not in before})
        value, names = self.memo[key]
        for k, v in names.items():
            self.scope.latex.setdefault(k, v)
        return value

    def _justify(self, step: PendingStep, comment: Text):
        with _guard(self.where, comment):
            step.why, step.when = self._remembered(
                ("why", comment.s),
                lambda: justification(comment, self.scope, self.schemas, self.where))

    # -- building --------------------------------------------------------------------
    def check_chains(self):
        """A chain that turns (≤ then ≥, or ⟺ with =) is an input error at the turning step."""
        from ..model import ChainError, compose
        for part in self.parts:
            rels = []
            for step in part.steps:
                if step.lhs is not None:
                    rels = []
                rels.append(step.rel)
                try:
                    compose(rels)
                except ChainError as exc:
                    self.where.error(f"{exc}", step.text.strip())

    def build(self):
        self.check_chains()
        b = self.builder
        b.intro = "\n\n".join(self.intro)
        for part in self.parts:
            b.part(part.label, part.title, intro="\n\n".join(part.intro), when=part.when)
            for step in part.steps:
                why = step.why if step.why is not None else make_why("algebra")
                code = step.text.strip()
                line, column = code.where(0)
                b.step(step.lhs, step.rel, step.rhs, why, when=step.directive + step.when,
                       note=step.note, label=step.label, origin=(str(self.path), line, column),
                       tex=code.s)
            if part.outro:
                b.outro("\n\n".join(part.outro))
        for sym, tex in self.scope.latex.items():
            if sym not in dict(b.latex):
                b.latex.append((sym, tex))
        return b.build(source=str(self.path))


def _split_comment(line: Text):
    """(code, comment after '%' or None); '\\%' is a percent sign, not a comment."""
    s = line.s
    for i, c in enumerate(s):
        if c == "%":
            backslashes = len(s[:i]) - len(s[:i].rstrip("\\"))
            if backslashes % 2 == 0:
                return line[:i], line[i + 1:]
    return line, None


def _blank(text: Text, a: int, b: int) -> Text:
    return Text(text.s[:a] + " " * (b - a) + text.s[b:], text.pos, text.end)


def _clean(code: Text):
    """Environments, \\tag{…} and \\nonumber removed (positions kept); the tag's text."""
    label = ""
    for regex in (ENVIRONMENT, TAG, MARKERS):
        for m in list(regex.finditer(code.s)):
            if regex is TAG:
                label = m.group(1).strip()
            code = _blank(code, m.start(), m.end())
    return code, label


def _split_breaks(code: Text, depth: int):
    """Pieces between line breaks \\\\ and without alignment marks &, both outside
    \\begin{cases}…\\end{cases} (where they separate rows and columns); the depth
    of cases environments left open at the end of the line."""
    pieces, start, s, i = [], 0, code.s, 0
    while i < len(s):
        m = INNER_ENV.match(s, i)
        if m:
            depth += 1 if m.group(1) == "begin" else -1
            i = m.end()
            continue
        if s[i] == "\\":
            if depth == 0 and s[i + 1:i + 2] == "\\":
                pieces.append(code[start:i])
                start = i + 2
            i += 2
            continue
        if s[i] == "&" and depth == 0:
            code = _blank(code, i, i + 1)
            s = code.s
        i += 1
    pieces.append(code[start:])
    return pieces, max(depth, 0)


def _top_relations(text: Text, where: Where) -> list:
    depth, out = 0, []
    for n, t in enumerate(tokenize(text, where)):
        if t.kind == "space":
            continue
        if t.is_char("(", "[", "{") or t.is_cs("{", "langle", "begin"):
            depth += 1
        elif t.is_char(")", "]", "}") or t.is_cs("}", "rangle", "end"):
            depth -= 1
        elif depth == 0 and ((t.kind == "char" and t.text in "=<>") or
                             (t.kind == "cs" and t.text in RELATIONS)):
            out.append(n)
    return out


def _has_relation(text: Text, where: Where) -> bool:
    return bool(_top_relations(text, where))


def _starts_with_relation(text: Text, where: Where) -> bool:
    toks = [t for t in tokenize(text, where) if t.kind != "space"]
    return bool(toks) and ((toks[0].kind == "char" and toks[0].text in "=<>") or
                           (toks[0].kind == "cs" and toks[0].text in RELATIONS))
