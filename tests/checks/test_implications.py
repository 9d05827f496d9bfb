"""Implications A ⟹ B: B checked with A among its conditions; a counterexample satisfies A and breaks B."""

from __future__ import annotations

import json

import pytest
from sympy import Eq, Ge, Gt, Le, Lt, Rational

from derive import kernel
from derive.build import Builder
from derive.kernel import certificates as C
from derive.model import ChainError, compose
from derive.source import load_text
from derive.verdict import Verdict
from helpers import one_step, verdict

_b = Builder("implications", "implication tables")
x = _b.var("x")
y = _b.var("y", lower=0, upper=1)
t = _b.var("t", lower=0)
BASE = _b.build()
half = Rational(1, 2)


def implied(premise, claim, kind="sign"):
    return verdict(BASE, premise, "implies", claim, kind)


PROVED = [
    ("x ≥ 1 ⟹ x² ≥ 1", Ge(x, 1), Ge(x**2, 1), "sign"),
    ("x ≥ 1 ⟹ x² ≥ x", Ge(x, 1), Ge(x**2, x), "sign"),
    ("x = 2 ⟹ x² = 4", Eq(x, 2), Eq(x**2, 4), "algebra"),
    ("y > ½ ⟹ 2y − 1 > 0", Gt(y, half), Gt(2 * y - 1, 0), "algebra"),
    ("t ≤ 1 ⟹ t² ≤ t", Le(t, 1), Le(t**2, t), "sign"),
]


@pytest.mark.parametrize("what, premise, claim, kind", PROVED, ids=[p[0] for p in PROVED])
def test_an_implication_is_proved_under_its_premise(what, premise, claim, kind):
    v = implied(premise, claim, kind)
    assert v.status == "proved", (v.status, v.reason)
    assert v.method.endswith("under the premise") and v.certificate.kind == "implication"


WRONG = [
    ("direction: x ≥ 1 ⟹ x² ≤ 1", Ge(x, 1), Le(x**2, 1)),
    ("constant: x ≥ 1 ⟹ x² ≥ 2", Ge(x, 1), Ge(x**2, 2)),
    ("branch: x² ≥ 1 ⟹ x ≥ 1", Ge(x**2, 1), Ge(x, 1)),
    ("strictness: x > 0 ⟹ x² > x", Gt(x, 0), Gt(x**2, x)),
    ("factor: y > ½ ⟹ y > 1 − y/2", Gt(y, half), Gt(y, 1 - y / 2)),
]


@pytest.mark.parametrize("what, premise, claim", WRONG, ids=[w[0] for w in WRONG])
def test_a_wrong_implication_fails_at_a_point_where_its_premise_holds(what, premise, claim):
    v = implied(premise, claim)
    assert v.status == "failed", (v.status, v.reason)
    point = {k: float(val) for k, val in v.counterexample.items() if k in ("x", "y")}
    assert premise.subs({s: point[s.name] for s in premise.free_symbols}) == True  # noqa: E712
    assert claim.subs({s: point[s.name] for s in claim.free_symbols}) == False     # noqa: E712


def test_an_implication_needs_relations_on_both_sides():
    v = verdict(BASE, x, "implies", Ge(x, 1), "sign")
    assert v.status == "unknown" and "condition" in v.reason


@pytest.mark.parametrize("rels, expected", [
    (["implies", "implies"], "implies"), (["iff", "implies"], "implies"), (["iff"], "iff")])
def test_implications_compose(rels, expected):
    assert compose(rels) == expected


def test_an_implication_does_not_chain_with_an_equality():
    with pytest.raises(ChainError, match="cannot mix ⟺ or ⟹ with ="):
        compose(["implies", "="])


# -- the kernel ------------------------------------------------------------------------

def _decide(premise, claim, cert):
    derivation, link = one_step(BASE, premise, "implies", claim, "sign")
    return kernel.decide(derivation, link, kernel.Ledger(), cert)


def test_the_kernel_rechecks_the_conclusion_under_the_premise():
    good = C.Implication(C.Sign((("", "as written"),)))
    assert _decide(Ge(x, 1), Ge(x**2, 1), good).status == "proved"
    # The same certificate for a conclusion the premise does not give:
    assert _decide(Ge(x, 0), Ge(x**2, 1), good).status == "unknown"
    assert _decide(Ge(x, 1), Ge(x**2, 1), C.Implication(C.Zero((("", "expand"),)))).status == "unknown"
    nested = C.Implication(good)
    assert _decide(Ge(x, 1), Ge(x**2, 1), nested).status == "unknown"
    assert _decide(Ge(x, 1), Ge(x**2, 1), C.Sign((("", "as written"),))).status == "unknown"


def test_implications_are_read_from_derivation_files_and_rechecked_from_json():
    text = ("---\nsymbols:\n  - x \\in \\mathbb{R}\n---\n\n## (a) A\n\n$$\n"
            "x \\ge 1 \\implies x^2 \\ge 1  % sign\n  \\Rightarrow x^2 + 1 \\ge 2  % monotone\n$$\n\n"
            "$$\nx \\ge 2 ⟹ x^3 \\ge 8  % sign\n$$\n")
    from derive.checks import check_derivation
    derivation = load_text(text, "imp.md")
    verdicts = [r.verdict for r in check_derivation(derivation)]
    assert [v.status for v in verdicts] == ["proved"] * 3
    stored = [Verdict.from_json(v) for v in json.loads(json.dumps([v.to_json() for v in verdicts]))]
    assert [v.status for v in kernel.recheck(derivation, stored)] == ["proved"] * 3


def test_a_reversed_implication_in_a_document_is_refused_where_written(tmp_path):
    from derive.source import load_file
    doc = tmp_path / "rev.tex"
    doc.write_text("\\begin{align*}\nx^2 \\ge 1 &\\impliedby x \\ge 1\n\\end{align*}\n"
                   "\\[ (x + 1)^2 = x^2 + 2x + 1 \\]\n")
    derivation = load_file(doc)
    (_, line, _, message), = dict(derivation.extra)["unreadable"]
    assert line == 2 and "write the implication forwards" in message
