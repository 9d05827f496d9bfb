"""Scanning a row's LaTeX: {…} and \\text{…} groups, environments, top-level commas, and
blanking what was read so that columns stay true."""

from __future__ import annotations

import re

from .text import Text, group_end

TEXT_COMMANDS = ("text", "textrm", "textnormal", "mbox", "textit", "textbf", "textsf", "textup",
                 "hbox", "emph")
TEXT_GROUP = re.compile(r"\\(%s)\s*\{" % "|".join(TEXT_COMMANDS))
INNER = re.compile(r"\\(begin|end)\s*\{(cases|dcases|array|matrix|pmatrix|bmatrix|vmatrix|"
                   r"Bmatrix|smallmatrix|subarray)\*?\}")


def _blank(text: Text, a: int, b: int) -> Text:
    return Text(text.s[:a] + " " * (b - a) + text.s[b:], text.pos, text.end)


def _text_groups(s: str):
    """(start, content start, end) of every top-level \\text{…} group (not one inside a
    cases or matrix environment: \\text{if } there is the piece's, not the step's)."""
    depth, env, i, out = 0, 0, 0, []
    while i < len(s):
        inner = INNER.match(s, i)
        if inner:
            env += 1 if inner.group(1) == "begin" else -1
            i = inner.end()
            continue
        m = TEXT_GROUP.match(s, i)
        if m and depth == 0 and env == 0:
            end = group_end(s, m.end() - 1) or len(s)
            out.append((i, m.end(), end))
            i = end
            continue
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    return out


def _without_text(s: str) -> str:
    for start, _, end in reversed(_text_groups(s)):
        s = s[:start] + s[end:]
    return re.sub(r"\\(quad|qquad|,|;|:|!| )", "", s)


def _top_commas(s: str) -> list:
    """Offsets of the commas outside brackets and environments."""
    depth, i, out = 0, 0, []
    while i < len(s):
        m = INNER.match(s, i)
        if m:
            depth += 1 if m.group(1) == "begin" else -1
            i = m.end()
            continue
        c = s[i]
        if c == "\\":
            # ⟨x, y⟩ and ‖·‖ written as commands bracket their commas too.
            m = ANGLES.match(s, i)
            if m:
                depth += 1 if m.group(1) == "l" else -1
                i = m.end()
                continue
            i += 2
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(i)
        i += 1
    return out


ANGLES = re.compile(r"\\([lr])(?:angle|Vert|vert)(?![A-Za-z])")


def _strip_punctuation(text: Text) -> Text:
    """A sentence's final '.', ',' or ';' (also after \\, or as \\text{.}) is not math."""
    s = text.s
    end = len(s.rstrip())
    m = re.search(r"\\text\s*\{\s*[.,;]\s*\}$", s[:end])
    if m:
        end = len(s[:m.start()].rstrip())
    elif end and s[end - 1] in ".,;" and not s[:end - 1].endswith("\\"):
        end = len(s[:end - 1].rstrip())
    while end >= 2 and s[end - 2] == "\\" and s[end - 1] in ",;:! ":
        end = len(s[:end - 2].rstrip())
    return _blank(text, end, len(s)) if end < len(s) else text
