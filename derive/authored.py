"""The author's LaTeX of a step: split at its relation and spelt the way TeX reads it."""

from __future__ import annotations

import re

# Relations a step may be written with (derive/source/latex.py reads the same set),
# and the one each stands for.
RELATION_COMMANDS = {"le": "<=", "leq": "<=", "leqslant": "<=", "ge": ">=", "geq": ">=",
                     "geqslant": ">=", "lt": "<", "gt": ">", "ne": "!=", "neq": "!=",
                     "iff": "iff", "Leftrightarrow": "iff", "Longleftrightarrow": "iff",
                     "implies": "implies", "Rightarrow": "implies", "Longrightarrow": "implies"}
RELATION_CHARS = {"=": "=", "<": "<", ">": ">", "≤": "<=", "≥": ">=", "≠": "!=", "⟺": "iff",
                  "⇔": "iff", "⟹": "implies", "⇒": "implies"}
_ASCII_PAIRS = {"<=": r"\le", ">=": r"\ge", "!=": r"\ne", ":=": r"\coloneqq"}

# Characters the reader accepts in math, as the commands TeX needs for them.
UNICODE_TEX = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "varepsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda",
    "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega", "ℓ": "ell", "∂": "partial",
    "∇": "nabla", "∞": "infty", "≤": "le", "≥": "ge", "≠": "ne", "⟺": "iff", "⇔": "iff", "⟹": "implies", "⇒": "implies",
    "·": "cdot", "×": "times", "∈": "in", "→": "to", "⟨": "langle", "⟩": "rangle", "‖": "Vert",
}
_OPEN = {"{", "(", "["}
_CLOSE = {"}", ")", "]"}
_OPEN_CS = {"left", "begin", "langle", "{", "lbrace"}
_CLOSE_CS = {"right", "end", "rangle", "}", "rbrace"}


def spelt(tex: str) -> str:
    """``tex`` with Unicode symbols as commands, ``<=`` as ``\\le`` and white space
    collapsed: the same math, in the characters TeX and the allow-list accept."""
    out, i, n = [], 0, len(tex)
    while i < n:
        ch = tex[i]
        if ch == "\\" and i + 1 < n:
            m = re.match(r"[A-Za-z]+", tex[i + 1:])
            step = 1 + (len(m.group(0)) if m else 1)
            out.append(tex[i:i + step])
            i += step
            continue
        pair = tex[i:i + 2]
        if pair in _ASCII_PAIRS:
            out.append(_ASCII_PAIRS[pair] + " ")
            i += 2
            continue
        if ch == "−":
            out.append("-")
        elif ch in UNICODE_TEX:
            out.append("\\" + UNICODE_TEX[ch] + " ")
        else:
            out.append(ch)
        i += 1
    return " ".join("".join(out).split())


def _top_relations(tex: str) -> list:
    """[(start, end, relation)] of the relations outside every bracket and environment."""
    found, depth, i, n = [], 0, 0, len(tex)
    while i < n:
        ch = tex[i]
        if ch == "\\":
            m = re.match(r"[A-Za-z]+", tex[i + 1:])
            name = m.group(0) if m else tex[i + 1:i + 2]
            end = i + 1 + len(name)
            if name in ("left", "right"):
                # \left( opens one level; the delimiter after it is not a bracket of its own.
                depth += 1 if name == "left" else -1
                d = re.match(r"\s*(\\[A-Za-z]+|\\.|.)", tex[end:])
                end += d.end() if d else 0
            elif name in _OPEN_CS:
                depth += 1
            elif name in _CLOSE_CS:
                depth -= 1
            elif depth == 0 and name in RELATION_COMMANDS:
                found.append((i, end, RELATION_COMMANDS[name]))
            i = end
            continue
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif depth == 0 and tex[i:i + 2] in ("<=", ">=", "!="):
            found.append((i, i + 2, {"<=": "<=", ">=": ">=", "!=": "!="}[tex[i:i + 2]]))
            i += 2
            continue
        elif depth == 0 and ch in RELATION_CHARS:
            found.append((i, i + 1, RELATION_CHARS[ch]))
        i += 1
    return found


def step_sides(tex: str, rel: str):
    """(lhs, relation, rhs) of a step as its author wrote it, spelt for TeX; lhs is ""
    for a step that continues a chain. None when ``tex`` does not split into one
    ``rel`` between two sides (the caller then prints the parsed expressions)."""
    if not tex or not tex.strip():
        return None
    found = _top_relations(tex)
    if rel in ("iff", "implies"):
        found = [f for f in found if f[2] == rel]
    if len(found) != 1 or found[0][2] != rel:
        return None
    start, end, _ = found[0]
    lhs, shown, rhs = spelt(tex[:start]), spelt(tex[start:end]), spelt(tex[end:])
    if not rhs:
        return None
    return lhs, shown, rhs
