"""𝔼 in a normal form: rules that state their conditions.

Rules: Var(Z) = 𝔼[Z²] − 𝔼[Z]² (the definition); linearity, which needs each
term integrable — granted for polynomials in variables declared ``\\sim
\\mathcal{D}`` (declared with finite moments of every order) and for finite
distributions, refused otherwise; 𝔼[c] = c; 𝔼[XY] = 𝔼[X]𝔼[Y] only inside a set
declared (mutually) independent; under a finite law (Bernoulli) 𝔼 is a sum over
the support. What is left is a polynomial in atoms 𝔼[monomial].
"""

from __future__ import annotations

from sympy import Add, Dummy, Mul, Pow, S, expand, sympify

from ..errors import UnsupportedStep
from ..expectation import Expectation, Law, RandomSymbol, Variance
from ..expressions import rewrite_bottom_up


class Laws:
    """What one derivation declares about its random variables."""

    def __init__(self, derivation):
        extra = dict(derivation.extra)
        self.laws = {law.symbol: law for law in extra.get("random", ())}
        self.independent = tuple(extra.get("independent", ()))

    def law(self, sym) -> Law:
        return self.laws.get(sym, Law(sym))

    def mutually_independent(self, symbols) -> bool:
        symbols = set(symbols)
        return len(symbols) <= 1 or any(symbols <= group for group in self.independent)


def normal(expr, laws: Laws):
    """``expr`` with Var unfolded and every 𝔼 reduced to atoms 𝔼[monomial] (or values)."""
    expr = sympify(expr)
    if not expr.has(Expectation, Variance):
        _no_loose_randomness(expr)
        return expr
    expr = rewrite_bottom_up(expr, (Variance,), lambda node: node.meaning())
    out = rewrite_bottom_up(expr, (Expectation,), lambda node: _expect(node.arg, laws))
    _no_loose_randomness(out)
    return out


def _no_loose_randomness(expr):
    outside = [s for s in _outside_expectations(expr) if isinstance(s, RandomSymbol)]
    if outside:
        raise UnsupportedStep(f"the random variable {outside[0]} stands outside 𝔼[…]: a step "
                              "relates numbers such as 𝔼[X], not random quantities")


def _outside_expectations(expr):
    if isinstance(expr, Expectation):
        return set()
    if isinstance(expr, RandomSymbol):
        return {expr}
    out = set()
    for a in expr.args:
        out |= _outside_expectations(a)
    return out


def _expect(arg, laws):
    # An 𝔼[…] inside is a number (every declared law has finite moments): 𝔼[(X − 𝔼[X])²].
    inner = {e: Dummy(f"𝔼[{e.arg}]") for e in arg.atoms(Expectation)}    # named for reasons
    arg = arg.xreplace(inner)
    randoms = sorted({s for s in arg.free_symbols if isinstance(s, RandomSymbol)}, key=str)
    if not randoms:
        return arg.xreplace({d: e for e, d in inner.items()})      # 𝔼[c] = c
    terms = Add.make_args(expand(arg))
    out = S.Zero
    try:
        for term in terms:
            const, part = term.as_independent(*randoms, as_Add=False)
            out += const * _monomial(part, laws)
    except UnsupportedStep as exc:       # the reason shows 𝔼[X], not the stand-in _𝔼[X]
        raise UnsupportedStep(str(exc).replace("_𝔼[", "𝔼[")) from None
    return out.xreplace({d: e for e, d in inner.items()})


def _monomial(part, laws):
    """𝔼 of a product of powers of random variables."""
    powers = {}
    for factor in Mul.make_args(part):
        base, exp = factor.as_base_exp()
        if not (isinstance(base, RandomSymbol) and exp.is_Integer and exp > 0):
            finite = all(laws.law(s).support() is not None for s in part.free_symbols
                         if isinstance(s, RandomSymbol))
            if finite and laws.mutually_independent(
                    [s for s in part.free_symbols if isinstance(s, RandomSymbol)]):
                return _over_support(part, laws)
            raise UnsupportedStep(f"𝔼[{part}]: linearity needs it integrable, which the "
                                  "declarations do not give (only polynomials of \\mathcal{D} "
                                  "variables and finite laws are)")
        powers[base] = powers.get(base, 0) + int(exp)
    symbols = sorted(powers, key=str)
    if laws.mutually_independent(symbols):
        value = S.One
        for s in symbols:
            value *= _power(s, powers[s], laws)
        return value
    if all(laws.law(s).support() is not None for s in symbols):
        raise UnsupportedStep(f"𝔼[{part}]: the joint law of {', '.join(map(str, symbols))} is not "
                              "declared (declare them independent)")
    return Expectation(Mul(*[Pow(s, powers[s]) for s in symbols]))


def _power(sym, k, laws):
    support = laws.law(sym).support()
    if support is None:
        return Expectation(sym ** k)
    return Add(*[p * sympify(v) ** k for v, p in support])


def _over_support(part, laws):
    """𝔼[f(X, Y, …)] for independent variables with finite laws: a sum over the supports."""
    symbols = sorted({s for s in part.free_symbols if isinstance(s, RandomSymbol)}, key=str)
    total = S.Zero
    combos = [({}, S.One)]
    for s in symbols:
        combos = [(dict(point, **{s.name: v}), weight * p)
                  for point, weight in combos for v, p in laws.law(s).support()]
    for point, weight in combos:
        total += weight * part.xreplace({s: sympify(point[s.name]) for s in symbols})
    return total


# -- sampling: a random finite law for every variable declared \sim \mathcal{D} -----------------
