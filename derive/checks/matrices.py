"""Steps with matrices: entrywise equalities, det/tr as scalars, and ⪰ 0 by a re-checked certificate.

Positive semidefiniteness is searched for here (``psd_certificate``); the kernel
(derive/kernel/sums.py) accepts it only after recomputing every principal minor
(not only the leading ones) from the matrix and proving its sign again.
"""

from __future__ import annotations

import itertools
import random

import mpmath
from sympy import cancel, expand, lambdify

from ..budget import attempt
from ..errors import UnsupportedStep
from ..kernel.matrices import (MAX_SIZE, _dims, explicit, matrix_definitions,  # noqa: F401
                               pairs, psd_gap, symmetric)
from ..expressions import to_primitives
from ..kernel.certificates import Sums
from ..kernel.positivity import sign_form as prove_sign
from ..verdict import failed, unknown


def check_matrices(ctx, world, lhs, rel, rhs, kind):
    from .indexed import _equal, _inequality
    if rel == "=":
        found, labels = pairs(ctx, lhs, rhs)
        return _equal(ctx, world, found, kind, labels=labels)
    if rel == "iff":
        raise UnsupportedStep("equivalences of matrices are not supported")
    M = psd_gap(ctx, lhs, rel, rhs)
    if M is not None:
        return _psd(ctx, world, M, kind)
    defs = matrix_definitions(ctx.derivation)
    return _inequality(ctx, world, explicit(lhs, defs), rel, explicit(rhs, defs), kind)


# -- ⪰ 0 ------------------------------------------------------------------------------------

def _psd(ctx, world, M, kind):
    from .indexed import _where, plan, prepare, regions
    methods = []
    for case in regions(ctx):
        signed, err = attempt(1.5, lambda: M.applyfunc(
            lambda e: to_primitives(prepare(ctx, world, e, case, True))))
        if err:
            return unknown(kind, "evaluating the matrix took over 1.5s")
        if not symmetric(signed):
            return unknown(kind, _where(case, "the matrix is not symmetric (entrywise, as written)"))
        cert = psd_certificate(signed)
        if cert is not None:
            methods.append((case.label, "", "psd", ""))
            continue
        plain = M.applyfunc(lambda e: to_primitives(prepare(ctx, world, e, case)))
        point = _negative_direction(plain, case)
        exact = plan(ctx).exact and not ctx.equations
        if point is not None and exact:
            return failed(f"{kind}: sampling", _where(case, "the matrix has a negative eigenvalue"), point)
        return unknown(kind, _where(case, "no principal minor certificate: the sign of some "
                                          "principal minor does not follow from the assumptions"))
    return Sums(tuple(methods))


def psd_certificate(M):
    """{"kind": "principal minors", "minors": [(rows, minor, form)]} when every principal
    minor of the symmetric matrix M is provably ≥ 0, else None (a search, not a proof)."""
    minors = []
    n = M.shape[0]
    for size in range(1, n + 1):
        for rows in itertools.combinations(range(n), size):
            minor, err = attempt(0.5, lambda: cancel(expand(M.extract(list(rows), list(rows)).det(
                method="berkowitz"))))
            if err:
                return None
            form = prove_sign(minor, ">=")
            if not form:
                return None
            minors.append((rows, minor, form))
    return {"kind": "principal minors", "minors": minors}


def _negative_direction(M, case, points=12, seed=0):
    """A sampled point where M has an eigenvalue clearly below 0, as a counterexample."""
    symbols = sorted(set().union(*[e.free_symbols for e in M]), key=lambda s: s.name)
    try:
        f = lambdify(symbols, M.tolist(), modules="mpmath")
    except Exception:                      # noqa: BLE001 - not numeric: no counterexample
        return None
    rng = random.Random(seed)
    for _ in range(points):
        original = case.sample(rng)
        if original is None:
            continue
        values = case.dummy_point(original)
        if any(s not in values for s in symbols):
            return None
        lows = []
        for dps in (30, 60):
            with mpmath.workdps(dps):
                try:
                    rows = f(*[mpmath.mpf(values[s]) for s in symbols])
                    eig = mpmath.eigsy(mpmath.matrix(rows))[0]
                except (ZeroDivisionError, ValueError, TypeError, NameError):
                    lows = []
                    break
                lows.append(min(eig[i] for i in range(len(eig))))
        if len(lows) == 2 and lows[0] < -1e-12 and abs(lows[0] - lows[1]) < 1e-9 * (1 + abs(lows[1])):
            point = {str(k): mpmath.nstr(mpmath.mpf(v), 8) for k, v in original.items()
                     if case.subs.get(k) is not None and case.subs[k].free_symbols & set(symbols)}
            point["least eigenvalue"] = mpmath.nstr(lows[1], 8)
            return point
    return None


__all__ = ["check_matrices", "pairs", "psd_certificate", "psd_gap", "matrix_definitions"]
