"""A display's math split into chains of steps, as a reader reads it.

Rows are split at ``\\\\``; ``&`` is alignment; a row that starts with a relation
continues the chain above, a row with a relation of its own starts a new one,
and a row without one continues the expression. Each chain is split at its
top-level relations into links, which take the hints and conditions of their
row (rows.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from .rows import Row, read_rows
from .text import Text, Where, quote
from .tokens import RELATIONS, tokenize

DEFINITIONS = {"coloneqq", "coloneq", "triangleq", "defeq", "eqdef", "doteq"}
REVERSED = {"eqqcolon", "eqcolon"}
# ⟹ makes its sides conditions (x ≥ 1 ⟹ x² ≥ 1), checked as implication steps; the
# reversed and the verbal ones (⟸, ∴, ∵) are refused where written; ∈ and ↦ state what
# things are.
IMPLICATIONS = {"implies", "Rightarrow", "Longrightarrow"}
UNCHECKED_IMPLICATIONS = {"impliedby", "Leftarrow", "Longleftarrow", "therefore", "because"}
NOT_STEPS = {"to", "mapsto", "longmapsto", "subset", "subseteq", "supset", "in", "notin", "ni",
             "perp", "mid", "colon"}
# One link with one of these is read but not checked (≈ is not =).
UNCHECKED = {"approx", "simeq", "sim", "propto", "cong", "equiv", "asymp", "ll", "gg",
             "lesssim", "gtrsim", "lessapprox", "gtrapprox", "nleq", "ngeq", "nless", "ngtr",
             "nleqslant", "ngeqslant", "lneq", "gneq"}
STACKED = ("overset", "stackrel", "underset")
DEF_MARKS = re.compile(r"^\s*(\\(text|mathrm|textrm|rm)\s*\{\s*)?(def|defn|def\.|Delta|\\Delta|"
                       r"\\triangle|\\vartriangle)\s*\}?\s*$", re.I)


@dataclass
class Link:
    """One relation of a chain: ``op`` is =, <=, <, >=, >, iff, def (lhs := rhs),
    rdef (lhs =: rhs), ``unchecked`` (≈, ≠: read, never checked), ``implies`` (⟹)
    or ``statement`` (∈, →, ↦: the chain is not a derivation)."""

    op: str
    rel: Text
    rhs: Text
    hint: Text | None = None
    conditions: list = field(default_factory=list)     # [(word, Text)]
    label: str = ""


@dataclass
class Chain:
    """``first`` is the left side (empty when the chain continues the display above)."""

    first: Text
    links: list


@dataclass
class Display:
    chains: list
    prose: list          # \intertext texts (read for definitions)
    errors: list         # InputErrors for rows that could not be split


def split(content: Text, where: Where) -> Display:
    """The chains of one display's math."""
    rows, prose, errors = read_rows(content, where)
    chains = []
    for group in _group(rows, where, errors):
        try:
            chain = _links(group, where)
        except InputError as exc:
            errors.append(exc)
            continue
        if chain is not None:
            chains.append(chain)
    return Display(chains, prose, errors)


# -- rows into chains, chains into links -------------------------------------------------

def _relations(text: Text, where: Where) -> list:
    """(op, start, end, hint) of each top-level relation in ``text``; offsets into text.s."""
    toks = [t for t in tokenize(text, where) if t.kind != "space"]
    out, depth, k = [], 0, 0
    while k < len(toks):
        t = toks[k]
        if t.is_char("(", "[", "{") or t.is_cs("{", "langle", "begin", "lVert", "lvert"):
            depth += 1
        elif t.is_char(")", "]", "}") or t.is_cs("}", "rangle", "end", "rVert", "rvert"):
            depth -= 1
            if depth < 0:
                where.error(f"{quote(t.shown)} closes nothing in {quote(text.s)}", text, t.i)
        elif depth == 0:
            got = _relation_at(toks, k, text)
            if got is not None:
                op, nxt, hint = got
                end = toks[nxt].i if nxt < len(toks) else len(text.s)
                out.append((op, t.i, end, hint))
                k = nxt
                continue
        k += 1
    return out


def _relation_at(toks, k, text):
    """(op, next token index, hint Text or None) when a relation starts at token k."""
    t = toks[k]
    if t.kind == "char" and t.text in "=<>":
        if t.text == "=" and k + 1 < len(toks) and toks[k + 1].is_char(":"):
            return "rdef", k + 2, None
        return RELATIONS[t.text], k + 1, None
    if t.kind != "cs":
        return None
    if t.text in ("coloneqq",) or t.text in DEFINITIONS:
        return "def", k + 1, None
    if t.text in REVERSED:
        return "rdef", k + 1, None
    if t.text in RELATIONS:
        op = RELATIONS[t.text]
        return ("unchecked", k + 1, None) if op == "!=" else (op, k + 1, None)
    if t.text in IMPLICATIONS:
        return "implies", k + 1, None
    if t.text in UNCHECKED_IMPLICATIONS:
        return "impliedby", k + 1, None
    if t.text in NOT_STEPS:
        return "statement", k + 1, None
    if t.text in UNCHECKED:
        return "unchecked", k + 1, None
    if t.text in STACKED and k + 1 < len(toks) and toks[k + 1].is_char("{"):
        a_end = _tok_group_end(toks, k + 1)
        if a_end is None or a_end >= len(toks) or not toks[a_end].is_char("{"):
            return None
        b_end = _tok_group_end(toks, a_end)
        if b_end is None:
            return None
        top = text[toks[k + 1].i + 1:toks[a_end - 1].i]
        inner = [x for x in toks[a_end + 1:b_end - 1]]
        if len(inner) != 1:
            return None
        got = _relation_at(inner, 0, text)
        if got is None:
            return None
        op = got[0]
        if t.text != "underset" and DEF_MARKS.match(top.s) and op == "=":
            return "def", b_end, None
        return op, b_end, top
    return None


def _tok_group_end(toks, k):
    depth = 0
    for q in range(k, len(toks)):
        if toks[q].is_char("{"):
            depth += 1
        elif toks[q].is_char("}"):
            depth -= 1
            if depth == 0:
                return q + 1
    return None


def _group(rows: list, where: Where, errors: list):
    """Rows joined into chains (lists of rows)."""
    groups, current, has = [], [], False
    for row in rows:
        if not row.body.s.strip():
            if current and (row.hints or row.conditions or row.label):
                _merge(current[-1], row)
            continue
        try:
            rels = _relations(row.body, where)
        except InputError as exc:
            errors.append(exc)
            if current:
                groups.append(current)
            current, has = [], False
            continue
        starts = bool(rels) and not row.body.s[:rels[0][1]].strip()
        if current and not starts and rels and has:
            groups.append(current)
            current, has = [], False
        current.append(row)
        has = has or bool(rels)
    if current:
        groups.append(current)
    return groups


def _merge(row: Row, extra: Row):
    row.hints.extend(extra.hints)
    row.conditions.extend(extra.conditions)
    row.label = row.label or extra.label


def _links(group: list, where: Where):
    """A Chain from rows; None when the rows hold no relation (a displayed expression)."""
    text, starts = group[0].body.strip(), [0]
    for row in group[1:]:
        starts.append(len(text.s) + 1)
        text = text.join(row.body.strip(), "\n")
    rels = _relations(text, where)
    if not rels:
        return None
    first = text[:rels[0][1]].strip()
    links = []
    for n, (op, a, b, hint) in enumerate(rels):
        end = rels[n + 1][1] if n + 1 < len(rels) else len(text.s)
        rhs = text[b:end].strip()
        if not rhs.s:
            where.error(f"nothing after {text.s[a:b].strip()!r}: expected the right side", text, a)
        links.append(Link(op, text[a:b], rhs, hint))
    for r, row in enumerate(group):
        inside = [link for link, (_, a, _, _) in zip(links, rels)
                  if starts[r] <= a < (starts[r + 1] if r + 1 < len(starts) else len(text.s) + 1)]
        if not inside:
            before = [link for link, (_, a, _, _) in zip(links, rels) if a < starts[r]]
            inside = before[-1:]
        for link in inside:
            link.hint = link.hint if link.hint is not None else (row.hints[0] if row.hints else None)
            link.conditions.extend(row.conditions)
            link.label = link.label or row.label
    return Chain(first, links)
