"""Skeletons read without ANTLR: the trees latex2sympy2_extended builds for them, or None.

A skeleton (see latex.py) is numbers, placeholders ``\\variable{zN}``, + − ·
/, ^{…}, \\frac{…}{…}, \\sqrt[…]{…} and parentheses. This reader follows the
library's grammar for exactly that subset (additive over multiplicative over
unary over powers, all left-associative) and builds each node with the same
SymPy constructor calls, so its answer is the library's, node for node
(tests/source/test_arithmetic.py compares them). Anything outside the subset,
an implicit product included, is refused with None and left to the library.
"""

from __future__ import annotations

import re

from sympy import Add, Integer, Mul, Pow, Rational, S, Symbol

TOKEN = re.compile(r"\s*(?:\\variable\{(z\d+)\}|(\d+)|\\(cdot|frac|sqrt)(?![A-Za-z])|([-+/^(){}\[\]]))")
SPACE = re.compile(r"\s*\Z")
MAX_DIGITS = 4000        # longer integers are the library's (and its error's) business


class Refused(Exception):
    """The skeleton leaves the subset this reader knows."""


def read(skeleton: str):
    """The library's expression for ``skeleton``, or None when this reader refuses it."""
    try:
        tokens = _tokens(skeleton)
        parser = _Parser(tokens)
        value = parser.additive()
        if parser.k != len(tokens):
            return None
        return value
    except (Refused, RecursionError):
        return None


def _tokens(s: str) -> list:
    out, i = [], 0
    while not SPACE.match(s, i):
        m = TOKEN.match(s, i)
        if m is None:
            raise Refused
        var, num, cmd, char = m.groups()
        if var is not None:
            out.append(("var", var))
        elif num is not None:
            if len(num) > MAX_DIGITS:
                raise Refused
            out.append(("num", num))
        else:
            out.append(("cmd", cmd) if cmd is not None else (char, char))
        i = m.end()
    return out


def _add(lh, rh):
    """A sum with the operands' own sums spliced in (the library's add_flat)."""
    if lh.is_Add or rh.is_Add:
        args = (list(lh.args) if lh.is_Add else [lh]) + (list(rh.args) if rh.is_Add else [rh])
        return Add(*args, evaluate=False)
    return Add(lh, rh, evaluate=False)


def _mul(lh, rh):
    """A product with the operands' own products spliced in (the library's mul_flat)."""
    if lh.is_Mul or rh.is_Mul:
        args = (list(lh.args) if lh.is_Mul else [lh]) + (list(rh.args) if rh.is_Mul else [rh])
        return Mul(*args, evaluate=False)
    return Mul(lh, rh, evaluate=False)


def _negated(value):
    return -value if value.func.is_Number else _mul(S.NegativeOne, value)


def _quotient(top, bottom):
    if top.is_Integer and bottom.is_Integer:
        return Rational(top, bottom)
    return Mul(top, Pow(bottom, -1, evaluate=False), evaluate=False)


class _Parser:
    def __init__(self, tokens: list):
        self.tokens, self.k = tokens, 0

    def peek(self):
        return self.tokens[self.k][0] if self.k < len(self.tokens) else None

    def take(self, kind: str):
        if self.peek() != kind:
            raise Refused
        token = self.tokens[self.k]
        self.k += 1
        return token[1]

    def additive(self):
        value = self.multiplicative()
        while self.peek() in ("+", "-"):
            op = self.take(self.peek())
            right = self.multiplicative()
            value = _add(value, right if op == "+" else _negated(right))
        return value

    def multiplicative(self):
        value = self.unary()
        while True:
            kind = self.peek()
            if kind == "/":
                self.k += 1
                value = _quotient(value, self.unary())
            elif kind == "cmd" and self.tokens[self.k][1] == "cdot":
                self.k += 1
                value = _mul(value, self.unary())
            else:
                return value

    def unary(self):
        kind = self.peek()
        if kind == "+":
            self.k += 1
            return self.unary()
        if kind == "-":
            self.k += 1
            value = self.unary()
            return -value if value.func.is_Number or value.is_Number else _mul(S.NegativeOne, value)
        value = self.power()
        if self.peek() in ("var", "num", "(", "{", "[") or (
                self.peek() == "cmd" and self.tokens[self.k][1] != "cdot"):
            raise Refused        # juxtaposition: the library's implicit products are not ours
        return value

    def power(self):
        value = self.primary()
        while self.peek() == "^":
            self.k += 1
            exponent = self.braced()
            value = Pow(value, exponent, evaluate=False)
        return value

    def braced(self):
        self.take("{")
        value = self.additive()
        self.take("}")
        return value

    def primary(self):
        kind = self.peek()
        if kind == "num":
            return Integer(int(self.take("num")))     # the library's Number(digits)
        if kind == "var":
            return Symbol(self.take("var"))
        if kind == "(":
            self.k += 1
            value = self.additive()
            self.take(")")
            return value
        if kind == "cmd":
            name = self.take("cmd")
            if name == "frac":
                top = self.braced()
                return _quotient(top, self.braced())
            if name == "sqrt":
                root = None
                if self.peek() == "[":
                    self.k += 1
                    root = self.additive()
                    self.take("]")
                base = self.braced()
                return Pow(base, S.Half if root is None else 1 / root, evaluate=False)
        raise Refused
