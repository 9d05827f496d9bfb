"""One-line Unicode for the terminal and for reasons, and the author's order of sums and
products that the LaTeX printer shares."""

from __future__ import annotations

from sympy import And, Derivative, Integer, Mul, Or, Pow, S, Symbol
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from .readable import significant as _significant, sup as _sup


def _below_zero(number) -> bool:
    """``number < 0`` for a SymPy Number, read off its value: ``.is_negative`` would run
    the assumption system for every fresh Integer, most of the cost of printing a step."""
    if number.is_Rational:
        return number.p < 0
    if number.is_Float:
        return float(number) < 0
    return bool(number.is_negative)


def _negated(term):
    """The term without its leading minus sign, or None when it has none."""
    if term.is_Number and _below_zero(term):
        return -term
    if term.is_Mul and term.args and term.args[0].is_Number and _below_zero(term.args[0]):
        coeff = -term.args[0]
        rest = list(term.args[1:])
        if coeff != 1:
            rest.insert(0, coeff)
        return rest[0] if len(rest) == 1 else Mul(*rest, evaluate=False)
    return None


def _add(printer, expr, wrap):
    """A sum in the author's order; a sum inside a sum keeps its parentheses.

    Python builds ``a + b + c`` as ``(a + b) + c``, so a sum in first position
    is the left-associated chain and is flattened; elsewhere (``a + (b - c)``)
    the parentheses are the author's.
    """
    terms = list(expr.args)
    while terms and terms[0].is_Add:
        terms = list(terms[0].args) + terms[1:]
    out = []
    for i, term in enumerate(terms):
        positive = _negated(term)
        sign = " - " if positive is not None else " + "
        body = term if positive is None else positive
        shown = wrap % printer._print(body) if body.is_Add else \
            printer.parenthesize(body, PRECEDENCE["Add"], strict=True)
        if i == 0:
            out.append(("-" if positive is not None else "") + shown)
        else:
            out.append(sign + shown)
    return "".join(out)


def _simple(e) -> bool:
    return e.is_Symbol or e.is_Number


class TextPrinter(StrPrinter):
    """One-line readable Unicode for the terminal and for reasons: ∂ℓ/∂v, σ(u),
    ⟨a, b⟩, ‖a‖², x², e^(-t·μ/L), (∂²f/∂x∂y)²; no SymPy syntax (``**``, ``Eq(…)``)."""

    def __init__(self):
        super().__init__({"order": "none"})

    def _print_Derivative(self, expr):
        # Orders written under evaluate(False) may be 1 + 1: shown as 2, not as ∂¹ ⁺ ¹.
        counts = [(v, n.doit()) for v, n in expr.variable_count]
        order = sum(n for _, n in counts)
        top = "∂" if order == 1 else f"∂{_sup(order)}"
        bottom = "".join(f"∂{self._print(v)}" + (_sup(n) if n > 1 else "") for v, n in counts)
        if isinstance(expr.expr, Symbol):
            return f"{top}{self._print(expr.expr)}/{bottom}"
        return f"{top}/{bottom}[{self._print(expr.expr)}]"

    def _print_Subs(self, expr):
        # σ′(w·x) as written; otherwise bracketed, as "… at t = w·x·x" read as if x were
        # part of the point in σ′(wx)·x.
        inner, variables, point = expr.expr, expr.variables, expr.point
        if isinstance(inner, Derivative) and len(variables) == 1 and len(inner.variable_count) == 1:
            (t, n), f = inner.variable_count[0], inner.expr
            if t == variables[0] and f.is_Function and f.args == (t,) and 1 <= n <= 3:
                shown = self._print(f.func(point[0]))
                if "(" in shown:
                    name, rest = shown.split("(", 1)
                    return f"{name}{'′' * int(n)}({rest}"
        at = ", ".join(f"{self._print(v)} = {self._print(p)}" for v, p in zip(variables, point))
        return f"[{self._print(inner)} at {at}]"

    def _print_Limit(self, expr):
        body, z, z0, direction = expr.args
        # SymPy records x → ∞ as from below ("-"): a side only means something at a number.
        ends = {S.Infinity: "∞", S.NegativeInfinity: "−∞"}
        side = "" if z0 in ends else {"+": "⁺", "-": "⁻"}.get(str(direction), "")
        point = ends.get(z0) or self._print(z0)
        return f"lim_{{{self._print(z)}→{point}{side}}} {self.parenthesize(body, 1000)}"

    def _print_Inner(self, expr):
        a, b = expr.args
        if a == b:
            return f"‖{self._print(a)}‖²"
        return f"⟨{self._print(a)}, {self._print(b)}⟩"

    def _print_Abs(self, expr):
        return f"|{self._print(expr.args[0])}|"

    def _print_sigma(self, expr):
        return f"σ({self._print(expr.args[0])})"

    def _base(self, base) -> str:
        """A power's base; a fraction-like one (∂²f/∂x∂y, a/b) in parentheses."""
        shown = self.parenthesize(base, PRECEDENCE["Pow"], strict=False)
        if isinstance(base, Derivative) or (base.is_Rational and not base.is_Integer) \
                or (base.is_Number and _below_zero(base)):
            return f"({shown})" if not shown.startswith("(") else shown
        return shown

    def _print_Pow(self, expr, rational=False):
        base, exp = expr.args
        if exp is S.Half:
            inner = self._print(base)
            return f"√{inner}" if _simple(base) else f"√({inner})"
        if exp.is_Integer and exp < 0 and base.is_commutative:
            return "1/" + self._denominator([base if exp == -1 else Pow(base, -exp, evaluate=False)])
        if exp.is_Integer:
            return self._base(base) + _sup(int(exp))
        return self._base(base) + "^" + self.parenthesize(exp, PRECEDENCE["Pow"], strict=False)

    def _print_Symbol(self, expr):
        # "∗" keeps a name's star apart from the product sign.
        return expr.name.replace("*", "∗")

    def _print_Dummy(self, expr):
        # A checker's fresh copy of a variable reads as the variable (not "_t").
        return self._print_Symbol(expr)

    def _print_Integer(self, expr):
        return _big(int(expr))

    def _print_Rational(self, expr):
        if max(abs(expr.p), expr.q).bit_length() > 49:
            return _big_ratio(expr.p, expr.q)
        return f"{expr.p}/{expr.q}"

    def _print_Float(self, expr):
        return _significant(float(expr))

    def _print_Mul(self, expr):
        sign, top, bottom = _factors(expr)
        if not top and not bottom:
            return sign + "1"
        shown = [self.parenthesize(f, PRECEDENCE["Mul"], strict=False) for f in top]
        num = "·".join(shown) if shown else "1"
        if not bottom:
            return sign + num
        return f"{sign}{num}/{self._denominator(bottom)}"

    def _denominator(self, factors) -> str:
        shown = "·".join(self.parenthesize(f, PRECEDENCE["Mul"], strict=False) for f in factors)
        return shown if _atomic(shown) else f"({shown})"

    def _print_Add(self, expr, order=None):
        return _add(self, expr, "(%s)")

    def parenthesize(self, item, level, strict=False):
        # Σ and Π reach to the end of the term: as a factor or a base they need brackets.
        if getattr(item, "is_Mul", False) is False and type(item).__name__ in ("Sum", "Product") \
                and level >= PRECEDENCE["Mul"]:
            return "(%s)" % self._print(item)
        return super().parenthesize(item, level, strict)

    def _print_Sum(self, expr):
        return self._big("Σ", expr)

    def _print_Product(self, expr):
        return self._big("Π", expr)

    def _big(self, sign, expr):
        body = self.parenthesize(expr.function, PRECEDENCE["Mul"], strict=True)
        for v, a, b in expr.limits:
            body = f"{sign}_{{{self._print(v)}={self._print(a)}}}^{{{self._print(b)}}} {body}"
        return body

    def _print(self, expr, **kwargs):
        # Indexed prints itself (x[i]) before any _print_Indexed is asked.
        if getattr(expr, "is_Indexed", False):
            return self._print_Indexed(expr)
        return super()._print(expr, **kwargs)

    def _print_Indexed(self, expr):
        index = ", ".join(self._print(i) for i in expr.indices)
        return f"{self._print(expr.base.label)}_{index if len(index) == 1 else '{' + index + '}'}"

    def _print_KroneckerDelta(self, expr):
        return f"δ_{{{self._print(expr.args[0])},{self._print(expr.args[1])}}}"

    def _print_MatrixBase(self, expr):
        rows = ["(" + ", ".join(self._print(e) for e in expr.row(i)) + ")" for i in range(expr.rows)]
        return "(" + "; ".join(r[1:-1] for r in rows) + ")" if expr.cols > 1 or expr.rows == 1 \
            else "(" + ", ".join(self._print(e) for e in expr) + ")ᵀ"

    def _print_Determinant(self, expr):
        return f"det {self.parenthesize(expr.arg, PRECEDENCE['Func'], strict=True)}"

    def _print_Trace(self, expr):
        return f"tr {self.parenthesize(expr.arg, PRECEDENCE['Func'], strict=True)}"

    def _print_Transpose(self, expr):
        return f"{self.parenthesize(expr.arg, PRECEDENCE['Pow'], strict=True)}ᵀ"

    def _print_Inverse(self, expr):
        return f"{self.parenthesize(expr.arg, PRECEDENCE['Pow'], strict=True)}⁻¹"

    def _print_MatPow(self, expr):
        base, exp = expr.args
        shown = self.parenthesize(base, PRECEDENCE["Pow"], strict=False)
        return shown + (_sup(int(exp)) if exp.is_Integer and 1 < exp < 10 else f"^{self._print(exp)}")

    def _print_MatMul(self, expr):
        return " ".join(self.parenthesize(a, PRECEDENCE["Mul"], strict=True) for a in expr.args)

    def _print_Piecewise(self, expr):
        rows = [f"{self._print(v)} if {self._print(c)}" for v, c in expr.args]
        return "{" + "; ".join(rows) + "}"

    def _print_Or(self, expr):
        return self._joined(expr, " or ")

    def _print_And(self, expr):
        return self._joined(expr, " and ")

    def _joined(self, expr, word: str) -> str:
        # Words, not SymPy's | and &: a piece's condition reads 'x < -1 or x > 1'.
        return word.join(f"({self._print(a)})" if a.func in (And, Or) else self._print(a)
                         for a in expr.args)

    def _print_Relational(self, expr):
        op = {"==": "=", "<=": "≤", ">=": "≥", "!=": "≠"}.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_Equality(self, expr):
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    def _print_Unequality(self, expr):
        return f"{self._print(expr.lhs)} ≠ {self._print(expr.rhs)}"

    def _print_exp(self, expr):
        return f"e^({self._print(expr.args[0])})"


def _atomic(shown: str) -> bool:
    """True when ``shown`` needs no parentheses after a "/": one name, number, call,
    or bracket, with nothing outside the brackets that binds looser than a power."""
    depth, norm = 0, False
    for i, ch in enumerate(shown):
        if ch in "([{⟨":
            depth += 1
        elif ch in ")]}⟩":
            depth -= 1
        elif ch == "‖":
            norm = not norm
        elif depth == 0 and not norm and (ch in " ·/+" or (ch == "-" and i > 0)):
            return False
    return not shown.startswith("-")


def _factors(expr):
    """(sign, numerator factors, denominator factors) of a product in the author's
    order: nested products flattened, every minus sign in front, 1/x below the line."""
    negative, top, bottom = False, [], []

    def walk(e):
        nonlocal negative
        if e.is_Mul:
            for a in e.args:
                walk(a)
        elif e.is_Number:
            if _below_zero(e):
                negative = not negative
                e = -e
            if e.is_Rational and not e.is_Integer:
                if e.p != 1:
                    top.append(Integer(e.p))
                bottom.append(Integer(e.q))
            elif e != 1:
                top.append(e)
        elif e.is_Pow and e.exp.is_Number and _below_zero(e.exp) and e.base.is_commutative:
            bottom.append(e.base if e.exp == -1 else Pow(e.base, -e.exp, evaluate=False))
        else:
            top.append(e)

    walk(expr)
    return ("-" if negative else ""), top, bottom


def _big(n: int) -> str:
    """An integer; past 15 digits as 10ᵏ or to 6 significant digits (never the
    whole string of a huge number: Python refuses those, and nobody reads them)."""
    if n.bit_length() <= 49:
        return str(n)
    sign, n = ("-" if n < 0 else ""), abs(n)
    if n.bit_length() > 14000:
        return f"≈{sign}10{_sup(int(n.bit_length() * 0.30103))}"
    digits = str(n)
    power = len(digits) - 1
    if digits.rstrip("0") == "1":
        return f"{sign}10{_sup(power)}"
    mantissa = f"{float(digits[0] + '.' + digits[1:12]):.6g}"
    if mantissa == "10":
        mantissa, power = "1", power + 1
    return f"{sign}{mantissa}·10{_sup(power)}"


def _big_ratio(p: int, q: int) -> str:
    """p/q with a numerator or denominator too long to read."""
    top = _big(p) if abs(p) != 1 else str(p)
    return f"{top}/{_big(q)}"
