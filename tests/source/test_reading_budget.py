"""Reading has a CPU budget per formula, never per file: a long file loads, a huge number does not."""

from __future__ import annotations

import gc
import importlib.util
from pathlib import Path

import pytest

from derive.errors import InputError
from derive.source import format as fmt
from derive.targets import resolve

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HEAD = "---\nid: b\ntitle: b\nsymbols:\n  - y \\in \\mathbb{R}\n"


@pytest.mark.parametrize("front, line", [
    ("  - 0 < t < 10^{10^{10}}\n", 6),                               # a bound
    ("define:\n  - z = y + 10^{10^{10}}\n", 7),                      # a definition
])
def test_a_formula_over_its_budget_is_an_error_at_its_place(tmp_path, monkeypatch, front, line):
    monkeypatch.setattr(fmt, "FORMULA_BUDGET", 0.3)
    path = tmp_path / "big.md"
    path.write_text(HEAD + front + "---\n\n$$\ny = y % algebra\n$$\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"big\.md:{line}:\d+: reading this took over 0\.3 s of CPU"):
        resolve([str(path)])


def test_a_file_longer_than_any_one_budget_is_read(tmp_path, monkeypatch):
    # 300 steps take longer to read than one formula may: only per-formula budgets apply.
    monkeypatch.setattr(fmt, "FORMULA_BUDGET", 0.2)
    path = tmp_path / "long.md"
    path.write_text(_generator().steps_file(300), encoding="utf-8")
    from derive import budget
    opened, real = [], budget.time_limit

    def spy(seconds):
        opened.append(seconds)
        return real(seconds)

    monkeypatch.setattr(budget, "time_limit", spy)
    gc.collect()
    gc.freeze()          # no full collection of the whole test session inside one formula
    try:
        start = budget.clock()
        [derivation] = resolve([str(path)])
        spent = budget.clock() - start
    finally:
        gc.unfreeze()
    assert spent > 0.2
    assert sum(len(p.steps) for p in derivation.parts) == 300
    assert len(opened) >= 300 and set(opened) == {0.2}      # one budget a formula, none a file
