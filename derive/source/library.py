"""The one place that calls latex2sympy2_extended: skeletons in, unevaluated SymPy out.

Skeletons seldom reach the library: arithmetic.read builds the same tree
directly (ANTLR costs about 12 ms a formula) for every form the pre-pass
emits; the library reads what it refuses, in practice skeletons that are
errors, whose messages it words. Nothing is kept on disk: there is nothing
left worth keeping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sympy import Integer, Mul

from .arithmetic import read

_CACHE: dict = {}
ALLOWED = ("Add", "Mul", "Pow", "Symbol", "Integer", "Rational", "Half", "One", "Zero",
            "NegativeOne")
COLUMN = re.compile(r"\n[^\n]*\n(~*)\^")


def _lib():
    # Imported on first use: `derive --help` and `derive check all` never pay for it.
    from latex2sympy2_extended import latex2sympy
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig
    config = ConversionConfig(interpret_as_mixed_fractions=False, lowercase_symbols=False,
                              interpret_contains_as_eq=False,
                              interpret_simple_eq_as_assignment=False)
    return latex2sympy, config


def library_parse(skeleton: str):
    """The library's reading of a skeleton, or the error it raised (cached by text)."""
    if skeleton in _CACHE:
        return _CACHE[skeleton]
    result = read(skeleton)
    if result is not None:
        _remember(skeleton, result)
        return result
    latex2sympy, config = _lib()
    try:
        result = latex2sympy(skeleton, normalization_config=None, conversion_config=config)
    except RecursionError:
        result = ValueError("the expression is nested too deeply")
    except Exception as exc:      # the library raises bare Exceptions for syntax errors
        result = exc
    _remember(skeleton, result)
    return result


def _remember(skeleton: str, result):
    if len(_CACHE) > 20000:
        _CACHE.clear()
    _CACHE[skeleton] = result


def warm_up(seconds: float = 1.0) -> None:
    """Read again, with the library itself, one skeleton of each form read so far.

    A long-lived process (derive watch, derive serve) calls this once after its
    first reading: the parser learns each form of formula on its first reading in
    a process (tens to hundreds of ms), and the skeleton cache would otherwise
    postpone that to the first formula the user edits. At most ``seconds``.
    """
    import time
    latex2sympy, config = _lib()
    forms = {re.sub(r"\d+", "7", k): k for k in list(_CACHE)[-2000:]}
    start = time.process_time()
    for skeleton in forms.values():
        if time.process_time() - start > seconds:
            break
        try:
            latex2sympy(skeleton, normalization_config=None, conversion_config=config)
        except Exception:         # it failed the first time too: nothing to learn
            pass


def tidy(expr):
    """The library's products flattened and without factors of 1 (\\frac{1}{x} is 1·x⁻¹),
    so steps print as written; the order of factors is kept."""
    if not expr.args:
        return expr
    args = [tidy(a) for a in expr.args]
    if expr.is_Mul:
        flat = []
        for a in args:
            flat.extend(a.args if a.is_Mul else (a,))
        kept = [a for a in flat if a != 1] or [Integer(1)]
        if kept[0] == -1 and len(kept) == 2 and kept[1].is_Number:
            return -kept[1]
        return kept[0] if len(kept) == 1 else Mul(*kept, evaluate=False)
    if args == list(expr.args):
        return expr
    # evaluate=False, not `with evaluate(False)`: toggling SymPy's flag clears its cache.
    return expr.func(*args, evaluate=False)


def placed(expr, mapping: dict):
    """``expr.xreplace(mapping)`` as under ``evaluate(False)``, for a skeleton's tree
    (only Add, Mul and Pow have arguments), without touching SymPy's global flag."""
    return _placed(expr, mapping)[0]


def _placed(expr, mapping):
    if expr in mapping:
        return mapping[expr], True
    if not expr.args:
        return expr, False
    args, changed = [], False
    for a in expr.args:
        new, moved = _placed(a, mapping)
        args.append(new)
        changed = changed or moved
    return (expr.func(*args, evaluate=False), True) if changed else (expr, False)


def preorder(expr):
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.args)


def error_column(message: str):
    m = COLUMN.search(message)
    return len(m.group(1)) if m else None


@dataclass
class Obj:
    """A SymPy object the pre-pass built, standing in the skeleton as one symbol."""

    value: object
    tok: int


@dataclass
class Skel:
    """A skeleton for the library: strings and objects, each with the token it came from."""

    parts: list = field(default_factory=list)    # (str | Obj, token index)

    def raw(self, s: str, tok: int):
        self.parts.append((s, tok))

    def obj(self, value, tok: int):
        self.parts.append((Obj(value, tok), tok))

    def extend(self, other: "Skel"):
        self.parts.extend(other.parts)

    def single(self):
        """The object when the skeleton is exactly one object, else None."""
        if len(self.parts) == 1 and isinstance(self.parts[0][0], Obj):
            return self.parts[0][0].value
        return None
