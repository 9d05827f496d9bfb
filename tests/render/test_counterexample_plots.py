"""A picture of each counterexample: both sides along a line through it, the failing
stretch shaded (confirmed as the checker confirms), inside the assumptions, the same
bytes every time, nothing for a derivation whose steps all pass."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from derive.checks import check_derivation
from derive.plotdata import plot_step, plots_for
from derive.plotdraw import braille, svg_files
from derive.render import render_md, render_tex
from derive.source import load_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wrong():
    d = load_file(ROOT / "examples" / "deliberate-error.md")
    return d, check_derivation(d)


def failed(results, index):
    return next(r for r in results if r.index == index)


def sigma(x):
    return 1 / (1 + math.exp(-x))


def test_the_sigmoid_bound_fails_exactly_where_sigma_exceeds_a_half(wrong):
    d, results = wrong
    plot = plot_step(d, failed(results, 5))
    assert plot.variable == "x" and plot.rel == "<="
    # The shading is where a direct evaluation breaks σ(x) ≤ ½: x > 0.
    for x, b in zip(plot.xs, plot.broken):
        if abs(x) > 1e-6:
            assert b == (sigma(x) > 0.5), x
    (start, end), = plot.runs()
    assert 0 <= start < 2e-3 and end == plot.xs[-1]
    x, left, right = plot.at
    assert math.isclose(left, sigma(x), rel_tol=1e-12) and right == 0.5


def test_the_lost_factor_two_crosses_where_both_sides_vanish(wrong):
    d, results = wrong
    plot = plot_step(d, failed(results, 3))
    # (wx − y)x versus 2(wx − y)x: equal only at x = 0 (and where wx = y).
    assert [round(a, 2) for a, _ in plot.runs()][:2] == [round(plot.xs[0], 2), 0.0]
    assert any(abs(x) < 2e-3 and b is False for x, b in zip(plot.xs, plot.broken))
    assert dict(plot.fixed).keys() == {"y", "w"}


CASES = textwrap.dedent(r"""
    ---
    symbols:
      - x \in \mathbb{R}
      - 0 < y < 1
    ---

    ## (a) A sign that depends on y

    $$
    % for x > 0
    x(1 - 2y) < 0      % sign
    $$
    """).lstrip()


def test_points_stay_inside_the_assumptions_and_the_case(tmp_path):
    path = tmp_path / "cases.md"
    path.write_text(CASES, encoding="utf-8")
    d = load_file(path)
    results = check_derivation(d)
    plot = plot_step(d, results[0])
    assert plot is not None
    if plot.variable == "x":
        assert all(x > 0 for x in plot.xs)
    else:
        assert all(0 < x < 1 for x in plot.xs)
        # x(1 − 2y) < 0 with x > 0 fails where y ≤ ½
        for x, b in zip(plot.xs, plot.broken):
            if abs(x - 0.5) > 1e-6:
                assert b == (x < 0.5), x


def test_plotting_costs_little_cpu_and_nothing_when_all_steps_pass(wrong):
    d, results = wrong
    for r in results:
        if r.verdict.status == "failed":
            start = time.process_time()
            assert plot_step(d, r) is not None
            assert time.process_time() - start <= 0.3
    q6 = load_file(ROOT / "examples" / "q6.md")
    passing = check_derivation(q6)
    assert plots_for(q6, passing) == {}
    assert "pgfplots" not in render_tex([(q6, passing)], plots={q6.id: {}})


def test_the_same_step_gives_the_same_picture(wrong):
    d, results = wrong
    one, two = plots_for(d, results), plots_for(d, results)
    assert one == two and set(one) == {3, 5}
    first = svg_files([(d, results)], {d.id: one}, "w")
    assert first == svg_files([(d, results)], {d.id: two}, "w")
    for name, text in first.values():
        ET.fromstring(text)                       # well-formed SVG
        assert re.fullmatch(r"w\.deliberate-error\.step-\d\.svg", name)


def test_markdown_links_the_svg_under_the_failed_step(wrong):
    d, results = wrong
    plots = {d.id: plots_for(d, results)}
    files = svg_files([(d, results)], plots, "w")
    md = render_md([(d, results)], plots=plots, plot_files={k: v[0] for k, v in files.items()})
    assert "(w.deliberate-error.step-3.svg)" in md and "(w.deliberate-error.step-5.svg)" in md
    assert md.index("(1.3) ✗ failed") < md.index("step-3.svg") < md.index("(1.4)")


def test_the_terminal_plot_fits_80_columns(wrong):
    d, results = wrong
    for plot in plots_for(d, results).values():
        lines = braille(plot, width=80)
        assert all(len(line) <= 80 for line in lines)
        assert any("✗" in line for line in lines) and any("x = 1.54773" in line for line in lines)


@pytest.mark.skipif(not shutil.which("latexmk") or not shutil.which("kpsewhich"), reason="needs TeX")
def test_the_pdf_shows_the_plot(wrong, tmp_path):
    if not subprocess.run(["kpsewhich", "pgfplots.sty"], capture_output=True, text=True).stdout:
        pytest.skip("pgfplots (texlive-pictures) is not installed")
    from derive.tex import compile_pdf
    d, results = wrong
    source = render_tex([(d, results)], standalone_summary=False, plots={d.id: plots_for(d, results)})
    assert source.count(r"\begin{axis}") == 2
    compile_pdf(source, tmp_path / "w.pdf")
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "w.pdf"),
                    str(tmp_path / "page")], check=True)
    ppm = next(tmp_path.glob("page*.ppm")).read_bytes()
    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
    pixels = ppm[header.end():]
    # The failing stretch is shaded with badred at 10 % (247, 233, 232): it is on the page
    # (the same page without plots has a few dozen such pixels, at the edges of red text).
    shade = sum(1 for i in range(0, len(pixels) - 2, 3)
                if abs(pixels[i] - 247) <= 2 and abs(pixels[i + 1] - 233) <= 2 and abs(pixels[i + 2] - 232) <= 2)
    assert shade > 1000


def _cli(args, tmp_path, monkeypatch):
    from click.testing import CliRunner

    import cli
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    return CliRunner().invoke(cli.main, args)


def test_check_plot_draws_under_each_failed_step_in_80_columns(tmp_path, monkeypatch):
    shutil.copy(ROOT / "examples" / "deliberate-error.md", tmp_path / "w.md")
    result = _cli(["check", "--plot", "w.md"], tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    braille_rows = [i for i, line in enumerate(lines) if re.search("[\u2801-\u28ff]", line)]
    assert braille_rows and lines.index(next(l for l in lines if "a.3" in l)) < braille_rows[0]
    assert sum("x = 1.54773" in line and "┬" not in line for line in lines) >= 2


def test_check_plot_draws_nothing_when_every_step_passes(tmp_path, monkeypatch):
    shutil.copy(ROOT / "examples" / "q6.md", tmp_path / "q6.md")
    result = _cli(["check", "--plot", "q6.md"], tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert not re.search("[\u2800-\u28ff]", result.output)


def test_render_to_markdown_writes_each_plot_beside_it(tmp_path, monkeypatch):
    shutil.copy(ROOT / "examples" / "deliberate-error.md", tmp_path / "w.md")
    result = _cli(["render", "w.md", "--to", "md", "-o", "out.md"], tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    svgs = sorted(p.name for p in tmp_path.glob("*.svg"))
    assert svgs == ["out.deliberate-error.step-3.svg", "out.deliberate-error.step-5.svg"]
    md = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert all(f"]({name})" in md for name in svgs)
