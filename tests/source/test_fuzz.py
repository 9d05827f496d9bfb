"""Random and garbled LaTeX, and the seed's OCR, never crash: a verdict or a one-line error."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import derive.checks as checks
from derive.checks import check_derivation
from derive.errors import InputError
from derive.source import load_file
from derive.verdict import STATUSES

ROOT = Path(__file__).resolve().parents[2]
SEED = sorted((ROOT.parent / "shared" / "seed").glob("*.txt"))

LETTERS = [c for c in string.ascii_letters if c not in "de"]
HEAD = ("---\ntitle: fuzz\nsymbols:\n  - " + ", ".join(LETTERS) + " \\in \\mathbb{R}\n"
        "  - w_t, w_{t+1} \\in \\mathbb{R}^n\nfunctions:\n  - \\sigma(z) = \\frac{1}{1 + e^{-z}}\n"
        "  - \\mathcal{L} \\colon \\mathbb{R}^n \\to \\mathbb{R}\n---\n\n")

TOKENS = ["x", "y", "v", "2", "0", "1.5", "+", "-", "=", "<", "\\le", "\\ge", "\\iff", "(", ")",
          "[", "]", "{", "}", "^", "_", "\\frac", "\\partial", "\\sigma", "\\hat", "\\log", "\\ln",
          "e", "\\sqrt", "|", "\\|", "\\langle", "\\rangle", ",", "&", "\\\\", "\\lim", "\\to",
          "\\begin{cases}", "\\end{cases}", "\\text{if}", "\\operatorname{ReLU}", "\\cdot", "/",
          "\\left(", "\\right)", "\\mathcal{L}", "w_t", "\\nabla", "^\\top", "'", "!", "\\infty",
          "\\tanh", "\\max", " ", "%", "\\%", "$", "\\alpha", "\\mathbb{R}", "\\in", "*"]


def seed_math():
    """The math segments of the seed's OCR, and every line as it is."""
    out = []
    for path in SEED:
        for line in path.read_text(encoding="utf-8").splitlines():
            out.extend(m.group(1) for m in re.finditer(r"\$\$?([^$]+)\$\$?", line))
    return out


MATH = seed_math()
LINES = [ln for p in SEED for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.fixture(autouse=True)
def short_budget(monkeypatch):
    # Verdicts, not speed, are under test: a short budget keeps the search fast.
    monkeypatch.setattr(checks, "STEP_BUDGET", 0.5)


def outcome(tmp_path, body: str, name="f.md"):
    """'error' or the list of statuses; anything else (a crash) fails the test."""
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    try:
        derivation = load_file(path)
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message and "Traceback" not in message
        assert re.match(re.escape(str(path)) + r"(:\d+){0,2}: \S", message), message
        return "error"
    results = check_derivation(derivation)
    for r in results:
        assert r.verdict.status in STATUSES
    return [r.verdict.status for r in results]


def as_step(math: str) -> str:
    return "$$\n" + math.replace("$", "") + " % algebra\n$$\n"


@pytest.mark.skipif(not MATH, reason="the seed is not next to this checkout")
def test_every_ocr_math_segment_gives_a_verdict_or_an_error(tmp_path):
    seen = {"error": 0, "verdict": 0}
    for math in MATH:
        got = outcome(tmp_path, as_step(math))
        seen["error" if got == "error" else "verdict"] += 1
    assert sum(seen.values()) == len(MATH)


@pytest.mark.skipif(not LINES, reason="the seed is not next to this checkout")
def test_every_ocr_line_as_prose_or_as_a_block(tmp_path):
    for line in LINES:
        outcome(tmp_path, "## (a) Part\n\n" + line + "\n")
        outcome(tmp_path, "$$\n" + line + "\n$$\n")


@st.composite
def garbled(draw):
    """An OCR segment with characters dropped, doubled or swapped in."""
    text = list(draw(st.sampled_from(MATH or ["x = y"])))
    for _ in range(draw(st.integers(0, 4))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        kind = draw(st.sampled_from(["drop", "double", "swap"]))
        if kind == "drop":
            del text[i]
        elif kind == "double":
            text.insert(i, text[i])
        else:
            text[i] = draw(st.sampled_from(list("(){}[]^_\\=<>+-|&x2 ")))
    return "".join(text)


soup = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14).map(" ".join)
FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(math=soup)
def test_token_soup(tmp_path, math):
    outcome(tmp_path, as_step(math))


@FUZZ
@given(math=garbled())
def test_garbled_ocr(tmp_path, math):
    outcome(tmp_path, as_step(math))


@FUZZ
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_text_in_a_block_or_a_justification(tmp_path, text):
    outcome(tmp_path, "$$\nx = y % " + text.replace("\n", " ") + "\n$$\n")
    outcome(tmp_path, "$$\n" + text + "\n$$\n")


KEYS = ["symbols", "functions", "define", "assume", "hypotheses", "lemmas"]
DECLARATION_TOKENS = TOKENS + ["\\in", "\\mathbb{R}^n", "\\colon", "(0, 1]", "smooth(a, b)", "a", ":="]


@FUZZ
@given(key=st.sampled_from(KEYS),
       item=st.lists(st.sampled_from(DECLARATION_TOKENS), min_size=1, max_size=10).map(" ".join))
def test_garbled_declarations(tmp_path, key, item):
    path = tmp_path / "d.md"
    path.write_text(f"---\nsymbols:\n  - x \\in \\mathbb{{R}}\n{key}:\n  - {item}\n---\n\n"
                    "$$\nx = x % algebra\n$$\n", encoding="utf-8")
    try:
        derivation = load_file(path)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
        return
    assert all(r.verdict.status in STATUSES for r in check_derivation(derivation))
