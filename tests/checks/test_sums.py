"""Sums: the normal form's rules one by one (equal / not equal / over budget), then whole steps."""

from __future__ import annotations

import time

import pytest
from sympy import (Dummy, IndexedBase, KroneckerDelta, Product, S, Sum, Symbol, exp, factorial, log)

from derive.build import Builder, D, D_wrt
from derive.build import Sum as BSum
from derive.checks import check_derivation
from derive.kernel.summation import is_zero, normal_form
from derive.indexed import BoundIndex

i, j = BoundIndex("i"), BoundIndex("j")
n = Symbol("n", integer=True, positive=True)
m = Symbol("m", integer=True, positive=True)
x, y, z = (IndexedBase(Symbol(s), real=True) for s in "xyz")
c, mu = Symbol("c", real=True), Symbol("mu", real=True)
q = Symbol("q", real=True)
RANGES = {m: (1, n)}

EQUAL = [
    ("linearity", Sum(x[i] + y[i], (i, 1, n)), Sum(x[j], (j, 1, n)) + Sum(y[i], (i, 1, n))),
    ("constant out", Sum(c * x[i], (i, 1, n)), c * Sum(x[i], (i, 1, n))),
    ("constant term", Sum(c, (i, 1, n)), n * c),
    ("Σ i", Sum(i, (i, 1, n)), n * (n + 1) / 2),
    ("Σ i²", Sum(i ** 2, (i, 1, n)), n * (n + 1) * (2 * n + 1) / 6),
    ("index shift", Sum(x[i + 1], (i, 0, n - 1)), Sum(x[i], (i, 1, n))),
    ("last term split off", Sum(x[i], (i, 1, n)), Sum(x[i], (i, 1, n - 1)) + x[n]),
    ("first term split off", Sum(x[i], (i, 1, n)), x[1] + Sum(x[i], (i, 2, n))),
    ("telescoping", Sum(x[i + 1] - x[i], (i, 1, n)), x[n + 1] - x[1]),
    ("∂/∂μ under the sum", Sum((x[i] - mu) ** 2, (i, 1, n)).diff(mu), -2 * Sum(x[i] - mu, (i, 1, n))),
    ("∂/∂x_m of a member", Sum(x[i] ** 2, (i, 1, n)).diff(x[m]), 2 * x[m]),
    ("∂/∂z_m of Σ e^z", Sum(exp(z[j]), (j, 1, n)).diff(z[m]), exp(z[m])),
    ("nested sums factor", Sum(Sum(x[i] * y[j], (j, 1, n)), (i, 1, n)),
     Sum(x[i], (i, 1, n)) * Sum(y[j], (j, 1, n))),
    ("product: constants out", Product(2 * x[i], (i, 1, n)), 2 ** n * Product(x[j], (j, 1, n))),
    ("poles below the range", Sum(1 / ((i - 2) * (i - 3)), (i, 4, n + 3)), 1 - 1 / (n + 1)),
    ("telescoping 1/(k(k+1))", Sum(1 / (i * (i + 1)), (i, 1, n)), 1 - 1 / (n + 1)),
    ("poles at no integer", Sum(1 / ((2 * i - 1) * (2 * i + 1)), (i, 1, n)), n / (2 * n + 1)),
    ("poles at 0 and −2", Sum(1 / (i * (i + 2)), (i, 1, n)), S(3) / 4 - (2 * n + 3) / (2 * (n + 1) * (n + 2))),
    ("log of a positive sum splits", Sum(y[i] * log(exp(z[i]) / Sum(exp(z[j]), (j, 1, n))), (i, 1, n)),
     Sum(y[i] * z[i], (i, 1, n)) - Sum(y[i], (i, 1, n)) * log(Sum(exp(z[j]), (j, 1, n)))),
]


@pytest.mark.parametrize("rule, a, b", EQUAL, ids=[e[0] for e in EQUAL])
def test_equal(rule, a, b):
    assert is_zero(a - b, RANGES) == "sums"


NOT_EQUAL = [
    ("Σ i", Sum(i, (i, 1, n)), n * (n - 1) / 2),
    ("wrong term split off", Sum(x[i], (i, 1, n)), Sum(x[i], (i, 1, n - 1)) + x[1]),
    ("∂/∂x_m", Sum(x[i] ** 2, (i, 1, n)).diff(x[m]), x[m]),
    ("δ outside the range", Sum(x[i] * KroneckerDelta(i, m), (i, 1, n - 1)), x[m]),
    ("shift without its limits", Sum(x[i + 1], (i, 1, n)), Sum(x[i], (i, 1, n))),
    ("constant term", Sum(c, (i, 1, n)), (n - 1) * c),
    # A term 1/0 inside the range: the sum has no value (SymPy's closed form steps over it).
    ("pole at k = 2", Sum(1 / ((i - 2) * (i - 3)), (i, 1, n)), -S.Half - 1 / (n - 2)),
    ("pole at k = m", Sum(1 / ((i - m) * (i - m + 1)), (i, 1, n)), 1 / (m - n - 1) - 1 / (m - 1)),
    ("split at a pole", Sum(1 / (i - 2) - 1 / (i - 1), (i, 1, n)), 1 / (n - 1) + 1),
    ("pole of k² − 4", Sum(1 / (i ** 2 - 4), (i, 1, n)), -1 / (4 * (n - 1))),
    ("log 0 inside", Sum(log(i - 1), (i, 1, n)), log(factorial(n - 1))),
    ("product over a pole", Product(1 / (i - 2), (i, 1, n)), Product(1 / (j - 2), (j, 1, n)) + 1),
]


@pytest.mark.parametrize("rule, a, b", NOT_EQUAL, ids=[e[0] for e in NOT_EQUAL])
def test_not_equal(rule, a, b):
    assert is_zero(a - b, RANGES) is None


def test_geometric_series_needs_q_ne_1():
    lhs, rhs = Sum(q ** i, (i, 0, n)), (q ** (n + 1) - 1) / (q - 1)
    assert is_zero(lhs - rhs, RANGES) is None
    assert is_zero(lhs - rhs, RANGES, nonzero=[q - 1]) == "sums"


def test_over_budget_is_none_and_prompt():
    big = Sum(((x[i] + y[i] + mu + c) ** 12), (i, 1, n))
    start = time.process_time()
    assert normal_form(big, RANGES, budget=0.01) is None
    assert time.process_time() - start < 3.0


# -- whole steps, through the builder ------------------------------------------------

def derivation(steps, lower=1):
    b = Builder("t", "t")
    n_ = b.var("n", integer=True, lower=lower, lower_open=False)
    i_ = b.index("i", 1, n_)
    m_ = b.index("m", 1, n_)
    x_ = b.family("x", i_)
    mu_ = b.var("mu")
    s_ = b.var("sigma", lower=0)
    b.part("a", "t")
    for lhs, rel, rhs, kind in steps(b, n_, i_, m_, x_, mu_, s_):
        b.step(lhs, rel, rhs, kind)
    return b.build()


def verdicts(steps, lower=1):
    return [r.verdict for r in check_derivation(derivation(steps, lower))]


def test_steps_proved_failed_and_refused():
    def steps(b, n, i, m, x, mu, s):
        S = lambda e: b.sum(e, i)  # noqa: E731
        yield D(S((x[i] - mu) ** 2), mu), "=", -2 * S(x[i] - mu), "derivative"
        yield D(S((x[i] - mu) ** 2), mu), "=", -2 * S(x[i]) + n * mu, "derivative"
        yield D(S(x[i] ** 2), x[m]), "=", 2 * x[m], "derivative"
        yield S((x[i] - mu) ** 2), ">=", 0, "sign"
        yield S(x[i]), ">=", 0, "sign"
        yield D_wrt(-n * log(s ** 2) / 2, s ** 2, s), "=", -n / (2 * s ** 2), "derivative"
        yield BSum(1, i, 1, n - 2), "=", n - 2, "algebra"
    got = verdicts(steps)
    assert [v.status for v in got] == ["proved", "failed", "proved", "proved", "failed", "proved",
                                       "unknown"]
    assert got[1].counterexample["n"] == "1" and "x" in got[1].counterexample
    assert "fewer than zero terms" in got[6].reason     # n = 1: Σ_{i=1}^{-1} is not n − 2


def test_a_size_that_may_be_zero():
    def steps(b, n, i, m, x, mu, s):
        yield BSum(1, i, 1, n), "=", n, "algebra"
        yield BSum(x[i], i, 1, n), "=", BSum(x[i], i, 1, n - 1) + x[n], "algebra"
    first, second = verdicts(steps, lower=0)
    assert first.status == "proved"
    # At n = 0, Σ_{i=1}^{-1} has −1 terms: conventions differ there, so nothing is proved.
    assert second.status == "unknown" and "fewer than zero terms" in second.reason


def test_an_inner_sum_up_to_the_outer_index_has_its_terms():
    """Inside Σ_{i=1}^{n}, i ≥ 1, so Σ_{j=1}^{i} has i ≥ 1 terms and Σ_{j=1}^{i-1} i − 1 ≥ 0
    (both were unknown: 'may have fewer than zero terms'); Σ_{j=1}^{i-2} may have −1."""
    from sympy import Symbol
    j = Symbol("j", integer=True)

    def steps(b, n, i, m, x, mu, s):
        yield BSum(BSum(1, j, 1, i), i, 1, n), "=", n * (n + 1) / 2, "algebra"
        yield BSum(BSum(1, j, 1, i), i, 1, n), "=", n * (n - 1) / 2, "algebra"
        yield BSum(BSum(1, j, 1, i - 1), i, 1, n), "=", n * (n - 1) / 2, "algebra"
        yield BSum(BSum(1, j, 1, i - 2), i, 1, n), "=", (n - 1) * (n - 2) / 2 - 1, "algebra"
    got = verdicts(steps)
    assert [v.status for v in got] == ["proved", "failed", "proved", "unknown"], got
    assert got[1].counterexample["n"] == "1"
    assert "fewer than zero terms" in got[3].reason


def test_compound_variable_needs_a_nonzero_slope():
    def steps(b, n, i, m, x, mu, s):
        yield D_wrt(mu ** 4, mu ** 2, mu), "=", 2 * mu ** 2, "derivative"
    v, = verdicts(steps)
    assert v.status == "unknown" and "≠ 0" in v.reason


def test_norms_link_to_coordinates(tmp_path):
    from derive.source import load_file
    path = tmp_path / "norm.md"
    path.write_text("---\nsymbols:\n  - n \\in \\mathbb{Z}_{\\ge 1}\n  - x, y \\in \\mathbb{R}^n\n"
                    "  - x_1, \\dots, x_n \\in \\mathbb{R}\n  - y_1, \\dots, y_n \\in \\mathbb{R}\n"
                    "  - t \\in \\mathbb{R}\n---\n\n$$\n"
                    "\\|x\\|^2 = \\sum_{i=1}^{n} x_i^2\n"
                    "\\|x + t y\\|^2 = \\sum_{i=1}^{n} x_i^2 + 2t\\sum_{i=1}^{n} x_i y_i + t^2 \\sum_{i=1}^{n} y_i^2\n"
                    "\\|x\\|^2 = \\sum_{i=1}^{n} x_i\n$$\n", encoding="utf-8")
    got = [r.verdict for r in check_derivation(load_file(path))]
    assert [v.status for v in got] == ["proved", "proved", "failed"]
    assert got[2].counterexample["n"] == "1"
