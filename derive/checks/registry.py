"""Which searcher settles which kind of justification (the kinds themselves: derive/kinds.py)."""

from __future__ import annotations

from ..errors import UnsupportedStep
from ..kinds import BY_NAME

_CHECKERS: dict = {}

# The modules whose import registers the searchers, one per kind of reasoning.
MODULES = ("equalities", "signs", "equivalences", "citations", "combinations", "monotone", "auto")


def register(*kinds):
    """Decorator: ``fn(goal) -> Verdict | certificate`` searches for these kinds.

    A certificate goes to the kernel, which alone turns it into `proved`/`cited`.
    """
    def wrap(fn):
        for kind in kinds:
            if kind in _CHECKERS:
                raise ValueError(f"a checker for {kind!r} is already registered")
            _CHECKERS[kind] = fn
        return fn
    return wrap


def checker_for(kind: str):
    _load()
    try:
        return _CHECKERS[kind]
    except KeyError:
        known = ", ".join(sorted(_CHECKERS))
        raise UnsupportedStep(f"unknown justification {kind!r} (known: {known})") from None


def kinds() -> tuple:
    _load()
    return tuple(sorted(_CHECKERS))


def relation_ok(kind: str, rel: str) -> bool:
    entry = BY_NAME.get(kind)
    return entry is None or rel in entry.relations


_loaded = []


def _load():
    # Importing the modules registers their searchers (no module is optional).
    if not _loaded:
        from importlib import import_module
        for name in MODULES:
            import_module(f"{__package__}.{name}")
        _loaded.append(True)
