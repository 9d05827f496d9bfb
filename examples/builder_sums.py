"""Sums, a Hessian and an expectation written with the Python builder, checked like a file.

Run it from the repository (or with derive installed)::

    python examples/builder_sums.py

The same mathematics as ``gaussian-mle.md``, ``hessian-saddle.md`` and
``bias-variance.md``, built with ``b.index``, ``b.family``, ``b.sum``, ``D_wrt``,
``hessian``, ``Matrix``, ``b.random`` and ``E``.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import derive  # noqa: F401
except ImportError:                      # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sympy import exp, log, pi  # noqa: E402

from derive.build import D, D_wrt, Builder, E, Matrix, Variance, hessian  # noqa: E402
from derive.checks import check_derivation  # noqa: E402
from derive.printing import relation_text  # noqa: E402


def build():
    b = Builder("builder-sums", "Sums, a Hessian and an expectation, from Python")
    n = b.var("n", integer=True, lower=1, lower_open=False)
    i = b.index("i", 1, n)
    x = b.family("x", i)
    mu, sigma = b.var("mu", latex=r"\mu"), b.var("sigma", latex=r"\sigma", lower=0)
    S = lambda e: b.sum(e, i)  # noqa: E731 - Σ over i's declared range
    ell = b.define("ell", -n / 2 * log(2 * pi * sigma ** 2) - S((x[i] - mu) ** 2) / (2 * sigma ** 2),
                   latex=r"\ell")

    b.part("a", "The Gaussian log-likelihood")
    b.step(D(ell, mu), "=", S(x[i] - mu) / sigma ** 2, "derivative")
    b.step(D_wrt(ell, sigma ** 2, sigma), "=",
           -n / (2 * sigma ** 2) + S((x[i] - mu) ** 2) / (2 * sigma ** 4), "derivative")

    b.part("b", "A Hessian and a saddle")
    u, v = b.var("u"), b.var("v")
    f = u ** 2 * v + exp(u * v)
    b.step(hessian(f, (u, v), (0, 0)), "=", Matrix([[0, 1], [1, 0]]), "derivative")

    b.part("c", "Bias and variance")
    X = b.random("X")
    c = b.var("c")
    b.step(E((X - c) ** 2), "=", Variance(X) + (E(X) - c) ** 2, "algebra")
    return b.build(source=__file__)


def main():
    results = check_derivation(build())
    for r in results:
        v = r.verdict
        print(f"{v.status:8} {r.part.label}.{r.index}  {relation_text(r.lhs, r.step.rel, r.step.rhs)}"
              f"   [{v.method}]")
    return 0 if all(r.verdict.status == "proved" for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
