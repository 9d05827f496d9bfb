"""What a derivation assumes throughout is typeset before its parts (a ✓ holds under it): its
assumptions, its facts about sums, and each assumption at an index with the index's range,
in LaTeX, the PDF and GitHub Markdown, printed by our printer; nothing when there is none."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from derive.checks import check_derivation
from derive.render import render_md, render_tex
from derive.source import load_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def rendered(name, to):
    d = load_file(EXAMPLES / name)
    return (render_md if to == "md" else render_tex)([(d, check_derivation(d))], title="T")


def test_markdown_states_the_assumptions_with_the_index_range():
    text = rendered("descent-summed.md", "md")
    line = next(l for l in text.splitlines() if l.startswith("*Assumed throughout:*"))
    assert r"\text{for}\ t = 0, \dots, -1 + T" in line and r"f_{T} \geq f^{\star}" in line, line
    assert text.index("*Assumed throughout:*") < text.index("### (a)")


def test_latex_states_them_before_the_first_part():
    text = rendered("descent-summed.md", "tex")
    assert r"\emph{Assumed throughout:} $" in text
    assert text.index("Assumed throughout") < text.index(r"\subsection*{(a)")


def test_a_fact_about_sums_is_stated_and_a_derivation_without_assumptions_states_none():
    assert "Assumed throughout" in rendered("sums-deliberate-errors.md", "md")
    assert "Assumed throughout" not in rendered("tanh-sigmoid.md", "md")


@pytest.mark.skipif(not shutil.which("pdflatex") or not shutil.which("pdftotext"),
                    reason="needs TeX and poppler")
def test_the_pdf_shows_them(tmp_path):
    out = tmp_path / "d.pdf"
    from click.testing import CliRunner

    import cli
    result = CliRunner().invoke(cli.main, ["render", str(EXAMPLES / "descent-summed.md"),
                                           "--to", "pdf", "-o", str(out)])
    assert result.exit_code == 1 and out.exists(), result.output     # b.4 fails on purpose
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Assumed throughout:" in text and "for t = 0, . . . , −1 + T" in text, text[:800]
