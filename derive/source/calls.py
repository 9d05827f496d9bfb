"""Names and function calls in LaTeX: symbols, σ(u), \\log x, \\tanh^2(x), f(w), ∇f(w)."""

from __future__ import annotations

from sympy import Dummy, E, Function, Subs, Pow, Symbol, acos, asin, atan, cos, cosh, evaluate, exp, log, pi, \
    sin, sinh, tan, tanh, Max, Min

from ..expressions import derivative, fresh_variable, names, put_in
from ..notation import ZERO, ReLU, VectorSymbol, grad_at, sigma, value_at
from .names import ACCENTS, DECORATIONS, FONTS, GREEK, canonical, display
from .scope import Fn, Name
from .library import Skel
from .text import quote

BUILTINS = {"exp": exp, "ln": log, "log": log, "tanh": tanh, "sinh": sinh, "cosh": cosh,
            "sin": sin, "cos": cos, "tan": tan, "arctan": atan, "arcsin": asin, "arccos": acos}
MULTI = {"max": Max, "min": Min}
RELU_NAMES = {"ReLU", "relu", "Relu"}


class Calls:
    """Reader methods for names and the functions applied to them (mixed into Reader)."""

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
        member = self.member(k, j)
        if member is not None:
            return member
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
            primes = 0
            while nxt + primes < j and self.toks[nxt + primes].is_char("'"):
                primes += 1
            if primes:
                return self.derivative_call(k, j, fn, nxt + primes, primes)
            if fn.bare is not None and not (nxt < j and self._args_at(nxt, j)):
                sk.obj(fn.bare, k)
                return nxt, sk
            return self.call(k, j, fn, after_name=nxt)
        if name.base == "operatorname" or name.base == "mathrm":
            word = name.key.split("{", 1)[1].rstrip("}") if "{" in name.key else ""
            if word in RELU_NAMES:
                return self.call(k, j, Fn("relu", Name("\\operatorname{ReLU}", "ReLU")), after_name=nxt)
            if word in BUILTINS or word in MULTI:      # \operatorname{tanh}(x) is \tanh(x)
                return self.call(k, j, None, builtin=word, after_name=nxt)
            if name.key == "\\mathrm{e}":
                return self.constant_e(k, nxt, j)
        if name.key == "e":
            return self.constant_e(k, nxt, j)
        if name.key == "\\pi":
            sk.obj(pi, k)
            return nxt, sk
        self.outside_sum(name, k)
        if self.scope.undeclared is not None:
            sym = self.scope.undeclared(name, nxt < j and self.toks[nxt].is_char("("))
            if isinstance(sym, str):
                self.fail(sym, k)
            if sym is not None:
                sk.obj(sym, k)
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

    def call(self, k: int, j: int, fn, builtin: str | None = None, after_name: int | None = None):
        """A function applied to its arguments: f(x), \\sigma(u), \\log x, \\tanh^2(x)."""
        nxt = after_name if after_name is not None else k + 1
        base = None
        if builtin == "log" and nxt < j and self.toks[nxt].is_char("_"):
            a, b, nxt = self._arg(nxt + 1, "subscript")
            base = self.expr(a, b)
        power = None
        if nxt < j and self.toks[nxt].is_char("^"):
            a, b, after = self.sup_range(nxt)
            # \tanh^2(x), and \sin^2 x as written for a builtin with a single symbol
            if after < j and (self._args_at(after, j) or
                              (builtin in BUILTINS and self._simple_arg(after))):
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
            nxt_tok = self.toks[after] if after < j else None
            if nxt_tok is not None and self.starts_atom(after) and not (
                    nxt_tok.kind == "cs" and nxt_tok.text in BUILTINS):
                # \log 2x: log(2x) or (log 2)·x? Readers disagree, so say which.
                self.fail(f"ambiguous: is {self.q(k, after + 1)} \\{builtin}({self.src(nxt, after + 1)}) "
                          f"or (\\{builtin} {self.src(nxt, after)}) {self.src(after, after + 1)}? "
                          "write the argument in parentheses", after)
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

    def derivative_call(self, k: int, j: int, fn, nxt: int, order: int):
        """f'(a), f''(a): the derivative of a function of one variable, at a. It stays a
        derivative (the checks take it, as they take d/dx), written at a fresh variable
        and put at a when a is not a variable f's formula is free of."""
        shown = self.q(k, nxt)
        if fn.kind in ("vector",) or (fn.kind == "formula" and len(fn.params) != 1):
            self.fail(f"{shown}: a prime is the derivative of a function of one variable; "
                      "write \\frac{\\partial}{\\partial x} for one of several", k)
        group = self._args_at(nxt, j) if nxt < j else None
        if not group or group[1] == group[0]:
            self.fail(f"{shown} needs its argument in (…)", nxt)
        start, end, after = group
        args = [self.expr(a, b) for a, b in self.split_commas(start, end)]
        if len(args) != 1:
            self.fail(f"{shown} takes 1 argument, got {len(args)}", k)
        name = fn.params[0].name if fn.kind == "formula" and fn.params else "t"
        arg, t = args[0], Dummy(name, real=True)
        body = self.apply(fn, None, [t], None, k)
        taken = names(arg) | {s.name for s in body.atoms(Symbol) if s != t}
        if name in taken:       # u'(x - c) for u(x) = a'(x - c): not "∂/∂x[… at x = x - c]"
            t, body = (fresh := fresh_variable(name, taken)), body.xreplace({t: fresh})
        with evaluate(False):
            if isinstance(arg, Symbol) and arg not in body.free_symbols:
                value = derivative(body.xreplace({t: arg}), (arg, order))
            else:
                value = Subs(derivative(body, (t, order)), t, arg)
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
            t.text in GREEK or t.text in ACCENTS or t.text in FONTS or
            t.text in ("frac", "tfrac", "dfrac", "sum", "prod")))     # \log \sum_j e^{z_j}

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
            return put_in(fn.body, dict(zip(fn.params, args)))

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


def _rebuild(expr):
    from ..expressions import rebuild
    return rebuild(expr)
