"""The library's readings of skeletons, kept on disk: a cold process skips ANTLR's warm-up.

A skeleton holds no user names (only placeholders z0, z1, …), so its reading
is the same in every file. Entries are stored as JSON trees of a few
whitelisted node types and rebuilt unevaluated, exactly as the library built
them; anything else in the file makes the whole cache ignored.
"""

from __future__ import annotations

import json
import os
from importlib import metadata

from sympy import Add, Integer, Mul, Pow, Rational, Symbol

FORMAT = 1


def _path():
    from ..cache import cache_dir, disabled
    if disabled():
        return None
    try:
        version = metadata.version("latex2sympy2_extended")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return cache_dir() / f"latex-skeletons-{FORMAT}-{version}.json"


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


class Store:
    """Loaded once per process; new readings are written back when the file is done."""

    def __init__(self):
        self.entries, self.new, self.loaded = {}, {}, False

    def load(self):
        self.loaded = True
        path = _path()
        if path is None:
            return
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            self.entries = {k: decode(v) for k, v in raw.items()}
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            self.entries = {}        # missing or damaged: start afresh

    def get(self, skeleton: str):
        if not self.loaded:
            self.load()
        return self.entries.get(skeleton)

    def put(self, skeleton: str, expr):
        tree = encode(expr)
        if tree is not None:
            self.entries[skeleton] = expr
            self.new[skeleton] = tree

    def save(self):
        path = _path()
        if path is None or not self.new:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        except (OSError, ValueError):
            data = {}
        data.update(self.new)
        self.new = {}
        try:
            from ..tex import atomic_write
            os.makedirs(path.parent, exist_ok=True)
            atomic_write(path, json.dumps(data))
        except OSError:
            pass                     # a cache that cannot be written is only slower


STORE = Store()
