"""Strings that remember where each character came from, for file:line:col errors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError


@dataclass(frozen=True)
class Text:
    """A piece of the file: its characters and the (line, column) of each one."""

    s: str
    pos: tuple            # one (line, col) per character, 1-based
    end: tuple = (0, 0)   # where an empty tail points (just after the text)

    @classmethod
    def at(cls, s: str, line: int, col: int) -> "Text":
        return cls(s, tuple((line, col + i) for i in range(len(s))), (line, col + len(s)))

    def __len__(self):
        return len(self.s)

    def __getitem__(self, key) -> "Text":
        if not isinstance(key, slice):
            key = slice(key, key + 1)
        start, stop, _ = key.indices(len(self.s))
        end = self.pos[stop] if stop < len(self.pos) else self.end
        return Text(self.s[start:stop], self.pos[start:stop], end)

    def where(self, i: int = 0) -> tuple:
        if 0 <= i < len(self.pos):
            return self.pos[i]
        return self.end if i >= len(self.pos) or not self.pos else self.pos[0]

    def strip(self) -> "Text":
        n = len(self.s)
        a = n - len(self.s.lstrip())
        b = len(self.s.rstrip())
        return self[a:b] if a < b else self[a:a]

    def join(self, other: "Text", sep: str = " ") -> "Text":
        """``self + sep + other``; the separator points at the end of ``self``."""
        if not self.s:
            return other
        return Text(self.s + sep + other.s, self.pos + (self.end,) * len(sep) + other.pos, other.end)

    def find(self, sub: str, start: int = 0) -> int:
        return self.s.find(sub, start)


_BREAK = re.compile(r"\r\n|\r|\n")


def lines(source: str) -> list:
    """The lines of a file as an editor numbers them: only \\n, \\r\\n and \\r end a line
    (str.splitlines also breaks at \\f, \\x85, U+2028…, which would shift every line
    number after one of them)."""
    out = _BREAK.split(source)
    return out[:-1] if out and out[-1] == "" else out


class Where:
    """Raises InputError for one file."""

    def __init__(self, file: str):
        self.file = file

    def error(self, message: str, text: Text | None = None, i: int = 0):
        """An InputError at character ``i`` of ``text``, quoting it when short enough."""
        line, col = text.where(i) if text is not None else (None, None)
        message = " ".join(message.split())        # one line, whatever the input held
        raise InputError(message, self.file, line, col)


def decoded(raw: bytes, path) -> str:
    """``raw`` as UTF-8 text (a byte-order mark is not content); an InputError at the line
    and column of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[start:exc.start].decode("utf-8-sig", errors="replace")) + 1
        raise InputError("the file is not UTF-8 text", str(path),
                         raw[:exc.start].count(b"\n") + 1, column) from None


def group_end(s: str, k: int):
    """The offset just after the {…} group that opens at ``k``; None when ``s[k]`` is not
    ``{`` or the group never closes (a backslash escapes the character after it)."""
    if k >= len(s) or s[k] != "{":
        return None
    depth, i = 0, k
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def quote(s: str, limit: int = 60) -> str:
    """A short, one-line quotation of some LaTeX for an error message."""
    s = " ".join(s.split())
    s = s if len(s) <= limit else s[:limit - 1] + "…"
    return f"'{s}'" if "`" in s else f"`{s}`"
