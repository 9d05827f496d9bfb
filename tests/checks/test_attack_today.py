"""Attacks on the rules added today: limits through parameters, roots as squares, |·| forms of
ReLU/max/min, witnesses with every hypothesis in scope, another root, kinks, decimals, primes,
counts as sum limits, the standard lemmas. A wrong step must never be proved or cited; a right
one must not be refuted; the one hole found (a witness checked a scalar parameter of a
hypothesis only at its named value) is fixed and pinned here."""

from __future__ import annotations

import textwrap

import pytest

from derive.checks import check_derivation
from derive.source import load_text
from helpers import NEVER


def results(body, symbols, define=(), functions=(), hypotheses=()):
    text = "---\nsymbols:\n" + "".join(f"  - {s}\n" for s in symbols)
    for key, items in (("define", define), ("functions", functions), ("hypotheses", hypotheses)):
        text += f"{key}:\n" + "".join(f"  - {d}\n" for d in items) if items else ""
    text += "---\n## (a) A\n$$\n" + textwrap.dedent(body).strip() + "\n$$\n"
    return [r.verdict.status for r in check_derivation(load_text(text, "attack.md"))]


SIGMA = r"\sigma(t) = \frac{1}{1 + e^{-t}}"


def test_limits_through_parameters_of_unknown_sign():
    got = results(r"""
        \lim_{h \to 0} \frac{e^{x h} - 1}{h} = x   % limit
        \lim_{h \to 0} \frac{e^{x h} - 1}{h} = 2x   % limit
        \lim_{h \to 0} \frac{\sin(x h)}{x h} = 1   % limit
        \lim_{h \to 0} \frac{\sin(h)}{h x^2} = \frac{1}{x^2}   % limit
        \lim_{h \to 1} \frac{\cos(a h) - \cos(a)}{h - 1} = -a \sin(a)   % limit
        \lim_{h \to 1} \frac{\cos(a h) - \cos(a)}{h - 1} = a \sin(a)   % limit
        \lim_{h \to 0} e^{x/h} = 0   % limit
        \lim_{h \to 0^+} e^{x/h} = 0   % limit
        \lim_{h \to 0^-} e^{-c/h} = 0   % limit
        \lim_{h \to 0} \frac{\sigma(x + h) - \sigma(x)}{h} = \sigma(x)(1 - \sigma(x))   % limit
        \lim_{h \to 0} \frac{\sigma(x + h) - \sigma(x)}{h} = \sigma(x)^2   % limit
        \lim_{h \to 0} \frac{\sin(a h)}{\sin(b h)} = \frac{a}{b}   % limit
        \lim_{h \to 0} \frac{e^{x h} - 1}{h e^{x h}} = x   % limit
        \lim_{h \to 0} \frac{x h}{h\,(x^2 + h^2)} = \frac{1}{x}  % limit
        \lim_{h \to 1} \frac{1 - \cos h}{h^2} = \frac12   % limit
    """, [r"x, a, b, h \in \mathbb{R}", r"c > 0"], functions=[SIGMA])
    assert [got[i] for i in (0, 4, 9)] == ["proved"] * 3, got
    assert [got[i] for i in (1, 5, 6, 7, 8, 10, 14)] == ["failed"] * 7, got
    assert all(got[i] not in NEVER for i in (2, 3, 11, 12, 13)), got


def test_roots_as_squares_prove_only_true_bounds():
    got = results(r"""
        \frac{a + b}{2} \ge \sqrt{a b}   % sign
        \frac{a + b}{2} > \sqrt{a b}   % sign
        u + 1 \ge 2 \sqrt{u}   % sign
        u \ge \sqrt{u}   % sign
        \sqrt{a} \ge a^{1/3}   % sign
        a + 1 \ge 2 a^{1/3}   % sign
        \sqrt{\sqrt{a}} \ge \frac{1 + \sqrt{a}}{2}   % sign
        n + 1 \ge 2 \sqrt{n}   % sign
        n + 1 > 2 \sqrt{n}   % sign
        n \ge \sqrt{n} + 1   % sign
        \sqrt{a + b} \ge \sqrt{a} + \sqrt{b}   % sign
        \sqrt{a} \ge \sqrt{u}   % sign
        \sqrt{u} \sqrt{u} > u  % sign
    """, [r"a, b > 0", r"u \ge 0", r"n \ge 1 \text{ integer}"])
    assert [got[i] for i in (0, 2, 7)] == ["proved"] * 3, got
    assert all(s == "failed" for i, s in enumerate(got) if i not in (0, 2, 7)), got


def test_relu_max_min_splits_prove_only_true_bounds():
    got = results(r"""
        \max(a, b, c) \le \frac{a + b + c}{3}   % sign
        \max(a, b, c) > a   % sign
        \min(a, b, c) \ge \frac{a + b + c}{3}   % sign
        \min(a, b) < \max(a, b)   % sign
        \mathrm{ReLU}(\mathrm{ReLU}(a) - b) \le \mathrm{ReLU}(a - b)   % sign
        \mathrm{ReLU}(a + b) \ge \mathrm{ReLU}(a) + \mathrm{ReLU}(b)   % sign
        \max(0, 1 - m) > 1 - m   % sign
        |\max(a,b)| < \max(|a|, |b|)   % sign
        \min(a, \max(b, c)) < \max(\min(a, b), \min(a, c))   % sign
        \max(a, b)^2 \ge a b   % sign
        \min(a, b, c) \le \frac{a + b + c}{3}   % sign
        |\max(a,b)| \le \max(|a|, |b|)   % sign
    """, [r"a, b, c, m \in \mathbb{R}"])
    assert got[:10] == ["failed"] * 10, got
    assert got[10:] == ["proved"] * 2, got


def test_another_root_refutes_only_a_root_in_the_case():
    got = results(r"""
        x^2 - 4 = 0 \iff x = 2   % solve
        x^2 - 4 = 0 \iff x = 2   % solve for x \ge -1
        x^2 - c^2 = 0 \iff x = c   % solve for x \ge 0
        x^3 - x = 0 \iff x = 1   % solve for x > 1/2
        k^2 - 4 = 0 \iff k = 2   % solve
        x^2 = 4 \iff x = 2   % solve for x^2 \ge 2 x
    """, [r"x \in \mathbb{R}", r"c > 0", r"k \in \mathbb{N}"])
    assert got[0] == "failed" and got[1:5] == ["proved"] * 4 and got[5] not in NEVER, got


HUBER = (r"H = \begin{cases} \frac{r^2}{2} & |r| \le \delta \\ "
         r"\delta |r| - \frac{\delta^2}{2} & |r| > \delta \end{cases}")


def test_off_kinks_refutes_only_wrong_derivatives():
    got = results(r"""
        \frac{\partial H}{\partial r} = -\delta   % derivative for r < -\delta
        \frac{\partial H}{\partial r} = \delta   % derivative for r < -\delta
        \frac{\partial |x|}{\partial x} = \frac{x}{|x|}   % derivative
        \frac{\partial |x|}{\partial x} = 1   % derivative
        \frac{\partial \, x |x|}{\partial x} = 2 |x|   % derivative
        \frac{\partial \, |x - w|}{\partial w} = \frac{w - x}{|x - w|}   % derivative
        \frac{\partial \, |x - w|}{\partial w} = \frac{x - w}{|x - w|}   % derivative
    """, [r"r, x, w \in \mathbb{R}", r"\delta > 0"], define=[HUBER])
    assert [got[i] for i in (1, 3, 6)] == ["failed"] * 3, got
    assert all(got[i] != "failed" for i in (0, 2, 4, 5)), got


def test_decimals_are_the_fractions_written():
    got = results(r"""
        0.1 + 0.2 = 0.3   % algebra
        0.1 + 0.2 > 0.3   % sign
        3 \cdot 0.33333333333333333333 = 1   % algebra
        0.1000000000000000055511151231257827 = 0.1   % algebra
        a + b > c   % sign
        a + b = c   % algebra
    """, [r"x \in \mathbb{R}"], define=["a = 0.1", "b = 0.2", "c = 0.3"])
    assert got == ["proved", "failed", "failed", "failed", "failed", "proved"], got


def test_primes_are_derivatives_at_the_argument():
    got = results(r"""
        \sigma'(w x) = \sigma(w x)(1 - \sigma(w x))   % derivative
        \sigma'(w x) = x \sigma(w x)(1 - \sigma(w x))   % derivative
        \sigma'(0) = \frac{1}{2}   % derivative
        g'(x^2) = 2 x^2   % derivative
        g'(x^2) = 4 x^3   % derivative
        g''''(x) = 0   % derivative
    """, [r"x, w \in \mathbb{R}"], functions=[SIGMA, "g(t) = t^2"])
    assert got == ["proved", "failed", "failed", "proved", "failed", "proved"], got


@pytest.mark.parametrize("step, message", [
    ("g'(x = 2x % derivative", "is never closed"),
    ("g'() = 0 % derivative", "needs its argument"),
    ("g'(x, y) = 0 % derivative", "takes 1 argument, got 2"),
    ("x' = x % algebra", "a prime here is not a declared name"),
    (r"\log(1 + x^2) \le x^2 % lemma log_bound(1 + x^2, 2)", "log_bound takes 1 argument, got 2"),
    (r"x^2 y^2 \le x^2 y^2 % lemma cauchy_schwarz(x, y)", "must be a vector"),
    (r"\langle a, b \rangle^2 \le 1 % lemma cauchy_schwarz(a, b", "expected `name"),
])
def test_malformed_primes_and_lemma_calls_are_one_line_errors(step, message):
    from derive.errors import InputError
    with pytest.raises(InputError, match=message):
        results(step, [r"x, y \in \mathbb{R}", r"a, b \in \mathbb{R}^n"], functions=["g(t) = t^2"])


def test_the_standard_lemmas_cite_only_their_instances():
    got = results(r"""
        \langle a + b, b \rangle^2 \le \|a + b\|^2 \|b\|^2   % lemma cauchy_schwarz(a + b, b)
        \langle a, b \rangle^2 \le \frac{1}{2}\|a\|^2 \|b\|^2   % lemma cauchy_schwarz(a + b, b)
        \log(2 + x^2) \le x^2   % lemma log_bound(1 + x^2)
        \log(x) \le x - 1   % lemma log_bound(x)
        \log(1 + x^2) \le x^2 - 1   % lemma log_bound(5)
    """, [r"x \in \mathbb{R}", r"a, b \in \mathbb{R}^n"])
    assert got[0] == "cited" and got[1:3] == ["failed", "failed"], got
    assert all(s not in NEVER for s in got[3:]), got


def test_a_witness_satisfies_a_hypothesis_for_every_value_of_its_scalar_parameter():
    # lb(t): f(x) ≥ −t for every t > 0 gives f(x) ≥ 0. The witness f(x) = −½ was checked only
    # at the named t = 1 and shown as "lb holds at every point" against the true f(x) ≥ 0.
    text = ("---\nsymbols:\n  - x \\in \\mathbb{R}^n\nfunctions:\n"
            "  - f \\colon \\mathbb{R}^n \\to \\mathbb{R}\nhypotheses:\n"
            "  - lb(t \\in \\mathbb{R}_{>0}): f(x) \\ge -t\n---\n## (a) A\n$$\n"
            "f(x) \\ge -1   % hypothesis lb(1)\nf(x) \\ge 0   % hypothesis lb(1)\n$$\n")
    right, wrong_citation = [r.verdict for r in check_derivation(load_text(text, "lb.md"))]
    assert right.status == "cited", right
    # f(x) ≥ 0 is true (lb for every t > 0): not the instance, so unknown, and no witness breaks it.
    assert wrong_citation.status == "unknown" and "not an instance" in wrong_citation.reason
    assert not wrong_citation.counterexample, wrong_citation.counterexample
