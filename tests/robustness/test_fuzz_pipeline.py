"""Random derivation files through the whole pipeline (reader → checker → --json, terminal,
LaTeX, Markdown): a one-line input error or verdicts and documents, never a traceback.

A CI-sized budget; `make fuzz` runs the same generator (bench/fuzz.py) on 10,000 inputs.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("derive_bench_fuzz", ROOT / "bench" / "fuzz.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)


@pytest.fixture(autouse=True)
def short_budget(monkeypatch):
    from derive.checks import driver
    monkeypatch.setattr(driver, "STEP_BUDGET", 0.5)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_any_file_gives_an_error_line_or_verdicts_and_documents(tmp_path, rng):
    result = fuzz.outcome(fuzz.damaged(fuzz.derivation_file(rng), rng), tmp_path)
    assert result == "error" or result.startswith("checked:")


def test_the_generator_reaches_the_checker(tmp_path):
    # Not only the reader's error paths: most undamaged files are read and checked.
    import random
    rng = random.Random(7)
    results = [fuzz.outcome(fuzz.derivation_file(rng), tmp_path) for _ in range(8)]
    assert sum(r.startswith("checked:") for r in results) >= 3, results
