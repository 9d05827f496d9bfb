"""The kernel's newer rules refuse tampered certificates (beside test_kernel.py): each rule
re-derives what it needs from the step, so a certificate that lies is never `proved`."""

from __future__ import annotations

import json

import pytest
from sympy import Integer, Rational, Symbol

from derive import kernel
from derive.checks import check_derivation
from derive.kernel import certificates as C
from derive.kernel.codec import from_json, symbol_table, to_json
from derive.source import load_text

NEVER = ("proved", "cited")


def _load(front, body):
    return load_text("---\nid: t\n" + front + "---\n\n$$\n" + body + "\n$$\n", "t.md")


def _decide(derivation, cert, index=-1):
    """The kernel's verdict on one step of ``derivation`` with ``cert``."""
    links = list(derivation.links())
    walk = kernel.Walk()
    for link in links[:index % len(links)]:
        walk.before(link)
        walk.after(link, kernel.decide(derivation, link, walk.ledger, C.Instance()))
    link = links[index]
    walk.before(link)
    return kernel.decide(derivation, link, walk.ledger, cert)


def _found(derivation, index=-1):
    return [r.verdict for r in check_derivation(derivation)][index]


def _json_round_trip(derivation, cert, index=-1):
    link = list(derivation.links())[index]
    table = symbol_table(link.lhs, link.step.rhs, *[v.symbol for v in derivation.variables])
    return from_json(json.loads(json.dumps(to_json(cert))), table)


# -- equations combined into an equation ---------------------------------------------

MOMENTUM = (r"""symbols:
  - 0 < \beta < 1
  - g, m_0, m_1, m_2 \in \mathbb{R}
hypotheses:
  - momentum(p, q): q = \beta p + (1 - \beta) g
  - bound(p, q): q \le \beta p
""", r"m_2 = \beta^2 m_0 + (1 - \beta^2) g   % by momentum(m_0, m_1), momentum(m_1, m_2), bound(m_0, m_1)")


def test_an_equation_combination_is_accepted_as_found_and_survives_json():
    d = _load(*MOMENTUM)
    v = _found(d)
    assert v.status == "proved" and v.certificate.kind == "combination", (v.status, v.reason)
    again = _json_round_trip(d, v.certificate)
    assert again == v.certificate
    assert _decide(d, again).status == "proved"


@pytest.mark.parametrize("what, tamper", [
    ("none", lambda m: ()),
    ("one dropped", lambda m: ((1, m[1]),)),
    ("a multiplier doubled", lambda m: ((0, 2 * m[0]), (1, m[1]))),
    ("a multiplier negated", lambda m: ((0, m[0]), (1, -m[1]))),
    ("the inequality used", lambda m: ((0, m[0]), (1, m[1]), (2, Rational(1, 2)))),
    ("the facts swapped", lambda m: ((0, m[1]), (1, m[0]))),
    ("a fact that does not exist", lambda m: ((0, m[0]), (5, m[1]))),
], ids=lambda x: x if isinstance(x, str) else "")
def test_a_tampered_equation_combination_is_refused(what, tamper):
    d = _load(*MOMENTUM)
    found = dict(_found(d).certificate.multipliers)
    assert set(found) == {0, 1} and found[1] == 1 and found[0].free_symbols
    verdict = _decide(d, C.Combination(tamper(found)))
    assert verdict.status not in NEVER, (what, verdict)
    assert verdict.reason


def test_a_multiplier_that_may_be_undefined_is_refused():
    """g·m₁ = g·m₀ does not give m₁ = m₀: the multiplier 1/g is undefined where g = 0."""
    d = _load(MOMENTUM[0] + "  - scaled(p): g p = g m_0\n", r"m_1 = m_0   % by scaled(m_1)")
    assert _found(d).status not in NEVER
    g = next(v.symbol for v in d.variables if v.symbol.name == "g")
    verdict = _decide(d, C.Combination(((0, 1 / g),)))
    assert verdict.status not in NEVER and "may be undefined" in verdict.reason, verdict


def test_an_instance_certificate_for_a_step_that_is_no_instance_is_refused():
    # Refused, and `unknown`: not being the instance does not disprove a step.
    d = _load(MOMENTUM[0], r"m_1 = \beta m_0 + (1 + \beta) g   % hypothesis momentum(m_0, m_1)")
    assert _decide(d, C.Instance()).status == "unknown"
    d = _load(MOMENTUM[0], r"m_1 < \beta m_0 + (1 - \beta) g   % hypothesis momentum(m_0, m_1)")
    assert _decide(d, C.Instance()).status == "unknown"
    d = _load(MOMENTUM[0], r"m_1 = \beta m_0   % hypothesis bound(m_0, m_1)")
    assert _decide(d, C.Instance()).status == "unknown"


# -- roots and unique solutions ---------------------------------------------------------

ROOTS = r"""symbols:
  - w, x, y, s \in \mathbb{R}
  - \lambda > 0
define:
  - J = \frac{1}{2}(w x - y)^2 + \frac{\lambda}{2} w^2
"""


def test_a_root_certificate_is_accepted_as_found_and_survives_json():
    d = _load(ROOTS, r"\frac{\partial J}{\partial w} = 0   % root for w = \frac{x y}{x^2 + \lambda}")
    v = _found(d)
    assert v.status == "proved" and v.certificate.kind == "root"
    assert _json_round_trip(d, v.certificate) == v.certificate
    assert _decide(d, v.certificate).status == "proved"


@pytest.mark.parametrize("what, body, cert", [
    ("no point stated", r"\frac{\partial J}{\partial w} = 0   % root", C.Root((("", "cancel"),))),
    ("the wrong point", r"\frac{\partial J}{\partial w} = 0   % root for w = \frac{x y}{x^2 + 2\lambda}",
     C.Root((("", "cancel"),))),
    ("a layer that does not reduce", r"s^2 - 1 = (s - 1)(s + 1)   % root for s = x",
     C.Root((("", "trust me"),))),
    ("another case list", r"s^2 = 1   % root for s = 1", C.Root((("s>0", "cancel"), ("s<0", "cancel")))),
], ids=lambda x: x if isinstance(x, str) else "")
def test_a_tampered_root_is_refused(what, body, cert):
    d = _load(ROOTS, body)
    verdict = _decide(d, cert)
    assert verdict.status not in NEVER, (what, verdict)


@pytest.mark.parametrize("mode", ["3", "1", "0", "99", "x", ""])
def test_a_tampered_power_is_refused(mode):
    d = _load(ROOTS, r"s^2 - 2 s + 1 = 0 \iff s = 1   % solve")
    v = _found(d)
    assert v.status == "proved" and v.certificate.methods == (("", "power", "", "2"),)
    assert _decide(d, C.Equivalence((("", "power", "", mode),))).status not in NEVER


def test_a_power_for_a_factor_of_unknown_sign_is_refused():
    d = _load(ROOTS, r"s^3 - 3 s - 2 = 0 \iff s = -1   % solve")     # (s + 1)²(s − 2)
    assert _decide(d, C.Equivalence((("", "power", "", "2"),))).status not in NEVER


# -- derivatives at kinks: the kernel's meaning refuses them, whatever the certificate says ----

KINKS = r"""symbols:
  - r \in \mathbb{R}
  - \delta > 0
define:
  - h = \begin{cases} \frac{1}{2} r^2, & |r| \le \delta \\ \delta |r| - \frac{1}{2}\delta^2 & \text{otherwise} \end{cases}
  - q = \begin{cases} r^2, & |r| \le \delta \\ \delta |r| & \text{otherwise} \end{cases}
"""


@pytest.mark.parametrize("body", [
    r"\frac{\partial^2 h}{\partial r^2} = 1   % derivative for |r| \le \delta",
    r"\frac{\partial q}{\partial r} = 2 r   % derivative for |r| \le \delta",
    r"\frac{\partial q}{\partial r} = 2 r   % derivative",
])
def test_a_zero_certificate_through_a_kink_without_a_derivative_is_refused(body):
    d = _load(KINKS, body)
    for layer in ("cancel", "simplify", "identical"):
        labels = kernel.world_for(d, d.parts[0], d.parts[0].steps[0]).labels
        verdict = _decide(d, C.Zero(tuple((label, layer) for label in labels)))
        assert verdict.status not in NEVER and "no derivative there" in verdict.reason, verdict


# -- integers ---------------------------------------------------------------------------

INTS = r"""symbols:
  - n \in \mathbb{Z}_{\ge 1}
  - t \in \mathbb{N}
"""


@pytest.mark.parametrize("body", [
    r"n > 2 \iff n \ge 4   % solve",
    r"n > 2 \iff n \ge 2   % solve",
    r"n \ge 3 \iff n > 3   % solve",
    r"n^2 > 4 \iff n \le 3   % solve",
])
def test_a_threshold_certificate_for_a_wrong_integer_threshold_is_refused(body):
    d = _load(INTS, body)
    assert _decide(d, C.Threshold()).status not in NEVER


@pytest.mark.parametrize("body", [r"t^2 \ge 2 t   % sign", r"t^2 \ge t + 1   % sign", r"n^2 \ge 2 n   % sign"])
def test_an_integer_split_for_a_false_sign_is_refused(body):
    d = _load(INTS, body)
    assert _decide(d, C.Sign((("", "integer split"),))).status not in NEVER


# -- splits on the sign inside |·| --------------------------------------------------------

ABS = r"""symbols:
  - x, y, z \in \mathbb{R}
hypotheses:
  - up: x \le y + 1
  - on: y \le z + 1
  - back: z \le y + 1
  - down: y \le x + 1
"""


def _split(body=r"|x - z| \le 2   % by up, on, back, down"):
    d = _load(ABS, body)
    v = _found(d)
    assert v.status == "proved" and v.certificate.kind == "split", (v.status, v.reason)
    return d, v.certificate


def test_a_split_is_accepted_as_found_and_survives_json():
    d, cert = _split()
    assert _json_round_trip(d, cert) == cert
    assert _decide(d, cert).status == "proved"


@pytest.mark.parametrize("what, tamper", [
    ("branches swapped", lambda c: C.Split(c.on, c.negative, c.positive)),
    ("split on something else", lambda c: C.Split(c.on + 1, c.positive, c.negative)),
    ("split on the negated argument", lambda c: C.Split(-c.on, c.positive, c.negative)),
    ("a branch without multipliers", lambda c: C.Split(c.on, c.positive, C.Combination(()))),
    ("a branch's multipliers doubled", lambda c: C.Split(c.on, c.positive, C.Combination(
        tuple((i, 2 * m + 1) for i, m in c.negative.multipliers)))),
    ("a branch proved by a sign form", lambda c: C.Split(c.on, c.positive, C.Sign((("", "as written"),)))),
], ids=lambda x: x if isinstance(x, str) else "")
def test_a_tampered_split_is_refused(what, tamper):
    d, cert = _split()
    assert _decide(d, tamper(cert)).status not in NEVER, what


def test_a_split_for_a_false_bound_is_refused():
    d, cert = _split()
    for body in (r"|x - z| \le 1   % by up, on, back, down", r"|x + z| \le 2   % by up, on, back, down",
                 r"|x - z| < 2   % by up, on, back, down"):
        assert _decide(_load(ABS, body), cert).status not in NEVER, body
