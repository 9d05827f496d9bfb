"""A checker's answer for one step: status, method, reason, counterexample, time."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("proved", "checked", "cited", "failed", "unknown")


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one step.

    ``certificate`` is the structured evidence of a proof, as the kernel accepted
    it (derive.kernel.certificates; plain data when read back from the cache);
    ``lines`` says in words what the kernel checked (facts used, multipliers,
    the remainder shown nonnegative); ``counterexample`` maps symbol names to
    values and includes both sides' values. Only derive.kernel makes `proved`
    and `cited` verdicts.
    """

    status: str
    method: str
    reason: str | None = None
    counterexample: dict | None = None
    seconds: float = 0.0
    certificate: object = None
    cached: bool = False       # read back from the verdict cache, not computed in this run
    lines: tuple = field(default=())

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.status == "failed" and not self.reason:
            raise ValueError("a failed verdict needs a reason")

    @property
    def ok(self) -> bool:
        return self.status in ("proved", "checked", "cited")

    def to_json(self) -> dict:
        """Plain data (the --json fields and what the cache stores)."""
        cert = self.certificate
        if hasattr(cert, "kind"):
            from .kernel.codec import to_json
            try:
                cert = to_json(cert)
            except ValueError:
                cert = None        # not storable: --recheck will say so
        return {"status": self.status, "method": self.method, "reason": self.reason,
                "counterexample": self.counterexample, "certificate": cert,
                "lines": list(self.lines), "seconds": round(self.seconds, 6),
                "cached": self.cached}

    @classmethod
    def from_json(cls, data) -> "Verdict":
        """A Verdict from ``to_json``'s output; ValueError for anything malformed.

        A certificate comes back as plain data: only the kernel turns it into
        something that can say "proved" again (``derive check --recheck``).
        """
        if not isinstance(data, dict):
            raise ValueError("a verdict must be an object")
        status, method = data.get("status"), data.get("method")
        if status not in STATUSES or not isinstance(method, str):
            raise ValueError("a verdict needs a known status and a method")
        reason, cex = data.get("reason"), data.get("counterexample")
        if reason is not None and not isinstance(reason, str):
            raise ValueError("a reason must be text")
        if cex is not None and not (isinstance(cex, dict) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in cex.items())):
            raise ValueError("a counterexample maps names to values (text)")
        seconds = data.get("seconds", 0.0)
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
            raise ValueError("seconds must be a number")
        cert = data.get("certificate")
        if cert is not None and not isinstance(cert, dict):
            raise ValueError("a certificate must be an object")
        lines = data.get("lines", [])
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise ValueError("lines must be text")
        return cls(status, method, reason, cex, float(seconds), cert, True, tuple(lines))


def checked(method, reason):
    return Verdict("checked", method, reason=reason)


def failed(method, reason, counterexample=None, lines=()):
    return Verdict("failed", method, reason=reason, counterexample=counterexample,
                   lines=tuple(lines))


def unknown(method, reason):
    return Verdict("unknown", method, reason=reason)
