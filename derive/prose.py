"""Prose with $math$: a small Markdown subset turned into safe LaTeX."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .model import Derivation

# Control sequences allowed inside $…$. Anything else (\input, \write, \def,
# \catcode, \openin, ...) is refused: math from a user is data, not a program.
ALLOWED = frozenset("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda
Xi Pi Sigma Upsilon Phi Psi Omega
frac tfrac dfrac sqrt hat widehat bar overline tilde widetilde vec dot ddot mathbb mathcal mathrm
mathbf mathit boldsymbol operatorname text textrm textit textbf left right big Big bigl bigr Bigl
Bigr biggl biggr langle rangle lVert rVert lvert rvert Vert vert cdot times div le ge leq geq neq
ne to infty partial nabla sum prod int oint log ln exp min max sup inf lim liminf limsup sin cos
tan tanh sinh cosh arg det quad qquad ldots cdots dots vdots in notin subset subseteq supset cup
cap setminus emptyset varnothing forall exists iff implies Rightarrow Leftarrow Leftrightarrow
rightarrow leftarrow leftrightarrow mapsto approx equiv sim simeq propto pm mp star ast dagger
prime top circ ell mid nmid parallel perp land lor neg lnot begin end displaystyle textstyle
underbrace overbrace underset overset stackrel limits nolimits mathop ge le gg ll colon
""".split())
ENVIRONMENTS = frozenset({"cases", "aligned", "matrix", "pmatrix", "bmatrix", "vmatrix", "array"})

_CS = re.compile(r"\\([A-Za-z]+|.)", re.S)


class MathError(ValueError):
    """Math that is not allowed into the document; the message says why."""


def check_math(src: str) -> str:
    """Return ``src`` unchanged if it is safe math, else raise MathError."""
    if "^^" in src:
        raise MathError("'^^' character codes are not allowed in math")
    for bad in ("%", "#", "$"):
        if bad in src.replace("\\" + bad, ""):
            raise MathError(f"'{bad}' is not allowed in math (write \\{bad} for the symbol)")
    depth = 0
    for i, ch in enumerate(src):
        if ch in "{}" and i > 0 and src[i - 1] == "\\" and not _escaped_backslash(src, i - 1):
            continue
        depth += ch == "{"
        depth -= ch == "}"
        if depth < 0:
            raise MathError("unbalanced '}' in math")
    if depth:
        raise MathError("unbalanced '{' in math")
    for m in _CS.finditer(src):
        name = m.group(1)
        if name.isalpha() and name not in ALLOWED:
            raise MathError(f"\\{name} is not allowed in math")
        if name in ("begin", "end"):
            env = re.match(r"\s*\{([A-Za-z*]+)\}", src[m.end():])
            if not env or env.group(1) not in ENVIRONMENTS:
                raise MathError(f"\\{name} only opens or closes one of: {', '.join(sorted(ENVIRONMENTS))}")
    return src


def _escaped_backslash(src, i):
    n = 0
    while i >= 0 and src[i] == "\\":
        n += 1
        i -= 1
    return n % 2 == 0


@lru_cache(maxsize=1)
def _encoder():
    from pylatexenc.latexencode import UnicodeToLatexEncoder
    return UnicodeToLatexEncoder(replacement_latex_protection="braces-all",
                                 unknown_char_policy="replace")


def escape(text: str) -> str:
    """Plain text to LaTeX: every special character appears literally."""
    return _encoder().unicode_to_latex(text)


_INLINE = re.compile(r"(\$[^$]+\$|\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`)")


def inline_tex(text: str) -> str:
    """One paragraph's text: $math$, **bold**, *italic*, `code`, the rest escaped."""
    out = []
    for piece in _INLINE.split(text):
        if not piece:
            continue
        if piece.startswith("$") and piece.endswith("$") and len(piece) > 2:
            out.append("$" + check_math(piece[1:-1]) + "$")
        elif piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            out.append(r"\textbf{" + inline_tex(piece[2:-2]) + "}")
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            out.append(r"\emph{" + inline_tex(piece[1:-1]) + "}")
        elif piece.startswith("`") and piece.endswith("`") and len(piece) > 2:
            out.append(r"\texttt{" + escape(piece[1:-1]) + "}")
        else:
            out.append(escape(piece))
    return "".join(out)


def blocks(text: str):
    """Split prose into ("para", text), ("list", [items]), ("math", tex) blocks."""
    out = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.rstrip() for ln in chunk.splitlines() if ln.strip()]
        if not lines:
            continue
        joined = "\n".join(lines).strip()
        if joined.startswith("$$") and joined.endswith("$$") and len(joined) > 4:
            out.append(("math", joined[2:-2].strip()))
        elif all(re.match(r"\s*[-*] ", ln) or ln.startswith("  ") for ln in lines) and \
                re.match(r"\s*[-*] ", lines[0]):
            items = []
            for ln in lines:
                if re.match(r"\s*[-*] ", ln):
                    items.append(re.sub(r"^\s*[-*] ", "", ln))
                else:
                    items[-1] += " " + ln.strip()
            out.append(("list", items))
        else:
            out.append(("para", " ".join(ln.strip() for ln in lines)))
    return out


def prose_tex(text: str) -> str:
    """Prose to LaTeX paragraphs; raises MathError for math that is not allowed."""
    parts = []
    for kind, body in blocks(text):
        if kind == "math":
            parts.append(r"\[ " + check_math(body) + r" \]")
        elif kind == "list":
            items = "\n".join(r"  \item " + inline_tex(i) for i in body)
            parts.append("\\begin{itemize}\n" + items + "\n\\end{itemize}")
        else:
            parts.append(inline_tex(body))
    return "\n\n".join(parts)


def load_prose(path: Path, solution_id: str) -> Derivation:
    """A prose question: ``# Title`` on the first line, Markdown below."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise InputError("a prose question starts with '# Title'", str(path), 1)
    body = "\n".join(lines[1:])
    for number, line in enumerate(lines[1:], start=2):
        for m in re.finditer(r"\$([^$]+)\$", line):
            try:
                check_math(m.group(1))
            except MathError as exc:
                raise InputError(str(exc), str(path), number, m.start() + 1) from None
    return Derivation(solution_id, lines[0][2:].strip(), (), kind="prose", prose=body,
                      source=str(path))
