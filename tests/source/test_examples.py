"""The example derivation files: verdicts as documented, Q6 equal to the Python version,
wrong variants of their steps failed, and the command line around them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.checks import check_derivation, check_step
from derive.expressions import rebuild
from derive.catalog import load
from derive.source import load_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def statuses(derivation):
    return {f"{r.part.label}.{r.index}": r.verdict.status for r in check_derivation(derivation)}


def verdicts(derivation):
    return {f"{r.part.label}.{r.index}": r.verdict for r in check_derivation(derivation)}


# -- question 6: the file means what solutions/q6.py means, and gets the same verdicts --------

@pytest.fixture(scope="module")
def q6_pair():
    return load_file(EXAMPLES / "q6.md"), load("q6")


def test_q6_file_has_the_python_versions_steps(q6_pair):
    file, python = q6_pair
    assert [p.label for p in file.parts] == [p.label for p in python.parts]
    assert [set(p.when) for p in file.parts] == [set(p.when) for p in python.parts]
    ours = [s for p in file.parts for s in p.steps]
    theirs = [s for p in python.parts for s in p.steps]
    assert len(ours) == len(theirs) == 25

    def same(a, b):
        return (a is None and b is None) or (a is not None and b is not None and rebuild(a) == rebuild(b))

    for n, (a, b) in enumerate(zip(ours, theirs), start=1):
        assert a.rel == b.rel and a.why.kind == b.why.kind, n
        assert same(a.lhs, b.lhs) and same(a.rhs, b.rhs), n
        assert set(a.when) == set(b.when), n


def test_q6_file_verdicts_equal_the_python_versions_step_for_step(q6_pair):
    file, python = q6_pair
    ours, theirs = statuses(file), statuses(python)
    assert list(ours) == list(theirs)
    assert ours == theirs
    assert set(ours.values()) == {"proved"}


# -- the other examples: what their documentation says -------------------------------------

EXPECTED = {
    "logistic-regression.md": {f"{p}.{i}": "proved" for p, i in
                               [("a", n) for n in range(1, 9)] + [("b", n) for n in range(9, 14)]},
    "tanh-sigmoid.md": {f"{p}.{i}": "proved" for p, i in
                        [("a", n) for n in range(1, 5)] + [("b", n) for n in range(5, 9)]},
    "deliberate-error.md": {"a.1": "proved", "a.2": "proved", "a.3": "failed",
                            "b.4": "proved", "b.5": "failed"},
    # the descent inequality at each step, summed; b.4 loses the factor 2 on purpose
    "descent-summed.md": {"a.1": "proved", "a.2": "proved", "b.3": "proved", "b.4": "failed"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_verdicts(name):
    assert statuses(load_file(EXAMPLES / name)) == EXPECTED[name]


def test_deliberate_errors_carry_counterexamples():
    got = verdicts(load_file(EXAMPLES / "deliberate-error.md"))
    for label in ("a.3", "b.5"):
        v = got[label]
        assert v.status == "failed" and v.counterexample, label
        assert {"lhs", "rhs"} <= set(v.counterexample)


def test_descent_lemma():
    got = statuses(load_file(EXAMPLES / "descent-lemma.md"))
    assert got["a.1"] == "cited"             # an instance of the smoothness hypothesis
    assert got["a.2"] == got["a.3"] == "proved"
    # The last step's remainder (η/2 − Lη²/2)·‖∇f(x)‖² is ≥ 0 because
    # η/2 − Lη²/2 = (1 − Lη)·η/2 and the hypothesis η·L ≤ 1.
    assert got["a.4"] == "proved"


def test_descent_lemma_needs_its_step_size_hypothesis(tmp_path):
    text = (EXAMPLES / "descent-lemma.md").read_text(encoding="utf-8")
    weaker = text.replace(r"step: \eta L \le 1", r"step: \eta L \le 2")
    assert weaker != text
    path = tmp_path / "descent-lemma.md"
    path.write_text(weaker, encoding="utf-8")
    assert statuses(load_file(path))["a.4"] in ("unknown", "failed")


# -- mutation: a wrong variant of a step comes out failed -------------------------------------

MUTATIONS = [
    ("q6.md", r"\frac{\partial \ell}{\partial \hat y} = -\frac{y}{\hat y} + \frac{1 - y}{1 - \hat y}",
     r"\frac{\partial \ell}{\partial \hat y} = -\frac{y}{\hat y} - \frac{1 - y}{1 - \hat y}", "a.2"),
    ("q6.md", r"= \hat y (1 - \hat y)  ", r"= \hat y (1 + \hat y)  ", "a.4"),
    ("q6.md", r"= (\hat y - y)\, 2vx ", r"= (y - \hat y)\, 2vx ", "a.8"),
    ("q6.md", r"= 4v^2x^2\, \hat y (1 - \hat y) + 2x(\hat y - y)  ",
     r"= 4v^2x^2\, \hat y (1 - \hat y) + x(\hat y - y)  ", "b.15"),
    ("q6.md", r"= 2x\left(\frac{1}{2} - y\right)", r"= 2x\left(\frac{1}{3} - y\right)", "c.16"),
    ("q6.md", r"= x(1 - 2y) ", r"= x(1 + 2y) ", "c.17"),
    ("q6.md", r"= 4v^2x^2\, y (1 - y)", r"= 4v^2x^2\, y (1 + y)", "c.24"),
    ("logistic-regression.md", r"= (p - y)\, x ", r"= (y - p)\, x ", "a.7"),
    ("logistic-regression.md", r"\frac{\partial \ell}{\partial b} = p - y", r"\frac{\partial \ell}{\partial b} = p + y", "a.8"),
    ("logistic-regression.md", r"= x^2\, p (1 - p) ", r"= x\, p (1 - p) ", "b.11"),
    ("tanh-sigmoid.md", r"= 2\sigma(2z) - 1 ", r"= 2\sigma(z) - 1 ", "a.4"),
    ("tanh-sigmoid.md", r"= 1 - \bigl(2\sigma(2z) - 1\bigr)^2", r"= 1 + \bigl(2\sigma(2z) - 1\bigr)^2", "b.7"),
    ("descent-lemma.md", r"+ \frac{L \eta^2}{2} \|\nabla f(x)\|^2", r"+ \frac{L \eta^2}{4} \|\nabla f(x)\|^2", "a.2"),
    ("descent-lemma.md", r"\langle \nabla f(x), x^+ - x \rangle + \frac{L}{2} \|x^+ - x\|^2",
     r"\langle \nabla f(x), x^+ - x \rangle + \frac{L}{4} \|x^+ - x\|^2", "a.1"),
]


def step_verdict(derivation, label):
    """The verdict of one step, its chain resolved as `derive check` does (only it is checked)."""
    for link in derivation.links():
        if f"{link.part.label}.{link.index}" == label:
            return check_step(derivation, link)
    raise KeyError(label)


@pytest.mark.parametrize("name,old,new,label", MUTATIONS, ids=[f"{m[0]}:{m[3]}" for m in MUTATIONS])
def test_mutated_step_fails(tmp_path, name, old, new, label):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the mutation must hit exactly one place: {old}"
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    original = step_verdict(load_file(EXAMPLES / name), label)
    assert original.status in ("proved", "cited"), original
    mutated = step_verdict(load_file(path), label)
    assert mutated.status == "failed", (label, mutated)
    assert mutated.reason


# -- the command line ------------------------------------------------------------------------

def cli():
    sys.path.insert(0, str(ROOT))
    import cli as module
    return module.main


def test_check_exit_status():
    runner = CliRunner()
    ok = runner.invoke(cli(), ["check", str(EXAMPLES / "tanh-sigmoid.md")])
    assert ok.exit_code == 0, ok.output
    assert "8 steps: 8 proved" in ok.output
    bad = runner.invoke(cli(), ["check", str(EXAMPLES / "deliberate-error.md")])
    assert bad.exit_code == 1 and "counterexample" in bad.output


def test_list_includes_files_given():
    result = CliRunner().invoke(cli(), ["list", str(EXAMPLES / "q6.md"), str(EXAMPLES / "tanh-sigmoid.md")])
    assert result.exit_code == 0, result.output
    assert "q6-file" in result.output and "25 steps" in result.output
    assert "tanh-sigmoid" in result.output and "8 steps" in result.output


def test_render_a_file_to_tex(tmp_path):
    out = tmp_path / "tanh.tex"
    result = CliRunner().invoke(cli(), ["render", str(EXAMPLES / "tanh-sigmoid.md"), "--to", "tex",
                                        "-o", str(out)])
    assert result.exit_code == 0, result.output
    tex = out.read_text(encoding="utf-8")
    assert r"\sigma" in tex and r"\tanh" in tex


def test_new_writes_a_checkable_file_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli(), ["new", "mine"])
    assert first.exit_code == 0, first.output
    path = tmp_path / "mine.md"
    assert statuses(load_file(path)) == {"a.1": "proved", "a.2": "proved"}
    before = path.read_text(encoding="utf-8")
    again = runner.invoke(cli(), ["new", "mine.md"])
    assert again.exit_code == 2
    assert again.output.strip() == "derive: error: mine.md already exists; not overwriting it"
    assert path.read_text(encoding="utf-8") == before


def test_help_and_check_all_do_not_import_the_latex_parser():
    code = ("import sys; sys.argv=['derive', '--help']\nimport cli\n"
            "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "print('MODS', sorted(m for m in sys.modules if m.startswith(('latex2sympy2', 'sympy', "
            "'derive.source'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "MODS []" in out.stdout, out.stdout + out.stderr
    code = ("import sys; sys.path.insert(0, '.')\n"
            "from derive.targets import resolve\nresolve(['all'])\n"
            "print('MODS', sorted(m for m in sys.modules if m.startswith(('latex2sympy2', 'derive.source'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "MODS []" in out.stdout, out.stdout + out.stderr


def test_the_documented_example_is_true(tmp_path):
    doc = (ROOT / "docs" / "derivation-files.md").read_text(encoding="utf-8")
    block = doc.split("```markdown\n", 1)[1].split("\n```\n", 1)[0]
    path = tmp_path / "doc-example.md"
    path.write_text(block + "\n", encoding="utf-8")
    got = statuses(load_file(path))
    assert len(got) == 12 and set(got.values()) == {"proved"}, got
