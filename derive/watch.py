"""`derive watch FILE`: re-check a derivation file each time it is saved, printing what changed."""

from __future__ import annotations

import time
from pathlib import Path

from .incremental import Outcome, Session


def _signature(r) -> tuple:
    """What a step's line says, without its timing: a change here is worth printing."""
    v = r.verdict
    cex = tuple(sorted((v.counterexample or {}).items()))
    return (r.part.label, r.index, r.step.tex or repr(r.step.rhs), v.status, v.method,
            v.reason, cex)


class Watcher:
    """Checks each new text of one file and reports the steps whose verdict line changed."""

    def __init__(self, path: Path, echo):
        self.path, self.echo = path, echo
        self.session = Session(str(path))
        self.text = None
        self.stamp = None
        self.lines: dict = {}          # (part, index) -> signature, from the last good check
        self.error = None

    def update(self, only_if_touched: bool = False) -> Outcome | None:
        """Check the file if its text changed; print what differs from last time.

        ``only_if_touched``: read it only if its size or modification time changed
        (an event says more: two saves within one tick of the file system's clock).
        """
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            if only_if_touched and stamp == self.stamp:
                return None
            self.stamp = stamp
            text = self.path.read_bytes().decode("utf-8", errors="strict")
        except FileNotFoundError:
            return None                # between an editor's delete and its write
        except (OSError, UnicodeDecodeError) as exc:
            self._problem(f"{self.path}: cannot read the file ({exc})")
            return None
        if text == self.text:
            return None
        self.text = text
        outcome = self.session.check(text)
        self.report(outcome)
        return outcome

    def _problem(self, message: str):
        if message != self.error:
            self.echo(f"derive: error: {message}", err=True)
        self.error = message

    def report(self, outcome: Outcome):
        import sys
        from .report import counts, records
        from .terminal import Style, step_lines
        style = Style.of(sys.stdout)
        if outcome.error is not None:
            self._problem(str(outcome.error))
            return
        self.error = None
        first = not self.lines
        now = {(r.part.label, r.index): _signature(r) for r in outcome.results}
        if first:
            self.echo(style.text(f"{outcome.derivation.id}: {outcome.derivation.title}"))
        changed = [r for r in outcome.results
                   if first or self.lines.get((r.part.label, r.index)) != now[(r.part.label, r.index)]]
        for line in step_lines(records(outcome.derivation, changed), style):
            self.echo(line)
        for part, index in self.lines:
            if (part, index) not in now:
                self.echo(f"  {part}.{index:<3} removed")
        self.lines = now
        c = counts(outcome.results)
        total = sum(c.values())
        said = ", ".join(f"{n} {s}" for s, n in c.items() if n)
        self.echo(f"{time.strftime('%H:%M:%S')}  {total} step{'' if total == 1 else 's'}: {said}"
                  f" · {outcome.rechecked} re-checked in {outcome.seconds * 1000:.0f} ms")


def run(path: Path, echo, stop_event=None) -> int:
    """Check ``path`` now and after every save until Ctrl-C (or ``stop_event``); exit status 0."""
    import watchfiles
    from .source.library import warm_up
    path = Path(path)
    if not path.is_file():
        from .errors import InputError
        raise InputError("no such derivation file", str(path))
    watcher = Watcher(path, echo)
    watcher.update()
    warm_up()           # the parser's first new formula would otherwise cost ~0.4 s
    target = path.resolve()
    live = False
    # The directory, not the file: editors save by writing a new file and renaming it.
    # A second without events yields an empty set: the first says the watch is live (a
    # save made before then is caught by comparing the text), later ones cost one read.
    for changes in watchfiles.watch(target.parent, watch_filter=lambda _c, p: Path(p) == target,
                              recursive=False, debounce=400, step=10, stop_event=stop_event,
                              rust_timeout=1000, yield_on_timeout=True, raise_interrupt=True):
        watcher.update(only_if_touched=not changes)
        if not live:
            live = True
            echo(f"watching {path} (Ctrl-C to stop)", err=True)
    return 0


__all__ = ["Watcher", "run"]
