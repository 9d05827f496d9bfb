"""Prose with $math$: a small Markdown subset turned into safe LaTeX."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .model import Derivation
from .texmath import ALLOWED, ENVIRONMENTS, MACROS, SYMBOLS, MathError, check_math  # noqa: F401

# Characters a backslash turns into themselves, as in CommonMark.
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def expand_macros(src: str) -> str:
    """Replace the notation macros by their definitions (for Markdown output)."""
    pattern = re.compile(r"\\(%s)(?![A-Za-z])" % "|".join(MACROS))
    out, pos = [], 0
    while m := pattern.search(src, pos):
        out.append(src[pos:m.start()])
        count, body = MACROS[m.group(1)]
        at, args = m.end(), []
        for _ in range(count):
            arg, used = _group(src[at:])
            if arg is None:
                break
            args.append(expand_macros(arg))
            at += used
        if len(args) < count:
            out.append(m.group(0))
            pos = m.end()
            continue
        for k, arg in enumerate(args, start=1):
            body = body.replace(f"#{k}", arg)
        out.append(body)
        pos = at
    out.append(src[pos:])
    return "".join(out)


def _group(text: str):
    """The first {…} group of ``text`` (after spaces): (contents, characters used)."""
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return None, 0
    depth = 0
    for i, ch in enumerate(stripped):
        depth += (ch == "{") - (ch == "}")
        if depth == 0:
            return stripped[1:i], len(text) - len(stripped) + i + 1
    return None, 0


def macro_definitions() -> list:
    """``\\newcommand`` lines for the preamble."""
    out = []
    for name, (count, body) in MACROS.items():
        args = f"[{count}]" if count else ""
        out.append(f"\\newcommand{{\\{name}}}{args}{{{body}}}")
    return out


@lru_cache(maxsize=1)
def _encoder():
    import logging
    from pylatexenc.latexencode import UnicodeToLatexEncoder
    # A character it has no spelling for becomes "?" (and check refuses it in an author's
    # text): said once on stderr per character of a successful run is noise.
    logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)
    return UnicodeToLatexEncoder(replacement_latex_protection="braces-all",
                                 unknown_char_policy="replace")


# Where our notation differs from pylatexenc's choice (ℒ is \mathcal, not \mathscr).
_TEXT_TEX = {"ℒ": r"{\ensuremath{\mathcal{L}}}"}


def anchor(text: str) -> str:
    """A label TeX accepts verbatim (\\label, \\ref, hyperref): letters, digits, : . - only."""
    return re.sub(r"[^A-Za-z0-9:.\-]", "-", text)


def escape(text: str) -> str:
    """Plain text to LaTeX: every special character appears literally."""
    encode = _encoder().unicode_to_latex
    pieces = re.split("(%s)" % "|".join(map(re.escape, _TEXT_TEX)), text)
    return "".join(_TEXT_TEX.get(p) or encode(p) for p in pieces if p)


# --------------------------------------------------------------------------- inline

def tokens(text: str):
    """Split a paragraph into (kind, content) with kind in text, math, display, bold,
    italic, code, ref (``\\eqref{q6:3}``, a step's number). A backslash before punctuation makes it literal (``\\$``, ``\\*``);
    a ``$`` that opens no math (no closing ``$``, or a space inside it) is literal too.
    """
    return [(kind, body) for kind, body, _, _ in _scan(text)]


def spans(text: str):
    """Like ``tokens``, with where each piece starts and ends in ``text``:
    [(kind, content, start, end)], so a caller can keep the source as written."""
    return _scan(text)


def map_math(text: str, fn, text_fn=None) -> str:
    """``text`` with every $…$ body replaced by ``fn(body)`` and, if given, every
    stretch of raw text outside math by ``text_fn(stretch)``."""
    keep = text_fn or (lambda raw: raw)
    out, pos = [], 0
    for kind, body, start, end in _scan(text):
        if kind in ("math", "display"):
            mark = "$$" if kind == "display" else "$"
            out.append(keep(text[pos:start]) + mark + fn(body) + mark)
            pos = end
        elif kind in ("bold", "italic"):
            mark = "**" if kind == "bold" else "*"
            out.append(keep(text[pos:start]) + mark + map_math(body, fn, text_fn) + mark)
            pos = end
    out.append(keep(text[pos:]))
    return "".join(out)


def _scan(text: str):
    out, buf, i, n = [], [], 0, len(text)
    span = [0]

    def flush():
        if buf:
            out.append(("text", "".join(buf), span[0], i))
            buf.clear()

    def emit(kind, body, end):
        flush()
        out.append((kind, body, i, end))
        span[0] = end

    while i < n:
        ch = text[i]
        if not buf:
            span[0] = i
        ref = _REF.match(text, i) if ch == "\\" else None
        if ref:
            emit("ref", ref.group(1), ref.end())
            i = ref.end()
            continue
        if ch == "\\" and i + 1 < n and text[i + 1] in _PUNCT:
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("$$", i):
            end = _closing(text, i + 2, "$$")
            if end > i + 2:
                emit("display", text[i + 2:end].strip(), end + 2)
                i = end + 2
                continue
        if ch == "$":
            end = _math_end(text, i)
            if end is not None:
                emit("math", text[i + 1:end], end + 1)
                i = end + 1
                continue
        if ch == "`":
            end = text.find("`", i + 1)
            if end > i + 1:
                emit("code", text[i + 1:end], end + 1)
                i = end + 1
                continue
        if text.startswith("**", i):
            end = _closing(text, i + 2, "**")
            if end > i + 2:
                emit("bold", text[i + 2:end], end + 2)
                i = end + 2
                continue
        if ch == "*" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != "*":
            end = _closing(text, i + 1, "*")
            if end > i + 1 and not text[end - 1].isspace():
                emit("italic", text[i + 1:end], end + 1)
                i = end + 1
                continue
        buf.append(ch)
        i += 1
    flush()
    return out


# The one command prose text may use: a citation of a step's number.
_REF = re.compile(r"\\eqref\{([A-Za-z0-9:_.\-]+)\}")


def _closing(text: str, start: int, mark: str) -> int:
    """Index of the next unescaped ``mark`` at or after ``start``, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(mark, i):
            return i
        i += 1
    return -1


def _math_end(text: str, start: int):
    """Where the $ opened at ``start`` closes: pandoc's rule, so "$5 and $6" is text."""
    if start + 1 >= len(text) or text[start + 1].isspace() or text[start + 1] == "$":
        return None
    end = _closing(text, start + 1, "$")
    if end < 0 or text[end - 1].isspace() or (end + 1 < len(text) and text[end + 1].isdigit()):
        return None
    return end


def inline_tex(text: str) -> str:
    """One paragraph's text: $math$, **bold**, *italic*, `code`, the rest escaped."""
    out = []
    for kind, body in tokens(text):
        if kind == "math":
            out.append("$" + check_math(body) + "$")
        elif kind == "display":
            out.append(r"\[ " + check_math(body) + r" \]")
        elif kind == "bold":
            out.append(r"\textbf{" + inline_tex(body) + "}")
        elif kind == "italic":
            out.append(r"\emph{" + inline_tex(body) + "}")
        elif kind == "code":
            out.append(r"\texttt{" + escape(body) + "}")
        elif kind == "ref":
            out.append(r"\eqref{" + anchor(body) + "}")
        else:
            out.append(escape(body))
    return "".join(out)


# --------------------------------------------------------------------------- blocks

_ITEM = re.compile(r"\s*(?:[-*]|(\d+)[.)]) ")
_HEADING = re.compile(r"(#{2,4}) +(.*)$")


def blocks(text: str):
    """Split prose into ("para", text), ("list", [items]), ("enum", [items]),
    ("heading", text) and ("math", tex) blocks."""
    out = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.rstrip() for ln in chunk.splitlines() if ln.strip()]
        while lines and _HEADING.match(lines[0]):
            out.append(("heading", _HEADING.match(lines[0]).group(2).strip()))
            lines = lines[1:]
        if not lines:
            continue
        joined = "\n".join(lines).strip()
        first = _ITEM.match(lines[0])
        if joined.startswith("$$") and joined.endswith("$$") and len(joined) > 4 \
                and "$$" not in joined[2:-2]:
            out.append(("math", joined[2:-2].strip()))
        elif first and all(_ITEM.match(ln) or ln.startswith("  ") for ln in lines):
            items = []
            for ln in lines:
                m = _ITEM.match(ln)
                if m:
                    items.append(ln[m.end():])
                else:
                    items[-1] += " " + ln.strip()
            out.append(("enum" if first.group(1) else "list", items))
        else:
            out.append(("para", " ".join(ln.strip() for ln in lines)))
    return out


def prose_tex(text: str) -> str:
    """Prose to LaTeX paragraphs; raises MathError for math that is not allowed."""
    parts = []
    for kind, body in blocks(text):
        if kind == "math":
            parts.append(r"\[ " + check_math(body) + r" \]")
        elif kind in ("list", "enum"):
            env = "itemize" if kind == "list" else "enumerate"
            items = "\n".join(r"  \item " + inline_tex(i) for i in body)
            parts.append(f"\\begin{{{env}}}\n{items}\n\\end{{{env}}}")
        elif kind == "heading":
            parts.append(r"\subsection*{" + inline_tex(body) + "}")
        else:
            parts.append(inline_tex(body))
    return "\n\n".join(parts)


def load_prose(path: Path, solution_id: str) -> Derivation:
    """A prose question: ``# Title`` on the first line, Markdown below."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise InputError("a prose question starts with '# Title'", str(path), 1)
    title = lines[0][2:].strip()
    body = "\n".join(lines[1:])
    try:
        inline_tex(title)
        prose_tex(body)
    except MathError as exc:
        line, column = _position(text, exc.math)
        raise InputError(str(exc), str(path), line, column) from None
    return Derivation(solution_id, title, (), kind="prose", prose=body, source=str(path))


def _position(text: str, snippet: str):
    """1-based (line, column) of ``snippet`` in ``text``; (None, None) if not found."""
    at = text.find(snippet) if snippet else -1
    if at < 0:
        return None, None
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1
