"""`derive import`: OCR output into a draft derivation file, every line kept and annotated.

homework-scan.md is the homework's scan as OCR gave it (shared/seed/000_….txt).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from derive.checks import check_derivation
from derive.drafts import draft
from derive.source import load_text

SCAN = Path(__file__).resolve().parents[1] / "source" / "documents" / "homework-scan.md"


@pytest.fixture(scope="module")
def homework():
    return draft(SCAN)


def test_the_homework_scan_becomes_a_draft_that_reads_back(homework):
    text, counts = homework
    derivation = load_text(text, "homework-scan.draft.md")
    statuses = [r.verdict.status for r in check_derivation(derivation)]
    # What the import reported is what checking the draft gives.
    assert len(statuses) == counts.steps
    assert {s: statuses.count(s) for s in counts.statuses} == counts.statuses
    assert counts.statuses["proved"] >= 2 and counts.unreadable >= 20


def test_every_line_of_the_scan_is_kept(homework):
    text, counts = homework
    scan = SCAN.read_text().splitlines()
    assert counts.lines == len(scan) == 105
    assert (counts.math_lines, counts.segments) == (26, 40)
    draft_lines = text.splitlines()
    for n, line in enumerate(scan, start=1):
        assert line in draft_lines or f"(scan line {n})" in text, (n, line)


def test_each_math_line_has_its_verdict_or_its_reason(homework):
    text, counts = homework
    for n in re.findall(r"^%% \$\$.*\(scan line (\d+)\)$", text, re.M):
        after = text.split(f"(scan line {n})", 1)[1]
        assert re.search(r"(✓|✗|≈|\?|⊢) \w+:|not read:|defines |no step here", after.split("$$", 1)[0]), n


SMALL = """# Week 1

The loss is $\\ell = (y - wx)^2$ and so

$$\\frac{\\partial \\ell}{\\partial w} = -2x(y - wx)$$

$0 + 2x = x + x = 3x$ : by algebra

$$\\sum_i x_i = 0$$

Garbage $\\input{x}$ here.
"""


def test_a_small_scan(tmp_path):
    scan = tmp_path / "small.md"
    scan.write_text(SMALL)
    text, counts = draft(scan)
    assert counts.summary() == ("11 lines, 4 with math (4 segments); steps read from 2 of them: "
                                "3 (2 proved, 1 failed); 1 place where math could not be read")
    head, body = text.split("---\n", 2)[1:]
    assert "define:\n  - \\ell = (y - wx)^2\n" in head
    assert "The loss is $\\ell = (y - wx)^2$ and so\n" not in body        # a math line: commented
    assert "%% The loss is $\\ell = (y - wx)^2$ and so   (scan line 3)" in body
    assert "%% defines \\ell (in the front matter above)   (scan line 3)" in body
    assert "\\frac{\\partial \\ell}{\\partial w} = -2x(y - wx)   % chain rule" in body
    assert "= 3x   % algebra" in body and "✗ failed: algebra (found): sampling" in body
    assert re.search(r"^%% not read: .*\(scan line 9\)$", body, re.M)
    assert "%% Garbage $\\input{x}$ here.   (scan line 11)" in body       # unsafe prose: commented
    assert counts.commented == 1


def test_the_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "small.md").write_text(SMALL)
    result = CliRunner().invoke(cli.main, ["import", "small.md"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote small.draft.md: 11 lines")
    assert (tmp_path / "small.draft.md").read_text().startswith("---\nid: small\n")
    refused = CliRunner().invoke(cli.main, ["import", "small.md", "-o", "small.md"])
    assert refused.exit_code == 2
    assert refused.stderr.strip() == ("derive: error: small.md: that is the scan being imported; "
                                      "choose another -o")
