"""Checker text made readable: a reason or counterexample as a reader writes math.

Checks build their reasons with ``printing.text``; some still carry SymPy's own
spelling (``Eq(a, b)``, ``<=``, ``x**2``, ``_t``) or raw sampled digits. This is the
last pass before a verdict is shown (terminal, PDF, Markdown); ``--json`` keeps
the checker's text and every digit.
"""

from __future__ import annotations

import re

_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_RELATIONS = {"Eq": "=", "Ne": "≠", "Lt": "<", "Le": "≤", "Gt": ">", "Ge": "≥",
              "StrictLessThan": "<", "LessThan": "≤", "StrictGreaterThan": ">",
              "GreaterThan": "≥", "Equality": "=", "Unequality": "≠"}
_CONSTRUCTOR = re.compile(r"\b(%s)\(" % "|".join(_RELATIONS))
_NUMBER = re.compile(r"(?<![\w.])(-?)(\d+\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)(?![\w.])")
SIDES = ("lhs", "rhs", "difference")


def number(value) -> str:
    """A sampled value to 6 significant digits, 1e-07 as 1·10⁻⁷; anything that is
    not a plain decimal number (a vector, a fraction) is left as it is."""
    shown = str(value).strip()
    m = _NUMBER.fullmatch(shown)
    if not m:
        return _numbers(shown) if shown.startswith("(") else shown
    digits = m.group(2).replace(".", "").lstrip("0")
    if "e" not in shown.lower() and len(digits) <= 6:
        return shown
    return significant(float(shown))


def significant(x: float) -> str:
    """A number to 6 significant digits, as a reader writes it (1.5e-07 → 1.5·10⁻⁷)."""
    shown = f"{x:.6g}"
    if "e" in shown:
        mantissa, power = shown.split("e")
        return f"{mantissa}·10{sup(int(power))}"
    return shown


def sup(n) -> str:
    """An integer as superscript digits: -7 → ⁻⁷."""
    return str(n).translate(_SUP)


def _numbers(text: str) -> str:
    return _NUMBER.sub(lambda m: number(m.group(0)), text)


def _arguments(text: str, start: int):
    """The comma-separated arguments of the call whose "(" is at ``start``, and
    the index after its ")"; None if it never closes."""
    depth, args, begin = 0, [], start + 1
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[begin:i].strip())
                return args, i + 1
        elif ch == "," and depth == 1:
            args.append(text[begin:i].strip())
            begin = i + 1
    return None


def _constructors(text: str) -> str:
    """Eq(a, b) → a = b (and Ne, Lt, Le, Gt, Ge), innermost first."""
    for _ in range(50):
        matches = list(_CONSTRUCTOR.finditer(text))
        if not matches:
            break
        m = matches[-1]
        found = _arguments(text, m.end() - 1)
        if not found or len(found[0]) != 2:
            break
        (a, b), end = found
        text = f"{text[:m.start()]}{a} {_RELATIONS[m.group(1)]} {b}{text[end:]}"
    return text


def _doubled(text: str) -> str:
    """((x)) → (x): a pair of parentheses directly around another pair."""
    while True:
        stack, pairs = [], {}
        for i, ch in enumerate(text):
            if ch == "(":
                stack.append(i)
            elif ch == ")" and stack:
                pairs[stack.pop()] = i
        inner = next((o for o, c in pairs.items()
                      if o + 1 in pairs and pairs[o + 1] == c - 1), None)
        if inner is None:
            return text
        close = pairs[inner]
        text = text[:inner] + text[inner + 1:close] + text[close + 1:]


def reason(text) -> str:
    """A checker's reason in the notation of the rest of the output."""
    if not text:
        return ""
    text = " ".join(str(text).split())
    text = _constructors(text)
    text = re.sub(r"\*\*\(?(-?\d+)\)?(?![\d.])", lambda m: m.group(1).translate(_SUP), text)
    text = text.replace("**", "^")
    text = re.sub(r"(?<=[\w)\]])\*(?=[\w(])", "·", text)
    text = text.replace("<=", "≤").replace(">=", "≥").replace("!=", "≠").replace("==", "=")
    text = re.sub(r"\bsqrt\(", "√(", text)
    text = re.sub(r"\bexp\(", "e^(", text)
    # A checker's fresh copy of a variable (a Dummy) prints as _t: it is t.
    text = re.sub(r"(?<![\w}])_(?=[A-Za-z])", "", text)
    return _numbers(_doubled(text))


def point(counterexample) -> tuple:
    """([(name, value)] of the variables, {lhs, rhs, difference}), values readable."""
    if not counterexample:
        return [], {}
    values = [(str(k), number(v)) for k, v in counterexample.items() if k not in SIDES]
    sides = {k: number(counterexample[k]) for k in SIDES if k in counterexample}
    return values, sides


def point_text(counterexample) -> str:
    """One line: ``x = 1.54773, y = -1.4465: left 1.74486, right 0.872428``."""
    values, sides = point(counterexample)
    out = ", ".join(f"{k} = {v}" for k, v in values)
    if "lhs" in sides and "rhs" in sides:
        out += f"{': ' if out else ''}left side {sides['lhs']}, right side {sides['rhs']}"
    return out
