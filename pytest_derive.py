"""pytest plugin: derivation files as test items (`pytest --derive notes/`, `*.derive.md`).

A top-level module (entry point ``pytest11``), not a part of the ``derive`` package:
pytest loads plugins before the project's ``pythonpath``, and importing ``derive``
then would pin an installed copy over the one being tested. ``derive`` is imported
only when a derivation file is collected.
"""

from __future__ import annotations

import fnmatch
import os

import pytest

OK = ("proved", "cited")


def pytest_addoption(parser):
    group = parser.getgroup("derive", "derivation files (derive)")
    group.addoption("--derive", action="store_true", default=False,
                    help="collect Markdown derivation files (front matter first) as tests")
    group.addoption("--derive-strict", action="store_true", default=None,
                    help="fail a step that is only checked (sampled), not proved or cited")
    group.addoption("--derive-per", choices=("derivation", "step"), default=None,
                    help="one test item per derivation file (default) or per step")
    parser.addini("derive_files", type="args", default=["*.derive.md"],
                  help="globs of derivation files collected even without --derive")
    parser.addini("derive_per", default="derivation", help="'derivation' or 'step'")
    parser.addini("derive_strict", type="bool", default=False, help="as --derive-strict")


def pytest_collect_file(file_path, parent):
    config = parent.config
    if file_path.suffix != ".md":
        return None
    globbed = any(fnmatch.fnmatch(file_path.name, g) for g in config.getini("derive_files"))
    if globbed or (config.getoption("derive") and _has_front_matter(file_path)):
        return DerivationFile.from_parent(parent, path=file_path)
    return None


def _has_front_matter(path) -> bool:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.readline().strip() == "---"
    except (OSError, UnicodeDecodeError):
        return False


def _strict(config) -> bool:
    option = config.getoption("derive_strict")
    return config.getini("derive_strict") if option is None else option


def _per(config) -> str:
    per = config.getoption("derive_per") or config.getini("derive_per")
    if per not in ("derivation", "step"):
        raise pytest.UsageError(f"derive_per: expected 'derivation' or 'step', not {per!r}")
    return per


class DerivationFile(pytest.File):
    """One derivation file: read once, checked once, its items share the verdicts."""

    def collect(self):
        from derive.errors import DeriveError
        from derive.targets import resolve
        try:
            # Relative to here, as pytest shows paths: steps say where they are that way.
            (self.derivation,) = resolve([os.path.relpath(self.path)])
        except DeriveError as exc:
            raise self.CollectError(f"derive: {exc}") from None
        self._results = None
        if _per(self.config) == "derivation":
            yield DerivationItem.from_parent(self, name=self.derivation.id)
            return
        index = 0
        for part in self.derivation.parts:
            for step in part.steps:
                index += 1
                yield StepItem.from_parent(self, name=f"{part.label}.{index}", index=index,
                                           line=step.origin[1] if step.origin else 1)

    def results(self):
        if self._results is None:
            from derive.checks import check_derivation
            self._results = check_derivation(self.derivation)
        return self._results


def _bad(result, strict: bool) -> bool:
    status = result.verdict.status
    return status not in OK and not (status == "checked" and not strict)


def _describe(item, result) -> str:
    """The step's lines as `derive check` prints them (reason, counterexample, place)."""
    from derive.report import records
    from derive.terminal import Style, step_lines
    line = "\n".join(step_lines(records(item.parent.derivation, [result]), Style()))
    origin = result.step.origin
    if origin and f"{origin[0]}:{origin[1]}:" not in line:
        line += "\n      at " + ":".join(str(p) for p in origin)
    if result.verdict.status == "checked":
        line += "\n      (--derive-strict: a sampled step is evidence, not proof)"
    return line


class DerivationFailed(Exception):
    """The steps of a derivation that did not pass, described."""


class DerivationItem(pytest.Item):
    """Passes when every step is proved or cited (or checked, unless strict)."""

    def runtest(self):
        strict = _strict(self.config)
        bad = [r for r in self.parent.results() if _bad(r, strict)]
        if bad:
            raise DerivationFailed("\n".join(_describe(self, r) for r in bad))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, DerivationFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"derivation {self.name}"


class StepItem(pytest.Item):
    """One step; its verdict comes from checking the whole derivation once."""

    def __init__(self, *, index: int, line: int, **kwargs):
        super().__init__(**kwargs)
        self.index, self.line = index, line

    def runtest(self):
        result = self.parent.results()[self.index - 1]
        if _bad(result, _strict(self.config)):
            raise DerivationFailed(_describe(self, result))

    repr_failure = DerivationItem.repr_failure

    def reportinfo(self):
        return self.path, self.line - 1, f"step {self.name}"
