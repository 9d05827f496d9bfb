"""The relation a chain a = b ≤ c … establishes between its first and last terms."""

from __future__ import annotations

from ..errors import InputError

_DIRECTION = {"<=": -1, "<": -1, ">=": 1, ">": 1}


def compose(relations) -> str:
    """= and ≤ give ≤; < with ≤ gives <; mixing ≤ and ≥ is an error; iff only with iff."""
    relations = list(relations)
    if not relations:
        raise InputError("an empty chain has no relation")
    if "iff" in relations:
        if any(r != "iff" for r in relations):
            raise InputError("a chain cannot mix ⟺ with =, ≤ or ≥")
        return "iff"
    directions = {_DIRECTION[r] for r in relations if r in _DIRECTION}
    if len(directions) > 1:
        raise InputError("a chain mixes ≤ and ≥: " + " ".join(relations)
                         + "; split it or flip one side")
    if not directions:
        return "="
    strict = any(r in ("<", ">") for r in relations)
    if directions == {-1}:
        return "<" if strict else "<="
    return ">" if strict else ">="
