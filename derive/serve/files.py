"""The files `derive serve` may read and write: derivation sources under its start directory."""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

SUFFIXES = (".md", ".markdown", ".tex")
MAX_BYTES = 1_000_000
SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", "build", "dist"}


class Refused(Exception):
    """A path or a write the server will not do; the message says why (shown to the page)."""


class Files:
    """Paths are relative, '/'-separated, inside ``root``; no '..', no symbolic links anywhere
    on the way (a link could lead out), only derivation sources, at most MAX_BYTES."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()

    def path(self, relative: str, must_exist: bool = True) -> Path:
        if not isinstance(relative, str) or not relative or "\x00" in relative or "\\" in relative:
            raise Refused("not a file name")
        parts = PurePosixPath(relative).parts
        if PurePosixPath(relative).is_absolute() or any(p in ("..", ".", "") for p in parts):
            raise Refused(f"{relative}: only paths inside the served directory, without '..'")
        if not relative.endswith(SUFFIXES):
            raise Refused(f"{relative}: only derivation files ({', '.join(SUFFIXES)})")
        here = self.root
        for i, part in enumerate(parts):
            here = here / part
            try:
                mode = os.lstat(here).st_mode
            except FileNotFoundError:
                if must_exist or i < len(parts) - 1:
                    raise Refused(f"{relative}: no such file") from None
                return here
            if stat.S_ISLNK(mode):
                raise Refused(f"{relative}: a symbolic link; only plain files are served")
            last = i == len(parts) - 1
            if (last and not stat.S_ISREG(mode)) or (not last and not stat.S_ISDIR(mode)):
                raise Refused(f"{relative}: not a plain file")
        return here

    def read(self, relative: str) -> str:
        path = self.path(relative)
        if path.stat().st_size > MAX_BYTES:
            raise Refused(f"{relative}: larger than {MAX_BYTES} bytes")
        try:
            return path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(f"{relative}: not UTF-8 text") from None

    def write(self, relative: str, text: str) -> None:
        """Written to a temporary file beside it and renamed: a failed save leaves the old one."""
        data = text.encode("utf-8")
        if len(data) > MAX_BYTES:
            raise Refused(f"{relative}: larger than {MAX_BYTES} bytes")
        path = self.path(relative, must_exist=False)
        tmp = path.with_name(f".{path.name}.derive-save")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def listing(self, limit: int = 2000) -> list:
        """Derivation sources under the root (links not followed), sorted."""
        out = []
        for folder, dirs, names in os.walk(self.root, followlinks=False):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(names):
                full = Path(folder) / name
                if name.endswith(SUFFIXES) and not name.startswith(".") and not full.is_symlink():
                    out.append(full.relative_to(self.root).as_posix())
                    if len(out) >= limit:
                        return out
        return out
