"""An author's hint beside a step, read as the kind of reasoning to try first."""

from __future__ import annotations

import pytest

from derive.checks import check_derivation
from derive.source.hints import clean, kind_of

HINTS = [
    ("\\text{(chain rule)}", "chain rule"),
    ("by the chain rule", "chain rule"),
    ("product rule", "product rule"),
    ("\\text{(quotient rule)}", "derivative"),
    ("differentiating", "derivative"),
    ("L'Hôpital", "limit"),
    ("by definition", "definition"),
    ("substituting $u$", "substitute"),
    ("expanding", "expand"),
    ("rearranging", "algebra"),
    ("cancel $p(1-p)$", "algebra"),
    ("\\text{by Cauchy--Schwarz}", "sign"),
    ("\\text{AM–GM}", "sign"),
    ("AM-GM", "sign"),
    ("triangle inequality", "sign"),
    ("monotone", "monotone"),
    ("exp_bound", "lemma"),
    ("solving for $w$", "solve"),
    ("see (3)", None),
    ("\\text{Hölder}", None),
]


@pytest.mark.parametrize("hint,kind", HINTS)
def test_hint_names_a_kind(hint, kind):
    assert kind_of(hint) == kind


def test_hint_as_shown():
    assert clean("\\text{by Cauchy--Schwarz}") == "by Cauchy-Schwarz"
    assert clean("\\quad \\text{(chain rule)},") == "(chain rule)"


def test_a_hint_reaches_the_step_and_the_kind_found(read_document):
    derivation = read_document(
        "\\begin{align*}\n"
        "  \\frac{d}{dx} (x^2 + 1)^3 &= 6x (x^2 + 1)^2 && \\text{(chain rule)} \\\\\n"
        "  2ab &\\overset{\\text{AM-GM}}{\\le} a^2 + b^2 \\\\\n"
        "  x &= x \\quad \\text{see (3)}\n"
        "\\end{align*}\n")
    whys = [step.why for _, step in derivation.steps()]
    assert [(w.kind, w.text, w.option("hint")) for w in whys] == [
        ("auto", "(chain rule)", "chain rule"), ("auto", "AM-GM", "sign"), ("auto", "see (3)", None)]
    methods = [r.verdict.method for r in check_derivation(derivation)]
    assert [m.split(":")[0] for m in methods] == ["chain rule (found)", "sign (found)",
                                                  "algebra (found)"]
