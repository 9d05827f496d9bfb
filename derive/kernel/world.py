"""The world a step holds in: variables' intervals, case conditions, and the sign cases that cover them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from math import prod

from sympy import Dummy, Eq, S, Symbol, sympify

from ..errors import UnsupportedStep
from ..expressions import rebuild
from .intervals import (Interval, _is_monomial, _on_a_cycle, dependency_order, finite,  # noqa: F401
                        flip, holds, inside_interval, outside, relop, replacement, sign_options,
                        signed_interval)
from .points import as_named, named_definitions

# Above this many sign cases a step is `unknown`: each case costs a proof, and a
# product of sign options must never be built blindly (3¹⁶ cases took 7.9 GB).
MAX_CASES = 64


@dataclass(frozen=True)
class Case:
    """One region of the split: how each variable is written in fresh symbols there.

    ``subs`` writes a variable for algebra (v = a with a > 0 when v > 0);
    ``sign_subs`` also reparametrises its interval (y = 1/(1 + r), r > 0) so that
    every interval fact sits in the fresh symbols' assumptions, for sign proofs.
    """

    label: str
    subs: dict
    sign_subs: dict
    intervals: dict            # variable -> Interval (after the conditions tightened it)
    signs: dict                # variable -> +1 / -1 / 0 for the variables split on their sign
    dominance: dict = field(default_factory=dict)   # a -> (b, strict): a = b + d, d ≥ 0 (> 0)
    at_end: dict = field(default_factory=dict)      # variables held at their closed upper end

    def __hash__(self):
        return hash(self.label)


class World:
    """Variables, definitions and conditions of one step, and its case split.

    Built only from the derivation and the step's conditions, so a searcher and
    the kernel given the same step build the same world.
    """

    def __init__(self, derivation, conditions=(), part=None):
        self.derivation = derivation
        self.part = part
        self.own_conditions = tuple(conditions)
        self.vars = {v.symbol: v for v in derivation.variables}
        self.defs = dict(derivation.definitions)
        self._named_defs = named_definitions(self.defs)
        self.conditions = tuple(conditions) + tuple(derivation.assumptions)
        self.equations = {}      # defined or free symbol -> value, from Eq conditions
        self.facts = []          # other conditions: only reasoning under hypotheses uses them
        self.dominance = {}      # a -> (b, strict): a ≥ b (or a > b) between two variables
        self._dominance_conditions = {}
        self.memo = {}           # results of the trusted functions of derive.kernel.meaning
        self.cases = self._split()

    def expand_defs(self, expr, stop=()):
        """Replace defined symbols by their definitions, except those in ``stop``."""
        expr = as_named(self._named_defs, sympify(expr))
        defs = {s: e for s, e in self.defs.items() if s not in stop}
        if not (expr.free_symbols & defs.keys()):
            return expr
        full = self._full_defs(frozenset(stop), defs)
        if full is not None:
            # Every occurrence, bound ones too (∂v/∂u with u defined), as xreplace(defs) did.
            return expr.xreplace({s: full[s] for s in expr.atoms(Symbol) & defs.keys()})
        for _ in range(len(defs) + 1):       # definitions that refer to each other in a cycle
            if not (expr.free_symbols & defs.keys()):
                return expr
            expr = expr.xreplace(defs)
        return expr

    def _full_defs(self, stop, defs):
        """Each definition with every definition it uses already put in, built once per
        ``stop`` from the innermost out (σ nested n deep: n substitutions, where putting
        one level in per pass over the whole expression took n passes); None for a cycle."""
        key = ("full definitions", stop)
        if key not in self.memo:
            full, busy = {}, set()

            def expand(s):
                if s not in full:
                    if s in busy:
                        raise RecursionError(s)
                    busy.add(s)
                    inner = defs[s].atoms(Symbol) & defs.keys()   # bound ones too: ∂v/∂u
                    full[s] = defs[s].xreplace({t: expand(t) for t in inner}) if inner else defs[s]
                return full[s]
            try:
                for s in defs:
                    expand(s)
                self.memo[key] = full
            except RecursionError:
                self.memo[key] = None
        return self.memo[key]

    @property
    def labels(self) -> tuple:
        return tuple(c.label for c in self.cases)

    # -- the split ---------------------------------------------------------------
    def _dominates(self, lhs, rhs, op, intervals) -> bool:
        """Record a ≥ b between two variables as a = b + d, d ≥ 0, where that is exact."""
        if not (isinstance(lhs, Symbol) and isinstance(rhs, Symbol)
                and lhs in intervals and rhs in intervals):
            return False
        big, small = (lhs, rhs) if op in (">", ">=") else (rhs, lhs)
        ib, isml = intervals[big], intervals[small]
        if big in self.dominance or ib.upper is not None or ib.integer or isml.integer:
            return False
        # b + d must cover every allowed value of a: a's lower bound may not exceed b's.
        if ib.lower is not None and (isml.lower is None or ib.lower > isml.lower):
            return False
        self.dominance[big] = (small, op in (">", "<"))
        return True

    def _read_conditions(self, intervals):
        """Tighten intervals; return the sign conditions (op, monomial) to split on."""
        sign_conds = []
        for cond in self.conditions:
            if cond is True or cond == S.true:
                continue
            if cond is False or cond == S.false:
                raise UnsupportedStep("a condition is false: the step holds nowhere")
            if isinstance(cond, Eq):
                lhs, rhs = cond.args
                if not isinstance(lhs, Symbol):
                    lhs, rhs = self._solved(cond)
                if lhs in self.equations:
                    raise UnsupportedStep(f"two equation conditions for {lhs}")
                self.equations[lhs] = rhs
                continue
            op, lhs, rhs = relop(cond)
            if op is None:
                self.facts.append(cond)
                continue
            if op != "!=" and isinstance(lhs, Symbol) and lhs in intervals and rhs.is_number:
                intervals[lhs] = intervals[lhs].tighten(op, finite(rhs))
            elif op != "!=" and isinstance(rhs, Symbol) and rhs in intervals and lhs.is_number:
                intervals[rhs] = intervals[rhs].tighten(flip(op), finite(lhs))
            elif rhs == 0 and _is_monomial(lhs, intervals):
                sign_conds.append((op, lhs))
            elif lhs == 0 and _is_monomial(rhs, intervals):
                sign_conds.append((flip(op), rhs))
            elif op != "!=" and self._dominates(lhs, rhs, op, intervals):
                self._dominance_conditions[lhs, rhs] = cond
            else:
                self.facts.append(cond)
        return sign_conds

    def _solved(self, cond):
        """``y₁ + y₂ + y₃ = 1`` as ``y₃ = 1 − y₁ − y₂``: solved for the last declared variable
        it holds with a constant coefficient (an equivalence, so nothing is lost or added)."""
        expr = rebuild(cond.lhs - cond.rhs).expand()
        for var in sorted(expr.free_symbols & set(self.vars), key=lambda s: s.name, reverse=True):
            a = expr.coeff(var)
            rest = (expr - a * var).expand()
            if var in self.equations or not a.is_number or a == 0 or var in rest.free_symbols:
                continue
            return var, -rest / a
        raise UnsupportedStep(f"an equation condition must be solvable for a declared variable "
                              f"with a constant coefficient: {cond}")

    def _split(self):
        intervals = {s: Interval(finite(v.lower), finite(v.upper), v.lower_open, v.upper_open,
                                 v.integer) for s, v in self.vars.items()}
        sign_conds = self._read_conditions(intervals)
        for sym, iv in intervals.items():
            if iv.empty:
                raise UnsupportedStep(f"the conditions leave no values for {sym}")
        # A variable fixed by an equation (v = 0) is that number in every case.
        fixed = {v: e for v, e in self.equations.items() if v in intervals and e.is_number}
        for v, value in fixed.items():
            if not inside_interval(value, intervals[v], None):
                raise UnsupportedStep(f"the conditions leave no values for {v} ({v} = {value} "
                                      "is outside its interval)")
        split = sorted({s for _, m in sign_conds for s in m.free_symbols if s not in fixed},
                       key=lambda s: s.name)
        options = {s: sign_options(intervals[s]) for s in split}
        split = [s for s in split if len(options[s]) > 1]
        # a = b + d only where neither variable is split on its sign, and only if no
        # later bound on a makes b + d too wide (otherwise it stays a fact).
        for big, (small, _) in list(self.dominance.items()):
            ib, isml = intervals[big], intervals[small]
            too_wide = ib.upper is not None or (ib.lower is not None and (
                isml.lower is None or ib.lower > isml.lower))
            if big in split or small in split or big in self.equations or small in self.equations \
                    or too_wide or _on_a_cycle(big, self.dominance):
                del self.dominance[big]
                cond = self._dominance_conditions.get((big, small))
                self.facts.append(cond if cond is not None
                                  else self._dominance_conditions.get((small, big)))
        self.facts = [f for f in self.facts if f is not None]
        # A closed interval [a, b] has no one-parameter form that sign proofs can use:
        # it is split into [a, b) (a + (b − a)·s/(1 + s), s ≥ 0) and the point b.
        closed = [s for s, iv in intervals.items()
                  if s not in split and s not in fixed and s not in self.dominance
                  and not iv.integer and iv.lower is not None and iv.upper is not None
                  and not iv.lower_open and not iv.upper_open and iv.lower != iv.upper]
        count = prod(len(options[s]) for s in split) * 2 ** len(closed)
        if count > MAX_CASES:
            raise UnsupportedStep(f"{count} sign cases (more than {MAX_CASES}): state fewer "
                                  "case conditions, or conditions on fewer variables")
        cases = []
        # Lazy products: the count above bounds them before anything is built.
        for signs, ends in itertools.product(
                itertools.product(*[options[s] for s in split]),
                itertools.product((False, True), repeat=len(closed))):
            case = self._case(intervals, fixed, split, signs, closed, ends, sign_conds)
            if case is not None:
                cases.append(case)
        if not cases:
            raise UnsupportedStep("the case conditions contradict each other")
        return tuple(cases)

    def _case(self, intervals, fixed, split, signs, closed, ends, sign_conds):
        sign_of = dict(zip(split, signs))
        at_end = {s: intervals[s].upper for s, top in zip(closed, ends) if top}
        subs, sign_subs = {}, {}
        for sym, iv in intervals.items():
            if sym in fixed or sym in at_end:
                subs[sym] = sign_subs[sym] = fixed.get(sym, at_end.get(sym))
                continue
            if sym in closed:
                iv = Interval(iv.lower, iv.upper, False, True, iv.integer)
            subs[sym], sign_subs[sym] = replacement(sym, iv, sign_of.get(sym))
        # a > b > c: b = c + d₁ first, then a = b + d₂ (smallest first).
        for big in dependency_order(self.dominance):
            small, strict = self.dominance[big]
            gap = Dummy(f"d_{big.name}", positive=True) if strict else \
                Dummy(f"d_{big.name}", nonnegative=True)
            subs[big] = subs[small] + gap
            sign_subs[big] = sign_subs[small] + gap
        verdicts = [holds(op, m.xreplace(subs)) for op, m in sign_conds]
        verdicts += [False for v, e in self.equations.items()
                     if v in intervals and not e.is_number
                     and outside(rebuild(self.expand_defs(e)).xreplace(sign_subs), intervals[v])]
        if any(v is None for v in verdicts):
            # A case is only dropped when its condition is provably false there.
            raise UnsupportedStep("cannot decide the case conditions "
                                  f"{', '.join(f'{m} {op} 0' for op, m in sign_conds)} "
                                  "on every sign case")
        if not all(verdicts):
            return None
        label = ", ".join([f"{s}{'>' if g > 0 else '<' if g < 0 else '='}0"
                           for s, g in sign_of.items()] + [f"{s}={v}" for s, v in at_end.items()])
        return Case(label, subs, sign_subs, intervals, sign_of, dict(self.dominance), at_end)
