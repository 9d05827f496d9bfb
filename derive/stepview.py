"""One step as a document shows it: its math (the author's LaTeX, or SymPy's for a
derivation built in Python), its mark and justification, and why it is not proved."""

from __future__ import annotations

import re

from markupsafe import Markup

from . import markdown, readable
from .authored import step_sides
from .errors import RenderError
from .printing import RELATION_TEX, name_tex
from .prose import MathError, anchor, check_math, escape, expand_macros, inline_tex
from .marks import BAD, MARKS, TEX_MARK
from .report import shown

UNPRINTABLE_TEX = r"\text{(an expression too large to print)}"
# The relations an author may write that typeset as the relation itself.
_AS_WRITTEN = {"=", "<", ">", r"\le", r"\ge", r"\leq", r"\geq", r"\iff", r"\Leftrightarrow",
               r"\Longleftrightarrow", r"\succeq", r"\preceq"}
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def place(where, step=None) -> str:
    """file:line:col of a step read from a file, else the description given."""
    if step is not None and step.origin:
        file, line, column = step.origin
        return f"{file}:{line}:{column}"
    return where


def math(tex: str, where: str) -> Markup:
    """Math for TeX, checked like an author's: symbol names and LaTeX come from
    derivation files, so they pass the same allow-list before TeX sees them."""
    try:
        return Markup(check_math(tex))
    except MathError as exc:
        raise RenderError(f"{where}: {exc} (in {tex[:80]})") from None


def inline(text: str, where: str) -> Markup:
    try:
        return Markup(inline_tex(text)) if text else Markup("")
    except MathError as exc:
        raise RenderError(f"{where}: {exc}") from None


def sides(printer, step, lhs_expr):
    """(lhs, relation, rhs) in LaTeX: as the author wrote them when the step came
    from a file (the reader checked they mean the parsed expressions), else printed."""
    written = step_sides(step.tex, step.rel) if step.tex else None
    if written and (written[0] or step.lhs is None):
        lhs, rel, rhs = written
        return lhs, rel if rel in _AS_WRITTEN else RELATION_TEX[step.rel], rhs
    # Printing has a budget and a fallback: an expression SymPy cannot print is no traceback.
    lhs = shown(lambda: printer.doprint(step.lhs), UNPRINTABLE_TEX) if step.lhs is not None else ""
    rel = RELATION_TEX[step.rel]
    if step.rel in (">=", "<=") and any(hasattr(e, "shape") for e in (lhs_expr, step.rhs)):
        rel = r"\succeq" if step.rel == ">=" else r"\preceq"      # between matrices: semidefinite
    return lhs, rel, shown(lambda: printer.doprint(step.rhs), UNPRINTABLE_TEX)


_WORD_KEYS = {"hypotheses"}
# What a witness function's description holds (½⟨w, A w⟩ + ⟨b, w⟩ in ℝ^2, diag(1, 1)).
_WORDS_TEX = {"½": r"\tfrac{1}{2}", "⟨": r"\langle ", "⟩": r"\rangle ", "ℝ": r"\mathbb{R}",
              "·": r"\cdot ", "−": "-", "≈": r"\approx "}


def value_tex(value: str) -> str:
    """A readable sampled value (1.5·10⁻⁷, (0.1, -2)), or a witness function's description,
    as LaTeX."""
    value = re.sub(r"·10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)",
                   lambda m: r"\cdot 10^{%s}" % m.group(1).translate(_SUPERSCRIPT), value)
    value = re.sub(r"\b(diag)\(", r"\\operatorname{\1}(", value)
    value = re.sub(r"\s+(in|at every point|hold|holds)\b", lambda m: r"\text{ %s }" % m.group(1), value)
    return "".join(_WORDS_TEX.get(c, c) for c in value)


def point_tex(counterexample, names) -> tuple:
    """(the variables' values, the two sides' values) of a counterexample, as math."""
    values, sided = readable.point(counterexample)
    shown = []
    for name, value in values:
        # A checker's own quantity ("least eigenvalue") is words, not a product of letters.
        words = re.fullmatch(r"[A-Za-z]+( [A-Za-z]+)+", name) or name in _WORD_KEYS
        tex = names.get(name) or (r"\text{%s}" % name if words else name_tex(name))
        if name in _WORD_KEYS:     # the witness's "hypotheses = smooth hold at every point"
            shown.append(r"%s: \text{%s}" % (tex, escape(value)))
            continue
        shown.append(f"{tex} = {value_tex(value)}")
    both = ""
    if "lhs" in sided and "rhs" in sided:
        both = (value_tex(sided["lhs"]), value_tex(sided["rhs"]))
    return r",\ ".join(shown), both


def row(printer, names, part, step, result, prefix, derivation_id, where):
    """Everything a template needs about one step."""
    v = result.verdict
    where = place(f"{where}, step {result.index}", step)
    lhs, rel, rhs = sides(printer, step, result.lhs)
    why = step.why.text or step.why.kind
    reason = readable.reason(v.reason).rstrip(".") if v.status in BAD else ""
    values, both = point_tex(v.counterexample, names) if v.status == "failed" else ("", "")
    tag = f"{prefix}.{result.index}"
    return {
        "lhs": math(lhs, where), "rel": Markup(rel), "rhs": math(rhs, where),
        "why": inline(why, where), "status": v.status, "mark": Markup(TEX_MARK[v.status]),
        "tag": tag, "label": anchor(f"{derivation_id}:{result.index}"), "index": result.index,
        "part": part.label, "reason": reason, "point": math(values, where) if values else "",
        "sides": tuple(math(x, where) for x in both) if both else (),
        "lead": Markup(""), "lead_md": "", "again": False, "cases": Markup(""), "plot": Markup(""),
        "md": {"lhs": expand_macros(lhs), "rhs": expand_macros(rhs), "rel": rel,
               "why": markdown.text(why, cell=True), "mark": MARKS[v.status],
               "reason": markdown.checker(reason) if reason else "",
               "point": markdown.math_inline(values) if values else "",
               "sides": tuple(markdown.math_inline(x) for x in both) if both else (),
               "cases": "", "plot": ""},
    }

