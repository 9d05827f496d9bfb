"""What can be typeset: one check of a derivation's titles, prose and math, run by
`check` and by `render`, so that a file `check` accepts never makes TeX fail.

Problems are reported at file:line:col where the text came from a file. The
limits (characters in a title or a paragraph, nesting, columns) are stated in
docs/derivation-files.md.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import InputError
from .prose import spans
from .texchars import typesets
from .texmath import MathError, check_math

MAX_TITLE = 300           # characters in a title or a heading
MAX_PARAGRAPH = 50_000    # characters in one paragraph of prose
_REF = re.compile(r"\\eqref\{([^{}]*)\}")


def _character(text: str, i: int):
    ch = text[i]
    if typesets(ch):
        return None
    name = unicodedata.name(ch, "")
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
        return f"control character U+{ord(ch):04X}{' (' + name.lower() + ')' if name else ''} in the text"
    return (f"{ch!r} (U+{ord(ch):04X}) cannot be typeset by LaTeX here: write it in math "
            f"(e.g. $\\alpha$) or leave it out")


def text_problem(text: str, title: bool = False):
    """(offset, message) of the first thing TeX could not typeset in ``text``, or None."""
    if title and len(text) > MAX_TITLE:
        return MAX_TITLE, f"this title is {len(text)} characters long; the limit is {MAX_TITLE}"
    if not title:
        for m in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text):
            if m.end() - m.start() > MAX_PARAGRAPH:
                return (m.start() + MAX_PARAGRAPH, f"this paragraph is {m.end() - m.start()} "
                        f"characters long; the limit is {MAX_PARAGRAPH}")
    return _pieces(text, title, 0)


def _pieces(text: str, title: bool, base: int):
    for kind, body, start, end in spans(text):
        if kind in ("math", "display"):
            if title and kind == "display":
                return base + start, "a title holds no display math ($$…$$): use $…$"
            opened = text.index(body, start) if body else start
            try:
                check_math(body)
            except MathError as exc:
                return base + opened + exc.at, str(exc)
        elif kind in ("bold", "italic"):
            found = _pieces(body, title, base + text.index(body, start))
            if found:
                return found
        else:
            for i in range(start, end):
                found = _character(text, i)
                if found:
                    return base + i, found
    return None


def refs(text: str) -> list:
    """[(offset, label)] of every \\eqref{label} in ``text``."""
    return [(m.start(), m.group(1)) for m in _REF.finditer(text or "")]


def labels(derivation) -> set:
    """The labels \\eqref may cite in this derivation: id:1, id:2, …"""
    from .prose import anchor
    count = sum(len(p.steps) for p in derivation.parts)
    return {anchor(f"{derivation.id}:{i}") for i in range(1, count + 1)}


def texts(derivation):
    """(what, text, is_title, step or None) for every piece of prose in a derivation."""
    yield "the title", derivation.title, True, None
    yield "the introduction", derivation.intro, False, None
    yield "the text", derivation.prose, False, None
    for part in derivation.parts:
        where = f"part ({part.label})"
        yield f"{where}, its title", part.title, True, None
        yield f"{where}, its introduction", part.intro, False, None
        yield f"{where}, its closing text", part.outro, False, None
        for step in part.steps:
            yield f"{where}, a step's justification", step.why.text, False, step
            yield f"{where}, the text after a step", step.note, False, step


def validate(derivation, text=None, cited=None):
    """Raise InputError at the first thing TeX could not typeset, else return the
    derivation. ``text`` is the source it was read from (default: its file, if any);
    ``cited`` are the labels \\eqref may name (default: its own steps)."""
    source = text if text is not None else _source_text(derivation)
    known = labels(derivation) if cited is None else cited
    for what, text, title, step in texts(derivation):
        if not text:
            continue
        problem = text_problem(text, title)
        if problem is None:
            problem = next(((at, f"\\eqref{{{label}}} names no step of this derivation "
                             f"(its labels are {derivation.id}:1, {derivation.id}:2, …)")
                            for at, label in refs(text) if label not in known), None)
        if problem:
            _raise(derivation, source, what, text, problem, step)
    for part in derivation.parts:
        for step in part.steps:
            _step(derivation, source, part, step)
    return derivation


def _step(derivation, source, part, step):
    from .authored import step_sides
    written = step_sides(step.tex, step.rel) if step.tex else None
    for side in written or ():
        try:
            check_math(side)
        except MathError as exc:
            token = re.search(r"\\[A-Za-z]+|'.'", str(exc))
            at = step.tex.find(token.group(0).strip("'")) if token else -1
            _raise(derivation, source, f"part ({part.label}), a step", step.tex,
                   (max(at, 0), str(exc)), step)


def _source_text(derivation):
    path = derivation.source
    if not path or not path.endswith((".md", ".tex", ".markdown", ".txt")):
        return None
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def _raise(derivation, source, what, text, problem, step):
    at, message = problem
    file = derivation.source or derivation.id
    line = column = None
    if step is not None and step.origin and text == step.tex:
        _, line, column = step.origin
        line, column = _advance(text, at, line, column)
    elif source is not None:
        found = source.find(text)
        if found < 0:                     # joined lines: find the line with the problem
            lines = text[:at].split("\n")
            found = source.find(text[at - len(lines[-1]):].split("\n")[0])
            at = len(lines[-1])
        if found >= 0:
            line, column = _advance(source, found + at, 1, 1, start=0)
    if line is None:
        raise InputError(f"{what}: {message}", file)
    raise InputError(message, file, line, column)


def _advance(text, at, line, column, start=0):
    """The line and column ``at`` characters into ``text``, which starts at (line, column)."""
    before = text[start:at]
    newlines = before.count("\n")
    if newlines:
        return line + newlines, at - before.rfind("\n")
    return line, column + len(before)
