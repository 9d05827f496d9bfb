"""Time budgets for SymPy calls that can blow up: a step over budget is unknown."""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager


class Timeout(BaseException):
    """Raised inside a computation whose budget ran out.

    A BaseException, so that library code catching Exception cannot swallow it.
    """


_deadlines: list[float] = []


def _arm() -> None:
    if not _deadlines:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    remaining = min(_deadlines) - time.perf_counter()
    # A deadline already passed still fires, almost at once.
    signal.setitimer(signal.ITIMER_REAL, max(remaining, 1e-4))


def _on_alarm(signum, frame):
    raise Timeout()


def expired() -> bool:
    """True when the innermost budget has run out."""
    return bool(_deadlines) and time.perf_counter() >= min(_deadlines)


@contextmanager
def time_limit(seconds: float):
    """Run the body for at most ``seconds``; raise Timeout when it runs over.

    Budgets nest: an inner budget never outlives the outer one. SIGALRM only
    works on the main thread; elsewhere the body runs unbounded, so the CLI and
    the tests keep checking on the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _deadlines.append(time.perf_counter() + seconds)
    try:
        _arm()
        yield
    finally:
        _deadlines.pop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _arm()


def attempt(seconds: float, fn, *args, **kwargs):
    """Call ``fn`` under a budget; return (value, None) or (None, "timeout").

    A Timeout belonging to an outer, also-expired budget propagates.
    """
    deadline = time.perf_counter() + seconds
    try:
        with time_limit(seconds):
            return fn(*args, **kwargs), None
    except Timeout:
        if _deadlines and time.perf_counter() >= min(_deadlines) and \
                min(_deadlines) < deadline:
            raise
        return None, "timeout"
