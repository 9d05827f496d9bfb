"""Attacks on the kernel's newer rules: integer thresholds, integer splits, limits at ±∞,
derivatives at a kink boundary, splits on |·|, factors times a power. Each wrong step must
never be proved; the holes found here (and closed) are pinned so they cannot reopen."""

from __future__ import annotations

import textwrap

import pytest
from sympy import Symbol

from derive import kernel
from derive.checks import check_derivation
from derive.kernel import certificates as C
from derive.source import load_text
from helpers import NEVER


def results(symbols, body, define=()):
    """The verdicts of the steps of a derivation file with these symbols, definitions, body."""
    text = "---\nsymbols:\n" + "".join(f"  - {s}\n" for s in symbols)
    text += "define:\n" + "".join(f"  - {d}\n" for d in define) if define else ""
    text += "---\n## (a) A\n$$\n" + textwrap.dedent(body).strip() + "\n$$\n"
    return [r.verdict for r in check_derivation(load_text(text, "attack.md"))]


def decide(front, body, make):
    """The kernel's verdict on the one step of ``body`` with the certificate ``make(labels)``."""
    d = load_text("---\nid: t\n" + front + "---\n\n$$\n" + body + "\n$$\n", "t.md")
    link = next(iter(d.links()))
    world = kernel.world_for(d, link.part, link.step)
    return kernel.decide(d, link, kernel.Ledger(), make(world.labels))


# -- integer thresholds: the slope is shown only where the case's integer lives -----------------

def test_an_integer_threshold_below_the_variables_range_is_not_proved():
    # Both were proved: g rises for n ≥ 0 (resp. n ≥ 1) and holds at m = −2 (−6), yet at n = 0
    # (n = 5) the left side is false and the right side true.
    got = results([r"n \in \mathbb{N}", r"p \ge 5 \text{ integer}"], r"""
        n^2 - 1 > 0 \iff n \ge -2   % solve
        n^2 - 1 > 0 \iff n > -3   % solve
        p^2 - 30 > 0 \iff p \ge -6   % solve
        p^2 > 3 \iff p \ge 3   % solve
    """)
    assert [v.status not in NEVER for v in got[:3]] == [True] * 3, got
    assert got[3].status == "proved", got[3]


def test_an_integer_threshold_is_refuted_only_at_a_point_of_the_step():
    # Under n ≥ 5 both sides hold everywhere: n = 2, where the left side already holds, is
    # outside the step's world (it was `failed` with that point).
    got = results([r"n \in \mathbb{Z}"], r"""
        n^2 > 3 \iff n \ge 3   % solve for n \ge 5
        n > 2 \iff n \ge 4   % solve
    """)
    assert got[0].status == "proved", got[0]
    assert got[1].status == "failed", got[1]


# -- integer splits: only symbols that are integers are split at the gap between 0 and 1 -----------

def test_an_integer_split_proves_only_what_holds_at_every_integer():
    got = results([r"k \in \mathbb{Z}", r"t \in \mathbb{N}", r"s \in \mathbb{R}"], r"""
        k (k - 1) \ge 0   % sign
        (t - 1)(t - 2) \ge 0   % sign
        k (k - 1) (k - 2) \ge 0   % sign
        k^2 \ge 1   % sign
        k^2 + k > 0   % sign
        s^2 \ge s   % sign
        t^2 \ge 2 t   % sign
    """)
    assert [v.status for v in got[:2]] == ["proved", "proved"], got
    assert all(v.status not in NEVER for v in got[2:]), got


# -- limits at ±∞ ---------------------------------------------------------------------------------

def test_a_limit_at_infinity_through_a_parameter_of_unknown_sign_is_not_proved():
    # SymPy's limit takes x in x^{1/t} as positive: at x = 0 the limit is 0, not 1 (it was proved).
    got = results([r"t, a, x \in \mathbb{R}", r"\eta, \mu > 0"], r"""
        \lim_{t \to \infty} x^{1/t} = 1   % limit
        \lim_{t \to \infty} a^t = 0   % limit for a < 1
        \lim_{t \to \infty} (1 - \eta \mu)^t = 0   % limit for \eta \mu < 2
        \lim_{t \to \infty} a t = \infty   % limit
        \lim_{t \to \infty} (1 - \eta \mu)^{t a} = 0   % limit for \eta \mu < 1
        \lim_{t \to \infty} (1 - \eta \mu)^t = 0   % limit for \eta \mu < 1
        \lim_{t \to \infty} (\eta / \mu)^{t} = 0   % limit for \eta < \mu
        \lim_{t \to \infty} \frac{\eta t}{t + 1} = \eta   % limit
    """)
    assert all(v.status not in NEVER for v in got[:5]), got
    assert [v.status for v in got[5:]] == ["proved"] * 3, got


def test_only_infinities_are_equal_as_written():
    from derive.build import Builder
    from helpers import verdict
    from sympy import S, zoo
    b = Builder("n", "n")
    x = b.var("x")
    base = b.build()
    assert verdict(base, S.NaN, "=", S.NaN, "algebra").status not in NEVER
    assert verdict(base, zoo, "=", zoo, "algebra").status not in NEVER
    assert verdict(base, zoo * x, "=", zoo * x, "algebra").status not in NEVER


# -- derivatives at a kink boundary ---------------------------------------------------------------

HUBER = r"h = \begin{cases} \frac{1}{2} r^2, & |r| \le \delta \\ \delta |r| - \frac{1}{2}\delta^2 & \text{otherwise} \end{cases}"


def test_a_derivative_at_a_boundary_needs_every_partial_to_glue():
    got = results([r"r \in \mathbb{R}", r"\delta > 0"], r"""
        \frac{\partial^2 h}{\partial r \partial \delta} = 0   % derivative for |r| \le \delta
        \frac{\partial}{\partial \delta} \frac{\partial h}{\partial r} = 0   % derivative for |r| \le \delta
        \frac{\partial h}{\partial \delta} = 0   % derivative for |r| \le \delta
        \frac{\partial h}{\partial r} = r   % derivative for r = \delta
        \frac{\partial}{\partial \delta} \frac{\partial h}{\partial r} = 0   % derivative for |r| < \delta
        \frac{\partial h}{\partial r} = \delta   % derivative for r \ge \delta
    """, [HUBER])
    assert all(v.status not in NEVER for v in got[:4]), got
    assert "SymPy could not" not in (got[3].reason or ""), got[3]   # r = δ decides the pieces
    assert [v.status for v in got[4:]] == ["proved", "proved"], got


def test_a_boundary_of_unknown_sign_is_no_boundary_to_glue_at():
    # With δ < 0 nothing is inside |r| ≤ δ: h = δ|r| − δ²/2, whose slope at r ≥ δ > r is −δ.
    got = results([r"r, \delta \in \mathbb{R}"], r"""
        \frac{\partial h}{\partial r} = \delta   % derivative for r \ge \delta
        \frac{\partial h}{\partial r} = r   % derivative for |r| \le \delta
    """, [HUBER])
    assert all(v.status not in NEVER for v in got), got


def test_a_fact_about_a_name_never_reaches_a_bound_variable():
    got = results([r"n \in \mathbb{Z}_{\ge1}", r"k, x \in \mathbb{R}"], r"""
        \sum_{k=1}^{n} \begin{cases} 1, & k \le 2 \\ 0 & \text{otherwise}\end{cases} = n   % algebra for k \le 2
        \sum_{k=1}^{n} \begin{cases} 1, & k \le 2 \\ 0 & \text{otherwise}\end{cases} = 0   % algebra for k \ge 3
        \lim_{x \to 3} \begin{cases} 1, & x \le 2 \\ 0 & \text{otherwise}\end{cases} = 1   % limit for x \le 2
    """)
    assert all(v.status not in NEVER for v in got), got


# -- splits on |·| and factors times a power, forged ---------------------------------------------

SCALAR = r"""symbols:
  - x, y, z \in \mathbb{R}
hypotheses:
  - up: x \le y + 1
  - on: y \le z + 1
  - back: z \le y + 1
  - down: y \le x + 1
"""
x, z = Symbol("x", real=True), Symbol("z", real=True)
UP_ON, BACK_DOWN = C.Combination(((0, 1), (1, 1))), C.Combination(((2, 1), (3, 1)))


@pytest.mark.parametrize("what, body, cert", [
    ("a bound too small", r"|x - z| \le 1", C.Split(x - z, UP_ON, BACK_DOWN)),
    ("branches swapped", r"|x - z| \le 2", C.Split(x - z, BACK_DOWN, UP_ON)),
    ("negative multipliers", r"|x - z| \le 2", C.Split(x - z, UP_ON, C.Combination(((0, -1), (1, -1))))),
    ("nothing in a branch", r"|x - z| \le 2", C.Split(x - z, C.Combination(()), C.Combination(()))),
    ("the same split twice (A ≥ 0 and A ≤ 0 at once)", r"|x - z| \le 2",
     C.Split(x - z, C.Split(x - z, C.Combination(()), C.Combination(())), BACK_DOWN)),
    ("an equation from a split", r"|x - z| = x - z", C.Split(x - z, C.Combination(()), C.Combination(((4, 2),)))),
], ids=lambda v: v if isinstance(v, str) and not v.startswith("|") else "")
def test_a_forged_split_is_refused(what, body, cert):
    v = decide(SCALAR, body + r"   % by up, on, back, down", lambda labels: cert)
    assert v.status not in NEVER, (what, v)


def test_the_right_split_is_proved():
    v = decide(SCALAR, r"|x - z| \le 2   % by up, on, back, down", lambda labels: C.Split(x - z, UP_ON, BACK_DOWN))
    assert v.status == "proved", v


@pytest.mark.parametrize("method, mode", [("power", "1"), ("proportional", "")])
def test_a_factor_that_is_infinite_at_the_root_is_refused(method, mode):
    # (x − 1)/|x − 1| = 0 has no solution: the factor 1/|x − 1| is infinite at x = 1.
    v = decide("symbols:\n  - x \\in \\mathbb{R}\n", r"\frac{x - 1}{|x - 1|} = 0 \iff x = 1   % solve",
               lambda labels: C.Equivalence(tuple((label, method, "expand", mode) for label in labels)))
    assert v.status not in NEVER, v


def test_an_integer_threshold_needs_a_real_value_at_every_integer():
    # 1/3 − 1/n > 0 at n = −1 (and 1/n has a pole at 0), yet n ≥ 4 is false there.
    got = results([r"n \in \mathbb{Z}", r"m \in \mathbb{Z}_{\ge1}"], r"""
        \frac{1}{3} - \frac{1}{n} > 0 \iff n \ge 4   % solve
        \frac{1}{3} - \frac{1}{m} > 0 \iff m \ge 4   % solve
    """)
    assert got[0].status not in NEVER and got[1].status == "proved", got


def test_a_ratio_of_polynomials_at_infinity_is_its_leading_terms_for_every_parameter():
    got = results([r"z, a \in \mathbb{R}"], r"""
        \lim_{z \to \infty} \frac{a z}{z + 1} = a   % limit
        \lim_{z \to \infty} \frac{a z^2}{z + 1} = \infty   % limit
        \lim_{z \to \infty} \frac{z^2}{a z + 1} = 0   % limit
        \lim_{z \to \infty} \frac{z}{a z + 1} = \frac{1}{a}   % limit
    """)
    # a·z²/(z + 1) is ∞ only for a > 0; z/(az + 1) is 1/a only for a ≠ 0 (z at a = 0).
    assert got[0].status == "proved" and all(v.status not in NEVER for v in got[1:]), got
