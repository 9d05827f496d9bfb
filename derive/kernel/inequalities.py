"""Kernel rules for inequalities under hypotheses: instances, multiplier certificates, monotonicity, induction."""

from __future__ import annotations

from functools import cached_property

from sympy import Add, Dummy, LessThan, Mul, Pow, S, cancel, exp, expand, fraction, together

from ..expressions import rebuild
from ..printing import text
from .equalities import Rejected
from .facts import condition_gaps, gap, instances, lookup, normal, obligations, parameter_gaps, split_atoms, surface
from .positivity import everywhere

MAX_DEPTH = 12


class Premises:
    """A step's facts as the kernel lists them, their parameter gaps, and its side conditions."""

    def __init__(self, world, facts, obligations=()):
        self.world, self.facts = world, list(facts)
        self.obligations = tuple(obligations)
        self.notes = []

    @cached_property
    def gaps(self):
        # Only sign proofs read them: a cited instance never normalises every fact.
        return parameter_gaps(self.world, self.facts)

    @classmethod
    def for_step(cls, world, step, ledger):
        # Side conditions first, and without the step's facts: a hypothesis may not
        # vouch for the conditions under which it holds.
        lines, bad = obligations(world, step, ledger, condition_gaps(world))
        if bad:
            raise Rejected(bad)
        return cls(world, instances(world, step, ledger), lines)

    def sign(self, world, g, strict):
        """g ≥ 0 (> 0) everywhere; a proof via a named fact is noted for the reader."""
        how = everywhere(world, g, strict, self.gaps)
        if how and how.endswith("by a named fact") and how not in self.notes:
            self.notes.append(how)
        return bool(how)


def goal_gap(lhs, rel, rhs):
    g, strict = gap((lhs, rhs), rel)
    if strict is None:
        raise Rejected("this justification proves an inequality (≤, <, ≥, >), not '='")
    return g, strict


def instance(world, kind, step, lhs, rel, rhs, ledger):
    # A step that is not the instance is not thereby false (2·√(uv) ≤ u + v is twice
    # amgm's instance): each refusal here leaves it unknown, never failed.
    uses = step.why.uses
    if len(uses) != 1:
        raise Rejected(f"'{kind}' cites exactly one fact; use 'combination' for several")
    premises = Premises.for_step(world, step, ledger)
    fact = premises.facts[0]
    g_claim, strict = gap((lhs, rhs), rel)
    g_inst, inst_strict = gap(fact.relation)
    if inst_strict is None:
        return _equation_instance(world, kind, fact, g_claim, strict, premises)
    if strict is None:
        raise Rejected(f"{fact.label} is an inequality; it does not give an equation")
    differ = cancel(normal(world, g_claim - g_inst))
    if differ != 0:
        raise Rejected(f"not an instance of {fact.label}: the step and the instance differ by "
                       f"{text(differ)}")
    if strict and not inst_strict:
        raise Rejected(f"{fact.label} gives a weak inequality; the step claims a strict one")
    return f"{kind}: {fact.label}", (f"instance of {fact.label}: {text(fact.relation)}",
                                     *premises.obligations)


def _equation_instance(world, kind, fact, g_claim, strict, premises):
    """An equation a = b cited for a = b, b = a, or a weak a ≤ b / a ≥ b: the gaps agree up to sign."""
    if strict:
        raise Rejected(f"{fact.label} is an equation; it gives no strict inequality")
    g_inst = normal(world, gap(fact.relation)[0])
    g_claim = normal(world, g_claim)
    differ = cancel(g_claim - g_inst)
    if differ != 0 and cancel(g_claim + g_inst) != 0:
        raise Rejected(f"not an instance of {fact.label}: the step and the instance differ by "
                       f"{text(differ)}")
    return f"{kind}: {fact.label}", (f"instance of {fact.label}: {text(fact.relation)}",
                                     *premises.obligations)


def combination(world, step, lhs, rel, rhs, ledger, cert):
    premises = Premises.for_step(world, step, ledger)
    if rel == "=":
        lines = check_equations(world, premises, lhs - rhs, cert)
        return "combination: multipliers", (*premises.obligations, *lines)
    g, strict = goal_gap(lhs, rel, rhs)
    lines = check_combination(world, premises, g, strict, cert)
    return "combination: multipliers", (*premises.obligations, *lines)


def check_equations(world, premises, goal, cert):
    """The lines of an accepted certificate for goal = 0 as Σ cₖ·(equation gapₖ), else Rejected.

    Only equations may carry a nonzero multiplier (an inequality gives no equation);
    each multiplier must be defined everywhere; what is left must be identically 0.
    """
    facts = premises.facts
    chosen = dict(cert.multipliers)
    if len(chosen) != len(cert.multipliers) or any(i not in range(len(facts)) for i in chosen):
        raise Rejected("the certificate's multipliers name facts the step does not have")
    total, lines = normal(world, goal), []
    for i, c in sorted(chosen.items()):
        c = cancel(c)
        if c == 0:
            continue
        fact = facts[i]
        g, fstrict = gap(fact.relation)
        if fstrict is not None:
            raise Rejected(f"{fact.label} is an inequality; only equations combine into an equation")
        if not _finite(world, premises, c):
            raise Rejected(f"{fact.label} would need the multiplier {text(c)}, which may be undefined")
        total -= c * normal(world, g)
        lines.append(f"{fact.label} × {text(c)} (an equation: any sign)")
    rest = cancel(together(expand(total)))
    if rest != 0:
        raise Rejected(f"the equations combined leave {text(rest)}, not 0")
    lines.append("the step is this combination of the equations, term for term")
    return lines


def check_combination(world, premises, goal, strict, cert):
    """The lines of an accepted multiplier certificate for goal ≥ 0 (> 0), else Rejected."""
    facts = premises.facts
    chosen = dict(cert.multipliers)
    if len(chosen) != len(cert.multipliers) or any(i not in range(len(facts)) for i in chosen):
        raise Rejected("the certificate's multipliers name facts the step does not have")
    total = normal(world, goal)
    for i, c in chosen.items():
        total -= c * normal(world, gap(facts[i].relation)[0])
    free, gram, const = split_atoms(world, expand(total))
    left = {a: c for a, c in ((a, cancel(v)) for a, v in free.items()) if c != 0}
    if left:
        shown = ", ".join(f"{text(a)}: {text(v)}" for a, v in list(left.items())[:4])
        raise Rejected(f"no combination of the facts cancels the function values "
                       f"(coefficient equations {shown} have no solution)")
    lines, strict_used = [], False
    for i, fact in enumerate(facts):
        value = cancel(chosen.get(i, S.Zero))
        fstrict = gap(fact.relation)[1]
        if value != 0 and not _finite(world, premises, value):
            # c = 1/x times an equation x·a = x·b would "prove" a = b where x = 0.
            raise Rejected(f"{fact.label} would need the multiplier {text(value)}, which may be undefined")
        if fstrict is None:
            lines.append(f"{fact.label} × {text(value)} (an equation: any sign)")
            continue
        if value != 0 and not premises.sign(world, value, False):
            raise Rejected(f"{fact.label} would need the multiplier {text(value)}, not provably ≥ 0")
        if value != 0:
            lines.append(f"{fact.label} × {text(value)} (≥ 0 from the assumptions)")
            strict_used = strict_used or (fstrict and premises.sign(world, value, True))
    const = cancel(const)
    gram = {a: c for a, c in ((a, cancel(v)) for a, v in gram.items()) if c != 0}
    if not premises.sign(world, const, False):
        raise Rejected(f"the remainder's constant part {text(const)} is not provably ≥ 0")
    pivots = psd(world, premises, gram)
    if strict and not strict_used and not premises.sign(world, const, True):
        raise Rejected("a strict inequality needs a strict fact or a positive remainder")
    lines.extend(premises.notes)
    remainder = const + Add(*[v * a for a, v in gram.items()])
    lines.append(f"remainder {text(remainder)} ≥ 0" +
                 (" (a positive semidefinite form in inner products)" if gram else ""))
    if pivots:
        lines.append(f"  LDLᵀ pivots {', '.join(text(p) for p in pivots)}")
    return lines


def _finite(world, premises, value) -> bool:
    """The multiplier's denominator has a strict sign under the assumptions."""
    _, den = fraction(together(value))
    if den.is_number:
        return den != 0
    return premises.sign(world, den, True) or premises.sign(world, -den, True)


def psd(world, premises, gram):
    """The pivots of an LDLᵀ of Σ coeff·⟨p,q⟩, each proved ≥ 0; Rejected if not PSD."""
    if not gram:
        return []
    vectors = sorted({v for a in gram for v in a.args}, key=lambda v: v.sort_key())
    index = {v: i for i, v in enumerate(vectors)}
    n = len(vectors)
    m = [[S.Zero] * n for _ in range(n)]
    for atom, coeff in gram.items():
        i, j = index[atom.args[0]], index[atom.args[1]]
        if i == j:
            m[i][i] += coeff
        else:
            m[i][j] += coeff / 2
            m[j][i] += coeff / 2
    pivots = []
    for k in range(n):
        pivot = cancel(m[k][k])
        rest = [cancel(m[k][j]) for j in range(k + 1, n)]
        if pivot == 0:
            if any(r != 0 for r in rest):
                raise Rejected(f"the inner-product form is not positive semidefinite "
                               f"(zero pivot at {vectors[k]})")
            continue
        pivots.append(pivot)
        if all(r == 0 for r in rest):
            # Nothing to eliminate: the pivot only has to be ≥ 0.
            if not premises.sign(world, pivot, False):
                raise Rejected(f"the inner-product form's pivot {text(pivot)} at {vectors[k]} "
                               "is not provably ≥ 0")
            continue
        if not premises.sign(world, pivot, True):
            raise Rejected(f"the inner-product form's pivot {text(pivot)} at {vectors[k]} "
                           "is not provably > 0")
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                m[i][j] = cancel(m[i][j] - m[i][k] * m[k][j] / pivot)
    return pivots


def monotone(world, step, lhs, rel, rhs, ledger, cert):
    g, strict = goal_gap(lhs, rel, rhs)
    if strict:
        raise Rejected("monotonicity proves ≤ or ≥; split a strict step")
    premises = Premises.for_step(world, step, ledger)
    small, big = (lhs, rhs) if rel in ("<=", "<") else (rhs, lhs)
    root = cert.root
    if (root.small, root.big) != (surface(world, small), surface(world, big)):
        raise Rejected("the monotonicity proof is about other expressions than the step's sides")
    lines = []
    _node(world, premises, root, lines, 0)
    return "monotone", (*premises.obligations, *lines)


def _same(world, a, b) -> bool:
    return cancel(normal(world, a - b)) == 0


def _node(world, premises, node, lines, depth):
    """Re-check one rule of a monotonicity proof that node.small ≤ node.big."""
    if depth > MAX_DEPTH:
        raise Rejected("monotonicity recursion too deep")
    a, b, rule = node.small, node.big, node.rule
    kids = node.children
    if rule == "equal" and _same(world, a, b):
        return
    if rule == "fact" and node.fact in range(len(premises.facts)):
        fact = premises.facts[node.fact]
        g, strict = gap(fact.relation)
        if strict is not None and cancel(normal(world, g) - normal(world, b - a)) == 0:
            lines.append(f"{text(a)} ≤ {text(b)}: {fact.label}")
            return
    if rule == "factor" and len(kids) == 1 and node.arg is not None and \
            _same(world, a, node.arg * kids[0].small) and _same(world, b, node.arg * kids[0].big):
        _nonneg(world, premises, node.arg, node.sign_of)
        lines.append(f"multiply by {text(node.arg)} ≥ 0")
        return _node(world, premises, kids[0], lines, depth + 1)
    if rule == "factor turned" and len(kids) == 1 and node.arg is not None and \
            _same(world, a, node.arg * kids[0].big) and _same(world, b, node.arg * kids[0].small):
        _nonneg(world, premises, -node.arg, node.sign_of)
        lines.append(f"multiply by {text(node.arg)} ≤ 0 (the inequality turns)")
        return _node(world, premises, kids[0], lines, depth + 1)
    if rule == "power" and len(kids) == 1 and isinstance(a, Pow) and node.arg is not None:
        t, child = node.arg, kids[0]
        bb = b
        if isinstance(b, exp) and t != 0 and not cancel(b.args[0] / t).has(*t.free_symbols):
            bb = Pow(exp(cancel(b.args[0] / t)), t, evaluate=False)
        if a.exp == t and isinstance(bb, Pow) and cancel(bb.exp - t) == 0 and \
                (child.small, child.big) == (a.base, bb.base):
            if not premises.sign(world, normal(world, t), False):
                raise Rejected(f"the exponent {text(t)} is not provably ≥ 0")
            _nonneg(world, premises, a.base, node.sign_of)
            lines.append(f"powers with exponent {text(t)} ≥ 0 of bases ≥ 0 keep the order")
            return _node(world, premises, child, lines, depth + 1)
    if rule == "exp" and len(kids) == 1 and isinstance(a, exp) and isinstance(b, exp) and \
            (kids[0].small, kids[0].big) == (a.args[0], b.args[0]):
        lines.append("exp is increasing")
        return _node(world, premises, kids[0], lines, depth + 1)
    if rule == "terms" and len(kids) == 1 and _same(world, b - a, kids[0].big - kids[0].small):
        lines.append("cancel the common terms")
        return _node(world, premises, kids[0], lines, depth + 1)
    if rule == "sign" and premises.sign(world, normal(world, b - a), False):
        lines.append(f"{text(a)} ≤ {text(b)}: the difference is ≥ 0 from the assumptions")
        return
    if rule == "combination" and node.combination is not None:
        cert_lines = check_combination(world, premises, b - a, False, node.combination)
        lines.append(f"{text(a)} ≤ {text(b)}:")
        lines.extend("  " + c for c in cert_lines)
        return
    raise Rejected(f"the rule {rule!r} does not show {text(a)} ≤ {text(b)}")


def _nonneg(world, premises, k, proof):
    """k ≥ 0 from the intervals, or by a multiplier certificate from the facts."""
    k = normal(world, k)
    if proof is None:
        if premises.sign(world, k, False):
            return
        raise Rejected(f"the sign of {text(k)} is not known")
    check_combination(world, premises, k, False, proof)


def unroll(world, step, lhs, rel, rhs, ledger):
    """Induction: r_{k+1} ≤ q·r_k for every k ≥ 0 and q ≥ 0 give r_t ≤ qᵗ·r_0."""
    from .results import same_world
    if rel != "<=":
        raise Rejected("unrolling proves r_t ≤ qᵗ·r_0 (write it with ≤)")
    r, q, t = step.why.option("r"), step.why.option("q"), step.why.option("t")
    if r is None or q is None or t is None or len(step.why.uses) != 1:
        raise Rejected("unroll needs options r (k ↦ r_k), q, t and one premise in uses")
    k = Dummy("k", integer=True, nonnegative=True)   # never the derivation's own k
    name = step.why.uses[0].name
    if name not in ledger.established:
        raise Rejected(f"uses {name!r}, which no step above established")
    schema = lookup(world.derivation, name, world.part)
    label, premise = f"{name}(k)", schema.instance(k)
    at = ledger.established[name]
    var = world.vars.get(at[0]) if len(at) == 1 else None
    covers = var is not None and var.integer and var.upper is None and (
        var.lower is None or var.lower < 0 or (var.lower == 0 and not var.lower_open))
    constrained = var is not None and any(
        at[0] in rebuild(world.expand_defs(a)).free_symbols for a in world.derivation.assumptions)
    if not covers or constrained:
        raise Rejected(f"{name} must be established at one integer variable ranging over all k ≥ 0")
    moved = same_world(world, step.why.uses[0], ledger, schema)
    if moved:
        raise Rejected(moved)
    g_p, sp = gap(premise)
    g_w, _ = gap(LessThan(r(k + 1), q * r(k)))
    differ = cancel(normal(world, g_p - g_w))
    if sp is None or differ != 0:     # the justification does not fit; the step may still hold
        raise Rejected(f"the premise {label} is not r(k+1) ≤ q·r(k): it differs by {text(differ)}")
    if not everywhere(world, normal(world, q), False):
        raise Rejected(f"q = {text(q)} is not provably ≥ 0, and the induction needs it")
    tv = world.vars.get(t)
    if not tv or not tv.integer or tv.lower is None or tv.lower < 0:
        raise Rejected(f"{t} must be a declared integer variable ≥ 0")
    # rhs − lhs = (qᵗ·r(0) − r(t)) + residual: a residual ≥ 0 everywhere is a weaker step.
    residual = cancel(normal(world, rhs - lhs) - normal(world, q**t * r(0) - r(t)))
    if residual != 0 and not everywhere(world, residual, False):
        raise Rejected(f"the step is not r(t) ≤ qᵗ·r(0), nor provably weaker: it differs by {text(residual)}")
    return "lemma: unrolling", (f"premise {label}: r(k+1) ≤ q·r(k) for every k ≥ 0",
                                f"q = {text(q)} ≥ 0 from the assumptions",
                                "by induction on t: r(t) ≤ qᵗ·r(0)") + (
        (f"weaker: its gap exceeds qᵗ·r(0) − r(t) by {text(residual)} ≥ 0",) if residual != 0 else ())
