"""Command-line targets (ids, `all`, file paths) as sources to read, and their derivations."""

from __future__ import annotations

import difflib
import errno
import os
from dataclasses import dataclass
from pathlib import Path

from . import catalog
from .errors import InputError



@dataclass(frozen=True)
class Source:
    """Where one derivation comes from: a solution of the catalogue or a derivation file."""

    path: Path
    kind: str                 # "python" or "prose" (solutions), "file" (derivation files)
    id: str = ""              # the solution's id; a file's id is in the file

    @property
    def name(self) -> str:
        return self.id or str(self.path)


def plan(targets) -> list:
    """The sources ``targets`` name, in order, each once (no file is read yet).

    Already-built Derivation objects pass through unchanged (they have no source
    to key a cache on).
    """
    out, seen = [], set()
    for target in targets:
        if not isinstance(target, str):
            items = [target]
        elif target == "all":
            items = [_solution(i, p) for i, p in catalog.solution_files().items()]
        elif _is_dir(Path(target)):
            items = _directory(Path(target))
        else:
            items = [_one(target)]
        for item in items:
            key = _identity(item)
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out


def _identity(item):
    if not isinstance(item, Source):
        return id(item)
    try:
        return os.path.realpath(item.path)
    except (OSError, ValueError):
        return str(item.path)


def _solution(solution_id: str, path: Path) -> Source:
    return Source(path, "prose" if path.suffix == ".md" else "python", solution_id)


def _one(target: str) -> Source:
    files = catalog.solution_files()
    if target in files:
        return _solution(target, files[target])
    path = Path(target)
    if _is_file(path):
        return Source(path, "file")
    if _exists(path):
        raise InputError("not a regular file", _short(target))
    if _too_long(path):
        raise InputError("the file name is too long for this system", _short(target))
    if "/" not in target and "." not in target:
        # `derive render mine` means mine.md when there is one here.
        mine = Path(f"{target}.md")
        if _is_file(mine):
            return Source(mine, "file")
        raise InputError(f"unknown derivation {target!r}{_did_you_mean(target, list(files))}; "
                         f"known: {', '.join(files)}")
    raise InputError(f"no such derivation file (known ids: {', '.join(files)})", _short(target))


def _directory(path: Path) -> list:
    """Every derivation in a directory and below, a directory's own files first, in name
    order: LaTeX files, and Markdown files with front matter or display math (a README
    of prose is not one, nor derive's own `.typeset.md` output). Hidden names are skipped."""
    out = []
    for root, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            file = Path(root) / name
            kind = file.suffix.lower()
            if name.startswith(".") or name.endswith(".typeset.md") or not _is_file(file):
                continue
            if kind in (".tex", ".latex") or (kind in (".md", ".markdown") and _has_math(file)):
                out.append(Source(file, "file"))
    if not out:
        raise InputError("no derivation files here (Markdown with front matter or display "
                         "math, or LaTeX)", _short(str(path)))
    return out


def _has_math(path: Path) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return True                  # reading it later says what is wrong
    return data.lstrip(b"\xef\xbb\xbf \t").startswith(b"---") or any(
        mark in data for mark in (b"$$", b"\\[", b"\\begin{"))


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _short(name: str, limit: int = 120) -> str:
    """A name for a one-line message: a 5,000-character path is shown by its ends."""
    return name if len(name) <= limit else f"{name[:60]}…{name[-(limit - 61):]}"


def _too_long(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ENAMETOOLONG
    except ValueError:
        return False
    return False


def _did_you_mean(word: str, known) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):      # a name too long, a NUL byte: not a file of ours
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def read(source: Source) -> bytes:
    """The bytes of a source, read once: its cache key and its derivation both come from them."""
    try:
        with open(source.path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        reason = "the file name is too long" if exc.errno == errno.ENAMETOOLONG else \
            f"cannot read the file: {exc.strerror}"
        raise InputError(reason, _short(str(source.path))) from None


def load(source, data: bytes | None = None):
    """The Derivation of a source, built from ``data`` (its bytes) when given."""
    if not isinstance(source, Source):
        return source
    if source.kind == "python":
        return catalog.load(source.id, data)
    if source.kind == "prose":
        return catalog.load(source.id)
    return _load_file(source.path, data)


def cacheable(source, data: bytes) -> bool:
    """Whether a source's verdicts depend on its bytes alone (a document that \\input's
    other files depends on them too: its verdicts are never cached)."""
    if not isinstance(source, Source):
        return False
    if source.kind != "file":
        return True
    from .source import reads_other_files
    return not reads_other_files(source.path, data)


def _load_file(path: Path, data: bytes | None):
    try:
        from .source import load_file
    except ImportError:
        raise InputError("derivation files are not supported in this build", str(path)) from None
    # Reading budgets each formula it reads (derive/source), never the whole file.
    return load_file(path, data)


def resolve(targets) -> list:
    """Derivations for ``targets`` in order, each once."""
    return [load(s) for s in plan(targets)]
