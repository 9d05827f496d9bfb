"""Turn command-line targets (ids, `all`, file paths) into derivations."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError

LOAD_BUDGET = 4.0
from . import catalog


def resolve(targets) -> list:
    """Derivations for ``targets`` in order, each once."""
    out, seen = [], set()
    for target in targets:
        if target == "all":
            items = [catalog.load(i) for i in catalog.known_ids()]
        elif _looks_like_file(target):
            items = [_load_file(Path(target))]
        else:
            items = [catalog.load(target)]
        for d in items:
            key = d.source or d.id
            if key not in seen:
                seen.add(key)
                out.append(d)
    return out


def _looks_like_file(target: str) -> bool:
    return "/" in target or "." in target or Path(target).exists()


def _load_file(path: Path):
    if not path.exists():
        raise InputError(f"no such derivation file (known ids: {', '.join(catalog.known_ids())})",
                         str(path))
    try:
        from .source import is_document, load_file
    except ImportError:
        raise InputError("derivation files are not supported in this build", str(path)) from None
    if is_document(path):
        return load_file(path)        # a document budgets each formula it reads, not the file
    from .budget import Timeout, time_limit
    try:
        # Reading evaluates numbers (10^{10^{10}} would never end): it has a budget too.
        with time_limit(LOAD_BUDGET):
            return load_file(path)
    except Timeout:
        raise InputError(f"reading the file took over {LOAD_BUDGET:g} s (is a number in it "
                         "too large to work with?)", str(path)) from None


def _reads_other_files(path: Path) -> bool:
    from .source import reads_other_files
    return reads_other_files(path)


def sources(targets):
    """The source file behind each derivation the targets name, or None when a
    target cannot be resolved without building it (the caller then builds)."""
    out = []
    for target in targets:
        if target == "all":
            out.extend(catalog.solution_files().values())
        elif _looks_like_file(target):
            path = Path(target)
            if not path.is_file() or _reads_other_files(path):
                return None           # verdicts keyed by these bytes alone would go stale
            out.append(path)
        else:
            files = catalog.solution_files()
            if target not in files:
                return None
            out.append(files[target])
    unique = []
    for p in out:
        if p.resolve() not in [u.resolve() for u in unique]:
            unique.append(p)
    return unique
