"""Nothing takes the machine down: a memory cap per checking process, an overall --timeout,
a step whose case split would explode; the run goes on after each."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sympy import sin

import cli
from derive import runtime, session
from derive.build import Builder

ROOT = Path(__file__).resolve().parents[2]


def two_steps():
    b = Builder("hog", "A step that eats memory, then a good one")
    x = b.var("x")
    b.part("a", "Greedy")
    b.step(x + x, "=", 2 * x, "algebra")
    b.part("b", "Fine")
    b.step((x + 1)**2, "=", x**2 + 2 * x + 1, "algebra")
    b.step(sin(x)**2, "=", 1 - sin(x)**2 + 0 * x, "algebra")
    return b.build(source="hog.py")


def test_a_step_over_the_memory_cap_is_unknown_and_the_run_goes_on(monkeypatch):
    from derive.checks import driver
    search = driver._search

    def greedy(derivation, link, ledger):
        if link.part.label == "a":
            bytearray(3 * 2**30)            # 3 GiB: allowed without a cap, refused under one
        return search(derivation, link, ledger)

    monkeypatch.setattr(driver, "_search", greedy)
    monkeypatch.setenv("DERIVE_MEMORY_MB", "512")
    before = resource.getrlimit(resource.RLIMIT_AS)
    run = session.check([two_steps()], cache=False, jobs=1)
    assert resource.getrlimit(resource.RLIMIT_AS) == before       # the cap is lifted after
    greedy_step, good, wrong = run.reports[0].steps
    assert greedy_step.verdict.status == "unknown"
    assert greedy_step.verdict.reason == "over the memory cap of a checking process (0.5 GiB); " \
                                         "the run went on"
    assert good.verdict.status == "proved"
    assert wrong.verdict.status == "failed"


def test_the_cap_is_inherited_by_forked_workers():
    seen = []

    def probe():
        with runtime.memory_cap(256 * 2**20):
            pid = os.fork()
            if pid == 0:
                try:
                    bytearray(2 * 2**30)
                    os._exit(0)
                except MemoryError:
                    os._exit(7)
            seen.append(os.waitpid(pid, 0)[1])
    probe()
    assert os.waitstatus_to_exitcode(seen[0]) == 7


def test_after_the_timeout_no_step_starts_and_nothing_is_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("DERIVE_NO_CACHE", raising=False)
    result = CliRunner().invoke(cli.main, ["check", "q6", "--timeout", "0.001"])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line[:1] in "✓≈⊢✗?"]
    assert lines and all(line.startswith("? ") for line in lines)
    assert result.stdout.count("not checked: the run's --timeout ran out before this step") == len(lines)
    assert not list(tmp_path.glob("*.json"))
    again = CliRunner().invoke(cli.main, ["check", "q6"])
    assert again.exit_code == 0 and "(cached)" not in again.stdout


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_a_bad_timeout_is_a_usage_error(value):
    result = CliRunner().invoke(cli.main, ["check", "q6", "--timeout", value])
    assert result.exit_code == 2 and "--timeout" in result.stderr


BOOM = r"""---
title: boom
symbols:
  - {syms} \in \mathbb{{R}}
---

## (a) Sixteen conditions

$$
x_{{1}} = x_{{1}}   % algebra, for {conds}
$$

## (b) And then

$$
(x_{{1}} + 1)^2 = x_{{1}}^2 + 2 x_{{1}} + 1   % algebra
$$
"""


def test_sixteen_case_conditions_end_unknown_quickly_and_the_run_goes_on(tmp_path):
    # Issue 15.4: 3^16 sign cases took 35 s and 7.9 GB, then a MemoryError.
    path = tmp_path / "boom.md"
    path.write_text(BOOM.format(syms=", ".join(f"x_{{{i}}}" for i in range(1, 17)),
                                conds=", ".join(f"x_{{{i}}} \\ne 0" for i in range(1, 17))),
                    encoding="utf-8")

    def guard():            # if this ever regresses, it must not take the machine with it
        resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, 6 * 2**30))
    proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", "--no-cache", str(path)],
                          capture_output=True, text=True, timeout=300, preexec_fn=guard)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    first, second = [line for line in proc.stdout.splitlines() if line[:2] in ("? ", "✓ ", "✗ ")]
    assert first.startswith("? a.1") and second.startswith("✓ b.2")
    assert "sign cases" in proc.stdout or "memory cap" in proc.stdout
