"""An author's hint beside a step (`\\text{(chain rule)}`, `by AM-GM`) read as a kind of reasoning."""

from __future__ import annotations

import re

# (pattern, kind): the first pattern found in the hint names the kind the engine
# tries first. Named inequalities the engine has no lemma for (AM–GM,
# Cauchy–Schwarz, Young) point at the sign checker, which proves their
# two-term and polynomial forms ((a − b)² ≥ 0) from the difference's sign.
HINTS = (
    (r"\bchain[ -]?rule\b", "chain rule"),
    (r"\bproduct[ -]?rule\b", "product rule"),
    (r"\bquotient[ -]?rule\b", "derivative"),
    (r"\b(derivative|differentiat\w*|d/d\w+)\b", "derivative"),
    (r"\b(l'?h[oô]pital\w*|limit)\b", "limit"),
    (r"\b(by )?def(inition|\.|n)?\b", "definition"),
    (r"\b(substitut\w*|plug\w*( in)?|insert\w*)\b", "substitute"),
    (r"\b(expand\w*|distribut\w*)\b", "expand"),
    (r"\b(simplif\w*|cancel\w*|factor\w*|collect\w*|rearrang\w*|algebra\w*)\b", "algebra"),
    (r"\bcases?\b", "case"),
    (r"\b(solv\w*|equivalen\w*|iff)\b", "solve"),
    (r"\b(am[ -]?gm|arithmetic[ -]geometric|cauchy[ -]*schwarz|young|jensen|"
     r"triangle inequality|sign|positiv\w*|nonnegativ\w*|squares?|convex\w*)\b", "sign"),
    (r"\b(monoton\w*|increasing|decreasing)\b", "monotone"),
    (r"\bexp[ _-]?bound\b", "lemma"),
)
_COMPILED = tuple((re.compile(p, re.I), kind) for p, kind in HINTS)
_DASHES = re.compile(r"-{2,3}|[\u2010-\u2015]")


def clean(text: str) -> str:
    """The hint as a reader sees it: no braces, TeX dashes as '-', parentheses and
    a leading 'by'/'using'/'from' kept as written."""
    s = _DASHES.sub("-", text)
    s = re.sub(r"\\(text|textrm|textnormal|mathrm|mbox|textit|emph)\s*\{", "", s)
    s = s.replace("{", "").replace("}", "").replace("~", " ").replace("\\,", " ")
    s = re.sub(r"\\[a-zA-Z]+\s*", " ", s)
    s = " ".join(s.split())
    return s.strip(" ,;:.")


def kind_of(text: str):
    """The kind of reasoning a hint names, or None when it names none derive knows."""
    s = clean(text)
    for regex, kind in _COMPILED:
        if regex.search(s):
            return kind
    return None
