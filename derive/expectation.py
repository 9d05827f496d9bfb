"""Random variables, 𝔼 and Var as notation (no I/O): what a derivation about expectations is made of."""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Expr, Symbol, sympify


class RandomSymbol(Symbol):
    """A real random variable (X): never equal to a plain symbol of the same name."""

    def __new__(cls, name):
        return Symbol.__new__(cls, name, real=True)

    def __getnewargs_ex__(self):
        return (self.name,), {}


class Expectation(Expr):
    """𝔼[arg]: a linear functional of the random variables in ``arg``.

    A finite real number: the checks only keep 𝔼 of what the declarations make
    integrable (polynomials of variables with finite moments, finite laws)."""

    is_commutative = True
    is_real = True

    def __new__(cls, arg):
        return Expr.__new__(cls, sympify(arg))

    @property
    def arg(self):
        return self.args[0]

    def _latex(self, printer, exp=None):
        tex = r"\mathbb{E}\left[%s\right]" % printer._print(self.arg)
        return tex if exp is None else r"%s^{%s}" % (tex, exp)

    def _sympystr(self, printer):
        return f"𝔼[{printer._print(self.arg)}]"


class Variance(Expr):
    """Var(arg) = 𝔼[arg²] − 𝔼[arg]², by definition."""

    is_commutative = True
    is_real = True

    def __new__(cls, arg):
        return Expr.__new__(cls, sympify(arg))

    @property
    def arg(self):
        return self.args[0]

    def meaning(self):
        return Expectation(self.arg ** 2) - Expectation(self.arg) ** 2

    def _latex(self, printer, exp=None):
        tex = r"\operatorname{Var}\left(%s\right)" % printer._print(self.arg)
        return tex if exp is None else r"%s^{%s}" % (tex, exp)

    def _sympystr(self, printer):
        return f"Var({printer._print(self.arg)})"


@dataclass(frozen=True)
class Law:
    """What is declared about one random variable: ``kind`` is "any" (a distribution
    with finite moments of every order, otherwise unknown) or "bernoulli" (``params``
    holds p)."""

    symbol: object
    kind: str = "any"
    params: tuple = ()

    def support(self):
        """[(value, probability)] of a finite distribution, or None."""
        if self.kind == "bernoulli":
            p, = self.params
            return [(0, 1 - p), (1, p)]
        return None


def E(arg):
    """𝔼[arg] for the builder."""
    return Expectation(arg)


def Var(arg):
    """Var(arg) for the builder."""
    return Variance(arg)


def uses_expectations(expr) -> bool:
    """𝔼, Var or a random variable anywhere in ``expr``."""
    expr = sympify(expr)
    return bool(expr.has(Expectation, Variance)) or any(
        isinstance(s, RandomSymbol) for s in expr.free_symbols)


__all__ = ["RandomSymbol", "Expectation", "Variance", "Law", "E", "Var", "uses_expectations"]
