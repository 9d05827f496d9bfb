"""Verdicts to documents: a view model in Python, layout in Jinja templates."""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup
from sympy import true

from . import markdown, stepview, typeset
from .errors import InputError, RenderError
from .printing import InlineTexPrinter, TexPrinter, name_tex
from .prose import MathError, anchor, escape, macro_definitions, prose_tex, tokens
from .marks import LEGEND, MARKS
from .report import counts, shown, unreadable
from .resources import resource_dir
from .stepview import BAD, TEX_MARK, UNPRINTABLE_TEX, inline
from .verdict import STATUSES

@lru_cache(maxsize=None)
def environment(md=False):
    import jinja2
    loader = jinja2.FileSystemLoader(str(resource_dir("templates")))
    if md:
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


def _conditions(printer, conds) -> str:
    # Printing has a budget and a fallback: an expression SymPy cannot print is no traceback.
    return ",\\ ".join(shown(lambda c=c: printer.doprint(c), UNPRINTABLE_TEX) for c in conds)


def _assumed(printer, derivation) -> str:
    """What the derivation assumes throughout, as TeX: its assumptions, its facts about sums,
    and each assumption at an index with the index's range (t = 0, …, T − 1) — a ✓ holds
    under them, so the reader sees them (printed by our printer, never the author's text)."""
    extra = dict(derivation.extra)
    shown_now = [_conditions(printer, [c]) for c in derivation.assumptions if c is not true]
    shown_now += [_conditions(printer, [c]) for c in extra.get("sum facts", ())]
    indices = {i.symbol: i for i in extra.get("indices", ())}
    for fact in extra.get("index facts", ()):
        text = _conditions(printer, [fact])
        for s in sorted((s for s in fact.free_symbols if s in indices), key=str):
            i = indices[s]
            text += r"\ \text{for}\ " + shown(
                lambda: rf"{printer.doprint(s)} = {printer.doprint(i.lower)}, \dots, "
                        rf"{printer.doprint(i.upper)}", UNPRINTABLE_TEX)
        shown_now.append(text)
    return r";\quad ".join(shown_now)


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

def question_view(position, derivation, results, html=False, plots=None, plot_files=None):
    """Everything a template needs about one question, TeX already made."""
    where = derivation.source or derivation.id
    number = question_number(derivation)
    title = split_title(number, derivation.title)
    heading = f"Question {number}" if number is not None else ""
    prefix = str(number if number is not None else position)
    # A plain document's steps are numbered by section, as the terminal shows them (2.5: the
    # fifth step, in section 2); they were all 1.N.
    document = "unreadable" in dict(derivation.extra)

    def md(text, **options):
        return markdown.text(text, html=html, **options)

    view = {"id": derivation.id, "anchor": Markup(anchor(derivation.id)), "number": number,
            "heading": heading, "title": inline(title, where), "kind": derivation.kind,
            "intro": _tex(derivation.intro, where), "prose": _tex(derivation.prose, where),
            "parts": [], "counts": None, "attention": [], "rows": [],
            "unreadable": _unreadable(derivation),
            "md": {"title": md(title, blocks=False), "intro": md(derivation.intro),
                   "prose": md(derivation.prose)}}
    md_heading = f"{heading}: {view['md']['title']}" if heading else view["md"]["title"]
    view["md"]["heading"], view["md"]["anchor"] = md_heading, slug(md_heading)
    if derivation.kind == "prose":
        return view
    names = dict(derivation.latex_names)
    printer, inline_printer = TexPrinter(names), InlineTexPrinter(names)
    assumed = _assumed(inline_printer, derivation)
    view["assumed"] = stepview.math(assumed, where) if assumed else Markup("")
    view["md"]["assumed"] = markdown.math_inline(assumed) if assumed else ""
    by_name = {str(sym): tex for sym, tex in names.items()}
    by_step = {id(r.step): r for r in results}
    for part in derivation.parts:
        part_where = f"{where}, part ({part.label})"
        blocks, rows, shown, leads = [], [], (), set()
        for step in part.steps:
            r = by_step[id(step)]
            row = stepview.row(printer, by_name, part, step, r, part.label if document else prefix,
                               derivation.id, part_where)
            if plots and r.index in plots:
                _attach_plot(row, plots[r.index], by_name, part_where,
                             (plot_files or {}).get((derivation.id, r.index)))
            row["md"]["why"] = md(step.why.text or step.why.kind, cell=True)
            # A case that SymPy already knows to hold (x > 0 for a positive x) says nothing.
            extra = tuple(c for c in step.when if c not in part.when and c is not true)
            cases = _conditions(inline_printer, extra)
            if step.lhs is not None and extra and extra != shown:
                # A chain's cases are stated once, before it, as a textbook does;
                # "again" when an earlier chain of the part had the same ones.
                row["lead"], row["lead_md"], shown = stepview.math(cases, part_where), \
                    markdown.math_inline(cases), extra
                row["again"] = extra in leads
                leads.add(extra)
            elif extra and extra != shown:
                # A case that begins inside a chain is said beside its own step.
                row["cases"] = stepview.math(cases, part_where)
                row["md"]["cases"] = markdown.math_inline(cases).replace("|", "\\|")
            elif not extra and step.lhs is not None:
                shown = ()
            rows.append(row)
            view["rows"].append(row)
            if row["status"] in BAD:
                view["attention"].append(row)
            if step.note:
                blocks.append({"rows": rows, "note": _tex(step.note, part_where),
                               "note_md": md(step.note)})
                rows, shown = [], ()
        if rows:
            blocks.append({"rows": rows, "note": Markup(""), "note_md": ""})
        when = _conditions(inline_printer, [c for c in part.when if c is not true])
        view["parts"].append({
            "label": part.label, "title": inline(part.title, part_where),
            "intro": _tex(part.intro, part_where), "outro": _tex(part.outro, part_where),
            "when": stepview.math(when, part_where) if when else Markup(""), "blocks": blocks,
            "rows": [row for block in blocks for row in block["rows"]],
            "md": {"title": md(part.title, blocks=False), "intro": md(part.intro),
                   "outro": md(part.outro), "when": markdown.math_inline(when) if when else ""}})
    view["counts"] = counts(results)
    return view


def _unreadable(derivation) -> list:
    """What the document held that could not be read: listed where its steps are, so a
    page of ✓ never hides math that nobody checked (the file's name, not its path)."""
    out = []
    for u in unreadable(derivation):
        place = ":".join(str(x) for x in (_name(u["file"]), u["line"], u["column"]) if x is not None)
        out.append({"where": place, "message": u["message"],
                    "md": {"where": markdown.checker(place), "message": markdown.checker(u["message"])}})
    return out


def _name(path):
    return None if path is None else re.split(r"[\\/]", str(path))[-1]


def _attach_plot(row, plot, names, where, svg_name):
    """The picture of a failed step: pgfplots under its remark, an SVG link in Markdown."""
    from .plotdraw import caption, pgfplots
    variable = names.get(plot.variable) or name_tex(plot.variable)
    stepview.math(variable, where)
    row["plot"] = Markup(pgfplots(plot, variable, stepview.inline(caption(plot, names, True), where)))
    if svg_name:
        row["md"]["plot"] = f"![{caption(plot, names, False)}]({svg_name})"


# --------------------------------------------------------------------------- documents

def document_view(checked, title="Solutions", html=False, plots=None, plot_files=None):
    """``checked`` is [(derivation, results)] in question order."""
    cited = set().union(*(typeset.labels(d) for d, _ in checked)) if checked else set()
    for d, _ in checked:
        try:
            typeset.validate(d, cited=cited)      # as `check` did when it read the file
        except InputError as exc:
            raise RenderError(str(exc)) from None
    plots = plots or {}
    questions = [question_view(i, d, rs, html, plots.get(d.id), plot_files)
                 for i, (d, rs) in enumerate(checked, start=1)]
    totals = {s: 0 for s in STATUSES}
    for q in questions:
        for s, n in (q["counts"] or {}).items():
            totals[s] += n
    numbered = [str(q["number"]) for q in questions if q["number"] is not None]
    rows = [row for q in questions for row in q["rows"]]
    return {
        "title": title, "questions": questions, "totals": totals,
        "steps": sum(totals.values()),
        "unread": sum(len(q["unreadable"]) for q in questions),
        "scope": _scope(numbered), "statuses": STATUSES, "legend": LEGEND,
        "marks": {s: Markup(m) for s, m in TEX_MARK.items()}, "unicode_marks": MARKS,
        "attention": [row for q in questions for row in q["attention"]],
        # The summary lists what is not proved first, worst first; the rest per part.
        "not_proved": sorted((r for r in rows if r["status"] != "proved"),
                             key=lambda r: ORDER.index(r["status"])),
        "collapsed": [(q, [_part_summary(p) for p in q["parts"] if p["rows"]])
                      for q in questions if q["rows"]],
        "macros": [Markup(m) for m in macro_definitions()],
        # pgfplots is loaded only when a failed step has a picture.
        "plots": any(r.get("plot") for q in questions for r in q["rows"]),
    }


ORDER = ("failed", "unknown", "checked", "cited", "proved")


def _part_summary(part) -> dict:
    rows = part["rows"]
    shown = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    span = rows[0]["tag"] if len(rows) == 1 else f"{rows[0]['tag']}–{rows[-1]['tag']}"
    return {"label": part["label"], "span": span, "first": rows[0]["label"],
            "counts": {s: n for s, n in shown.items() if n}}


def _scope(numbers) -> str:
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"Question {numbers[0]}"
    return f"Questions {', '.join(numbers[:-1])} and {numbers[-1]}"


_EQREF = re.compile(r"\\eqref\{([^{}]*)\}")


def _plain(title: str) -> str:
    """A title as plain text (the PDF's metadata): math as its source, no markup."""
    return " ".join("".join(body for _, body in tokens(title)).split())


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


def render_tex(checked, title="Solutions", standalone_summary=True, plots=None) -> str:
    """The LaTeX document; ``plots`` ({derivation id: {step index: Plot}}) adds the
    picture of each failed step (derive.plotdata)."""
    view = document_view(checked, title, plots=plots)
    view["title"] = inline(title, "the title")
    view["pdf_title"] = Markup(escape(_plain(title)))
    source = _render(environment(), "document.tex.j2", summary=standalone_summary, **view)
    _check_refs(source, _tags(view))
    return source


def render_md(checked, title="Solutions", html=False, plots=None, plot_files=None) -> str:
    """GitHub Markdown; the author's raw HTML is shown as text unless ``html``.
    ``plot_files`` {(derivation id, step index): file name} links each failed step's
    SVG (written by the caller beside the .md: see plotdraw.svg_files)."""
    view = document_view(checked, title, html, plots, plot_files)
    view["title"] = markdown.text(title, html=html, blocks=False)
    text = _render(environment(md=True), "document.md.j2", **view)
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
