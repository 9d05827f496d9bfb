"""Adversarial review of the inequality engine and of the derivation-file path.

Each strict xfail is a reproduced hole, as small as it gets: a false step that
comes out `proved` or `cited`, a true step that comes out `failed` with a point
that is not a counterexample, or input that hangs or ends in a traceback. The
plain tests are attacks that held up; they guard against regressions.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from sympy import Eq, Ge, Le, Rational

import cli
from derive.build import Builder, use, why
from derive.checks import check_derivation
from derive.errors import InputError, UnsupportedStep
from derive.model import Part, Step
from derive.notation import VectorSymbol, value_at
from derive.source import load_file

pytestmark = pytest.mark.review("adversarial review 1: inequalities and derivation files")

ROOT = Path(__file__).resolve().parents[2]
NEVER = ("proved", "cited")
half = Rational(1, 2)


# -- helpers ---------------------------------------------------------------------

def statuses(world, *steps):
    """(status, reason) of each step, checked in order as one part of ``world``."""
    parts = (Part("a", "review", tuple(steps)),)
    return [(r.verdict.status, r.verdict.reason)
            for r in check_derivation(replace(world, parts=parts))]


def write(tmp_path, front, body, name="t.md"):
    path = tmp_path / name
    path.write_text("---\n" + textwrap.dedent(front).strip("\n") + "\n---\n\n"
                    + textwrap.dedent(body), encoding="utf-8")
    return path


def file_verdicts(tmp_path, front, body):
    derivation = load_file(write(tmp_path, front, body))
    return [(r.verdict.status, r.verdict.reason) for r in check_derivation(derivation)]


def one_step(tmp_path, front, step):
    (status, reason), = file_verdicts(tmp_path, front, f"## (a) A\n\n$$\n{step}\n$$\n")
    return status, reason


def f(p):
    return value_at("f", p)


# =================================================================================
# Soundness holes: a false step comes out proved or cited
# =================================================================================

# -- equation facts: a multiplier of any sign, but not of any value ---------------

def test_an_equation_multiplier_with_a_pole_proves_nothing(tmp_path):
    front = r"""
    symbols:
      - x \in \mathbb{R}
      - a, c \in \mathbb{R}^n
    functions:
      - f \colon \mathbb{R}^n \to \mathbb{R}
    hypotheses:
      - same: x f(a) = x f(c)
    """
    status, _ = one_step(tmp_path, front, r"f(c) \le f(a)  % by same")
    assert status not in NEVER


def test_an_equation_multiplier_without_a_pole_is_fine(tmp_path):
    """The control: f(a) = f(c) does give f(c) ≤ f(a) (multiplier −1, any sign)."""
    front = r"""
    symbols:
      - x \in \mathbb{R}
      - a, c \in \mathbb{R}^n
    functions:
      - f \colon \mathbb{R}^n \to \mathbb{R}
    hypotheses:
      - same: f(a) = f(c)
    """
    assert one_step(tmp_path, front, r"f(c) \le f(a)  % by same")[0] == "proved"


# -- an equality side condition is discharged as ≥ ---------------------------------

def test_an_equality_side_condition_is_not_a_one_sided_bound(tmp_path):
    front = r"""
    symbols:
      - x \in \mathbb{R}
      - z \ge 0
    lemmas:
      - same(a, b): a \le b \quad\text{if } a = b
    """
    status, _ = one_step(tmp_path, front, r"x + z \le x  % lemma same(x + z, x)")
    assert status not in NEVER


def test_an_equality_side_condition_that_is_false_outright_is_refused(tmp_path):
    front = r"""
    symbols:
      - x \in \mathbb{R}
    lemmas:
      - same(a, b): a \le b \quad\text{if } a = b
    """
    status, reason = one_step(tmp_path, front, r"x + 1 \le x  % lemma same(x + 1, x)")
    assert status == "unknown" and "side condition is false" in reason


def test_an_equation_assumption_transfers_as_an_equation():
    b = Builder("eq-domain", "")
    x = b.var("x")
    y = b.var("y", lower=2, lower_open=False)
    b.assume(Eq(x, 2))
    b.schema("P", lambda p: Le(p, 2), kind="result")
    proof, cite = statuses(b.build(),
                           Step(x, "<=", 2, why("sign", "", establishes="P", at=(x,))),
                           Step(y, "<=", 2, why("result", "", [use("P", y)])))
    assert proof[0] == "proved"
    assert cite[0] not in NEVER


# -- results generalised beyond what was proved ------------------------------------

def test_a_result_that_mentions_its_own_variable_is_not_generalised():
    b = Builder("self", "")
    x, y = b.var("x"), b.var("y")
    z = b.var("z", lower=0, lower_open=False)
    b.schema("P", lambda p: Le(p, x + z), kind="result")
    proof, cite = statuses(b.build(),
                           Step(x, "<=", x + z, why("sign", "", establishes="P", at=(x,))),
                           Step(y, "<=", x + z, why("result", "", [use("P", y)])))
    assert proof[0] in ("proved", "unknown")  # refusing to establish it is sound too
    assert cite[0] not in NEVER


def test_a_result_proved_through_a_definition_of_its_variable_is_not_generalised():
    b = Builder("defined", "")
    x, y = b.var("x"), b.var("y")
    z = b.var("z", lower=0, lower_open=False)
    u = b.define("u", x + 1)
    b.schema("P", lambda p: Le(p + 1, u + z), kind="result")
    proof, cite = statuses(b.build(),
                           Step(x + 1, "<=", u + z, why("sign", "", establishes="P", at=(x,))),
                           Step(y + 1, "<=", u + z, why("result", "", [use("P", y)])))
    assert proof[0] in ("proved", "unknown")  # refusing to establish it is sound too
    assert cite[0] not in NEVER


def test_a_result_at_a_defined_vector_is_not_generalised():
    b = Builder("defined-vector", "")
    a, c = b.vector("a"), b.vector("c")
    u = b.define("u", 2 * a, vector=True)
    from derive.notation import norm_sq
    b.schema("P", lambda p: Le(norm_sq(p), 4 * norm_sq(a)), kind="result")
    proof, cite = statuses(
        b.build(),
        Step(norm_sq(u), "<=", 4 * norm_sq(a), why("combination", "", establishes="P", at=(u,))),
        Step(norm_sq(c), "<=", 4 * norm_sq(a), why("result", "", [use("P", c)])))
    assert proof[0] in ("proved", "unknown")  # refusing to establish it is sound too
    assert cite[0] not in NEVER


def test_an_assumption_through_a_definition_transfers_to_the_arguments():
    b = Builder("assumed", "")
    x, y = b.var("x"), b.var("y")
    u = b.define("u", x - 5)
    b.assume(Ge(u, 0))
    b.schema("P", lambda p: Ge(p, 5), kind="result")
    proof, cite = statuses(b.build(),
                           Step(x, ">=", 5, why("combination", "", establishes="P", at=(x,))),
                           Step(y, ">=", 5, why("result", "", [use("P", y)])))
    assert proof[0] == "proved"
    assert cite[0] not in NEVER


def test_a_point_pinned_inside_a_compound_point_is_not_generalised():
    b = Builder("compound", "")
    x, c, a, y = (b.vector(n) for n in "xcay")
    b.schema("H", lambda: Le(f(x + c), f(a)))
    b.schema("P", lambda p: Le(f(p + c), f(a)), kind="result")
    proof, cite = statuses(
        b.build(),
        Step(f(x + c), "<=", f(a), why("hypothesis", "", [use("H")], establishes="P", at=(x,))),
        Step(f(y + c), "<=", f(a), why("result", "", [use("P", y)])))
    assert proof[0] in ("cited", "unknown")  # refusing to establish it is sound too
    assert cite[0] not in NEVER


def test_a_result_about_one_function_is_not_cited_for_another():
    b = Builder("function-name", "")
    a, c = b.vector("a"), b.vector("c")
    b.schema("order", lambda: Le(f(a), f(c)))
    b.schema("P", lambda F: Le(value_at(F, a), value_at(F, c)), kind="result")
    proof, cite = statuses(
        b.build(),
        Step(f(a), "<=", f(c), why("hypothesis", "", [use("order")], establishes="P", at=("f",))),
        Step(value_at("g", a), "<=", value_at("g", c), why("result", "", [use("P", "g")])))
    assert proof[0] == "cited"
    assert cite[0] not in NEVER


def test_a_checked_step_establishes_nothing():
    """A sampled (`checked`) step cannot become a result that later steps cite."""
    b = Builder("checked", "")
    x, y = b.var("x"), b.var("y")
    b.schema("P", lambda p: Ge(p**4 - 2 * p**2 + 1, 0), kind="result")
    from sympy import cos, sin
    proof = Step(x**4 - 2 * x**2 + 1 + sin(x)**2 + cos(x)**2 - 1, ">=", 0,
                 why("sign", "", establishes="P", at=(x,)))
    cite = Step(y**4 - 2 * y**2 + 1, ">=", 0, why("result", "", [use("P", y)]))
    first, second = statuses(b.build(), proof, cite)
    assert first[0] != "proved"
    assert second[0] not in NEVER


# -- unrolling --------------------------------------------------------------------

def _r(k):
    return value_at("f", VectorSymbol(f"w_{{{k}}}")) - value_at("f", VectorSymbol("w*"))


def test_unroll_needs_t_at_least_0():
    b = Builder("unroll-t", "")
    t = b.var("t", integer=True)
    b.schema("H", lambda k: Le(_r(k + 1), half * _r(k)))
    b.schema("contraction", lambda k: Le(_r(k + 1), half * _r(k)), kind="result")
    premise, claim = statuses(
        b.build(),
        Step(_r(t + 1), "<=", half * _r(t),
             why("hypothesis", "", [use("H", t)], establishes="contraction", at=(t,))),
        Step(_r(t), "<=", half**t * _r(0),
             why("unroll", "", [use("contraction")], r=_r, q=half, t=t)))
    assert premise[0] == "cited"
    assert claim[0] not in NEVER


def test_unroll_honours_assumptions_on_the_premise_variable():
    b = Builder("unroll-assumed", "")
    t = b.var("t", lower=0, lower_open=False, integer=True)
    sigma = b.var("σ", lower=0, lower_open=False, integer=True)
    b.assume(Ge(sigma - 5, 0))
    b.schema("H", lambda k: Le(_r(k + 1) + (k - 5), half * _r(k)))
    b.schema("contraction", lambda k: Le(_r(k + 1), half * _r(k)), kind="result")
    premise, claim = statuses(
        b.build(),
        Step(_r(sigma + 1), "<=", half * _r(sigma),
             why("combination", "", [use("H", sigma)], establishes="contraction", at=(sigma,))),
        Step(_r(t), "<=", half**t * _r(0),
             why("unroll", "", [use("contraction")], r=_r, q=half, t=t)))
    assert premise[0] == "proved"
    assert claim[0] not in NEVER


# -- the standard lemma can be silently replaced -----------------------------------

def test_the_standard_lemma_cannot_be_redeclared(tmp_path):
    front = r"""
    symbols:
      - z \in \mathbb{R}
    lemmas:
      - exp_bound(a): 1 + a \le e^{-a}
    """
    with pytest.raises(InputError):
        load_file(write(tmp_path, front, "## (a) A\n\n$$\n1 + z \\le e^{-z}  % lemma exp_bound(z)\n$$\n"))


# =================================================================================
# A true step comes out failed
# =================================================================================

def test_a_defined_point_gives_no_false_counterexample(tmp_path):
    front = r"""
    symbols:
      - \eta > 0
      - x \in \mathbb{R}^n
    functions:
      - f \colon \mathbb{R}^n \to \mathbb{R}
    define:
      - x^+ = x - \eta \nabla f(x)
    """
    status, _ = one_step(tmp_path, front, r"f(x^+) = f(x - \eta \nabla f(x))  % substitute")
    assert status != "failed"


# =================================================================================
# Robustness: hangs and tracebacks
# =================================================================================

HUGE = {
    "a bound in symbols": "symbols:\n  - 0 < y < 10^{10^{10}}\n",
    "a definition": "symbols:\n  - y \\in \\mathbb{R}\ndefine:\n  - u = 10^{10^{10}}\n",
}


def test_a_huge_number_in_the_front_matter_does_not_hang(tmp_path):
    procs = {}
    for what, front in HUGE.items():
        path = tmp_path / f"{what.replace(' ', '-')}.md"
        path.write_text(f"---\n{front}---\n\n## (a) A\n\n$$\ny = y  % algebra\n$$\n")
        procs[what] = subprocess.Popen(
            [sys.executable, str(ROOT / "cli.py"), "check", str(path)], cwd=tmp_path,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "DERIVE_NO_CACHE": "1"})
    deadline = time.monotonic() + 60      # a hang, not slowness on a loaded machine: reads have CPU budgets
    hung = []
    for what, proc in procs.items():
        try:
            _, err = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
            assert proc.returncode in (0, 1, 2) and "Traceback" not in err, (what, err)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            hung.append(what)
    assert not hung, f"still running after 60 s: {hung}"


def test_establishing_a_result_never_raises():
    b = Builder("raises", "")
    x = b.var("x")
    b.schema("P", lambda p: Ge(p**2, 0), kind="result")
    (status, reason), = statuses(b.build(), Step(x**2, ">=", 0, why("sign", "", establishes="P", at=(x,))))
    assert status == "unknown" and reason


def test_an_id_with_an_underscore_gives_tex_safe_labels(tmp_path):
    path = write(tmp_path, r"""
    id: my_id
    symbols:
      - x \in \mathbb{R}
    """, "## (a) A\n\n$$\nx = x  % algebra\n$$\n", name="my_id.md")
    out = tmp_path / "out.tex"
    result = CliRunner().invoke(cli.main, ["render", str(path), "--to", "tex", "-o", str(out)])
    assert result.exit_code == 0, result.output
    labels = re.findall(r"\\label\{([^}]*)\}", out.read_text())
    assert labels and all(re.fullmatch(r"[A-Za-z0-9:.\-]+", lab) for lab in labels), labels


# =================================================================================
# What held up (guards)
# =================================================================================

WORLD_FRONT = r"""
symbols:
  - x, y \in \mathbb{R}
  - z \ge 0
  - L > 0
  - \eta > 0
  - a, c \in \mathbb{R}^n
functions:
  - f \colon \mathbb{R}^n \to \mathbb{R}
hypotheses:
  - step: \eta L \le 1
  - xy: x \le y
  - order: f(a) \le f(c)
"""

NOT_PROVED = [
    # multipliers and signs
    ("a multiplier of unknown sign", r"x f(a) \le x f(c)  % by order"),
    ("a product of unknown signs", r"x y \ge 0  % by xy"),
    ("a factored fact with a factor of unknown sign", r"(1 - \eta L) x \ge 0  % by step"),
    ("a factored fact the wrong way", r"\eta L - 1 \ge 0  % by step"),
    # strictness
    ("strict from a weak fact", r"f(a) < f(c)  % by order"),
    ("strict from a weak fact and a weak bound", r"x < y + z  % by xy"),
    # Gram forms
    ("⟨a, c⟩ ≥ 0: a zero pivot with a row", r"\langle a, c \rangle \ge 0  % combination"),
    ("an indefinite form", r"\|a\|^2 + \|c\|^2 - 3\langle a, c \rangle \ge 0  % combination"),
    ("a square times a sign not known", r"x \|a\|^2 \ge 0  % combination"),
    ("a square that may vanish, strictly", r"\|a\|^2 > 0  % combination"),
    # monotonicity
    ("a common factor of unknown sign", r"x f(a) \le x f(c)  % monotone order"),
    ("a base of unknown sign", r"x^{z} \le y^{z}  % monotone xy"),
    ("an exponent of unknown sign", r"z^{x} \le (z + 1)^{x}  % monotone"),
    ("a negative exponent", r"z^{-L} \le (z + 1)^{-L}  % monotone"),
    ("exp the wrong way", r"e^{y} \le e^{x}  % monotone xy"),
    ("a strict monotone step", r"e^{x} < e^{y}  % monotone xy"),
    ("log is not a monotone rule", r"\log(L) \le \log(L + z) + x  % monotone"),
    # a weak factor that may be zero keeps the other sign (z = 0, y < 0)
    ("z y ≥ 0 with z ∈ [0, ∞) says nothing about y", r"y \ge 0  % sign for z y \ge 0"),
    ("… nor to a combination", r"y \ge 0  % combination for z y \ge 0"),
]


@pytest.mark.parametrize("what, step", NOT_PROVED, ids=[n[0] for n in NOT_PROVED])
def test_false_or_unsupported_inequalities_are_not_proved(tmp_path, what, step):
    status, reason = one_step(tmp_path, WORLD_FRONT, step)
    assert status not in NEVER, (status, reason)


PROVED = [
    ("the hypothesis itself", r"f(a) \le f(c)  % hypothesis order", "cited"),
    ("a factored parameter fact", r"\eta (1 - \eta L) \ge 0  % by step", "proved"),
    ("a common factor known ≥ 0 from a fact", r"(y - x) x \le (y - x) y  % monotone xy", "proved"),
    ("a common factor z ≥ 0", r"z x \le z y  % monotone xy", "proved"),
    ("a PSD Gram remainder", r"2\langle a, c \rangle \le \|a\|^2 + \|c\|^2  % combination", "proved"),
    ("a parametric PSD form", r"\|a\|^2 + 2 x \langle a, c\rangle + x^2 \|c\|^2 \ge 0  % combination",
     "proved"),
]


@pytest.mark.parametrize("what, step, status", PROVED, ids=[p[0] for p in PROVED])
def test_controls_that_are_proved(tmp_path, what, step, status):
    assert one_step(tmp_path, WORLD_FRONT, step)[0] == status


def test_above_is_only_a_chain_of_proofs(tmp_path):
    """'above' after a failed link, after a checked (sampled) link, after a ⟺ chain and
    across parts gives nothing."""
    body = r"""
    ## (a) A

    $$
    x \le y  % hypothesis xy
      \le y - 1  % sign
    x \le y - 1  % by above
    x \le y  % hypothesis xy
      \le y + \sin(z)^2 + \cos(z)^2 - 1 + z  % sign
    x \le y + z  % by above
    x^2 = 1 \iff x = 1  % solve for x > 0
    x \le 1  % by above
    x \le y  % hypothesis xy
    $$

    ## (b) B

    $$
    x \le y  % by above
    $$
    """
    got = file_verdicts(tmp_path, WORLD_FRONT, body)
    assert [s for s, _ in got[:4]] == ["cited", "failed", "unknown", "cited"], got
    assert got[4][0] not in NEVER      # sin² + cos² − 1 ≥ 0 is sampled, not proved
    assert [s for s, _ in got[5:]] == ["unknown", "proved", "unknown", "cited", "unknown"], got
    for i in (2, 5, 7, 9):
        assert "'above' is used" in got[i][1]


def test_above_keeps_the_chains_case(tmp_path):
    body = r"""
    ## (a) A

    $$
    f(a) \le f(c) + z x  % by order for x \ge 0
    f(a) \le f(c) + z x  % by above
    $$

    ## (b) B

    $$
    f(a) \le f(c) + z x  % by order for x \ge 0
    f(a) \le f(c) + z x  % by above for x \ge 0
    $$
    """
    got = file_verdicts(tmp_path, WORLD_FRONT, body)
    assert [s for s, _ in got] == ["proved", "unknown", "proved", "proved"], got
    assert "the chain above holds only where" in got[1][1]


# -- the derivation-file path ---------------------------------------------------------

READ_AS = [
    # precedence, unary minus, powers
    (r"-x^2 = -(x^2)", "proved"),
    (r"-x^2 = (-x)^2", "failed"),
    (r"2^{3^{2}} = 512", "proved"),
    (r"a/b/c = \frac{a}{b c}", "proved"),
    (r"a/b \cdot c = \frac{a c}{b}", "proved"),
    (r"x - -y = x + y", "proved"),
    (r"x \cdot -y = -x y", "proved"),
    # \frac without braces reads one token per argument, as TeX does
    (r"\frac 1 2 3 = \frac32", "proved"),
    (r"\frac12 x = \frac{x}{2}", "proved"),
    # function powers and arguments
    (r"\sin x^{2} = \sin(x^2)", "proved"),
    (r"\tanh^2(x) = \tanh(x)^2", "proved"),
    (r"\exp^2(x) = e^{2x}", "proved"),
    # e and logs
    (r"e^{x} e^{y} = e^{x + y}", "proved"),
    (r"\log_2 8 = 3", "proved"),
    (r"\log 8 = \ln 8", "proved"),
    # implicit products
    (r"2(3) = 6", "proved"),
    (r"2\frac12 = 1", "proved"),
    (r"a(b + c) = ab + ac", "proved"),
]

READ_FRONT = r"""
symbols:
  - x, y, a, b, c \in \mathbb{R}
"""


@pytest.mark.parametrize("step, status", READ_AS, ids=[r[0] for r in READ_AS])
def test_latex_is_read_with_its_usual_meaning(tmp_path, step, status):
    assert one_step(tmp_path, READ_FRONT, step + "  % algebra")[0] == status


def test_declared_e_is_a_variable_and_mathrm_e_is_euler(tmp_path):
    front = r"""
    symbols:
      - e, x \in \mathbb{R}
    """
    assert one_step(tmp_path, front, r"e^{x} = \exp(x)  % algebra")[0] == "failed"
    assert one_step(tmp_path, front, r"\mathrm{e}^{x} = \exp(x)  % algebra")[0] == "proved"


def test_log_base_from_the_front_matter(tmp_path):
    assert one_step(tmp_path, "log: 10\nsymbols:\n  - z > 0\n", r"\log 100 = 2  % algebra")[0] == "proved"
    assert one_step(tmp_path, "log: 10\nsymbols:\n  - z > 0\n", r"\ln 100 = 2  % algebra")[0] == "failed"


def test_a_declared_scalar_sigma_multiplies(tmp_path):
    front = r"""
    symbols:
      - \sigma > 0
      - x \in \mathbb{R}
    """
    assert one_step(tmp_path, front, r"\sigma(x) = \sigma x  % algebra")[0] == "proved"


def test_a_subscript_is_a_name_not_a_product(tmp_path):
    front = r"""
    symbols:
      - x, y, x_y \in \mathbb{R}
    """
    assert one_step(tmp_path, front, r"x_y = x y  % algebra")[0] == "failed"


AMBIGUOUS = [
    (r"\sqrt 16 = 4", "only its first digit"),
    (r"\frac123 = 1", "only its first digit"),
    (r"\exp x y = 1", "ambiguous"),
    (r"\log x y = 1", "ambiguous"),
    (r"\sin 2 x = 1", "ambiguous"),
    (r"x = 1e5", "a number right after a letter"),
    (r"a/b c = 1", "ambiguous division"),
    (r"2^-3 = 1", "superscript '-' alone"),
    (r"x^{2}_{1} = 1", "subscript"),
    (r"x! = 1", "factorials"),
    (r"\sigma(x) = 1", "not declared"),
    (r"\sqrt[0]{2} = x", "cannot read"),
    (r"0 = \frac{0}{0}", "cannot read"),
]


@pytest.mark.parametrize("step, message", AMBIGUOUS, ids=[a[0] for a in AMBIGUOUS])
def test_ambiguous_latex_is_an_error_not_a_guess(tmp_path, step, message):
    with pytest.raises(InputError, match=re.escape(message)) as info:
        one_step(tmp_path, READ_FRONT, step + "  % algebra")
    assert re.match(r"^t\.md:\d+:\d+: ", str(info.value).replace(str(tmp_path) + os.sep, ""))


HOSTILE_MATH = [
    r"\input{/etc/passwd} = 1",
    r"\write18{ls} = 1",
    r"^^5cinput = 1",
    r"\csname x\endcsname = 1",
    "x = " + "(" * 300 + "x" + ")" * 300,
    "x = " + "{" * 300 + "x" + "}" * 300,
    "x = " + "\\frac{1}{" * 200 + "x" + "}" * 200,
    "x = " + "x+" * 3000 + "x",
]


@pytest.mark.parametrize("step", HOSTILE_MATH, ids=[h[:24] for h in HOSTILE_MATH])
def test_hostile_math_is_a_one_line_error(tmp_path, step):
    with pytest.raises(InputError) as info:
        one_step(tmp_path, READ_FRONT, step + "  % algebra")
    assert "\n" not in str(info.value)


HOSTILE_NAMES = [r"w_{\input{x}}", r"w_{\csname x\endcsname}", r"\mathcal{\write}", r"w_{^^5c}",
                 r"\hat{\input}", r"w_{\}}"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_refused(tmp_path, name):
    with pytest.raises(InputError):
        load_file(write(tmp_path, f"symbols:\n  - {name} \\in \\mathbb{{R}}\n",
                        "## (a) A\n\n$$\n1 = 1  % algebra\n$$\n"))


def test_a_huge_power_in_a_step_ends_within_its_budget(tmp_path):
    start = time.monotonic()
    status, _ = one_step(tmp_path, READ_FRONT, r"10^{10^{10}} = 1  % algebra")
    assert status == "unknown"
    assert time.monotonic() - start < 6


def test_user_text_reaches_tex_escaped(tmp_path):
    path = tmp_path / "inj.md"
    path.write_text(textwrap.dedent(r"""
        ---
        title: "T \input{/etc/passwd} ^^5c \catcode"
        symbols:
          - x \in \mathbb{R}
        ---

        Intro \input{/etc/passwd} and `\write18{x}` and ^^5cinput.

        ## (a) Part \input{/etc/hostname} } {

        $$
        x = x \tag{\input x ^^5c}  % algebra: \input{/etc/passwd} ^^5c } \def\x{}
          = x  % algebra: plain
        $$

        Note \endinput }}}
        """).lstrip())
    out = tmp_path / "inj.tex"
    result = CliRunner().invoke(cli.main, ["render", str(path), "--to", "tex", "-o", str(out)])
    assert result.exit_code == 0, result.output
    tex = out.read_text()
    body = tex[tex.index("\\begin{document}"):]
    for bad in (r"\input{", r"\input x", r"\write18", "^^5c", r"\catcode", r"\endinput", r"\def\x"):
        assert bad not in body, bad


@pytest.mark.parametrize("math", [r"$\write18{ls}$", r"$x \operatorname{\input{a}}$"])
def test_commands_in_inline_math_are_refused(tmp_path, math):
    path = write(tmp_path, "symbols:\n  - x \\in \\mathbb{R}\n",
                 f"## (a) A\n\n$$\nx = x  % algebra: {math}\n$$\n")
    result = CliRunner().invoke(cli.main, ["check", str(path)])
    assert result.exit_code == 2
    assert "not allowed" in result.output or "expected letters" in result.output, result.output


BAD_FILES = {
    "not UTF-8": b"\xff\xfe\x00bad",
    "empty": b"",
    "a NUL byte": b"---\nsymbols:\n  - x \\in \\mathbb{R}\n---\n\n## (a) A\n$$\nx = x\x00 % algebra\n$$\n",
    "an unclosed block": b"---\nsymbols:\n  - x \\in \\mathbb{R}\n---\n\n## (a) A\n$$\nx = x % algebra\n",
    "a tab": b"---\nsymbols:\n\t- x \\in \\mathbb{R}\n---\n\n## (a) A\n$$\nx = x % algebra\n$$\n",
    "a 400 000 character line": (b"---\nsymbols:\n  - x \\in \\mathbb{R}\n---\n\n## (a) A\n$$\nx = "
                                 + b"x+" * 200000 + b"x % algebra\n$$\n"),
}


@pytest.mark.parametrize("what", list(BAD_FILES))
def test_bad_files_give_one_line_and_exit_2(tmp_path, what):
    path = tmp_path / "bad.md"
    path.write_bytes(BAD_FILES[what])
    result = CliRunner().invoke(cli.main, ["check", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("derive: error: "), result.output
    assert "Traceback" not in result.output


def test_new_never_overwrites(tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(cli.main, ["new", "mine"])
    assert first.exit_code == 0, first.output
    before = Path("mine.md").read_text()
    second = runner.invoke(cli.main, ["new", "mine"])
    assert second.exit_code == 2 and "not overwriting" in second.output
    assert Path("mine.md").read_text() == before
    assert runner.invoke(cli.main, ["check", "mine.md"]).exit_code == 0
