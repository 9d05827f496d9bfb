"""The catalogue of the homework's solutions: Python derivations and prose questions under solutions/."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from .errors import InputError
from .model import Derivation
from .resources import resource_dir


def _order(path: Path):
    m = re.match(r"q(\d+)$", path.stem)
    return (int(m.group(1)) if m else 10**6, path.stem)


def solution_files() -> dict:
    """id -> path, in question order (q1, q2, q4, q6)."""
    root = resource_dir("solutions")
    files = [p for p in root.iterdir()
             if re.match(r"q\d+\.(py|md)$", p.name)]
    return {p.stem: p for p in sorted(files, key=_order)}


def known_ids() -> list:
    return list(solution_files())


def load(solution_id: str, data: bytes | None = None) -> Derivation:
    """Build one solution (from ``data``, its source's bytes, when given); an unknown id
    is an input error listing the known ones."""
    files = solution_files()
    if solution_id not in files:
        raise InputError(f"unknown derivation {solution_id!r}; known: {', '.join(files)}")
    path = files[solution_id]
    from .typeset import validate
    if path.suffix == ".md":
        from .prose import load_prose
        return validate(load_prose(path, solution_id))
    name = f"derive_solutions_{solution_id}"
    if data is None and name in sys.modules:
        module = sys.modules[name]
    else:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        if data is None:
            spec.loader.exec_module(module)
        else:
            # The bytes the caller read (and keyed its cache on), not the file as it is now.
            exec(compile(data, str(path), "exec"), module.__dict__)
    return validate(module.derivation())


def load_all() -> list:
    return [load(i) for i in solution_files()]
