"""Matrices: the ⪰ 0 certificate (searched, then re-checked from the goal alone), entrywise steps,
and the matrix examples with every step mutated."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sympy import Eq, ImmutableMatrix, MatMul, Rational, Symbol, exp

from derive.build import Builder, Matrix, hessian
from derive.checks import check_derivation
from helpers import step_verdict as check_step
from derive.checks.matrices import psd_certificate
from derive.kernel.sums import recheck_psd
from derive.source import load_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
a = Symbol("a", positive=True)
b = Symbol("b", real=True)
t = Symbol("t", real=True)

PSD = [
    ("diagonal, nonnegative", ImmutableMatrix([[a, 0], [0, 1]]), True),
    ("rank one", ImmutableMatrix([[b ** 2, b], [b, 1]]), True),
    ("exp entries", ImmutableMatrix([[exp(t), 1], [1, exp(-t)]]), True),            # det = 0
    ("3×3 identity", ImmutableMatrix.eye(3), True),
    ("indefinite", ImmutableMatrix([[0, 1], [1, 0]]), False),
    ("a negative diagonal entry", ImmutableMatrix([[-a, 0], [0, 0]]), False),
    ("leading minors only would pass", ImmutableMatrix([[0, 0], [0, -1]]), False),
    ("sign unknown", ImmutableMatrix([[b, 0], [0, 1]]), False),
]


@pytest.mark.parametrize("what, M, psd", PSD, ids=[p[0] for p in PSD])
def test_psd_search_and_recheck(what, M, psd):
    cert = psd_certificate(M)
    assert (cert is not None and recheck_psd(M, cert)) == psd


def test_recheck_refuses_a_tampered_certificate():
    M = ImmutableMatrix([[b ** 2, b], [b, 1]])
    cert = psd_certificate(M)
    assert recheck_psd(M, cert)
    missing = dict(cert, minors=[m for m in cert["minors"] if m[0] != (0, 1)])
    assert not recheck_psd(M, missing)                                   # every minor is needed
    wrong = dict(cert, minors=[(r, (1 if r == (0, 1) else m), f) for r, m, f in cert["minors"]])
    assert not recheck_psd(M, wrong)                                     # recomputed, not trusted
    assert not recheck_psd(ImmutableMatrix([[0, 1], [0, 0]]), psd_certificate(ImmutableMatrix.zeros(2, 2)))
    assert not recheck_psd(ImmutableMatrix([[-1, 0], [0, 1]]), cert)     # another goal
    assert not recheck_psd(M, dict(cert, kind="trust me"))


def test_builder_hessian_and_named_matrices():
    bld = Builder("t", "t")
    x, y = bld.var("x"), bld.var("y")
    u = bld.matrix("u", Matrix([[x], [y]]))
    bld.part("a", "t")
    f = x ** 2 * y + exp(x * y)
    bld.step(hessian(f, (x, y), (0, 0)), "=", Matrix([[0, 1], [1, 0]]), "derivative")
    bld.step(hessian(f, (x, y), (0, 0)), "=", Matrix([[0, 1], [1, 1]]), "derivative")
    bld.step(u * u.T, ">=", 0, "sign")
    bld.step(-u * u.T, ">=", 0, "sign")
    got = [r.verdict for r in check_derivation(bld.build())]
    assert [v.status for v in got] == ["proved", "failed", "proved", "failed"]
    assert "entry 2,2" in got[1].reason
    assert "least eigenvalue" in got[3].counterexample


# -- the examples ----------------------------------------------------------------------

@pytest.fixture(scope="module", params=["hessian-saddle.md", "logistic-hessian.md"])
def checked(request):
    derivation = load_file(EXAMPLES / request.param)
    return derivation, check_derivation(derivation)


def test_every_step_is_proved(checked):
    _, results = checked
    assert {r.verdict.status for r in results} == {"proved"}


def mutant(step, lhs):
    """(the step made wrong, the left side it is checked with)."""
    if hasattr(lhs, "shape") and lhs.shape[0] > 1 and step.rel != "=":
        return step, -lhs                                      # H ⪰ 0 becomes −H ⪰ 0
    return _mutant(step), lhs


def _mutant(step):
    if step.rel == "=":
        if hasattr(step.rhs, "shape"):
            return replace(step, rhs=ImmutableMatrix(step.rhs.as_explicit()).applyfunc(
                lambda e: e + Rational(1, 7)))
        return replace(step, rhs=step.rhs + Rational(1, 7))
    if step.rel == "iff":
        return replace(step, rhs=Eq(step.rhs.lhs, step.rhs.rhs + Rational(1, 7)))
    return replace(step, rel={"<": ">=", "<=": ">", ">": "<=", ">=": "<"}[step.rel])


def test_every_mutated_step_fails(checked):
    derivation, results = checked
    for r in results:
        v = check_step(derivation, r.part, *mutant(r.step, r.lhs))
        assert v.status == "failed", (r.index, v.status, v.reason)


def test_deliberate_errors():
    got = [r.verdict for r in check_derivation(load_file(EXAMPLES / "matrices-deliberate-errors.md"))]
    assert [v.status for v in got] == ["failed", "failed", "failed"]
    assert "entry 1,2" in got[0].reason and got[0].counterexample
    assert "negative eigenvalue" in got[2].reason


def test_an_inverse_needs_a_nonzero_determinant():
    bld = Builder("t", "t")
    lam = bld.var("lam", lower=0)
    a, c = bld.var("a"), bld.var("c")
    A = bld.matrix("A", Matrix([[lam, 0], [0, 2 * lam]]))
    B = bld.matrix("B", Matrix([[a, c], [c, a]]))
    bld.part("a", "t")
    # MatMul, not *: SymPy's * cancels B⁻¹B to I on its own, assuming B invertible.
    bld.step(MatMul(A.inv(), A), "=", Matrix.eye(2), "algebra")
    bld.step(MatMul(B.inv(), B), "=", Matrix.eye(2), "algebra")
    got = [r.verdict for r in check_derivation(bld.build())]
    assert got[0].status == "proved"
    assert got[1].status == "unknown" and "needs det ≠ 0" in got[1].reason
