"""Kernel rule for steps with sums, matrices and expectations: their meaning and normal forms, re-run.

The meaning of such a step (families unfolded, ∂/∂(σ²), sizes n ≥ 1 as positive
integers, matrices written out entry by entry, 𝔼 in normal form: kernel/indexed.py,
matrices.py, expectation.py) and the normal form of sums (kernel/summation.py) are
recomputed here from the step; the certificate only names what worked in each case.
"""

from __future__ import annotations

import itertools

from sympy import Eq, ImmutableMatrix, cancel, expand, sympify

from ..expressions import to_primitives
from ..printing import text
from .equalities import RELOPS, Rejected, equivalence, tag, where
from .normal import reduces_to_zero
from .positivity import holds, sign_form


def sums(world, kind, lhs, rel, rhs, cert):
    from . import indexed as ix, matrices as mx
    from .gather import gathered
    from .summation import atomize
    fam = ix.families_of(world)
    if rel == "iff":
        if cert.inner is None or cert.inner.kind != "equivalence":
            raise Rejected("an equivalence with sums needs the equivalence of its atomized equations")
        transformed = ix.atomized(world, fam, lhs, rhs)
        if not isinstance(transformed, tuple) or not all(isinstance(e, Eq) for e in transformed):
            raise Rejected("the sums could not be put in normal form")
        return equivalence(world, kind, transformed[0], transformed[1], cert.inner)
    regions = world.cases
    if rel == "=":
        pairs, entries = mx.pairs(world, lhs, rhs)
        entries = entries or [""]
        expected = [(r.label, e) for r in regions for e in entries]
        if [m[:2] for m in cert.methods] != expected:
            raise Rejected("the certificate does not cover every case and entry of the step")
        for (case, _), (_, _, method, layer), (left, right) in zip(
                [(r, e) for r in regions for e in entries], cert.methods, pairs * len(regions)):
            L, R = ix.prepare(world, fam, left, case), ix.prepare(world, fam, right, case)
            if ix.too_short(world, fam, case, L, R):
                raise Rejected(where(case, "a sum may have fewer than zero terms"))
            diff = to_primitives(L - R)
            if method == "sums":
                form = ix.normal(world, fam, case, diff)
                diff = atomize(form)[0] if form is not None else None
                method = layer
                if diff is not None and not reduces_to_zero(diff, method):
                    # Sums over one range, gathered: their summand is 0 by the same layer.
                    diff = atomize(gathered(form, fam.ranges(case),
                                            lambda s: reduces_to_zero(s, method)))[0]
            if diff is None or not reduces_to_zero(diff, method):
                raise Rejected(where(case, f"{method} does not reduce lhs − rhs to 0"))
        used = sorted({m[2] for m in cert.methods})
        return tag(f"{kind}: {'+'.join(used)}", world), ()
    if rel not in RELOPS or [m[0] for m in cert.methods] != [r.label for r in regions]:
        raise Rejected("the certificate does not cover every case of the step")
    M = mx.psd_gap(world, lhs, rel, rhs)
    if M is not None:
        lines = []
        for case, entry in zip(regions, cert.methods):
            if entry[2] != "psd":
                raise Rejected("a matrix inequality is proved by its principal minors")
            signed = M.applyfunc(lambda e: to_primitives(ix.prepare(world, fam, e, case, True)))
            lines.extend(where(case, line) for line in principal_minors(signed))
        return tag(f"{kind}: ⪰ 0 by principal minors", world), tuple(lines)
    if mx.uses_matrices(lhs) or mx.uses_matrices(rhs):
        lhs, rhs = mx.explicit_sides(world, lhs, rhs)
    gap = (rhs - lhs) if rel in ("<=", "<") else (lhs - rhs)
    want = RELOPS[rel]
    lines = [f"{text(gap)} {want} 0 from the symbols' intervals; each sum has terms of one "
             "sign and as many terms as its limits say"]
    summed, said = ix.summed_facts(fam, cert.inner)
    lines.extend(said)
    for c in ix.multipliers(cert.inner):
        if not multiplier_sign(world, world.expand_defs(c)):    # y = √x: y² is x, not ≥ 0
            raise Rejected(f"the multiplier {text(c)} is not shown ≥ 0")
    for case, (_, _, method, form) in zip(regions, cert.methods):
        value = to_primitives(ix.prepare(world, fam, gap - summed, case, True))
        if method != "signed sums" or ix.too_short(world, fam, case, value):
            raise Rejected(where(case, "a sum may have fewer than zero terms"))
        view = next((name for name, shown in ix.sign_views(world, fam, case, value, bool(said))
                     if holds(ix.signed_sums(world, fam, case, shown), want, form)), None)
        if view is None:
            raise Rejected(where(case, f"{text(gap)} {want} 0 is not shown by signed sums"))
        if view:
            lines.append(where(case, VIEWS[view]))
    how = '+'.join(sorted({m[3] for m in cert.methods}))
    how = f"summed, {how}" if said else how     # "summed" survives an 80-column terminal
    return tag(f"{kind}: {how}", world), tuple(lines)


def multiplier_sign(world, c) -> bool:
    """c ≥ 0 in every case of the step: from the symbols' intervals, or factor by factor
    (numerator ≥ 0, denominator > 0), each factor from the intervals or as λ·G + r with G ≥ 0
    a condition on the parameters, λ ≥ 0 a number and r ≥ 0 (> 0) from the intervals:
    1 − Lη/2 = ½(1 − ηL) + ½ under ηL ≤ 1."""
    from sympy import Add, factor_list, fraction, together
    from .facts import condition_gaps
    from .positivity import everywhere
    if everywhere(world, c, False):
        return True
    gaps = [expand(g) for g, _ in condition_gaps(world)]

    def signed(f, strict):
        if everywhere(world, f, strict):
            return True
        for g in gaps:
            for coeff, bare in (t.as_coeff_Mul() for t in Add.make_args(g)):
                lam = expand(f).coeff(bare) / coeff if bare != 1 else None
                if lam is not None and lam.is_extended_real and lam.is_number and lam >= 0 and \
                        everywhere(world, expand(f - lam * g), strict):
                    return True
        return False
    for part, strict in zip(fraction(together(c)), (False, True)):
        try:
            const, factors = factor_list(part)
        except Exception:        # noqa: BLE001 - not a polynomial in its atoms: not shown
            return False
        for f, m in factors:
            if m % 2 == 0 and not strict and f.is_extended_real:
                continue                             # an even power of a real: ≥ 0
            if not signed(f, strict):
                if not signed(-f, strict):
                    return False
                const *= (-1) ** m                   # a factor ≤ 0 (< 0): its sign moves out
        if not (const.is_number and const.is_extended_real and (const > 0 if strict else const >= 0)):
            return False
    return True


VIEWS = {"mean and spread": "each Σ h² of N ≥ 1 real terms written (Σ h)²/N + Σ (h − h̄)², "
                            "h̄ = (Σ h)/N, the last sum ≥ 0",
         "normal form": "the sums in their normal form (closed forms, linearity)"}


def principal_minors(M):
    """The lines of a proof that the symmetric M is ⪰ 0: every principal minor (not only
    the leading ones: Sylvester's criterion for semidefiniteness needs all) is ≥ 0."""
    n = M.shape[0]
    if M.shape != (n, n) or any(cancel(M[i, j] - M[j, i]) != 0 for i in range(n) for j in range(i + 1, n)):
        raise Rejected("the matrix is not symmetric (entrywise, as written)")
    lines = []
    for size in range(1, n + 1):
        for rows in itertools.combinations(range(n), size):
            minor = cancel(expand(M.extract(list(rows), list(rows)).det(method="berkowitz")))
            form = sign_form(minor, ">=")
            if not form:
                raise Rejected(f"the principal minor {{{','.join(str(i + 1) for i in rows)}}} "
                               f"{text(minor)} is not provably ≥ 0")
            lines.append(f"principal minor {{{','.join(str(i + 1) for i in rows)}}}: "
                         f"{text(minor)} ≥ 0 ({form})")
    return lines


def recheck_psd(M, certificate) -> bool:
    """True only when a searcher's certificate shows M ⪰ 0: every principal minor it
    claims equals the one recomputed from M, none is missing, and each is ≥ 0."""
    M = ImmutableMatrix(sympify(M))
    n = M.shape[0]
    if M.shape != (n, n) or not isinstance(certificate, dict) or \
            certificate.get("kind") != "principal minors":
        return False
    claimed = {tuple(rows): minor for rows, minor, _ in certificate.get("minors", ())}
    if set(claimed) != {rows for size in range(1, n + 1)
                        for rows in itertools.combinations(range(n), size)}:
        return False
    for rows, minor in claimed.items():
        actual = M.extract(list(rows), list(rows)).det(method="berkowitz")
        if cancel(expand(actual - minor)) != 0:
            return False
    try:
        principal_minors(M)
    except Rejected:
        return False
    return True
