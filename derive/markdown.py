"""Text and math as GitHub Markdown: math in forms GitHub leaves untouched, no raw HTML.

GitHub's Markdown runs before its math renderer, so inside ``$…$`` it eats the
backslash of ``\\|`` or ``\\{`` and turns ``*a*`` into italics. Inline math is
written ``$`…`$`` and display math as a ```` ```math ```` block: both are code to
Markdown, so every character reaches the math renderer as written.
"""

from __future__ import annotations

import re

from .prose import expand_macros, spans

_SAFE_SCHEMES = ("http", "https", "mailto")
# [text](scheme:…) and a reference definition [label]: scheme:…
_LINK = re.compile(r"\]\(\s*<?\s*([A-Za-z][A-Za-z0-9+.\-]*):")
_LINK_DEF = re.compile(r"(?m)^(\s{0,3})\[([^\]\n]*)\]:\s*<?\s*([A-Za-z][A-Za-z0-9+.\-]*):")
_CHECKER_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#$])")


def _fence(body: str, char: str = "`", least: int = 1) -> str:
    """A run of ``char`` longer than any in ``body``, so the code cannot end early."""
    longest = max((len(m) for m in re.findall(re.escape(char) + "+", body)), default=0)
    return char * max(least, longest + 1)


def math_inline(tex: str) -> str:
    """``$`tex`$`` with the shared notation macros expanded (GitHub knows none)."""
    body = " ".join(expand_macros(tex).split())
    fence = _fence(body)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"${fence}{pad}{body}{pad}{fence}$"


def math_block(tex: str) -> str:
    """A ```` ```math ```` block (no blank line may separate it from what it belongs to)."""
    body = expand_macros(tex).strip("\n")
    fence = _fence(body, least=3)
    return f"{fence}math\n{body}\n{fence}"


def _inert(raw: str, html: bool, cell: bool) -> str:
    """The author's Markdown outside math and code: HTML and script links made text."""
    if not html:
        raw = raw.replace("<", "&lt;")
        raw = _LINK.sub(lambda m: m.group(0) if m.group(1).lower() in _SAFE_SCHEMES
                        else "]\\(" + m.group(0)[2:], raw)
        raw = _LINK_DEF.sub(lambda m: m.group(0) if m.group(3).lower() in _SAFE_SCHEMES
                            else m.group(1) + "\\" + m.group(0)[len(m.group(1)):], raw)
    # A $ that opened no math is a dollar sign; GitHub must not pair it with another.
    raw = re.sub(r"(?<!\\)((?:\\\\)*)\$", r"\1\\$", raw)
    if cell:
        raw = re.sub(r"(?<!\\)((?:\\\\)*)\|", r"\1\\|", re.sub(r"\s+", " ", raw))
    return raw


def _cell_code(text: str) -> str:
    # In a table every | ends the cell, inside code too, unless escaped; GitHub
    # removes the escape before the code is read.
    return text.replace("|", "\\|")


def text(source: str, html: bool = False, cell: bool = False, blocks: bool = True) -> str:
    """The author's text (Markdown with ``$math$``) for GitHub.

    Display math that stands on its own lines becomes a ```` ```math ```` block
    (``blocks``); elsewhere, and in table cells, it is inline math. Raw HTML and
    links to anything but http(s) and mailto are shown as text unless ``html``.
    """
    if not source:
        return ""
    out, pos = [], 0
    for kind, body, start, end in spans(source):
        if kind == "text":
            continue
        out.append(_inert(source[pos:start], html, cell))
        if kind == "math" or (kind == "display" and (cell or not blocks
                                                     or not _own_lines(source, start, end))):
            piece = math_inline(body)
        elif kind == "display":
            piece = math_block(body)
        elif kind in ("bold", "italic"):
            mark = "**" if kind == "bold" else "*"
            piece = mark + text(body, html, cell, blocks=False) + mark
        else:                       # code, or a reference (\eqref, resolved later)
            piece = source[start:end]
        out.append(_cell_code(piece) if cell and kind in ("math", "display", "code") else piece)
        pos = end
    out.append(_inert(source[pos:], html, cell))
    return "".join(out)


def _own_lines(source: str, start: int, end: int) -> bool:
    before = source[source.rfind("\n", 0, start) + 1:start]
    after_end = source.find("\n", end)
    after = source[end:after_end if after_end >= 0 else len(source)]
    return not before.strip() and not after.strip()


def checker(value) -> str:
    """Text a checker wrote (a reason): shown as written, never read as markup."""
    return _CHECKER_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
