"""\\input and \\include are followed inside the document's directory only."""

from __future__ import annotations

import os

import pytest

from derive.checks import check_derivation
from derive.source import load_file, reads_other_files

from conftest import unreadable

MAIN = ("\\begin{document}\n\\[ (b + c)a = ab + ac \\]\n\\input{%s}\n"
        "\\[ (a - b)^2 = a^2 - 2ab + b^2 \\]\n\\end{document}\n")


@pytest.fixture
def folder(tmp_path):
    doc = tmp_path / "doc"
    (doc / "parts").mkdir(parents=True)
    (doc / "parts" / "one.tex").write_text("\\section{One}\n\\[ (x + 1)^2 = x^2 + 2x + 1 \\]\n")
    (tmp_path / "outside.tex").write_text("\\[ 1 = 2 \\]\n")
    return doc


def read(folder, name):
    main = folder / "main.tex"
    main.write_text(MAIN % name)
    return load_file(main)


@pytest.mark.parametrize("name", ["parts/one", "parts/one.tex", "./parts/one"])
def test_an_input_inside_the_directory_is_read_in_place(folder, name):
    derivation = read(folder, name)
    assert unreadable(derivation) == []
    assert [p.label for p in derivation.parts] == ["0", "1"]
    origins = [step.origin for _, step in derivation.steps()]
    assert [(os.path.basename(f), line) for f, line, _ in origins] == [
        ("main.tex", 2), ("one.tex", 2), ("main.tex", 4)]
    assert [r.verdict.status for r in check_derivation(derivation)] == ["proved"] * 3
    assert reads_other_files(folder / "main.tex")


REFUSED = [
    ("../outside", "leads outside the document's directory (by ..)"),
    ("/etc/hostname", "names a file outside the document's directory"),
    ("~/notes", "names a file outside the document's directory"),
    ("link", "leads outside the document's directory (through a symlink)"),
    ("parts/missing", "no file parts/missing or parts/missing.tex next to the document"),
    ("main", "includes a file that is already being read (a cycle)"),
]


@pytest.mark.parametrize("name,message", REFUSED)
def test_an_input_outside_is_refused_and_the_rest_is_read(folder, name, message):
    (folder / "link.tex").symlink_to(folder.parent / "outside.tex")
    derivation = read(folder, name)
    (line, col, got), = unreadable(derivation)
    assert (line, col) == (3, 8) and message in got
    assert len(list(derivation.steps())) == 2            # the 1 = 2 outside was never read


def test_a_symlink_that_stays_inside_is_followed(folder):
    (folder / "alias.tex").symlink_to(folder / "parts" / "one.tex")
    assert unreadable(read(folder, "alias")) == []
