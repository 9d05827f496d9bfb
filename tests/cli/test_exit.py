"""The console script leaves at once after flushing: nothing it printed is lost, exit codes kept."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

GOOD = "---\nsymbols:\n  - x \\in \\mathbb{R}\n---\n\n$$\n(x + 1)^2 = x^2 + 2x + 1  % algebra\n$$\n"
WRONG = "---\nsymbols:\n  - x \\in \\mathbb{R}\n---\n\n$$\n(x + 1)^2 = x^2 + 1  % algebra\n$$\n"
BAD = "---\nsymbols:\n  - x \\in \\mathbb{R}\n---\n\n$$\nx = (x  % algebra\n$$\n"


@pytest.mark.parametrize("text, code, out, err", [
    (GOOD, 0, r"1 step: 1 proved in [\d.]+ s\n\Z", r"\A\Z"),
    (WRONG, 1, r"1 step: 1 failed in [\d.]+ s\n\Z", r"\A\Z"),
    (BAD, 2, r"\A\Z", r"\Aderive: error: .*f\.md:7:5: `\(` is never closed.*\n\Z"),
])
def test_output_is_complete_and_the_exit_status_kept(tmp_path, text, code, out, err):
    path = tmp_path / "f.md"
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", str(path)],
                          capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "DERIVE_NO_CACHE": "1"})
    assert proc.returncode == code, proc.stderr
    assert re.search(out, proc.stdout), proc.stdout
    assert re.search(err, proc.stderr), proc.stderr
