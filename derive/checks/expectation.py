"""Sampling expectations: random finite joint laws that honour only the declared independence."""

from __future__ import annotations

import random
from fractions import Fraction

from sympy import Rational, S, sympify

from ..expectation import Expectation
from ..kernel.expectation import Laws


def draw_laws(laws: Laws, symbols, rng: random.Random, outcomes=3):
    """A finite joint law for the opaque variables that honours the declared independence
    and nothing more: a variable of an independent set depends on an outcome of its own;
    every other variable depends on all outcomes at once (so it is correlated with each).
    Values and weights are exact rationals. Returns [(probability, {symbol: value})]."""
    opaque = sorted({s for s in symbols if laws.law(s).support() is None}, key=str)
    alone = [s for s in opaque if any(s in g for g in laws.independent)][:4]
    rest = [s for s in opaque if s not in alone]
    blocks = [[s] for s in alone] + [[]]          # the last block: a shared outcome
    joint = [(Fraction(1), ())]
    for _ in blocks:
        weights = [Fraction(rng.randint(1, 6)) for _ in range(outcomes)]
        total = sum(weights)
        joint = [(p * w / total, key + (n,)) for p, key in joint for n, w in enumerate(weights)]
    own = {s: [Fraction(rng.randint(-12, 12), 4) for _ in range(outcomes)] for s in alone}
    shared = {s: {} for s in rest}
    out = []
    for p, key in joint:
        point = {s: own[s][key[n]] for n, s in enumerate(alone)}
        for s in rest:
            point[s] = shared[s].setdefault(key, Fraction(rng.randint(-12, 12), 4))
        out.append((p, point))
    return out


def evaluate_atoms(expr, joint):
    """Each atom 𝔼[monomial] replaced by its exact value under the finite joint law."""
    reps = {}
    for atom in sympify(expr).atoms(Expectation):
        value = S.Zero
        for p, point in joint:
            value += Rational(p.numerator, p.denominator) * atom.arg.xreplace(
                {s: Rational(v.numerator, v.denominator) for s, v in point.items()})
        reps[atom] = value
    return sympify(expr).xreplace(reps)


def describe(joint, symbols) -> dict:
    """The law, for a counterexample: the variables' values on each outcome, and the
    outcomes' probabilities (outcomes of equal values merged)."""
    symbols = [s for s in sorted(symbols, key=str) if joint and s in joint[0][1]]
    merged = {}
    for p, point in joint:
        key = tuple(point[s] for s in symbols)
        merged[key] = merged.get(key, 0) + p
    out = {}
    for n, s in enumerate(symbols):
        out[str(s)] = "(" + ", ".join(str(key[n]) for key in merged) + ")"
    out["with probabilities"] = "(" + ", ".join(str(p) for p in merged.values()) + ")"
    return out


__all__ = ["draw_laws", "evaluate_atoms", "describe"]
