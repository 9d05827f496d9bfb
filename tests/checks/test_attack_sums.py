"""Attacks on the newer proof paths: sums over n terms (empty sums, Karr's convention inside the
normal form), matrices (⪰ versus ≥, dimensions), expectations (independence, laws).
Holes are strict xfails; attacks that held are ordinary tests."""

from __future__ import annotations

import textwrap

import pytest
from sympy import E, IndexedBase, Sum, Symbol

from derive.checks import check_derivation
from derive.kernel.summation import normal_form
from derive.errors import InputError
from derive.indexed import BoundIndex
from derive.source import load_text
from helpers import NEVER


def statuses(front, body):
    """The steps' statuses; ["input error: …"] when the file is refused where it is written."""
    text = "---\n" + textwrap.dedent(front).strip() + "\n---\n## (a) A\n$$\n" + \
        textwrap.dedent(body).strip() + "\n$$\n"
    try:
        derivation = load_text(text, "attack.md")
    except InputError as exc:
        return [f"input error: {exc}"]
    return [r.verdict.status for r in check_derivation(derivation)]


# -- sums: a sum the normal form makes shorter than empty ------------------------------------

SIZES = r"""
symbols:
  - n \ge 1 \text{ integer}
  - M \ge 3 \text{ integer}
"""
A = r"\sum_{i=1}^{n} e^{i^2} + \sum_{j=4}^{M} e^{j^2} - e - e^{4} - e^{9}"


def test_aligning_unrelated_sums_does_not_prove_a_false_step():
    # Σ_{i=1}^{n} was aligned with Σ_{j=4}^{M} and peeled to e + e⁴ + e⁹ + Σ_{i=4}^{n}: an
    # identity under Karr's convention, but for n < 3 that sum has fewer than zero terms
    # (Σ_{i=4}^{1} = −e⁴ − e⁹) and atomize gave it the sign of its terms, so |A| = A was
    # `proved` although at n = 1, M = 3, A = −e⁴ − e⁹ < 0. (Closed in checks/indexed.normal:
    # a normal form holding such a sum is no normal form.)
    n_, m_ = 1, 3
    value = sum(E ** (i * i) for i in range(1, n_ + 1)) + sum(E ** (j * j) for j in range(4, m_ + 1)) \
        - E - E ** 4 - E ** 9
    assert value.evalf() < 0
    assert statuses(SIZES, r"\left|" + A + r"\right| = " + A + "  % algebra")[0] not in NEVER
    assert statuses(SIZES, r"\left|" + A + r"\right| = " + A)[0] not in NEVER


def test_the_normal_form_still_peels_where_it_is_sound():
    i = BoundIndex("i")
    n = Symbol("n", integer=True, positive=True)
    x = IndexedBase(Symbol("x"), positive=True)
    form = normal_form(Sum(x[i], (i, 1, n)) - Sum(x[i], (i, 1, n - 1)))
    assert form == x[n]
    got = statuses(r"""
        symbols:
          - n \in \mathbb{Z}_{\ge 1}
          - x_1, \dots, x_n \in \mathbb{R}
    """, r"""
        \sum_{i=1}^{n} x_i - \sum_{i=2}^{n} x_i = x_1   % algebra
        \sum_{i=1}^{n} (x_i + 1) = \sum_{i=1}^{n} x_i + n   % algebra
    """)
    assert got == ["proved", "proved"]


def test_empty_sums_are_not_positive():
    got = statuses(r"""
        symbols:
          - N \in \mathbb{N}
          - n \in \mathbb{Z}_{\ge 1}
          - x_1, \dots, x_n > 0
    """, r"""
        \sum_{i=1}^{N} 1 > 0  % sign
        \sum_{i=1}^{n-2} x_i \ge 0  % sign
        \sum_{i=2}^{n} x_i > 0 % sign
        \sum_{i=1}^{n} x_i > 0 % sign
    """)
    assert got[:3] == [s for s in got[:3] if s not in NEVER] and got[3] == "proved", got


# -- matrices ------------------------------------------------------------------------------

def test_ge_between_matrices_is_not_semidefiniteness():
    # \ge and \succeq were both '>=': [[1, −1], [−1, 1]] ≥ 0, false entrywise, was proved by
    # principal minors (closed on main: ≥ between matrices is an input error at the relation).
    got = statuses(r"""
        symbols:
          - a \in \mathbb{R}
        define:
          - A = \begin{pmatrix} 1 & -1 \\ -1 & 1 \end{pmatrix}
    """, r"A \ge 0   % sign")
    assert got[0] not in NEVER, got


def test_succeq_is_semidefiniteness_and_minors_are_all_checked():
    got = statuses(r"""
        symbols:
          - a \in \mathbb{R}
        define:
          - A = \begin{pmatrix} 1 & -1 \\ -1 & 1 \end{pmatrix}
          - B = \begin{pmatrix} 0 & 0 \\ 0 & -1 \end{pmatrix}
          - C = \begin{pmatrix} 1 & 2 \\ 0 & 1 \end{pmatrix}
    """, r"""
        A \succeq 0   % sign
        B \succeq 0   % sign
        C \succeq 0   % sign
        -A \succeq 0   % sign
    """)
    # B passes the leading minors only; C is not symmetric; −A has a negative eigenvalue.
    assert got[0] == "proved" and all(s not in NEVER for s in got[1:]), got


MATRICES = r"""
    symbols:
      - a \in \mathbb{R}
    define:
      - u = \begin{pmatrix} a \\ a \end{pmatrix}
      - v = \begin{pmatrix} a \\ a \\ a \end{pmatrix}
      - w = \begin{pmatrix} a & a \end{pmatrix}
"""


@pytest.mark.parametrize("body", [r"u = v % algebra", r"u = w % algebra", r"u u^\top = 2 a^2 % algebra",
                                  r"u = 0 % algebra for a = 0", r"u \succeq 0 % sign"])
def test_matrices_of_other_dimensions_are_never_equal(body):
    assert statuses(MATRICES, body)[0] not in NEVER


def test_a_one_by_one_product_is_a_number():
    assert statuses(MATRICES, r"u^\top u = 2 a^2 % algebra") == ["proved"]


# -- expectations ----------------------------------------------------------------------------

LAWS = r"""
symbols:
  - X, Y, Z \sim \mathcal{D}
  - 0 < q < 1
  - C \sim \operatorname{Bernoulli}(q)
assume:
  - X \perp Y
"""


def test_independence_is_used_only_where_declared():
    got = statuses(LAWS, r"""
        \mathbb{E}[X Y] = \mathbb{E}[X]\,\mathbb{E}[Y] % algebra
        \mathbb{E}[X Z] = \mathbb{E}[X]\,\mathbb{E}[Z] % algebra
        \mathbb{E}[C X] = q\,\mathbb{E}[X] % algebra
        \operatorname{Var}(X + Y) = \operatorname{Var}(X) + \operatorname{Var}(Y) % algebra
        \operatorname{Var}(X + Z) = \operatorname{Var}(X) + \operatorname{Var}(Z) % algebra
        \mathbb{E}[e^{X}] \ge e^{\mathbb{E}[X]} % sign
        \operatorname{Var}(C) = q(1 - q) % algebra
    """)
    assert got[0] == "proved" and got[3] == "proved" and got[6] == "proved", got
    assert all(got[i] not in NEVER for i in (1, 2, 4, 5)), got


def test_a_bernoulli_parameter_is_a_probability():
    got = statuses(r"""
        symbols:
          - p \in \mathbb{R}
          - B \sim \operatorname{Bernoulli}(p)
    """, r"""
        \operatorname{Var}(B) \ge 0 % sign
        \mathbb{E}[B] \le 1 % sign
    """)
    assert len(got) == 1 and "input error" in got[0] and "probability" in got[0], got
    got = statuses(r"""
        symbols:
          - p \in [0, 1]
          - B \sim \operatorname{Bernoulli}(p)
    """, r"""
        \operatorname{Var}(B) \ge 0 % sign
        \mathbb{E}[B] \le 1 % sign
    """)
    assert "failed" not in got and not got[0].startswith("input error"), got


def test_jensen_for_the_square_proves_only_what_holds_for_every_law():
    got = statuses(r"""
        symbols:
          - X, Y \sim \mathcal{D}
    """, r"""
        \mathbb{E}[X^2] \ge \mathbb{E}[X]^2 % sign
        \operatorname{Var}(X) \ge 0 % sign
        \mathbb{E}[X^6] \ge \mathbb{E}[X^3]^2 % sign
        \mathbb{E}[X^2 Y^2] \ge \mathbb{E}[X Y]^2 % sign
        \mathbb{E}[X]^2 \ge \mathbb{E}[X^2] % sign
        \mathbb{E}[X^4] \ge \mathbb{E}[X^2] % sign
        \mathbb{E}[X^2] > \mathbb{E}[X]^2 % sign
        \mathbb{E}[X^3] \ge \mathbb{E}[X]^3 % sign
        \mathbb{E}[X^2] \ge \mathbb{E}[X]^2 + 1 % sign
    """)
    assert got[:4] == ["proved"] * 4 and all(s not in NEVER for s in got[4:]), got
