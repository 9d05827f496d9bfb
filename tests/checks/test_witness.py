"""Witnesses for abstract functions: a quadratic that meets the hypotheses and breaks the step."""

from __future__ import annotations

import pytest
from sympy import Eq, Ge, Le, Rational

from derive.build import Builder, use, why
from derive.checks.points import Context
from derive.checks.witness import quadratic_witness
from derive.notation import Inner, VectorSymbol, grad_at, norm_sq, value_at

F = "ℒ"


def L_(p):
    return value_at(F, p)


def g(p):
    return grad_at(F, p)


b = Builder("witness", "witness tables")
mu = b.var("μ", lower=0)
L = b.var("L", lower=0)
eta = b.var("η", lower=0)
b.assume(Ge(L, mu))
p, q, ws = b.vector("p"), b.vector("q"), b.vector("w*")
Lstar = b.define("ℒ*", L_(ws))
b.assume(Eq(g(ws), 0))
b.schema("sc", lambda a, c: Ge(L_(c), L_(a) + Inner(g(a), c - a) + mu / 2 * norm_sq(c - a)))
b.schema("smooth", lambda a, c: Le(L_(a), L_(c) + Inner(g(c), a - c) + L / 2 * norm_sq(a - c)))
b.schema("step", lambda: Le(eta * L, 1))
plus = b.define("p⁺", p - eta * g(p), vector=True)
WORLD = b.build()


def witness(lhs, rel, rhs, *uses):
    ctx = Context(WORLD, (), "a")
    from derive.kernel import Ledger
    from derive.kernel.facts import instances
    step = type("S", (), {"why": why("combination", uses=uses)})()
    facts = [(f.label, f.relation) for f in instances(ctx.world, step, Ledger())]
    return quadratic_witness(ctx, facts, lhs, rel, rhs, uses=uses)


half = Rational(1, 2)
PL = L_(p) - norm_sq(g(p)) / (2 * mu)
DESCENT = L_(p) - eta / 2 * norm_sq(g(p))

WRONG = [
    ("PL with 4μ", Lstar, ">=", L_(p) - norm_sq(g(p)) / (4 * mu), [use("sc", p, ws)]),
    ("descent by a full η", L_(plus), "<=", L_(p) - eta * norm_sq(g(p)), [use("smooth", plus, p), use("step")]),
    ("smoothness with L/4", L_(q), "<=", L_(p) + Inner(g(p), q - p) + L / 4 * norm_sq(q - p), [use("smooth", q, p)]),
    ("the minimum above a value", Lstar, ">=", L_(p), [use("sc", p, ws)]),
]


@pytest.mark.parametrize("what, lhs, rel, rhs, uses", WRONG, ids=[w[0] for w in WRONG])
def test_a_wrong_combination_has_a_quadratic_witness(what, lhs, rel, rhs, uses):
    found = witness(lhs, rel, rhs, *uses)
    assert found is not None
    assert "½⟨w, A w⟩ + ⟨b, w⟩" in found[f"{F}(w)"]
    a, b_ = Rational(found["lhs"]), Rational(found["rhs"])
    assert (a > b_) if rel in ("<=", "<") else (a < b_), found
    assert "hold at" in found.get("hypotheses", "hold at"), found


RIGHT = [
    ("PL", Lstar, ">=", PL, [use("sc", p, ws)]),
    ("the descent lemma", L_(plus), "<=", DESCENT, [use("smooth", plus, p), use("step")]),
    ("smoothness itself", L_(q), "<=", L_(p) + Inner(g(p), q - p) + L / 2 * norm_sq(q - p), [use("smooth", q, p)]),
    ("the minimum", Lstar, "<=", L_(p), [use("sc", p, ws)]),
]


@pytest.mark.parametrize("what, lhs, rel, rhs, uses", RIGHT, ids=[r[0] for r in RIGHT])
def test_a_right_step_has_no_witness(what, lhs, rel, rhs, uses):
    assert witness(lhs, rel, rhs, *uses) is None


def test_the_minimiser_is_the_quadratic_s_minimiser():
    found = witness(Lstar, ">=", L_(p), use("sc", p, ws))
    assert "the minimiser of ℒ" in found["w*"], found


# -- hypotheses hold for the witness at every point, shown exactly ----------------------------

def test_a_quadratic_form_is_shown_nonnegative_everywhere_or_not_at_all():
    from sympy import Symbol
    from derive.checks.holds import holds_for_all as _holds_for_all
    a, b = Symbol("a", real=True), Symbol("b", real=True)
    assert _holds_for_all((a - b) ** 2, "weak", [a, b])
    assert _holds_for_all((a - 1) ** 2 + Rational(1, 10), "strict", [a, b])
    assert not _holds_for_all((a - 1) ** 2, "strict", [a, b])          # 0 at a = 1
    assert not _holds_for_all(a ** 2 - b ** 2, "weak", [a, b])          # indefinite
    assert not _holds_for_all(a ** 2 + b, "weak", [a, b])               # unbounded below in b
    assert not _holds_for_all(a ** 4, "weak", [a])                      # not shown (degree 4)
    assert _holds_for_all(a - a, "equal", [a])


DESCENT = r"""---
symbols:
  - L > 0
  - \mu > 0
  - \eta > 0
  - x, y, x^* \in \mathbb{R}^n
functions:
  - f \colon \mathbb{R}^n \to \mathbb{R}
define:
  - x^+ = x - \eta \nabla f(x)
assume:
  - L \ge \mu
hypotheses:
  - smooth(a, b \in \mathbb{R}^n): f(a) \le f(b) + \langle \nabla f(b), a - b \rangle + \frac{L}{2} \|a - b\|^2
  - sc(a, b \in \mathbb{R}^n): f(b) \ge f(a) + \langle \nabla f(a), b - a \rangle + \frac{\mu}{2} \|b - a\|^2
  - step: \eta L \le 1
---
## (a) A
$$
"""


def test_a_wrong_citation_gets_a_function_satisfying_every_hypothesis_in_scope():
    from derive.checks import check_derivation
    from derive.source import load_text
    text = DESCENT + (r"f(x^+) \le f(x) + \langle \nabla f(x), x^+ - x \rangle   % hypothesis smooth(x^+, x)"
                      "\n" r"f(x^+) \le f(x) + \langle \nabla f(x), x^+ - x \rangle + \frac{L}{2} \|x^+ - x\|^2"
                      r"   % hypothesis smooth(x^+, x)" "\n$$\n")
    wrong, right = [r.verdict for r in check_derivation(load_text(text, "descent.md"))]
    assert right.status == "cited", right
    assert wrong.status == "failed" and "not an instance" in wrong.reason, wrong
    cex = wrong.counterexample
    # sc and step are in scope though not named: the witness satisfies them too, at every point.
    assert cex["hypotheses"] == "sc, smooth, step hold at every point (checked exactly)", cex
    L, mu, eta = (Rational(cex[k]) for k in ("L", "μ", "η"))
    assert eta * L <= 1 and L >= mu
    eig = [Rational(e) for e in cex["f(w)"].split("diag(")[1].split(")")[0].split(", ")]
    assert all(mu <= e <= L for e in eig), cex
    assert Rational(cex["lhs"]) > Rational(cex["rhs"]), cex


WITNESSED = r"""---
id: w1
title: a witness
symbols:
  - L > 0
  - x, y \in \mathbb{R}^n
functions:
  - f \colon \mathbb{R}^n \to \mathbb{R}
hypotheses:
  - smooth(a, b \in \mathbb{R}^n): f(a) \le f(b) + \langle \nabla f(b), a - b \rangle + \frac{L}{2} \|a - b\|^2
---

$$
f(y) \le f(x) + \langle \nabla f(x), y - x \rangle   % hypothesis smooth(y, x)
$$
"""


def test_a_witness_is_the_same_under_every_hash_seed_and_renders(tmp_path):
    """Points got their random vectors in a set's order, so x and y swapped values with
    PYTHONHASHSEED; and render refused the witness's description ('½' in math). Both found
    by an adversarial test."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    path = tmp_path / "w1.md"
    path.write_text(WITNESSED, encoding="utf-8")
    points = set()
    for seed in ("1", "2", "3"):
        proc = subprocess.run([sys.executable, str(root / "cli.py"), "check", str(path), "--json"],
                              capture_output=True, text=True,
                              env={**os.environ, "DERIVE_NO_CACHE": "1", "PYTHONHASHSEED": seed})
        step = __import__("json").loads(proc.stdout)["derivations"][0]["steps"][0]
        assert step["status"] == "failed", step
        points.add(tuple(sorted(step["counterexample"].items())))
    assert len(points) == 1, points
    for fmt in ("md", "tex"):
        out = tmp_path / f"w1.out.{fmt}"
        proc = subprocess.run([sys.executable, str(root / "cli.py"), "render", str(path), "--to", fmt,
                               "-o", str(out)], capture_output=True, text=True,
                              env={**os.environ, "DERIVE_NO_CACHE": "1"})
        assert proc.returncode == 1 and out.exists(), proc.stderr        # a failed step, rendered
        assert r"\operatorname{diag}" in out.read_text(encoding="utf-8")
