"""What a derivation is: symbols, definitions, hypotheses, parts and steps (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import InputError

RELATIONS = ("=", "<=", "<", ">=", ">", "iff", "implies")

_DIRECTION = {"<=": -1, "<": -1, ">=": 1, ">": 1}


def compose(relations) -> str:
    """= and ≤ give ≤; < with ≤ gives <; mixing ≤ and ≥ is an error; ⟺ and ⟹ chain
    conditions, not expressions (⟺ with ⟹ gives ⟹)."""
    relations = list(relations)
    if not relations:
        raise ChainError("an empty chain has no relation")
    logical = [r for r in relations if r in ("iff", "implies")]
    if logical:
        if len(logical) != len(relations):
            raise ChainError("a chain cannot mix ⟺ or ⟹ with =, ≤ or ≥")
        return "implies" if "implies" in logical else "iff"
    directions = {_DIRECTION[r] for r in relations if r in _DIRECTION}
    if len(directions) > 1:
        shown = " ".join({"<=": "≤", ">=": "≥"}.get(r, r) for r in relations)
        raise ChainError(f"a chain mixes ≤ and ≥ ({shown}); split it or flip one side")
    if not directions:
        return "="
    strict = any(r in ("<", ">") for r in relations)
    if directions == {-1}:
        return "<" if strict else "<="
    return ">" if strict else ">="


class ChainError(InputError):
    """A chain whose relations do not compose (≤ mixed with ≥, ⟺ with =)."""


def chains(parts):
    """Yield the relations of each chain (a step with a left side starts one)."""
    for part in parts:
        rels = []
        for step in part.steps:
            if step.lhs is not None and rels:
                yield part, rels
                rels = []
            rels.append(step.rel)
        if rels:
            yield part, rels


@dataclass(frozen=True)
class Var:
    """A scalar symbol with the interval it ranges over."""

    symbol: Any
    lower: Any = None          # None: unbounded
    upper: Any = None
    lower_open: bool = True
    upper_open: bool = True
    integer: bool = False


@dataclass(frozen=True)
class Schema:
    """A named, universally quantified fact: ``instance(*points)`` gives a relation.

    ``kind`` is "hypothesis" (assumed), "lemma" (a standard result with its own
    check or proof in the docs) or "result" (proved earlier in the derivation).
    ``obligations(*args)`` lists side conditions (relations) that must be proved
    before an instance may be used.
    """

    name: str
    instance: Callable[..., Any]
    kind: str = "hypothesis"
    statement: str = ""
    obligations: Callable[..., tuple] | None = None
    parts: tuple = ()          # labels of the parts where it may be used; () = everywhere


@dataclass(frozen=True)
class Use:
    """One instance of a schema: its name and the arguments it is applied to."""

    name: str
    args: tuple = ()


@dataclass(frozen=True)
class Property:
    """A stated property of a function (``f`` is ``smooth`` with constant ``value``) in some parts.

    Results with obligations (a convergence rate) require their function to have them.
    """

    name: str
    function: str
    value: Any
    parts: tuple = ()          # labels of the parts where it holds; () = everywhere


@dataclass(frozen=True)
class Why:
    """A step's justification: a checker kind, the words shown, and what it uses."""

    kind: str
    text: str = ""
    uses: tuple = ()           # tuple[Use, ...] for inequality reasoning
    options: tuple = ()        # (key, value) pairs a checker reads, e.g. ("r", k ↦ r_k) for unroll
    establishes: str = ""      # the name of the result this step states, if any
    at: tuple = ()             # the arguments it is stated at (variables, points, functions)

    def option(self, key, default=None):
        return dict(self.options).get(key, default)


@dataclass(frozen=True)
class Step:
    """One link of a chain: ``lhs rel rhs``; ``lhs=None`` continues the previous rhs."""

    lhs: Any
    rel: str
    rhs: Any
    why: Why
    when: tuple = ()           # case conditions (SymPy relationals) for this step
    note: str = ""             # prose shown after the step
    label: str = ""            # the homework's own step number, when there is one
    origin: tuple = ()         # (file, line, column) where the step was written, if read from a file
    tex: str = ""              # the step exactly as the author wrote it in LaTeX, if they did

    def __post_init__(self):
        if self.rel not in RELATIONS:
            raise ValueError(f"unknown relation {self.rel!r}; expected one of {RELATIONS}")


@dataclass(frozen=True)
class Part:
    """A lettered part: prose before, a sequence of chains, prose after."""

    label: str
    title: str
    steps: tuple
    intro: str = ""
    outro: str = ""
    when: tuple = ()           # case conditions shared by every step of the part


@dataclass(frozen=True)
class Derivation:
    """A whole derivation as the author wrote it."""

    id: str
    title: str
    variables: tuple                      # tuple[Var, ...]
    definitions: tuple = ()               # ((symbol, expression), ...) in dependency order
    assumptions: tuple = ()               # relationals that always hold (e.g. L >= mu)
    schemas: tuple = ()                   # tuple[Schema, ...]
    parts: tuple = ()
    intro: str = ""
    latex_names: tuple = ()               # ((symbol, latex), ...)
    source: str = ""                      # where it came from, for messages
    kind: str = "derivation"              # or "prose"
    prose: str = ""                       # the body of a prose-only question
    extra: tuple = field(default=())      # ((key, value), ...) free-form metadata
    properties: tuple = ()                # tuple[Property, ...]

    def __post_init__(self):
        for part, rels in chains(self.parts):
            try:
                compose(rels)
            except ChainError as exc:
                raise ChainError(f"part ({part.label}): {exc}") from None

    def schema(self, name: str) -> Schema:
        for s in self.schemas:
            if s.name == name:
                return s
        known = ", ".join(s.name for s in self.schemas) or "none"
        raise KeyError(f"no hypothesis or lemma named {name!r} (known: {known})")

    def steps(self):
        """Yield (part, step) in order."""
        for part in self.parts:
            for step in part.steps:
                yield part, step

    def links(self):
        """Yield every step as a Link: its part, number, the step, and the left side it
        relates (a chain's link continues from the previous right side)."""
        index = 0
        for part in self.parts:
            current = None
            for step in part.steps:
                index += 1
                lhs = step.lhs if step.lhs is not None else current
                yield Link(part, index, step, lhs)
                current = step.rhs


@dataclass(frozen=True)
class Link:
    """One step in derivation order, with the left side it relates (None: nothing precedes it)."""

    part: Part
    index: int
    step: Step
    lhs: Any

    @property
    def starts_chain(self) -> bool:
        return self.step.lhs is not None
