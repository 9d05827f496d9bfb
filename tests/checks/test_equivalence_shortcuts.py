"""The solve searcher's shortcuts: signs seen at exact points prune and order, never decide."""

from __future__ import annotations

import pytest
from sympy import Dummy, Eq, exp, log

from derive import kernel
from derive.checks.equivalences import _proportional, _signs_seen
from derive.kernel import certificates as C
from helpers import one_step
from world_units import BASE, x

p, q = Dummy("p", positive=True), Dummy("q", positive=True)
r, n = Dummy("r", real=True), Dummy("n", integer=True, positive=True)

SEEN = [
    ("both signs (v²x + log y in q6 c.21)", p**2 * q + log(q), {1, -1}),
    ("positive", exp(p) + q, {1}),
    ("negative", -1 / (1 + exp(r)), {-1}),
    ("an integer symbol takes integer values only: 1/2 − n < 0", 1 - 2 * n, {-1}),
    ("no float value (a log of a negative number) is no sign", log(-p), set()),
]


@pytest.mark.parametrize("what, expr, signs", SEEN, ids=[s[0] for s in SEEN])
def test_signs_seen(what, expr, signs):
    assert _signs_seen(expr) == signs


FACTORS = [
    ("of one sign, positive", 1 + p**2, "+"),
    ("of one sign, negative: tried first", -exp(p) / (1 + q), "-"),
    ("of both signs", p - q, None),
    ("a denominator that is 0 somewhere", 1 / (p - q) ** 2, None),
    ("a denominator of both signs (q6 c.21)", (p - p * q * exp(q**2 * p)) / (q**2 * p + log(q)), None),
    ("zero", 0, None),
]


@pytest.mark.parametrize("what, k, sign", FACTORS, ids=[f[0] for f in FACTORS])
def test_proportional_names_the_sign_it_showed(what, k, sign):
    assert _proportional(k) == sign


def test_the_mode_only_orders_the_kernels_tries():
    # 4 − 2x = −2·(x − 2): proved whichever sign the certificate says to try first.
    derivation, link = one_step(BASE, Eq(4 - 2 * x, 0), "iff", Eq(x, 2), "solve", (), ())
    for mode in ("-", "+", ""):
        cert = C.Equivalence((("", "proportional", "", mode),))
        assert kernel.decide(derivation, link, kernel.Ledger(), cert).status == "proved", mode


def test_the_solved_forms_target_symbols_are_shared_unless_already_used():
    from derive.kernel.equalities import TARGET, target_symbols
    assert target_symbols(p + q) == TARGET
    fresh = target_symbols(p + TARGET[1])
    assert not set(fresh) & set(TARGET)
    assert fresh[0].is_positive and fresh[1].is_real and fresh[1].is_positive is None
