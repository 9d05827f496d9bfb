"""A verdict cache keyed by the engine's code and the derivation's source (no SymPy import)."""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from .tex import atomic_write

_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    if os.environ.get("DERIVE_CACHE_DIR"):
        return Path(os.environ["DERIVE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "derive"


def disabled() -> bool:
    return os.environ.get("DERIVE_NO_CACHE", "") not in ("", "0")


def _engine_fingerprint() -> str:
    """Every source file of the engine and the versions of what it computes with."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(str(path.relative_to(_PACKAGE)).encode())
        h.update(path.read_bytes())
    for dist in ("sympy", "mpmath", "latex2sympy2_extended", "antlr4-python3-runtime"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=?".encode())
    return h.hexdigest()


class VerdictCache:
    """Payloads (step lines, JSON, statuses) per derivation source file."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory or cache_dir()
        self._engine = None

    def key(self, source: Path) -> str:
        if self._engine is None:
            self._engine = _engine_fingerprint()
        h = hashlib.sha256(self._engine.encode())
        h.update(str(source.resolve()).encode())
        h.update(source.read_bytes())
        return h.hexdigest()

    def get(self, source: Path):
        try:
            path = self.directory / f"{self.key(source)}.json"
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, source: Path, payload: dict) -> None:
        try:
            atomic_write(self.directory / f"{self.key(source)}.json", json.dumps(payload))
        except OSError:
            pass       # a cache that cannot be written is only slower
