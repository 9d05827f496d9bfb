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
    # derive.deferred: the import hook that keeps SymPy's tensor module out of a cold start.
    assert loaded(mods, "derive") == ["derive", "derive.deferred"]


def test_checks_do_not_reach_for_render_or_cli():
    mods = modules_after("import derive.checks; from derive.checks.registry import kinds; kinds()")
    assert loaded(mods, "derive.render", "derive.tex", "jinja2", "click", "cli") == []


def test_render_receives_verdicts_and_never_runs_checkers():
    mods = modules_after("import derive.render")
    assert loaded(mods, "derive.checks") == []


def test_cli_module_is_thin_at_import():
    mods = modules_after("import cli")
    assert loaded(mods, "sympy", "derive.checks", "derive.render", "jinja2") == []


# -- the house reads one way (static: module-level imports) ---------------------------

def _imports(path):
    """The derive modules ``path`` imports at module level (not inside functions)."""
    import ast
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if path.name == "__init__.py":
        package = package.rsplit(".", 1)[0] + ".__init__"
    out = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:-node.level]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.startswith("derive"):
                out.add(module)
                out.update(f"{module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("derive"))
    return out


def _modules():
    found = {}
    for path in sorted((ROOT / "derive").rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def test_source_does_not_import_the_checkers_or_the_kernel():
    bad = [f"{name} imports {m}" for name, path in _modules().items()
           if name.startswith("derive.source")
           for m in _imports(path) if m.startswith(("derive.checks", "derive.render"))]
    assert not bad, bad


def test_the_kernel_imports_no_searcher_at_module_level():
    bad = [f"{name} imports {m}" for name, path in _modules().items()
           if name.startswith("derive.kernel")
           for m in _imports(path) if m.startswith(("derive.checks", "derive.render", "derive.source"))]
    assert not bad, bad


def test_there_are_no_import_cycles():
    modules = _modules()
    graph = {name: {m for m in _imports(path) if m in modules and m != name}
             for name, path in modules.items()}
    # A package's own __init__ importing its submodules is not a cycle back to it.
    for name in graph:
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".") or m == name}
    seen, stack, cycles = set(), [], []

    def visit(n):
        if n in stack:
            cycles.append(stack[stack.index(n):] + [n])
            return
        if n in seen:
            return
        seen.add(n)
        stack.append(n)
        for m in sorted(graph[n]):
            visit(m)
        stack.pop()
    for n in sorted(graph):
        visit(n)
    assert not cycles, cycles[:3]
