"""The `derive` command line: thin; library errors become one-line messages here."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import click

EXIT_OK, EXIT_STEPS, EXIT_INPUT = 0, 1, 2


class InputProblem(click.ClickException):
    """A usage or input error: one line on stderr, exit status 2."""

    exit_code = EXIT_INPUT

    def show(self, file=None):
        _err(f"derive: error: {self.format_message()}")


class Stopped(BaseException):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C, so TeX is killed and temporary files go."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame):
    raise Stopped(signum)


def _err(message: str) -> None:
    from derive.terminal import visible
    # One line whatever the input held, and nothing in it sent to the terminal raw.
    click.echo(visible(" ".join(message.splitlines())), err=True)


def _fail(exc) -> InputProblem:
    return InputProblem(str(exc))


def _notes() -> None:
    """Say once why a cache was not used (an unsafe directory, no home)."""
    from derive import cache
    for note in cache.NOTES:
        _err(f"derive: note: {note}")
    cache.NOTES.clear()


class DeriveGroup(click.Group):
    """A click group whose usage errors are one line on stderr, exit status 2."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        for stream in (sys.stdout, sys.stderr):
            # A stream that cannot encode ✓ or ² (PYTHONIOENCODING=latin-1) shows escapes.
            if hasattr(stream, "reconfigure"):
                try:
                    stream.reconfigure(errors="backslashreplace")
                except (ValueError, OSError):
                    pass
        handlers = {}
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                handlers[name] = signal.signal(getattr(signal, name), _on_signal)
        try:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            hint = f" (see `derive {exc.ctx.info_name} --help`)" if exc.ctx and exc.ctx.parent else \
                " (see `derive --help`)"
            _err(f"derive: error: {exc.format_message()}{hint}")
            sys.exit(EXIT_INPUT)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except (click.exceptions.Abort, KeyboardInterrupt):
            _err("derive: interrupted")
            sys.exit(128 + signal.SIGINT)
        except Stopped as exc:
            _err(f"derive: stopped by {signal.Signals(exc.signum).name}")
            sys.exit(128 + exc.signum)
        finally:
            for name, previous in handlers.items():
                signal.signal(getattr(signal, name), previous)


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

    FILES are derivation files to list as well; a file that cannot be read is
    reported and the others are still listed (exit status 2 at the end).

    Example: derive list examples/*.md
    """
    from derive import targets
    from derive.errors import DeriveError
    from derive.terminal import Style, elide
    style = Style.of(sys.stdout)
    bad = False
    for target in ["all", *files]:
        try:
            derivations = [targets.load(s, targets.read(s) if isinstance(s, targets.Source)
                                        and s.kind != "prose" else None)
                           for s in targets.plan([target])]
        except DeriveError as exc:
            _err(f"derive: error: {exc}")
            bad = True
            continue
        for d in derivations:
            steps = sum(len(p.steps) for p in d.parts)
            kind = "prose" if d.kind == "prose" else f"{steps} step{'' if steps == 1 else 's'}"
            line = style.text(f"{d.id:<22} {kind:>9}  {d.title}")
            click.echo(elide(line, style.width) if style.width else line)
    sys.exit(EXIT_INPUT if bad else EXIT_OK)


def _run(targets, *, no_cache, jobs, timeout, build=False, keep_going=False):
    """The session's run, its input errors as one-line messages."""
    from derive import session
    from derive.errors import DeriveError
    from derive.terminal import Progress
    try:
        return session.check(targets, cache=not no_cache, jobs=jobs, timeout=timeout,
                             build=build, progress=Progress(), keep_going=keep_going)
    except DeriveError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(f"{exc.filename or ''}: {exc.strerror}") from None


def _print_reports(run, style, **options) -> None:
    """Each derivation's lines and the summary (derive.terminal.report_lines)."""
    from derive.terminal import report_lines
    out, err = report_lines(run, style, **options)
    for line in err:
        _err(line)
    for line in out:
        click.echo(line)


def _run_options(f):
    f = click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
                     metavar="SECONDS",
                     help="Stop starting steps after this much wall time; the rest are unknown.")(f)
    f = click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Worker processes for checking (default: one per core).")(f)
    f = click.option("--strict", is_flag=True,
                     help="Exit 1 unless every step is proved or cited (not only checked).")(f)
    f = click.option("--no-cache", is_flag=True,
                     help="Check again and read LaTeX afresh: no cache is read or written.")(f)
    return f


@main.command()
@click.argument("targets", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the verdicts as JSON.")
@click.option("--explain", is_flag=True, help="Show each proof's certificate under its step.")
@click.option("--recheck", is_flag=True,
              help="Re-run only the kernel over the cached certificates (no search).")
@click.option("--plot", is_flag=True,
              help="Under each failed step, both sides plotted around its counterexample.")
@_run_options
def check(targets, as_json, explain, recheck, plot, no_cache, strict, jobs, timeout):
    """Check every step of TARGETS (solution ids, `all`, files or directories; default all).

    Exit status: 0 when no step failed or stayed unknown (with --strict: every
    step proved or cited); 1 otherwise; 2 for a usage or input error. Verdicts
    are cached by the engine's code and the exact bytes checked (DERIVE_NO_CACHE=1
    or --no-cache turns every cache off).

    Example: derive check q6 --json
    """
    from derive.report import as_json as json_document
    from derive.terminal import Style
    targets = list(targets) or ["all"]
    if recheck:
        run = _recheck(targets, no_cache)
    else:
        # Several files (a directory): one that does not read is an error line, and the
        # others are still checked; the exit status is then 2.
        run = _run(targets, no_cache=no_cache, jobs=jobs, timeout=timeout,
                   build=plot and not as_json, keep_going=True)
    if as_json:
        click.echo(json.dumps(json_document(run.reports), indent=2, ensure_ascii=False))
    else:
        _print_reports(run, Style.of(sys.stdout), explain=explain, strict=strict,
                       plot=plot and not recheck)
    _notes()
    for error in run.errors:
        _err(f"derive: error: {error}")
    if run.errors:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_OK if run.ok(strict) else EXIT_STEPS)


def _recheck(targets, no_cache):
    from derive import session
    from derive.errors import DeriveError
    if no_cache:
        raise InputProblem("--recheck reads the cached certificates; it cannot go with --no-cache")
    try:
        return session.recheck(targets)
    except DeriveError as exc:
        raise _fail(exc) from None


@main.command()
@click.argument("target")
@click.option("--to", "fmt", type=click.Choice(["pdf", "tex", "md"]), default="pdf",
              show_default=True, help="Output format (pdf also writes the .tex).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Output file (default: TARGET.pdf, or solutions.pdf for `all`).")
@click.option("--allow-html", is_flag=True,
              help="Markdown: keep HTML written in the text (shown as text by default).")
@_run_options
def render(target, fmt, output, allow_html, no_cache, strict, jobs, timeout):
    """Typeset TARGET (a solution id, `all`, or a derivation file).

    Every step is checked first; the summary and each failed or unknown step
    are printed before the files written. A failed or unknown step is typeset
    with a red mark and its reason, and the exit status is then 1. A LaTeX
    document (notes.tex) is compiled as its author wrote it, with a mark beside
    each checked step and the reasons in the margin (notes.checked.pdf; the
    document itself is never modified).

    Example: derive render all
    """
    import time
    from derive import outputs
    from derive.errors import DeriveError
    from derive.terminal import Style
    started = time.monotonic()
    try:
        if output:
            outputs.check_parent(Path(output))     # before any checking, as `cp` would
        run = _run([target], no_cache=no_cache, jobs=jobs, timeout=timeout, build=True)
        checked = [(r.derivation, list(r.results or ())) for r in run.reports]
        plan = outputs.plan(target, fmt, output, [d for d, _ in checked])
    except DeriveError as exc:
        raise _fail(exc) from None
    _print_reports(run, Style.of(sys.stdout), only_bad=True, strict=strict)
    remaining = None if timeout is None else max(1.0, timeout - (time.monotonic() - started))
    try:
        outputs.render(plan, checked, html=allow_html, timeout=remaining, say=click.echo,
                       warn=_err)
    except DeriveError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(f"cannot write {exc.filename or plan.out}: {exc.strerror}") from None
    _notes()
    sys.exit(EXIT_OK if run.ok(strict) else EXIT_STEPS)


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


@main.command()
@click.argument("file", required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback unless you mean otherwise).")
def serve(file, port, host):
    """Edit derivation files in the browser, each step's mark updated as you type.

    Serves the files under the current directory (FILE opens first) at
    http://127.0.0.1:PORT/: the source on the left, the typeset steps on the
    right, a failed step's counterexample at its line. Only the checker runs;
    only files under this directory are read or saved. Ctrl-C stops.

    Example: derive serve examples/q6.md
    """
    from derive.errors import DeriveError
    try:
        from derive.serve import run
        from derive.serve.files import Refused
    except ImportError as exc:
        raise _fail(f"derive serve needs {exc.name}: pip install 'derive[serve]'") from None
    try:
        sys.exit(run(Path.cwd(), host=host, port=port, file=file, echo=click.echo))
    except Refused as exc:
        raise _fail(exc) from None
    except DeriveError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def entry():
    """The console script: ends as soon as its output is flushed. (A normal exit first
    tears down every SymPy object the run made, about 0.1 s that nobody waits for.)"""
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        _err(code)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(0 if code is None else code)


if __name__ == "__main__":   # pragma: no cover
    entry()
