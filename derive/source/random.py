"""Random variables in LaTeX: X \\sim \\mathcal{D}, X \\sim \\operatorname{Bernoulli}(p), X \\perp Y,
\\mathbb{E}[…], \\operatorname{Var}(…)."""

from __future__ import annotations

import re

from ..expectation import Expectation, Law, RandomSymbol, Variance
from .library import Skel
from .text import Text, quote
from .tokens import tokenize

VARIANCE = ("Var", "var", "Variance")
INDEPENDENT = re.compile(r"\\text\{\s*(mutually\s+)?independent\s*\}\s*$")


class RandomNotation:
    """Reader methods for 𝔼 and Var (mixed into Reader)."""

    def expectation(self, k: int, j: int, variance: bool = False):
        """\\mathbb{E}[X], \\mathbb{E}(X), \\mathbb{E} X; \\operatorname{Var}(X) likewise."""
        nxt = self.close_of(k + 1) + 1
        if nxt >= j:
            self.fail(f"{self.q(k, nxt)} needs what it is taken of: {self.q(k, nxt)}[X]", nxt)
        t = self.toks[nxt]
        if t.is_char("[", "(") or t.is_cs("{"):
            end = self.close_of(nxt)
            if end == nxt + 1:
                self.fail(f"an empty {self.q(k, end + 1)}", nxt)
            value, after = self.expr(nxt + 1, end), end + 1
        elif self.starts_atom(nxt):
            after, sk = self.operand(nxt, j)
            value = self.finish(sk, nxt, after)
        else:
            self.fail(f"{self.q(k, nxt)} needs what it is taken of: {self.q(k, nxt)}[X]", nxt)
        self.scalar(value, k)
        if not any(isinstance(s, RandomSymbol) for s in value.free_symbols):
            self.fail(f"{self.q(k, after)} has no random variable in it: declare one as X \\sim \\mathcal{{D}}",
                      nxt)
        sk = Skel()
        sk.obj(Variance(value) if variance else Expectation(value), k)
        return after, sk

    def is_expectation(self, k: int) -> bool:
        t = self.toks[k]
        return (t.is_cs("mathbb") and self._text_word(k) == "E") or \
            (t.is_cs("operatorname", "mathrm", "mathbf") and self._text_word(k) in ("E",))

    def is_variance(self, k: int) -> bool:
        return self.toks[k].is_cs("operatorname", "mathrm") and self._text_word(k) in VARIANCE


class RandomDeclarations:
    """Declarations of random variables and their independence (mixed into Declarations)."""

    def random(self, item: Text) -> bool:
        """``X, Y \\sim \\mathcal{D}`` or ``X \\sim \\operatorname{Bernoulli}(p)``; False when
        the item has no \\sim."""
        from .latex import Reader
        tokens = [t for t in tokenize(item, self.where) if t.kind != "space"]
        at = next((n for n, t in enumerate(tokens) if t.is_cs("sim")), None)
        if at is None:
            return False
        reader = Reader(item[:tokens[at].i], self.scope, self.where)
        names = self._names(reader, 0, len(reader.toks))
        law_text = item[tokens[at].i + len("\\sim"):].strip()
        kind, params = self._law(law_text)
        line = item.where(0)[0]
        for k, name in names:
            self._new_name(reader, k, name, line)
            sym = RandomSymbol(name.shown)
            self.scope.symbols[name.key] = sym
            self.scope.latex[sym] = name.key
            self.builder._extra_add("random", Law(sym, kind, params))
        return True

    def _law(self, text: Text):
        from .latex import Reader
        r = Reader(text, self.scope, self.where)
        toks = r.toks
        if not toks:
            self.where.error("expected a distribution after \\sim: \\mathcal{D} or "
                             "\\operatorname{Bernoulli}(p)", text)
        word = r._text_word(0) if toks[0].kind == "cs" else None
        if word == "Bernoulli" or (toks[0].kind == "cs" and toks[0].text == "operatorname"
                                   and word == "Bernoulli"):
            after = r.close_of(1) + 1
            if after >= len(toks) or not toks[after].is_char("("):
                r.fail("Bernoulli takes its parameter in parentheses: \\operatorname{Bernoulli}(p)", after)
            end = r.close_of(after)
            p = r.expr(after + 1, end)
            if not self._a_probability(p):
                r.fail(f"a Bernoulli parameter is a probability: {p} must be a number in [0, 1] "
                       "or a symbol declared in [0, 1] (p \\in [0, 1])", after + 1)
            return "bernoulli", (p,)
        if toks[0].is_cs("mathcal", "mathscr") or (toks[0].kind == "letter" and len(toks) == 1):
            return "any", ()
        r.fail(f"unknown distribution {quote(text.s)}: expected \\mathcal{{D}} (any, with finite "
               "moments) or \\operatorname{Bernoulli}(p)", 0)

    def _a_probability(self, p) -> bool:
        """Whether p lies in [0, 1] by its value or by its declared interval."""
        if p.is_number:
            return bool(p.is_real and 0 <= p <= 1)
        var = next((v for v in self.builder.variables if v.symbol == p), None)
        return (var is not None and var.lower is not None and var.upper is not None
                and var.lower >= 0 and var.upper <= 1)

    def independence(self, item: Text) -> bool:
        """``X \\perp Y`` or ``X, Y, Z \\text{ independent}`` (mutually); False otherwise."""
        from .latex import Reader
        s = item.s
        m = INDEPENDENT.search(s)
        if m:
            names_text = item[:m.start()]
        elif "\\perp" in s:
            self._one_pair(item)
            names_text = Text(s.replace("\\perp", ",    "), item.pos, item.end)
        else:
            return False
        reader = Reader(names_text, self.scope, self.where)
        names = self._names_existing(reader)
        symbols = []
        for k, name in names:
            sym = self.scope.symbols.get(name.key)
            if not isinstance(sym, RandomSymbol):
                reader.fail(f"{quote(name.key)} is not a declared random variable", k)
            symbols.append(sym)
        if len(set(symbols)) < 2:
            reader.fail("independence needs two or more random variables", 0)
        self.builder._extra_add("independent", frozenset(symbols))
        return True

    def _one_pair(self, item: Text):
        """``X \\perp Y`` states one pair. A chain ``U \\perp V \\perp Y`` (or ``X \\perp Y, Z``)
        has no one reading: U ⊥ V and V ⊥ Y say nothing of U and Y, and reading it as
        mutual independence proved 𝔼[UY] = 𝔼[U]𝔼[Y] from it."""
        perps = [m.start() for m in re.finditer(r"\\perp(?![a-zA-Z])", item.s)]
        depth, comma = 0, -1
        for i, ch in enumerate(item.s):
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if ch == "," and depth == 0:
                comma = i          # X_{1,2} \perp Y is one pair
                break
        if len(perps) > 1 or comma >= 0:
            self.where.error("a \\perp relates two random variables: write X, Y, Z \\text{ independent} "
                             "for mutual independence, or one X \\perp Y per pair",
                             item, perps[1] if len(perps) > 1 else comma)

    def _names_existing(self, reader):
        out = []
        for a, b in reader.split_commas(0, len(reader.toks)):
            got = reader.read_name(a) if a < b else None
            if got is None or got[0] != b:
                reader.fail(f"expected a random variable, not {reader.q(a, b)}", a)
            out.append((a, got[1]))
        return out


__all__ = ["RandomNotation", "RandomDeclarations"]
