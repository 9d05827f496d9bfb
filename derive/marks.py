"""The one table of step statuses as shown: mark, ASCII mark, terminal colour, TeX macro, legend."""

from __future__ import annotations

from dataclasses import dataclass

from .verdict import STATUSES


@dataclass(frozen=True)
class Mark:
    status: str
    symbol: str          # on a terminal that can show it, and in Markdown
    ascii: str           # where the output stream cannot encode ``symbol``
    colour: str          # ANSI SGR parameters for a colour terminal
    tex: str             # the macro the LaTeX templates define
    legend: str          # what the status means, as the document's legend says it


TABLE = (
    Mark("proved", "✓", "ok", "32", r"\markproved",
         "a symbolic argument established the step under the stated assumptions."),
    Mark("checked", "≈", "~", "33", r"\markchecked",
         "no symbolic proof was found, but the step held at every sampled point: "
         "evidence, not proof."),
    Mark("cited", "⊢", "|-", "34", r"\markcited",
         "an instance of a stated hypothesis or a named standard lemma, matched exactly."),
    Mark("failed", "✗", "X", "31", r"\markfailed",
         "disproved: a counterexample, or a residual that is provably not zero or of "
         "the wrong sign."),
    Mark("unknown", "?", "?", "38;5;208", r"\markunknown",
         "no method settled the step within its time budget."),
)
assert tuple(m.status for m in TABLE) == STATUSES

BY_STATUS = {m.status: m for m in TABLE}
MARKS = {m.status: m.symbol for m in TABLE}
TEX_MARK = {m.status: m.tex for m in TABLE}
LEGEND = {m.status: m.legend for m in TABLE}
BAD = ("failed", "unknown")          # a run with one of these exits 1
PROOF = ("proved", "cited")          # what --strict accepts
