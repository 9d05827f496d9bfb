"""Standard lemmas every derivation may cite, each with its proof sketched in docs/lemmas.md."""

from __future__ import annotations

from sympy import LessThan, exp

from ..model import Schema

LEMMAS = {
    # 1 − z ≤ e^{−z} for every real z: e^{−z} is convex and 1 − z is its tangent at 0.
    "exp_bound": Schema("exp_bound", lambda z: LessThan(1 - z, exp(-z)), kind="lemma",
                        statement="1 − z ≤ e^{−z} for every real z"),
}


def lookup(derivation, name, part=None):
    """A schema of the derivation, else a standard lemma; unknown names are input errors.

    A schema scoped to some parts cannot be used in another part.
    """
    if name in LEMMAS and any(s.name == name for s in derivation.schemas):
        from ..errors import UnsupportedStep
        raise UnsupportedStep(f"{name!r} is a standard lemma; the derivation may not redefine it")
    for s in derivation.schemas:
        if s.name == name:
            if part is not None and s.parts and part not in s.parts:
                from ..errors import UnsupportedStep
                where = ", ".join(f"({p})" for p in s.parts)
                raise UnsupportedStep(f"{name!r} holds only in part {where}, not in ({part})")
            return s
    if name in LEMMAS:
        return LEMMAS[name]
    known = ", ".join([s.name for s in derivation.schemas] + sorted(LEMMAS))
    from ..errors import UnsupportedStep
    raise UnsupportedStep(f"no hypothesis, result or lemma named {name!r} (known: {known})")
