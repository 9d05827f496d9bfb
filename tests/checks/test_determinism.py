"""The same input gives the same verdicts on an idle machine and beside a CPU hog."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from sympy import Rational, exp, log

from derive.build import Builder
from derive.checks import check_derivation
from derive.checks.falsify import search_relation
from derive.checks.points import region
from derive.kernel import World
from derive.kernel.meaning import prepare
from derive.source import load_file

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def cpu_hog():
    """A busy child process for the duration of the block."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        hog.kill()
        hog.wait()


def verdicts():
    derivation = load_file(ROOT / "examples" / "logistic-regression.md")
    out = [(r.verdict.status, r.verdict.method, r.verdict.counterexample)
           for r in check_derivation(derivation)]
    b = Builder("hog", "")
    x, n = b.var("x"), b.var("n", lower=0, lower_open=False, integer=True)
    world = World(b.build(), (), "a")
    case = region(world, world.cases[0])
    for lhs, rel, rhs in ((x * exp(-x), "<=", Rational(3678, 10000)),      # numeric search
                          (log(1 + exp(x)), ">=", x + Rational(1, 100)),
                          (n**2, "<=", 1000 * n)):                          # z3
        out.append(search_relation(prepare(world, lhs, case.case), prepare(world, rhs, case.case),
                                   rel, case))
    return out


def test_a_cpu_hog_changes_no_verdict():
    idle = verdicts()
    with cpu_hog():
        busy = verdicts()
    assert busy == idle
