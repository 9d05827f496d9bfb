"""The `derive` command line: thin; library errors become one-line messages here."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

EXIT_OK, EXIT_STEPS, EXIT_INPUT = 0, 1, 2


class InputProblem(click.ClickException):
    """A usage or input error: one line on stderr, exit status 2."""

    exit_code = EXIT_INPUT

    def show(self, file=None):
        click.echo(f"derive: error: {self.format_message()}", err=True)


def _fail(exc) -> InputProblem:
    return InputProblem(str(exc))


def _load_targets(targets):
    """Resolve ids, `all` and derivation files into derivations, in order."""
    from derive.errors import DeriveError
    from derive.targets import resolve
    try:
        return resolve(targets)
    except DeriveError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(f"{exc.filename or ''}: {exc.strerror}") from None


def _check(derivations):
    from derive.checks.parallel import check_all
    return check_all(derivations)


def _check_cached(targets, derivations, no_cache):
    """[(derivation, results)]: cached verdicts where the sources are unchanged."""
    from derive import cache
    from derive.checks.parallel import rebuild_results
    from derive.report import payload, verdicts_from
    from derive.targets import sources
    store = None if (no_cache or cache.disabled()) else cache.VerdictCache()
    files = sources(targets) if store else None
    if not files or len(files) != len(derivations):
        return _check(derivations)
    out, missing = [], []
    for f, d in zip(files, derivations):
        p = store.get(f)
        steps = sum(len(part.steps) for part in d.parts)
        if p is None or len(p["statuses"]) != steps:
            missing.append(d)
        out.append((d, p))
    fresh = dict((id(d), rs) for d, rs in _check(missing)) if missing else {}
    result = []
    for f, (d, p) in zip(files, out):
        if id(d) in fresh:
            rs = fresh[id(d)]
            pl = payload(d, rs)
            if "unknown" not in pl["statuses"]:
                store.put(f, pl)
            result.append((d, rs))
        else:
            result.append((d, rebuild_results(d, verdicts_from(p))))
    return result


class DeriveGroup(click.Group):
    """A click group whose usage errors are one line on stderr, exit status 2."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            hint = f" (see `derive {exc.ctx.info_name} --help`)" if exc.ctx and exc.ctx.parent else \
                " (see `derive --help`)"
            click.echo(f"derive: error: {exc.format_message()}{hint}", err=True)
            sys.exit(EXIT_INPUT)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("derive: aborted", err=True)
            sys.exit(EXIT_STEPS)


def _version() -> str:
    from derive import __version__
    return __version__


@click.group(cls=DeriveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=_version(), prog_name="derive", message="%(prog)s %(version)s")
def main():
    """Rebuild derivations step by step, prove every step, typeset the result.

    \b
    Examples:
      derive list
      derive check q6
      derive render all
    """


@main.command("list")
@click.argument("files", nargs=-1, type=click.Path())
def list_cmd(files):
    """List the known derivations: id, title, number of steps.

    FILES are derivation files to list as well.

    Example: derive list examples/descent-lemma.md
    """
    derivations = _load_targets(["all", *files])
    for d in derivations:
        steps = sum(len(p.steps) for p in d.parts)
        kind = "prose" if d.kind == "prose" else f"{steps} steps"
        click.echo(f"{d.id:<22} {kind:>9}  {d.title}")


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the verdicts as JSON.")
@click.option("--explain", is_flag=True, help="Show each proof's certificate under its step.")
@click.option("--no-cache", is_flag=True, help="Check again even if the verdicts are cached.")
def check(targets, as_json, explain, no_cache):
    """Check every step of TARGETS (solution ids, `all`, or files; default all).

    Exit status: 0 when every step is proved, checked or cited; 1 when one
    failed or stayed unknown; 2 for a usage or input error. Verdicts are cached
    by the engine's code and the derivation's source (DERIVE_NO_CACHE=1 or
    --no-cache turns that off).

    Example: derive check q6 --json
    """
    from derive import cache
    from derive.targets import sources
    start = time.perf_counter()
    targets = targets or ["all"]
    store = None if (no_cache or cache.disabled()) else cache.VerdictCache()
    files = sources(targets) if store else None
    payloads = [store.get(f) for f in files] if files else None
    if not payloads or any(p is None for p in payloads):
        from derive.report import payload
        checked = _check(_load_targets(targets))
        payloads = [payload(d, rs) for d, rs in checked]
        if store and files and len(files) == len(payloads):
            for f, p in zip(files, payloads):
                # An unknown may be a budget cut short by a busy machine: never cached.
                if "unknown" not in p["statuses"]:
                    store.put(f, p)
    _print_check(payloads, as_json, explain, time.perf_counter() - start)
    bad = any(s in ("failed", "unknown") for p in payloads for s in p["statuses"]) or \
        any(p["json"].get("unreadable") for p in payloads)
    sys.exit(EXIT_STEPS if bad else EXIT_OK)


def _print_check(payloads, as_json, explain, seconds):
    statuses = ("proved", "checked", "cited", "failed", "unknown")
    counts = {s: 0 for s in statuses}
    for p in payloads:
        for s in p["statuses"]:
            counts[s] += 1
    if as_json:
        summary = dict(counts, seconds=round(sum(st["seconds"] for p in payloads
                                                 for st in p["json"]["steps"]), 6))
        click.echo(json.dumps({"derivations": [p["json"] for p in payloads], "summary": summary},
                              indent=2, ensure_ascii=False))
        return
    from derive.report import unreadable_lines
    for p in payloads:
        if p["kind"] == "prose":
            continue
        # What a document held that could not be read: one error line each, and the run goes on.
        for line in unreadable_lines(p):
            click.echo(f"derive: error: {line}", err=True)
        click.echo(f"{p['id']}: {p['title']}")
        for line, extra in zip(p["lines"], p["explain"]):
            click.echo(line)
            if explain:
                for e in extra:
                    click.echo(e)
    parts = [f"{counts[s]} {s}" for s in statuses if counts[s]]
    total = sum(counts.values())
    click.echo(f"{total} step{'' if total == 1 else 's'}: " + ", ".join(parts) + f" in {seconds:.2f} s")


@main.command()
@click.argument("target")
@click.option("--to", "fmt", type=click.Choice(["pdf", "tex", "md"]), default="pdf",
              show_default=True, help="Output format (pdf also writes the .tex).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Output file (default: TARGET.pdf, or solutions.pdf for `all`).")
@click.option("--no-cache", is_flag=True, help="Check again even if the verdicts are cached.")
@click.option("--allow-html", is_flag=True,
              help="Markdown: keep HTML written in the text (shown as text by default).")
def render(target, fmt, output, no_cache, allow_html):
    """Typeset TARGET (a solution id, `all`, or a derivation file).

    Every step is checked first; a failed or unknown step is typeset with a red
    mark and its reason, and the exit status is then 1. A LaTeX document
    (notes.tex) is compiled as its author wrote it, with a mark beside each
    checked step and the reasons in the margin (notes.checked.pdf; the
    document itself is never modified).

    Example: derive render all
    """
    from derive.errors import DeriveError
    from derive.render import render_md, render_tex
    from derive.tex import INSTALL_HINT, atomic_write, compile_pdf, have_tex
    derivations = _load_targets([target])
    checked = _check_cached([target], derivations, no_cache)
    if fmt != "md" and Path(target).suffix.lower() in (".tex", ".latex") and Path(target).is_file():
        return _render_annotated(Path(target), checked, fmt, output)
    stem = "solutions" if target == "all" else Path(target).stem
    out = Path(output) if output else Path(f"{stem}.{fmt}")
    given = Path(target)
    written = {"md": [out], "tex": [out.with_suffix(".tex")],
               "pdf": [out.with_suffix(".tex"), out.with_suffix(".pdf"), out.with_suffix(".md")]}[fmt]
    if given.is_file() and any(p.exists() and p.resolve() == given.resolve() for p in written):
        if output:
            raise _fail(f"{output}: that is the derivation being rendered; choose another -o")
        # `derive render notes.md --to md` must never overwrite notes.md itself.
        out = Path(f"{stem}.typeset.{fmt}")
    title = "Solutions" if target == "all" else derivations[0].title
    try:
        if fmt == "md":
            atomic_write(out, render_md(checked, title=title, html=allow_html))
            click.echo(f"wrote {out}")
        else:
            source = render_tex(checked, title=title, standalone_summary=target == "all")
            tex_path = out.with_suffix(".tex")
            atomic_write(tex_path, source)
            click.echo(f"wrote {tex_path}")
            if fmt == "pdf":
                if not have_tex():
                    # Still something to read: the Markdown, next to the .tex.
                    md_path = out.with_suffix(".md")
                    atomic_write(md_path, render_md(checked, title=title, html=allow_html))
                    click.echo(f"wrote {md_path}")
                    click.echo(INSTALL_HINT, err=True)
                else:
                    seconds = compile_pdf(source, out.with_suffix(".pdf"))
                    click.echo(f"wrote {out.with_suffix('.pdf')} (TeX {seconds:.1f} s)")
    except DeriveError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(f"cannot write {exc.filename or out}: {exc.strerror}") from None
    bad = any(r.verdict.status in ("failed", "unknown") for _, rs in checked for r in rs)
    sys.exit(EXIT_STEPS if bad else EXIT_OK)


def _render_annotated(path, checked, fmt, output):
    """A LaTeX document is typeset as the author wrote it, with a mark beside each step."""
    from derive.annotate import render_annotated
    from derive.errors import DeriveError
    (derivation, results), = checked
    out = Path(output) if output else Path(f"{path.stem}.checked.{fmt}")
    try:
        for written in render_annotated(path, results, out, fmt, dict(derivation.latex_names)):
            click.echo(f"wrote {written}")
    except DeriveError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(f"cannot write {exc.filename or out}: {exc.strerror}") from None
    bad = any(r.verdict.status in ("failed", "unknown") for r in results)
    sys.exit(EXIT_STEPS if bad or dict(derivation.extra).get("unreadable") else EXIT_OK)


@main.command()
@click.argument("name")
def new(name):
    """Write NAME.md, a small derivation file to start from (never overwrites).

    The file declares its symbols, states a few steps in LaTeX with their
    justifications, and passes `derive check`. The format is described in
    docs/derivation-files.md.

    Example: derive new my-derivation
    """
    from derive.errors import DeriveError
    from derive.source.scaffold import write_new
    try:
        path = write_new(name)
    except DeriveError as exc:
        raise _fail(exc) from None
    click.echo(f"wrote {path}; check it with: derive check {path}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
def watch(file):
    """Check FILE, then re-check it each time it is saved, printing only what changed.

    Only the steps whose content or context changed are checked again; the
    process keeps SymPy loaded between saves. Ctrl-C stops.

    Example: derive watch notes.md
    """
    from derive.errors import DeriveError
    try:
        from derive.watch import run
    except ImportError as exc:
        raise _fail(f"derive watch needs {exc.name}: pip install 'derive[watch]'") from None
    try:
        sys.exit(run(Path(file), click.echo))
    except DeriveError as exc:
        raise _fail(exc) from None
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        sys.exit(EXIT_OK)


@main.command("import")
@click.argument("scan", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="The draft to write (default: SCAN's name with .draft.md, here).")
def import_cmd(scan, output):
    """Turn OCR output (Markdown with math) into a draft derivation file.

    Every line of SCAN is kept: prose as it is, each line of math as a comment
    followed by the steps read from it, each with the kind of reasoning that
    settled it and its verdict (or the reason it could not be read). Edit the
    draft, then `derive check` it.

    Example: derive import scan.md
    """
    from derive.drafts import write_draft
    from derive.errors import DeriveError
    try:
        path, counts = write_draft(Path(scan), Path(output) if output else None)
    except DeriveError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(f"{exc.filename or scan}: {exc.strerror}") from None
    click.echo(f"wrote {path}: {counts.summary()}")


if __name__ == "__main__":   # pragma: no cover
    main()
