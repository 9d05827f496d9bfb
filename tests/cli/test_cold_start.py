"""A cold start skips SymPy's tensor module until something uses it, and nothing else changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_checking_never_loads_the_tensor_module():
    out = run("import sys, derive.session as s\n"
              "r = s.check(['q6'], cache=False, jobs=1)\n"
              "print(r.counts['proved'], 'sympy.combinatorics' in sys.modules,\n"
              "      type(sys.modules['sympy.tensor.tensor']).__name__)")
    assert out == "25 False _Deferred"


def test_the_real_module_answers_once_anything_else_is_asked_of_it():
    out = run("import derive, sympy, sys\n"
              "x, y = sympy.symbols('x y'); assert x + y - y == x\n"
              "from sympy.tensor.tensor import TensorIndexType, tensor_indices, TensorHead, TensAdd\n"
              "L = TensorIndexType('L'); i, j = tensor_indices('i j', L); A = TensorHead('A', [L])\n"
              "s = A(i) + A(i)\n"
              "print(s == 2 * A(i), isinstance(A(i) + 2 * A(i), sympy.Expr),\n"
              "      sys.modules['sympy.tensor.tensor'].TensAdd is TensAdd,\n"
              "      isinstance(sympy.Add(A(i), A(i), evaluate=False), sympy.Basic))")
    assert out == "True True True True"
