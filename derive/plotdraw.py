"""A failed step's plot drawn three ways from the same numbers: pgfplots for the PDF,
SVG for Markdown, braille for the terminal. Deterministic: same plot, same bytes."""

from __future__ import annotations

import math
from functools import lru_cache

LEFT, RIGHT = "left side", "right side"


def _g(x) -> str:
    """A coordinate as text: 6 significant digits, no exponent TeX or SVG would misread."""
    if x == 0 or not math.isfinite(x):
        return "0"
    text = f"{x:.6g}"
    if "e" in text:
        text = f"{x:.12f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def bounds(plot):
    """(x0, x1, y0, y1) with a margin, the y range cut where one side runs off
    (a pole would flatten everything else)."""
    ys = sorted(y for y in plot.lhs + plot.rhs if y is not None)
    lo, hi = ys[0], ys[-1]
    if len(ys) > 8:
        q1, q3 = ys[len(ys) // 10], ys[-1 - len(ys) // 10]
        spread = max(q3 - q1, 1e-9)
        lo, hi = max(lo, q1 - 3 * spread), min(hi, q3 + 3 * spread)
    lo, hi = min(lo, plot.at[1], plot.at[2]), max(hi, plot.at[1], plot.at[2])
    if hi - lo < 1e-12:
        lo, hi = lo - 1, hi + 1
    pad = 0.08 * (hi - lo)
    return plot.xs[0], plot.xs[-1], lo - pad, hi + pad


def _segments(xs, ys, lo, hi):
    """Runs of consecutive drawable points (a gap where a value is missing or off the chart)."""
    out, run = [], []
    for x, y in zip(xs, ys):
        if y is None or not (lo <= y <= hi):
            if len(run) > 1:
                out.append(run)
            run = []
            continue
        run.append((x, y))
    if len(run) > 1:
        out.append(run)
    return out


# --------------------------------------------------------------------------- PDF

def caption(plot, names: dict, tex: bool) -> str:
    """What the plot shows, in one line: the variable, the others held fixed."""
    from .printing import name_tex

    def name(n):
        return (names.get(n) or name_tex(n)) if tex else n

    def value(v):
        return v.replace("·10", r"\cdot 10^{") + "}" if tex and "·10" in v else v

    held = [f"{name(n)} = {value(v)}" for n, v in plot.fixed]
    if tex:
        held = [f"${h}$" for h in held]
        along = f"${name(plot.variable)}$"
    else:
        along = plot.variable
    rest = f", with {', '.join(held)}" if held else ""
    return f"Both sides along {along}{rest}; shaded: where the step fails."


def pgfplots(plot, variable_tex: str, caption_tex: str) -> str:
    """A small pgfplots axis: both sides, the failing stretch shaded, the
    counterexample marked. ``variable_tex`` and ``caption_tex`` are checked math."""
    x0, x1, y0, y1 = bounds(plot)
    lines = [r"\begin{tikzpicture}",
             r"\begin{axis}[width=6.4cm, height=3.9cm, axis lines*=left, max space between ticks=24,"
             r" tick label style={font=\scriptsize}, label style={font=\small}, xlabel near ticks,"
             r" legend style={font=\scriptsize, draw=none, fill=none, at={(1.02,1)}, anchor=north west},"
             r" legend cell align=left, enlargelimits=false, clip=true,"
             f" xmin={_g(x0)}, xmax={_g(x1)}, ymin={_g(y0)}, ymax={_g(y1)},"
             f" xlabel={{${variable_tex}$}}]"]
    for a, b in plot.runs():
        lines.append(f"\\fill[badred!10] (axis cs:{_g(a)},{_g(y0)}) rectangle (axis cs:{_g(b)},{_g(y1)});")
    for name, ys, style in ((LEFT, plot.lhs, "checkblue, thick"), (RIGHT, plot.rhs, "black, thick, dashed")):
        segments = _segments(plot.xs, ys, y0, y1)
        for i, seg in enumerate(segments):
            coords = " ".join(f"({_g(x)},{_g(y)})" for x, y in seg)
            legend = "" if i == 0 else ", forget plot"
            lines.append(f"\\addplot[{style}, no marks{legend}] coordinates {{{coords}}};")
        if segments:
            lines.append(f"\\addlegendentry{{{name}}}")
    x, a, b = plot.at
    lines.append(f"\\addplot[only marks, mark=*, mark size=1.6pt, badred, forget plot] "
                 f"coordinates {{({_g(x)},{_g(a)}) ({_g(x)},{_g(b)})}};")
    lines.append(f"\\draw[badred, densely dotted] (axis cs:{_g(x)},{_g(a)}) -- (axis cs:{_g(x)},{_g(b)});")
    lines += [r"\end{axis}", r"\end{tikzpicture}"]
    body = "\n".join(lines)
    return (f"\\begin{{center}}\n{body}\\\\[-0.3ex]\n"
            f"{{\\footnotesize {caption_tex}}}\n\\end{{center}}")


# --------------------------------------------------------------------------- ticks

def ticks(lo, hi, most=6):
    """Round numbers between lo and hi, at most ``most`` of them (1, 2, 5 × 10ᵏ apart)."""
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / max(1, most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9)
    out = []
    k = first
    while k * step <= hi + 1e-9 * step:
        out.append(round(k * step, 12))
        k += 1
    return out


# --------------------------------------------------------------------------- SVG

def svg(plot, variable: str, caption: str) -> str:
    """A standalone SVG (for Markdown: GitHub shows it beside the text)."""
    from xml.sax.saxutils import escape
    W, H, left, right, top, bottom = 520, 250, 56, 130, 12, 58
    x0, x1, y0, y1 = bounds(plot)

    def X(x):
        return left + (x - x0) / (x1 - x0) * (W - left - right)

    def Y(y):
        return top + (y1 - y) / (y1 - y0) * (H - top - bottom)

    def f(v):
        return f"{v:.1f}"

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    for a, b in plot.runs():
        out.append(f'<rect x="{f(X(a))}" y="{f(Y(y1))}" width="{f(X(b) - X(a))}" '
                   f'height="{f(Y(y0) - Y(y1))}" fill="#B3261E" fill-opacity="0.1"/>')
    out.append(f'<path d="M{f(X(x0))} {f(Y(y1))}V{f(Y(y0))}H{f(X(x1))}" fill="none" stroke="black"/>')
    for t in ticks(x0, x1):
        out.append(f'<path d="M{f(X(t))} {f(Y(y0))}v4" stroke="black"/>'
                   f'<text x="{f(X(t))}" y="{f(Y(y0) + 16)}" text-anchor="middle">{_g(t)}</text>')
    for t in ticks(y0, y1, 5):
        out.append(f'<path d="M{f(X(x0))} {f(Y(t))}h-4" stroke="black"/>'
                   f'<text x="{f(X(x0) - 7)}" y="{f(Y(t) + 4)}" text-anchor="end">{_g(t)}</text>')
    out.append(f'<text x="{f((X(x0) + X(x1)) / 2)}" y="{f(Y(y0) + 32)}" text-anchor="middle" '
               f'font-style="italic">{escape(variable)}</text>')
    for (name, ys, colour, dash), row in zip(((LEFT, plot.lhs, "#1F5FA8", ""),
                                              (RIGHT, plot.rhs, "black", ' stroke-dasharray="6 4"')), (0, 1)):
        for seg in _segments(plot.xs, ys, y0, y1):
            d = "M" + "L".join(f"{f(X(x))} {f(Y(y))}" for x, y in seg)
            out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.6"{dash}/>')
        ly = top + 10 + 18 * row
        out.append(f'<path d="M{W - right + 12} {ly}h24" stroke="{colour}" stroke-width="1.6"{dash}/>'
                   f'<text x="{W - right + 42}" y="{ly + 4}">{name}</text>')
    x, a, b = plot.at
    out.append(f'<path d="M{f(X(x))} {f(Y(a))}V{f(Y(b))}" stroke="#B3261E" stroke-dasharray="2 2"/>')
    for v in (a, b):
        out.append(f'<circle cx="{f(X(x))}" cy="{f(Y(v))}" r="3" fill="#B3261E"/>')
    out.append(f'<text x="{left}" y="{H - 8}" font-size="11">{escape(caption)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- terminal

_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


def braille(plot, width=80, rows=5) -> list:
    """The plot in Unicode braille for a terminal: the two sides (left ·, right by its
    own label), a row under the axis marking where the step fails (✗) and holds (✓)."""
    x0, x1, y0, y1 = bounds(plot)
    labels = [_g(t) for t in (y1, y0)]
    pad = max(len(t) for t in labels)
    cols = max(10, width - pad - 2 - len(RIGHT) - 3)
    grid = [[0] * cols for _ in range(rows)]
    H, Wd = rows * 4, cols * 2

    def put(x, y):
        if y is None or not (y0 <= y <= y1):
            return
        cx = min(Wd - 1, max(0, round((x - x0) / (x1 - x0) * (Wd - 1))))
        cy = min(H - 1, max(0, round((y1 - y) / (y1 - y0) * (H - 1))))
        grid[cy // 4][cx // 2] |= _DOTS[cy % 4][cx % 2]

    for ys in (plot.lhs, plot.rhs):
        # Between samples too, so a steep side is a line, not scattered dots.
        for (xa, ya), (xb, yb) in zip(zip(plot.xs, ys), list(zip(plot.xs, ys))[1:]):
            if ya is None or yb is None:
                continue
            for k in range(6):
                put(xa + (xb - xa) * k / 6, ya + (yb - ya) * k / 6)
        put(plot.xs[-1], ys[-1])
    ends = {}
    for name, ys in ((LEFT, plot.lhs), (RIGHT, plot.rhs)):
        last = next((y for y in reversed(ys) if y is not None), None)
        if last is not None:
            row = min(rows - 1, max(0, round((y1 - last) / (y1 - y0) * (rows - 1))))
            ends.setdefault(row, []).append(name)
    lines = []
    for r in range(rows):
        label = labels[0] if r == 0 else labels[1] if r == rows - 1 else ""
        text = "".join(chr(0x2800 + c) for c in grid[r])
        lines.append(f"{label:>{pad}} ┤{text} {' / '.join(ends.get(r, []))}".rstrip())
    marks = []
    for c in range(cols):
        x = x0 + (x1 - x0) * (c + 0.5) / cols
        near = min(range(len(plot.xs)), key=lambda i: abs(plot.xs[i] - x))
        marks.append("✗" if plot.broken[near] else "✓" if plot.broken[near] is False else " ")
    at = min(cols - 1, max(0, round((plot.at[0] - x0) / (x1 - x0) * (cols - 1))))
    axis = ["─"] * cols
    axis[at] = "┬"
    lines.append(f"{'':>{pad}} └{''.join(axis)}")
    left_x, right_x, mid = _g(x0), _g(x1), f"{plot.variable} = {_g(plot.at[0])}"
    ruler = [" "] * (cols + 1)
    for start, text in ((0, left_x), (max(0, at - len(mid) // 2), mid), (cols + 1 - len(right_x), right_x)):
        if all(ch == " " for ch in ruler[start:start + len(text)]):
            ruler[start:start + len(text)] = list(text)
    lines.append(f"{'':>{pad}}  {''.join(ruler).rstrip()}")
    lines.append(f"{'':>{pad}}  {''.join(marks).rstrip()}")
    return lines


def svg_files(checked, plots, stem: str) -> dict:
    """{(derivation id, step index): (file name, SVG text)} for the plots of a document
    whose Markdown is ``stem``.md: written beside it, linked from the failed step."""
    out = {}
    for derivation, results in checked:
        names = {str(sym): tex for sym, tex in dict(derivation.latex_names).items()}
        for index, plot in sorted((plots or {}).get(derivation.id, {}).items()):
            name = f"{stem}.{derivation.id}.step-{index}.svg"
            out[(derivation.id, index)] = (name, svg(plot, plot.variable, caption(plot, names, False)))
    return out


@lru_cache(maxsize=1)
def pgfplots_available() -> bool:
    """Whether TeX here has pgfplots (texlive-pictures); without it the PDF has no plots."""
    import shutil
    import subprocess
    if not shutil.which("kpsewhich"):
        return False
    try:
        found = subprocess.run(["kpsewhich", "pgfplots.sty"], capture_output=True, text=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(found)
