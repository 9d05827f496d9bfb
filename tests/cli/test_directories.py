"""`derive check DIR`: every derivation file in it and below, in name order; prose is not one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from derive.errors import InputError
from derive.targets import plan

ROOT = Path(__file__).resolve().parents[2]
STEP = "---\nsymbols:\n  - x \\in \\mathbb{R}\n---\n\n$$\n(x + {n})^2 = x^2 + {m}x + {k}  % algebra\n$$\n"


def derivation(n: int) -> str:
    return STEP.replace("{n}", str(n)).replace("{m}", str(2 * n)).replace("{k}", str(n * n))


@pytest.fixture
def notes(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b.md").write_text(derivation(2), encoding="utf-8")
    (tmp_path / "a.md").write_text(derivation(1), encoding="utf-8")
    (tmp_path / "sub" / "c.md").write_text(derivation(3), encoding="utf-8")
    (tmp_path / "README.md").write_text("# Notes\n\nProse, no math to check.\n", encoding="utf-8")
    (tmp_path / "a.typeset.md").write_text("$$\nx = x\n$$\n", encoding="utf-8")
    (tmp_path / ".git" / "d.md").write_text(derivation(4), encoding="utf-8")
    (tmp_path / "data.csv").write_text("1,2\n", encoding="utf-8")
    return tmp_path


def test_a_directory_means_its_derivation_files_in_name_order(notes):
    names = [s.path.relative_to(notes).as_posix() for s in plan([str(notes)])]
    assert names == ["a.md", "b.md", "sub/c.md"]


def test_a_file_named_as_well_is_checked_once(notes):
    assert len(plan([str(notes / "a.md"), str(notes)])) == 3


def test_a_directory_without_derivations_is_an_input_error(tmp_path):
    (tmp_path / "README.md").write_text("prose\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no derivation files here"):
        plan([str(tmp_path)])


def test_derive_check_of_a_directory_checks_every_file(notes):
    proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", str(notes), "--jobs", "2"],
                          capture_output=True, text=True, cwd=notes,
                          env={**os.environ, "DERIVE_NO_CACHE": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().splitlines()[-1].startswith("3 steps: 3 proved")


def test_sources_checked_by_workers_are_cached_like_any_other(notes, tmp_path_factory, monkeypatch):
    from derive import session
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    first = session.check([str(notes)], jobs=2)
    again = session.check([str(notes)], jobs=2)
    assert first.counts["proved"] == 3 and not first.cached
    assert again.cached and [r.steps for r in again.reports] != [] and again.counts == first.counts
    assert not any(s.verdict.cached for r in first.reports for s in r.steps)


def test_a_file_that_does_not_read_is_an_error_line_and_the_others_are_checked(notes):
    """`check DIR` stopped at the first file that did not read (found by an adversarial
    test): now every other file is checked, each bad one is one error line with its
    file:line:col, and the exit status is 2."""
    (notes / "bad.md").write_text("---\nsymbols:\n  - x \\in \\mathbb{R\n---\n\n$$\nx = x % algebra\n$$\n",
                                  encoding="utf-8")
    (notes / "sub" / "worse.tex").write_text("\\[ \\frac{1}{2 = 3 \\]\n", encoding="utf-8")
    for jobs in ("1", "2"):
        proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", str(notes), "--jobs", jobs],
                              capture_output=True, text=True, cwd=notes,
                              env={**os.environ, "DERIVE_NO_CACHE": "1"})
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert proc.stdout.rstrip().splitlines()[-1].startswith("3 steps: 3 proved"), proc.stdout
        errors = proc.stderr.strip().splitlines()
        assert len(errors) == 2 and all(e.startswith("derive: error: ") for e in errors), errors
        assert f"{notes / 'bad.md'}:3:" in errors[0] and "worse.tex" in errors[1], errors
        assert "Traceback" not in proc.stderr


def test_one_file_that_does_not_read_is_only_its_error_line(tmp_path):
    """With one source its error is the whole answer: nothing on stdout, not even --json's
    empty document (as before going on past bad files among several)."""
    path = tmp_path / "bad.md"
    path.write_text("not a derivation\n$$\nx = x\n", encoding="utf-8")
    for extra in ([], ["--json"]):
        proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", str(path), *extra],
                              capture_output=True, text=True, env={**os.environ, "DERIVE_NO_CACHE": "1"})
        assert proc.returncode == 2 and proc.stdout == "", (proc.stdout, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
