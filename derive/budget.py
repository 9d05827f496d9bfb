"""CPU-time budgets for SymPy calls that can blow up: a step over budget is unknown."""

from __future__ import annotations

import gc
import signal
import threading
import time
from contextlib import contextmanager

# Budgets count this process's CPU time (ITIMER_PROF fires SIGPROF), not the wall
# clock: a busy machine slows a computation down but does not change its verdict.
_TIMER, _SIGNAL = signal.ITIMER_PROF, signal.SIGPROF


class Timeout(BaseException):
    """Raised inside a computation whose budget ran out.

    A BaseException, so that library code catching Exception cannot swallow it.
    """


_deadlines: list[float] = []


_collecting = [0.0, None]          # CPU seconds spent collecting garbage, start of the current one


def _collector(phase, info):
    if phase == "start":
        _collecting[1] = time.process_time()
    elif _collecting[1] is not None:
        _collecting[0] += time.process_time() - _collecting[1]
        _collecting[1] = None


gc.callbacks.append(_collector)


def clock() -> float:
    """The clock budgets are measured on: this process's CPU seconds, less those spent
    collecting garbage. A full collection in a long-lived process (a test run, a notebook,
    `derive serve`) walks every object it holds, up to a second; landing inside a step's
    budget it could turn a proof into `unknown` or a fallback: a verdict on the heap's size."""
    now = time.process_time()
    # Inside a collection the clock stands still: a deadline is never met in a gc callback.
    return (_collecting[1] if _collecting[1] is not None else now) - _collecting[0]


def _arm() -> None:
    if not _deadlines:
        signal.setitimer(_TIMER, 0)
        return
    remaining = min(_deadlines) - clock()
    # A deadline already passed still fires, almost at once.
    signal.setitimer(_TIMER, max(remaining, 1e-4))


def _on_alarm(signum, frame):
    # Never inside the collector's callback: Python drops an exception raised there (and
    # prints it); the timer fires again a millisecond later, in the computation.
    if frame is not None and frame.f_code is _collector.__code__:
        signal.setitimer(_TIMER, 1e-3)
        return
    # The timer counts all CPU time; the clock leaves out the collector's: if it has not
    # reached the deadline yet, wait for the rest.
    if _deadlines and clock() < min(_deadlines) - 1e-3:
        _arm()
        return
    # The timer is always armed for the earliest deadline: say which one ran out
    # (the kernel's timer and process_time() may differ by a tick). It fires again
    # a moment later: a Timeout raised inside a gc callback or a __del__ is printed
    # and dropped by Python, and the computation would then run without a budget.
    if _deadlines:
        signal.setitimer(_TIMER, 0.25)
    raise Timeout(min(_deadlines) if _deadlines else None)


def expired() -> bool:
    """True when the innermost budget has run out."""
    return bool(_deadlines) and clock() >= min(_deadlines)


@contextmanager
def time_limit(seconds: float):
    """Run the body for at most ``seconds`` of CPU time; raise Timeout when it runs over.

    Budgets nest: an inner budget never outlives the outer one. Signals only
    reach the main thread; elsewhere the body runs unbounded, so the CLI and
    the tests keep checking on the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(_SIGNAL, _on_alarm)
    _deadlines.append(clock() + seconds)
    try:
        _arm()
        yield
    finally:
        _deadlines.pop()
        signal.setitimer(_TIMER, 0)
        signal.signal(_SIGNAL, previous)
        _arm()


def attempt(seconds: float, fn, *args, **kwargs):
    """Call ``fn`` under a budget; return (value, None) or (None, "timeout").

    A Timeout belonging to an outer, also-expired budget propagates.
    """
    deadline = clock() + seconds
    try:
        with time_limit(seconds):
            return fn(*args, **kwargs), None
    except Timeout as exc:
        fired = exc.args[0] if exc.args else None
        if fired is not None and fired < deadline and fired in _deadlines:
            raise                       # an outer budget ran out, not this one
        return None, "timeout"
