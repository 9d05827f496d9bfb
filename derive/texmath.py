"""Math that TeX will typeset: an allow-list of commands and a check of the structure
(arguments, scripts, delimiters, alignment, depth), the first problem with its offset.

Math from a user is data, not a program: anything not listed (\\input, \\write, \\def,
\\catcode, ...) is refused. And what `check` accepts must compile: the structure is
checked the way TeX would read it, so a missing argument or a double superscript is
an error at file:line:col, not a failed TeX run.
"""

from __future__ import annotations

import re

ALLOWED = frozenset("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda
Xi Pi Sigma Upsilon Phi Psi Omega
frac tfrac dfrac sqrt hat widehat bar overline tilde widetilde vec dot ddot mathbb mathcal mathrm
mathbf mathit boldsymbol operatorname text textrm textit textbf left right big Big bigl bigr Bigl
Bigr biggl biggr langle rangle lVert rVert lvert rvert Vert vert cdot times div le ge leq geq neq
ne to infty partial nabla sum prod int oint log ln exp min max sup inf lim liminf limsup sin cos
tan tanh sinh cosh arg det quad qquad ldots cdots dots vdots in notin subset subseteq supset cup
cap setminus emptyset varnothing forall exists iff implies Rightarrow Leftarrow Leftrightarrow
rightarrow leftarrow leftrightarrow mapsto approx equiv sim simeq propto pm mp star ast dagger
prime top circ ell mid nmid parallel perp land lor neg lnot begin end displaystyle textstyle
underbrace overbrace underset overset stackrel limits nolimits mathop ge le gg ll colon
wedge vee lceil rceil lfloor rfloor enspace quad mathscr checkmark arccos arcsin arctan
eqref binom mathfrak mathsf mathtt bmod pmod hbar middle lbrace rbrace odot oplus otimes bullet
succeq preceq succ prec Longleftrightarrow
""".split())
# Control symbols (a backslash and one non-letter) that only typeset something.
SYMBOLS = frozenset(",;:! {}|%#$&_'\\")
# Environments, and how many columns TeX gives each (amsmath's matrices: 10).
ENVIRONMENTS = {"cases": 2, "aligned": 20, "matrix": 10, "pmatrix": 10, "bmatrix": 10,
                "vmatrix": 10, "array": 20}
# The shared notation: one definition, emitted into the preamble for TeX and
# expanded in place for Markdown, whose math renderers know no \newcommand.
MACROS = {
    "R": (0, r"\mathbb{R}"),
    "loss": (0, r"\mathcal{L}"),
    "ReLU": (0, r"\operatorname{ReLU}"),
    "ip": (2, r"\langle #1, #2\rangle"),
    "norm": (1, r"\lVert #1\rVert"),
}
MACRO_ARITY = {name: count for name, (count, _) in MACROS.items()}

# Limits, stated in docs/derivation-files.md.
MAX_DEPTH = 50          # nested groups, \left…\right and environments in one formula
MAX_LENGTH = 20_000     # characters in one formula

ARITY = {name: 1 for name in """sqrt hat widehat bar overline tilde widetilde vec dot ddot mathbb
    mathcal mathrm mathbf mathit boldsymbol operatorname text textrm textit textbf underbrace
    overbrace mathscr mathfrak mathsf mathtt pmod eqref mathop""".split()}
ARITY.update({"frac": 2, "tfrac": 2, "dfrac": 2, "binom": 2, "underset": 2, "overset": 2,
              "stackrel": 2}, **MACRO_ARITY)
# Control symbols that mean the same in text (inside \text{…}) as in math.
TEXT_SYMBOLS = set(" ,{}$&%#_")
TEXT_ARGUMENT = {"text", "textrm", "textit", "textbf", "operatorname", "eqref"}
SIZED = {"left", "right", "middle", "big", "Big", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr"}
DELIMITER_CHARS = set("()[]|./<>")
DELIMITER_WORDS = {"{", "}", "|", "langle", "rangle", "lVert", "rVert", "lvert", "rvert", "Vert",
                   "vert", "lceil", "rceil", "lfloor", "rfloor", "lbrace", "rbrace"}
# Commands that may stand alone as an argument (\frac\alpha\beta, x^\prime).
BARE_ARGUMENT = set("""alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa
    lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma
    Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell partial nabla infty hbar prime top
    star ast dagger circ bullet cdot times pm mp emptyset varnothing""".split())
OPERATORS = {"sum", "prod", "int", "oint", "lim", "liminf", "limsup", "sup", "inf", "min", "max",
             "det", "arg", "log", "ln", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh",
             "arccos", "arcsin", "arctan"}


class MathError(ValueError):
    """Math that is not allowed into the document; the message says why, ``at`` where."""

    def __init__(self, message: str, math: str = "", at: int = 0):
        super().__init__(message)
        self.math = math
        self.at = at


def _tokens(src: str) -> list:
    """[(kind, text, offset)]: kind cs (a command, no backslash), char, or space."""
    out, i, n = [], 0, len(src)
    if "^^" in src:
        raise MathError("'^^' character codes are not allowed in math", src, src.index("^^"))
    while i < n:
        ch = src[i]
        if ch == "\\":
            m = re.match(r"[A-Za-z]+", src[i + 1:i + 64])
            if m:
                out.append(("cs", m.group(0), i))
                i += 1 + len(m.group(0))
                continue
            if i + 1 >= n:
                raise MathError("math ends in a lone backslash", src, i)
            if src[i + 1] not in SYMBOLS:
                raise MathError(f"\\{src[i + 1]} is not allowed in math", src, i)
            out.append(("cs", src[i + 1], i))
            i += 2
            continue
        if ch in "%#$":
            raise MathError(f"'{ch}' is not allowed in math (write \\{ch} for the symbol)", src, i)
        if ord(ch) < 32 and ch not in "\t\n\r" or ord(ch) == 127:
            raise MathError(f"control character U+{ord(ch):04X} in math", src, i)
        if ord(ch) > 127:
            raise MathError(f"{ch!r} in math: write it as a LaTeX command (e.g. \\sigma, \\le)", src, i)
        out.append(("space" if ch.isspace() else "char", ch, i))
        i += 1
    return out


def check_math(src: str) -> str:
    """Return ``src`` unchanged if TeX will typeset it, else raise MathError."""
    if len(src) > MAX_LENGTH:
        raise MathError(f"this formula is {len(src)} characters long; the limit is {MAX_LENGTH}",
                        src, MAX_LENGTH)
    toks = [t for t in _tokens(src)]
    for kind, text, at in toks:
        if kind == "cs" and len(text) > 1 and text not in ALLOWED and text not in MACRO_ARITY:
            raise MathError(f"\\{text} is not allowed in math", src, at)
    _Structure(src, [t for t in toks if t[0] != "space"]).run()
    return src


class _Structure:
    """One pass over the tokens as TeX reads them."""

    def __init__(self, src, toks):
        self.src, self.toks, self.k = src, toks, 0
        self.stack = []           # open "{", "left" and environments: [kind, name, offset, row &s]

    def fail(self, message, at=None):
        if at is None:
            at = self.toks[self.k][2] if self.k < len(self.toks) else len(self.src)
        raise MathError(message, self.src, at)

    def run(self):
        self.sequence(top=True)
        if self.stack:
            kind, name, at = self.stack[-1][:3]
            what = {"{": "unbalanced '{' in math", "left": "\\left and \\right do not pair up"}
            self.fail(what.get(kind, f"\\begin{{{name}}} is never closed"), at)

    def sequence(self, top=False):
        """Tokens up to the "}" that closes the group just opened (or to the end)."""
        base = {"^": False, "_": False}
        while self.k < len(self.toks):
            kind, text, at = self.toks[self.k]
            self.k += 1
            if kind == "char" and text == "}":
                if top or not self.stack or self.stack[-1][0] != "{":
                    self.fail("unbalanced '}' in math", at)
                self.stack.pop()
                return
            if kind == "char" and text in "^_":
                if base[text]:
                    self.fail(f"double {'superscript' if text == '^' else 'subscript'}: "
                              "put braces around one of them", at)
                base[text] = True
                self.argument(f"'{text}'", at)
                continue
            if kind == "char" and text == "'":
                if base["^"]:
                    self.fail("a prime after a superscript is a double superscript", at)
                # TeX joins a prime only with a ' or ^ right after it (x''^2), not after a space.
                nxt = self.toks[self.k] if self.k < len(self.toks) else None
                if not (nxt and nxt[0] == "char" and nxt[1] in "'^" and nxt[2] == at + 1):
                    base["^"] = True
                continue
            base = {"^": False, "_": False}
            if kind == "char" and text == "{":
                self.group(at)
            elif kind == "char":
                self.char(text, at)
            else:
                self.command(text, at)
        if not top:
            self.fail("unbalanced '{' in math", self.stack[-1][2] if self.stack else 0)

    def group(self, at):
        self.depth(at)
        self.stack.append(["{", "", at, 0])
        self.sequence()

    def depth(self, at):
        if len(self.stack) >= MAX_DEPTH:
            self.fail(f"this formula nests deeper than {MAX_DEPTH} levels", at)

    def char(self, text, at):
        if text == "&":
            env = self.environment()
            if env is None:
                self.fail("'&' only separates columns inside an environment such as cases", at)
            env[3] += 1
            if env[3] >= env[4]:
                self.fail(f"more than {env[4]} columns in {env[1]}", at)
    def environment(self):
        for entry in reversed(self.stack):
            if entry[0] == "env":
                return entry
            if entry[0] == "{":
                return None
        return None

    def command(self, name, at):
        if name == "\\":
            env = self.environment()
            if env is None:
                self.fail("\\\\ only ends a row inside an environment such as cases", at)
            nxt = self.toks[self.k] if self.k < len(self.toks) else None
            if nxt and nxt[0] == "char" and nxt[1] in "[*":
                self.fail(f"\\\\ followed by '{nxt[1]}' is read as a spacing: put {{}} between", at)
            env[3] = 0
            return
        if name in ("begin", "end"):
            return self.begin_end(name, at)
        if name in SIZED:
            return self.sized(name, at)
        if name in ("limits", "nolimits"):
            prev = self.toks[self.k - 2] if self.k >= 2 else None
            if not prev or prev[0] != "cs" or prev[1] not in OPERATORS | {"mathop"}:
                self.fail(f"\\{name} must follow an operator such as \\sum", at)
            return
        if name == "sqrt" and self.peek("["):
            self.bracket(at)
        for _ in range(ARITY.get(name, 0)):
            self.argument(f"\\{name}", at, text=name in TEXT_ARGUMENT)

    def peek(self, char):
        return self.k < len(self.toks) and self.toks[self.k][:2] == ("char", char)

    def bracket(self, at):
        depth, start = 0, self.k
        while self.k < len(self.toks):
            kind, text, _ = self.toks[self.k]
            self.k += 1
            depth += (text == "[") - (text == "]") if kind == "char" else 0
            if depth == 0:
                return
        self.fail("an optional argument [ is never closed", self.toks[start][2])

    def argument(self, owner, at, text=False):
        """The one token or {group} an argument is made of."""
        if self.k >= len(self.toks):
            self.fail(f"{owner} needs an argument", at)
        kind, tok, where = self.toks[self.k]
        if (kind == "char" and tok in "}&^_'") or (kind == "cs" and tok in ("\\", "end", "right")):
            self.fail(f"{owner} needs an argument", where)
        if kind == "cs" and tok not in BARE_ARGUMENT and not text:
            # \frac\alpha\beta is fine; \sqrt\sum or \hat\big( is not what TeX reads.
            self.fail(f"{owner} needs its argument in braces", where)
        if not (kind == "char" and tok == "{"):
            if text and kind == "cs" and tok not in TEXT_SYMBOLS:
                self.fail(f"{owner} takes text: \\{tok} there needs math mode", where)
            self.k += 1
            if kind == "cs":
                self.command(tok, where)
            return
        if not text:
            self.k += 1
            self.group(where)
            return
        # A text argument: letters, digits, punctuation and spaces, no math commands.
        self.k += 1
        depth = 1
        while self.k < len(self.toks):
            kind, tok, where = self.toks[self.k]
            self.k += 1
            if kind == "char" and tok in "{}":
                depth += 1 if tok == "{" else -1
                if depth == 0:
                    return
            elif kind == "char" and tok in "^_&":
                self.fail(f"'{tok}' inside {owner}{{…}} needs math mode", where)
            elif kind == "cs" and tok not in TEXT_SYMBOLS:
                self.fail(f"\\{tok} inside {owner}{{…}} needs math mode", where)
        self.fail("unbalanced '{' in math", at)

    def sized(self, name, at):
        if name == "left":
            self.depth(at)
            self.stack.append(["left", "", at, 0])
        elif name == "right":
            if not self.stack or self.stack[-1][0] != "left":
                self.fail("\\left and \\right do not pair up", at)
            self.stack.pop()
        elif name == "middle" and not any(e[0] == "left" for e in self.stack):
            self.fail("\\middle only stands between \\left and \\right", at)
        if self.k >= len(self.toks):
            self.fail(f"\\{name} needs a delimiter after it", at)
        kind, tok, where = self.toks[self.k]
        if not ((kind == "char" and tok in DELIMITER_CHARS) or (kind == "cs" and tok in DELIMITER_WORDS)):
            self.fail(f"\\{name} needs a delimiter after it, such as ( or \\langle", where)
        self.k += 1

    def begin_end(self, name, at):
        m = re.match(r"\s*\{([A-Za-z*]+)\}", self.src[self.toks[self.k][2]:] if self.k < len(self.toks) else "")
        if not m or m.group(1) not in ENVIRONMENTS:
            self.fail(f"\\{name} only opens or closes one of: {', '.join(sorted(ENVIRONMENTS))}", at)
        env = m.group(1)
        end = self.toks[self.k][2] + m.end()
        while self.k < len(self.toks) and self.toks[self.k][2] < end:
            self.k += 1
        if name == "end":
            if not self.stack or self.stack[-1][0] != "env" or self.stack[-1][1] != env:
                self.fail(f"\\end{{{env}}} does not match its \\begin", at)
            self.stack.pop()
            return
        self.depth(at)
        columns = ENVIRONMENTS[env]
        if env == "array":
            spec = re.match(r"\s*\{([^{}]*)\}", self.src[end:])
            if not spec or not re.fullmatch(r"[lcr|]+", spec.group(1)) or \
                    len(spec.group(1).replace("|", "")) > columns:
                self.fail(f"\\begin{{array}} needs its columns as {{lcr…}}: l, c, r or |, "
                          f"at most {columns} columns", at)
            columns = len(spec.group(1).replace("|", ""))
            stop = end + spec.end()
            while self.k < len(self.toks) and self.toks[self.k][2] < stop:
                self.k += 1
        self.stack.append(["env", env, at, 0, columns])
