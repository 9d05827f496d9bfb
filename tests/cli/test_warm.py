"""A warm `derive check` answers from the verdict cache without importing SymPy or the checks
(the product budget: ≤ 0.4 × `python -c "import sympy"`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_warm_check_all_imports_neither_sympy_nor_the_checks(tmp_path):
    env = dict(os.environ, DERIVE_CACHE_DIR=str(tmp_path))
    env.pop("DERIVE_NO_CACHE", None)
    cold = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", "all"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert cold.returncode == 0, cold.stderr
    warm = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "cli.py"), "check", "all"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert warm.returncode == 0
    assert warm.stdout.splitlines()[-1].endswith("(cached)")
    imported = {line.split("|")[-1].strip() for line in warm.stderr.splitlines() if "|" in line}
    assert not {m for m in imported if m.split(".")[0] in ("sympy", "mpmath")}
    assert not {m for m in imported if m.startswith(("derive.checks", "derive.kernel"))}


def test_the_cache_key_reads_the_same_versions_as_importlib_metadata():
    # The key names the installed versions of what the engine computes with; they are read
    # off the dist-info directories, without importing importlib.metadata (25-40 ms).
    from importlib import metadata

    from derive.cache import _versions
    dists = ("sympy", "mpmath", "latex2sympy2_extended", "antlr4-python3-runtime", "no-such-dist")
    expected = {}
    for d in dists:
        try:
            expected[d] = metadata.version(d)
        except metadata.PackageNotFoundError:
            expected[d] = "?"
    assert _versions(dists) == expected


def test_a_warm_check_does_not_import_importlib_metadata(tmp_path):
    env = dict(os.environ, DERIVE_CACHE_DIR=str(tmp_path))
    env.pop("DERIVE_NO_CACHE", None)
    subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", "q4"], env=env,
                   capture_output=True, timeout=600, check=True)
    warm = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "cli.py"), "check", "q4"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert warm.returncode == 0
    imported = {line.split("|")[-1].strip() for line in warm.stderr.splitlines() if "|" in line}
    assert "importlib.metadata" not in imported


def test_the_cache_key_follows_an_egg_info_install_first_on_sys_path(tmp_path, monkeypatch):
    # From the review: an .egg-info install (setup.py, Debian) first on sys.path is what
    # `import sympy` loads; a later pip dist-info must not name the version in the key.
    from derive.cache import _versions
    first, later = tmp_path / "dist-packages", tmp_path / "site-packages"
    (first / "sympy").mkdir(parents=True)
    (first / "sympy-1.14.0-py3.11.egg-info").write_text("Name: sympy\nVersion: 1.14.0\n")
    (later / "sympy-1.12.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(first), str(later)])
    assert _versions(("sympy",)) == {"sympy": "1.14.0"}
