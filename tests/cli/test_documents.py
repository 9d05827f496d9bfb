"""`derive check` on plain documents: what cannot be read is one error line, the rest is checked."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import cli

GOOD = "\\[ (a + b)^2 = a^2 + 2ab + b^2 \\]\n"


def run(tmp_path, text, *args, name="notes.tex"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["check", "--no-cache", str(path), *args])
    return result, str(path)


def test_a_partly_unreadable_document_checks_the_rest(tmp_path):
    text = GOOD + "\\[ y = \\text{ReLU}(x) \\]\n$$ 2(x + 1) = 2x + 2 $$\n"
    result, path = run(tmp_path, text)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines()]
    assert errors == [f"derive: error: {path}:2:8: text inside math (`\\text{{ReLU}}`): expected "
                      "math; use \\operatorname{…} for a function name"]
    assert "2 steps: 2 proved" in result.stdout


def test_unreadable_parts_are_in_the_json(tmp_path):
    result, path = run(tmp_path, GOOD + "\\[ x = \\sum_i y_i \\]\n", "--json")
    data = json.loads(result.stdout)
    (derivation,) = data["derivations"]
    assert [(u["line"], u["column"]) for u in derivation["unreadable"]] == [(2, 8)]
    (step,) = derivation["steps"]
    assert (step["file"], step["line"], step["column"], step["justification"]) == (path, 1, 14, "auto")


NOTHING = [
    ("\\[ y = \\text{ReLU}(x) \\]\n", ":1:8: text inside math"),
    ("Only prose, $x$ inline.\n", ": no derivation steps found"),
    ("$$ a = b\n", ":1:1: this $$ is never closed: expected $$"),
]


@pytest.mark.parametrize("text,message", NOTHING)
def test_exit_2_only_when_nothing_could_be_read(tmp_path, text, message):
    result, path = run(tmp_path, text)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"derive: error: {path}{message}")


def test_a_markdown_document_without_front_matter(tmp_path):
    text = "# Facts\n\nLet $u := 2x$.\n\n$$u^2 = 4x^2$$\n\n```\n$$ 1 = 2 $$\n```\n"
    result, _ = run(tmp_path, text, name="facts.md")
    assert result.exit_code == 0, result.output
    assert "facts: Facts" in result.stdout and "1 step: 1 proved" in result.stdout


def test_a_failed_step_says_where_it_is(tmp_path):
    result, path = run(tmp_path, "\\begin{align*}\n  x^2 &= 2x\n\\end{align*}\n")
    assert result.exit_code == 1
    assert f"at {path}:2:8" in result.stdout
    assert "counterexample:" in result.stdout
