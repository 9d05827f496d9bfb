"""What a step between matrices means: its entries side by side, or the matrix that must be ⪰ 0."""

from __future__ import annotations

import itertools

from sympy import ImmutableMatrix, cancel

from ..errors import UnsupportedStep
from ..matrices import explicit, is_matrix, uses_matrices  # noqa: F401 - the kernel's rule asks

MAX_SIZE = 3


def matrix_definitions(derivation) -> dict:
    """{MatrixSymbol: its explicit value} from the derivation's extra data."""
    return dict(dict(derivation.extra).get("matrices", ()))


def pairs(ctx, lhs, rhs):
    """(pairs, labels): the entries of two matrices side by side (labels "i,j"), or the
    two sides themselves (labels None)."""
    defs = matrix_definitions(ctx.derivation)
    L, R = explicit(lhs, defs), explicit(rhs, defs)
    if is_matrix(L) or is_matrix(R):
        if not (is_matrix(L) and is_matrix(R)) or L.shape != R.shape:
            raise UnsupportedStep(f"the sides have different dimensions ({_dims(L)} and {_dims(R)})")
        cells = list(itertools.product(range(L.shape[0]), range(L.shape[1])))
        return [(L[i, j], R[i, j]) for i, j in cells], [f"{i + 1},{j + 1}" for i, j in cells]
    return [(L, R)], None


def explicit_sides(ctx, lhs, rhs):
    """Both sides with named matrices, products, ᵀ, det and tr written out."""
    defs = matrix_definitions(ctx.derivation)
    return explicit(lhs, defs), explicit(rhs, defs)


def psd_gap(ctx, lhs, rel, rhs):
    """The matrix that must be ⪰ 0, or None when the sides are not matrices."""
    defs = matrix_definitions(ctx.derivation)
    L, R = explicit(lhs, defs), explicit(rhs, defs)
    if not (is_matrix(L) or is_matrix(R)):
        return None
    if rel not in (">=", "<="):
        raise UnsupportedStep("only ⪰ (positive semidefinite) is supported between matrices")
    M = _minus(L, R) if rel == ">=" else _minus(R, L)
    if M.shape[0] != M.shape[1]:
        raise UnsupportedStep(f"⪰ 0 needs a square matrix, not {_dims(M)}")
    if M.shape[0] > MAX_SIZE:
        raise UnsupportedStep(f"⪰ 0 is supported up to {MAX_SIZE}×{MAX_SIZE}")
    return M


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


def symmetric(M) -> bool:
    return all(cancel(M[i, j] - M[j, i]) == 0
               for i in range(M.shape[0]) for j in range(i + 1, M.shape[1]))
