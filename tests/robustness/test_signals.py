"""Signals: Ctrl-C exits 130 (not 1, "a step failed"), SIGTERM 143, SIGHUP 129; TeX is stopped
and its temporary directory removed; no checking worker outlives the command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SMALL = r"""---
title: small
symbols:
  - x \in \mathbb{R}
---

## (a) A

$$
(x + 1)^2 = x^2 + 2x + 1   % algebra
$$
"""

# A TeX that never finishes: it notes its pid, then sleeps (in its own session, as derive starts it).
FAKE_TEX = """#!/bin/sh
echo $$ > "{pidfile}"
exec sleep 120
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "\nState:\tZ" not in fh.read()
    except FileNotFoundError:
        return False


def wait_for(predicate, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def scene(tmp_path):
    bin_dir, tmp = tmp_path / "bin", tmp_path / "tmp"
    bin_dir.mkdir()
    tmp.mkdir()
    pidfile = tmp_path / "tex.pid"
    for name in ("latexmk", "pdflatex"):
        (bin_dir / name).write_text(FAKE_TEX.format(pidfile=pidfile))
        (bin_dir / name).chmod(0o755)
    (tmp_path / "small.md").write_text(SMALL, encoding="utf-8")
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", TMPDIR=str(tmp),
               DERIVE_CACHE_DIR=str(tmp_path / "cache"))
    return tmp_path, env, pidfile, tmp


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143),
                                            (signal.SIGHUP, 129)])
def test_a_signal_during_tex_stops_tex_and_removes_its_directory(scene, signum, status):
    where, env, pidfile, tmp = scene
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "render", "small.md"],
                            cwd=where, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert wait_for(lambda: pidfile.exists() and pidfile.read_text().strip()), \
            "TeX was never started"
        tex = int(pidfile.read_text())
        assert list(tmp.glob("derive-tex-*"))
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == status, err
    assert "Traceback" not in err
    assert wait_for(lambda: not alive(tex), timeout=10), "TeX is still running"
    assert list(tmp.glob("derive-tex-*")) == []
    assert not (where / "small.pdf").exists()


def test_ctrl_c_while_checking_exits_130_and_leaves_no_worker(scene):
    where, env, _, _ = scene
    marker = where / "all-of-them"
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "check", "all", "--no-cache",
                             "--jobs", "2", str(where / "small.md")],
                            cwd=where, env=dict(env, DERIVE_MARKER=str(marker)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def workers():
        out = []
        for status in Path("/proc").glob("[0-9]*/environ"):
            try:
                if str(marker).encode() in status.read_bytes():
                    out.append(status.parent.name)
            except OSError:
                pass
        return out
    # Into the checking: the workers are forked (a fixed sleep raced a fast machine, where the
    # whole check was over before the signal came).
    try:
        assert wait_for(lambda: len(workers()) >= 2 or proc.poll() is not None, timeout=60)
        assert proc.poll() is None, "the check ended before any worker was seen"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert wait_for(lambda: not workers(), timeout=15), f"workers left: {workers()}"
