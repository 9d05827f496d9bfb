"""Verdicts to documents: a view model in Python, layout in Jinja templates."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

from .errors import RenderError
from .printing import TexPrinter, RELATION_TEX
from .prose import MathError, escape, inline_tex, prose_tex
from .report import MARKS, counts
from .resources import resource_dir
from .verdict import STATUSES

TEX_MARK = {"proved": r"\markproved", "checked": r"\markchecked", "cited": r"\markcited",
            "failed": r"\markfailed", "unknown": r"\markunknown"}


@lru_cache(maxsize=None)
def environment(markdown=False):
    import jinja2
    if markdown:
        # Markdown keeps the author's text and $math$ as written.
        return jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(resource_dir("templates"))),
            trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
            autoescape=False, keep_trailing_newline=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_dir("templates"))),
        block_start_string=r"\BLOCK{", block_end_string="}",
        variable_start_string=r"\VAR{", variable_end_string="}",
        comment_start_string="((#", comment_end_string="#))",
        line_comment_prefix="%#", trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined, autoescape=False,
        # Every value is escaped unless the renderer marked it as TeX it made.
        finalize=lambda v: v if isinstance(v, Markup) else Markup(escape(str(v))),
    )
    return env


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


def _condition_tex(printer, conds) -> str:
    return ", ".join(printer.doprint(c) for c in conds)


def question_view(number, derivation, results):
    """Everything a template needs about one question, TeX already made."""
    where = derivation.source or derivation.id
    view = {"id": derivation.id, "number": number, "title": _inline(derivation.title, where),
            "kind": derivation.kind, "intro": _tex(derivation.intro, where),
            "prose": _tex(derivation.prose, where), "parts": [], "counts": None,
            "md": {"title": derivation.title, "intro": derivation.intro, "prose": derivation.prose}}
    if derivation.kind == "prose":
        return view
    printer = TexPrinter(dict(derivation.latex_names))
    by_step = {id(r.step): r for r in results}
    for part in derivation.parts:
        blocks, rows = [], []
        for step in part.steps:
            r = by_step[id(step)]
            v = r.verdict
            why = _inline(step.why.text or step.why.kind, where)
            extra = [c for c in step.when if c not in part.when]
            cond = _condition_tex(printer, extra)
            rows.append({
                "lhs": Markup(printer.doprint(step.lhs)) if step.lhs is not None else Markup(""),
                "rel": Markup(RELATION_TEX[step.rel]),
                "rhs": Markup(printer.doprint(step.rhs)),
                "why": why, "cond": Markup(cond), "status": v.status,
                "mark": Markup(TEX_MARK[v.status]), "label": f"{derivation.id}:{r.index}",
                "reason": v.reason if v.status in ("failed", "unknown") else "",
                "counterexample": ", ".join(f"{k} = {x}" for k, x in (v.counterexample or {}).items()),
                "certificate": list(v.certificate), "index": r.index,
                "why_md": step.why.text or step.why.kind,
            })
            if step.note:
                blocks.append({"rows": rows, "note": _tex(step.note, where), "note_md": step.note})
                rows = []
        if rows:
            blocks.append({"rows": rows, "note": Markup(""), "note_md": ""})
        view["parts"].append({
            "label": part.label, "title": _inline(part.title, where),
            "intro": _tex(part.intro, where), "outro": _tex(part.outro, where),
            "when": Markup(_condition_tex(printer, part.when)), "blocks": blocks,
            "md": {"title": part.title, "intro": part.intro, "outro": part.outro}})
    view["counts"] = counts(results)
    view["seconds"] = sum(r.verdict.seconds for r in results)
    return view


def document_views(checked):
    """``checked`` is [(derivation, results)] in question order."""
    views = []
    for derivation, results in checked:
        number = derivation.id[1:] if derivation.id[1:].isdigit() else derivation.id
        views.append(question_view(number, derivation, results))
    totals = {s: 0 for s in STATUSES}
    for view in views:
        for s, n in (view["counts"] or {}).items():
            totals[s] += n
    seconds = sum(v.get("seconds", 0.0) for v in views)
    return views, totals, seconds


def render_tex(checked, title="Solutions", standalone_summary=True) -> str:
    views, totals, seconds = document_views(checked)
    template = environment().get_template("document.tex.j2")
    return template.render(title=title, questions=views, totals=totals, seconds=seconds,
                           statuses=STATUSES, marks=TEX_MARK, summary=standalone_summary)


def render_md(checked, title="Solutions") -> str:
    views, totals, seconds = document_views(checked)
    template = environment(markdown=True).get_template("document.md.j2")
    return template.render(title=title, questions=views, totals=totals, seconds=seconds,
                           statuses=STATUSES, unicode_marks=MARKS)
