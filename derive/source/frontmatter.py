"""The `---` block at the top of a derivation file: keys, values and lists, with positions.

Deliberately not YAML: in YAML a double-quoted "\\frac" holds a form feed, a
value starting with `[` or `{` is a collection and `a: b` inside a list item
makes a mapping — all things LaTeX writes. Here every value is verbatim text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import Text, Where

SCALAR_KEYS = ("id", "title", "log")
LIST_KEYS = ("symbols", "functions", "define", "assume", "hypotheses", "lemmas")
ALIASES = {"definitions": "define", "assumptions": "assume", "variables": "symbols"}


@dataclass
class Entry:
    """One key: its scalar value or its list items, each a positioned Text."""

    key: str
    line: int
    value: Text | None = None
    items: list = field(default_factory=list)


def read(lines: list, where: Where):
    """(entries by key, index of the first body line). ``lines`` is [(number, text)]."""
    if not lines or lines[0][1].strip() != "---":
        where.error("a derivation file starts with a '---' line opening its front matter "
                    "(id, title, symbols, …)", Text.at(lines[0][1] if lines else "", 1, 1))
    entries: dict = {}
    current: Entry | None = None
    item_indent = None
    for index in range(1, len(lines)):
        number, raw = lines[index]
        line = raw.rstrip()
        if line.strip() == "---":
            return entries, index + 1
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if not stripped or stripped.startswith("#"):
            continue
        if "\t" in line[:indent]:
            where.error("a tab in the indentation: indent with spaces", Text.at(line, number, 1))
        if indent == 0:
            key, sep, rest = line.partition(":")
            key = key.strip()
            if not sep or not key.replace("-", "").replace("_", "").isalnum():
                where.error(f"expected 'key: value' in the front matter, found {line.strip()!r}",
                            Text.at(line, number, 1))
            name = ALIASES.get(key, key)
            if name not in SCALAR_KEYS + LIST_KEYS:
                where.error(f"unknown front-matter key {key!r}: expected one of "
                            f"{', '.join(SCALAR_KEYS + LIST_KEYS)}", Text.at(line, number, 1))
            if name in entries:
                where.error(f"{key!r} appears twice in the front matter (first on line "
                            f"{entries[name].line})", Text.at(line, number, 1))
            value = _value(Text.at(line, number, 1)[len(line.partition(":")[0]) + 1:])
            current = Entry(name, number, value if value.s else None)
            entries[name] = current
            item_indent = None
            if name in LIST_KEYS and current.value is not None:
                current.items.append(current.value)
                current.value = None
            continue
        if current is None:
            where.error("an indented line before any key", Text.at(line, number, indent + 1))
        if stripped.startswith("- ") or stripped == "-":
            if current.key in SCALAR_KEYS:
                where.error(f"{current.key!r} takes one value, not a list", Text.at(line, number, indent + 1))
            item_indent = indent
            current.items.append(_value(Text.at(line, number, 1)[indent + 2:]))
            continue
        # A more indented line continues the previous value (long formulas).
        more = _value(Text.at(line, number, 1)[indent:])
        if current.items and item_indent is not None and indent > item_indent:
            current.items[-1] = current.items[-1].join(more)
        elif current.value is not None:
            current.value = current.value.join(more)
        else:
            where.error(f"expected '- item' under {current.key!r}", Text.at(line, number, indent + 1))
    where.error("the front matter is never closed: expected a '---' line",
                Text.at(lines[0][1], lines[0][0], 1))


def _value(text: Text) -> Text:
    """A value with surrounding spaces and one pair of matching quotes removed (verbatim)."""
    text = text.strip()
    if len(text) >= 2 and text.s[0] == text.s[-1] and text.s[0] in "\"'":
        text = text[1:-1]
    return text
