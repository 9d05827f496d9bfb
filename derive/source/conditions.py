"""A cases piece's condition: relations joined by 'and' (∧, comma) or 'or' (∨), symbols or words."""

from __future__ import annotations

from sympy import And, Or, evaluate, true

from .text import quote

TEXT = ("text", "mbox", "textrm", "textnormal")
LEAD = ("if", "for", "when", "where")
OTHERWISE = ("otherwise", "else")
SYMBOLS = {"lor": "or", "vee": "or", "land": "and", "wedge": "and"}
BUILD = {"or": Or, "and": And}


class Conditions:
    """Reader methods for the condition after '&' in \\begin{cases} (mixed into Reader)."""

    def condition(self, a: int, b: int):
        """A condition in cases: a relation, relations joined by 'and' or 'or', or
        'otherwise', optionally after 'if' or 'for'."""
        toks = self.toks
        while a < b and (toks[a].is_cs(*TEXT) or toks[a].is_char(",")):
            if toks[a].is_char(","):
                a += 1
                continue
            close = self._text_close(a)
            words = self._words(a, close)
            if words in OTHERWISE:
                if close + 1 < b:
                    self.fail("nothing may follow 'otherwise'", close + 1)
                return true
            if words not in LEAD + ("",):
                self.fail(f"unexpected text {quote(words)} in a condition: expected 'if', 'for' "
                          "or 'otherwise'", a)
            a = close + 1
        while b > a and toks[b - 1].is_char(".", ","):
            b -= 1
        if a >= b:
            self.fail("expected a condition after '&'", a)
        return self._logic(a, b)

    def _logic(self, a: int, b: int):
        """Tokens a..b-1 joined at the top level by one kind of connective. Mixing 'and'
        with 'or' is refused: 'x < 0 or x > 1, y > 0' reads two ways, and the two
        pieces it could mean differ."""
        ops = self._connectives(a, b)
        if not ops:
            if self.toks[a].is_char("(") and self.match.get(a) == b - 1:
                return self._logic(a + 1, b - 1)           # (x < -1 \lor x > 1)
            rels = self.relations(a, b)
            if len(rels) == 1:
                return rels[0]
            with evaluate(False):
                return And(*rels)                           # -1 < x < 1
        kind = ops[0][0]
        for other, s, _ in ops:
            if other != kind:
                self.fail(f"{self.q(a, b)} joins conditions by both 'and' and 'or': put "
                          "parentheses around the ones that go together", s)
        args, start, before = [], a, ops[0][1]
        for _, s, e in ops + [(kind, b, b)]:
            if start >= s:
                self.fail(f"expected a condition on each side of '{kind}' in {self.q(a, b)}",
                          before)
            args.append(self._logic(start, s))
            start, before = e, s
        with evaluate(False):
            return BUILD[kind](*args)

    def _connectives(self, a: int, b: int) -> list:
        """[(kind, start, end)] of the top-level connectives; a comma beside a worded
        one is its punctuation ('x < 0, or x > 1')."""
        toks, out, k = self.toks, [], a
        while k < b:
            t = toks[k]
            if t.kind == "cs" and t.text in SYMBOLS:
                out.append((SYMBOLS[t.text], k, k + 1))
            elif t.is_char(","):
                out.append((",", k, k + 1))
            elif t.is_cs(*TEXT):
                close = self._text_close(k)
                words = self._words(k, close).split()
                if words and words[0] in BUILD and set(words[1:]) <= set(LEAD) \
                        and len(words) <= 2:
                    out.append((words[0], k, close + 1))    # \text{ or }, \text{ and if }
                k = close + 1
                continue
            k = self.skip(k)
        merged = []
        for op in out:
            if merged and merged[-1][2] == op[1] and "," in (merged[-1][0], op[0]):
                kind = op[0] if merged[-1][0] == "," else merged[-1][0]
                merged[-1] = (kind, merged[-1][1], op[2])
            else:
                merged.append(op)
        return [("and" if kind == "," else kind, s, e) for kind, s, e in merged]

    def _text_close(self, k: int) -> int:
        if k + 1 >= len(self.toks) or not self.toks[k + 1].is_char("{"):
            self.fail("expected braces after \\text", k)
        return self.close_of(k + 1)

    def _words(self, k: int, close: int) -> str:
        """The words of \\text{…} at k, lower case, without the punctuation around them."""
        return self.text.s[self.toks[k + 1].i + 1:self.toks[close].i].strip(" .,;").lower()
