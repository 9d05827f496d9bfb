"""The certificate forms searchers hand to the kernel: what was found, never a verdict.

A certificate records only the choices a search made (which normal form, which
multipliers, which decomposition); everything else the kernel recomputes from the
step itself. ``to_json``/``from_json`` carry them through the verdict cache for
``derive check --recheck``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Zero:
    """lhs − rhs reduces to 0 in every case, by the named normal form (per case)."""

    layers: tuple                  # ((case label, layer name), ...) in the world's case order
    kind = "zero"


@dataclass(frozen=True)
class Root:
    """The equation holds at the point (T = R) the step's own condition names: lhs − rhs
    reduces to 0 in every case with T = R, by the named normal form (per case)."""

    layers: tuple                  # ((case label, layer name), ...)
    kind = "root"


@dataclass(frozen=True)
class Sign:
    """The gap (rhs − lhs for ≤) is ≥ 0 (> 0) in every case, in the named rewriting."""

    forms: tuple                   # ((case label, form name), ...)
    kind = "sign"


@dataclass(frozen=True)
class Equivalence:
    """Two equations have the same solutions, case by case.

    Methods: ``proportional`` (a − b = k·(c − d) with k of one strict sign; a ``mode`` of
    "-" only says to try k < 0 first); ``power``
    (a − b = k·(c − d)ᵐ, k of one strict sign, m = ``mode``);
    ``solved`` (the second is T = R, R substituted back gives 0 by ``layer``, and
    the first is strictly monotone in T on all reals, or on T's range when
    ``mode`` is "range").
    """

    methods: tuple                 # ((case label, method, layer, mode), ...)
    kind = "equivalence"


@dataclass(frozen=True)
class Threshold:
    """g ≥ 0 ⟺ z ≥ c: g(c) = 0 and g strictly monotone in z (the kernel recomputes all)."""

    kind = "threshold"


@dataclass(frozen=True)
class Instance:
    """The step is the instance of the one fact it cites (side conditions proved by the kernel)."""

    kind = "instance"


@dataclass(frozen=True)
class Unroll:
    """Induction r(k+1) ≤ q·r(k) for every k ≥ 0 ⟹ r(t) ≤ qᵗ·r(0) (the kernel recomputes all)."""

    kind = "unroll"


@dataclass(frozen=True)
class Combination:
    """goal − Σ cₖ·factₖ is a constant ≥ 0 plus a PSD form in inner products.

    ``multipliers`` pairs the index of a fact (in the order the kernel lists the
    step's facts) with its multiplier; facts not listed get 0.
    """

    multipliers: tuple             # ((fact index, multiplier), ...)
    kind = "combination"


@dataclass(frozen=True)
class Split:
    """|A| is A where A ≥ 0 and −A where A ≤ 0: each branch proved by its own certificate
    (a Combination, or a Split for the next |·|) from the step's facts and the branch's
    condition, listed last (A ≥ 0, resp. −A ≥ 0)."""

    on: object                     # A, whose |A| occurs in the step's gap
    positive: object
    negative: object
    kind = "split"


@dataclass(frozen=True)
class Node:
    """One rule of a monotonicity proof that ``small ≤ big``.

    rule: "equal" (big − small ≡ 0), "fact" (big − small is fact ``fact``'s gap),
    "factor" (small = k·x, big = k·y, k ≥ 0, child x ≤ y), "factor turned" (the same
    with k ≤ 0, child y ≤ x),
    "power" (small = aᵗ, big = bᵗ, t ≥ 0, a ≥ 0), "exp" (exp is increasing),
    "terms" (common terms of a sum cancel), "sign" (big − small ≥ 0 from the
    intervals), "combination" (big − small ≥ 0 by ``combination``).
    ``sign_of`` proves k ≥ 0 (or −k ≥ 0), or a ≥ 0: None (from the intervals)
    or a Combination.
    """

    rule: str
    small: object
    big: object
    arg: object = None
    fact: int | None = None
    combination: Combination | None = None
    sign_of: Combination | None = None
    children: tuple = ()


@dataclass(frozen=True)
class Monotone:
    """A tree of monotonicity rules from the step's two sides down to facts."""

    root: Node
    kind = "monotone"


@dataclass(frozen=True)
class Sums:
    """A step with sums, indexed families or matrices, case by case (and entry by entry).

    For "=": ``methods`` holds (case label, entry, layer, "") when the layer reduces
    lhs − rhs to 0, or (case label, entry, "sums", layer) when it does so after the
    normal form of sums (entry "i,j" for matrices, "" otherwise); for an inequality,
    (case label, "", "signed sums", sign form); for ⪰ 0, (case label, "", "psd", "");
    for ⟺, ``inner`` is the Equivalence certificate of the equations with each sum
    a symbol.
    """

    methods: tuple
    inner: object = None
    kind = "sums"


@dataclass(frozen=True)
class Implication:
    """A ⟹ B: ``inner`` proves the step B with A among its conditions."""

    inner: object
    kind = "implication"


FORMS = {c.kind: c for c in (Zero, Root, Sign, Equivalence, Threshold, Instance, Unroll,
                             Combination, Split, Monotone, Sums, Implication)}


@dataclass(frozen=True)
class Proof:
    """What the kernel accepted: the certificate, the words of its check, how it was found."""

    certificate: object
    lines: tuple = field(default=())
