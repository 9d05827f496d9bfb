"""Derivation files for benchmarks: many varied steps, or one big step.

    python bench/generate.py steps 500 -o /tmp/d500.md     # 500 steps, parts of 10
    python bench/generate.py sigma 64 -o /tmp/s64.md        # σ nested 64 times through definitions
    python bench/generate.py product 80 -o /tmp/p80.md      # a product of 80 linear factors

Every step is true and has coefficients of its own (step k uses numbers no other
step uses), so no cache of readings or verdicts can stand in for the work. The
kinds rotate: algebra (expand a product), derivative of a polynomial, chain rule
through σ and through exp, sign (a positive product on 0 < y < 1, a square
plus a constant), solve (a linear equation), and a two-link chain.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FRONT = """---
id: {id}
title: "{title}"
symbols:
  - x, w \\in \\mathbb{{R}}
  - 0 < y < 1
  - t > 0
functions:
  - \\sigma(z) = \\frac{{1}}{{1 + e^{{-z}}}}
{define}---

{intro}
"""


def _signed(c: int, term: str = "") -> str:
    """' + 3x' or ' - 3x' after a first term."""
    return f" {'-' if c < 0 else '+'} {abs(c)}{term}"


def _poly(coefficients, var: str = "x") -> str:
    """a x^n + … as LaTeX, highest power first, zero terms left out."""
    n = len(coefficients) - 1
    out = ""
    for k, c in enumerate(coefficients):
        power = n - k
        if c == 0:
            continue
        term = "" if power == 0 else var if power == 1 else f"{var}^{{{power}}}"
        if not out:
            out = f"{'-' if c < 0 else ''}{abs(c)}{term}"
        else:
            out += _signed(c, term)
    return out or "0"


def step(k: int) -> list:
    """The lines of step kind k % 7 with coefficients made from k (each k its own)."""
    a, b, c, d = k + 2, 2 * k + 3, k + 5, 3 * k + 1
    kind = k % 7
    if kind == 0:      # algebra: (a x + b)(c x - d) expanded
        return [f"({a}x + {b})({c}x - {d}) = {_poly([a * c, b * c - a * d, -b * d])}   % algebra"]
    if kind == 1:      # derivative of a cubic
        return [f"\\frac{{\\partial}}{{\\partial x}}\\left[{_poly([a, b, -c, 0])}\\right] = "
                f"{_poly([3 * a, 2 * b, -c])}   % derivative"]
    if kind == 2:      # chain rule through σ
        inner = f"{a}x + {b}"
        return [f"\\frac{{\\partial}}{{\\partial x}}\\left[\\sigma({inner})\\right] = "
                f"{a}\\sigma({inner})\\bigl(1 - \\sigma({inner})\\bigr)   % chain rule"]
    if kind == 3:      # chain rule through exp
        return [f"\\frac{{\\partial}}{{\\partial w}} e^{{{a}w^2 + {b}}} = {2 * a}w e^{{{a}w^2 + {b}}}"
                f"   % chain rule"]
    if kind == 4:      # sign
        if k % 2:
            return [f"{a} y (1 - y) + {b} y^2 > 0   % sign"]
        return [f"{a}x^2 + {b} \\ge {b}   % sign"]
    if kind == 5:      # solve a linear equation with a whole solution
        return [f"{a}t + {b} = {a * c + b} \\iff t = {c}   % solve"]
    # a two-link chain: a difference of squares, then a rearrangement
    return [f"(x + {a})^2 - (x - {a})^2 = {4 * a}x   % algebra",
            f"  = 4 \\cdot {a} x   % algebra"]


def steps_file(n: int, start: int = 0) -> str:
    """A file of exactly n steps in parts of ten; ``start`` shifts every coefficient, so
    files made with different starts share no formula."""
    lines, count, k = [], 0, start
    part = 0
    while count < n:
        if count % 10 == 0:
            if lines:
                lines.append("$$\n")
            part += 1
            lines.append(f"## ({part}) Part {part}\n\n$$")
        got = step(k)
        if count + len(got) > n:
            got = step(k - k % 7)          # an algebra step: one line
        lines.extend(got)
        count += len(got)
        k += 1
    lines.append("$$\n")
    front = FRONT.format(id=f"bench-{n}-{start}", title=f"{n} generated steps", define="",
                         intro=f"{n} generated steps with coefficients of their own.")
    return front + "\n" + "\n".join(lines)


def sigma_file(depth: int) -> str:
    """s_1 = σ(w x), s_k = σ(s_{k-1}); one chain-rule step for ∂s_depth/∂w, written as
    the product of every level's σ' and the innermost factor x."""
    define = "define:\n  - s_{1} = \\sigma(w x)\n" + "".join(
        f"  - s_{{{k}}} = \\sigma(s_{{{k - 1}}})\n" for k in range(2, depth + 1))
    factors = "".join(f"s_{{{k}}}(1 - s_{{{k}}})\\," for k in range(depth, 0, -1))
    body = ("## The derivative\n\n$$\n"
            f"\\frac{{\\partial s_{{{depth}}}}}{{\\partial w}} = {factors} x   % chain rule\n$$\n")
    front = FRONT.format(id=f"sigma-{depth}", title=f"sigma nested {depth} times", define=define,
                         intro=f"σ applied {depth} times through definitions.")
    return front + "\n" + body


def product_file(n: int) -> str:
    """(x+1)(x+2)…(x+n) = the same factors in reverse order, by algebra."""
    forward = "".join(f"(x + {k})" for k in range(1, n + 1))
    backward = "".join(f"(x + {k})" for k in range(n, 0, -1))
    body = f"## The product\n\n$$\n{forward} = {backward}   % algebra\n$$\n"
    front = FRONT.format(id=f"product-{n}", title=f"a product of {n} linear factors", define="",
                         intro=f"{n} linear factors, reordered.")
    return front + "\n" + body


KINDS = {"steps": steps_file, "sigma": sigma_file, "product": product_file}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("size", type=int)
    parser.add_argument("--start", type=int, default=0, help="steps: shift every coefficient")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    text = steps_file(args.size, args.start) if args.kind == "steps" else KINDS[args.kind](args.size)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
