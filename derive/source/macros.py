"""The author's \\newcommand and \\DeclareMathOperator, expanded in math without running TeX.

Only simple macros are expanded: at most ``MAX_ARGS`` mandatory arguments, no
optional one, no recursion. A refused macro is an error where it is *used*
(one that is defined but never used in math costs nothing). Expanded text
points at the use, so an error inside an expansion is reported there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import Text, group_end

MAX_ARGS = 3
MAX_DEPTH = 16               # nested expansions; deeper means a macro expands into itself
MAX_LENGTH = 20000           # characters an expansion may grow to (\a → \b\b, \b → \c\c, …)
DEFINERS = ("newcommand", "renewcommand", "providecommand", "DeclareMathOperator", "def")
TRANSPARENT = ("ensuremath", "mathrel", "mathbin", "mathord")
CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")


class MacroError(ValueError):
    """A macro that cannot be expanded here; ``where`` is the (line, column) of its use."""

    def __init__(self, message: str, where: tuple):
        super().__init__(message)
        self.where = where


@dataclass(frozen=True)
class Macro:
    name: str                # without the backslash
    params: int = 0
    body: str = ""
    refused: str = ""        # why it is not expanded ("" when it is)


def read_definition(s: str, i: int):
    """(Macro, end offset) for a definition starting at ``s[i] == '\\\\'``, or None when
    none starts there. Malformed definitions give a refused Macro when the name can
    be read, so their use is reported, not their definition."""
    m = CONTROL_WORD.match(s, i)
    if not m or m.group(1) not in DEFINERS:
        return None
    cmd, k = m.group(1), m.end()
    if k < len(s) and s[k] == "*":
        k += 1
    k = _skip_spaces(s, k)
    if cmd == "def":
        return _read_def(s, k)
    name, k = _read_name(s, k)
    if name is None:
        return None
    if cmd == "DeclareMathOperator":
        body, k2 = _group(s, _skip_spaces(s, k))
        if body is None:
            return Macro(name, refused="its definition could not be read"), k
        return Macro(name, 0, "\\operatorname{%s}" % body.strip()), k2
    k = _skip_spaces(s, k)
    params = 0
    if k < len(s) and s[k] == "[":
        end = s.find("]", k)
        if end < 0 or not s[k + 1:end].strip().isdigit():
            return Macro(name, refused="its definition could not be read"), k
        params = int(s[k + 1:end])
        k = _skip_spaces(s, end + 1)
        if k < len(s) and s[k] == "[":
            _, end = _group(s, _skip_spaces(s, _bracket_end(s, k)))
            return Macro(name, params, refused="it has an optional argument; write the "
                                               "expansion out or drop the optional argument"), end
    body, k2 = _group(s, k)
    if body is None:
        return Macro(name, refused="its definition could not be read"), k
    if params > MAX_ARGS:
        return Macro(name, params, body, refused=f"it takes {params} arguments; derive expands "
                                                 f"macros of at most {MAX_ARGS}"), k2
    return Macro(name, params, body), k2


def _read_def(s: str, k: int):
    m = CONTROL_WORD.match(s, k)
    if not m:
        return None
    name, k = m.group(1), m.end()
    j = s.find("{", k)
    if j < 0:
        return Macro(name, refused="its definition could not be read"), k
    pattern = s[k:j]
    body, k2 = _group(s, j)
    if body is None:
        return Macro(name, refused="its definition could not be read"), k
    if pattern.strip():
        return Macro(name, refused="it is a \\def with parameters; use \\newcommand"), k2
    return Macro(name, 0, body), k2


def _read_name(s: str, k: int):
    """The macro name as \\name or {\\name}."""
    if k < len(s) and s[k] == "{":
        body, end = _group(s, k)
        if body is None:
            return None, k
        m = CONTROL_WORD.fullmatch(body.strip())
        return (m.group(1), end) if m else (None, k)
    m = CONTROL_WORD.match(s, k)
    return (m.group(1), m.end()) if m else (None, k)


def _skip_spaces(s: str, k: int) -> int:
    while k < len(s) and s[k] in " \t\n":
        k += 1
    return k


def _group(s: str, k: int):
    """(content, end) of the balanced {…} at k, or (None, k)."""
    end = group_end(s, k)
    return (None, k) if end is None else (s[k + 1:end - 1], end)


def _bracket_end(s: str, k: int) -> int:
    depth, i = 0, k
    while i < len(s):
        if s[i] == "[":
            depth += 1
        elif s[i] == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(s)


class Macros:
    """The macros defined so far in a document, in the order they were defined."""

    def __init__(self):
        # Wrappers that change spacing or mode, never meaning, unwrap like macros.
        self.table: dict = {name: Macro(name, 1, "#1") for name in TRANSPARENT}

    def define(self, macro: Macro):
        self.table[macro.name] = macro

    def expand(self, text: Text) -> Text:
        """``text`` with every use of a known macro expanded; MacroError otherwise."""
        if not self.table or "\\" not in text.s:
            return text
        return self._expand(text, 0)

    def _expand(self, text: Text, depth: int) -> Text:
        s, out, last, i = text.s, [], 0, 0
        changed = False
        while i < len(s):
            if s[i] != "\\":
                i += 1
                continue
            m = CONTROL_WORD.match(s, i)
            if not m:
                i += 2
                continue
            macro = self.table.get(m.group(1))
            if macro is None:
                i = m.end()
                continue
            if macro.refused:
                raise MacroError(f"the macro \\{macro.name} is not expanded: {macro.refused}", text.where(i))
            if depth >= MAX_DEPTH:
                raise MacroError(f"the macro \\{macro.name} expands into itself (a recursive "
                                 "definition): derive cannot expand it", text.where(i))
            args, end = self._arguments(text, m.end(), macro, i)
            body = _substitute(macro.body, args, text.where(i))
            out.append(text[last:i])
            out.append(self._expand(body, depth + 1))
            last = i = end
            changed = True
            if sum(len(p) for p in out) > MAX_LENGTH:
                raise MacroError(f"expanding \\{macro.name} makes the math longer than "
                                 f"{MAX_LENGTH} characters", text.where(i))
        if not changed:
            return text
        out.append(text[last:])
        result = out[0]
        for piece in out[1:]:
            result = _concat(result, piece)
        return result

    def _arguments(self, text: Text, k: int, macro: Macro, at: int):
        s, args = text.s, []
        for n in range(macro.params):
            k = _skip_spaces(s, k)
            if k >= len(s):
                raise MacroError(f"\\{macro.name} needs {macro.params} argument(s), found {n}",
                                 text.where(at))
            if s[k] == "{":
                content, end = _group(s, k)
                if content is None:
                    raise MacroError(f"an argument of \\{macro.name} is never closed", text.where(k))
                args.append(text[k + 1:end - 1])
                k = end
            elif s[k] == "\\":
                m = CONTROL_WORD.match(s, k)
                end = m.end() if m else k + 2
                args.append(text[k:end])
                k = end
            else:
                args.append(text[k:k + 1])
                k += 1
        return args, k


def _substitute(body: str, args: list, at: tuple) -> Text:
    """The body with #1…#n replaced by the arguments (which keep their own positions)."""
    pieces, i, start = [], 0, 0
    while i < len(body):
        if body[i] == "#" and i + 1 < len(body) and body[i + 1].isdigit():
            n = int(body[i + 1])
            pieces.append(Text.at(body[start:i], *at))
            if 1 <= n <= len(args):
                # As TeX does: no braces added (\sq{a+b} with #1^2 is a+b^2 on paper too).
                pieces.append(args[n - 1])
            i += 2
            start = i
            continue
        i += 1
    pieces.append(Text.at(body[start:], *at))
    out = Text.at("", *at)
    for p in pieces:
        out = _concat(out, p)
    return out


def _concat(a: Text, b: Text) -> Text:
    return Text(a.s + b.s, a.pos + b.pos, b.end if b.s or not a.s else a.end)
