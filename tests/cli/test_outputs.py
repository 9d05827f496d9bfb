"""Where `derive render` writes (derive.outputs.plan): names, the annotated form, refusals."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from derive.errors import InputError
from derive.outputs import check_parent, plan


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("notes.md", "notes.tex"):
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("target, fmt, output, out, annotated", [
    ("all", "pdf", None, "solutions.pdf", False),
    ("q6", "tex", None, "q6.tex", False),
    ("notes.md", "md", "out/n.md", "out/n.md", False),
    ("notes.tex", "pdf", None, "notes.checked.pdf", True),
    ("notes.tex", "tex", "marked.tex", "marked.tex", True),
    ("notes.tex", "md", None, "notes.md", False),      # Markdown is never the annotated form
])
def test_what_a_render_writes(here, target, fmt, output, out, annotated):
    p = plan(target, fmt, output, [SimpleNamespace(source=target)])
    assert (p.out, p.annotated) == (Path(out), annotated)


def test_an_output_naming_the_derivation_is_refused(here):
    with pytest.raises(InputError, match=r"^notes\.md: that is the derivation being rendered; "
                                         r"choose another -o$"):
        plan("notes.md", "md", "notes.md", [SimpleNamespace(source="notes.md")])


@pytest.mark.parametrize("output, problem", [
    ("no/such/x.pdf", "no/such does not exist"),
    ("notes.md/x.pdf", "notes.md is not a directory"),
])
def test_an_output_whose_directory_is_missing_is_refused(here, output, problem):
    with pytest.raises(InputError, match=f"^cannot write {output}: {problem}$"):
        check_parent(Path(output))
    check_parent(Path("x.pdf"))
