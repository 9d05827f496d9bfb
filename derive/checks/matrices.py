"""Steps with matrices: entrywise equalities, det/tr as scalars, and ⪰ 0 by a re-checked certificate.

Positive semidefiniteness is searched for here (``psd_certificate``) and
accepted only when ``recheck_psd``, which sees nothing but the matrix and the
certificate, agrees: every principal minor (not only the leading ones) is
recomputed from the matrix and its sign proved again. That re-check is the
kernel's job once derive/kernel/ exists.
"""

from __future__ import annotations

import itertools
import random

import mpmath
from sympy import ImmutableMatrix, cancel, expand, lambdify, sympify

from ..budget import attempt
from ..errors import UnsupportedStep
from ..matrices import explicit, is_matrix
from ..verdict import failed, proved, unknown
from .algebra import to_primitives
from .signs import prove_sign

MAX_SIZE = 3


def matrix_definitions(derivation) -> dict:
    """{MatrixSymbol: its explicit value} from the derivation's extra data."""
    return dict(dict(derivation.extra).get("matrices", ()))


def check_matrices(ctx, world, lhs, rel, rhs, kind):
    from .indexed import _equal, _inequality
    defs = matrix_definitions(ctx.derivation)
    L, R = explicit(lhs, defs), explicit(rhs, defs)
    if rel == "=":
        if is_matrix(L) or is_matrix(R):
            if not (is_matrix(L) and is_matrix(R)) or L.shape != R.shape:
                raise UnsupportedStep(f"the sides have different dimensions ({_dims(L)} and {_dims(R)})")
            cells = list(itertools.product(range(L.shape[0]), range(L.shape[1])))
            return _equal(ctx, world, [(L[i, j], R[i, j]) for i, j in cells], kind,
                          labels=[f"{i + 1},{j + 1}" for i, j in cells])
        return _equal(ctx, world, [(L, R)], kind)
    if rel == "iff":
        raise UnsupportedStep("equivalences of matrices are not supported")
    if is_matrix(L) or is_matrix(R):
        if rel not in (">=", "<="):
            raise UnsupportedStep("only ⪰ (positive semidefinite) is supported between matrices")
        gap = _minus(L, R) if rel == ">=" else _minus(R, L)
        return _psd(ctx, world, gap, kind)
    return _inequality(ctx, world, L, rel, R, kind)


def _minus(a, b):
    if not is_matrix(b):
        if b != 0:
            raise UnsupportedStep("a matrix is compared with a matrix or with 0")
        return a
    if not is_matrix(a) or a.shape != b.shape:
        raise UnsupportedStep("the sides have different dimensions")
    return ImmutableMatrix(a - b)


def _dims(m) -> str:
    return f"{m.shape[0]}×{m.shape[1]}" if is_matrix(m) else "a number"


# -- ⪰ 0 ------------------------------------------------------------------------------------

def _psd(ctx, world, M, kind):
    from .indexed import _tag, _where, prepare
    if M.shape[0] != M.shape[1]:
        raise UnsupportedStep(f"⪰ 0 needs a square matrix, not {_dims(M)}")
    if M.shape[0] > MAX_SIZE:
        raise UnsupportedStep(f"⪰ 0 is supported up to {MAX_SIZE}×{MAX_SIZE}")
    certificates = []
    for case in ctx.cases:
        signed, err = attempt(1.5, lambda: M.applyfunc(
            lambda e: to_primitives(prepare(ctx, world, e, case, True))))
        if err:
            return unknown(kind, "evaluating the matrix took over 1.5s")
        if not _symmetric(signed):
            return unknown(kind, _where(case, "the matrix is not symmetric (entrywise, as written)"))
        cert = psd_certificate(signed)
        if cert is not None and recheck_psd(signed, cert):
            certificates.append(cert)
            continue
        plain = M.applyfunc(lambda e: to_primitives(prepare(ctx, world, e, case)))
        point = _negative_direction(plain, case)
        exact = ctx.sampling_exact and not ctx.equations
        if point is not None and exact:
            return failed(f"{kind}: sampling", _where(case, "the matrix has a negative eigenvalue"), point)
        return unknown(kind, _where(case, "no principal minor certificate: the sign of some "
                                          "principal minor does not follow from the assumptions"))
    lines = [f"principal minor {'{' + ','.join(str(i + 1) for i in rows) + '}'}: {minor} ≥ 0 ({form})"
             for cert in certificates for rows, minor, form in cert["minors"]]
    return proved(_tag(f"{kind}: ⪰ 0 by principal minors", ctx), lines)


def _symmetric(M) -> bool:
    return all(cancel(M[i, j] - M[j, i]) == 0
               for i in range(M.shape[0]) for j in range(i + 1, M.shape[1]))


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


def recheck_psd(M, certificate) -> bool:
    """True only when the certificate shows M ⪰ 0: M symmetric, and for every subset of
    its rows the principal minor recomputed from M equals the one claimed and is proved
    ≥ 0 again (Sylvester's criterion for semidefiniteness needs all of them)."""
    M = ImmutableMatrix(sympify(M))
    n = M.shape[0]
    if M.shape != (n, n) or not _symmetric(M) or certificate.get("kind") != "principal minors":
        return False
    claimed = {tuple(rows): minor for rows, minor, _ in certificate.get("minors", ())}
    for size in range(1, n + 1):
        for rows in itertools.combinations(range(n), size):
            if rows not in claimed:
                return False
            actual = M.extract(list(rows), list(rows)).det(method="berkowitz")
            if cancel(expand(actual - claimed[rows])) != 0 or not prove_sign(claimed[rows], ">="):
                return False
    return True


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


__all__ = ["check_matrices", "psd_certificate", "recheck_psd", "matrix_definitions"]
