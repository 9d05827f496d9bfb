"""LaTeX math split into tokens that remember their place in the file."""

from __future__ import annotations

from dataclasses import dataclass

from .text import Text, Where, quote

CHARS = set("+-*/=<>()[]{}^_,|'!&:;.")
# Sizes and styles change how math looks, never what it means: dropped.
INVISIBLE = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
             "biggl", "biggr", "Biggl", "Biggr", "middle", "displaystyle", "textstyle",
             "limits", "nolimits", "nonumber", "notag"}
SPACES = {",", ";", ":", "!", " ", ">", "quad", "qquad", "thinspace", "enspace", "medspace",
          "thickspace", "negthinspace"}
UNICODE = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "varepsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda",
    "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega", "ℓ": "ell", "∂": "partial",
    "∇": "nabla", "∞": "infty", "≤": "le", "≥": "ge", "≠": "ne", "⟺": "iff", "⇔": "iff", "⟹": "implies", "⇒": "implies",
    "·": "cdot", "×": "times", "∈": "in", "→": "to", "⟨": "langle", "⟩": "rangle",
    "‖": "|", "−": "-", "∨": "lor", "∧": "land",
}
RELATIONS = {"=": "=", "<": "<", ">": ">", "le": "<=", "leq": "<=", "leqslant": "<=",
             "ge": ">=", "geq": ">=", "geqslant": ">=", "lt": "<", "gt": ">", "ne": "!=",
             "neq": "!=", "iff": "iff", "Leftrightarrow": "iff", "Longleftrightarrow": "iff",
             "implies": "implies", "Rightarrow": "implies", "Longrightarrow": "implies",
             "succeq": ">=", "preceq": "<="}     # ⪰ between matrices: positive semidefinite


@dataclass(frozen=True)
class Tok:
    """One token: kind is cs (a control sequence, without its backslash), letter,
    num, char or space; ``i`` is its offset in the Text it came from."""

    kind: str
    text: str
    i: int

    def is_cs(self, *names) -> bool:
        return self.kind == "cs" and self.text in names

    def is_char(self, *chars) -> bool:
        return self.kind == "char" and self.text in chars

    @property
    def shown(self) -> str:
        return "\\" + self.text if self.kind == "cs" else self.text


def tokenize(text: Text, where: Where) -> list:
    """Tokens of ``text``; an unknown character is an input error."""
    s, out, i, n = text.s, [], 0, len(text.s)
    while i < n:
        c = s[i]
        if c == "\\":
            j = i + 1
            if j < n and s[j].isascii() and s[j].isalpha():
                while j < n and s[j].isascii() and s[j].isalpha():
                    j += 1
                name = s[i + 1:j]
            elif j < n:
                name, j = s[j], j + 1
            else:
                where.error("a lone backslash at the end: expected a command such as \\frac", text, i)
            if name in INVISIBLE:
                if name in ("left", "right", "middle"):
                    # \left. and \right. are invisible delimiters.
                    k = j
                    while k < n and s[k] == " ":
                        k += 1
                    if k < n and s[k] == ".":
                        j = k + 1
            elif name in SPACES:
                out.append(Tok("space", " ", i))
            else:
                out.append(Tok("cs", name, i))
            i = j
        elif c.isspace() or c == "~":
            j = i
            while j < n and (s[j].isspace() or s[j] == "~"):
                j += 1
            out.append(Tok("space", " ", i))
            i = j
        elif c.isdigit():
            j = i
            while j < n and s[j].isdigit():
                j += 1
            if j + 1 < n and s[j] == "." and s[j + 1].isdigit():
                j += 1
                while j < n and s[j].isdigit():
                    j += 1
            out.append(Tok("num", s[i:j], i))
            i = j
        elif c.isascii() and c.isalpha():
            out.append(Tok("letter", c, i))
            i += 1
        elif c in CHARS:
            two = s[i:i + 2]
            if two in ("<=", ">=", "!=", ":="):
                out.append(Tok("cs", {"<=": "le", ">=": "ge", "!=": "ne", ":=": "coloneqq"}[two], i))
                i += 2
                continue
            out.append(Tok("char", c, i))
            i += 1
        elif c in UNICODE:
            name = UNICODE[c]
            out.append(Tok("char", "-", i) if name == "-" else Tok("cs", name, i))
            i += 1
        else:
            shown = "a '%'" if c == "%" else "a '#'" if c == "#" else "a '$'" if c == "$" else quote(c)
            where.error(f"unexpected character {shown} in {quote(s)}: expected LaTeX math "
                        "(letters, digits, + - = ( ) and commands like \\frac)", text, i)
    return out
