"""Checking on several cores gives the verdicts of checking in one process, step for step."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sympy import Ge

from derive import catalog
from derive.build import Builder, use, why
from derive.checks import check_derivation, parallel
from derive.source import load_file

ROOT = Path(__file__).resolve().parents[2]


def _generated(tmp_path, steps):
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path / f"g{steps}.md"
    path.write_text(module.steps_file(steps), encoding="utf-8")
    return load_file(path)


def plain(results):
    """What a reader of the verdicts sees, times left out (they differ run to run)."""
    return [(r.part.label, r.index, r.verdict.status, r.verdict.method, r.verdict.reason,
             r.verdict.counterexample) for r in results]


def stored(results):
    """What the verdict cache would keep, certificates included, times left out."""
    out = []
    for r in results:
        data = r.verdict.to_json()
        data.pop("seconds"), data.pop("cached")
        out.append(data)
    return out


def established_then_cited():
    """Part a proves P(x) and states it as a result; part b cites P(y), so b needs a."""
    b = Builder("cites", "a result crosses parts")
    x, y = b.var("x"), b.var("y")
    b.schema("P", lambda q: Ge(q**2 + 1, 1, evaluate=False), kind="result")
    b.part("a", "proof")
    b.step(x**2 + 1, ">=", 1, why("sign", "", establishes="P", at=(x,)))
    b.part("b", "use")
    b.step(y**2 + 1, ">=", 1, why("result", "", [use("P", y)]))
    return b.build()


def test_q4_q6_and_the_examples_get_the_same_verdicts_on_two_workers(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PIECE", 1)            # cut wherever cutting is allowed
    derivations = [catalog.load("q4"), catalog.load("q6")] + [
        load_file(p) for p in sorted((ROOT / "examples").glob("*.md"))]
    alone = [check_derivation(d) for d in derivations]
    together = parallel.check_all(derivations, jobs=2)
    assert [d for d, _ in together] == derivations
    assert [plain(rs) for _, rs in together] == [plain(rs) for rs in alone]
    # Certificates travel as the cache's plain data (a pickled SymPy tree comes back evaluated).
    assert [stored(rs) for _, rs in together] == [stored(rs) for rs in alone]
    assert not any(r.verdict.cached for _, rs in together for r in rs)


def test_a_long_file_is_cut_by_parts_and_keeps_its_verdicts(tmp_path):
    d = _generated(tmp_path, 60)
    pieces = parallel._pieces([d], 2)
    assert len(pieces) > 2 and all(owner is d for owner, _, _ in pieces)
    assert [p for _, run, _ in pieces for p in run] == list(d.parts)
    assert [offset for _, _, offset in pieces] == [0] + [
        sum(len(p.steps) for _, run, _ in pieces[:k] for p in run) for k in range(1, len(pieces))]
    [(_, results)] = parallel.check_all([d], jobs=2)
    assert plain(results) == plain(check_derivation(d))


def test_parts_that_need_an_earlier_result_stay_with_it(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PIECE", 1)
    d = established_then_cited()
    assert [len(run) for _, run, _ in parallel._pieces([d], 4)] == [2]
    [(_, results)] = parallel.check_all([d, catalog.load("q6")], jobs=2)[:1]
    assert [r.verdict.status for r in results] == ["proved", "cited"]


def test_q4_whose_first_part_states_a_result_is_one_piece(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PIECE", 1)
    q4 = catalog.load("q4")
    assert len(parallel._pieces([q4], 4)) == 1


def test_a_worker_that_dies_has_its_piece_checked_here(monkeypatch):
    import os
    real = parallel._check_piece

    def fatal(piece):
        if os.getpid() != parent:
            os._exit(3)                                       # a child killed mid-check
        return real(piece)

    parent = os.getpid()
    monkeypatch.setattr(parallel, "_check_piece", fatal)
    q6 = catalog.load("q6")
    d = established_then_cited()
    together = parallel.check_all([q6, d], jobs=2)
    assert [plain(rs) for _, rs in together] == [plain(check_derivation(q6)),
                                                  plain(check_derivation(d))]


@pytest.mark.parametrize("jobs", [1, 2])
def test_prose_entries_get_no_results(jobs):
    q1, q6 = catalog.load("q1"), catalog.load("q6")
    out = parallel.check_all([q1, q6], jobs=jobs)
    assert out[0] == (q1, []) and len(out[1][1]) == sum(len(p.steps) for p in q6.parts)


def test_run_keeps_the_order_of_the_tasks():
    tasks = list(range(12))
    assert parallel.run(tasks, lambda n: n * n, jobs=2, size=lambda n: n % 5) == [n * n for n in tasks]


def test_a_task_that_fails_in_a_worker_is_done_here_and_a_real_error_still_raises():
    import os
    parent = os.getpid()

    def flaky(n):
        if os.getpid() != parent and n == 3:
            raise RuntimeError("only in the child")
        if n == 5:
            raise ValueError("everywhere")
        return n

    assert parallel.run([1, 2, 3, 4], flaky, jobs=2) == [1, 2, 3, 4]
    with pytest.raises(ValueError, match="everywhere"):
        parallel.run([4, 5, 6], flaky, jobs=2)
