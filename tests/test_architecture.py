"""The arrows point one way: model → checks → verdicts → render → cli (checked in fresh interpreters)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def modules_after(statement):
    """Top-level and derive.* modules loaded by ``statement`` in a fresh interpreter."""
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


def loaded(modules, *prefixes):
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


@pytest.fixture(scope="module")
def after_model():
    return modules_after("import derive.model")


def test_model_pulls_in_neither_checks_nor_render(after_model):
    assert loaded(after_model, "derive.checks", "derive.render", "derive.report", "derive.tex") == []


def test_model_pulls_in_no_templating_or_cli(after_model):
    assert loaded(after_model, "jinja2", "click", "cli") == []


def test_package_import_does_not_import_sympy():
    mods = modules_after("import derive")
    assert loaded(mods, "sympy", "mpmath") == []
    assert loaded(mods, "derive") == ["derive"]


def test_checks_do_not_reach_for_render_or_cli():
    mods = modules_after("import derive.checks; from derive.checks.registry import kinds; kinds()")
    assert loaded(mods, "derive.render", "derive.tex", "jinja2", "click", "cli") == []


def test_render_receives_verdicts_and_never_runs_checkers():
    mods = modules_after("import derive.render")
    assert loaded(mods, "derive.checks") == []


def test_cli_module_is_thin_at_import():
    mods = modules_after("import cli")
    assert loaded(mods, "sympy", "derive.checks", "derive.render", "jinja2") == []
