"""A checker's answer for one step: status, method, reason, counterexample, time."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("proved", "checked", "cited", "failed", "unknown")


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one step.

    ``certificate`` carries the evidence of a proof (facts used, multipliers,
    the remainder shown nonnegative) as readable lines; ``counterexample`` maps
    symbol names to values and includes both sides' values.
    """

    status: str
    method: str
    reason: str | None = None
    counterexample: dict | None = None
    seconds: float = 0.0
    certificate: tuple = field(default=())

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.status == "failed" and not self.reason:
            raise ValueError("a failed verdict needs a reason")

    @property
    def ok(self) -> bool:
        return self.status in ("proved", "checked", "cited")


def proved(method, certificate=(), reason=None):
    return Verdict("proved", method, reason=reason, certificate=tuple(certificate))


def cited(method, certificate=()):
    return Verdict("cited", method, certificate=tuple(certificate))


def checked(method, reason):
    return Verdict("checked", method, reason=reason)


def failed(method, reason, counterexample=None, certificate=()):
    return Verdict("failed", method, reason=reason, counterexample=counterexample,
                   certificate=tuple(certificate))


def unknown(method, reason):
    return Verdict("unknown", method, reason=reason)
