"""Running TeX safely: no shell escape, paranoid file access, a timeout, atomic output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import RenderError

TIMEOUT = 90
INSTALL_HINT = ("no TeX found: install it with `apt-get install --no-install-recommends "
                "texlive-latex-recommended latexmk lmodern` to get PDFs")


def have_tex() -> bool:
    return bool(shutil.which("latexmk") and shutil.which("pdflatex"))


def atomic_write(path: Path, data) -> None:
    """Write next to ``path`` and rename, so a failure never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def compile_pdf(source: str, pdf_path: Path, timeout: int = TIMEOUT) -> float:
    """Compile LaTeX ``source`` into ``pdf_path``; return TeX's wall time.

    The previous PDF stays in place unless the new one compiled completely.
    """
    import time
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="derive-tex-") as work:
        tex = Path(work) / "doc.tex"
        tex.write_text(source, encoding="utf-8")
        env = dict(os.environ, openin_any="p", openout_any="p", shell_escape="f")
        cmd = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
               "-file-line-error", "-no-shell-escape", "-quiet", f"-outdir={work}", tex.name]
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise RenderError(f"TeX ran for over {timeout} s and was stopped; "
                              f"{pdf_path} was left as it was") from None
        except FileNotFoundError:
            raise RenderError(INSTALL_HINT) from None
        seconds = time.perf_counter() - start
        produced = Path(work) / "doc.pdf"
        if proc.returncode != 0 or not produced.exists():
            log = (Path(work) / "doc.log")
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else proc.stdout
            raise RenderError(describe_error(text, source) + f"; {pdf_path} was left as it was")
        atomic_write(pdf_path, produced.read_bytes())
        return seconds


def describe_error(log: str, source: str) -> str:
    """The first TeX error in a log, with the line of the source it points at."""
    lines = source.splitlines()
    m = re.search(r"^\./doc\.tex:(\d+): (.*)$", log, re.M)
    if not m:
        m2 = re.search(r"^! (.*)$", log, re.M)
        where = re.search(r"^l\.(\d+) ", log, re.M)
        if not m2:
            return "LaTeX failed without a recognisable error message"
        number = int(where.group(1)) if where else None
        message = m2.group(1)
    else:
        number, message = int(m.group(1)), m.group(2)
    if number and 0 < number <= len(lines):
        return f"LaTeX error at line {number}: {message.strip()} — in: {lines[number - 1].strip()[:160]}"
    return f"LaTeX error: {message.strip()}"
