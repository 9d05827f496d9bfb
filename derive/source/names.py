"""Names as written in LaTeX (x, \\hat{y}, w_{t+1}, \\mathcal{L}) and as shown in a terminal."""

from __future__ import annotations

import unicodedata

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
    "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "ell": "ℓ",
}
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0304",
           "tilde": "\u0303", "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308",
           "vec": "\u20d7", "check": "\u030c"}
FONTS = {"mathcal", "mathbf", "boldsymbol", "mathrm", "mathit", "mathsf", "mathscr", "bm"}
CALLIGRAPHIC = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "𝒜ℬ𝒞𝒟ℰℱ𝒢ℋℐ𝒥𝒦ℒℳ𝒩𝒪𝒫𝒬ℛ𝒮𝒯𝒰𝒱𝒲𝒳𝒴𝒵"))
DECORATIONS = {"*": "*", "star": "*", "ast": "*", "+": "⁺", "-": "⁻", "dagger": "†",
               "prime": "′", "top": "ᵀ"}


def display(base: str, inner: str, kind: str, sub: str = "", sup: str = "") -> str:
    """The Unicode name of a symbol, e.g. ŷ, ℒ, w_{t+1}, x*."""
    if kind == "greek":
        out = GREEK[base]
    elif kind == "accent":
        out = inner + ACCENTS[base]
    elif kind == "font":
        out = CALLIGRAPHIC.get(inner, inner) if base in ("mathcal", "mathscr") else inner
    else:
        out = base
    if sub:
        out += "_" + (sub if len(sub) == 1 else "{" + sub + "}")
    if sup:
        out += DECORATIONS.get(sup, sup)
    # Composed form: \hat{y} is ŷ (U+0177), the same name a Python derivation writes.
    return unicodedata.normalize("NFC", out)


def canonical(base: str, inner: str, kind: str, sub: str = "", sup: str = "") -> str:
    """The LaTeX of a name, spelled one way: \\hat{y}, w_{t}, x^{*}, \\mathcal{L}."""
    if kind == "greek":
        out = "\\" + base
    elif kind in ("accent", "font"):
        out = "\\%s{%s}" % (base, inner)
    else:
        out = base
    if sub:
        out += "_{%s}" % sub
    if sup:
        out += "^{%s}" % (sup if len(sup) == 1 else "\\" + sup)
    return out
