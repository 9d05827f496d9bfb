"""Sampling expectations: random finite joint laws that honour only the declared independence."""

from __future__ import annotations

import random
from fractions import Fraction

from sympy import Add, Rational, S, expand, factor, sympify

from ..expectation import Expectation
from ..kernel.expectation import Laws
from ..printing import text


def draw_laws(laws: Laws, symbols, rng: random.Random, outcomes=3):
    """A finite joint law for the random variables that honours the declared laws and
    independence and nothing more. Returns [(probability, {symbol: value})]: values exact
    rationals, probabilities exact (expressions in p where a Bernoulli(p) is declared).

    Each variable is a function of some independent sources. A variable of a declared
    finite law (Bernoulli) is its own source, with the law's probabilities. Any other is a
    random function of a source of its own, of one shared with every variable it is not
    declared independent of (so that pair may be correlated: X ⊥ Y and Y ⊥ Z say nothing
    of X and Z), and of the source of every finite-law variable it is not declared
    independent of; for three such variables declared independent only in pairs, the
    third's own source is the XOR of the other two's fair bits (pairwise, not mutually
    independent). Variables in no independence statement depend on every source. The law
    is checked exactly against every declared group before use; should a group fail,
    nothing is shared but the finite-law sources of variables in no group (weaker, never
    wrong). None when the law would have more than MAX_OUTCOMES outcomes."""
    finite = sorted({s for s in symbols if laws.law(s).support() is not None}, key=str)
    opaque = sorted({s for s in symbols if laws.law(s).support() is None}, key=str)
    grouped = [s for s in opaque if any(s in g for g in laws.independent)]
    rest = [s for s in opaque if s not in grouped]
    involved = set(grouped) | set(finite)
    groups = [g for g in ({s for s in involved if s in group} for group in laws.independent)
              if len(g) > 1]
    supports = {s: laws.law(s).support() for s in finite}
    for correlate in (True, False):
        try:
            joint, sources = _law(grouped, rest, supports, groups, rng, outcomes, correlate)
        except _TooBig:
            continue
        if all(_disjoint(g, sources) or _independent(joint, g) for g in groups):
            return joint
    return None                  # too many variables for an exact law: nothing is sampled


class _TooBig(Exception):
    """The law would have too many outcomes to evaluate exactly."""


MAX_OUTCOMES = 729


def _law(grouped, rest, supports, groups, rng, outcomes, correlate):
    together = lambda a, b: any(a in g and b in g for g in groups)    # noqa: E731
    sources, uses, xor = {}, {s: [] for s in grouped + rest}, {}
    for f, support in supports.items():
        sources[("own", f)] = [sympify(prob) for _, prob in support]
    triangle = _pairwise_triangle(grouped, groups, together) if correlate else None
    size = outcomes if len(grouped) <= 3 else 2
    for s in grouped:
        if triangle and s == triangle[2]:
            xor[s] = triangle[:2]                  # its own source: the XOR of the two bits
            continue
        fair = bool(triangle) and s in triangle[:2]
        sources[("own", s)] = [Rational(1, 2)] * 2 if fair else _weights(rng, size)
        uses[s].append(("own", s))
        if correlate:
            uses[s] += [("own", f) for f in supports if not together(s, f)]
    if correlate:
        for pair in _cliques(grouped, together):
            sources[("shared", pair)] = _weights(rng, 2)
            for s in pair:
                uses[s].append(("shared", pair))
    if rest:
        sources["rest"] = _weights(rng, outcomes)
        for s in rest:
            uses[s] = list(sources)                # every source: correlated with each
    count = 1
    for weights in sources.values():
        count *= len(weights)
    if count > MAX_OUTCOMES:
        raise _TooBig
    joint = [(S.One, {})]
    for n, weights in sources.items():
        joint = [(p * w, {**key, n: k}) for p, key in joint for k, w in enumerate(weights)]
    tables = {s: {} for s in uses}
    # Some laws are narrow: a claim such as Var(X) ≥ 1/7 is false only for small spreads.
    scale = rng.choice((Fraction(1), Fraction(1), Fraction(1, 8)))
    out = []
    for p, key in joint:
        point = {f: Fraction(support[key[("own", f)]][0]) for f, support in supports.items()}
        for s, used in uses.items():
            arg = tuple(key[n] for n in used)
            if s in xor:
                a, b = xor[s]
                arg += (key[("own", a)] ^ key[("own", b)],)
            point[s] = tables[s].setdefault(arg, scale * Fraction(rng.randint(-12, 12), 4))
        out.append((p, point))
    depends = {s: set(used) | {("own", v) for v in xor.get(s, ())} for s, used in uses.items()}
    depends.update({f: {("own", f)} for f in supports})
    return out, depends


def _weights(rng, n):
    """n probabilities, random, exact."""
    raw = [rng.randint(1, 6) for _ in range(n)]
    return [Rational(w, sum(raw)) for w in raw]


def _cliques(variables, together) -> list:
    """Groups of variables no two of which are declared independent, covering every such
    pair (greedy: each group is given one shared source)."""
    left = [(a, b) for i, a in enumerate(variables) for b in variables[i + 1:]
            if not together(a, b)]
    out = []
    while left:
        clique = list(left.pop(0))
        for v in variables:
            if v not in clique and all(not together(v, c) for c in clique):
                clique.append(v)
        out.append(tuple(clique))
        left = [(a, b) for a, b in left if not (a in clique and b in clique)]
    return out


def _pairwise_triangle(variables, groups, together):
    """Three variables independent in pairs but in no group together, or None."""
    for i, a in enumerate(variables):
        for j, b in enumerate(variables[i + 1:], i + 1):
            for c in variables[j + 1:]:
                if together(a, b) and together(a, c) and together(b, c) and \
                        not any({a, b, c} <= g for g in groups):
                    return a, b, c
    return None


def _disjoint(group, sources) -> bool:
    """Functions of disjoint sets of independent sources are mutually independent: the
    group holds by construction (the exact check below is for the XOR of two bits)."""
    seen = set()
    for s in group:
        if sources[s] & seen:
            return False
        seen |= sources[s]
    return True


def _independent(joint, group) -> bool:
    """The group's variables are mutually independent under ``joint``, exactly."""
    members = sorted(group, key=str)
    law, marginal = {}, [{} for _ in members]
    for p, point in joint:
        values = tuple(point[s] for s in members)
        law[values] = law.get(values, 0) + p
        for m, v in zip(marginal, values):
            m[v] = m.get(v, 0) + p
    combos = [()]
    for m in marginal:
        combos = [c + (v,) for c in combos for v in m]
    for values in combos:
        product = S.One
        for m, v in zip(marginal, values):
            product *= m[v]
        if expand(law.get(values, 0) - product) != 0:
            return False
    return True


def evaluate_atoms(expr, joint):
    """Each atom 𝔼[monomial] replaced by its exact value under the finite joint law."""
    reps = {}
    points = [(p, {s: Rational(v.numerator, v.denominator) for s, v in point.items()})
              for p, point in joint]
    for atom in sympify(expr).atoms(Expectation):
        # Outcomes of equal value summed first: one product per value, one sum at the end
        # (adding term by term rebuilt an ever longer sum: 729 outcomes took seconds).
        by_value = {}
        for p, point in points:
            value = atom.arg.xreplace(point)
            by_value.setdefault(value, []).append(p)
        reps[atom] = Add(*[Add(*ps) * value for value, ps in by_value.items()])
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
    out["with probabilities"] = "(" + ", ".join(text(factor(p)) for p in merged.values()) + ")"
    return out


__all__ = ["draw_laws", "evaluate_atoms", "describe"]
