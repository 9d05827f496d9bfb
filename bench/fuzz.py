"""Fuzz the whole pipeline: random derivation files → reader → checker → --json, terminal, LaTeX, Markdown.

    python bench/fuzz.py [--inputs 10000] [--seed 1] [--hang 60]      (make fuzz)

Each input is a derivation file built from a grammar (front matter, parts, steps
of random expressions and justifications), then sometimes damaged (bytes cut,
doubled, or replaced with control characters). It goes through
derive.session.check (reading, checking, records), the --json document, the
terminal's lines at 80 columns, and render_tex / render_md. What must hold: an
input error is a derive.errors.DeriveError with a one-line message; everything
else ends as verdicts and documents; nothing raises anything else and nothing
runs past ``--hang`` seconds of wall time. Prints a summary (counts by outcome,
tracebacks, hangs) and exits 1 if there was a traceback or a hang.
tests/robustness/test_fuzz_pipeline.py runs the same generator under hypothesis
with a CI-sized budget.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NAMES = ["x", "y", "z", "a", "b"]
FUNCTIONS = [r"\sigma", r"\log", r"\sin", r"\cos", r"\exp", r"\tanh", r"\sqrt", r"\operatorname{ReLU}"]
RELATIONS = ["=", "=", "=", "=", r"\le", "<", r"\ge", ">"]
KINDS = ["algebra"] * 8 + ["sign"] * 3 + [
    "chain rule", "derivative", "substitute", "definition", "limit", "case", "simplify", "expand",
    "product rule", "solve", "equivalent", "combination", "monotone", "algebra: $x$",
    "sign, for x > 0", "algebra, for y \\ne 0", "chainrule", "", "hypothesis nope(x)"]
NUMBERS = ["0", "1", "2", "3", r"\frac{1}{2}", "0.5", "10^{10}", "10^{-300}", "1000000", "e", r"\pi",
           r"10^{10^{10}}", "(-1)", "0^{0}", r"\infty"]
NOISE = ["\x00", "\x1b[2J", "\x07", "\x7f", "\u202e", "\u2028", "\x0c", "$", "$$", "%", "{", "}",
         "\\", "&", "_", "^", "#", "𝒜", "\\input{/etc/passwd}", "<script>", "\r", "\t", "ŷ"]


def expression(rng: random.Random, depth: int = 0) -> str:
    """A random LaTeX expression over the declared names (sometimes an undeclared one)."""
    if depth > 3 or rng.random() < 0.3:
        pick = rng.random()
        if pick < 0.55:
            return rng.choice(NAMES)
        if pick < 0.98:
            return rng.choice(NUMBERS)
        return rng.choice(["w", r"\alpha", "q"])       # not declared
    form = rng.randrange(10)
    a, b = expression(rng, depth + 1), expression(rng, depth + 1)
    if form == 0:
        return f"{a} + {b}"
    if form == 1:
        return f"{a} - {b}"
    if form == 2:
        return f"{a} \\cdot {b}"
    if form == 3:
        return f"\\frac{{{a}}}{{{b}}}"
    if form == 4:
        return f"({a})^{{{rng.choice(['2', '3', '-1', b])}}}"
    if form == 5:
        f = rng.choice(FUNCTIONS)
        return f"{f}{{{a}}}" if f == r"\sqrt" else f"{f}({a})"
    if form == 6:
        return f"e^{{{a}}}"
    if form == 7:
        return f"\\left|{a}\\right|"
    if form == 8:
        return f"\\frac{{\\partial}}{{\\partial {rng.choice(NAMES)}}} ({a})"
    return f"({a})({b})"


def derivation_file(rng: random.Random) -> str:
    """A derivation file: front matter, one or two parts of one to three steps."""
    names = ", ".join(NAMES)
    bound = rng.choice(["", " ", "0 < x", "x > 0", "0 < y < 1", "a \\le b"])
    front = [f"title: {rng.choice(['fuzz', 'A $x^2$ title', 'ŷ and ∂', 'T' * rng.randrange(1, 200)])}",
             "symbols:", f"  - {names} \\in \\mathbb{{R}}"]
    if rng.random() < 0.9:
        front += ["functions:", "  - \\sigma(t) = \\frac{1}{1 + e^{-t}}"]
    if rng.random() < 0.3:
        front += ["define:", f"  - u = {expression(rng, 2)}"]
    if bound.strip() and rng.random() < 0.5:
        front += ["assume:", f"  - {bound}"]
    body = []
    for label in "ab"[:rng.randint(1, 2)]:
        body += [f"## ({label}) Part {label}", "", "Some prose with $x$ in it.", "", "$$"]
        for i in range(rng.randint(1, 3)):
            lhs = expression(rng) if i == 0 or rng.random() < 0.3 else ""
            comment = rng.choice(KINDS)
            if rng.random() < 0.05:          # an equivalence relates relations; \ne is refused
                middle = rng.choice([r"\iff", r"\ne"])
                step = f"{expression(rng, 2)} > 0 {middle} {expression(rng, 2)} > 0"
            else:
                step = f"{lhs} {rng.choice(RELATIONS)} {expression(rng)}"
            body.append(step + (f"   % {comment}" if comment or rng.random() < 0.5 else ""))
        body += ["$$", ""]
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(body)


def damaged(text: str, rng: random.Random) -> str:
    """Sometimes the file as written; sometimes cut, doubled or sprinkled with noise."""
    if rng.random() < 0.7:
        return text
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        how = rng.randrange(3)
        if how == 0:
            text = text[:at] + rng.choice(NOISE) + text[at:]
        elif how == 1:
            text = text[:at] + text[at + rng.randint(1, 20):]
        else:
            text = text[:at] + text[at:at + rng.randint(1, 30)] + text[at:]
    return text


class Hang(BaseException):
    """An input ran past its wall-clock allowance."""


def outcome(text: str, where: Path) -> str:
    """What happened to one input: 'error', or 'checked:<statuses>'; anything else raises."""
    from derive import session
    from derive.errors import DeriveError
    from derive.render import render_md, render_tex
    from derive.report import as_json
    from derive.terminal import Style, step_lines
    path = where / "fuzz.md"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        run = session.check([str(path)], cache=False, jobs=1, build=True)
    except DeriveError as exc:
        message = str(exc)
        assert message and "\n" not in message, f"not one line: {message!r}"
        return "error"
    json.dumps(as_json(run.reports), ensure_ascii=False)
    for report in run.reports:
        step_lines(report.steps, Style(width=80), explain=True)
    checked = [(r.derivation, list(r.results)) for r in run.reports]
    for render in (lambda: render_tex(checked, title="Fuzz"), lambda: render_md(checked, title="Fuzz")):
        try:
            render()
        except DeriveError as exc:     # refused with a message is fine; a traceback is not
            assert "\n" not in str(exc), f"not one line: {exc!r}"
    return "checked:" + "".join(sorted({s.verdict.status[0] for r in run.reports for s in r.steps}))


def short_budget():
    """Verdicts, not speed, are under test: a short step budget keeps a run fast."""
    from derive.checks import driver
    driver.STEP_BUDGET = 0.5


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hang", type=float, default=60.0, help="wall seconds per input")
    args = parser.parse_args(argv)
    short_budget()

    def on_alarm(signum, frame):
        raise Hang()
    signal.signal(signal.SIGALRM, on_alarm)
    rng = random.Random(args.seed)
    seen, crashes, hangs, slowest = Counter(), [], [], (0.0, "")
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="derive-fuzz-") as tmp:
        for n in range(args.inputs):
            text = damaged(derivation_file(rng), rng)
            began = time.monotonic()
            signal.setitimer(signal.ITIMER_REAL, args.hang)
            try:
                seen[outcome(text, Path(tmp)).split(":")[0]] += 1
            except Hang:
                hangs.append(text)
            except BaseException as exc:      # noqa: BLE001 - that is what we are looking for
                if isinstance(exc, KeyboardInterrupt):
                    raise
                crashes.append((text, traceback.format_exc()))
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            took = time.monotonic() - began
            slowest = max(slowest, (took, text))
            if (n + 1) % 500 == 0:
                print(f"{n + 1} inputs, {dict(seen)}, {len(crashes)} tracebacks, {len(hangs)} hangs, "
                      f"{time.monotonic() - start:.0f} s", flush=True)
    print(f"\n{args.inputs} inputs (seed {args.seed}) in {time.monotonic() - start:.0f} s: "
          f"{seen['error']} input errors, {seen['checked']} checked; {len(crashes)} tracebacks, "
          f"{len(hangs)} hangs over {args.hang:g} s; slowest input {slowest[0]:.1f} s")
    for text, trace in crashes[:5]:
        print("\n--- traceback for:\n" + text + "\n" + trace)
    for text in hangs[:3]:
        print("\n--- hang:\n" + text)
    return 1 if crashes or hangs else 0


if __name__ == "__main__":
    sys.exit(main())
