"""`derive render` without TeX: what it writes, its exit codes, its one-line errors."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from sympy import Gt

import cli
from derive.build import Builder, why
from derive.model import Derivation
from derive.prose import load_prose


def wrong():
    """One proved step and one wrong one."""
    b = Builder("q9", "Question 9: a wrong step")
    x = b.var("x", lower=0)
    b.part("a", "Right, then wrong")
    b.step(x**2 + 2 * x + 1, "=", (x + 1)**2, why("algebra", "a square"))
    b.step((x + 1)**2, "=", x**2 + 1, why("algebra", "forgot the middle term"), when=[Gt(x, 0)])
    return b.build(source="q9.py")


def right():
    b = Builder("q8", "Question 8: a right step")
    x = b.var("x", lower=0)
    b.part("a", "Right")
    b.step(x**2 + 2 * x + 1, "=", (x + 1)**2, why("algebra", "a square"))
    return b.build(source="q8.py")


@pytest.fixture
def serve(monkeypatch, tmp_path):
    """`derive render TARGET` sees these derivations; runs in an empty directory."""
    monkeypatch.chdir(tmp_path)

    def use(*derivations):
        monkeypatch.setattr("derive.targets.plan", lambda targets: list(derivations))
    return use


def prose(tmp_path, text, name="q1.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_prose(path, path.stem)


def invoke(*args):
    return CliRunner().invoke(cli.main, list(args))


def test_a_failed_step_is_typeset_and_the_exit_status_is_1(serve, tmp_path):
    serve(wrong())
    result = invoke("render", "all", "--to", "tex")
    assert result.exit_code == 1, result.output
    # The check's summary and the failed step come first, then what was written.
    assert re.fullmatch(r"q9: .*\n✗ a\.2 .*\n(      .*\n)+2 steps: 1 proved, 1 failed in [\d.]+ s\n"
                        r"wrote solutions.tex\n", result.output)
    source = (tmp_path / "solutions.tex").read_text()
    assert r"\stepnote{\markfailed}{forgot the middle term}" in source
    assert r"\stepremark{badred}{9.2}{\markfailed}{failed: " in source
    assert r"\hyperref[q:q9]{Question 9} & 1 & 0 & 0 & 1 & 0 & 2\\" in source


def test_markdown_target(serve, tmp_path):
    serve(prose(tmp_path, "# Question 1: words\nCosts \\$5, 100% & _more_.\n"), right())
    result = invoke("render", "all", "--to", "md")
    assert result.exit_code == 0
    assert re.fullmatch(r"1 step: 1 proved in [\d.]+ s\nwrote solutions.md\n", result.output)
    md = (tmp_path / "solutions.md").read_text()
    assert "## Question 1: Words\n\nCosts \\$5, 100% & _more_.\n" in md
    assert "| (8.1) | ✓ | a square |" in md


def test_without_tex_the_tex_and_markdown_are_written_and_one_line_says_how(serve, tmp_path, monkeypatch):
    monkeypatch.setattr("derive.tex.have_tex", lambda: False)
    serve(right())
    result = CliRunner().invoke(cli.main, ["render", "all"])
    assert result.exit_code == 0
    assert re.fullmatch(r"1 step: 1 proved in [\d.]+ s\nwrote solutions.tex\nwrote solutions.md\n",
                        result.stdout)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("no TeX found")
    assert "apt-get install" in result.stderr
    assert not (tmp_path / "solutions.pdf").exists()


def test_bad_math_is_one_line_exit_2_and_nothing_written_is_lost(serve, tmp_path):
    (tmp_path / "solutions.tex").write_text("the previous document")
    # A derivation whose prose slipped past loading (built in Python, say).
    serve(Derivation("q1", "Question 1: fine", (), kind="prose", prose="Bad $\\input{/etc/passwd}$.",
                     source=str(tmp_path / "q1.md")))
    result = invoke("render", "all", "--to", "tex")
    assert result.exit_code == 2
    assert result.output == f"derive: error: {tmp_path / 'q1.md'}: the text: \\input is not allowed in math\n"
    assert (tmp_path / "solutions.tex").read_text() == "the previous document"


def test_an_unwritable_output_is_one_line_exit_2(serve, tmp_path):
    serve(right())
    (tmp_path / "afile").write_text("")
    result = invoke("render", "all", "--to", "tex", "-o", "afile/out.tex")
    assert result.exit_code == 2
    assert result.output.startswith("derive: error: cannot write afile/out.tex: afile is not a directory")
    assert result.output.count("\n") == 1


def test_an_unknown_target_is_one_line_exit_2(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = invoke("render", "q404")
    assert result.exit_code == 2
    assert result.output.startswith("derive: error: unknown derivation 'q404' (did you mean q4?); known: ")
    assert result.output.count("\n") == 1
