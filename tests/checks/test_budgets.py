"""Budgets: CPU time, nested, a step over budget is unknown and the run goes on."""

from __future__ import annotations

import derive.checks.driver as checks
import pytest
import re
import signal
import time

from derive.budget import Timeout, attempt, expired, time_limit
from derive.checks.registry import _CHECKERS, kinds
from world_units import (
    verdict, x)


# -- budget ------------------------------------------------------------------------

def busy(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return "done"


def test_attempt_returns_the_value_in_time():
    assert attempt(1.0, busy, 0.01) == ("done", None)


def test_attempt_cuts_off_a_slow_function():
    start = time.process_time()
    assert attempt(0.1, busy, 5) == (None, "timeout")
    assert time.process_time() - start < 2.0


def test_budgets_count_cpu_time_not_waiting():
    # Sleeping costs no CPU: a budget in CPU seconds lets it finish, so a busy
    # machine (where the wall clock runs ahead of this process) changes no verdict.
    start = time.perf_counter()
    assert attempt(0.05, time.sleep, 0.2) == (None, None)
    assert time.perf_counter() - start >= 0.2


def test_budgets_leave_out_the_garbage_collector():
    # A full collection over a big heap (a test run, a notebook, `derive serve`) can take
    # longer than a step's whole budget; it is not the step's work, so it must not cut the
    # step off (a proof came out `checked` once in a full test run and never alone: a
    # collection inside its budget is one way that happens).
    import gc
    heap = [[i] for i in range(1_500_000)]
    start = time.process_time()
    gc.collect()
    collecting = time.process_time() - start
    assert collecting > 0.05, collecting          # else this machine tests nothing here

    def work():
        gc.collect()                               # as long again, inside the budget
        return busy(0.02)
    assert attempt(collecting / 2, work) == ("done", None)
    assert attempt(0.05, busy, 5) == (None, "timeout")      # real work is still cut off
    del heap


def test_a_budget_never_runs_out_inside_the_collectors_callback(monkeypatch):
    # Python drops (and prints) an exception raised in a gc callback: a Timeout must wait
    # for the computation. Allocation-heavy work under tiny budgets met it 24 times in 40.
    import sys
    dropped = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: dropped.append(repr(u.exc_value)))
    heap = [[i] for i in range(300_000)]

    def churn():
        while True:
            [[j] for j in range(2000)]
    assert all(attempt(0.02, churn) == (None, "timeout") for _ in range(40))
    assert dropped == []
    del heap


def test_attempt_passes_other_exceptions_through():
    def boom():
        raise ValueError("bad input")
    with pytest.raises(ValueError, match="bad input"):
        attempt(1.0, boom)


def test_outer_budget_wins_over_a_longer_inner_one():
    start = time.process_time()
    with pytest.raises(Timeout):
        with time_limit(0.1):
            attempt(5.0, busy, 5)
    assert time.process_time() - start < 2.0


def test_outer_budget_survives_a_shorter_inner_one():
    start = time.process_time()
    with pytest.raises(Timeout):
        with time_limit(0.3):
            assert attempt(0.05, busy, 5) == (None, "timeout")
            assert time.process_time() - start < 0.3
            busy(5)
    assert 0.25 < time.process_time() - start < 2.0


def test_budget_leaves_no_timer_and_restores_the_handler():
    before = signal.getsignal(signal.SIGPROF)
    attempt(0.05, busy, 1)
    with time_limit(1.0):
        assert not expired()
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGPROF) is before


def test_a_slow_checker_ends_unknown_within_the_step_budget(monkeypatch):
    kinds()                                     # load the registry first
    monkeypatch.setitem(_CHECKERS, "slow", lambda *args: busy(30))
    monkeypatch.setattr(checks, "STEP_BUDGET", 0.2)
    start = time.process_time()
    vd = verdict(x, "=", x, kind="slow")
    assert time.process_time() - start < 2.0
    assert vd.status == "unknown"
    assert vd.reason == "over the step budget of 0.2s"
    assert 0.15 < vd.seconds < 2.0


def test_an_unknown_justification_is_unknown_with_the_known_kinds():
    vd = verdict(x, "=", x, kind="magic")
    assert vd.status == "unknown"
    assert re.match(r"unknown justification 'magic' \(known: .*algebra.*\)", vd.reason)


def test_a_function_that_catches_exception_is_still_cut_off():
    def stubborn():
        end = time.process_time() + 1.0
        while time.process_time() < end:
            try:
                busy(0.01)
            except Exception:
                pass
        return "ran to the end"
    start = time.process_time()
    assert attempt(0.05, stubborn) == (None, "timeout")
    assert time.process_time() - start < 0.9


def test_a_timeout_swallowed_once_still_ends_the_computation():
    """Python prints and drops an exception raised in a __del__ or a gc callback; the
    budget fires again, so the computation does not run on unbounded."""
    def swallowing():
        end = time.process_time() + 3.0
        swallowed = 0
        while time.process_time() < end:
            try:
                busy(0.01)
            except Timeout:
                swallowed += 1
                if swallowed > 1:
                    raise
        return "ran to the end"
    start = time.process_time()
    assert attempt(0.05, swallowing) == (None, "timeout")
    assert time.process_time() - start < 1.5
