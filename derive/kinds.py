"""The justification vocabulary: every kind of reasoning a step may name, in one table.

Derivation files read their `% justification` words from here, docs/derivation-files.md
lists them from here, and derive.checks binds one searcher to each (a test keeps the
three in agreement).
"""

from __future__ import annotations

from dataclasses import dataclass

EQUALITY = ("=", "<=", "<", ">=", ">", "iff", "implies")
INEQUALITY = ("<=", "<", ">=", ">")
RELATION = ("=", "<=", "<", ">=", ">")


@dataclass(frozen=True)
class Kind:
    """One kind of reasoning: its name, other words for it, the relations it justifies,
    whether it names what it uses (``uses``: "no", "may", "must"), and whether
    derivation files may write it."""

    name: str
    relations: tuple
    summary: str
    uses: str = "no"
    aliases: tuple = ()
    in_files: bool = True


KINDS = (
    Kind("algebra", EQUALITY, "both sides are equal (or ordered) after simplifying"),
    Kind("chain rule", EQUALITY, "∂A/∂B through the definitions of the names in between"),
    Kind("derivative", EQUALITY, "a derivative carried out"),
    Kind("substitute", EQUALITY, "a definition or a value put in"),
    Kind("definition", EQUALITY, "a name replaced by what it stands for"),
    Kind("limit", EQUALITY, "a limit taken"),
    Kind("case", EQUALITY, "the step holds in the case stated"),
    Kind("simplify", EQUALITY, "algebraic simplification"),
    Kind("expand", EQUALITY, "products and powers expanded"),
    Kind("product rule", EQUALITY, "the derivative of a product"),
    Kind("sign", INEQUALITY, "the sign of the difference follows from the assumptions"),
    Kind("solve", ("iff",), "an equation solved (the unique solution) or a threshold", aliases=()),
    Kind("equivalent", ("iff",), "two conditions with the same solutions"),
    Kind("root", ("=",), "the equation holds at the point its `for` condition names "
         "(a root, not claimed to be the only one: that is `solve`)", aliases=("satisfies",)),
    Kind("hypothesis", RELATION, "an instance of a stated hypothesis", uses="must"),
    Kind("lemma", RELATION, "an instance of a standard or stated lemma", uses="must"),
    Kind("result", RELATION, "an instance of a result stated by an earlier step", uses="must",
         in_files=False),
    Kind("combination", RELATION, "nonnegative multiples of the facts named, the rest ≥ 0 "
         "(for '=': multiples of the equations named, nothing left)", uses="may", aliases=("by",)),
    Kind("monotone", INEQUALITY, "both sides compared term by term (powers, exp, factors)",
         uses="may"),
    Kind("unroll", ("<=",), "induction: r(k+1) ≤ q·r(k) for every k gives r(t) ≤ qᵗ·r(0)",
         uses="must"),
    Kind("auto", EQUALITY, "no justification written: the kinds above tried in order of cost",
         in_files=False),
)

BY_NAME = {k.name: k for k in KINDS}
WORDS = {w: k.name for k in KINDS for w in (k.name, *k.aliases)}


def vocabulary() -> tuple:
    """Every word a derivation file may write as a justification (aliases included)."""
    return tuple(w for k in KINDS if k.in_files for w in (k.name, *k.aliases))


def takes_uses() -> set:
    return {w for k in KINDS if k.uses != "no" and k.in_files for w in (k.name, *k.aliases)}


def canonical(word: str) -> str:
    """The kind a word names ("by" is "combination")."""
    return WORDS[word]
