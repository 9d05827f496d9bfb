"""What the names of one file mean: symbols, functions, parameters (no parsing here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Name:
    """A name as written: its one canonical LaTeX spelling and its Unicode form."""

    key: str        # \hat{y}, w_{t+1}, \mathcal{L}, x^{*}
    shown: str      # ŷ, w_{t+1}, ℒ, x*
    base: str = ""  # the bare letter or command, for messages and special names (e, d, \pi)


@dataclass(frozen=True)
class Fn:
    """A declared function.

    kind: "sigmoid" and "relu" (the notation's σ and ReLU), "formula" (replaced by
    its body), "scalar" (an opaque differentiable ℝ → ℝ function) or "vector"
    (an opaque ℝⁿ → ℝ function: f(p) is a scalar, ∇f(p) a vector).
    """

    kind: str
    name: Name
    params: tuple = ()
    body: Any = None
    bare: Any = None      # what the name alone means (documents: ℓ for ℓ(w) := …), or None


@dataclass
class Scope:
    """Everything a file has declared so far; parsing reads it, declarations grow it."""

    symbols: dict = field(default_factory=dict)      # key -> Symbol or VectorSymbol
    functions: dict = field(default_factory=dict)    # key -> Fn
    latex: dict = field(default_factory=dict)        # Symbol -> LaTeX, for printing
    declared: dict = field(default_factory=dict)     # key -> line, for redeclarations
    log_base: Any = None                             # None: \log is the natural logarithm
    # Function values at points that mention a schema's parameters are placeholders
    # until the schema is instantiated: placeholder -> ("value" | "grad", Fn, point).
    deferred: dict = field(default_factory=dict)
    params: set = field(default_factory=set)
    # Documents: ``undeclared(name, called)`` gives a symbol for a name nobody declared,
    # a message to refuse it with, or None for the usual error; derivation files leave it None.
    undeclared: Any = None
    families: dict = field(default_factory=dict)     # key of x in x_i -> derive.indexed.Family
    indices: dict = field(default_factory=dict)      # key -> derive.indexed.Index

    def known(self, key: str) -> bool:
        return key in self.symbols or key in self.functions or key in self.families
