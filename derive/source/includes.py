"""\\input and \\include: followed only to files inside the document's own directory."""

from __future__ import annotations

import os
from pathlib import Path

MAX_FILES = 64          # included files per document (a cycle or a fan-out is refused beyond)


class IncludeError(ValueError):
    """An \\input that is not followed; the message says why."""


def resolve(name: str, root: Path) -> Path:
    """The file ``\\input{name}`` reads, which must lie inside ``root`` (a directory).

    TeX looks for ``name`` and then ``name.tex``, relative to the directory it runs
    in (the main document's). Absolute names, ``..`` and symlinks that lead out of
    ``root`` are refused: the real path of the file must be inside the real ``root``.
    """
    name = name.strip()
    if not name:
        raise IncludeError("an \\input with no file name")
    if "\x00" in name or name.startswith(("/", "~")) or (len(name) > 1 and name[1] == ":"):
        raise IncludeError(f"\\input{{{name}}} names a file outside the document's directory; "
                           "derive reads only files inside it")
    real_root = Path(os.path.realpath(root))
    for candidate in (name, name + ".tex"):
        path = root / candidate
        if not path.exists() and not path.is_symlink():
            continue
        real = Path(os.path.realpath(path))
        if real_root != real and real_root not in real.parents:
            raise IncludeError(f"\\input{{{name}}} leads outside the document's directory "
                               f"({'through a symlink' if _has_symlink(root, candidate) else 'by ..'}); "
                               "derive reads only files inside it")
        if not real.is_file():
            raise IncludeError(f"\\input{{{name}}} is not a regular file")
        return real
    raise IncludeError(f"\\input{{{name}}}: no file {name} or {name}.tex next to the document")


def _has_symlink(root: Path, relative: str) -> bool:
    path = root
    for part in Path(relative).parts:
        path = path / part
        if path.is_symlink():
            return True
    return False


class Includes:
    """The files read so far, so a cycle or an endless fan-out ends with an error."""

    def __init__(self, main: Path):
        self.root = Path(main).resolve().parent
        self.stack = [Path(os.path.realpath(main))]
        self.count = 0

    def enter(self, name: str) -> Path:
        path = resolve(name, self.root)
        if path in self.stack:
            raise IncludeError(f"\\input{{{name}}} includes a file that is already being read "
                               "(a cycle)")
        self.count += 1
        if self.count > MAX_FILES:
            raise IncludeError(f"more than {MAX_FILES} included files")
        self.stack.append(path)
        return path

    def leave(self):
        self.stack.pop()
