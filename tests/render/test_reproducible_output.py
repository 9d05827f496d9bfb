"""The same input gives the same bytes: no check times in the document, and a PDF that
honours SOURCE_DATE_EPOCH."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from derive import catalog
from derive.checks.parallel import rebuild_results
from derive.render import render_md, render_tex
from derive.verdict import Verdict

ROOT = Path(__file__).resolve().parents[2]


def with_seconds(seconds):
    out = []
    for i in catalog.known_ids():
        d = catalog.load(i)
        n = sum(len(p.steps) for p in d.parts)
        out.append((d, rebuild_results(d, [Verdict("proved", "algebra", seconds=seconds,
                                                   cached=seconds == 0)] * n)))
    return out


def test_check_times_and_the_cache_change_no_byte_of_the_document():
    fast, slow = with_seconds(0.0), with_seconds(1.234)
    assert render_tex(fast) == render_tex(slow)
    assert render_md(fast) == render_md(slow)
    assert "1.23" not in render_tex(slow) and "1.23" not in render_md(slow)


def test_two_renders_of_a_file_write_identical_tex_and_markdown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "examples" / "deliberate-error.md", tmp_path / "wrong.md")
    outputs = []
    for extra in (["--no-cache"], []):          # checked afresh, then from the cache
        for fmt in ("tex", "md"):
            result = CliRunner().invoke(cli.main, ["render", "wrong.md", "--to", fmt, *extra])
            assert result.exit_code == 1, result.output
        outputs.append(((tmp_path / "wrong.tex").read_bytes(), (tmp_path / "wrong.typeset.md").read_bytes()))
    assert outputs[0] == outputs[1]


@pytest.mark.skipif(not shutil.which("latexmk"), reason="needs TeX")
def test_with_source_date_epoch_two_compiles_give_the_same_pdf(tmp_path, monkeypatch):
    from derive.tex import compile_pdf
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    source = (ROOT / "tests" / "golden" / "small.tex").read_text(encoding="utf-8")
    compile_pdf(source, tmp_path / "one.pdf")
    compile_pdf(source, tmp_path / "two.pdf")
    one = (tmp_path / "one.pdf").read_bytes()
    assert one == (tmp_path / "two.pdf").read_bytes()
    assert b"/CreationDate (D:20231114221320Z)" in one
