"""Which checker settles which kind of justification (one entry per kind of reasoning)."""

from __future__ import annotations

from ..errors import UnsupportedStep

_CHECKERS: dict = {}

# Kinds whose "=" steps are all checked the same way: both sides are evaluated
# (∂ with its chain-rule meaning, limits, definitions) and compared. The kind
# only names the reasoning for the reader.
EQUALITY_KINDS = ("algebra", "chain rule", "derivative", "substitute", "definition",
                  "limit", "case", "simplify", "expand", "product rule")


def register(*kinds):
    """Decorator: ``fn(ctx, lhs, rel, rhs, step, facts) -> Verdict`` settles these kinds."""
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


def _load():
    # Importing the modules registers their checkers.
    from . import basic  # noqa: F401
    from . import auto  # noqa: F401
    try:
        from . import inequality  # noqa: F401
    except ImportError:
        pass
