"""The checking process behind `derive serve`: SymPy stays loaded, one Session per file.

The server never checks anything itself: each job (a file's text) goes to this
process, which checks on its main thread under the usual CPU budgets and sends
back, as it goes, the steps (to typeset at once), their verdicts (recalled
ones at once, new ones as they come) and a summary. A newer text of the same
file makes it abandon the old one between two steps.
"""

from __future__ import annotations

import time

FLUSH = 0.1            # seconds between two batches of verdicts


def steps_view(derivation) -> list:
    """Every step as the page shows it: number, place, the author's LaTeX and ours."""
    from ..printing import relation_tex
    names = dict(derivation.latex_names)
    out, index = [], 0
    for part in derivation.parts:
        current = None
        for step in part.steps:
            index += 1
            lhs = step.lhs if step.lhs is not None else current
            current = step.rhs
            try:
                left, rel, right = relation_tex(lhs, step.rel, step.rhs, names)
                printed = f"{left} {rel} {right}" if step.lhs is not None else f"{rel} {right}"
            except Exception:        # a printer gap must not hide the step: the author's text stays
                printed = ""
            origin = step.origin or (None, None, None)
            out.append({"index": index, "part": part.label, "part_title": part.title,
                        "line": origin[1], "column": origin[2], "tex": step.tex,
                        "printed": printed, "starts_chain": step.lhs is not None,
                        "justification": step.why.text or step.why.kind})
    return out


def verdict_view(verdict) -> dict:
    """The verdict as the page shows it: the reason and the point as the terminal writes
    them (readable.py), the raw counterexample beside."""
    from .. import readable
    from ..report import MARKS
    # The certificate as `derive check --explain` prints it (the kernel's object stays here).
    cert = [str(line) for line in getattr(verdict, "lines", ()) or ()]
    if not cert and isinstance(verdict.certificate, (tuple, list)):
        cert = [str(line) for line in verdict.certificate]
    cex = verdict.counterexample
    return {"status": verdict.status, "mark": MARKS[verdict.status], "method": verdict.method,
            "reason": readable.reason(verdict.reason) if verdict.reason else None,
            "counterexample": cex, "point": readable.point_text(cex) if cex else None,
            "certificate": cert, "seconds": round(verdict.seconds, 4), "cached": verdict.cached}


class _Streaming:
    """Stands in for the memo during one walk: each verdict, recalled or new, is passed on."""

    def __init__(self, memo, derivation, emit):
        self.memo, self.emit = memo, emit
        self.index = {id(step): i for i, (_, step) in enumerate(derivation.steps(), start=1)}

    def recall(self, derivation, part, step, lhs, env, check):
        verdict = self.memo.recall(derivation, part, step, lhs, env, check)
        self.emit(self.index[id(step)], verdict)
        return verdict


def run_job(conn, cancel, session, seq: int, text: str) -> None:
    """Read and check ``text``, sending ("steps" | "verdicts" | "done" | "error" | "superseded",
    seq, data) messages on ``conn``."""
    from ..checks import check_derivation
    from ..errors import InputError
    from ..incremental import Superseded
    start = time.perf_counter()
    try:
        derivation = session.read(text)
    except InputError as exc:
        conn.send(("error", seq, {"message": str(exc), "line": exc.line, "column": exc.column}))
        return
    conn.send(("steps", seq, {"id": derivation.id, "title": derivation.title,
                              "steps": steps_view(derivation)}))
    batch, last = {}, [time.perf_counter()]

    def emit(index, verdict):
        batch[index] = verdict_view(verdict)
        if time.perf_counter() - last[0] >= FLUSH:
            conn.send(("verdicts", seq, dict(batch)))
            batch.clear()
            last[0] = time.perf_counter()

    def before_check():
        if cancel.is_set():
            raise Superseded()

    session.memo.before_check = before_check
    try:
        results = check_derivation(derivation, _Streaming(session.memo, derivation, emit))
    except Superseded:
        conn.send(("superseded", seq, {}))
        return
    finally:
        session.memo.before_check = None
    if batch:
        conn.send(("verdicts", seq, dict(batch)))
    counts: dict = {}
    for r in results:
        counts[r.verdict.status] = counts.get(r.verdict.status, 0) + 1
    conn.send(("done", seq, {"counts": counts, "seconds": round(time.perf_counter() - start, 4),
                             "rechecked": sum(not r.verdict.cached for r in results)}))


def main(conn, cancel) -> None:
    """The worker's loop: (seq, name, text) jobs until None or the pipe closes."""
    from ..incremental import Session, StepMemo
    from ..source.library import warm_up
    from ..checks.registry import kinds
    kinds()                   # every checker imported before the first job, not during it
    warm_up()
    memo, sessions = StepMemo(), {}
    conn.send(("ready", 0, {}))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        seq, name, text = job
        session = sessions.setdefault(name, Session(name, memo))
        try:
            run_job(conn, cancel, session, seq, text)
        except Exception as exc:  # noqa: BLE001 - one bad job must not end the worker
            conn.send(("failure", seq, {"message": f"{type(exc).__name__}: {exc}"[:500]}))
