"""Checked steps as plain records: what the cache keeps, --json prints and the terminal shows.

A record is built once, right after checking, from the step's expressions:
printing runs under a CPU budget and falls back to the author's LaTeX (or a
placeholder), so an expression SymPy cannot print is never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .marks import BAD, MARKS, PROOF  # noqa: F401 - MARKS: the table lives in derive/marks.py
from .verdict import STATUSES, Verdict

PRINT_BUDGET = 2.0               # CPU seconds to print one expression
UNPRINTABLE = "(an expression too large or too strange to print)"


def _str(value, what, optional=False):
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text")
    return value


def _int(value, what, optional=False):
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what} must be an integer")
    return value


@dataclass(frozen=True)
class StepRecord:
    """One checked step as plain data: where it is, what it says, and its verdict."""

    part: str
    index: int
    text: str                    # the relation in Unicode, as the terminal shows it
    latex: str
    relation: str
    justification: str
    verdict: Verdict
    conditions: tuple = ()       # the step's case conditions, as text
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def to_json(self) -> dict:
        """The --json step (product.md's schema)."""
        v = self.verdict.to_json()
        return {"part": self.part, "index": self.index, "file": self.file, "line": self.line,
                "column": self.column, "latex": self.latex, "relation": self.relation,
                "justification": self.justification, "status": v["status"],
                "method": v["method"], "reason": v["reason"],
                "counterexample": v["counterexample"], "certificate": v["certificate"],
                "cached": v["cached"], "seconds": v["seconds"]}

    def to_entry(self) -> dict:
        """What the verdict cache keeps (the verdict through Verdict.to_json)."""
        return {"part": self.part, "index": self.index, "text": self.text, "latex": self.latex,
                "relation": self.relation, "justification": self.justification,
                "conditions": list(self.conditions), "file": self.file, "line": self.line,
                "column": self.column, "verdict": self.verdict.to_json()}

    @classmethod
    def from_entry(cls, data) -> "StepRecord":
        """A record from ``to_entry``'s output; ValueError for anything malformed."""
        if not isinstance(data, dict):
            raise ValueError("a step must be an object")
        conditions = data.get("conditions")
        if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
            raise ValueError("conditions must be a list of text")
        return cls(_str(data.get("part"), "part"), _int(data.get("index"), "index"),
                   _str(data.get("text"), "text"), _str(data.get("latex"), "latex"),
                   _str(data.get("relation"), "relation"),
                   _str(data.get("justification"), "justification"),
                   Verdict.from_json(data.get("verdict")), tuple(conditions),
                   _str(data.get("file"), "file", True), _int(data.get("line"), "line", True),
                   _int(data.get("column"), "column", True))


@dataclass(frozen=True)
class Report:
    """One derivation's checked steps; ``derivation`` and ``results`` when it was built."""

    id: str
    title: str
    kind: str
    source: str | None
    steps: tuple
    cached: bool = False
    unreadable: tuple = ()       # what a document held that could not be read: {file, line,
                                 # column, message} each
    derivation: object = field(default=None, compare=False, repr=False)
    results: tuple | None = field(default=None, compare=False, repr=False)

    @property
    def statuses(self) -> list:
        return [s.verdict.status for s in self.steps]

    def to_json(self) -> dict:
        out = {"id": self.id, "title": self.title, "source": self.source,
               "steps": [s.to_json() for s in self.steps]}
        if self.unreadable:
            out["unreadable"] = [dict(u) for u in self.unreadable]
        return out

    def to_entry(self) -> dict:
        return {"id": self.id, "title": self.title, "kind": self.kind, "source": self.source,
                "steps": [s.to_entry() for s in self.steps],
                "unreadable": [dict(u) for u in self.unreadable]}

    @classmethod
    def from_entry(cls, data) -> "Report":
        """A cached report, every verdict marked cached; ValueError if malformed."""
        if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
            raise ValueError("a report must be an object with a list of steps")
        if data.get("kind") not in ("derivation", "prose"):
            raise ValueError("unknown kind")
        steps = tuple(StepRecord.from_entry(s) for s in data["steps"])
        unreadable = data.get("unreadable", [])
        if not isinstance(unreadable, list) or not all(_is_unreadable(u) for u in unreadable):
            raise ValueError("unreadable parts must be {file, line, column, message} objects")
        return cls(_str(data.get("id"), "id"), _str(data.get("title"), "title"), data["kind"],
                   _str(data.get("source"), "source", True), steps, cached=True,
                   unreadable=tuple(unreadable))

    def unreadable_lines(self) -> list:
        """What could not be read, as `file:line:col: message` lines."""
        return [":".join(str(u[k]) for k in ("file", "line", "column") if u[k] is not None)
                + f": {u['message']}" for u in self.unreadable]


def _is_unreadable(u) -> bool:
    return isinstance(u, dict) and set(u) == {"file", "line", "column", "message"} and \
        isinstance(u["message"], str) and all(u[k] is None or isinstance(u[k], (str, int))
                                              for k in ("file", "line", "column"))


def unreadable(derivation) -> tuple:
    """What a document held that could not be read: ({file, line, column, message}, ...)."""
    return tuple(dict(zip(("file", "line", "column", "message"), e))
                 for e in dict(derivation.extra).get("unreadable", ()))


def counts(items) -> dict:
    """{status: n} over StepRecords, StepResults or Reports."""
    out = {s: 0 for s in STATUSES}
    for item in items:
        for step in (item.steps if isinstance(item, Report) else (item,)):
            out[step.verdict.status] += 1
    return out


def exit_ok(items, strict: bool = False) -> bool:
    """No step failed or stayed unknown, nothing went unread; with ``strict``, every step
    proved or cited."""
    if any(getattr(item, "unreadable", ()) for item in items):
        return False
    c = counts(items)
    if strict:
        return all(n == 0 for s, n in c.items() if s not in PROOF)
    return all(c[s] == 0 for s in BAD)


def shown(fn, fallback: str) -> str:
    """``fn()``'s text, or ``fallback`` when printing fails or runs over its budget."""
    from .budget import Timeout, time_limit
    try:
        with time_limit(PRINT_BUDGET):
            out = fn()
        return out if isinstance(out, str) else fallback
    except (Exception, Timeout):    # noqa: BLE001 - printing is never a reason to crash
        return fallback


def records(derivation, results) -> tuple:
    """The StepRecords of a checked derivation (printing each expression safely)."""
    from sympy import true
    from .printing import relation_tex, relation_text, text
    names = dict(derivation.latex_names)
    out = []
    for r in results:
        step, v = r.step, r.verdict
        author = step.tex or ""
        rel_text = shown(lambda: relation_text(r.lhs, step.rel, step.rhs), author or UNPRINTABLE)

        def latex():
            lhs, rel, rhs = relation_tex(r.lhs, step.rel, step.rhs, names)
            return f"{lhs} {rel} {rhs}"
        rel_tex = shown(latex, author or r"\text{" + UNPRINTABLE + "}")
        conditions = tuple(shown(lambda c=c: text(c), "(a condition too large to print)")
                           for c in tuple(r.part.when) + tuple(step.when)
                           if c is not True and c is not true)
        origin = tuple(step.origin) + (None, None, None)
        out.append(StepRecord(r.part.label, r.index, rel_text, rel_tex, step.rel,
                              step.why.text or step.why.kind, v, conditions,
                              origin[0], origin[1], origin[2]))
    return tuple(out)


def report(derivation, results, cached=False) -> Report:
    return Report(derivation.id, derivation.title, derivation.kind, derivation.source or None,
                  records(derivation, results), cached, unreadable(derivation), derivation,
                  tuple(results))


def as_json(reports, seconds: float | None = None) -> dict:
    """The --json document: every derivation's steps and a summary.

    ``summary.seconds`` is checking time spent in this run (cached steps cost none);
    ``summary.cached`` says every verdict came from the cache.
    """
    reports = list(reports)
    summary = counts(reports)
    steps = [s for r in reports for s in r.steps]
    spent = sum(s.verdict.seconds for s in steps if not s.verdict.cached)
    summary["seconds"] = round(spent if seconds is None else seconds, 6)
    summary["cached"] = bool(steps) and all(s.verdict.cached for s in steps)
    return {"derivations": [r.to_json() for r in reports],
            "summary": summary}
