"""What the names of a document mean, as its prose and displays give them meaning.

Undeclared letters are real variables. ``a := …`` (and ``\\coloneqq``,
``\\triangleq``, ``\\stackrel{\\text{def}}{=}`` …) defines a name from that point on and
replaces an earlier meaning; ``f(x, y) := …`` defines a function (and ``f`` alone
then means its value at x, y). The first display ``name = …`` of a name no one
has used defines it too, and so does one in a later section for a name defined
in an earlier one. Each meaning is its own SymPy symbol (``ℓ``, then ``ℓ@42``
for the ℓ defined on line 42), so checks of earlier steps keep theirs.
"""

from __future__ import annotations

import re

from sympy import Symbol

from ..build import Builder
from .declare import Declarations, _is_vector, _recognise
from .frontmatter import LIST_KEYS
from .latex import Reader, parse_expr
from .scope import Fn, Name, Scope
from .text import Text, Where, quote

# Never a variable by default: d is the differential of d/dx, e and π are constants.
RESERVED = {"d", "e", "\\pi"}
CUES = re.compile(r"\b(let|define|defining|set|setting|denote|denoting|write|where|put)\b"
                  r"([^.;:!?]*?\$[^$]*\$\s*(,|and|,\s*and))?\s*(\$[^$]*\$\s*(,|and)\s*)*$", re.I)


class DocumentBuilder(Builder):
    """A Builder whose symbols never collide: a second meaning of ``ℓ`` is ``ℓ@LINE``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.used: set = set()
        self.line = 0

    def _unique(self, name: str) -> str:
        out = name if name not in self.used else f"{name}@{self.line}"
        n = 2
        while out in self.used:
            out, n = f"{name}@{self.line}.{n}", n + 1
        self.used.add(out)
        return out

    def var(self, name, *args, **kwargs):
        return super().var(self._unique(name), *args, **kwargs)

    def vector(self, name, latex=None):
        return super().vector(self._unique(name), latex)

    def define(self, name, expr, latex=None, vector=False):
        return super().define(self._unique(name), expr, latex, vector)


class DocumentDeclarations(Declarations):
    """Declarations from `% derive:` lines: a later one replaces an earlier meaning."""

    after_steps = False      # set when the line comes after the document's first step

    def _new_name(self, reader, k, name, line):
        self.scope.symbols.pop(name.key, None)
        self.scope.functions.pop(name.key, None)
        self.shown.pop(name.shown, None)
        super()._new_name(reader, k, name, line)

    def assume(self, item: Text):
        # An assumption holds for every step of the derivation, so one written after
        # a step would reach back to it.
        if self.after_steps:
            self.where.error("an assumption holds for the whole document: put it before the "
                             "first step, or write the condition on the steps it governs "
                             "(\\text{for } …)", item)
        super().assume(item)


class Names:
    """Gives names meaning as the document is read, section by section."""

    def __init__(self, scope: Scope, builder: DocumentBuilder):
        self.scope, self.builder = scope, builder
        self.section = 0
        self.after_steps = False     # the document has a step before the line being read
        self.defined: dict = {}      # key -> section where its current definition was made
        self.written: list = []      # (name key, parameter keys or None, body LaTeX, line)
        self.undefined: set = set()  # the variables made for undeclared names
        scope.undeclared = self.variable

    # -- variables -------------------------------------------------------------
    def variable(self, name: Name, called: bool, integer: bool = False):
        """A real variable for a name no one declared (the parser's hook); a refusal for
        ``f(…)`` (a function or a product? the author must say) and reserved names.
        ``integer``: the name is first seen as a sum's limit (n in \\sum_{i=1}^{n}), so it
        is a count: an integer ≥ 0."""
        if called:
            return (f"is {quote(name.key + '(…)')} a function or a product? write "
                    f"{name.key} \\cdot (…) for a product, define the function ({name.key}(x) := …) "
                    f"or declare it on a line `% derive: functions: {name.key} \\colon \\mathbb{{R}} "
                    "\\to \\mathbb{R}`")
        if name.key in RESERVED or name.base == "operatorname":
            return None
        if integer:
            sym = self.builder.var(name.shown, latex=name.key, lower=0, lower_open=False, integer=True)
        else:
            sym = self.builder.var(name.shown, latex=name.key)
        self._bind(name, sym)
        self.undefined.add(sym)
        return sym

    def _bind(self, name: Name, sym):
        self.scope.symbols[name.key] = sym
        self.scope.functions.pop(name.key, None)
        self.scope.latex[sym] = name.key

    # -- definitions -------------------------------------------------------------
    def head(self, text: Text, where: Where):
        """(Name, parameter Names or None) when ``text`` is ``name`` or ``f(x, y)``; else None."""
        if not text.s.strip():
            return None
        reader = Reader(text, self.scope, where)
        toks = reader.toks
        got = reader.read_name(0, declaring=True) if toks else None
        if got is None:
            return None
        k, name = got
        if k == len(toks):
            return name, None
        if not toks[k].is_char("(") or reader.close_of(k) != len(toks) - 1:
            return None
        params = []
        for a, b in reader.split_commas(k + 1, len(toks) - 1):
            p = reader.read_name(a, declaring=True) if a < b else None
            if p is None or p[0] != b:
                return None
            params.append(p[1])
        keys = [p.key for p in params]
        if not params or len(set(keys)) != len(keys) or name.key in keys:
            return None
        return name, params

    def fresh(self, text: Text, where: Where, rhs: Text | None = None) -> bool:
        """Whether ``text = rhs`` at the start of a display defines ``text``: a name (or
        f(x)) with no meaning yet, or one defined in an earlier section, that ``rhs``
        does not mention (x = x² is an equation, not a definition)."""
        got = self.head(text, where)
        if got is None or got[0].key in RESERVED or _builtin(got[0]):
            return False
        if got[0].key.endswith("^{\\prime}") and got[0].key[:-len("^{\\prime}")] in self.scope.functions:
            return False        # σ'(z) = …: the derivative of a defined function, not a new name
        if rhs is not None and _mentions(rhs, got[0].key, self.scope, where):
            return False
        name, params = got
        if _member(name, self.scope):
            return False        # q_1 = 2 with the family q defined: a claim about q_1
        if name.key in self.defined:
            return self.defined[name.key] < self.section
        if params is None:
            return not self.scope.known(name.key)
        return name.key not in self.scope.functions and name.key not in self.scope.symbols

    def define(self, lhs: Text, rhs: Text, where: Where):
        """Give the name in ``lhs`` the meaning ``rhs``; return the value (an expression)."""
        got = self.head(lhs, where)
        if got is None:
            where.error(f"expected a name or f(x, …) before the definition sign, found "
                        f"{quote(lhs.s)}", lhs)
        name, params = got
        if name.key in RESERVED:
            where.error(f"{quote(name.key)} cannot be defined: it means the constant or the "
                        "differential", lhs)
        self.builder.line = lhs.where(0)[0]
        self.written.append((name.key, None if params is None else [p.key for p in params],
                             " ".join(rhs.s.split()), lhs.where(0)[0]))
        if params is None and self._family(name, lhs, rhs, where):
            self.defined[name.key] = self.section
            return parse_expr(lhs, self.scope, where)      # the member p_k, as written
        if params is None and _member(name, self.scope):
            where.error(f"{quote(name.key)} is a member of the family "
                        f"{quote(name.key.split('_{', 1)[0])}, which has a meaning already: "
                        "state it as a step, or give the value another name", lhs)
        if params is None:
            value = parse_expr(rhs, self.scope, where)
            vector = _is_vector(value)
            sym = self.builder.define(name.shown, value, latex=name.key, vector=vector)
            self._bind(name, sym)
            self.defined[name.key] = self.section
            return sym
        bound = {p.key: Symbol(p.shown, real=True) for p in params}
        body = parse_expr(rhs, self.scope, where, bound)
        symbols = [bound[p.key] for p in params]
        # The name alone means the value at the parameters (ℓ for ℓ(w)).
        at = {bound[p.key]: self.scope.symbols.get(p.key) or self.variable(p, False) for p in params}
        bare = self.builder.define(name.shown, body.xreplace(at), latex=name.key)
        self.scope.latex[bare] = name.key
        self.scope.symbols.pop(name.key, None)
        self.scope.functions[name.key] = Fn(_recognise(body, symbols), name, tuple(symbols), body,
                                            bare=bare)
        self.defined[name.key] = self.section
        return bare

    def _family(self, name: Name, lhs: Text, rhs: Text, where: Where) -> bool:
        """``p_k := body(k)`` with k a declared index defines the family p over k's range,
        as a derivation file's ``define:`` does (read as one scalar p_k, a sum over k added
        K copies of it)."""
        declare = DocumentDeclarations(self.scope, self.builder, where)
        reader = Reader(rhs, self.scope, where)
        base = name.key.split("_{", 1)[0]
        taken = sorted(k for k in self.scope.symbols if k.startswith(base + "_{") and k != name.key)
        if "_{" in name.key and taken and name.key.split("_{", 1)[1][:-1] in self.scope.indices:
            # r_1 = 3 before r_k := k: r_1 would mean 3 alone and 1 inside a sum.
            where.error(f"{quote(taken[0])} has a meaning already: the family "
                        f"{quote(base)} would give it a second one; name one of them differently", lhs)
        return declare.define_family(reader, 0, name, lambda: parse_expr(rhs, self.scope, where),
                                     lhs.where(0)[0])

    # -- `% derive:` lines -----------------------------------------------------------
    def declare(self, text: Text, where: Where):
        """``% derive: symbols: n \\in \\mathbb{Z}; 0 < y < 1; functions: …`` (items split at ';')."""
        declare = DocumentDeclarations(self.scope, self.builder, where)
        declare.after_steps = self.after_steps
        methods = {"symbols": declare.symbol, "functions": declare.function,
                   "define": self._declared_definition(where), "assume": declare.assume,
                   "hypotheses": lambda t: declare.schema(t, "hypothesis"),
                   "lemmas": lambda t: declare.schema(t, "lemma")}
        key, keyed = "symbols", []
        for item in _items(text):
            m = re.match(r"\s*([a-z]+)\s*:(?!=)", item.s)
            if m and m.group(1) in LIST_KEYS + ("log",):
                key, item = m.group(1), item[m.end():].strip()
            elif m:
                where.error(f"unknown key {m.group(1)!r} in a derive: line: expected one of "
                            f"{', '.join(LIST_KEYS)}", item)
            if item.s:
                keyed.append((key, item))
        # Within one line, families (x_1, …, x_n) come after the symbols, so n may be
        # declared beside them in either order.
        family = re.compile(r"\\[lc]?dots")
        keyed.sort(key=lambda ki: ki[0] == "symbols" and bool(family.search(ki[1].s)))
        for key, item in keyed:
            if key == "log":
                self._log(item, where)
                continue
            self.builder.line = item.where(0)[0]
            methods[key](item)

    def _declared_definition(self, where):
        def define(item: Text):
            reader = Reader(item, self.scope, where)
            toks = reader.toks
            at = next((k for k, t in enumerate(toks) if t.is_char("=") or
                       t.is_cs("coloneqq", "coloneq", "triangleq")), None)
            if at is None or at == 0 or at + 1 >= len(toks):
                where.error(f"expected `name = expression`, found {quote(item.s)}", item)
            self.define(item[:toks[at].i], item[toks[at + 1].i:], where)
        return define

    def _log(self, item: Text, where: Where):
        bases = {"natural": None, "e": None, "ln": None, "10": 10, "2": 2}
        value = item.s.strip().lower()
        if value not in bases:
            where.error(f"log: expected natural, 10 or 2, not {item.s.strip()!r}", item)
        self.scope.log_base = bases[value]


def _builtin(name: Name) -> bool:
    """\\operatorname{tanh}: a function derive knows, never a new name."""
    from .calls import BUILTINS, MULTI
    word = name.key.split("{", 1)[1].rstrip("}") if "{" in name.key else ""
    return name.base in ("operatorname", "mathrm") and (word in BUILTINS or word in MULTI)


def _member(name: Name, scope: Scope) -> bool:
    """``q_1`` (or ``q_K``) where q is a family: not a name of its own."""
    return "_{" in name.key and name.key.split("_{", 1)[0] in scope.families


def _items(text: Text) -> list:
    """The ';'-separated items of a derive: line (a ';' inside braces is not a separator)."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(text.s):
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif c == ";" and depth == 0 and not text.s[:i].endswith("\\"):
            out.append(text[start:i].strip())
            start = i + 1
    out.append(text[start:].strip())
    return [t for t in out if t.s]


def _mentions(text: Text, key: str, scope: Scope, where: Where) -> bool:
    reader = Reader(text, scope, where)
    for k in range(len(reader.toks)):
        try:
            got = reader.read_name(k, declaring=True)
        except Exception:        # noqa: BLE001 - malformed math mentions nothing here
            continue
        if got is not None and got[1].key == key:
            return True
    return False


def cued(before: str) -> bool:
    """Whether prose ending in ``before`` introduces a definition ("Let $u = vx$")."""
    return bool(CUES.search(before))
