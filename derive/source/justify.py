"""A step's `% justification`: a kind from a fixed vocabulary, what it uses, when it holds.

    % chain rule
    % derivative for vx \\ne 0: differentiate $\\ell$ in $\\hat y$
    % hypothesis smooth(w^+, w)
    % by pl(w_t), smooth(w_t, w_{t+1})
"""

from __future__ import annotations

import re

from .. import kinds
from ..expressions import rebuild
from ..model import Use, Why
from ..notation import linear_parts
from ..prose import MathError, check_math
from .latex import parse_expr, parse_relations
from .text import Text, Where, quote

# The fixed vocabulary, from the one table of kinds (derive/kinds.py).
VOCABULARY = kinds.vocabulary()
USES = kinds.takes_uses()
CONDITION_WORDS = ("for", "if", "when", "where")
_WORD_END = re.compile(r"(?=$|[\s,:(])")


def split_colon(text: Text):
    """(head, shown text or None) split at the first ':' outside brackets."""
    depth = 0
    for i, c in enumerate(text.s):
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif c == ":" and depth == 0 and text.s[i + 1:i + 2] != "=":
            return text[:i], text[i + 1:].strip()
    return text, None


def read_kind(head: Text, where: Where):
    """(kind, rest of the text) — the longest vocabulary entry the head starts with."""
    low = head.s.lower()
    for kind in sorted(VOCABULARY, key=len, reverse=True):
        if low.startswith(kind) and _WORD_END.match(low, len(kind)):
            return kind, head[len(kind):].strip()
    word = head.s.split()[0] if head.s.split() else ""
    where.error(f"unknown justification {quote(word or head.s)}{_did_you_mean(low)}: expected one "
                f"of {', '.join(VOCABULARY)}", head)


def _did_you_mean(low: str) -> str:
    """' (did you mean `chain rule`?)' for 'chainrule', 'chain-rule', 'subsitute', …"""
    import difflib
    words = re.split(r"[\s,(:]+", low.strip())
    tries = {" ".join(words[:n]) for n in (1, 2, 3)} | {low.split(",")[0].strip()}
    best = max(((difflib.SequenceMatcher(None, t, k).ratio(), k) for t in tries if t
                for k in VOCABULARY), default=(0, ""))
    return f" (did you mean {quote(best[1])}?)" if best[0] >= 0.75 else ""


def justification(comment: Text, scope, schemas: dict, where: Where):
    """(Why, conditions) for the text after a step's '%'."""
    comment = comment.strip()
    if not comment.s:
        where.error("an empty justification after '%': expected one of "
                    f"{', '.join(VOCABULARY)} (or '%%' for a plain comment)", comment)
    head, shown = split_colon(comment)
    head = head.strip()
    kind, rest = read_kind(head, where)
    uses, conditions = [], ()
    cond_at = _condition_start(rest)
    use_text = rest[:cond_at].strip() if cond_at is not None else rest
    if use_text.s.startswith(","):
        use_text = use_text[1:].strip()
    if use_text.s.endswith(","):
        use_text = use_text[:len(use_text) - 1].strip()
    if use_text.s:
        if kind not in USES:
            where.error(f"unexpected {quote(use_text.s)} after {kind!r}: expected 'for …' "
                        "conditions or ': text'", use_text)
        uses = _uses(use_text, scope, schemas, where)
    elif kind in ("hypothesis", "lemma", "by"):
        where.error(f"{kind!r} needs the name of what it uses, as in `% {kind} smooth(a, b)`", head)
    if cond_at is not None:
        word = rest.s[cond_at:].split()[0]
        cond_text = rest[cond_at + len(word):].strip()
        if not cond_text.s:
            where.error(f"expected conditions after {word!r}", rest, cond_at)
        conditions = tuple(parse_relations(cond_text, scope, where))
    if shown is not None:
        try:
            for m in re.finditer(r"\$([^$]+)\$", shown.s):
                check_math(m.group(1))
        except MathError as exc:
            where.error(str(exc), shown, m.start() + 1)
        if shown.s.count("$") % 2:
            where.error("an unclosed '$' in the justification's text", shown)
    names = ", ".join(u.name for u in uses)
    text = shown.s if shown is not None and shown.s else (f"{kind} {names}" if names else "")
    return Why(kinds.canonical(kind), text, tuple(uses)), conditions


def _condition_start(rest: Text):
    """Where 'for …' (or if/when/where) begins in the rest, outside brackets."""
    depth = 0
    s = rest.s
    for i, c in enumerate(s):
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif depth == 0 and (i == 0 or s[i - 1] in " ,"):
            for word in CONDITION_WORDS:
                if s.startswith(word, i) and (i + len(word) == len(s) or s[i + len(word)] == " "):
                    return i
    return None


def _uses(text: Text, scope, schemas: dict, where: Where) -> list:
    out = []
    for piece in _top_commas(text):
        m = re.match(r"\s*([A-Za-z][\w-]*)\s*(\((.*)\))?\s*$", piece.s, re.S)
        if not m:
            where.error(f"expected `name(arguments)`, found {quote(piece.s)}", piece)
        name = m.group(1)
        if name == "above":
            # The chain above this step, as the inequality checker reads it.
            if m.group(2) is not None:
                where.error("'above' takes no arguments", piece)
            out.append(Use("above", ()))
            continue
        if name not in schemas and name not in _standard():
            known = ", ".join(list(schemas) + sorted(_standard())) or "none declared"
            where.error(f"no hypothesis or lemma named {name!r} (known: {known})", piece)
        args = []
        if m.group(2) is not None:
            inner = piece[m.start(3):m.end(3)]
            if inner.s.strip():
                args = [parse_expr(a.strip(), scope, where) for a in _top_commas(inner)]
        kinds = schemas[name][0] if name in schemas else _standard()[name]
        if len(args) != len(kinds):
            where.error(f"{name} takes {len(kinds)} argument{'s' if len(kinds) != 1 else ''}, "
                        f"got {len(args)}", piece)
        for arg, vector, a in zip(args, kinds, _top_commas(inner) if args else []):
            if vector != _is_vector(arg):
                want = "a vector" if vector else "a scalar"
                where.error(f"argument {quote(a.s.strip())} of {name} must be {want}", a.strip())
        out.append(Use(name, tuple(args)))
    return out


def _standard() -> dict:
    """The standard lemmas every derivation may cite: name -> kinds of their arguments."""
    from ..kernel.facts import LEMMA_VECTORS
    return dict(LEMMA_VECTORS)


def _top_commas(text: Text) -> list:
    pieces, depth, start = [], 0, 0
    for i, c in enumerate(text.s):
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif c == "," and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


def _is_vector(value) -> bool:
    try:
        return bool(linear_parts(rebuild(value)))
    except (TypeError, ValueError):
        return False
