"""Check several derivations at once: one forked worker per spare core (POSIX only)."""

from __future__ import annotations

import os
import pickle

from . import StepResult, check_derivation


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

    The derivations are split between this process and forked children, which
    inherit the imported SymPy and send back verdicts only (plain data).
    """
    jobs = jobs or min(os.cpu_count() or 1, 4)
    work = [d for d in derivations if d.kind != "prose"]
    if jobs < 2 or len(work) < 2 or not hasattr(os, "fork"):
        return [(d, check_derivation(d) if d.kind != "prose" else []) for d in derivations]
    # Largest first, greedily to the least loaded worker (steps as the cost).
    loads = [[] for _ in range(min(jobs, len(work)))]
    for d in sorted(work, key=lambda d: -sum(len(p.steps) for p in d.parts)):
        min(loads, key=lambda ws: sum(sum(len(p.steps) for p in x.parts) for x in ws)).append(d)
    children = []
    for group in loads[1:]:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:                       # child: check, send, leave at once
            os.close(read)
            try:
                payload = [[r.verdict for r in check_derivation(d)] for d in group]
                data = pickle.dumps(("ok", payload))
            except BaseException as exc:   # noqa: BLE001 - reported to the parent
                data = pickle.dumps(("error", repr(exc)))
            with os.fdopen(write, "wb") as fh:
                fh.write(data)
            os._exit(0)
        os.close(write)
        children.append((pid, read, group))
    done = {id(d): check_derivation(d) for d in loads[0]}
    for pid, read, group in children:
        with os.fdopen(read, "rb") as fh:
            data = fh.read()
        os.waitpid(pid, 0)
        status, payload = pickle.loads(data) if data else ("error", "no answer")
        for i, d in enumerate(group):
            done[id(d)] = rebuild_results(d, payload[i]) if status == "ok" else check_derivation(d)
    return [(d, done.get(id(d), [])) for d in derivations]
