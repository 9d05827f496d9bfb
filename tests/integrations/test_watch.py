"""`derive watch FILE`: a real child process, real saves, Ctrl-C (timing: bench/watch_edit.py)."""

from __future__ import annotations

import os
import re
import time

import pytest

from bench.watch_edit import Watch, break_step, corpus

pytestmark = pytest.mark.slow


def test_a_one_step_edit_of_a_100_step_file_prints_that_step_only(tmp_path):
    path = tmp_path / "generated.md"
    text = corpus(100)
    path.write_text(text, encoding="utf-8")
    w = Watch(path, dict(os.environ))
    try:
        w.until("watching", stream=w.err_lines)
        first = [line for _, line in w.until("re-checked")]
        assert first[0] == "generated: A generated derivation"
        assert len([line for line in first if line.startswith("✓ a.")]) == 100
        assert "100 steps: 100 proved · 100 re-checked" in first[-1]

        broken, shown = break_step(text, 9)
        start = time.perf_counter()
        path.write_text(broken, encoding="utf-8")
        lines = [line for _, line in w.until("re-checked")]
        seconds = time.perf_counter() - start
        steps = [line for line in lines if re.match(r"^[✓✗?≈⊢] a\.", line)]
        assert len(steps) == 1 and steps[0].startswith("✗ a.11 ") and shown in steps[0], lines
        assert any(line.strip().startswith("counterexample: x = ") for line in lines), lines
        assert "100 steps: 99 proved, 1 failed · 1 re-checked in" in lines[-1]

        path.write_text(text.replace("% sign", "% sigh", 1), encoding="utf-8")
        error = w.until("derive: error:", stream=w.err_lines)[-1][1]
        assert re.match(r"derive: error: .*generated\.md:\d+:\d+: unknown justification `sigh`",
                        error)

        path.write_text(text, encoding="utf-8")       # fixed: only the step that changed back
        lines = [line for _, line in w.until("re-checked")]
        assert [line[:7] for line in lines if re.match(r"^[✓✗] a\.", line)] == ["✓ a.11 "]
        assert "100 steps: 100 proved · 0 re-checked" in lines[-1]
    finally:
        code, err = w.stop()
    assert code == 0 and "Traceback" not in err and "stopped" in err
    print(f"one-step edit of a 100-step file: new verdict printed {seconds * 1000:.0f} ms after the save")


def test_a_missing_file_is_a_one_line_error(tmp_path):
    import subprocess
    import sys
    from bench.watch_edit import ROOT
    proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "watch", "nope.md"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == "derive: error: nope.md: no such derivation file\n"
