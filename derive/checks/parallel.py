"""Checking on every core: forked workers take the next piece of work as they finish one.

``run`` maps any function over tasks in forked children (they inherit the
imported SymPy and send back plain data). ``check_all`` cuts derivations into
pieces for it: a derivation, or a run of its parts. Parts are independent
except through results a step establishes for later steps (``establishes=``),
so a derivation is cut only before parts that no earlier established result
can reach; the parent rebuilds the StepResults in order.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import struct
from dataclasses import replace

from .. import runtime
from ..verdict import Verdict
from . import StepResult, check_derivation

PIECES_PER_WORKER = 3     # enough pieces that a slow one does not leave the others idle
MIN_PIECE = 8             # steps: below this a piece's set-up costs more than it saves


def rebuild_results(derivation, verdicts):
    """StepResults for ``derivation`` from verdicts computed elsewhere, in step order."""
    results, index, current = [], 0, None
    for part in derivation.parts:
        current = None
        for step in part.steps:
            lhs = step.lhs if step.lhs is not None else current
            results.append(StepResult(part, step, index + 1, lhs, verdicts[index]))
            index += 1
            current = step.rhs
    return results


def check_all(derivations, jobs=None):
    """[(derivation, results)] in the given order; prose entries get no results.

    ``jobs`` worker processes (default: one per core); with one, or one piece of
    work, everything is checked here.
    """
    jobs = cores(jobs)
    work = [d for d in derivations if d.kind != "prose"]
    pieces = _pieces(work, jobs) if jobs > 1 and hasattr(os, "fork") else []
    if len(pieces) < 2:
        return [(d, check_derivation(d) if d.kind != "prose" else []) for d in derivations]
    warm()
    verdicts = run(pieces, _check_piece, jobs, size=lambda piece: _size(piece[1]))
    done = {}
    for d in work:
        mine = [replace(Verdict.from_json(v), cached=False)
                for (owner, _, _), vs in zip(pieces, verdicts) if owner is d for v in vs]
        done[id(d)] = rebuild_results(d, mine)
    return [(d, done.get(id(d), [])) for d in derivations]


def cores(jobs=None) -> int:
    """The number of workers ``jobs`` asks for: itself, or one per core this process may use."""
    if jobs:
        return jobs
    try:
        return len(os.sched_getaffinity(0))      # the cores this process may run on
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def warm() -> None:
    """Import here what a worker's first step would import (the searchers, the kernel's
    rules), so forked workers inherit it instead of each importing it again."""
    from importlib import import_module
    from .registry import kinds
    kinds()
    root = __package__.rsplit(".", 1)[0]
    names = [f"kernel.{n}" for n in ("equalities", "inequalities", "implications", "results",
                                     "facts", "codec", "indexed", "families", "summation", "sums")]
    for name in names + ["checks.instances", "checks.indexed", "checks.families", "authored"]:
        import_module(f"{root}.{name}")


def _size(parts) -> int:
    return sum(len(p.steps) for p in parts)


def _pieces(work, jobs) -> list:
    """[(derivation, parts, steps before them)] in derivation order, each derivation's
    parts cut into runs."""
    total = sum(_size(d.parts) for d in work)
    target = max(MIN_PIECE, total // (jobs * PIECES_PER_WORKER))
    out = []
    for d in work:
        run, offset = [], 0
        for k, part in enumerate(d.parts):
            if run and _size(run) >= target and _free_before(d, k):
                out.append((d, tuple(run), offset))
                offset += _size(run)
                run = []
            run.append(part)
        if run:
            out.append((d, tuple(run), offset))
    return out


def _free_before(derivation, k: int) -> bool:
    """No step before part k states a result that a later step could cite."""
    return not any(_states_result(s) for p in derivation.parts[:k] for s in p.steps)


def _states_result(step) -> bool:
    why = step.why
    named = getattr(why, "establishes", None)
    if named is None and hasattr(why, "option"):
        named = why.option("establishes")
    return bool(named)


def _check_piece(piece) -> list:
    """The piece's verdicts as plain data (Verdict.to_json, what the cache stores): a
    pickled SymPy expression comes back evaluated, so certificates must not travel so."""
    derivation, parts, offset = piece
    if len(parts) != len(derivation.parts):
        whole, derivation = derivation, replace(derivation, parts=parts)
        runtime.count_as(derivation, whole, offset)
    return [r.verdict.to_json() for r in check_derivation(derivation)]


# -- forked workers ---------------------------------------------------------------------

def _send(fd: int, obj) -> None:
    data = pickle.dumps(obj)
    view = memoryview(struct.pack("<Q", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int):
    """The next message on ``fd``, or None at end of file (the writer is gone)."""
    head = _read_exactly(fd, 8)
    if head is None:
        return None
    body = _read_exactly(fd, struct.unpack("<Q", head)[0])
    return None if body is None else pickle.loads(body)


def _read_exactly(fd: int, n: int):
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def run(tasks, work, jobs=None, size=None) -> list:
    """``[work(t) for t in tasks]``, computed by up to ``jobs`` forked workers that each
    take the next task (the largest first, by ``size``) as they finish one.

    ``work`` runs in a child that inherits this process (no pickling of the task);
    its result must pickle. A task whose worker raises or dies is done here.
    """
    jobs = cores(jobs)
    if jobs < 2 or len(tasks) < 2 or not hasattr(os, "fork"):
        return [work(t) for t in tasks]
    order = sorted(range(len(tasks)), key=lambda i: -size(tasks[i]) if size else 0)
    results = [None] * len(tasks)
    workers = {}                              # answer fd -> (pid, task fd, task index or None)
    finished = False
    gc.freeze()                               # the children share these pages instead of copying them
    try:
        for _ in range(min(jobs, len(tasks))):
            task_r, task_w = os.pipe()
            answer_r, answer_w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(task_w)
                os.close(answer_r)
                for fd, (_, other, _) in workers.items():
                    os.close(fd)
                    os.close(other)
                _worker(tasks, work, task_r, answer_w)
            os.close(task_r)
            os.close(answer_w)
            workers[answer_r] = (pid, task_w, None)
        for fd in list(workers):
            _give(workers, fd, order)
        while any(w[2] is not None for w in workers.values()):
            ready, _, _ = select.select([fd for fd, w in workers.items() if w[2] is not None], [], [])
            for fd in ready:
                pid, task_w, index = workers[fd]
                message = _receive(fd)
                if message is None:           # the worker died: its task is done here
                    results[index] = work(tasks[index])
                    workers[fd] = (pid, task_w, None)
                    continue
                got, status, payload = message
                results[got] = payload if status == "ok" else work(tasks[got])
                _give(workers, fd, order)
        for index in order:                   # every worker gone: the rest is done here
            results[index] = work(tasks[index])
        finished = True
    finally:
        gc.unfreeze()
        for fd, (pid, task_w, _) in workers.items():
            for closing in (task_w, fd):
                try:
                    os.close(closing)
                except OSError:
                    pass
            if not finished:                  # an error or Ctrl-C here: nobody waits for them
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    return results


def _worker(tasks, work, inbox: int, outbox: int) -> None:
    """A child's life: do each task index it is sent until told to stop (-1)."""
    try:
        while True:
            index = _receive(inbox)
            if index is None or index < 0:
                break
            try:
                message = (index, "ok", work(tasks[index]))
            except Exception as exc:          # noqa: BLE001 - the parent does it again
                message = (index, "error", repr(exc))
            _send(outbox, message)
    finally:
        os._exit(0)                           # no atexit handlers, no teardown of SymPy


def _give(workers, fd: int, order: list) -> None:
    """Send the worker behind ``fd`` the next task, or tell it to stop."""
    pid, task_w, _ = workers[fd]
    index = order.pop(0) if order else None
    try:
        _send(task_w, -1 if index is None else index)
    except OSError:                           # it is gone: the task goes back to the queue
        if index is not None:
            order.insert(0, index)
        index = None
    workers[fd] = (pid, task_w, index)
