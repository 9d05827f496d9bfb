"""Markdown as GitHub renders it (its own library, cmarkgfm): every formula reaches the
HTML byte for byte, and HTML in the author's text stays text unless asked for."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest
from sympy import Gt

cmarkgfm = pytest.importorskip("cmarkgfm")
from cmarkgfm.cmark import Options  # noqa: E402

from derive import catalog, markdown  # noqa: E402
from derive.build import Builder, why  # noqa: E402
from derive.checks.parallel import rebuild_results  # noqa: E402
from derive.prose import expand_macros, tokens  # noqa: E402
from derive.render import document_view, render_md  # noqa: E402
from derive.source import load_file  # noqa: E402
from derive.verdict import Verdict  # noqa: E402
from pathlib import Path  # noqa: E402


def math_pieces(text: str) -> list:
    """Every $…$ and $$…$$ in ``text``, as written."""
    found = []
    for kind, body in tokens(text):
        if kind in ("math", "display"):
            found.append(body)
        elif kind in ("bold", "italic"):
            found.extend(math_pieces(body))
    return found


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def github(md: str, unsafe: bool = False) -> str:
    """GitHub's HTML; ``unsafe`` lets raw HTML through, as a careless previewer would."""
    options = Options.CMARK_OPT_GITHUB_PRE_LANG | (Options.CMARK_OPT_UNSAFE if unsafe else 0)
    return cmarkgfm.github_flavored_markdown_to_html(md, options)


def formulas(page: str) -> list:
    """Every formula GitHub's math renderer would receive: $`…`$ and ```math blocks."""
    inline = re.findall(r"\$<code>(.*?)</code>\$", page, re.S)
    blocks = re.findall(r'<pre lang="math"><code>(.*?)</code></pre>', page, re.S)
    return [html.unescape(f) for f in inline + blocks]


def proved(derivation):
    steps = sum(len(p.steps) for p in derivation.parts)
    return (derivation, rebuild_results(derivation, [Verdict("proved", "algebra")] * steps))


@pytest.fixture(scope="module")
def documents():
    solutions = [proved(catalog.load(i)) for i in catalog.known_ids()]
    files = [[proved(load_file(EXAMPLES / name))] for name in ("q6.md", "descent-lemma.md")]
    return [solutions] + files


def _authored(checked):
    """The math the author wrote in prose, and each step's two sides, as they should arrive."""
    want = []
    for d, _ in checked:
        texts = [d.title, d.intro, d.prose] + [t for p in d.parts for t in
                                               (p.title, p.intro, p.outro, *(s.note for s in p.steps))]
        want += [" ".join(expand_macros(m).split()) for t in texts if t for m in math_pieces(t)]
    for q in document_view(checked)["questions"]:
        want += [str(r[k]) for r in q["rows"] for k in ("lhs", "rhs") if str(r[k])]
    return want


def test_every_formula_reaches_githubs_html_byte_for_byte(documents):
    for checked in documents:
        md = render_md(checked)
        page = formulas(github(md))
        emitted = re.findall(r"\$(`+)(.*?)\1\$", md, re.S)
        emitted = [m[1] for m in emitted] + re.findall(r"```math\n(.*?)\n```", md, re.S)
        # What we wrote is what GitHub hands to its math renderer (table cells aside,
        # where it first turns \| into |).
        outside_tables = [f for f in emitted if "\\|" not in f]
        assert all(f in page or f + "\n" in page for f in outside_tables)
        joined = "\n".join(page)
        missing = [w for w in _authored(checked) if " ".join(expand_macros(w).split()) not in joined]
        assert not missing, missing[:5]


def test_no_formula_loses_a_backslash_or_turns_into_italics():
    md = markdown.text(r"norms $\|x\|$, sets $\{a, b\}$, spaces $a\,b$ and $a*b*c$; "
                       "and\n\n$$\n\\|x\\|_{*} = \\sup\\{\\langle x, y\\rangle\\}\n$$\n")
    page = formulas(github(md))
    assert page == [r"\|x\|", r"\{a, b\}", r"a\,b", "a*b*c", "\\|x\\|_{*} = \\sup\\{\\langle x, y\\rangle\\}\n"]


def test_a_bar_in_a_table_cell_arrives_as_written():
    cell = markdown.text(r"by $|x| \le \|y\|$", cell=True)
    page = github(f"| a |\n|---|\n| {cell} |\n")
    assert formulas(page) == [r"|x| \le \|y\|"]


ATTACKS = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "<svg onload=alert(1)>",
           "[click](javascript:alert(1))", "[x]: javascript:alert(1)\n\n[x]", "<javascript:alert(1)>",
           "[ok](JaVaScRiPt:alert(1))"]


def hostile(text):
    b = Builder("q9", f"Question 9: {text}", intro=f"Intro {text}\n\nMore.")
    x = b.var("x")
    b.part("a", f"Part {text}", intro=text)
    b.step(x, "=", x, why("algebra", text), note=text)
    b.step(x + 1, ">", x, why("sign", "fine"), when=[Gt(x, 0)])
    return proved(b.build(source="q9.py"))


@pytest.mark.parametrize("attack", ATTACKS)
def test_html_in_the_authors_text_is_shown_not_run(attack):
    page = github(render_md([hostile(attack)]), unsafe=True)
    assert not re.search(r"<(script|img|svg)\b", page, re.I), page
    assert not re.search(r"href=\"\s*javascript:", page, re.I), page


def test_an_explicit_option_keeps_the_authors_html():
    page = github(render_md([hostile("<b>bold</b>")], html=True), unsafe=True)
    assert "<b>bold</b>" in page
    page = github(render_md([hostile("<b>bold</b>")]), unsafe=True)
    assert "<b>" not in page and "&lt;b&gt;bold" in page


def test_safe_links_stay_links():
    page = github(markdown.text("see [the paper](https://arxiv.org/abs/2102.06701)"))
    assert '<a href="https://arxiv.org/abs/2102.06701">the paper</a>' in page


def test_a_lone_dollar_is_a_dollar_sign():
    page = github(markdown.text("costs $5 and $6, and \\$7"))
    assert "costs $5 and $6, and $7" in page and "<code>" not in page


def test_the_command_escapes_html_unless_told_to_keep_it(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import cli
    monkeypatch.chdir(tmp_path)
    (tmp_path / "h.md").write_text("---\nsymbols:\n  - x \\in \\mathbb{R}\n---\n\nSee <b>this</b>.\n\n"
                                   "## (a) A\n\n$$\nx = x  % algebra\n$$\n", encoding="utf-8")
    for flags, shown in (([], "See &lt;b>this&lt;/b>."), (["--allow-html"], "See <b>this</b>.")):
        result = CliRunner().invoke(cli.main, ["render", "h.md", "--to", "md", "-o", "out.md", *flags])
        assert result.exit_code == 0, result.output
        assert shown in (tmp_path / "out.md").read_text(encoding="utf-8")


def test_a_documents_steps_are_numbered_by_section_as_in_the_terminal():
    """A plain document's Markdown numbered every step (1.N) while the terminal says 2.5 for
    section 2's fifth step (found by an adversarial test)."""
    from derive.checks import check_derivation
    from derive.source import load_text
    doc = "\n".join([r"\section{One}", r"\[ x + 1 = 1 + x \]", r"\[ 2x = x + x \]",
                     r"\section{Two}", r"\[ x^2 \ge 0 \]", ""])
    derivation = load_text(doc, "notes.tex")
    md = render_md([(derivation, check_derivation(derivation))])
    assert re.findall(r"\\text\{\((\d+\.\d+)\)\}", md) == ["1.1", "1.2", "2.3"], md


# --------------------------------------------------------------------------- math not read

UNREAD_TEX = r"""\documentclass{article}
\begin{document}
\section{Warm-up}
\begin{align}
(a+b)^2 &= a^2 + 2ab + b^2
\end{align}
\begin{equation}
x \mathbin{\diamond} y = q
\end{equation}
\[ c = \diamond \text{<img src=x onerror=alert(1)>} \]
\end{document}
"""


def test_math_that_could_not_be_read_is_listed_where_its_steps_would_be(tmp_path):
    """A page of ✓ must not hide math nobody checked: each piece not read is listed with
    its place and why, as text (never markup), and the headline counts it."""
    path = tmp_path / "notes.tex"
    path.write_text(UNREAD_TEX, encoding="utf-8")
    derivation = load_file(path)
    md = render_md([proved(derivation)])
    page = github(md)
    assert "<strong>Not read:</strong> 2 pieces of math could not be read" in page
    items = re.findall(r"<li>(.*?)</li>", page, re.S)
    assert len(items) == 2
    assert items[0].startswith("notes.tex:8:") and "\\diamond" in html.unescape(items[0])
    assert items[1].startswith("notes.tex:10:")
    # What a message quotes of the author's math stays text, in any previewer.
    hostile = replace(derivation, extra=(("unreadable", (("<b>.tex", 1, 2, "in `<img src=x "
                                                          "onerror=alert(1)>` $x$ | *y*"),)),))
    page = github(render_md([proved(hostile)]), unsafe=True)
    assert not re.search(r"<(img|b)\b", page) and "<em>" not in page and "<code>" not in page.split("Not read")[1]
    assert str(tmp_path) not in md                      # the file's name, not where it lives
    two = render_md([proved(derivation), proved(load_file(EXAMPLES / "descent-lemma.md"))])
    assert re.search(r"steps, \d+ ✓ proved; 2 pieces of math not read\.", two)


def test_a_document_read_whole_lists_nothing_as_not_read(tmp_path):
    path = tmp_path / "notes.tex"
    path.write_text(UNREAD_TEX.replace("\\begin{equation}\nx \\mathbin{\\diamond} y = q\n"
                                       "\\end{equation}\n", "").replace(
        "\\[ c = \\diamond \\text{<img src=x onerror=alert(1)>} \\]\n", ""), encoding="utf-8")
    md = render_md([proved(load_file(path))])
    assert "Not read" not in md and "not read" not in md
