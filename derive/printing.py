"""Math to LaTeX in the notation of the solutions, and the printing functions every part uses
(LaTeX, and one-line Unicode by plaintext.TextPrinter)."""

from __future__ import annotations

import re

from sympy import S, Symbol, fraction
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.latex import LatexPrinter

from .notation import Inner
from .plaintext import TextPrinter, _add, _simple

RELATION_TEX = {"=": "=", "<=": r"\le", "<": "<", ">=": r"\ge", ">": ">", "iff": r"\iff",
                "implies": r"\implies"}
RELATION_TEXT = {"=": "=", "<=": "≤", "<": "<", ">=": "≥", ">": ">", "iff": "⟺", "implies": "⟹"}


class TexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with ∂-fractions, the author's term order and our names."""

    def __init__(self, names=None):
        super().__init__({"order": "none", "symbol_names": dict(names or {}),
                          "mul_symbol": None, "ln_notation": False,
                          "mat_str": "pmatrix", "mat_delim": ""})

    def _print_Symbol(self, expr, style="plain"):
        if expr in self._settings["symbol_names"]:
            return self._settings["symbol_names"][expr]
        name = expr.name
        if any(ch in name for ch in "(_{*†") or any(ord(ch) > 127 for ch in name):
            return name_tex(name)
        return super()._print_Symbol(expr, style)

    def _print_VectorSymbol(self, expr):
        return self._print_Symbol(expr)

    def _print_Derivative(self, expr):
        order = sum(n for _, n in expr.variable_count)
        top = r"\partial" if order == 1 else r"\partial^{%d}" % order
        bottom = " ".join(
            r"\partial %s" % self._print(v) if n == 1 else r"\partial %s^{%d}" % (self._print(v), n)
            for v, n in expr.variable_count)
        if isinstance(expr.expr, Symbol):
            return r"\frac{%s %s}{%s}" % (top, self._print(expr.expr), bottom)
        return r"\frac{%s}{%s}\Bigl[%s\Bigr]" % (top, bottom, self._print(expr.expr))

    def _print_Limit(self, expr):
        body, z, z0, direction = expr.args
        # SymPy records x → ∞ as from below ("-"): a side only means something at a number.
        side = "" if z0 in (S.Infinity, S.NegativeInfinity) else str(direction)
        sup = {"+": "^{+}", "-": "^{-}"}.get(side, "")
        return r"\lim_{%s \to %s%s} %s" % (self._print(z), self._print(z0), sup,
                                            self.parenthesize(body, PRECEDENCE["Mul"], strict=True))

    def _print_Add(self, expr, order=None):
        return _add(self, expr, r"\left(%s\right)")

    def doprint(self, expr):
        return _fit_delimiters(super().doprint(expr))

    def _print_ExpBase(self, expr, exp=None):
        tex = r"e^{%s}" % self._exponent(expr.args[0])
        return self._do_exponent(tex, exp)

    def _exponent(self, e):
        """An exponent's fraction on one line, e^{-t\\mu/L}: a \\frac there is unreadably small."""
        num, den = fraction(e, exact=True)
        if den == 1:
            return self._print(e)
        bottom = self._print(den)
        if not (den.is_Symbol or den.is_Number or den.is_Function):
            bottom = r"(%s)" % bottom
        sign = "- " if num.could_extract_minus_sign() else ""
        top = self.parenthesize(-num if sign else num, PRECEDENCE["Mul"], strict=True)
        return r"%s%s/%s" % (sign, top, bottom)

    def _print_log(self, expr, exp=None):
        # (log x)² as \log^{2} x: "\log x^{2}" reads as log(x²).
        head = r"\log" if exp is None else r"\log^{%s}" % exp
        if _simple(expr.args[0]):
            return r"%s %s" % (head, self._print(expr.args[0]))
        return r"%s\left(%s\right)" % (head, self._print(expr.args[0]))

    def _print_Determinant(self, expr):
        return r"\det %s" % self.parenthesize(expr.arg, PRECEDENCE["Func"], strict=True)

    def _print_Trace(self, expr):
        return r"\operatorname{tr} %s" % self.parenthesize(expr.arg, PRECEDENCE["Func"], strict=True)

    def _print_Transpose(self, expr):
        return r"%s^\top" % self.parenthesize(expr.arg, PRECEDENCE["Pow"], strict=True)

    def _print_Indexed(self, expr):
        label = self._print(expr.base.label)
        index = ", ".join(self._print(i) for i in expr.indices)
        return "%s_{%s}" % (label, index)

    def _print_Piecewise(self, expr):
        rows = []
        for value, cond in expr.args:
            c = r"\text{otherwise}" if cond is True or str(cond) == "True" else self._print(cond)
            rows.append(r"%s, & %s" % (self._print(value), c))
        return r"\begin{cases} %s \end{cases}" % r" \\ ".join(rows)


class InlineTexPrinter(TexPrinter):
    """LaTeX for math inside a line of text ("For λ = ε/‖w*‖²:"): fractions on one
    line, as a stacked \\frac there would spread the lines apart."""

    def _print_Mul(self, expr):
        num, den = fraction(expr, exact=True)
        if den == 1:
            return super()._print_Mul(expr)
        sign = ""
        if num.could_extract_minus_sign():
            sign, num = "-", -num
        top = self.parenthesize(num, PRECEDENCE["Mul"], strict=True) if num != 1 else "1"
        bottom = self._print(den)
        if not (den.is_Symbol or den.is_Number or den.is_Function or den.is_Pow
                or isinstance(den, Inner)):
            bottom = r"(%s)" % bottom
        return sign + top + "/" + bottom

    def _print_Rational(self, expr):
        if expr.q == 1:
            return super()._print_Rational(expr)
        return ("-" if expr.p < 0 else "") + r"%d/%d" % (abs(expr.p), expr.q)


_TALL = re.compile(r"\\(?:frac|dfrac|sum|prod|int|lim|begin|sqrt|Big|big|overline|widehat)|\x00")
_INNERMOST = re.compile(r"\\left\(((?:(?!\\left|\\right).)*?)\\right\)", re.S)


def _fit_delimiters(tex: str) -> str:
    """\\left( … \\right) only around tall material, plain ( … ) elsewhere (\\left
    adds space: "ŷ (1 − ŷ)"); a thin space between a bracket or fraction and the
    factor after it, so "(ŷ − y)\\,2vx" and products of ∂-fractions are not cramped."""
    kept = []

    def fit(m):
        if _TALL.search(m.group(1)):
            kept.append(m.group(0))
            return "\x00%d\x01" % (len(kept) - 1)
        return "(%s)" % m.group(1)

    while True:
        new = _INNERMOST.sub(fit, tex)
        if new == tex:
            break
        tex = new
    while "\x00" in tex:
        tex = re.sub("\x00(\\d+)\x01", lambda m: kept[int(m.group(1))], tex)
    tex = re.sub(r"(\)|\\right\)) (?=\d)", r"\1\\, ", tex)
    return re.sub(r"\} (?=\\frac)", r"}\\, ", tex)


_NAME_TEX = {
    "ℒ": r"\mathcal{L}", "∇": r"\nabla ", "λ": r"\lambda", "μ": r"\mu", "ε": r"\varepsilon",
    "η": r"\eta", "σ": r"\sigma", "Δ": r"\Delta", "ŷ": r"\hat{y}", "ℓ": r"\ell",
    "†": r"^{\dagger}", "*": r"^{*}", "α": r"\alpha", "β": r"\beta", "γ": r"\gamma",
    "δ": r"\delta", "θ": r"\theta", "ρ": r"\rho", "τ": r"\tau", "φ": r"\varphi",
}


def name_tex(name: str) -> str:
    """A symbol name such as ℒ_λ(w_{t+1}) or ∇ℒ(w*) in LaTeX."""
    out = []
    for ch in name:
        if ch in _NAME_TEX:
            tex = _NAME_TEX[ch]
            # A macro followed by a letter needs a separating brace group.
            out.append(tex if not tex[-1].isalpha() else "{" + tex + "}")
        elif ord(ch) > 127:
            out.append("?")
        else:
            out.append(ch)
    tex = "".join(out)
    # ℒ_λ → subscript group
    tex = tex.replace("_{" + r"{\lambda}" + "}", r"_{\lambda}")
    return tex


def tex(expr, names=None) -> str:
    return TexPrinter(names).doprint(expr)


def inline_tex(expr, names=None) -> str:
    """LaTeX for math in running text: fractions on one line."""
    return InlineTexPrinter(names).doprint(expr)


def text(expr) -> str:
    return TextPrinter().doprint(expr)


def short(expr, limit=160) -> str:
    """``expr`` as text for a reason, cut at ``limit`` characters."""
    words = text(expr) if hasattr(expr, "free_symbols") else str(expr)
    return words if len(words) <= limit else words[:limit] + "…"


def relation_tex(lhs, rel, rhs, names=None) -> tuple:
    """(lhs, relation, rhs) as LaTeX; for ⟺ the sides are relations themselves."""
    p = TexPrinter(names)
    return (p.doprint(lhs) if lhs is not None else ""), RELATION_TEX[rel], p.doprint(rhs)


def relation_text(lhs, rel, rhs) -> str:
    p = TextPrinter()
    return f"{p.doprint(lhs)} {RELATION_TEXT[rel]} {p.doprint(rhs)}"
