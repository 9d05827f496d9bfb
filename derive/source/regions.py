"""A document's layout: headings, display and inline math, comments, macro definitions, \\input.

One pass over the characters, LaTeX or Markdown, never running TeX. Each region
keeps its place in the file (a positioned Text), so everything read from it
reports file:line:col.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .macros import read_definition
from .text import Text, group_end

DISPLAY_ENVS = ("equation", "equation*", "align", "align*", "gather", "gather*", "multline",
                "multline*", "flalign", "flalign*", "alignat", "alignat*", "eqnarray",
                "eqnarray*", "displaymath", "dmath", "dmath*")
SKIPPED_ENVS = ("verbatim", "verbatim*", "Verbatim", "lstlisting", "minted", "comment",
                "tikzpicture", "filecontents", "filecontents*")
SECTIONS = {"part": 0, "chapter": 0, "section": 1, "subsection": 2, "subsubsection": 3}
BEGIN = re.compile(r"\\begin\s*\{([A-Za-z]+\*?)\}")
CONTROL = re.compile(r"\\([A-Za-z]+)(\*?)")
MD_HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
FENCE = re.compile(r"(`{3,}|~{3,})")


@dataclass(frozen=True)
class Region:
    """kind: heading, display, inline, comment, macro, input or error; ``text`` is the
    content (a display's math, a heading's title, a comment after '%', a file name)."""

    kind: str
    text: Text
    env: str = ""                  # display: $$, \[, align*, …
    level: int = 0                 # heading: 1 for \section and ##
    before: str = ""               # inline: the prose just before it (for "Let $u = …$")
    macro: object = None
    numbered: bool = True          # heading: \section* is not numbered


@dataclass
class Source:
    """A file's text with a table of line starts, to make positioned Texts of any slice."""

    s: str
    starts: list = field(default_factory=list)

    def __post_init__(self):
        self.starts = [0] + [m.end() for m in re.finditer("\n", self.s)]

    def where(self, i: int) -> tuple:
        line = bisect.bisect_right(self.starts, i) - 1
        return line + 1, i - self.starts[line] + 1

    def text(self, a: int, b: int) -> Text:
        pos = tuple(self.where(i) for i in range(a, b))
        return Text(self.s[a:b], pos, self.where(b))

    def offset(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col - 1


def scan(source: Source, markdown: bool):
    """The regions of a document in order; a math region never closed is an error region."""
    s, n, i = source.s, len(source.s), 0
    out = []
    line_start = True
    while i < n:
        c = s[i]
        if markdown and line_start:
            j = _md_line(source, i, out)
            if j is not None:
                i, line_start = j, True
                continue
        line_start = c == "\n"
        if c == "\\":
            i = _control(source, i, out, markdown)
            continue
        if c == "%" and not markdown:
            end = _line_end(s, i)
            out.append(Region("comment", source.text(i + 1, end)))
            i = end
            continue
        if c == "$":
            i = _dollar(source, i, out)
            continue
        if markdown and c == "`":
            m = re.match(r"`+", s[i:])
            close = s.find(m.group(0), i + len(m.group(0)))
            i = close + len(m.group(0)) if close >= 0 else i + len(m.group(0))
            continue
        if markdown and s.startswith("<!--", i):
            close = s.find("-->", i + 4)
            end = close if close >= 0 else n
            out.append(Region("comment", source.text(i + 4, end)))
            i = end + 3 if close >= 0 else n
            continue
        i += 1
    return out


def _md_line(source: Source, i: int, out: list):
    """Markdown's line-level constructs: headings, code fences, `% derive:` lines."""
    s = source.s
    end = _line_end(s, i)
    line = s[i:end]
    stripped = line.lstrip()
    fence = FENCE.match(stripped)
    if fence:
        close = s.find("\n" + stripped[:3], end)
        return _line_end(s, close + 1) if close >= 0 else len(s)
    m = MD_HEADING.match(line)
    if m:
        level = len(m.group(1))
        out.append(Region("heading", source.text(i + m.start(2), i + m.end(2)), level=level))
        return end
    if stripped.startswith("%"):
        at = i + len(line) - len(stripped)
        out.append(Region("comment", source.text(at + 1, end)))
        return end
    return None


def _line_end(s: str, i: int) -> int:
    end = s.find("\n", i)
    return len(s) if end < 0 else end


def _control(source: Source, i: int, out: list, markdown: bool) -> int:
    s = source.s
    nxt = s[i + 1:i + 2]
    if nxt == "[":
        return _math(source, i, 2, "\\]", "display", "\\[", out)
    if nxt == "(":
        return _math(source, i, 2, "\\)", "inline", "\\(", out)
    m = CONTROL.match(s, i)
    if not m:
        return i + 2
    word = m.group(1)
    if word == "begin":
        b = BEGIN.match(s, i)
        if not b:
            return m.end()
        env = b.group(1)
        if env in DISPLAY_ENVS:
            return _math(source, i, b.end() - i, "\\end{%s}" % env, "display", env, out,
                         closer_re=re.compile(r"\\end\s*\{%s\}" % re.escape(env)))
        if env in SKIPPED_ENVS:
            close = re.compile(r"\\end\s*\{%s\}" % re.escape(env)).search(s, b.end())
            return close.end() if close else len(s)
        return b.end()
    if markdown:
        return m.end()
    if word in SECTIONS or word == "title":
        return _heading(source, m, out)
    if word in ("input", "include", "subfile"):
        return _input(source, m.end(), out, i)
    if word == "verb":
        delim = s[m.end():m.end() + 1]
        close = s.find(delim, m.end() + 1) if delim else -1
        return close + 1 if close >= 0 else m.end()
    got = read_definition(s, i)
    if got is not None:
        macro, end = got
        out.append(Region("macro", source.text(i, max(end, m.end())), macro=macro))
        return max(end, m.end())
    return m.end()


def _heading(source: Source, m, out: list) -> int:
    s, k = source.s, m.end()
    while k < len(s) and s[k] in " \t":
        k += 1
    if k < len(s) and s[k] == "[":
        close = s.find("]", k)
        k = close + 1 if close >= 0 else k + 1
    end = group_end(s, k)
    if end is None:
        return m.end()
    if m.group(1) == "title":
        out.append(Region("title", source.text(k + 1, end - 1)))
    else:
        out.append(Region("heading", source.text(k + 1, end - 1), level=SECTIONS[m.group(1)],
                          numbered=not m.group(2)))
    return end


def _input(source: Source, k: int, out: list, at: int) -> int:
    s = source.s
    j = k
    while j < len(s) and s[j] in " \t":
        j += 1
    if j < len(s) and s[j] == "{":
        end = group_end(s, j)
        if end is None:
            return k
        out.append(Region("input", source.text(j + 1, end - 1)))
        return end
    m = re.compile(r"[\w./-]+").match(s, j)
    if not m:
        return k
    out.append(Region("input", source.text(m.start(), m.end())))
    return m.end()


def _dollar(source: Source, i: int, out: list) -> int:
    s = source.s
    if s.startswith("$$", i):
        return _math(source, i, 2, "$$", "display", "$$", out)
    # Inline math never spans a paragraph: a lone '$' before a blank line is a dollar.
    close = _find_closer(s, i + 1, "$")
    blank = s.find("\n\n", i + 1)
    if close < 0 or (0 <= blank < close):
        return i + 1
    out.append(Region("inline", source.text(i + 1, close), before=_before(s, i)))
    return close + 1


def _before(s: str, i: int) -> str:
    start = max(s.rfind("\n\n", 0, i), i - 80, 0)
    return s[start:i]


def _math(source, i, skip, closer, kind, env, out, closer_re=None) -> int:
    s = source.s
    if closer_re is not None:
        m = closer_re.search(s, i + skip)
        close, close_end = (m.start(), m.end()) if m else (-1, -1)
    else:
        close = _find_closer(s, i + skip, closer)
        close_end = close + len(closer)
    if close < 0:
        out.append(Region("error", source.text(i, i + skip),
                          env=f"this {env} is never closed: expected {closer}"))
        return i + skip
    text = source.text(i + skip, close)
    if kind == "inline":
        out.append(Region("inline", text, env=env, before=_before(s, i)))
    else:
        out.append(Region("display", text, env=env))
    return close_end


def _find_closer(s: str, k: int, closer: str) -> int:
    """The offset of ``closer`` after k, skipping escaped characters and % comments."""
    while k < len(s):
        c = s[k]
        if s.startswith(closer, k):
            return k
        if c == "\\":
            k += 2
            continue
        if c == "%" and closer != "$":
            nl = s.find("\n", k)
            k = len(s) if nl < 0 else nl
            continue
        k += 1
    return -1
