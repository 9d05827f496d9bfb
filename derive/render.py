"""Verdicts to documents: a view model in Python, layout in Jinja templates."""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup
from sympy import true

from .errors import RenderError
from .printing import TexPrinter, RELATION_TEX
from .prose import MathError, anchor, check_math, escape, expand_macros, inline_tex, \
    macro_definitions, map_math, prose_tex
from .report import MARKS, counts
from .resources import resource_dir
from .verdict import STATUSES

TEX_MARK = {"proved": r"\markproved", "checked": r"\markchecked", "cited": r"\markcited",
            "failed": r"\markfailed", "unknown": r"\markunknown"}
LEGEND = {
    "proved": "a symbolic argument established the step under the stated assumptions.",
    "checked": "no symbolic proof was found, but the step held at every sampled point: "
               "evidence, not proof.",
    "cited": "an instance of a stated hypothesis or a named standard lemma, matched exactly.",
    "failed": "disproved: a counterexample, or a residual that is provably not zero or of "
              "the wrong sign.",
    "unknown": "no method settled the step within its time budget.",
}
BAD = ("failed", "unknown")


@lru_cache(maxsize=None)
def environment(markdown=False):
    import jinja2
    loader = jinja2.FileSystemLoader(str(resource_dir("templates")))
    if markdown:
        # Markdown keeps the author's text and $math$ as written.
        return jinja2.Environment(loader=loader, trim_blocks=True, lstrip_blocks=True,
                                  undefined=jinja2.StrictUndefined, autoescape=False,
                                  keep_trailing_newline=True)
    return jinja2.Environment(
        loader=loader,
        block_start_string=r"\BLOCK{", block_end_string="}",
        variable_start_string=r"\VAR{", variable_end_string="}",
        comment_start_string="((#", comment_end_string="#))",
        line_comment_prefix="%#", trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
        # Every value is escaped unless the renderer marked it as TeX it made.
        finalize=lambda v: v if isinstance(v, Markup) else Markup(escape(str(v))),
    )


# --------------------------------------------------------------------------- pieces

def _tex(text: str, where: str) -> Markup:
    try:
        return Markup(prose_tex(text)) if text else Markup("")
    except MathError as exc:
        raise RenderError(f"{where}: {exc}") from None


def _inline(text: str, where: str) -> Markup:
    try:
        return Markup(inline_tex(text)) if text else Markup("")
    except MathError as exc:
        raise RenderError(f"{where}: {exc}") from None


def _math(tex: str, where: str) -> Markup:
    """Printed math, checked like an author's: symbol names and LaTeX names come
    from derivation files, so they pass the same allow-list before TeX sees them."""
    try:
        return Markup(check_math(tex))
    except MathError as exc:
        raise RenderError(f"{where}: {exc} (in {tex[:80]})") from None


def _conditions(printer, conds) -> str:
    return ",\\ ".join(printer.doprint(c) for c in conds)


def _md_math(text: str) -> str:
    return map_math(text, expand_macros) if text else ""


def _md_cell(text: str) -> str:
    """Author's text for a Markdown table cell: a | would end the cell."""
    def math(body):
        return expand_macros(body).replace("\\|", "\\Vert ").replace("|", "\\vert ")
    return map_math(" ".join(text.split()), math,
                    lambda raw: re.sub(r"(?<!\\)\|", r"\\|", raw)) if text else ""


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def md_text(text: str) -> str:
    """Checker text (reasons, values) for Markdown: shown as written, never as markup."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def split_title(number, title: str) -> str:
    """The title without a leading "Question N:" that the heading already says."""
    if number is None:
        return title
    m = re.match(r"\s*question\s+%s(?!\d)\s*[:.\u2014\u2013-]?\s*" % re.escape(str(number)),
                 title, re.I)
    rest = title[m.end():] if m else title
    return rest[:1].upper() + rest[1:] if rest[:1].isascii() and rest[:1].isalpha() else rest


def question_number(derivation):
    """N for a solution ``qN``; None for anything else (a derivation file)."""
    m = re.fullmatch(r"q(\d+)", derivation.id)
    return int(m.group(1)) if m else None


def slug(text: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


# --------------------------------------------------------------------------- questions

def question_view(position, derivation, results):
    """Everything a template needs about one question, TeX already made."""
    where = derivation.source or derivation.id
    number = question_number(derivation)
    title = split_title(number, derivation.title)
    heading = f"Question {number}" if number is not None else ""
    prefix = str(number if number is not None else position)
    view = {"id": derivation.id, "anchor": Markup(anchor(derivation.id)), "number": number, "heading": heading,
            "title": _inline(title, where), "kind": derivation.kind,
            "intro": _tex(derivation.intro, where), "prose": _tex(derivation.prose, where),
            "parts": [], "counts": None, "seconds": 0.0, "attention": [],
            "md": {"title": _md_math(title), "intro": _md_math(derivation.intro),
                   "prose": _md_math(derivation.prose)}}
    md_heading = f"{heading}: {view['md']['title']}" if heading else view["md"]["title"]
    view["md"]["heading"], view["md"]["anchor"] = md_heading, slug(md_heading)
    if derivation.kind == "prose":
        return view
    printer = TexPrinter(dict(derivation.latex_names))
    by_step = {id(r.step): r for r in results}
    for part in derivation.parts:
        part_where = f"{where}, part ({part.label})"
        blocks, rows, shown = [], [], ()
        for step in part.steps:
            r = by_step[id(step)]
            row = _row(printer, derivation, part, step, r, prefix, part_where)
            # A case that SymPy already knows to hold (x > 0 for a positive x) says nothing.
            extra = tuple(c for c in step.when if c not in part.when and c is not true)
            cases = _conditions(printer, extra)
            if step.lhs is not None and extra and extra != shown:
                # A chain's cases are stated once, before it, as a textbook does.
                row["lead"], row["lead_md"], shown = _math(cases, part_where), \
                    expand_macros(cases), extra
            elif extra and extra != shown:
                # A case that begins inside a chain is said beside its own step.
                row["cases"], row["md"]["cases"] = _math(cases, part_where), _md_cell(f"${cases}$")
            elif not extra and step.lhs is not None:
                shown = ()
            rows.append(row)
            if row["status"] in BAD:
                view["attention"].append(row)
            if step.note:
                blocks.append({"rows": rows, "note": _tex(step.note, part_where),
                               "note_md": _md_math(step.note)})
                rows, shown = [], ()
        if rows:
            blocks.append({"rows": rows, "note": Markup(""), "note_md": ""})
        when = _conditions(printer, [c for c in part.when if c is not true])
        view["parts"].append({
            "label": part.label, "title": _inline(part.title, part_where),
            "intro": _tex(part.intro, part_where), "outro": _tex(part.outro, part_where),
            "when": _math(when, part_where) if when else Markup(""), "blocks": blocks,
            "md": {"title": _md_math(part.title), "intro": _md_math(part.intro),
                   "outro": _md_math(part.outro), "when": expand_macros(when)}})
    view["counts"] = counts(results)
    view["seconds"] = sum(r.verdict.seconds for r in results)
    return view


def _row(printer, derivation, part, step, r, prefix, where):
    v = r.verdict
    where = f"{where}, step {r.index}"
    lhs = printer.doprint(step.lhs) if step.lhs is not None else ""
    rhs = printer.doprint(step.rhs)
    why = step.why.text or step.why.kind
    reason = v.reason if v.status in BAD else ""
    point = ", ".join(f"{k} = {_short_number(x)}" for k, x in (v.counterexample or {}).items())
    return {
        "lhs": _math(lhs, where), "rel": Markup(RELATION_TEX[step.rel]), "rhs": _math(rhs, where),
        "why": _inline(why, where), "status": v.status, "mark": Markup(TEX_MARK[v.status]),
        "tag": f"{prefix}.{r.index}", "label": anchor(f"{derivation.id}:{r.index}"), "index": r.index,
        "part": part.label, "reason": reason or "", "counterexample": point,
        "lead": Markup(""), "lead_md": "", "cases": Markup(""),
        "md": {"lhs": expand_macros(lhs), "rhs": expand_macros(rhs), "why": _md_cell(why),
               "rel": RELATION_TEX[step.rel], "mark": MARKS[v.status],
               "reason": md_text(reason) if reason else "",
               "counterexample": md_text(point) if point else "", "cases": ""},
    }


def _short_number(value) -> str:
    """A sampled value as a reader needs it (6 significant digits); --json keeps them all."""
    if "." not in str(value):
        return str(value)
    try:
        number = float(str(value))
    except ValueError:
        return str(value)
    digits = len(re.sub(r"[^0-9]", "", str(value).split("e")[0].lstrip("-0.")))
    return f"{number:.6g}" if digits > 6 else str(value)


# --------------------------------------------------------------------------- documents

def document_view(checked, title="Solutions"):
    """``checked`` is [(derivation, results)] in question order."""
    questions = [question_view(i, d, rs) for i, (d, rs) in enumerate(checked, start=1)]
    totals = {s: 0 for s in STATUSES}
    for q in questions:
        for s, n in (q["counts"] or {}).items():
            totals[s] += n
    numbered = [str(q["number"]) for q in questions if q["number"] is not None]
    return {
        "title": title, "questions": questions, "totals": totals,
        "steps": sum(totals.values()),
        "seconds": sum(q["seconds"] for q in questions),
        "scope": _scope(numbered), "statuses": STATUSES, "legend": LEGEND,
        "marks": {s: Markup(m) for s, m in TEX_MARK.items()}, "unicode_marks": MARKS,
        "attention": [row for q in questions for row in q["attention"]],
        "macros": [Markup(m) for m in macro_definitions()],
    }


def _scope(numbers) -> str:
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"Question {numbers[0]}"
    return f"Questions {', '.join(numbers[:-1])} and {numbers[-1]}"


_EQREF = re.compile(r"\\eqref\{([^{}]*)\}")


def _tags(view) -> dict:
    """Step label → its printed number, for \\eqref in an author's text."""
    return {row["label"]: row["tag"] for q in view["questions"] for part in q["parts"]
            for block in part["blocks"] for row in block["rows"]}


def _check_refs(text: str, tags: dict) -> None:
    for m in _EQREF.finditer(text):
        if m.group(1) not in tags:
            known = ", ".join(list(tags)[:3]) + (", ..." if len(tags) > 3 else "")
            raise RenderError(f"\\eqref{{{m.group(1)}}} names no step (labels look like: "
                              f"{known or 'none here'})")


def render_tex(checked, title="Solutions", standalone_summary=True) -> str:
    view = document_view(checked, title)
    view["title"] = _inline(title, "the title")
    source = _render(environment(), "document.tex.j2", summary=standalone_summary, **view)
    _check_refs(source, _tags(view))
    return source


def render_md(checked, title="Solutions") -> str:
    view = document_view(checked, title)
    view["title"] = _md_math(title)
    text = _render(environment(markdown=True), "document.md.j2", **view)
    tags = _tags(view)
    _check_refs(text, tags)
    # Markdown math renderers number nothing: a citation becomes its number.
    return _EQREF.sub(lambda m: "(%s)" % tags[m.group(1)], text)


def _render(env, name, **context) -> str:
    import jinja2
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        # A broken or missing template is an installation problem: say which.
        raise RenderError(f"template {name}: {exc}") from None
