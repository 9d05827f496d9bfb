"""A display's rows: split at \\\\, with their comments, hints, conditions and tags removed.

What stands beside a row is not math: a ``% comment``, a trailing ``\\text{…}`` or an
``&& \\text{…}`` column is its hint; ``\\text{for } x > 0`` (or ``, x > 0``) its
conditions; ``\\label``, ``\\tag``, ``\\nonumber``, ``\\intertext`` and the punctuation
that ends a sentence are dropped, each blanked in place so columns stay true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from .scanning import INNER, _blank, _strip_punctuation, _text_groups, _top_commas, _without_text
from .text import Text, Where, group_end

DROPPED = re.compile(r"\\(label|hspace\*?|vspace\*?|phantom|hphantom|vphantom|noalign)\s*\{"
                     r"|\\(nonumber|notag|allowbreak|displaybreak|qquad|quad)\b"
                     r"|\\begin\s*\{(aligned|split|gathered|alignedat|multlined)\}(\{\d+\})?"
                     r"|\\end\s*\{(aligned|split|gathered|alignedat|multlined)\}")
TAG = re.compile(r"\\tag\*?\s*\{")
INTERTEXT = re.compile(r"\\(intertext|shortintertext)\s*\{")
CONDITION_WORDS = ("for all", "for", "if", "when", "whenever", "where", "provided", "assuming")
# A reason, not a condition: "since λ > 0" cites what is already assumed.
REASON_WORDS = ("since", "because", "as", "by", "using", "from", "via", "from the")


@dataclass
class Row:
    """A row's math, and what stood beside it."""

    body: Text
    hints: list = field(default_factory=list)
    conditions: list = field(default_factory=list)
    label: str = ""


def read_rows(content: Text, where: Where):
    """(rows, \\intertext texts, errors) of one display's math."""
    rows, prose, errors, comments = [], [], [], []
    for row in _rows(_strip_comments(content, comments), prose):
        try:
            rows.extend(_annotate(row, where))
        except InputError as exc:
            errors.append(exc)
    for line, hint in comments:
        _attach_comment(rows, line, hint)
    return rows, prose, errors


# -- comments and rows --------------------------------------------------------------

def _strip_comments(content: Text, sink: list) -> Text:
    """The math with %-comments blanked; each comment goes to ``sink`` as (line, text)."""
    s = content.s
    out = list(s)
    i = 0
    while i < len(s):
        if s[i] == "\\":
            i += 2
            continue
        if s[i] == "%":
            end = s.find("\n", i)
            end = len(s) if end < 0 else end
            comment = content[i + 1:end].strip()
            if comment.s and not comment.s.startswith("%"):
                sink.append((content.where(i)[0], comment))
            for k in range(i, end):
                out[k] = " "
            i = end
            continue
        i += 1
    return Text("".join(out), content.pos, content.end)


def _attach_comment(rows: list, line: int, hint: Text):
    """A comment belongs to the row on its line, else to the row above it."""
    best = None
    for row in rows:
        if row.body.s.strip() and row.body.strip().where(0)[0] <= line:
            best = row
    if best is not None:
        best.hints.append(hint)


def _rows(content: Text, prose: list) -> list:
    """Rows between top-level \\\\ (and around \\intertext); each with its \\tag."""
    s = content.s
    pieces, start, depth, i = [], 0, 0, 0
    while i < len(s):
        m = INNER.match(s, i)
        if m:
            depth += 1 if m.group(1) == "begin" else -1
            i = m.end()
            continue
        m = INTERTEXT.match(s, i)
        if m and depth == 0:
            end = group_end(s, m.end() - 1) or len(s)
            pieces.append(content[start:i])
            prose.append(content[m.end():end - 1])
            start = i = end
            continue
        if s.startswith("\\\\", i) and depth == 0:
            pieces.append(content[start:i])
            i += 2
            if s[i:i + 1] == "*":
                i += 1
            m = re.match(r"\s*\[[^\]]*\]", s[i:])
            if m:
                i += m.end()
            start = i
            continue
        if s[i] == "\\":
            i += 2
            continue
        i += 1
    pieces.append(content[start:])
    return pieces


# -- one row: its body, its hint, its conditions -------------------------------------

def _annotate(row: Text, where: Where) -> list:
    """The rows one line of math holds: align's column pairs (``a &= b & c &= d``) are
    rows of their own; a pair whose left cell is empty (after ``&&``) is an annotation."""
    label = ""
    for regex in (TAG, DROPPED):
        for m in reversed(list(regex.finditer(row.s))):
            end = m.end()
            if m.group(0).endswith("{"):
                end = group_end(row.s, m.end() - 1) or len(row.s)
                if regex is TAG:
                    label = row.s[m.end():end - 1].strip()
            row = _blank(row, m.start(), end)
    cells = _cells(row.s)
    out = []
    for k in range(0, len(cells), 2):
        a, b = cells[k][0], cells[k + 1][1] if k + 1 < len(cells) else cells[k][1]
        # Only the '&' between this pair's cells is alignment; those inside cases stay.
        joint = cells[k][1] - a if k + 1 < len(cells) else None
        s_col = row.s[a:b]
        if joint is not None:
            s_col = s_col[:joint] + " " + s_col[joint + 1:]
        column = Text(s_col, row.pos[a:b], row.where(b))
        left_empty = not row.s[cells[k][0]:cells[k][1]].strip()
        if out and left_empty:
            _tail(out[-1], column.strip(), where)
            continue
        if not column.s.strip():
            continue
        for piece in _equations(column):
            here = Row(piece, label=label if not out else "")
            piece = _text_tail(here, piece, where)
            piece = _comma_tail(here, piece, where)
            here.body = _strip_punctuation(piece)
            out.append(here)
    if not out:
        out.append(Row(Text(" " * len(row.s), row.pos, row.end), label=label))
    return out


def _cells(s: str) -> list:
    """(start, end) of the cells between top-level '&' (not inside braces or cases)."""
    out, start, depth, i = [], 0, 0, 0
    while i < len(s):
        m = INNER.match(s, i)
        if m:
            depth += 1 if m.group(1) == "begin" else -1
            i = m.end()
            continue
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "&" and depth == 0:
            out.append((start, i))
            start = i + 1
        i += 1
    out.append((start, len(s)))
    return out


def _condition_word(s: str, words=CONDITION_WORDS):
    low = s.strip().lower()
    for word in words:
        if low == word or low.startswith(word + " ") or low.startswith(word + "$"):
            return word
    return None


FORALL = re.compile(r"\\forall(?![A-Za-z])")
# A relation in parentheses after a space (\\qquad is blanked to spaces by now) ends a step
# with its condition: a relation is never a factor.
PAREN_TAIL = re.compile(r"(?:\\(?:q?quad|[,;:])|\s{2,})\s*\(([^()]*)\)\s*[.,;]?\s*$")
RELATION_MARK = re.compile(r"[<>=]|\\(le|ge|leq|geq|leqslant|geqslant|ne|neq|lt|gt|in)(?![A-Za-z])")


def _text_tail(out: Row, row: Text, where: Where) -> Text:
    """A \\text{…} that ends the row is a hint; \\text{for } x > 0 starts conditions, and
    so does \\forall (\\forall x \\in \\mathbb{R}, \\forall x > 0)."""
    s = row.s
    m = PAREN_TAIL.search(s)
    if m and RELATION_MARK.search(m.group(1)):        # \qquad (u > 0)
        inner = row[m.start(1):m.end(1)]
        _conditions(out, "for", inner[:0], inner, where)
        return _blank(row, m.start(), len(s))
    m = FORALL.search(s)
    if m:
        rest = row[m.end():]
        if RELATION_MARK.search(rest.s):         # \forall x alone says nothing more
            _conditions(out, "for", rest[:0], rest, where)
        return _blank(row, m.start(), len(s))
    for start, inner, end in _text_groups(s):
        content = row[inner:end - 1]
        word = _condition_word(content.s)
        rest = _without_text(s[end:])
        if _condition_word(content.s, REASON_WORDS):
            out.hints.append(row[start:].strip())
            return _blank(row, start, len(s))
        if word is not None:
            _conditions(out, word, content, row[end:], where)
            return _blank(row, start, len(s))
        if not rest.strip(" \t\n.,;:()[]~\\"):
            out.hints.append(row[start:].strip())
            return _blank(row, start, len(s))
    return row


def _tail(out: Row, tail: Text, where: Where):
    """The column after &&: a hint, or conditions."""
    groups = _text_groups(tail.s)
    if groups:
        start, inner, end = groups[0]
        word = _condition_word(tail.s[inner:end - 1])
        if _condition_word(tail.s[inner:end - 1], REASON_WORDS):
            out.hints.append(tail.strip())
            return
        if word is not None:
            _conditions(out, word, tail[inner:end - 1], tail[end:], where)
            return
        if not _without_text(tail.s[end:]).strip(" \t\n.,;:()"):
            out.hints.append(tail.strip())
            return
    if tail.s.strip(" \t\n.,;:()"):
        bare = tail.s.strip(" \t\n.,;:")
        if bare.startswith("(") and bare.endswith(")") and "(" not in bare[1:-1] \
                and RELATION_MARK.search(bare):          # && (z \ge 0)
            at = tail.s.index("(") + 1
            tail = tail[at:at + len(bare) - 2]
        out.conditions.append(("", tail))


def _conditions(out: Row, word: str, text_part: Text, math: Text, where: Where):
    """Conditions from '\\text{for } x > 0' or '\\text{for $x > 0$}', '\\text{and}' joined."""
    inside = [m for m in re.finditer(r"\$([^$]*)\$", text_part.s)]
    pieces = [text_part[m.start(1):m.end(1)] for m in inside]
    words = re.sub(r"\$[^$]*\$", " ", text_part.s)
    s = math.s
    ors = [m for m in re.finditer(r"\\text\{\s*or\s*\}|\\l?or(?![A-Za-z])|\\vee(?![A-Za-z])", s)]
    if re.search(r"\bor\b", words, re.I) or ors:
        # Read as "and", "x > 1 or x > 0" proved |x − 1| = x − 1 at x = 1/2.
        at = (text_part, text_part.s.lower().find("or")) if re.search(r"\bor\b", words, re.I) \
            else (math, ors[0].start())
        where.error("a condition joined by 'or' is not supported: each step holds under "
                    "all of its conditions; split it into one step per case", at[0], max(at[1], 0))
    for start, inner, end in reversed(_text_groups(s)):
        word_inside = s[inner:end - 1].strip().lower()
        if word_inside in ("and", ","):
            math = _blank(math, start, end)
            math = Text(math.s[:start] + "," + math.s[start + 1:], math.pos, math.end)
            s = math.s
    if math.s.strip(" \t\n.,;"):
        pieces.append(_strip_punctuation(math))
    for p in pieces:
        out.conditions.append((word, p))


EQUATION = re.compile(r"(?<![\\<>!:])=(?!:)")


def _equations(row: Text) -> list:
    """`A = M, \\qquad \\det M = 12`: equations after a top-level comma are rows of their own
    (two facts stated side by side), when the part before the comma is one as well."""
    out, start = [], 0
    for at in _top_commas(row.s):
        if EQUATION.search(row.s[start:at]) and EQUATION.search(row.s[at + 1:]) and \
                not re.search(r"\\text\s*\{", row.s[start:at]):
            out.append(_blank(_blank(row, at, len(row.s)), 0, start))
            start = at + 1
    if not out:
        return [row]
    out.append(_blank(row, 0, start))
    return out


def _comma_tail(out: Row, row: Text, where: Where) -> Text:
    """`a = b, \\quad x > 0`: an inequality after a top-level comma is a condition."""
    s = row.s
    commas = _top_commas(s)
    at = commas[-1] if commas else None
    if at is None:
        return row
    tail = row[at + 1:]
    if re.search(r"(?<![\\a-z])([<>]|\\(le|ge|leq|geq|ne|neq|lt|gt)\b)", tail.s) and \
            not re.search(r"(?<![\\<>!])=", tail.s):
        out.conditions.append(("", _strip_punctuation(tail)))
        return _blank(row, at, len(s))
    return row


