"""Re-check a changing derivation, re-running only the steps whose content or context changed.

A step's verdict is remembered under a key made of everything its check can
read: the engine's version (its source and the versions of what it computes
with), the derivation's context (variables, definitions, assumptions,
hypotheses and lemmas, every field but the parts and their prose), the part's
label and case conditions, the step itself (relation, sides, justification,
conditions; not where it stands in the file or how it is printed), the left
side the chain hands it, and what the steps before it established for it (the
previous chain's relation, results stated earlier). `derive watch` and
`derive serve` keep one Session per file in a process that keeps SymPy
imported, so an edit costs a re-reading of the changed lines and a check of
the steps whose key changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from collections import OrderedDict
from types import FunctionType, MethodType

# Fields that say where a step stands or how it is shown, never what it claims.
_PRESENTATION = {"Step": {"origin", "tex", "note", "label"},
                 "Part": {"steps", "intro", "outro", "title"},
                 "Derivation": {"parts", "id", "title", "intro", "prose", "source"}}
_DUMMY = re.compile(r"dummy_index=\d+")


class Uncacheable(Exception):
    """Something in a step's context has no faithful written form (a Python function)."""


class _Writer:
    """Writes objects out as text that determines them (SymPy objects as their trees).

    What cannot change (SymPy objects, tuples, frozen dataclasses holding only such
    things) is remembered by identity for one reading and the next: an unchanged
    step's objects are the very same objects, its reading being remembered.
    """

    def __init__(self):
        self.now: dict = {}
        self.before: dict = {}

    def turn(self):
        self.before, self.now = self.now, {}

    def __call__(self, obj) -> str:
        return self.write(obj)[0]

    def write(self, obj) -> tuple:
        """(text, whether it is fixed for the object's life)."""
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return repr(obj), True
        hit = self.now.get(id(obj)) or self.before.get(id(obj))
        if hit is not None and hit[0] is obj:
            self.now[id(obj)] = hit
            return hit[1], True
        text, fixed = self._write(obj)
        if fixed:
            self.now[id(obj)] = (obj, text)
        return text, fixed

    def _all(self, items) -> tuple:
        texts, fixed = [], True
        for item in items:
            t, f = self.write(item)
            texts.append(t)
            fixed = fixed and f
        return texts, fixed

    def _write(self, obj) -> tuple:
        from sympy import Basic, srepr
        from sympy.core.function import AppliedUndef
        name = type(obj).__qualname__
        if isinstance(obj, Basic):
            if not obj.args:
                return srepr(obj), True    # symbols with their assumptions, numbers, constants
            if isinstance(obj, AppliedUndef):
                head = f"Function({obj.func.__name__!r},{sorted(obj.func._kwargs.items())!r})"
            else:
                head = f"{type(obj).__module__}.{name}"
            texts, _ = self._all(obj.args)
            return head + "(" + ",".join(texts) + ")", True
        if isinstance(obj, (tuple, list)):
            texts, fixed = self._all(obj)
            extra = getattr(obj, "__dict__", None)
            if extra:
                texts.append(self.write(extra)[0])
                fixed = False
            return f"{name}(" + ",".join(texts) + ")", fixed and isinstance(obj, tuple)
        if isinstance(obj, dict):
            keys, _ = self._all(obj.keys())
            values, _ = self._all(obj.values())
            return "{" + ",".join(f"{k}:{v}" for k, v in sorted(zip(keys, values))) + "}", False
        if isinstance(obj, (set, frozenset)):
            texts, fixed = self._all(obj)
            return f"{name}(" + ",".join(sorted(texts)) + ")", fixed and isinstance(obj, frozenset)
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            skip = _PRESENTATION.get(type(obj).__name__, set())
            fields = [f.name for f in dataclasses.fields(obj) if f.name not in skip]
            texts, fixed = self._all(getattr(obj, f) for f in fields)
            fixed = fixed and type(obj).__dataclass_params__.frozen
            return f"{name}(" + ",".join(f"{f}={t}" for f, t in zip(fields, texts)) + ")", fixed
        if isinstance(obj, (FunctionType, MethodType, type)) or not hasattr(obj, "__dict__"):
            # A Python function (a Schema built in Python) cannot be compared by its text.
            raise Uncacheable(name)
        return name + self.write(vars(obj))[0], False


_WRITE = _Writer()


def fingerprint(*objs) -> str:
    """One string for ``objs``; Dummy symbols numbered by first appearance (their
    indices differ between two readings of the same text)."""
    return _renumber("\x00".join(_WRITE(obj) for obj in objs), {})


_ENGINE = None


def engine_version() -> str:
    global _ENGINE
    if _ENGINE is None:
        from .cache import _engine_fingerprint
        _ENGINE = _engine_fingerprint()
    return _ENGINE


class _Reads(dict):
    """A copy of the walk's ``env`` that notes which entries a check looked at."""

    def __init__(self, env):
        super().__init__(env)
        self.read: set = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


class Superseded(Exception):
    """Raised by ``StepMemo.before_check`` to abandon a walk whose text is out of date."""


class StepMemo:
    """Verdicts by step key, most recently used kept (``limit`` of them), in memory.

    A step's key holds what its check reads. The entries of the walk's ``env``
    (the chain above, results established earlier) enter it only as far as the
    check looked at them the last time it ran: given the same step and the same
    values there, it takes the same path, so it would look at the same entries.
    Unknown verdicts are kept too: budgets count CPU time, so checking the same
    step again in the same process would only spend its budget again.
    """

    def __init__(self, limit: int = 20000):
        self.limit = limit
        self.verdicts: OrderedDict = OrderedDict()
        self.reads: OrderedDict = OrderedDict()     # step key -> env entries its check read
        self._context: tuple = (None, None)         # (derivation, its written form)
        self.before_check = None                    # called before each step checked afresh

    def _written_context(self, derivation) -> str | None:
        if self._context[0] is not derivation:
            _WRITE.turn()
            try:
                raw = _WRITE(engine_version()) + _WRITE(derivation)
                self._context = (derivation, (raw, _renumber(raw, {})))
            except Uncacheable:
                self._context = (derivation, None)
        return self._context[1]

    def recall(self, derivation, part, step, lhs, env, check):
        """The verdict remembered for this step in this context, or ``check(env)``'s."""
        context = self._written_context(derivation)
        try:
            base = None if context is None else "\x00".join(_WRITE(o) for o in (part, step, lhs))
            env_text = {k: _WRITE(v) for k, v in env.items()}
        except Uncacheable:
            base = None
        if base is None:
            return self._check(check, env)
        step_key = _digest(context, base, "")
        reads = self.reads.get(step_key)
        if reads is not None:
            hit = self.verdicts.get(_digest(context, base, _env_text(reads, env_text)))
            if hit is not None:
                self.verdicts.move_to_end(_digest(context, base, _env_text(reads, env_text)))
                return dataclasses.replace(hit, cached=True)
        view = _Reads(env)
        verdict = self._check(check, view)
        reads = tuple(sorted(view.read, key=str))
        self._put(self.reads, step_key, reads)
        self._put(self.verdicts, _digest(context, base, _env_text(reads, env_text)), verdict)
        return verdict

    def _check(self, check, env):
        if self.before_check is not None:
            self.before_check()
        return check(env)

    def _put(self, table: OrderedDict, key, value):
        table[key] = value
        table.move_to_end(key)
        if len(table) > self.limit:
            table.popitem(last=False)


def _env_text(reads, env_text) -> str:
    return "\x00".join(f"{k!r}={env_text.get(k, '<absent>')}" for k in reads)


def _renumber(text: str, seen: dict) -> str:
    return _DUMMY.sub(lambda m: f"dummy#{seen.setdefault(m.group(0), len(seen))}", text)


def _digest(context: tuple, base: str, env: str) -> str:
    """The key: Dummy symbols renumbered by first appearance (two readings of one text
    number them differently), jointly where the context and the step both hold some."""
    raw, renumbered = context
    step = base + "\x01" + env
    if "dummy_index" in step and "dummy_index" in raw:
        text = _renumber(raw + "\x02" + step, {})
    else:
        text = renumbered + "\x02" + _renumber(step, {})
    return hashlib.sha256(text.encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One re-check: the derivation and its results, or the input error that stopped it."""

    derivation: object = None
    results: tuple = ()
    error: object = None            # derive.errors.InputError
    rechecked: int = 0              # steps checked afresh (the rest were recalled)
    seconds: float = 0.0            # reading and checking, wall clock


class Session:
    """One changing derivation text (a file being edited, an editor's buffer)."""

    READ_BUDGET = 4.0

    def __init__(self, name: str, memo: StepMemo | None = None):
        self.name = name
        self.memo = memo or StepMemo()
        self.readings: dict = {}

    def read(self, text: str):
        """The Derivation in ``text``; InputError (file:line:col) for bad input."""
        from .budget import Timeout, time_limit
        from .errors import InputError
        from .source import load_text
        if len(self.readings) > 20000:
            self.readings.clear()
        try:
            with time_limit(self.READ_BUDGET):
                # A .tex or front-matter-less .md name is read as a plain document.
                return load_text(text, self.name, self.readings)
        except Timeout:
            raise InputError(f"reading the file took over {self.READ_BUDGET:g} s (is a number "
                             "in it too large to work with?)", self.name) from None

    def check(self, text: str, memo=None) -> Outcome:
        """Read and check ``text``; ``memo`` stands in for the session's own (to watch
        the walk step by step)."""
        from .checks import check_derivation
        from .errors import InputError
        start = time.perf_counter()
        try:
            derivation = self.read(text)
        except InputError as exc:
            return Outcome(error=exc, seconds=time.perf_counter() - start)
        results = check_derivation(derivation, memo or self.memo)
        return Outcome(derivation, tuple(results), None,
                       sum(not r.verdict.cached for r in results), time.perf_counter() - start)


__all__ = ["Outcome", "Session", "StepMemo", "Superseded", "engine_version", "fingerprint"]
