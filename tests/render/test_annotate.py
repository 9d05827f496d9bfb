"""`derive render notes.tex`: the author's own document with a mark beside each checked step."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from derive.annotate import annotate
from derive.checks import check_derivation
from derive.source import load_file

DOCUMENTS = Path(__file__).resolve().parents[1] / "source" / "documents"
HAVE_TEX = shutil.which("latexmk") is not None and shutil.which("pdftotext") is not None

DOC = r"""\documentclass{article}
\usepackage{amsmath}
\begin{document}
\section{Two steps}
\begin{align*}
  (a + b)^2 &= a^2 + 2ab + b^2 \\
            &= a^2 + b^2 % wrong
\end{align*}
\input{part}
\input{../outside}
\includegraphics{figure}
\end{document}
"""


@pytest.fixture
def document(tmp_path):
    folder = tmp_path / "doc"
    folder.mkdir()
    (folder / "part.tex").write_text("\\[ (x + 1)x = x^2 + x \\]\n")
    (folder / "figure.png").write_bytes(b"\x89PNG not really")
    (tmp_path / "outside.tex").write_text("\\[ 1 = 2 \\]\n")
    path = folder / "notes.tex"
    path.write_text(DOC)
    derivation = load_file(path)
    return path, derivation, check_derivation(derivation)


def test_the_copy_is_the_authors_text_with_marks(document):
    path, derivation, results = document
    before = path.read_bytes()
    annotated = annotate(path, results, dict(derivation.latex_names))
    assert path.read_bytes() == before
    body = annotated.source.split("% ---- end of what derive added ----\n", 1)[1]
    # Each step's mark sits just before its relation; nothing else of the author's changed.
    assert "(a + b)^2 &\\derivemark{1}= a^2 + 2ab + b^2" in body
    assert "&\\derivemark{2}= a^2 + b^2 % wrong" in body
    assert "\\[ (x + 1)x \\derivemark{3}= x^2 + x \\]" in body           # \input inlined
    assert re.sub(r"\\derivemark\{\d\}", "", body).startswith("\\begin{document}\n\\section")
    assert "% derive: not included: \\input{../outside} leads outside" in body
    assert annotated.files == {"figure.png": b"\x89PNG not really"}


def test_each_line_of_the_copy_knows_the_authors_file_and_line(document):
    path, derivation, results = document
    annotated = annotate(path, results, dict(derivation.latex_names))
    lines = annotated.source.splitlines()
    assert len(annotated.origins) == len(lines)
    where = dict(zip(lines, annotated.origins))
    assert where["\\documentclass{article}"] == (str(path), 1)
    assert where["% ---- end of what derive added ----"] is None        # derive's own lines
    assert where["\\begin{document}"] == (str(path), 3)
    assert where["            &\\derivemark{2}= a^2 + b^2 % wrong"] == (str(path), 7)
    assert where["\\[ (x + 1)x \\derivemark{3}= x^2 + x \\]"][1] == 1   # line 1 of part.tex
    assert where["\\[ (x + 1)x \\derivemark{3}= x^2 + x \\]"][0].endswith("part.tex")
    assert where["\\end{document}"] == (str(path), 12)


def test_the_marks_and_notes(document):
    path, derivation, results = document
    source = annotate(path, results, dict(derivation.latex_names)).source
    assert "\\def\\derive@total{3}" in source
    assert "\\derive@def{1}{\\derivemarkproved}{}" in source
    (note,) = re.findall(r"\\derive@def\{2\}\{\\derivemarkfailed\}\{(.*)\}$", source, re.M)
    assert note.startswith("the two sides differ. At $a = ")
    assert re.search(r"\$b = -?[\d.]+\$: lhs \$-?[\d.]+\$, rhs \$-?[\d.]+\$", note)


def test_render_writes_the_copy_never_the_document(document, monkeypatch):
    path, _, _ = document
    monkeypatch.chdir(path.parent)
    before = path.read_bytes()
    result = CliRunner().invoke(cli.main, ["render", "notes.tex", "--to", "tex", "--no-cache"])
    assert result.exit_code == 1, result.output
    # The failed step and the summary come first, then what was written.
    assert re.search(r"^✗ .*\n(.*\n)*\d+ steps: .*failed.*\nwrote notes\.checked\.tex\n\Z",
                     result.stdout, re.M)
    assert path.read_bytes() == before
    refused = CliRunner().invoke(cli.main, ["render", "notes.tex", "--to", "tex", "-o", "notes.tex"])
    assert refused.exit_code == 2
    assert "that is the document being annotated" in refused.stderr
    assert path.read_bytes() == before
    # A PDF named like the document would need its .tex beside it: the message says so.
    refused = CliRunner().invoke(cli.main, ["render", "notes.tex", "-o", "notes.pdf"])
    assert refused.exit_code == 2
    assert "(-o notes.pdf writes notes.tex beside the PDF)" in refused.stderr, refused.stderr
    assert path.read_bytes() == before


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_TEX, reason="needs latexmk and poppler-utils")
def test_the_annotated_pdf(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(DOCUMENTS / "notes-wrong.tex", tmp_path / "notes.tex")
    result = CliRunner().invoke(cli.main, ["render", "notes.tex", "--no-cache"])
    assert result.exit_code == 1, result.output
    text = subprocess.run(["pdftotext", "notes.checked.pdf", "-"], capture_output=True,
                          text=True, check=True).stdout
    text = " ".join(text.split())
    # The author's own text and layout, with the nine failed steps' notes in the margin.
    assert "Notes for week 3: estimators and losses" in text
    assert text.count("the two sides differ") == 7
    assert "the inequality >= breaks" in text
    assert os.path.getsize("notes.checked.pdf") > 10_000


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_TEX, reason="needs latexmk and poppler-utils")
def test_what_the_copy_would_read_outside_its_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.tex").write_text("\\documentclass{article}\n\\begin{document}\n"
                                    "\\[ (a+b)^2 = a^2 + 2ab + b^2 \\]\n\\input /etc/hostname\n"
                                    "\\end{document}\n")
    result = CliRunner().invoke(cli.main, ["render", "n.tex", "--no-cache"])
    assert result.exit_code == 2
    assert "I can't find file `/etc/hostname'" in result.stderr
    assert not (tmp_path / "n.checked.pdf").exists()


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_TEX, reason="needs latexmk and poppler-utils")
def test_a_tex_error_is_told_at_the_authors_file_and_line(tmp_path, monkeypatch):
    # It was told at the annotated copy's line (74 for line 5), which the author never sees.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.tex").write_text("\\documentclass{article}\n\\begin{document}\n"
                                    "\\[ (a+b)^2 = a^2 + 2ab + b^2 \\]\n\\input{sec}\n"
                                    "\\end{document}\n")
    (tmp_path / "sec.tex").write_text("Fine.\n\\[ a \\cdot 1 = a \\]\nBad \\foobar{} here.\n")
    result = CliRunner().invoke(cli.main, ["render", "n.tex", "--no-cache"])
    assert result.exit_code == 2
    assert "sec.tex:3: LaTeX error: Undefined control sequence. — in: Bad \\foobar{} here." \
        in result.stderr, result.stderr
    (tmp_path / "sec.tex").write_text("Fine.\n\\[ a \\cdot 1 \\oops = a \\]\n")
    result = CliRunner().invoke(cli.main, ["render", "n.tex", "--no-cache"])
    assert result.exit_code == 2
    # The author's line as written, without the mark derive put before its relation.
    assert "sec.tex:2: LaTeX error: Undefined control sequence. — in: \\[ a \\cdot 1 \\oops = a \\]" \
        in result.stderr, result.stderr


# --------------------------------------------------------------------------- math not read

UNREAD = r"""\documentclass{article}
\usepackage{amsmath}
\begin{document}
\[ (a + b)^2 = a^2 + 2ab + b^2 \]
\[ x \mathbin{\diamond} y = q \]
\begin{align*}
  c &= \left< c \right> \mathbin{\diamond} 1
\end{align*}
\end{document}
"""


def _unread(derivation):
    from derive.report import unreadable
    return [(u["file"], u["line"], u["column"], u["message"]) for u in unreadable(derivation)]


def test_math_not_read_is_marked_before_its_lines_first_relation(tmp_path):
    """A mark (∅) and a note 'not read: why' where the math stands; placed before the line's
    first relation outside braces, as a step's mark, never at the reader's column (which may
    sit inside an argument), and left out where the line has no such relation."""
    path = tmp_path / "notes.tex"
    path.write_text(UNREAD)
    derivation = load_file(path)
    unread = _unread(derivation)
    assert [u[1] for u in unread] == [5, 7]
    source = annotate(path, check_derivation(derivation), dict(derivation.latex_names), unread).source
    body = source.split("% ---- end of what derive added ----\n", 1)[1]
    assert "\\[ (a + b)^2 \\derivemark{1}= a^2 + 2ab + b^2 \\]" in body
    assert re.search(r"\\\[ x \\mathbin\{\\diamond\} y \\derivemark\{\d\}= q \\\]", body)
    # Before the line's first relation; ⟨ after \left is no relation.
    assert re.search(r"c &\\derivemark\{\d\}= \\left< c \\right> \\mathbin", body)
    marks = dict(re.findall(r"\\derive@def\{(\d)\}\{([^{}]*)\}", source))
    assert marks == {"1": "\\derivemarkproved", "2": "\\derivemarkunread", "3": "\\derivemarkunread"}
    notes = re.findall(r"\\derivemarkunread\}\{(.*)\}$", source, re.M)
    assert len(notes) == 2 and all(n.startswith("not read: ") for n in notes)
    assert "{\\textbackslash}diamond" in notes[0]                    # escaped, as every note


@pytest.mark.parametrize("line, column", [
    (r"x \mathbin{\diamond} y = q", 24), (r"\frac{a = b}{2} \le 3", 17),
    (r"\left< x \right> = 1", 18), (r"\frac{u}{v \diamond", None), (r"a \% b = c", 8),
    (r"% a = b", None), (r"\leftarrow x", None), (r"\text{if } x > 0", 14)])
def test_where_a_mark_of_math_not_read_may_stand(line, column):
    from derive.annotate import _relation_column
    assert _relation_column(line) == column


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_TEX, reason="needs latexmk and poppler-utils")
def test_the_annotated_pdf_says_what_was_not_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.tex").write_text(UNREAD)
    result = CliRunner().invoke(cli.main, ["render", "notes.tex", "--no-cache"])
    assert result.exit_code == 1, result.output
    text = " ".join(subprocess.run(["pdftotext", "notes.checked.pdf", "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert text.count("not read:") == 2 and "∅" in text
