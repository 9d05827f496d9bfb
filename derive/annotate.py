"""The author's own LaTeX document, annotated: a mark beside each checked step, the reason and
counterexample of each failed or unknown one in the margin. The author's files are never
modified; the annotated copy is compiled with the same safety flags as everything else."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RenderError
from .resources import resource_dir

BEGIN_DOCUMENT = re.compile(r"\\begin\s*\{document\}")
INPUT = re.compile(r"\\(input|include|subfile)\s*\{([^{}]*)\}")
GRAPHICS = re.compile(r"\\includegraphics\s*(\[[^\]]*\])?\s*\{([^{}]*)\}")
GRAPHIC_SUFFIXES = ("", ".pdf", ".png", ".jpg", ".jpeg", ".eps")
MARK = {"proved": r"\derivemarkproved", "checked": r"\derivemarkchecked",
        "cited": r"\derivemarkcited", "failed": r"\derivemarkfailed",
        "unknown": r"\derivemarkunknown", "unread": r"\derivemarkunread"}
NOTED = ("failed", "unknown", "unread")


@dataclass(frozen=True)
class Unread:
    """Math derive could not read, marked where it stands like a step's verdict."""

    reason: str
    status: str = "unread"
    method: str = ""
    counterexample: tuple = ()


@dataclass
class Annotated:
    """The annotated copy: its LaTeX (includes inlined), the figures it needs, and where
    each of its lines came from ((file, line), or None for what derive added)."""

    source: str
    files: dict = field(default_factory=dict)     # relative path -> bytes
    origins: list = field(default_factory=list)


def annotate(path: Path, results, names=None, unread=()) -> Annotated:
    """The document at ``path`` with a mark before every checked step's relation, and
    before each piece of math that could not be read (``unread``: (file, line, column,
    message), as the reader reported them)."""
    from .source.document import read_text
    from .source.includes import IncludeError, resolve
    path = Path(path)
    root = path.resolve().parent
    groups = _groups(results, unread)
    marks = {}                                   # mark id -> (marks TeX, note TeX)
    files: dict = {}

    def one(file: Path, depth: int) -> list:
        """[(text, file, its first line)]: the file, marked, with its inputs inlined."""
        text = read_text(file)
        inserts = []
        for (name, line, col), entries in _placed(groups, text, file).items():
            if _same(name, file):
                n = len(marks) + 1
                marks[n] = entries
                inserts.append((_offset(text, line, col), n))
        for at, n in sorted(inserts, reverse=True):      # marks add no line breaks
            text = text[:at] + "\\derivemark{%d}" % n + text[at:]
        shown = str(file) if depth == 0 else _shown(file)
        out, last = [], 0
        for m in _uncommented(INPUT, text):
            try:
                child = resolve(m.group(2), root)
                body = one(child, depth + 1) if depth < 16 else None
            except IncludeError as exc:
                body = [("%% derive: not included: " + " ".join(str(exc).split()) + "\n",
                         shown, _line_at(text, m.start()))]
            if body is None:
                continue
            out.append((text[last:m.start()], shown, _line_at(text, last)))
            if m.group(1) == "include":
                out.append(("\\clearpage\n", shown, _line_at(text, m.start())))
            out += body
            last = m.end()
        out.append((text[last:], shown, _line_at(text, last)))
        for m in _uncommented(GRAPHICS, text):
            _figure(m.group(2), root, files)
        return out

    pieces = one(path, 0)
    body = "".join(text for text, _, _ in pieces)
    preamble = _preamble(marks, {str(sym): tex for sym, tex in (names or {}).items()})
    m = BEGIN_DOCUMENT.search(body)
    if m is None:
        raise RenderError(f"{path}: no \\begin{{document}}: derive annotates a complete LaTeX "
                          "document (use `derive check` for a fragment)")
    return Annotated(body[:m.start()] + preamble + body[m.start():], files,
                     _origins(_inserted(pieces, m.start(), preamble)))


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _shown(file: Path) -> str:
    """An included file's name as a message shows it: relative to here when below it."""
    relative = os.path.relpath(file)
    return str(file) if relative.startswith("..") else relative


def _inserted(pieces: list, at: int, text: str) -> list:
    """``pieces`` with ``text`` (from no file) inserted at character ``at`` of their text."""
    out, offset = [], 0
    for piece, file, line in pieces:
        if offset <= at <= offset + len(piece) and text:
            cut = at - offset
            out += [(piece[:cut], file, line), (text, None, 0),
                    (piece[cut:], file, line + piece.count("\n", 0, cut))]
            text = ""
        else:
            out.append((piece, file, line))
        offset += len(piece)
    return out


def _origins(pieces: list) -> list:
    """(file, line) of each line of the pieces joined; None for a line derive added."""
    origins, starts = [], True
    for piece, file, line in pieces:
        if not piece:
            continue
        if starts:
            origins.append((file, line) if file else None)
        breaks = piece.count("\n")
        for k in range(1, breaks + 1 if not piece.endswith("\n") else breaks):
            origins.append((file, line + k) if file else None)
        starts = piece.endswith("\n")
    return origins


def _groups(results, unread=()) -> dict:
    """Steps by (file, line, column) of their line's first relation: one mark per line."""
    by_line: dict = {}
    for r in results:
        if not r.step.origin:
            continue
        file, line, col = r.step.origin
        by_line.setdefault((file, line), []).append((col, r.verdict))
    for file, line, col, message in unread:
        if file is not None and line is not None:
            by_line.setdefault((file, line), []).append((col or 1, Unread("not read: " + message)))
    out = {}
    for (file, line), entries in by_line.items():
        entries.sort(key=lambda e: e[0])
        # The mark goes before the line's first step; math not read only moves it there.
        steps = [col for col, v in entries if not isinstance(v, Unread)]
        out[(file, line, steps[0] if steps else entries[0][0])] = [v for _, v in entries]
    return out


DELIMITING = {"left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl",
              "Bigr", "biggl", "biggr", "Biggl", "Biggr"}
RELATION = re.compile(r"\\(?:leq?|geq?|neq?|approx|equiv)(?![A-Za-z])|[=<>]")


def _placed(groups: dict, text: str, file: Path) -> dict:
    """``groups`` with each mark of math not read moved before the first relation of its line
    outside braces (where a step's mark would stand), or dropped when the line has none:
    at the reader's column (inside ``\\frac{1}{2``, after ``\\left``) the mark could
    change what TeX reads."""
    lines = text.split("\n")
    out = {}
    for (name, line, col), entries in groups.items():
        if not all(isinstance(v, Unread) for v in entries) or not _same(name, file):
            out[(name, line, col)] = entries
            continue
        at = _relation_column(lines[line - 1]) if 0 < line <= len(lines) else None
        if at is not None:
            out.setdefault((name, line, at), []).extend(entries)
    return out


def _relation_column(line: str):
    """The column of the first relation outside braces (None in a comment or none)."""
    depth, k = 0, 0
    while k < len(line):
        m = RELATION.match(line, k) if depth == 0 else None
        if m:
            return k + 1
        word = re.match(r"\\([A-Za-z]+|.)", line[k:]) if line[k] == "\\" else None
        if word:                # a control word whole; a delimiter after \left is no relation
            k += len(word.group(0))
            k += word.group(1) in DELIMITING and k < len(line) and line[k] in "<>"
            continue
        if line[k] == "%":
            return None
        depth += (line[k] == "{") - (line[k] == "}")
        k += 1
    return None


def _same(name: str, file: Path) -> bool:
    try:
        return os.path.realpath(name) == os.path.realpath(file)
    except (OSError, ValueError):
        return False


def _offset(text: str, line: int, col: int) -> int:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return min(starts[line - 1] + col - 1, len(text)) if line - 1 < len(starts) else len(text)


def _uncommented(regex, text: str):
    """Matches of ``regex`` that are not inside a % comment."""
    for m in regex.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        before = text[start:m.start()]
        if not re.search(r"(?<!\\)(\\\\)*%", before):
            yield m


def _figure(name: str, root: Path, files: dict):
    """A figure the document shows, copied beside the annotated copy if it is inside the
    document's directory (TeX may read nothing else)."""
    from .source.includes import IncludeError, resolve
    for suffix in GRAPHIC_SUFFIXES:
        try:
            real = resolve(name + suffix, root) if suffix else resolve(name, root)
        except IncludeError:
            continue
        if real.suffix.lower() in GRAPHIC_SUFFIXES and real.is_file():
            files[str(real.relative_to(Path(os.path.realpath(root))))] = real.read_bytes()
            return


def _preamble(marks: dict, names: dict) -> str:
    sty = (resource_dir("templates") / "derive-annotate.sty").read_text(encoding="utf-8")
    lines = ["", "% ---- added by `derive render`: a mark beside each checked step ----",
             "\\makeatletter", sty.strip(), "\\def\\derive@total{%d}" % len(marks)]
    for n, verdicts in marks.items():
        shown = "".join(MARK[v.status] for v in verdicts)
        note = "\\par ".join(_note(v, names) for v in verdicts if v.status in NOTED)
        lines.append("\\derive@def{%d}{%s}{%s}" % (n, shown, note))
    lines += ["\\makeatother", "% ---- end of what derive added ----", ""]
    return "\n".join(lines)


def _note(verdict, names: dict) -> str:
    """A failed or unknown step's margin note: its reason, and the point where it breaks,
    the symbols in the author's own LaTeX (a name derive read, never raw text)."""
    from .prose import escape
    text = escape(" ".join((verdict.reason or verdict.method).split())[:400])
    cex = dict(verdict.counterexample or {})
    if cex:
        sides = [(k, cex.pop(k)) for k in ("lhs", "rhs", "difference") if k in cex]
        point = [f"${names[k]} = {_number(x)}$" if k in names else
                 escape(f"{k} = ") + f"${_number(x)}$" for k, x in cex.items()]
        text += ". At " + ", ".join(point or ["any point"])
        if sides:
            text += ": " + ", ".join(escape(f"{k} ") + f"${_number(x)}$" for k, x in sides)
    return text


def _number(value) -> str:
    """A sampled value, to 4 significant digits, as TeX math (anything else escaped)."""
    from .prose import escape
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "\\text{%s}" % escape(str(value))
    shown = f"{x:.4g}"
    if "e" in shown:
        mantissa, exponent = shown.split("e")
        shown = f"{mantissa} \\cdot 10^{{{int(exponent)}}}"
    return shown


def render_annotated(path: Path, results, out: Path, fmt: str = "pdf", names=None,
                     unread=()) -> list:
    """Write the annotated copy (``.tex``, and the PDF for ``pdf``); the paths written."""
    from .tex import INSTALL_HINT, atomic_write, compile_pdf, have_tex
    annotated = annotate(path, results, names, unread)
    tex_path = out.with_suffix(".tex")
    if os.path.realpath(tex_path) == os.path.realpath(path):
        also = f" (-o {out.name} writes {tex_path.name} beside the PDF)" if out != tex_path else ""
        raise RenderError(f"{tex_path}: that is the document being annotated{also}; "
                          "choose another -o")
    atomic_write(tex_path, annotated.source)
    written = [tex_path]
    if fmt == "pdf":
        if not have_tex():
            raise RenderError(INSTALL_HINT)
        compile_pdf(annotated.source, out.with_suffix(".pdf"), files=annotated.files,
                    origins=annotated.origins)
        written.append(out.with_suffix(".pdf"))
    return written
