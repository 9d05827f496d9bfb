"""The library's readings of skeletons, kept on disk: a cold process skips ANTLR's warm-up.

A skeleton holds no user names (only placeholders z0, z1, …), so its reading
is the same in every file. Entries are stored as JSON trees of a few
whitelisted node types and rebuilt unevaluated, exactly as the library built
them; anything else in the file makes the whole cache ignored. The file is
sealed like the verdict cache (derive.cache: private directory, HMAC), so a
reading edited by hand is never believed, and each reading must mention only
placeholders its skeleton has; --no-cache bypasses it.
"""

from __future__ import annotations

import json
import re
from importlib import metadata

from sympy import Add, Integer, Mul, Pow, Rational, Symbol

FORMAT = 1


def _name() -> str:
    try:
        version = metadata.version("latex2sympy2_extended")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"latex-skeletons-{FORMAT}-{version}.json"


def _sealed():
    from ..cache import Sealed
    store = Sealed()
    return store if store.usable else None


def _fits(skeleton: str, expr) -> bool:
    """A reading may only name placeholders its skeleton has (``\\variable{zN}``)."""
    names = set(re.findall(r"\\variable\{(z\d+)\}", skeleton))
    return all(s.name in names for s in expr.free_symbols)


def encode(expr):
    """A JSON tree, or None for a node this cache does not store."""
    if isinstance(expr, Symbol):
        return ["S", expr.name]
    if expr.is_Integer:
        return ["I", str(expr)]
    if expr.is_Rational:
        return ["R", str(expr.p), str(expr.q)]
    kind = {Add: "A", Mul: "M", Pow: "P"}.get(type(expr))
    if kind is None:
        return None
    args = [encode(a) for a in expr.args]
    return None if any(a is None for a in args) else [kind, args]


def decode(tree):
    tag = tree[0]
    if tag == "S" and isinstance(tree[1], str):
        return Symbol(tree[1])
    if tag == "I":
        return Integer(int(tree[1]))
    if tag == "R":
        return Rational(int(tree[1]), int(tree[2]))
    ctor = {"A": Add, "M": Mul, "P": Pow}[tag]
    return ctor(*[decode(a) for a in tree[1]], evaluate=False)


def _valid(data) -> dict:
    """skeleton -> (tree, reading) for each well-formed entry of a sealed file's bytes."""
    try:
        raw = json.loads(data.decode("utf-8")) if data is not None else {}
    except Exception:                # noqa: BLE001 - damaged (even too deep): start afresh
        return {}
    out = {}
    for skeleton, tree in (raw.items() if isinstance(raw, dict) else ()):
        try:
            expr = decode(tree)
        except Exception:            # noqa: BLE001 - one bad entry is dropped, not believed
            continue
        if isinstance(skeleton, str) and _fits(skeleton, expr):
            out[skeleton] = (tree, expr)
    return out


class Store:
    """Loaded once per process; new readings are written back when the file is done."""

    def __init__(self):
        self.entries, self.new, self.loaded = {}, {}, False

    def load(self):
        self.loaded = True
        store = _sealed()
        data = store.read(_name()) if store else None
        if data is None:
            return
        self.entries = {k: e for k, (_, e) in _valid(data).items()}

    def get(self, skeleton: str):
        from ..cache import disabled
        if disabled():
            return None              # --no-cache: the library reads everything again
        if not self.loaded:
            self.load()
        return self.entries.get(skeleton)

    def put(self, skeleton: str, expr):
        tree = encode(expr)
        if tree is not None and _fits(skeleton, expr):
            self.entries[skeleton] = expr
            self.new[skeleton] = tree

    def save(self):
        store = _sealed() if self.new else None
        if store is None:
            return
        data = {k: tree for k, (tree, _) in _valid(store.read(_name())).items()}
        data.update(self.new)
        self.new = {}
        store.write(_name(), json.dumps(data).encode("utf-8"))


STORE = Store()
