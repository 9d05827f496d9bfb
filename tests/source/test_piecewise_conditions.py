"""A cases piece's condition joined by 'or' or 'and' (∨, ∧, a comma, in words), read and checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sympy import And, Gt, Lt, Or, Piecewise, true
from sympy.core.relational import Relational

from derive.checks import check_derivation
from derive.errors import InputError
from derive.expressions import rebuild
from derive.plaintext import TextPrinter
from derive.source import load_text
from derive.source.latex import parse_expr
from derive.source.text import Text, Where
from test_parser import make_scope

ROOT = Path(__file__).resolve().parents[2]
SCOPE = make_scope({"symbols": [r"x, y \in \mathbb{R}"]})
x, y = SCOPE.symbols["x"], SCOPE.symbols["y"]
OUTSIDE = Or(Lt(x, -1), Gt(x, 1))
INSIDE = And(Gt(x, -1), Lt(x, 1))


def condition(src: str):
    """The condition of the first piece of {0 if src; 1 otherwise}."""
    got = parse_expr(Text.at(r"\begin{cases} 0 & %s \\ 1 & \text{otherwise} \end{cases}" % src,
                             1, 1), SCOPE, Where("t.md"))
    assert isinstance(got, Piecewise) and got.args[1][1] == true, got
    return canonical(rebuild(got.args[0][1]))


def canonical(cond):
    """-1 < x as x > -1: the same relation, whichever way round it was written."""
    return cond.xreplace({r: r.canonical for r in cond.atoms(Relational)})


READINGS = [
    (r"x < -1 \lor x > 1", OUTSIDE),
    (r"x < -1 \vee x > 1", OUTSIDE),
    (r"x < -1 ∨ x > 1", OUTSIDE),
    (r"x < -1 \text{ or } x > 1", OUTSIDE),
    (r"x < -1 \text{or} x > 1", OUTSIDE),
    (r"x < -1 \mbox{ or } x > 1", OUTSIDE),
    (r"x < -1, \text{ or } x > 1", OUTSIDE),
    (r"\text{if } x < -1 \text{ or } x > 1", OUTSIDE),
    (r"\text{for } x < -1 \text{ or if } x > 1", OUTSIDE),
    (r"\left(x < -1 \lor x > 1\right).", OUTSIDE),
    (r"x > -1 \land x < 1", INSIDE),
    (r"x > -1 \wedge x < 1", INSIDE),
    (r"x > -1 ∧ x < 1", INSIDE),
    (r"x > -1 \text{ and } x < 1", INSIDE),
    (r"x > -1, x < 1", INSIDE),
    (r"\text{if } x > -1,\ x < 1,", INSIDE),
    (r"x < -1 \lor 0 < x < 1", Or(Lt(x, -1), And(Gt(x, 0), Lt(x, 1)))),
    (r"(x < -1 \lor x > 1) \land y > 0", And(OUTSIDE, Gt(y, 0))),
    (r"y > 0, (x < -1 \text{ or } x > 1)", And(OUTSIDE, Gt(y, 0))),
    (r"x > 1 \lor x > -1", Or(Gt(x, 1), Gt(x, -1))),
]


@pytest.mark.parametrize("src,want", READINGS, ids=[r[0] for r in READINGS])
def test_a_condition_reads_as_and_or(src, want):
    assert condition(src) == canonical(want)


ERRORS = [
    (r"x < -1 \lor", 26, r"expected a condition on each side of 'or' in `x < -1 \\lor`"),
    (r"\lor x > 1", 19, r"expected a condition on each side of 'or'"),
    (r"x > -1 \land \land x < 1", 26, r"expected a condition on each side of 'and'"),
    # 'x < -1 or x > 1, y > 0' reads two ways: refused, not guessed
    (r"x < -1 \lor x > 1 \land y > 0", 37, r".* joins conditions by both 'and' and 'or': put "
     r"parentheses around the ones that go together"),
    (r"x < -1 \text{ or } x > 1, y > 0", 43, r".* joins conditions by both 'and' and 'or'"),
    (r"x \lor y > 0", 19, r"expected a relation \(=, <, \\le, …\) in `x`"),
    (r"\text{if } x < -1 \text{ or }", 37, r"expected a condition on each side of 'or'"),
]


@pytest.mark.parametrize("src,col,message", ERRORS, ids=[e[0] for e in ERRORS])
def test_a_malformed_condition_is_one_error_at_its_place(src, col, message):
    with pytest.raises(InputError, match=f"^t.md:1:{col}: {message}"):
        condition(src)


FILE = r"""---
symbols:
  - x \in \mathbb{R}
functions:
  - f(x) = \begin{cases} 0 & x < -1 \lor x > 1 \\ 1 - x^2 & \text{otherwise} \end{cases}
  - h(x) = \begin{cases} 1 - x^2 & x > -1 \text{ and } x < 1 \\ 0 & \text{otherwise} \end{cases}
---
## (a) A
$$
%s
$$
"""
DOCUMENT = r"""\[ f(x) := \begin{cases} 0 & \text{if } x < -1 \text{ or } x > 1, \\
  1 - x^2 & \text{otherwise.} \end{cases} \]
\[ h(x) := \begin{cases} 1 - x^2 & x > -1, x < 1 \\ 0 & \text{otherwise} \end{cases} \]
%s
"""
# (step, % justification, expected): each wrong variant (the other branch, the condition's
# sign turned) must fail; a derivative across a kink must not be proved.
VERDICTS = [
    (r"f(2) = 0", "algebra", "proved"),
    (r"f(-3) = 0", "algebra", "proved"),                 # the other side of the 'or'
    (r"f(0) = 1", "algebra", "proved"),
    (r"f(0) = 0", "algebra", "failed"),                  # the first branch, where it is not
    (r"f(2) = -3", "algebra", "failed"),                 # the second branch, where it is not
    (r"f(x) = 0", "case for x > 1", "proved"),
    (r"f(x) = 0", "case for x < -1", "proved"),
    (r"f(x) = 0", "case for x < 1", "failed"),           # the condition's sign turned
    (r"f(x) = 1 - x^2", "case for x > 1", "failed"),
    (r"\frac{d}{dx} f(x) = 0", "derivative for x > 1", "proved"),
    (r"\frac{d}{dx} f(x) = 0", "derivative for x < -1", "proved"),
    (r"\frac{d}{dx} f(x) = -2x", "derivative for x > 1", "failed"),
    (r"\frac{d}{dx} f(x) = 2x", "derivative for x > 0, x < 1", "failed"),
    (r"\frac{d}{dx} f(x) = 0", "derivative", "failed"),  # no case: wrong inside (-1, 1)
    (r"h(0) = 1", "algebra", "proved"),
    (r"h(2) = 0", "algebra", "proved"),
    (r"h(2) = -3", "algebra", "failed"),
    (r"h(1/2) = 0", "algebra", "failed"),
]


def _check(derivation):
    results = check_derivation(derivation)
    for r in results:
        if r.verdict.status == "failed":     # every ✗ shows its point or its reason
            assert r.verdict.counterexample or r.verdict.reason, r
    return [r.verdict.status for r in results]


def test_steps_through_an_or_piece_get_their_verdicts_in_a_derivation_file():
    lines = "\n".join(f"{step}   % {why}" for step, why, _ in VERDICTS)
    assert _check(load_text(FILE % lines, "t.md")) == [want for *_, want in VERDICTS]


def test_steps_through_an_or_piece_get_their_verdicts_in_a_document():
    rows = [(s, w) for s, w, _ in VERDICTS if w == "algebra"]
    displays = "\n".join(r"\[ %s \]" % s for s, _ in rows)
    derivation = load_text(DOCUMENT % displays, "notes.tex")
    assert not dict(derivation.extra).get("unreadable")
    assert _check(derivation) == [want for s, w, want in VERDICTS if w == "algebra"]


def test_a_derivative_across_the_kinks_is_never_proved():
    """Inside (-1, 1) the step is true but the kinks at ±1 are the case's edges: the kernel
    may prove it or not, but never refute it."""
    step = r"\frac{d}{dx} f(x) = -2x   % derivative for x > -1, x < 1"
    (status,) = _check(load_text(FILE % step, "t.md"))
    assert status != "failed"


def test_the_condition_prints_in_words():
    shown = TextPrinter().doprint(Piecewise((0, OUTSIDE & Gt(y, 0)), (1, True)))
    assert shown in ("{0 if y > 0 and (x > 1 or x < -1); 1 if True}",
                     "{0 if (x > 1 or x < -1) and y > 0; 1 if True}"), shown


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name,text,where", [
    ("bad.md", FILE.replace(r"x < -1 \lor x > 1", r"x < -1 \lor \lor x > 1") % "f(2) = 0 % algebra",
     "5:37"),
    ("bad.tex", r"\[ f(x) = \begin{cases} 0 & x < -1 \text{ or } \\ 1 & \text{otherwise} \end{cases} \]",
     "1:36"),
])
def test_cli_says_one_line_with_file_line_column_and_exits_2(tmp_path, name, text, where):
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    proc = run_cli("check", str(path), cwd=tmp_path)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert len(lines) == 1 and lines[0].startswith(f"derive: error: {path}:{where}: expected a "
                                                   "condition on each side of 'or'"), lines
