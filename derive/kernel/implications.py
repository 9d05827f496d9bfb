"""Implications A ⟹ B: the step B checked with A among its conditions."""

from __future__ import annotations

from dataclasses import replace

from sympy import Eq, GreaterThan, LessThan, StrictGreaterThan, StrictLessThan

from ..errors import UnsupportedStep

_REL = {Eq: "=", LessThan: "<=", StrictLessThan: "<", GreaterThan: ">=", StrictGreaterThan: ">"}


def premised(link):
    """The link of ``A ⟹ B`` as the step ``B`` under the extra condition ``A``.

    Sound because B holding at every point where A and the step's conditions hold is
    what A ⟹ B means there; a point where A holds and B fails refutes it.
    """
    premise, claim = link.lhs, link.step.rhs
    if type(claim) not in _REL:
        raise UnsupportedStep("⟹ needs a relation (=, ≤, <, ≥, >) on its right")
    if not hasattr(premise, "rel_op"):
        raise UnsupportedStep("⟹ needs a condition (a relation) on its left")
    step = replace(link.step, lhs=claim.lhs, rel=_REL[type(claim)], rhs=claim.rhs,
                   when=tuple(link.step.when) + (premise,))
    return replace(link, step=step, lhs=claim.lhs)
