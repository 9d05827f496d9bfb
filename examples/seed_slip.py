"""The seed's slip in question 4 (d): the rate e^{−tλ/L} for the (L + λ)-smooth ℒ_λ, and what derive says.

Run it from the repository (or with derive installed)::

    python examples/seed_slip.py            # part (d): as solved, and as the scan wrote it
    python examples/seed_slip.py --explain  # with each proof's certificate

The scanned solution runs gradient descent on ℒ_λ(w) = ℒ(w) + λ/2‖w‖², which is
λ-strongly convex and (L + λ)-smooth, and quotes the rate of part (b) as
e^{−tλ/L}. Part (b)'s rate for an m-strongly convex, M-smooth function is
e^{−tm/M}, so the rate here is e^{−tλ/(L + λ)}; e^{−tλ/L} would need ℒ_λ to be
L-smooth, gradient descent to run with step 1/L, and L ≥ λ. This script builds
the scan's version from ``solutions/q4.py`` and checks it each way an author
might justify it.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

try:
    import derive  # noqa: F401
except ImportError:                      # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sympy import exp  # noqa: E402

from derive.build import use  # noqa: E402
from derive.model import Property  # noqa: E402
from derive.checks import check_derivation  # noqa: E402
from derive.notation import ZERO, VectorSymbol, norm_sq, value_at  # noqa: E402
from derive.report import counts, records  # noqa: E402
from derive.terminal import Style, step_lines, summary  # noqa: E402
from derive.catalog import load  # noqa: E402


def slipped(q4, smoothness=None):
    """Question 4 with the scan's rate e^{−tλ/L} in part (d), steps 24–26 and 29.

    ``smoothness``: the M that step 24 cites ``linear rate`` with; by default
    L + λ, the smoothness ℒ_λ is declared to have.
    """
    sym = {str(v.symbol): v.symbol for v in q4.variables} | {str(k): k for k, _ in q4.definitions}
    L, lam, t, Lstar = sym["L"], sym["λ"], sym["t"], sym["ℒ*"]
    M = L + lam if smoothness is None else smoothness
    wstar, wlam = VectorSymbol("w*"), VectorSymbol("w_λ")
    rate = exp(-t * lam / L)                              # the scan's rate
    d = next(i for i, p in enumerate(q4.parts) if p.label == "d")
    steps = list(q4.parts[d].steps)
    steps[0] = replace(steps[0], rhs=rate * (value_at("ℒ_λ", ZERO) - value_at("ℒ_λ", wlam)),
                       why=replace(steps[0].why, uses=(use("linear rate", "ℒ_λ", lam, M, wlam, ZERO),)))
    steps[1] = replace(steps[1], rhs=rate * (value_at("ℒ", ZERO) - Lstar))
    steps[2] = replace(steps[2], rhs=rate * (L / 2 * norm_sq(wstar)))
    steps[5] = replace(steps[5], rhs=rate * (L / 2 * norm_sq(wstar)) + lam / 2 * norm_sq(wstar))
    parts = list(q4.parts)
    parts[d] = replace(parts[d], steps=tuple(steps))
    return replace(q4, parts=tuple(parts))


def declare(q4, f, *props, parts=("d",)):
    """Q4 with more stated properties of ``f`` in ``parts``: (name, constant) pairs."""
    more = tuple(Property(name, f, c, tuple(parts)) for name, c in props)
    return replace(q4, properties=q4.properties + more)


def report(title, derivation, explain=False, part="d"):
    """The `derive check` lines of one part, and its summary."""
    results = [r for r in check_derivation(derivation) if r.part.label == part]
    print(title)
    for line in step_lines(records(derivation, results), Style(), explain):
        print(line)
    print(summary(counts(results), Style(), seconds=sum(r.verdict.seconds for r in results),
                  cached=0, total_reports=1))
    print()
    return results


def main(argv=()):
    explain = "--explain" in argv
    q4 = load("q4")
    L = next(v.symbol for v in q4.variables if str(v.symbol) == "L")
    return {
        "solved": report("Part (d) as solved: rate e^(-tλ/(L+λ))", q4, explain),
        "scan, M = L + λ": report("The scan's rate e^(-tλ/L), citing (b) with the declared smoothness L + λ",
                                  slipped(q4), explain),
        "scan, M = L": report("The scan's rate e^(-tλ/L), citing (b) as if ℒ_λ were L-smooth",
                              slipped(q4, smoothness=L), explain),
        "scan, declared L-smooth": report(
            "The same, with ℒ_λ declared L-smooth as well (it is not: the regulariser adds λ)",
            slipped(declare(q4, "ℒ_λ", ("smooth", L)), smoothness=L), explain),
        "scan, declared L-smooth, step 1/L": report(
            "The same, with ℒ_λ declared L-smooth and run with step 1/L (part (d) runs it with 1/(L + λ))",
            slipped(declare(q4, "ℒ_λ", ("smooth", L), ("gradient descent step", 1 / L)), smoothness=L),
            explain),
    }


if __name__ == "__main__":
    main(sys.argv[1:])
