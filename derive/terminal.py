"""Verdicts on a terminal: lines that fit its width, coloured marks, safe text, live progress.

No SymPy and no rich here: a warm ``derive check`` prints from cached records,
and ``derive --help`` stays fast. Everything that came from a file passes
``visible`` first, so a title cannot send escape sequences to the terminal.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass

from . import readable
from .marks import BY_STATUS, PROOF
from .verdict import STATUSES

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                      "\u202a-\u202e\u2066-\u2069]")
# For output streams that cannot encode these (PYTHONIOENCODING=latin-1, LANG=C).
_ASCII = str.maketrans({"·": "*", "≤": "<=", "≥": ">=", "≠": "!=", "⟺": "<=>", "→": "->",
                        "…": "...", "−": "-", "∂": "d", "√": "sqrt", "∞": "inf", "‖": "||",
                        "⟨": "<", "⟩": ">", "²": "^2", "³": "^3", "ⁿ": "^n", "—": "--"})


def visible(s: str) -> str:
    """``s`` with control characters shown, not sent (``\\x1b``, ``\\u202e``); tabs as spaces."""
    s = s.replace("\t", " ")
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1] if m.group() != "\n" else "\\n", s)


def cells(s: str) -> int:
    """How many terminal columns ``s`` takes (combining marks none, wide characters two)."""
    n = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def _cut(s: str, width: int) -> str:
    """The longest prefix of ``s`` that fits ``width`` columns."""
    out, n = [], 0
    for ch in s:
        w = cells(ch)
        if n + w > width:
            break
        out.append(ch)
        n += w
    return "".join(out)


def elide(s: str, width: int) -> str:
    return s if cells(s) <= width else _cut(s, max(width - 1, 0)) + "…"


def wrap(s: str, width: int) -> list:
    """``s`` in lines of at most ``width`` columns, broken at spaces where possible."""
    width = max(width, 8)
    lines, line = [], ""
    for word in s.split(" "):
        candidate = f"{line} {word}" if line else word
        if cells(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while cells(word) > width:
            head = _cut(word, width)
            lines.append(head)
            word = word[len(head):]
        line = word
    lines.append(line)
    return lines


@dataclass(frozen=True)
class Style:
    """How to write to one stream: its width (None: no limit), colour, marks it can encode."""

    width: int | None = None
    colour: bool = False
    unicode: bool = True

    @classmethod
    def of(cls, stream) -> "Style":
        tty = _isatty(stream)
        width = None
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            width = int(columns)
        elif tty:
            try:
                width = os.get_terminal_size(stream.fileno()).columns
            except (OSError, ValueError, AttributeError):
                width = 80
        colour = tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
        return cls(width, colour, _encodes(stream, "✓≈⊢✗·≤²∂"))

    def mark(self, status: str) -> str:
        m = BY_STATUS[status]
        symbol = m.symbol if self.unicode else m.ascii
        return f"\x1b[{m.colour}m{symbol}\x1b[0m" if self.colour else symbol

    def paint(self, status: str, text: str) -> str:
        return f"\x1b[{BY_STATUS[status].colour}m{text}\x1b[0m" if self.colour else text

    def text(self, s: str) -> str:
        s = visible(s)
        return s if self.unicode else s.translate(_ASCII)

    def mark_cells(self, status: str) -> int:
        return cells(BY_STATUS[status].symbol if self.unicode else BY_STATUS[status].ascii)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _encodes(stream, sample: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        sample.encode(encoding)
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def short_method(method: str) -> str:
    """'cancel in each sign case (v>0, x>0; v<0, x<0)' → 'cancel in 2 sign cases'
    (the cases stay in --json and --explain)."""
    m = re.search(r" in each sign case \((.*)\)$", method)
    if not m:
        return method
    return method[:m.start()] + f" in {len(m.group(1).split('; '))} sign cases"


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


METHOD_WIDTH = 34


def step_lines(records, style: Style, explain: bool = False, below=None) -> list:
    """The lines for one derivation's steps: mark, number, relation, [method], time;
    ``below`` {step index: lines} are printed under a step (check --plot's pictures)."""
    below = below or {}
    if not records:
        return []
    numbers = [f"{r.part}.{r.index}" for r in records]
    num_w = max(max(cells(style.text(n)) for n in numbers), 5)
    mark_w = max(style.mark_cells(r.verdict.status) for r in records)
    # The method gets a third of a narrow terminal at most; the relation needs the rest.
    limit = max(10, min(METHOD_WIDTH, style.width // 3) - 2) if style.width else 10**9
    methods = [f"[{style.text(elide(short_method(r.verdict.method), limit))}]" for r in records]
    times = [_time(r.verdict.seconds) for r in records]
    relations = [style.text(r.text) for r in records]
    conditions = [style.text(f"for {', '.join(r.conditions)}") if r.conditions else ""
                  for r in records]
    lines = []
    if style.width is None:
        for r, num, rel, cond, meth, t in zip(records, numbers, relations, conditions, methods,
                                              times):
            rel = f"{rel}   {cond}" if cond else rel
            lines.append(f"{style.mark(r.verdict.status)} {style.text(num):<{num_w}} {rel}   {meth} {t}")
            lines.extend(_details(r, style, explain))
            lines.extend(below.get(r.index, ()))
        return lines
    prefix_w = mark_w + 1 + num_w + 1
    meth_w = max(cells(m) for m in methods)
    time_w = max(len(t) for t in times)
    rel_w = style.width - prefix_w - 2 - meth_w - 1 - time_w
    for r, num, rel, cond, meth, t in zip(records, numbers, relations, conditions, methods, times):
        mark = style.mark(r.verdict.status) + " " * (mark_w - style.mark_cells(r.verdict.status))
        head = f"{mark} {style.text(num)}{' ' * (num_w - cells(style.text(num)))} "
        if rel_w >= 20:
            chunks = _relation_lines(rel, cond, rel_w)
            first = chunks[0] + " " * (rel_w - cells(chunks[0]))
            pad = " " * (meth_w - cells(meth))
            lines.append(f"{head}{first}  {meth}{pad} {t:>{time_w}}")
            lines.extend(" " * prefix_w + c for c in chunks[1:])
        else:               # too narrow for columns: the relation goes below
            lines.append(elide(f"{head}{meth} {t}", style.width))
            lines.extend("    " + c for c in _relation_lines(rel, cond, style.width - 4))
        lines.extend(_details(r, style, explain))
        lines.extend(below.get(r.index, ()))
    return lines


def _relation_lines(rel: str, cond: str, width: int) -> list:
    """The relation wrapped to ``width``; its case conditions after it, or on lines of
    their own when they do not fit (never split across the relation)."""
    chunks = wrap(rel, width)
    if cond:
        if cells(chunks[-1]) + 3 + cells(cond) <= width:
            chunks[-1] += "   " + cond
        else:
            chunks += ["  " + c for c in wrap(cond, width - 2)]
    return chunks


def _details(r, style: Style, explain: bool) -> list:
    """The reason, counterexample and (with --explain) certificate under a step."""
    v = r.verdict
    out = []
    if v.status in ("failed", "unknown", "checked") and v.reason:
        out += _indented(f"{style.paint(v.status, v.status)}: ", style.text(readable.reason(v.reason)),
                         style, len(v.status) + 2)
    if v.counterexample:
        out += _indented("counterexample: ", style.text(readable.point_text(v.counterexample)),
                         style, 16)
    if v.status in ("failed", "unknown") and r.file:
        where = ":".join(str(p) for p in (r.file, r.line, r.column) if p is not None)
        out += _indented("at ", style.text(where), style, 3)
    if explain:
        if short_method(v.method) != v.method:
            out += _indented("method: ", style.text(v.method), style, 8)
        for line in v.lines:             # what the kernel checked, in words
            out += _indented("", style.text(line), style, 0)
    return out


def _indented(label: str, text: str, style: Style, label_w: int) -> list:
    if style.width is None:
        return [f"      {label}{text}"]
    chunks = wrap(text, style.width - 6 - label_w)
    return [f"      {label}{chunks[0]}"] + [" " * (6 + label_w) + c for c in chunks[1:]]


def summary(counts: dict, style: Style, *, seconds: float, cached: int, total_reports: int,
            strict: bool = False, rechecked: bool = False) -> str:
    """'25 steps: 25 proved in 1.04 s', '… (cached)', with --strict how many are only checked."""
    total = sum(counts.values())
    parts = [style.paint(s, f"{counts[s]} {s}") for s in STATUSES if counts[s]]
    line = f"{total} step{'' if total == 1 else 's'}: " + ", ".join(parts)
    if rechecked:
        line += f", the cached certificates re-checked by the kernel in {seconds:.2f} s"
    elif total_reports and cached == total_reports:
        line += " (cached)"
    else:
        line += f" in {seconds:.2f} s"
        if cached:
            line += f" ({cached} of {total_reports} derivations cached)"
    unproved = sum(n for s, n in counts.items() if s not in PROOF)
    if strict and unproved:
        only = counts["checked"]
        line += f"; --strict: {unproved} not proved or cited" + \
            (f" ({only} only checked)" if only else "")
    return line


def report_lines(run, style: Style, *, explain=False, only_bad=False, strict=False,
                 plot=False) -> tuple:
    """(lines, error lines) for a run: each derivation's step lines (or only its failed
    and unknown ones), then the summary; ``plot``: each failed step's picture under it
    (the run must be built). What a document could not read is an error line each."""
    from .marks import BAD
    out, err = [], []
    for report in run.reports:
        err += [f"derive: error: {line}" for line in report.unreadable_lines()]
        if not report.steps:
            if not only_bad:
                what = "prose" if report.kind == "prose" else "no $$ blocks with steps"
                out.append(f"{style.text(report.id)} has no derivation steps ({what})")
            continue
        steps = [s for s in report.steps if s.verdict.status in BAD] if only_bad else report.steps
        if not steps:
            continue
        title = style.text(f"{report.id}: {report.title}")
        out.append(elide(title, style.width) if style.width else title)
        below = {}
        if plot and report.derivation is not None:
            from .plotdata import terminal_plots
            below = terminal_plots(report.derivation, report.results or (), style.width or 80)
        out += step_lines(steps, style, explain, below)
    if sum(run.counts.values()):
        with_steps = [r for r in run.reports if r.steps]
        out.append(summary(run.counts, style, seconds=run.seconds,
                           cached=sum(1 for r in with_steps if r.cached),
                           total_reports=len(with_steps), strict=strict,
                           rechecked=getattr(run, "rechecked", False)))
    return out, err


class Progress:
    """A live line on a terminal (stderr) while checking takes longer than ``delay`` seconds:
    steps done of the total, and the derivation being checked. Nothing when not a TTY."""

    def __init__(self, stream=None, delay: float | None = None):
        self.stream = stream or sys.stderr
        given = os.environ.get("DERIVE_PROGRESS_DELAY", "")
        self.delay = delay if delay is not None else (float(given) if _number(given) else 1.0)

    def __call__(self, names, totals=None):
        """``totals`` None: the workers report them as they read (derive.runtime.totals)."""
        self.names, self.totals = list(names), None if totals is None else list(totals)
        return self

    def __enter__(self):
        self._stop = threading.Event()
        self._thread = None
        self._shown = False
        if _isatty(self.stream) and (self.totals is None or sum(self.totals)):
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            if self._shown:
                self._write("\r\x1b[K")
        return False

    def _run(self):
        if self._stop.wait(self.delay):
            return
        from . import runtime
        width = Style.of(self.stream).width or 80
        while not self._stop.is_set():
            totals = self.totals if self.totals is not None else runtime.totals()
            done = runtime.done() or [0] * len(totals)
            current = next((n for n, d, t in zip(self.names, done, totals) if d < t), "")
            line = f"checking {sum(done)}/{sum(totals)} steps  {current}"
            self._write("\r\x1b[K" + elide(visible(line), width - 1))
            self._shown = True
            self._stop.wait(0.1)

    def _write(self, s: str) -> None:
        # os.write, not the stream: no lock a forked worker could inherit held.
        try:
            os.write(self.stream.fileno(), s.encode(getattr(self.stream, "encoding", None)
                                                     or "utf-8", "replace"))
        except (OSError, ValueError, AttributeError):
            pass


def _number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False
