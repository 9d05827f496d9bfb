"""The PDF itself: compiled once per session; its text, its summary, its pages, TeX's safety.

Skipped without latexmk. The first pages are also written as PNGs (printed at the
end of the run) so a person can look at them; `make pages` does the same for all pages.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from sympy import Gt

import cli
from derive.build import Builder, why
from derive.checks.parallel import check_all
from derive.errors import RenderError
from derive.prose import load_prose
from derive.render import document_view, render_tex
from derive.catalog import load_all
from derive.tex import compile_pdf

pytestmark = pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("pdftotext") is None,
                                reason="needs latexmk and poppler-utils")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def solutions(tmp_path_factory):
    """`render all`'s document, built the way the command builds it, with TeX's log kept."""
    out = tmp_path_factory.mktemp("solutions")
    checked = check_all(load_all())
    source = render_tex(checked, title="Solutions", standalone_summary=True)
    pdf = out / "solutions.pdf"
    seconds = compile_pdf(source, pdf, log_path=out / "solutions.log")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return {"checked": checked, "view": document_view(checked), "source": source, "pdf": pdf,
            "text": text, "log": (out / "solutions.log").read_text(errors="replace"),
            "seconds": seconds, "dir": out}


def flat(text):
    return " ".join(text.split())


def letters(text):
    """The ASCII letters of ``text`` once accents and script forms are taken off (ℒ → L, ŷ → y)."""
    return Counter(ch for ch in unicodedata.normalize("NFKD", text) if ch.isascii() and ch.isalpha())


def tex_letters(tex):
    """Letters a formula's TeX shows on the page: control words and environment names dropped."""
    tex = re.sub(r"\\(begin|end)\{[^}]*\}", " ", tex)
    return letters(re.sub(r"\\[A-Za-z]+", " ", tex))


def words(pdf):
    """[(page, xMin, yMin, text)] from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    found, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*)</word>', line)
        if m:
            found.append((page, float(m.group(1)), float(m.group(2)), html.unescape(m.group(3))))
    return found


def steps(view):
    for q in view["questions"]:
        for part in q["parts"]:
            for block in part["blocks"]:
                yield from block["rows"]


# --------------------------------------------------------------------------- content

def test_every_question_heading_is_in_the_pdf(solutions):
    # Compared without spaces and hyphens: a long heading may break across lines.
    squeeze = lambda s: re.sub(r"[\s\-‐]", "", s)  # noqa: E731
    text = squeeze(solutions["text"])
    assert solutions["view"]["questions"], "no questions rendered"
    for q in solutions["view"]["questions"]:
        heading = f"{q['heading']} {q['md']['title']}".replace("*", "")
        assert squeeze(heading) in text, heading
    assert "Verificationsummary" in text and "Contents" in text


def test_every_step_has_its_number_mark_and_justification_in_the_margin(solutions):
    text = flat(solutions["text"])
    # ✗ is drawn (no font of a basic TeX has it), so it has no text of its own.
    marks = solutions["view"]["unicode_marks"] | {"failed": ""}
    for row in steps(solutions["view"]):
        shown = re.sub(r"\$[^$]*\$", " ", row["md"]["why"])
        first = next((w for w in shown.split() if len(w) > 2 and w.isalpha()), "")
        pattern = re.escape(f"({row['tag']}) {marks[row['status']]}") + r".{0,60}?" + re.escape(first)
        assert re.search(pattern, text), f"step {row['tag']}: {row['md']['why']!r}"


def test_every_steps_formula_is_on_its_row(solutions):
    """The letters of each step's formula appear beside its number, in the text column."""
    found = words(solutions["pdf"])
    tags = {}
    for w in found:       # the first (4.1) is the step's; the summary cites it again
        if re.fullmatch(r"\(\d+\.\d+\)", w[3]):
            tags.setdefault(w[3], (w[0], w[2], w[1]))
    rows = list(steps(solutions["view"]))
    positions = [tags[f"({r['tag']})"] for r in rows]
    for i, row in enumerate(rows):
        page, y, margin = positions[i]
        above = positions[i - 1][1] if i and positions[i - 1][0] == page else y - 60
        below = positions[i + 1][1] if i + 1 < len(rows) and positions[i + 1][0] == page else y + 60
        near = "".join(w[3] for w in found if w[0] == page and above - 8 <= w[2] <= below + 8 and w[1] < margin)
        want = tex_letters(str(row["lhs"]) + str(row["rhs"]))
        missing = want - letters(near)
        assert not missing, f"step {row['tag']}: {dict(missing)} not near it"


def test_page_count_is_sane(solutions):
    info = subprocess.run(["pdfinfo", str(solutions["pdf"])], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    questions = len(solutions["view"]["questions"])
    assert questions + 2 <= pages <= 3 * questions + 4, pages


def test_summary_counts_equal_derive_check_json(solutions):
    proc = subprocess.run([sys.executable, "cli.py", "check", "all", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    text = solutions["text"]
    summary = text[text.index("Verification summary", text.index("Verification summary") + 1):]
    statuses = solutions["view"]["statuses"]
    for d in report["derivations"]:
        if not d["steps"]:
            continue
        counts = Counter(s["status"] for s in d["steps"])
        number = re.fullmatch(r"q(\d+)", d["id"]).group(1)
        row = re.search(rf"Question {number}\s+((?:\d+\s+){{{len(statuses) + 1}}})", summary)
        assert row, f"no summary row for {d['id']}"
        shown = [int(n) for n in row.group(1).split()]
        assert shown == [counts[s] for s in statuses] + [len(d["steps"])], d["id"]
    total = re.search(rf"Total\s+((?:\d+\s+){{{len(statuses) + 1}}})", summary)
    assert [int(n) for n in total.group(1).split()][:-1] == [report["summary"][s] for s in statuses]


def test_no_line_overflows(solutions):
    overfull = re.findall(r"^Overfull \\hbox \(([\d.]+)pt too wide\)", solutions["log"], re.M)
    assert not [pt for pt in overfull if float(pt) > 1.0], overfull


def test_first_pages_as_png_for_a_person_to_look_at(solutions, request):
    prefix = solutions["dir"] / "page"
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "3", "-png", str(solutions["pdf"]),
                    str(prefix)], check=True)
    pngs = sorted(solutions["dir"].glob("page-*.png"))
    assert len(pngs) == 3
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    request.config.add_cleanup(lambda: print(f"\nfirst pages of the solutions PDF: {solutions['dir']}/page-*.png"))


# --------------------------------------------------------------------------- the command, end to end

def test_render_all_end_to_end_with_a_failed_step_and_hostile_prose(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hostile = tmp_path / "q1.md"
    hostile.write_text("# Question 1: \\input{/etc/passwd} & 100%\n"
                       "Text: \\input{/etc/passwd} \\write18{touch pwned} ^^5cinput{/etc/hostname} "
                       "a { brace, ~ ^ _ # and \\$5.\n", encoding="utf-8")
    b = Builder("q9", "Question 9: a wrong step")
    x = b.var("x", lower=0)
    b.part("a", "Wrong on purpose")
    b.step(x**2 + 2 * x + 1, "=", (x + 1)**2, why("algebra", "a square"))
    b.step((x + 1)**2, "=", x**2 + 1, why("algebra", "forgot the middle term"), when=[Gt(x, 0)])
    b.step(x, "<=", x**2 + 1, why("telepathy", "obvious"))
    derivations = [load_prose(hostile, "q1"), b.build(source="q9.py")]
    monkeypatch.setattr("derive.targets.plan", lambda targets: list(derivations))
    result = CliRunner().invoke(cli.main, ["render", "all"])
    assert result.exit_code == 1, result.output
    assert re.search(r"^3 steps: 1 proved, 1 failed, 1 unknown in [\d.]+ s\n"
                     r"wrote solutions.tex\nwrote solutions.pdf \(TeX [\d.]+ s\)\n\Z", result.stdout, re.M)
    text = flat(subprocess.run(["pdftotext", "solutions.pdf", "-"], capture_output=True, text=True).stdout)
    assert "Question 1: \\input{/etc/passwd} & 100%" in text
    assert "Text: \\input{/etc/passwd} \\write18{touch pwned} ^^5cinput{/etc/hostname} a { brace, ~ ^ _ # and $5." in text
    assert "root:" not in text and not (tmp_path / "pwned").exists()
    assert "(9.2)" in text and "forgot the middle term" in text     # ✗, drawn, has no text
    # (The plot under it moves text around in pdftotext's reading order.)
    assert re.search(r"failed: the two sides differ at x = [\d.]+: left side [\d.]+, right side [\d.]+\.", text)
    assert re.search(r"\(9\.3\) \? obvious", text)
    assert re.search(r"\(9\.3\) \? unknown: unknown justification .telepathy.", text)
    assert re.search(r"Question 9 1 0 0 1 1 3 ", text)


# --------------------------------------------------------------------------- TeX, safely

DOC = "\\documentclass{article}\n\\begin{document}\n%s\n\\end{document}\n"


@pytest.fixture
def previous(tmp_path):
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(b"%PDF-previous")
    return pdf


def test_a_tex_error_names_message_and_line_and_keeps_the_previous_pdf(previous):
    with pytest.raises(RenderError) as info:
        compile_pdf(DOC % "fine\n\\undefinedmacro here", previous)
    assert str(info.value).startswith("LaTeX error at line 4: Undefined control sequence")
    assert "in: \\undefinedmacro here" in str(info.value)
    assert previous.read_bytes() == b"%PDF-previous"


def test_a_looping_document_is_stopped_by_the_timeout_and_nothing_is_left_running(previous):
    start = time.perf_counter()
    with pytest.raises(RenderError, match="ran for over 2 s and was stopped"):
        compile_pdf(DOC % "\\def\\a{\\a}\\a", previous, timeout=2)
    assert time.perf_counter() - start < 10
    assert previous.read_bytes() == b"%PDF-previous"
    assert not _orphans(), "a TeX process outlived its timeout"


def _orphans():
    """TeX processes still running in a working directory that compile_pdf already removed."""
    out = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cwd = os.readlink(proc / "cwd")
            name = (proc / "comm").read_text().strip()
        except OSError:
            continue
        if "derive-tex-" in cwd and cwd.endswith("(deleted)") and "tex" in name:
            out.append(name)
    return out


def test_tex_cannot_read_files_outside_its_directory(previous):
    """Even TeX that reached the compiler unescaped cannot read /etc/passwd (openin_any=p)."""
    with pytest.raises(RenderError, match="passwd"):
        compile_pdf(DOC % "\\input{/etc/passwd}", previous)
    assert previous.read_bytes() == b"%PDF-previous"


def test_tex_cannot_run_commands(tmp_path):
    target = tmp_path / "pwned"
    compile_pdf(DOC % f"\\immediate\\write18{{touch {target}}}text", tmp_path / "ok.pdf")
    assert (tmp_path / "ok.pdf").read_bytes()[:5] == b"%PDF-"
    assert not target.exists()


def test_the_golden_document_with_every_status_compiles(tmp_path):
    """tests/golden/small.tex has all five marks, reasons, cases and citations: TeX must take it."""
    source = (Path(__file__).resolve().parents[1] / "golden" / "small.tex").read_text(encoding="utf-8")
    compile_pdf(source, tmp_path / "small.pdf", log_path=tmp_path / "small.log")
    text = flat(subprocess.run(["pdftotext", str(tmp_path / "small.pdf"), "-"], capture_output=True,
                               text=True).stdout)
    for mark, tag in (("✓", "7.1"), ("⊢", "7.2"), ("", "7.3"), ("≈", "7.4"), ("?", "7.5")):
        assert f"({tag}) {mark}" in text
    assert "see (7.2)." in text and "citing (7.1)." in text
    assert "(7.3) a wrong sign" in text
    assert "at x = 0.25: left side 1.09861, right side 0." in text
    assert "Overfull" not in (tmp_path / "small.log").read_text(errors="replace")


def test_a_markdown_document_lists_the_math_it_could_not_read(tmp_path):
    """Its PDF is made from what was read: what was not is listed, with place and reason."""
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\n## First\n\n$$\n(a+b)^2 = a^2 + 2ab + b^2\n$$\n\n"
                     "$$\nx \\diamond y = q\n$$\n\n$$\nc = \\frac{1}{2\n$$\n", encoding="utf-8")
    out = tmp_path / "notes.pdf"
    result = CliRunner().invoke(cli.main, ["render", str(notes), "--to", "pdf", "-o", str(out)])
    assert result.exit_code == 1, result.output
    text = flat(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout)
    assert "Not read. 2 pieces of math could not be read, so nothing in them was checked:" in text
    assert re.search(r"notes\.md:10:\d+: unexpected .\\diamond. in .x \\diamond y.", text)
    assert "notes.md:14:13: this ‘{‘ is never closed" in text or \
        "notes.md:14:13: this `{` is never closed" in text
    assert "1 step, 1 ✓ proved; 2 pieces of math not read." in text
