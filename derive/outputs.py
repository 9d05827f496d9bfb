"""What `derive render` writes: never over its own source, never into a missing directory,
each file through a temporary file and a rename; each file written is said through ``say``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError


@dataclass(frozen=True)
class Plan:
    """The files one render writes: ``out`` (its suffix is the format's) and how."""

    target: str
    fmt: str
    out: Path
    sources: tuple            # the derivation files read, never to be overwritten
    annotated: bool           # a LaTeX document typeset as written, marks beside its steps


def plan(target: str, fmt: str, output, derivations) -> Plan:
    """Where ``derive render TARGET --to FMT [-o OUTPUT]`` writes; an ``-o`` naming a
    derivation being rendered is refused (InputError)."""
    path = Path(target)
    annotated = fmt != "md" and path.suffix.lower() in (".tex", ".latex") and path.is_file()
    sources = tuple(Path(d.source) for d in derivations if d.source)
    if annotated:
        out = Path(output) if output else Path(f"{path.stem}.checked.{fmt}")
        return Plan(target, fmt, out, sources, True)
    stem = "solutions" if target == "all" else path.stem
    out = Path(output) if output else Path(f"{stem}.{fmt}")
    if output and any(same(out, s) for s in sources):
        raise InputError(f"{output}: that is the derivation being rendered; choose another -o")
    return Plan(target, fmt, out, sources, False)


def render(plan: Plan, checked, *, html: bool, timeout, say, warn) -> None:
    """Write what ``plan`` says for ``checked`` ([(derivation, results)]); TeX runs within
    ``timeout`` seconds (what is left of the run's --timeout; None: TeX's own limit)."""
    if plan.annotated:
        annotated(Path(plan.target), checked, plan.fmt, plan.out, say)
        return
    title = "Solutions" if plan.target == "all" else checked[0][0].title
    write(checked, plan.fmt, plan.out, title, plan.target == "all", timeout, plan.sources,
          html, say, warn)


def check_parent(path: Path) -> None:
    """Refuse an output whose directory is missing (as `cp` does), before any checking."""
    parent = path.parent
    try:
        if parent.is_dir():
            return
        problem = "is not a directory" if parent.exists() else "does not exist"
    except OSError as exc:
        problem = exc.strerror
    raise InputError(f"cannot write {path}: {parent} {problem}")


def beside(path: Path, sources) -> Path:
    """``path``, or ``name.typeset.ext`` when it is a derivation being rendered: a render
    never overwrites its own source (`derive render notes.md --to md`)."""
    if any(same(path, s) for s in sources):
        return path.with_name(f"{path.stem}.typeset{path.suffix}")
    return path


def same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and a.resolve() == b.resolve()
    except OSError:
        return False


def annotated(path: Path, checked, fmt: str, out: Path, say) -> None:
    """A LaTeX document typeset as the author wrote it, with a mark beside each step."""
    from .annotate import render_annotated
    from .report import unreadable
    (derivation, results), = checked
    unread = [(u["file"], u["line"], u["column"], u["message"]) for u in unreadable(derivation)]
    for written in render_annotated(path, results, out, fmt, dict(derivation.latex_names), unread):
        say(f"wrote {written}")


def write(checked, fmt, out, title, standalone, timeout, sources, html, say, warn) -> None:
    """The document in ``fmt`` (pdf: the .tex and the PDF; without TeX, the .tex and the
    Markdown and a ``warn`` saying how to get TeX)."""
    from .plotdata import plots_of
    from .render import render_tex
    from .tex import INSTALL_HINT, TIMEOUT, atomic_write, compile_pdf, have_tex
    plots = plots_of(checked)            # {} (and nothing computed) when no step failed
    if fmt == "md":
        _markdown(checked, beside(out, sources), title, html, plots, say)
        return
    from .plotdraw import pgfplots_available
    source = render_tex(checked, title=title, standalone_summary=standalone,
                        plots=plots if plots and pgfplots_available() else None)
    tex_path = beside(out.with_suffix(".tex"), sources)
    atomic_write(tex_path, source)
    say(f"wrote {tex_path}")
    if fmt != "pdf":
        return
    if not have_tex():
        # Still something to read: the Markdown, next to the .tex.
        _markdown(checked, beside(out.with_suffix(".md"), sources), title, html, plots, say)
        warn(INSTALL_HINT)
        return
    limit = TIMEOUT if timeout is None else min(TIMEOUT, timeout)
    seconds = compile_pdf(source, out.with_suffix(".pdf"), timeout=limit)
    say(f"wrote {out.with_suffix('.pdf')} (TeX {seconds:.1f} s)")


def _markdown(checked, out, title, html, plots, say) -> None:
    """The Markdown, and beside it an SVG for each failed step's plot (linked from it)."""
    from .plotdraw import svg_files
    from .render import render_md
    from .tex import atomic_write
    files = svg_files(checked, plots, out.stem)
    for name, svg in files.values():
        atomic_write(out.parent / name, svg)
        say(f"wrote {out.parent / name}")
    atomic_write(out, render_md(checked, title=title, html=html, plots=plots,
                                plot_files={k: name for k, (name, _) in files.items()}))
    say(f"wrote {out}")
