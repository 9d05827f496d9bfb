"""Bad derivation files: one line, file:line:col, the offending LaTeX quoted, what was expected."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from derive.errors import InputError
from derive.source import load_file

ROOT = Path(__file__).resolve().parents[2]

HEAD = """---
title: t
symbols:
  - x, y \\in \\mathbb{R}
  - w \\in \\mathbb{R}^n
functions:
  - \\sigma(z) = \\frac{1}{1 + e^{-z}}
  - f \\colon \\mathbb{R}^n \\to \\mathbb{R}
hypotheses:
  - smooth(a, b \\in \\mathbb{R}^n): f(a) \\le f(b) + \\|a - b\\|^2
---
"""
BODY_LINE = HEAD.count("\n") + 3     # the line of the first step in a body below


def load_text(tmp_path, text, name="t.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_file(path)


def error_of(tmp_path, text, name="t.md"):
    with pytest.raises(InputError) as info:
        load_text(tmp_path, text, name)
    message = str(info.value)
    assert "\n" not in message
    return message.replace(str(tmp_path / name), name)


def steps(*lines):
    return HEAD + "\n$$\n" + "\n".join(lines) + "\n$$\n"


# (body, where the error is, the message pinned by a regex)
STEP_ERRORS = [
    (r"x = z % algebra", f"t.md:{BODY_LINE}:5",
     r"`z` is not declared: add \"z \\in \\mathbb\{R\}\" under symbols:"),
    (r"x = \alpha(y) % algebra", f"t.md:{BODY_LINE}:5",
     r"`\\alpha` is not declared: declare \\alpha under functions: or write \\alpha \\cdot \(…\) for a product"),
    (r"x = (y % algebra", f"t.md:{BODY_LINE}:5", r"`\(` is never closed: expected `\)`"),
    (r"x = \left( y \right] % algebra", f"t.md:{BODY_LINE}:20", r"expected `\)` to close `\(`, found `\]`"),
    (r"x = y2 % algebra", f"t.md:{BODY_LINE}:6",
     r"a number right after a letter in `y2`: write 2x, x_2, x\^2 or x \\cdot 2"),
    (r"x = 1/2y % algebra", f"t.md:{BODY_LINE}:8",
     r"ambiguous division in `1/2y`: write \\frac\{…\}\{…\} or put the divisor in parentheses"),
    (r"x = y = 1 % algebra", f"t.md:{BODY_LINE}:7",
     r"one relation per step, found 2 in `x = y = 1`: end each link with its own % justification"),
    (r"x = \text{ReLu}(y) % algebra", f"t.md:{BODY_LINE}:5",
     r"text inside math \(`\\text\{ReLu\}`\): expected math; use \\operatorname\{…\} for a function name"),
    (r"x = y % chainrule", f"t.md:{BODY_LINE}:9",
     r"unknown justification `chainrule` \(did you mean `chain rule`\?\): expected one of algebra, "
     r"chain rule, derivative"),
    (r"x = \log 2y % algebra", f"t.md:{BODY_LINE}:11",
     r"ambiguous: is `\\log 2y` \\log\(2y\) or \(\\log 2\) y\? write the argument in parentheses"),
    (r"x = \sigma y % algebra", f"t.md:{BODY_LINE}:12", r"`\\sigma` needs its argument in \(…\)"),
    (r"x = y' % algebra", f"t.md:{BODY_LINE}:6", r"a prime here is not a declared name"),
    (r"x = \frac{\partial^2 y}{\partial x} % derivative", f"t.md:{BODY_LINE}:5",
     r"the orders do not match in `\\frac\{\\partial\^2 y\}\{\\partial x\}`: 2 on top, 1 below"),
    (r"x = \frac{\partial}{\partial x} y x % derivative", f"t.md:{BODY_LINE}:35",
     r"ambiguous: what does `\\frac\{\\partial\}\{\\partial x\}` apply to\? put its operand in brackets"),
    (r"x = \|x\|^2 % algebra", f"t.md:{BODY_LINE}:5", r"‖…‖ must be a vector .*not `x`"),
    (r"x = w % algebra", f"t.md:{BODY_LINE}:3", r"w is a vector here: use it inside ⟨·,·⟩, ‖·‖ or f\(·\)"),
    (r"= y % algebra", f"t.md:{BODY_LINE}:1",
     r"this step continues a chain, but no step comes before it in this part"),
    (r"x = y % hypothesis smoth(w, w)", f"t.md:{BODY_LINE}:20",
     r"no hypothesis or lemma named 'smoth' \(known: smooth"),
    (r"f(w) \le f(w) % hypothesis smooth(w)", f"t.md:{BODY_LINE}:28", r"smooth takes 2 arguments, got 1"),
    (r"f(w) \le f(w) % hypothesis smooth(x, w)", f"t.md:{BODY_LINE}:35",
     r"argument `x` of smooth must be a vector"),
    (r"x = y % algebra for x >", f"t.md:{BODY_LINE}:24", r"a relation needs two sides in `x >`"),
    (r"x \ne y % algebra", f"t.md:{BODY_LINE}:3", r"≠ is not a step relation"),
    (r"x = y % algebra: see $\input{/etc/passwd}$", f"t.md:{BODY_LINE}:23", r"\\input is not allowed in math"),
    (r"x = y @ 2 % algebra", f"t.md:{BODY_LINE}:7", r"unexpected character `@`"),
    (r"x = y % ", f"t.md:{BODY_LINE}:9", r"an empty justification after '%'"),
    (r"% a justification alone", f"t.md:{BODY_LINE}:2", r"a justification with no step before it"),
    (r"x = \begin{cases} 1 & x > 0 \\ 0 & \text{sometimes} \end{cases} % case", f"t.md:{BODY_LINE}:36",
     r"unexpected text `sometimes` in a condition: expected 'if', 'for' or 'otherwise'"),
]


@pytest.mark.parametrize("body,where,message", STEP_ERRORS, ids=[e[0] for e in STEP_ERRORS])
def test_step_errors(tmp_path, body, where, message):
    got = error_of(tmp_path, steps(body))
    assert got.startswith(where + ": "), got
    assert re.search(message, got), got


FILE_ERRORS = [
    # Without front matter a .md file is a plain document (source/document.py).
    ("no front matter\n", "t.md: no derivation steps found"),
    ("---\ntitle: t\n", "t.md:1:1: the front matter is never closed: expected a '---' line"),
    ("---\ntitel: t\n---\n", "t.md:2:1: unknown front-matter key 'titel': expected one of id, title, log, "
                              "symbols"),
    ("---\nsymbols:\n  - x \\in \\mathbb{R}\n  - x > 0\n---\n",
     "t.md:4:5: `x` is declared twice (first on line 3)"),
    ("---\nsymbols:\n  - x \\in \\mathbb{Q}\n---\n", "t.md:3:11: unknown set `\\mathbb{Q}`: expected \\mathbb{R}, \\mathbb{R}^n"),
    ("---\nsymbols:\n  - 0 < \\eta < L\n---\n", "t.md:3:16: `L` is not declared"),
    ("---\nsymbols:\n  - L > 0\n  - 0 < \\eta < L\n---\n",
     "t.md:4:16: a bound must be a number, not `L`: write relations between symbols under assume:"),
    ("---\nsymbols:\n  - 1 < y < 0\n---\n", "t.md:3:5: no number satisfies `1 < y < 0`"),
    ("---\nsymbols:\n  - x \\in \\mathbb{R}\ndefine:\n  - u := \n---\n",
     "t.md:5:7: expected the defining expression after '='"),
    ("---\nsymbols:\n  - x \\in \\mathbb{R}\nlog: 3\n---\n", "t.md:4:6: log: expected natural, 10 or 2, not '3'"),
    ("---\nid: a b\n---\n", "t.md:2:5: id 'a b': expected letters, digits, '-', '_' or '.'"),
    (HEAD + "\n$$\nx = y % algebra\n", f"t.md:{BODY_LINE - 1}:1: this $$ block is never closed: expected $$"),
    (HEAD + "\nSee $\\write18{rm}$.\n", f"t.md:{BODY_LINE - 1}:6: \\write is not allowed in math"),
    ("---\ntitle: t\n---\n# Again\n", "t.md:4:3: the title is given twice"),
    ("---\nsymbols:\n  -\n---\n", "t.md:3:4: an empty item under symbols:"),
]


@pytest.mark.parametrize("text,want", FILE_ERRORS, ids=[e[1][:40] for e in FILE_ERRORS])
def test_file_errors(tmp_path, text, want):
    got = error_of(tmp_path, text)
    assert got.startswith(want), got


def test_not_utf8(tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    # At the byte that is not UTF-8 (it was 2:1, the start of its line; found by an
    # adversarial test), in derivation files and documents alike.
    with pytest.raises(InputError, match=r"bad\.md:2:11: the file is not UTF-8 text"):
        load_file(path)
    document = tmp_path / "bad.tex"
    document.write_bytes(b"\\[ x \\le y \\]\n\\[ \xc3\xa9 \xff \\]\n")     # é, then a stray byte
    with pytest.raises(InputError, match=r"bad\.tex:2:6: the file is not UTF-8 text"):
        load_file(document)


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_cli_reports_one_line_and_exit_2(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text(steps(r"x = (y % algebra"), encoding="utf-8")
    for command in ("check", "render", "list"):
        proc = run_cli(command, str(path), cwd=tmp_path)
        assert proc.returncode == 2, (command, proc.stderr)
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"derive: error: {path}:{BODY_LINE}:5: "), lines


def test_a_chain_that_turns_is_an_error_at_the_turning_step(tmp_path):
    got = error_of(tmp_path, steps(r"x \le y % sign", r"  \ge 0 % sign"))
    assert got.startswith(f"t.md:{BODY_LINE + 1}:3: a chain mixes ≤ and ≥"), got
