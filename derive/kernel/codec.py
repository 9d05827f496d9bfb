"""Certificates as plain JSON and back: expressions as trees of known node types, symbols by name.

Decoding never evaluates text: a node's head must be one of a fixed set of SymPy
classes, and a symbol must be one the step already has (a tampered name is an
error, not a new symbol). Anything malformed raises ValueError.
"""

from __future__ import annotations

import re

from . import certificates as C

MAX_DEPTH = 200
# A stored power of two numbers is evaluated when it is decoded (10^(10^8) would take
# minutes, outside any budget): its result may have at most this many digits.
MAX_DIGITS = 10_000
_NUMBER = re.compile(r"^-?\d{1,400}(\.\d{0,400})?(e-?\d{1,4})?$")


def _classes():
    import sympy
    from ..notation import Inner, ReLU, sigma
    names = ("Add", "Mul", "Pow", "exp", "log", "Abs", "Max", "Min", "sin", "cos", "tan",
             "tanh", "sinh", "cosh", "atan", "sqrt", "Heaviside", "sign", "floor", "ceiling")
    out = {n: getattr(sympy, n) for n in names}
    out.update(Inner=Inner, ReLU=ReLU, sigma=sigma)
    return out


def encode(expr, depth=0):
    from sympy import Float, Integer, Rational, Symbol, pi, E
    from ..notation import VectorSymbol
    if depth > MAX_DEPTH:
        raise ValueError("expression too deep to store")
    if expr is pi or expr is E:
        return [str(expr)]
    if isinstance(expr, Integer):
        return ["int", str(expr.p)]
    if isinstance(expr, Rational):
        return ["rat", str(expr.p), str(expr.q)]
    if isinstance(expr, Float):
        return ["float", str(expr)]
    if isinstance(expr, VectorSymbol):
        return ["vec", expr.name]
    if isinstance(expr, Symbol):
        return ["sym", expr.name]
    head = type(expr).__name__
    if head == "exp":
        return ["exp", encode(expr.args[0], depth + 1)]
    if head not in _classes():
        raise ValueError(f"cannot store a {head} in a certificate")
    return [head] + [encode(a, depth + 1) for a in expr.args]


def decode(data, symbols, depth=0):
    """The expression ``data`` encodes; ``symbols`` maps ("sym"|"vec", name) to the step's symbols."""
    from sympy import E, Float, Integer, Rational, pi
    if depth > MAX_DEPTH or not isinstance(data, list) or not data or not isinstance(data[0], str):
        raise ValueError("malformed expression")
    head, args = data[0], data[1:]
    if head in ("pi", "E") and not args:
        return pi if head == "pi" else E
    if head == "int" and len(args) == 1 and isinstance(args[0], str) and args[0].lstrip("-").isdigit():
        return Integer(int(args[0]))
    if head == "rat" and len(args) == 2 and all(isinstance(a, str) and a.lstrip("-").isdigit() for a in args):
        if int(args[1]) == 0:
            raise ValueError("a zero denominator")
        return Rational(int(args[0]), int(args[1]))
    if head == "float" and len(args) == 1 and isinstance(args[0], str) and _NUMBER.match(args[0]):
        return Float(args[0])
    if head in ("sym", "vec") and len(args) == 1 and isinstance(args[0], str):
        try:
            return symbols[head, args[0]]
        except KeyError:
            raise ValueError(f"the certificate names a symbol the step does not have: {args[0]}") from None
    cls = _classes().get(head)
    if cls is None:
        raise ValueError(f"unknown expression node {head!r}")
    values = [decode(a, symbols, depth + 1) for a in args]
    if head == "Pow" and len(values) == 2:
        _small_power(*values)
    return cls(*values)


def _small_power(base, exponent):
    """Refuse a power of numbers whose value would have more than MAX_DIGITS digits."""
    from sympy import Rational
    if isinstance(base, Rational) and isinstance(exponent, Rational) and abs(base) not in (0, 1):
        digits = len(str(abs(base.p))) + len(str(base.q))
        if digits * abs(exponent) > MAX_DIGITS:
            raise ValueError("a power too large to store")


def symbol_table(*exprs) -> dict:
    """("sym"|"vec", name) → symbol for every free symbol of ``exprs``."""
    from ..notation import VectorSymbol
    out = {}
    for e in exprs:
        for s in getattr(e, "free_symbols", ()):
            out["vec" if isinstance(s, VectorSymbol) else "sym", s.name] = s
    return out


def to_json(cert) -> dict:
    """A certificate as plain data."""
    kind = cert.kind
    if kind in ("zero", "root"):
        return {"kind": kind, "layers": [list(e) for e in cert.layers]}
    if kind == "sign":
        return {"kind": kind, "forms": [list(e) for e in cert.forms]}
    if kind == "equivalence":
        return {"kind": kind, "methods": [list(e) for e in cert.methods]}
    if kind == "combination":
        return {"kind": kind, "multipliers": [[i, encode(c)] for i, c in cert.multipliers]}
    if kind == "monotone":
        return {"kind": kind, "root": _node_json(cert.root)}
    if kind == "split":
        return {"kind": kind, "on": encode(cert.on), "positive": to_json(cert.positive),
                "negative": to_json(cert.negative)}
    if kind in ("sums", "implication"):
        out = {"kind": kind, "inner": None if getattr(cert, "inner", None) is None else to_json(cert.inner)}
        if kind == "sums":
            out["methods"] = [list(e) for e in cert.methods]
        return out
    return {"kind": kind}


def _node_json(node):
    return {"rule": node.rule, "small": encode(node.small), "big": encode(node.big),
            "arg": None if node.arg is None else encode(node.arg), "fact": node.fact,
            "combination": None if node.combination is None else to_json(node.combination),
            "sign_of": None if node.sign_of is None else to_json(node.sign_of),
            "children": [_node_json(c) for c in node.children]}


def from_json(data, symbols):
    """The certificate ``data`` describes (ValueError when it is malformed)."""
    if not isinstance(data, dict) or data.get("kind") not in C.FORMS:
        raise ValueError("not a certificate")
    kind = data["kind"]
    if kind in ("zero", "root"):
        return C.FORMS[kind](_rows(data.get("layers"), 2))
    if kind == "sign":
        return C.Sign(_rows(data.get("forms"), 2))
    if kind == "equivalence":
        return C.Equivalence(_rows(data.get("methods"), 4))
    if kind == "combination":
        rows = data.get("multipliers")
        if not isinstance(rows, list) or not all(
                isinstance(r, list) and len(r) == 2 and isinstance(r[0], int) for r in rows):
            raise ValueError("malformed multipliers")
        return C.Combination(tuple((i, decode(c, symbols)) for i, c in rows))
    if kind == "monotone":
        return C.Monotone(_node(data.get("root"), symbols, 0))
    if kind == "split":
        branches = [from_json(data.get(k), symbols) for k in ("positive", "negative")]
        if any(b.kind not in ("combination", "split") for b in branches):
            raise ValueError("a split's branches must be combinations or splits")
        return C.Split(decode(data.get("on"), symbols), *branches)
    inner = data.get("inner")
    inner = None if inner is None else from_json(inner, symbols)
    if kind == "implication":
        if inner is None:
            raise ValueError("an implication needs the proof of its conclusion")
        return C.Implication(inner)
    if kind == "sums":
        return C.Sums(_rows(data.get("methods"), 4), inner)
    return C.FORMS[kind]()


def _rows(rows, width):
    if not isinstance(rows, list) or not all(
            isinstance(r, list) and len(r) == width and all(isinstance(x, str) for x in r) for r in rows):
        raise ValueError("malformed certificate rows")
    return tuple(tuple(r) for r in rows)


def _node(data, symbols, depth):
    if depth > MAX_DEPTH or not isinstance(data, dict) or not isinstance(data.get("rule"), str):
        raise ValueError("malformed monotonicity node")
    fact = data.get("fact")
    if fact is not None and not isinstance(fact, int):
        raise ValueError("malformed fact index")
    kids = data.get("children")
    if not isinstance(kids, list):
        raise ValueError("malformed children")
    sub = {k: None if data.get(k) is None else from_json(data[k], symbols)
           for k in ("combination", "sign_of")}
    if any(v is not None and v.kind != "combination" for v in sub.values()):
        raise ValueError("a node's sign proof must be a combination")
    return C.Node(data["rule"], decode(data.get("small"), symbols), decode(data.get("big"), symbols),
                  None if data.get("arg") is None else decode(data["arg"], symbols), fact,
                  sub["combination"], sub["sign_of"],
                  tuple(_node(k, symbols, depth + 1) for k in kids))
