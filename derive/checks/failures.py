"""SymPy's internal errors, worded for a reader as the reason a step stays unknown."""

from __future__ import annotations

import re
import traceback

# "The _eval_nseries method should be added to Max to give terms up to O(x**n) ...":
# SymPy has no series for that function, so a limit through it cannot be taken.
_NO_SERIES = re.compile(r"_?eval_nseries method should be added to (\w+)")
# The files of SymPy's limit algorithm (limit() and the Gruntz algorithm behind it).
_LIMIT_FILES = ("sympy/series/limits.py", "sympy/series/gruntz.py")
_SHOWN = {"Max": "max", "Min": "min", "Abs": "|·|", "sign": "sign", "floor": "⌊·⌋",
          "ceiling": "⌈·⌉", "Heaviside": "the step function"}


def failure_reason(exc: BaseException, limit_step: bool) -> str:
    """Why SymPy could not decide the step, in the reader's words; ``limit_step``: the
    step itself states a limit (else the limit was one the check took on its way, as a
    derivative at a kink is)."""
    message = " ".join(str(exc).split())
    in_limit = any(frame.filename.replace("\\", "/").endswith(_LIMIT_FILES)
                   for frame in traceback.extract_tb(exc.__traceback__))
    no_series = _NO_SERIES.search(message)
    if no_series:
        shown = _SHOWN.get(no_series.group(1), no_series.group(1))
        detail = "it has no series expansion of " + (shown if "·" in shown or " " in shown
                                                     else f"{shown}(…)")
    elif in_limit and message.startswith("Result depends on the sign of"):
        # Gruntz's sign test met an expression (often ±I) it cannot sign: nothing the
        # reader wrote, so nothing worth showing.
        detail = ""
    else:
        detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    if in_limit:
        what = "take this limit" if limit_step else "take a limit this step needs"
    elif no_series:
        what = "expand this step in a series"
    else:
        what = "handle this step"
    return (f"SymPy could not {what}" + (f" ({detail})" if detail else ""))[:300]

__all__ = ["failure_reason"]
