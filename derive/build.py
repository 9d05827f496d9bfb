"""A small builder so a derivation in Python reads like the math on paper."""

from __future__ import annotations

from sympy import Derivative, Limit, Symbol, evaluate

from . import sympy_guards  # noqa: F401 - SymPy's wrong evaluations off before any formula is built
from .build_indexed import D_wrt, IndexedBuilder, Matrix, Product, Sum  # noqa: F401 - the builder's API
from .expectation import E, Variance  # noqa: F401 - the builder's API (Var is the model's)
from .matrices import gradient, hessian  # noqa: F401 - the builder's API
from .model import Derivation, Part, Property, Schema, Step, Use, Var, Why
from .notation import VectorSymbol


def D(f, v, n=1):
    """∂ⁿf/∂vⁿ, unevaluated: the checker gives it its chain-rule meaning."""
    with evaluate(False):
        return Derivative(f, (v, n)) if n != 1 else Derivative(f, v)


def lim(expr, var, point, side="+-"):
    """lim_{var → point^side} expr, unevaluated."""
    return Limit(expr, var, point, side)


def why(kind, text="", uses=(), establishes="", at=(), **options):
    """A justification: ``why("hypothesis", "smoothness", uses=[use("smooth", a, b)])``.

    ``establishes=NAME, at=ARGS`` states a result later steps may cite.
    """
    return Why(kind, text, tuple(uses), tuple(sorted(options.items(), key=lambda kv: kv[0])),
               establishes, tuple(at))


def use(name, *args):
    """An instance of a named hypothesis, lemma or earlier result."""
    return Use(name, tuple(args))


class Builder(IndexedBuilder):
    """Collects variables, definitions, hypotheses and parts; ``build()`` freezes them."""

    def __init__(self, id, title, intro=""):
        self.id, self.title, self.intro = id, title, intro
        self.variables, self.definitions, self.assumptions = [], [], []
        self.schemas, self.parts, self.latex = [], [], []
        self.properties = []
        self._part = None
        self.extra = []

    # -- declarations --------------------------------------------------------
    def var(self, name, latex=None, lower=None, upper=None, lower_open=True,
            upper_open=True, integer=False):
        """A scalar ranging over an interval (default: all of ℝ)."""
        assumptions = {"integer": True} if integer else {"real": True}
        if lower is not None and lower >= 0 and (lower > 0 or lower_open):
            assumptions["positive"] = True
        sym = Symbol(name, **assumptions)
        self.variables.append(Var(sym, lower, upper, lower_open, upper_open, integer))
        self._name(sym, latex)
        return sym

    def const(self, name, latex=None, **assumptions):
        """A symbol with no interval of its own (a parameter, a function's value)."""
        sym = Symbol(name, **({"real": True} | assumptions))
        self._name(sym, latex)
        return sym

    def vector(self, name, latex=None):
        sym = VectorSymbol(name)
        self._name(sym, latex)
        return sym

    def define(self, name, expr, latex=None, vector=False):
        """A named quantity; checks substitute its definition where needed."""
        sym = VectorSymbol(name) if vector else Symbol(name, real=True)
        self.definitions.append((sym, expr))
        self._name(sym, latex)
        return sym

    def assume(self, *relations):
        """Relations that hold everywhere (e.g. ``L >= mu``)."""
        self.assumptions.extend(relations)

    def schema(self, name, instance, kind="hypothesis", statement="", obligations=None, parts=()):
        """A named fact; ``parts`` limits where it holds (a hypothesis of (a) and (b) only)."""
        self.schemas.append(Schema(name, instance, kind, statement, obligations, tuple(parts)))
        return name

    def property(self, name, f, const, parts=()):
        """A stated property of a function, e.g. ("smooth", "ℒ", L), in the given parts
        (all by default): results such as a convergence rate require them."""
        self.properties.append(Property(name, f, const, tuple(parts)))

    def _name(self, sym, latex):
        if latex is not None:
            self.latex.append((sym, latex))

    # -- parts and steps -----------------------------------------------------
    def part(self, label, title, intro="", when=()):
        self._flush()
        self._part = dict(label=label, title=title, intro=intro, when=tuple(when),
                          steps=[], outro="")
        return self

    def outro(self, text):
        self._part["outro"] = text

    def step(self, lhs, rel, rhs, justification, when=(), note="", label="", origin=(), tex=""):
        """``lhs rel rhs``; pass ``lhs=None`` to continue the chain."""
        if isinstance(justification, str):
            justification = why(justification)
        self._part["steps"].append(Step(lhs, rel, rhs, justification, tuple(when), note, label,
                                        tuple(origin), tex))
        return self

    def then(self, rel, rhs, justification, when=(), note="", label=""):
        """Continue the chain from the previous right side."""
        return self.step(None, rel, rhs, justification, when, note, label)

    def _flush(self):
        if self._part is not None:
            p = self._part
            self.parts.append(Part(p["label"], p["title"], tuple(p["steps"]), p["intro"],
                                   p["outro"], p["when"]))
            self._part = None

    def build(self, source="") -> Derivation:
        self._flush()
        return Derivation(self.id, self.title, tuple(self.variables), tuple(self.definitions),
                          tuple(self.assumptions), tuple(self.schemas), tuple(self.parts),
                          self.intro, tuple(self.latex), source, extra=tuple(self.extra),
                          properties=tuple(self.properties))
