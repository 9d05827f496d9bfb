"""LaTeX math to SymPy: our pre-pass for the notation, latex2sympy2_extended for arithmetic.

The pre-pass reads every name, function call and special notation itself
(∂-fractions, ⟨a,b⟩, ‖a‖², |x|, lim, cases, σ, ReLU, f(w), ∇f(w)) and hands
the library only a skeleton: numbers, placeholders ``\\variable{zN}``, + − ·
/, ^, \\frac, \\sqrt and parentheses, with every implicit product made an
explicit ``\\cdot``. That keeps the library away from the places where it
reads a different meaning than a mathematician (``2(3)`` as 5, ``1e5`` as
1·e·5, ``a(b)`` as a call, ``\\log`` as base 10, dropped primes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sympy import (Abs, And, Basic, Derivative, Dummy, E, Eq, Expr, Function, Ge, Gt, Integer,
                   Le, Limit, Lt, Max, Min, Mul, Ne, Piecewise, Pow, Rational, Symbol,
                   acos, asin, atan, cos, cosh, evaluate, exp, log, oo, pi, sin, sinh, sqrt,
                   tan, tanh, true)

from ..notation import ZERO, Inner, ReLU, VectorSymbol, grad_at, linear_parts, sigma, value_at
from .names import ACCENTS, DECORATIONS, FONTS, GREEK, canonical, display
from .scope import Fn, Name, Scope
from .text import Text, Where, quote
from .tokens import Tok, tokenize

RELATIONS = {"=": "=", "<": "<", ">": ">", "le": "<=", "leq": "<=", "leqslant": "<=",
             "ge": ">=", "geq": ">=", "geqslant": ">=", "lt": "<", "gt": ">", "ne": "!=",
             "neq": "!=", "iff": "iff", "Leftrightarrow": "iff", "Longleftrightarrow": "iff"}
BUILTINS = {"exp": exp, "ln": log, "log": log, "tanh": tanh, "sinh": sinh, "cosh": cosh,
            "sin": sin, "cos": cos, "tan": tan, "arctan": atan, "arcsin": asin, "arccos": acos}
MULTI = {"max": Max, "min": Min}
RELU_NAMES = {"ReLU", "relu", "Relu"}
TRANSPOSE = {"top", "intercal", "T"}
MAX_LENGTH = 4000
CONSTRUCTORS = {"=": Eq, "<": Lt, ">": Gt, "<=": Le, ">=": Ge, "!=": Ne}


def _lib():
    # Imported on first use: `derive --help` and `derive check all` never pay for it.
    from latex2sympy2_extended import latex2sympy
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig
    config = ConversionConfig(interpret_as_mixed_fractions=False, lowercase_symbols=False,
                              interpret_contains_as_eq=False,
                              interpret_simple_eq_as_assignment=False)
    return latex2sympy, config


_CACHE: dict = {}
_ALLOWED = ("Add", "Mul", "Pow", "Symbol", "Integer", "Rational", "Half", "One", "Zero",
            "NegativeOne")


def _library_parse(skeleton: str):
    """The library's reading of a skeleton, or the error it raised (cached by text)."""
    if skeleton in _CACHE:
        return _CACHE[skeleton]
    from .skeletons import STORE
    result = STORE.get(skeleton)
    if result is not None:
        _CACHE[skeleton] = result
        return result
    latex2sympy, config = _lib()
    try:
        result = latex2sympy(skeleton, normalization_config=None, conversion_config=config)
        STORE.put(skeleton, result)
    except RecursionError:
        result = ValueError("the expression is nested too deeply")
    except Exception as exc:      # the library raises bare Exceptions for syntax errors
        result = exc
    if len(_CACHE) > 20000:
        _CACHE.clear()
    _CACHE[skeleton] = result
    return result


@dataclass
class Obj:
    """A SymPy object the pre-pass built, standing in the skeleton as one symbol."""

    value: object
    tok: int


@dataclass
class Skel:
    """A skeleton for the library: strings and objects, each with the token it came from."""

    parts: list = field(default_factory=list)    # (str | Obj, token index)

    def raw(self, s: str, tok: int):
        self.parts.append((s, tok))

    def obj(self, value, tok: int):
        self.parts.append((Obj(value, tok), tok))

    def extend(self, other: "Skel"):
        self.parts.extend(other.parts)

    def single(self):
        """The object when the skeleton is exactly one object, else None."""
        if len(self.parts) == 1 and isinstance(self.parts[0][0], Obj):
            return self.parts[0][0].value
        return None


class Reader:
    """Reads one piece of LaTeX math against a Scope; errors point into the file."""

    def __init__(self, text: Text, scope: Scope, where: Where, bound=None, tokens=None):
        if len(text) > MAX_LENGTH:
            where.error(f"this math is {len(text)} characters long; the limit is {MAX_LENGTH}", text)
        self.text, self.scope, self.where = text, scope, where
        toks = tokens if tokens is not None else tokenize(text, where)
        self.toks = [t for t in toks if t.kind != "space"]
        self.bound = dict(bound or {})
        self.match = self._match()

    # -- errors ---------------------------------------------------------------
    def fail(self, message: str, k: int | None = None):
        i = self.toks[k].i if k is not None and k < len(self.toks) else len(self.text)
        self.where.error(message, self.text, i)

    def src(self, i: int, j: int) -> str:
        """The LaTeX of tokens i..j-1 as the author wrote it."""
        if i >= j or i >= len(self.toks):
            return ""
        a = self.toks[i].i
        b = self.toks[j].i if j < len(self.toks) else len(self.text)
        return self.text.s[a:b].strip()

    def q(self, i: int, j: int) -> str:
        return quote(self.src(i, j))

    # -- bracket matching -----------------------------------------------------
    def _match(self) -> dict:
        pairs = {"(": ")", "[": "]", "{": "}"}
        cs_pairs = {"{": "}", "langle": "rangle", "lVert": "rVert", "lvert": "rvert"}
        closers = set(pairs.values())
        cs_closers = set(cs_pairs.values())
        stack, match = [], {}
        k, toks = 0, self.toks
        while k < len(toks):
            t = toks[k]
            if t.kind == "char" and t.text in pairs:
                stack.append((k, pairs[t.text]))
            elif t.kind == "cs" and t.text in cs_pairs:
                stack.append((k, "\\" + cs_pairs[t.text]))
            elif t.kind == "cs" and t.text in ("begin", "end"):
                env, after = self._env_name(k)
                if t.text == "begin":
                    stack.append((k, "\\end{%s}" % env))
                else:
                    self._close(stack, match, k, "\\end{%s}" % env)
                k = after
                continue
            elif (t.kind == "char" and t.text in closers) or (t.kind == "cs" and t.text in cs_closers):
                self._close(stack, match, k, t.shown)
            k += 1
        if stack:
            k, want = stack[-1]
            self.fail(f"{quote(self.toks[k].shown)} is never closed: expected {quote(want)} "
                      f"in {quote(self.text.s)}", k)
        return match

    def _env_name(self, k: int):
        toks = self.toks
        if k + 1 < len(toks) and toks[k + 1].is_char("{"):
            j = k + 2
            name = ""
            while j < len(toks) and (toks[j].kind == "letter" or toks[j].is_char("*")):
                name += toks[j].text
                j += 1
            if j < len(toks) and toks[j].is_char("}") and name:
                return name, j + 1
        self.fail(f"expected an environment name in braces after \\{toks[k].text}", k)

    def _close(self, stack, match, k, shown):
        if not stack:
            self.fail(f"{quote(shown)} closes nothing in {quote(self.text.s)}", k)
        opener, want = stack.pop()
        if want != shown:
            self.fail(f"expected {quote(want)} to close {quote(self.toks[opener].shown)}, "
                      f"found {quote(shown)}", k)
        match[opener] = k

    def close_of(self, k: int) -> int:
        return self.match[k]

    def skip(self, k: int) -> int:
        """The index after the token at k and, if it opens a group, the whole group."""
        if k in self.match:
            t = self.toks[k]
            end = self.match[k]
            if t.is_cs("begin"):
                return self._env_name(end)[1] if self.toks[end].is_cs("end") else end + 1
            return end + 1
        return k + 1

    # -- top level ------------------------------------------------------------
    def split_relations(self, i: int, j: int):
        """[(start, end)] of the pieces between top-level relations, and the relations
        [(op, token index)]."""
        pieces, ops, start, k = [], [], i, i
        while k < j:
            t = self.toks[k]
            op = None
            if (t.kind == "char" and t.text in "=<>") or (t.kind == "cs" and t.text in RELATIONS):
                op = RELATIONS[t.text]
            if op:
                pieces.append((start, k))
                ops.append((op, k))
                start = k + 1
            k = self.skip(k) if k in self.match else k + 1
        pieces.append((start, j))
        return pieces, ops

    def split_commas(self, i: int, j: int):
        pieces, start, k = [], i, i
        while k < j:
            if self.toks[k].is_char(","):
                pieces.append((start, k))
                start = k + 1
            k = self.skip(k)
        pieces.append((start, j))
        return pieces

    def expr(self, i: int, j: int):
        """The SymPy expression of tokens i..j-1 (no relations)."""
        if i >= j:
            self.fail(f"expected an expression here, in {quote(self.text.s)}", i)
        sk = self.seq(i, j)
        return self.finish(sk, i, j)

    def finish(self, sk: Skel, i: int, j: int):
        single = sk.single()
        if single is not None:
            return single
        pieces, objs, offsets = [], [], []
        length = 0
        for piece, tok in sk.parts:
            if isinstance(piece, Obj):
                s = "\\variable{z%d}" % len(objs)
                objs.append(piece.value)
            else:
                s = piece
            offsets.append((length, tok))
            pieces.append(s)
            length += len(s)
        skeleton = "".join(pieces)
        result = Integer(skeleton) if skeleton.isdigit() else _library_parse(skeleton)
        if isinstance(result, BaseException):
            col = _error_column(str(result))
            tok = i
            if col is not None:
                for off, t in offsets:
                    if off <= col:
                        tok = t
            self.fail(f"cannot read {self.q(i, j)} near {self.q(tok, min(tok + 3, j))}: "
                      f"expected an expression such as 2x(1-y) or \\frac{{a}}{{b}}", tok)
        if not isinstance(result, Expr) or isinstance(result, Basic) and result.is_Relational:
            self.fail(f"{self.q(i, j)} is not an expression", i)
        for node in _preorder(result):
            name = type(node).__name__
            if name not in _ALLOWED:
                self.fail(f"cannot read {self.q(i, j)}: the LaTeX parser made a {name} of it", i)
        result = _tidy(result)
        names = {f"z{n}": obj for n, obj in enumerate(objs)}
        mapping = {}
        for s in result.free_symbols:
            if s.name not in names:
                self.fail(f"cannot read {self.q(i, j)}: unexpected symbol {s.name}", i)
            mapping[s] = names[s.name]
        with evaluate(False):
            return result.xreplace(mapping)

    # -- sequences and atoms ----------------------------------------------------
    def seq(self, i: int, j: int):
        """A skeleton for tokens i..j-1: operands joined by + − · /, juxtaposition made ·."""
        return self.seq_until(i, j, False)[0]

    def seq_until(self, i: int, j: int, stop_at_sign: bool):
        """(skeleton, where it stopped); with ``stop_at_sign`` it ends before a + or −
        that follows an operand (the extent of a product term, as after \\lim)."""
        sk = Skel()
        k, expect, count = i, True, 0
        while k < j:
            t = self.toks[k]
            if t.is_char("+", "-"):
                if stop_at_sign and count:
                    break
                sk.raw(t.text, k)
                expect = True
                k += 1
                continue
            if t.is_cs("cdot", "times") or t.is_char("*"):
                if expect:
                    self.fail(f"{quote(t.shown)} needs something on its left in {self.q(i, j)}", k)
                sk.raw("\\cdot ", k)
                expect = True
                k += 1
                continue
            if t.is_char("/") or t.is_cs("div"):
                if expect:
                    self.fail(f"{quote(t.shown)} needs something on its left in {self.q(i, j)}", k)
                sk.raw("/", k)
                k, piece = self.operand(k + 1, j)
                sk.extend(piece)
                if k < j and self.starts_atom(k):
                    self.fail(f"ambiguous division in {self.q(i, j)}: write \\frac{{…}}{{…}} "
                              f"or put the divisor in parentheses", k)
                expect = False
                count += 1
                continue
            if t.is_char("=", "<", ">") or t.is_cs(*RELATIONS):
                self.fail(f"unexpected relation {quote(t.shown)} in {self.q(i, j)}: "
                          "expected one relation per step or condition", k)
            if not self.starts_atom(k):
                self.fail(f"unexpected {quote(t.shown)} in {self.q(i, j)}: expected a number, "
                          "a declared symbol, ( … ), \\frac{…}{…} or a function", k)
            if not expect:
                prev = self.toks[k - 1]
                if t.kind == "num" and prev.kind == "letter" and prev.i + 1 == t.i:
                    # x2 is a typo for x_2 or x^2 more often than a product.
                    self.fail(f"a number right after a letter in {self.q(i, j)}: write 2x, x_2, "
                              "x^2 or x \\cdot 2", k)
                sk.raw("\\cdot ", k)
            k, piece = self.operand(k, j)
            sk.extend(piece)
            expect = False
            count += 1
        if expect:
            if count == 0 and not sk.parts:
                self.fail("expected an expression here", i)
            self.fail(f"{self.q(i, k)} ends with an operator: expected something after it", k - 1)
        return sk, k

    def starts_atom(self, k: int) -> bool:
        t = self.toks[k]
        if t.kind in ("num", "letter"):
            return True
        if t.kind == "char":
            return t.text in "([{|"
        if t.kind == "cs":
            return t.text not in RELATIONS and t.text not in ("cdot", "times", "div", "\\", "to",
                                                              "rangle", "rVert", "rvert", "end")
        return False

    def operand(self, k: int, j: int):
        """One factor with its superscript; ``x^\\top y`` is read here as ⟨x, y⟩."""
        k, sk = self.atom(k, j)
        if k < j and self.toks[k].is_char("^"):
            sup = self.sup_range(k)
            if self._is_transpose(*sup):
                left = self.finish(sk, k, k)
                k = sup[2]
                if k >= j or not self.starts_atom(k):
                    self.fail("a transpose needs a vector after it: write x^\\top y", k)
                k2, right_sk = self.atom(k, j)
                right = self.finish(right_sk, k, k2)
                out = Skel()
                out.obj(self.inner(left, right, k), k)
                return k2, out
            k = self.power(k, j, sk)
        if k < j and self.toks[k].is_char("^"):
            self.fail("a double superscript: use braces, x^{a^{b}}", k)
        if k < j and self.toks[k].is_char("_"):
            self.fail(f"a subscript after {self.q(k - 1, k)}: subscripts belong to names such as w_t", k)
        if k < j and self.toks[k].is_char("'"):
            self.fail("a prime here is not a declared name: write \\frac{d}{dx} or declare the name", k)
        if k < j and self.toks[k].is_char("!"):
            self.fail("factorials are not supported", k)
        return k, sk

    def sup_range(self, k: int):
        """(start, end, next) of the superscript argument whose '^' is at k."""
        return self._arg(k + 1, "superscript")

    def _arg(self, k: int, what: str):
        if k >= len(self.toks):
            self.fail(f"expected a {what} here", k)
        t = self.toks[k]
        if t.is_char("{"):
            end = self.close_of(k)
            return k + 1, end, end + 1
        if t.kind == "num" and len(t.text) > 1:
            self.fail(f"{quote(t.text)} as an unbraced {what} is only its first digit in TeX: "
                      f"write {{{t.text}}}", k)
        if t.kind in ("num", "letter") or t.is_char("*", "+", "-", "'") or (
                t.kind == "cs" and (t.text in GREEK or t.text in DECORATIONS or
                                    t.text in ("infty", "intercal", "pi"))):
            return k, k + 1, k + 1
        self.fail(f"expected a {what} after {quote(self.toks[k - 1].shown)}", k)

    def _is_transpose(self, a, b, _next) -> bool:
        if b - a != 1:
            return False
        t = self.toks[a]
        if t.is_cs("top", "intercal"):
            return True
        return t.kind == "letter" and t.text == "T" and not self.scope.known("T") and "T" not in self.bound

    def power(self, k: int, j: int, sk: Skel) -> int:
        a, b, nxt = self.sup_range(k)
        t = self.toks[a]
        if b - a == 1 and (t.is_char("*", "+", "'") or t.is_cs(*DECORATIONS)):
            self.fail(f"{self.q(k - 1, nxt)} is not a declared name: declare it under symbols", a)
        if b - a == 1 and t.is_char("-"):
            self.fail("a superscript '-' alone: write x^{-1} for a power", a)
        sk.raw("^{", k)
        sk.extend(self.seq(a, b))
        sk.raw("}", b)
        return nxt

    def atom(self, k: int, j: int):
        """(next index, skeleton) for one factor starting at k, without its superscript."""
        t = self.toks[k]
        sk = Skel()
        if t.kind == "num":
            if "." in t.text:
                sk.obj(Rational(t.text), k)
            else:
                sk.raw(t.text, k)
            return k + 1, sk
        if t.is_char("(", "[", "{") or t.is_cs("{"):
            end = self.close_of(k)
            if end == k + 1:
                self.fail(f"empty {quote(t.shown + self.toks[end].shown)}: expected an expression inside", k)
            sk.raw("(", k)
            sk.extend(self.seq(k + 1, end))
            sk.raw(")", end)
            return end + 1, sk
        if t.kind == "cs":
            name = t.text
            if name in ("frac", "tfrac", "dfrac", "cfrac"):
                return self.frac(k, j)
            if name == "sqrt":
                return self.sqrt(k)
            if name == "langle":
                end = self.close_of(k)
                parts = self.split_commas(k + 1, end)
                if len(parts) != 2:
                    self.fail(f"⟨…⟩ takes two vectors separated by one comma: {self.q(k, end + 1)}", k)
                a = self.expr(*parts[0])
                b = self.expr(*parts[1])
                sk.obj(self.inner(a, b, k), k)
                return end + 1, sk
            if name in ("|", "Vert", "lVert"):
                return self.norm(k, j)
            if name in ("lvert", "vert"):
                return self.abs(k, j)
            if name == "lim":
                return self.limit(k, j)
            if name == "nabla":
                return self.gradient(k, j)
            if name == "begin":
                return self.cases(k)
            if name == "infty":
                sk.obj(oo, k)
                return k + 1, sk
            if name == "partial":
                self.fail("\\partial outside a fraction: write \\frac{\\partial f}{\\partial x}", k)
            if name in ("text", "mbox", "textrm", "textit", "textbf"):
                end = self.skip(k + 1) if k + 1 < len(self.toks) else k + 1
                self.fail(f"text inside math ({self.q(k, end)}): expected math; "
                          "use \\operatorname{…} for a function name", k)
            if name in BUILTINS or name in MULTI:
                return self.call(k, j, None, builtin=name)
        if t.is_char("|"):
            return self.abs(k, j)
        return self.named(k, j)

    # -- names --------------------------------------------------------------------
    def read_name(self, k: int, declaring: bool = False):
        """(next index, Name) for a name at k, or None when k does not start one.

        A name is a letter, a Greek letter, an accent or font applied to one, or
        \\operatorname{…}, then an optional subscript, then an optional decoration
        (*, +, \\star, \\dagger, ') that belongs to the name when the decorated
        name is declared (or being declared).
        """
        toks = self.toks
        t = toks[k]
        if t.kind == "letter":
            base, inner, kind, nxt = t.text, "", "letter", k + 1
            inner_shown = t.text
        elif t.kind == "cs" and t.text in GREEK:
            base, inner, kind, nxt = t.text, "", "greek", k + 1
            inner_shown = GREEK[t.text]
        elif t.kind == "cs" and t.text in ACCENTS:
            a, b, nxt = self._arg(k + 1, "letter")
            got = self.read_name(a) if a < b else None
            if got is None or got[0] != b:
                self.fail(f"\\{t.text} applies to one letter here: expected \\{t.text}{{y}}", k)
            inner_name = got[1]
            base, inner, kind = t.text, inner_name.key, "accent"
            inner_shown = inner_name.shown
        elif t.kind == "cs" and (t.text in FONTS or t.text == "operatorname"):
            word = self._text_word(k, allow_greek=True)
            if not word:
                self.fail(f"expected letters in braces after \\{t.text}", k)
            base, inner, kind, nxt = t.text, word, "font", self.close_of(k + 1) + 1
            inner_shown = GREEK.get(word.lstrip("\\"), word)
        else:
            return None
        sub = ""
        if nxt < len(toks) and toks[nxt].is_char("_"):
            a, b, after = self._arg(nxt + 1, "subscript")
            sub = self._subscript(a, b)
            nxt = after
        name = Name(canonical(base, inner, kind, sub), display(base, inner_shown, kind, sub), base)
        # A decoration belongs to the name only when that name exists (or is declared now).
        if nxt < len(toks) and (toks[nxt].is_char("^") or toks[nxt].is_char("'")):
            if toks[nxt].is_char("'"):
                deco, after = "prime", nxt + 1
            else:
                a, b, after = self._arg(nxt + 1, "superscript")
                deco = self._decoration(a, b)
            if deco:
                decorated = Name(canonical(base, inner, kind, sub, deco),
                                 display(base, inner_shown, kind, sub, deco), base)
                if declaring or self.scope.known(decorated.key) or decorated.key in self.bound:
                    return after, decorated
        return nxt, name

    def _decoration(self, a: int, b: int):
        if b - a != 1:
            return None
        t = self.toks[a]
        if t.is_char("*"):
            return "*"
        if t.is_char("+"):
            return "+"
        if t.is_char("'"):
            return "prime"
        if t.kind == "cs" and t.text in DECORATIONS and t.text != "top":
            return t.text
        return None

    def _subscript(self, a: int, b: int) -> str:
        parts = []
        for t in self.toks[a:b]:
            if t.kind in ("letter", "num") or t.is_char("+", "-", ",", "*", "="):
                parts.append(t.text)
            elif t.kind == "cs" and t.text in GREEK:
                parts.append("\\" + t.text + " ")
            else:
                self.fail(f"unexpected {quote(t.shown)} in a subscript: expected letters and digits",
                          self.toks.index(t))
        if not parts:
            self.fail("an empty subscript", a)
        return "".join(parts).strip()

    def _text_word(self, k: int, allow_greek: bool = False):
        """The letters inside the braces after the command at k (None if not letters)."""
        if k + 1 >= len(self.toks) or not self.toks[k + 1].is_char("{"):
            return None
        end = self.close_of(k + 1)
        word = ""
        for t in self.toks[k + 2:end]:
            if t.kind == "letter":
                word += t.text
            elif allow_greek and t.kind == "cs" and t.text in GREEK:
                word += "\\" + t.text
            else:
                return None
        return word

    def lookup(self, name: Name):
        if name.key in self.bound:
            return self.bound[name.key]
        return self.scope.symbols.get(name.key)

    def named(self, k: int, j: int):
        got = self.read_name(k)
        if got is None:
            t = self.toks[k]
            self.fail(f"unexpected {quote(t.shown)} in {quote(self.text.s)}: expected a number, "
                      "a declared symbol, ( … ), \\frac{…}{…} or a function", k)
        nxt, name = got
        sk = Skel()
        sym = self.lookup(name)
        if sym is not None:
            sk.obj(sym, k)
            return nxt, sk
        fn = self.scope.functions.get(name.key)
        if fn is not None:
            return self.call(k, j, fn, after_name=nxt)
        if name.base == "operatorname" or name.base == "mathrm":
            word = name.key.split("{", 1)[1].rstrip("}") if "{" in name.key else ""
            if word in RELU_NAMES:
                return self.call(k, j, Fn("relu", Name("\\operatorname{ReLU}", "ReLU")), after_name=nxt)
            if name.key == "\\mathrm{e}":
                return self.constant_e(k, nxt, j)
        if name.key == "e":
            return self.constant_e(k, nxt, j)
        if name.key == "\\pi":
            sk.obj(pi, k)
            return nxt, sk
        hint = f'add "{name.key} \\in \\mathbb{{R}}" under symbols:'
        if nxt < j and self.toks[nxt].is_char("("):
            hint = f"declare {name.key} under functions: or write {name.key} \\cdot (…) for a product"
        self.fail(f"{quote(name.key)} is not declared: {hint}", k)

    def constant_e(self, k: int, nxt: int, j: int):
        """e, or e^{x} read as exp(x)."""
        sk = Skel()
        if nxt < j and self.toks[nxt].is_char("^"):
            a, b, after = self.sup_range(nxt)
            with evaluate(False):
                sk.obj(exp(self.expr(a, b)), k)
            return after, sk
        sk.obj(E, k)
        return nxt, sk

    # -- functions ------------------------------------------------------------------
    def call(self, k: int, j: int, fn, builtin: str | None = None, after_name: int | None = None):
        """A function applied to its arguments: f(x), \\sigma(u), \\log x, \\tanh^2(x)."""
        nxt = k + 1 if builtin else after_name
        base = None
        if builtin == "log" and nxt < j and self.toks[nxt].is_char("_"):
            a, b, nxt = self._arg(nxt + 1, "subscript")
            base = self.expr(a, b)
        power = None
        if nxt < j and self.toks[nxt].is_char("^"):
            a, b, after = self.sup_range(nxt)
            if after < j and self._args_at(after, j):
                if self.src(a, b).replace(" ", "") in ("-1", "{-1}"):
                    self.fail(f"{self.q(k, after)}: is ^{{-1}} the inverse or 1/…? "
                              "write the inverse function's name or 1/(…)", nxt)
                power = self.expr(a, b)
                nxt = after
        shown = self.q(k, nxt)
        group = self._args_at(nxt, j) if nxt < j else None
        if group:
            start, end, after = group
            if end == start:
                self.fail(f"{shown}() has no argument", nxt)
            args = [self.expr(a, b) for a, b in self.split_commas(start, end)]
        elif builtin in BUILTINS and nxt < j and self._simple_arg(nxt):
            after, arg_sk = self.operand(nxt, j)
            args = [self.finish(arg_sk, nxt, after)]
        else:
            need = "(…)" if not builtin or builtin in MULTI else "(…) or a single symbol"
            self.fail(f"{shown} needs its argument in {need}", nxt)
        value = self.apply(fn, builtin, args, base, k)
        if power is not None:
            with evaluate(False):
                value = Pow(value, power)
        sk = Skel()
        sk.obj(value, k)
        return after, sk

    def _opens_args(self, k: int) -> bool:
        return self.toks[k].is_char("(")

    def _args_at(self, k: int, j: int):
        """(first, end, next) of an argument list (…) at k, also as {(…)}, which is how
        SymPy prints f(x); None when k does not open one."""
        if self.toks[k].is_char("("):
            end = self.close_of(k)
            return k + 1, end, end + 1
        if k + 1 < j and self.toks[k].is_char("{") and self.toks[k + 1].is_char("(") \
                and self.close_of(k + 1) + 1 == self.close_of(k):
            return k + 2, self.close_of(k + 1), self.close_of(k) + 1
        return None

    def _simple_arg(self, k: int) -> bool:
        t = self.toks[k]
        return t.kind in ("num", "letter") or (t.kind == "cs" and (
            t.text in GREEK or t.text in ACCENTS or t.text in FONTS or t.text in ("frac", "tfrac", "dfrac")))

    def apply(self, fn, builtin, args, base, k):
        where = fn.name.key if fn else "\\" + builtin
        if builtin in MULTI:
            if len(args) < 2:
                self.fail(f"{where} takes at least two arguments", k)
            for a in args:
                self.scalar(a, k)
            with evaluate(False):
                return MULTI[builtin](*args)
        want = len(fn.params) if fn and fn.kind == "formula" else 1
        if len(args) != want:
            self.fail(f"{where} takes {want} argument{'s' if want != 1 else ''}, got {len(args)}", k)
        if fn is not None and fn.kind == "vector":
            return self.value(fn, args[0], k)
        for a in args:
            self.scalar(a, k)
        arg = args[0]
        with evaluate(False):
            if builtin:
                if builtin == "log":
                    if base is not None:
                        return log(arg) / log(base)
                    if self.scope.log_base is not None:
                        return log(arg) / log(self.scope.log_base)
                return BUILTINS[builtin](arg)
            if fn.kind == "sigmoid":
                return sigma(arg)
            if fn.kind == "relu":
                return ReLU(arg)
            if fn.kind == "scalar":
                # Function names print as LaTeX: "phi" prints \phi, "ϕ" would not.
                return Function(fn.name.key.lstrip("\\"))(arg)
            return fn.body.xreplace(dict(zip(fn.params, args)))

    def value(self, fn: Fn, point, k: int):
        """f(p) for an ℝⁿ → ℝ function: an opaque scalar named after the point."""
        if point == 0:
            point = ZERO
        self.vector(point, k, f"the argument of {fn.name.key}")
        return self._at(fn, point, "value")

    def _at(self, fn: Fn, point, kind: str):
        from ..printing import TexPrinter
        if point.free_symbols & self.scope.params:
            placeholder = (VectorSymbol if kind == "grad" else Symbol)(
                f"{'∇' if kind == 'grad' else ''}{fn.name.shown}(⟦{point}⟧)#{len(self.scope.deferred)}",
                **({} if kind == "grad" else {"real": True}))
            self.scope.deferred[placeholder] = (kind, fn, point)
            return placeholder
        point = _rebuild(point)
        sym = grad_at(fn.name.shown, point) if kind == "grad" else value_at(fn.name.shown, point)
        if sym not in self.scope.latex:
            printer = TexPrinter(self.scope.latex)
            tex = "%s(%s)" % (fn.name.key, printer.doprint(point))
            self.scope.latex[sym] = ("\\nabla " + tex) if kind == "grad" else tex
        return sym

    def gradient(self, k: int, j: int):
        if k + 1 >= j:
            self.fail("\\nabla needs a function after it: \\nabla f(w)", k)
        got = self.read_name(k + 1)
        fn = self.scope.functions.get(got[1].key) if got else None
        if fn is None or fn.kind != "vector":
            self.fail("\\nabla applies to a declared function f: \\mathbb{R}^n \\to \\mathbb{R}, "
                      "as in \\nabla f(w)", k + 1)
        nxt = got[0]
        if nxt >= j or not self._opens_args(nxt):
            self.fail(f"{self.q(k, nxt)} needs its point in parentheses: \\nabla f(w)", nxt)
        end = self.close_of(nxt)
        point = self.expr(nxt + 1, end)
        if point == 0:
            point = ZERO
        self.vector(point, k, f"the argument of \\nabla {fn.name.key}")
        sk = Skel()
        sk.obj(self._at(fn, point, "grad"), k)
        return end + 1, sk

    # -- notation -------------------------------------------------------------------
    def frac(self, k: int, j: int):
        toks = self.toks
        t = toks[k + 1] if k + 1 < len(toks) else None
        sk = Skel()
        if t is not None and t.kind == "num" and len(t.text) == 2 and "." not in t.text:
            sk.raw("\\frac{%s}{%s}" % (t.text[0], t.text[1]), k)     # \frac12
            return k + 2, sk
        a1, b1, n1 = self._arg(k + 1, "numerator")
        a2, b2, n2 = self._arg(n1, "denominator")
        if a1 == b1 or a2 == b2:
            self.fail(f"an empty fraction part in {self.q(k, n2)}", k)
        deriv = self.derivative(k, a1, b1, a2, b2, n2, j)
        if deriv is not None:
            return deriv
        sk.raw("\\frac{", k)
        sk.extend(self.seq(a1, b1))
        sk.raw("}{", b1)
        sk.extend(self.seq(a2, b2))
        sk.raw("}", b2)
        return n2, sk

    def _is_d(self, k: int) -> bool:
        """d as a differential: \\mathrm{d}, or a plain d that is not a declared symbol."""
        t = self.toks[k]
        if t.is_cs("mathrm") and self._text_word(k) == "d":
            return True
        return t.kind == "letter" and t.text == "d" and not self.scope.known("d") and "d" not in self.bound

    def _after_d(self, k: int) -> int:
        return self.close_of(k + 1) + 1 if self.toks[k].is_cs("mathrm") else k + 1

    def derivative(self, k, a1, b1, a2, b2, after, j):
        """∂ⁿF/∂xⁿ, ∂/∂x [operand], dF/dx; None when the fraction is an ordinary one."""
        toks = self.toks
        if toks[a1].is_cs("partial") and toks[a2].is_cs("partial"):
            mark = "partial"
        elif self._is_d(a1) and self._is_d(a2):
            mark = "d"
        else:
            return None
        # numerator: ∂ [^n] [F]
        p = a1 + 1 if mark == "partial" else self._after_d(a1)
        order = 1
        if p < b1 and toks[p].is_char("^"):
            oa, ob, p = self._arg(p + 1, "order")
            order = self._order(oa, ob)
        # denominator: ∂x [^n] ∂y ...
        variables, q = [], a2
        while q < b2:
            if mark == "partial" and toks[q].is_cs("partial"):
                q += 1
            elif mark == "d" and self._is_d(q):
                q = self._after_d(q)
            else:
                differential = "\\partial" if mark == "partial" else "d"
                self.fail(f"expected {differential} before each variable in {self.q(a2, b2)}", q)
            got = self.read_name(q) if q < b2 else None
            if got is None:
                self.fail(f"expected a variable after the differential in {self.q(a2, b2)}", q)
            q, name = got
            sym = self.lookup(name)
            if not isinstance(sym, Symbol) or isinstance(sym, VectorSymbol):
                self.fail(f"cannot differentiate with respect to {quote(name.key)}: "
                          "expected a declared scalar symbol or a defined quantity", q - 1)
            n = 1
            if q < b2 and toks[q].is_char("^"):
                oa, ob, q = self._arg(q + 1, "order")
                n = self._order(oa, ob)
            variables.append((sym, n))
        if not variables:
            self.fail(f"expected a variable in {self.q(a2, b2)}", a2)
        total = sum(n for _, n in variables)
        if total != order:
            self.fail(f"the orders do not match in {self.q(k, after)}: "
                      f"{order} on top, {total} below", k)
        if p < b1:
            target = self.expr(p, b1)
            nxt = after
        else:
            if after >= j or not self.starts_atom(after):
                self.fail(f"{self.q(k, after)} needs something to differentiate after it", after)
            nxt, operand_sk = self.operand(after, j)
            if nxt < j and self.starts_atom(nxt):
                self.fail(f"ambiguous: what does {self.q(k, after)} apply to? put its operand "
                          "in brackets, \\frac{\\partial}{\\partial v}\\left[…\\right]", nxt)
            target = self.finish(operand_sk, after, nxt)
        self.scalar(target, k)
        with evaluate(False):
            value = Derivative(target, *variables)
        sk = Skel()
        sk.obj(value, k)
        return nxt, sk

    def _order(self, a: int, b: int) -> int:
        if b - a == 1 and self.toks[a].kind == "num" and self.toks[a].text.isdigit():
            return int(self.toks[a].text)
        self.fail("the order of a derivative must be a whole number", a)

    def sqrt(self, k: int):
        sk = Skel()
        nxt = k + 1
        sk.raw("\\sqrt", k)
        if nxt < len(self.toks) and self.toks[nxt].is_char("["):
            end = self.close_of(nxt)
            sk.raw("[", nxt)
            sk.extend(self.seq(nxt + 1, end))
            sk.raw("]", end)
            nxt = end + 1
        a, b, after = self._arg(nxt, "argument of \\sqrt")
        sk.raw("{", a)
        sk.extend(self.seq(a, b))
        sk.raw("}", b)
        return after, sk

    def _bar_close(self, k: int, j: int, chars, commands) -> int:
        q = k + 1
        while q < j:
            t = self.toks[q]
            if (t.kind == "char" and t.text in chars) or (t.kind == "cs" and t.text in commands):
                return q
            q = self.skip(q)
        self.fail(f"{quote(self.toks[k].shown)} is never closed", k)

    def abs(self, k: int, j: int):
        t = self.toks[k]
        if t.is_cs("lvert"):
            end = self.close_of(k)
        else:
            end = self._bar_close(k, j, {"|"}, {"vert", "rvert"})
        value = self.expr(k + 1, end)
        self.scalar(value, k)
        sk = Skel()
        with evaluate(False):
            sk.obj(Abs(value), k)
        return end + 1, sk

    def norm(self, k: int, j: int):
        t = self.toks[k]
        end = self.close_of(k) if t.is_cs("lVert") else self._bar_close(k, j, set(), {"|", "Vert", "rVert"})
        value = self.expr(k + 1, end)
        self.vector(value, k, "‖…‖")
        nxt = end + 1
        if nxt < j and self.toks[nxt].is_char("_"):
            a, b, after = self._arg(nxt + 1, "subscript")
            if self.src(a, b) != "2":
                self.fail("only the Euclidean norm ‖·‖ (or ‖·‖_2) is supported", a)
            nxt = after
        sk = Skel()
        with evaluate(False):
            if nxt < j and self.toks[nxt].is_char("^"):
                a, b, after = self.sup_range(nxt)
                if self.src(a, b) == "2":
                    sk.obj(Inner(value, value), k)
                    return after, sk
            sk.obj(sqrt(Inner(value, value)), k)
        return nxt, sk

    def inner(self, a, b, k: int):
        self.vector(a, k, "the left side of ⟨·,·⟩")
        self.vector(b, k, "the right side of ⟨·,·⟩")
        with evaluate(False):
            return Inner(a, b)

    def limit(self, k: int, j: int):
        toks = self.toks
        if k + 1 >= j or not toks[k + 1].is_char("_"):
            self.fail("\\lim needs a subscript: \\lim_{h \\to 0^+}", k)
        a, b, body = self._arg(k + 2, "subscript")
        arrow = next((q for q in range(a, b) if toks[q].is_cs("to", "rightarrow", "downarrow",
                                                               "uparrow", "searrow", "nearrow")), None)
        if arrow is None:
            self.fail(f"expected \\to in {self.q(a, b)}: \\lim_{{h \\to 0^+}}", a)
        got = self.read_name(a)
        if got is None or got[0] != arrow:
            self.fail(f"expected one variable before \\to in {self.q(a, b)}", a)
        name = got[1]
        var = self.lookup(name)
        if var is None:
            if self.scope.known(name.key):
                self.fail(f"{quote(name.key)} is a function, not a variable", a)
            var = Symbol(name.shown, real=True)        # bound by the limit only
            self.scope.latex.setdefault(var, name.key)
        if isinstance(var, VectorSymbol) or not isinstance(var, Symbol):
            self.fail(f"the variable of a limit must be a scalar symbol, not {quote(name.key)}", a)
        direction = {"downarrow": "+", "searrow": "+", "uparrow": "-", "nearrow": "-"}.get(
            toks[arrow].text, "+-")
        c_end = b
        if b - 2 > arrow and toks[b - 1].is_char("+", "-") and toks[b - 2].is_char("^"):
            direction, c_end = toks[b - 1].text, b - 2              # 0^+
        elif b - 4 > arrow and toks[b - 1].is_char("}") and toks[b - 2].is_char("+", "-") \
                and toks[b - 3].is_char("{") and toks[b - 4].is_char("^"):
            direction, c_end = toks[b - 2].text, b - 4              # 0^{+}
        point = self.expr(arrow + 1, c_end)
        if body >= j:
            self.fail(f"{self.q(k, body)} needs an expression after it", body)
        saved = self.bound
        self.bound = dict(saved, **{name.key: var})
        try:
            sk_body, end = self.seq_until(body, j, True)
            value = self.finish(sk_body, body, end)
        finally:
            self.bound = saved
        self.scalar(value, k)
        sk = Skel()
        with evaluate(False):
            sk.obj(Limit(value, var, point, direction), k)
        return end, sk

    def cases(self, k: int):
        env, start = self._env_name(k)
        if env != "cases":
            self.fail(f"\\begin{{{env}}} is not supported inside a step: expected cases", k)
        end = self.close_of(k)
        rows, q, row_start = [], start, start
        while q < end:
            if self.toks[q].is_cs("\\"):
                rows.append((row_start, q))
                row_start = q + 1
            q = self.skip(q)
        rows.append((row_start, end))
        pieces = []
        for a, b in rows:
            if a == b:
                continue
            amp = next((q for q in range(a, b) if self.toks[q].is_char("&")), None)
            if amp is None:
                self.fail(f"expected '&' between the value and its condition in {self.q(a, b)}", a)
            vb = amp
            while vb > a and self.toks[vb - 1].is_char(",", ";"):
                vb -= 1
            value = self.expr(a, vb)
            cond = self.condition(amp + 1, b)
            pieces.append((value, cond))
        if not pieces:
            self.fail("an empty cases environment", k)
        sk = Skel()
        with evaluate(False):
            sk.obj(Piecewise(*pieces), k)
        return self._env_name(end)[1], sk

    def condition(self, a: int, b: int):
        """A condition in cases: a relation or 'otherwise', optionally after 'if' or 'for'."""
        toks = self.toks
        while a < b and (toks[a].is_cs("text", "mbox", "textrm") or toks[a].is_char(",")):
            if toks[a].is_char(","):
                a += 1
                continue
            if a + 1 >= b or not toks[a + 1].is_char("{"):
                self.fail("expected braces after \\text", a)
            close = self.close_of(a + 1)
            words = self.text.s[toks[a + 1].i + 1:toks[close].i].strip().lower().rstrip(".,")
            if words in ("otherwise", "else"):
                if close + 1 < b:
                    self.fail("nothing may follow 'otherwise'", close + 1)
                return true
            if words not in ("if", "for", "when", "where", ""):
                self.fail(f"unexpected text {quote(words)} in a condition: expected 'if', 'for' "
                          "or 'otherwise'", a)
            a = close + 1
        while b > a and toks[b - 1].is_char(".", ","):
            b -= 1
        if a >= b:
            self.fail("expected a condition after '&'", a)
        rels = relations(self, a, b)
        if len(rels) == 1:
            return rels[0]
        with evaluate(False):
            return And(*rels)

    # -- meaning checks -----------------------------------------------------------
    def scalar(self, expr, k: int):
        """Vectors only inside ⟨·,·⟩, ‖·‖ and function values: anything else is an error."""
        bad = _loose_vector(expr)
        if bad is not None:
            self.fail(f"{bad} is a vector here: use it inside ⟨·,·⟩, ‖·‖ or f(·)", k)

    def vector(self, expr, k: int, what: str):
        try:
            parts = linear_parts(_rebuild(expr))
        except (TypeError, ValueError):
            parts = None
        if parts is None or (not parts and not _is_zero_vector(expr)):
            self.fail(f"{what} must be a vector (a declared vector, or a sum of multiples of "
                      f"them), not {quote(str(expr))}", k)


def _tidy(expr):
    """The library's products flattened and without factors of 1 (\\frac{1}{x} is 1·x⁻¹),
    so steps print as written; the order of factors is kept."""
    if not expr.args:
        return expr
    args = [_tidy(a) for a in expr.args]
    if expr.is_Mul:
        flat = []
        for a in args:
            flat.extend(a.args if a.is_Mul else (a,))
        kept = [a for a in flat if a != 1] or [Integer(1)]
        if kept[0] == -1 and len(kept) == 2 and kept[1].is_Number:
            return -kept[1]
        return kept[0] if len(kept) == 1 else Mul(*kept, evaluate=False)
    if args == list(expr.args):
        return expr
    with evaluate(False):
        return expr.func(*args)


def _preorder(expr):
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.args)


def _rebuild(expr):
    from ..checks.context import rebuild
    return rebuild(expr)


def _is_zero_vector(expr) -> bool:
    return getattr(expr, "name", None) == "0"


def _loose_vector(expr):
    """A vector standing where a scalar must, or None."""
    if isinstance(expr, VectorSymbol):
        return expr
    if isinstance(expr, Inner):
        return None
    for a in getattr(expr, "args", ()):
        bad = _loose_vector(a)
        if bad is not None:
            return bad
    return None


_COLUMN = re.compile(r"\n[^\n]*\n(~*)\^")


def _error_column(message: str):
    m = _COLUMN.search(message)
    return len(m.group(1)) if m else None


# -- public entry points -----------------------------------------------------------

def relations(reader: Reader, i: int, j: int) -> list:
    """The relations of ``a < b ≤ c``-style text as a list of SymPy relationals."""
    pieces, ops = reader.split_relations(i, j)
    if not ops:
        reader.fail(f"expected a relation (=, <, \\le, …) in {reader.q(i, j)}", i)
    out = []
    sides = [reader.expr(a, b) if a < b else reader.fail(
        f"a relation needs two sides in {reader.q(i, j)}", a) for a, b in pieces]
    for (op, k), lhs, rhs in zip(ops, sides, sides[1:]):
        if op == "iff":
            reader.fail("⟺ joins two steps' conditions, not expressions", k)
        reader.scalar(lhs, k)
        reader.scalar(rhs, k)
        with evaluate(False):
            out.append(CONSTRUCTORS[op](lhs, rhs))
    return out


def parse_expr(text: Text, scope: Scope, where: Where, bound=None):
    """One expression (no relation)."""
    r = Reader(text, scope, where, bound)
    if not r.toks:
        where.error("expected an expression here", text)
    return r.expr(0, len(r.toks))


def parse_relations(text: Text, scope: Scope, where: Where, bound=None) -> list:
    """``a < b``, ``0 < y < 1``, or several separated by commas, as relationals."""
    r = Reader(text, scope, where, bound)
    if not r.toks:
        where.error("expected a relation here", text)
    out = []
    for a, b in r.split_commas(0, len(r.toks)):
        if a == b:
            r.fail("an empty condition between commas", a)
        out.extend(relations(r, a, b))
    return out


def parse_step(text: Text, scope: Scope, where: Where):
    """(lhs or None, relation, rhs) of one step; lhs is None when it continues a chain."""
    r = Reader(text, scope, where)
    n = len(r.toks)
    if not n:
        where.error("expected a step: a relation such as a = b", text)
    pieces, ops = r.split_relations(0, n)
    iffs = [(op, k) for op, k in ops if op == "iff"]
    if iffs:
        if len(iffs) > 1:
            r.fail("one ⟺ per step: put each link of the chain on its own line", iffs[1][1])
        k = iffs[0][1]
        lhs = None if k == 0 else _side_relation(r, 0, k)
        rhs = _side_relation(r, k + 1, n)
        return lhs, "iff", rhs
    if not ops:
        r.fail(f"a step needs a relation (=, \\le, <, \\ge, >, \\iff): {quote(text.s)}", 0)
    if len(ops) > 1:
        r.fail(f"one relation per step, found {len(ops)} in {quote(text.s)}: end each link "
               "with its own % justification", ops[1][1])
    op, k = ops[0]
    if op == "!=":
        r.fail("≠ is not a step relation: expected =, \\le, <, \\ge, > or \\iff", k)
    if k + 1 >= n:
        r.fail(f"nothing after {quote(r.toks[k].shown)}: expected the right side", k)
    lhs = None if k == 0 else r.expr(0, k)
    rhs = r.expr(k + 1, n)
    for side in (lhs, rhs):
        if side is not None:
            r.scalar(side, k)
    return lhs, op, rhs


def _side_relation(r: Reader, i: int, j: int):
    if i >= j:
        r.fail("⟺ needs a condition on each side", i)
    rels = relations(r, i, j)
    if len(rels) != 1:
        r.fail(f"each side of ⟺ is one relation, not a chain: {r.q(i, j)}", i)
    return rels[0]


__all__ = ["Reader", "parse_expr", "parse_relations", "parse_step", "relations", "Dummy",
           "Integer", "Mul", "Tok"]
