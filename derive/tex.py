"""Running TeX safely: no shell escape, paranoid file access, a timeout, atomic output."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from .errors import RenderError

TIMEOUT = 90
INSTALL_HINT = ("no TeX found, so no PDF: install it (apt-get install --no-install-recommends "
                "texlive-latex-recommended latexmk lmodern) and run this command again")


def have_tex() -> bool:
    return bool(shutil.which("latexmk") and shutil.which("pdflatex"))


def atomic_write(path: Path, data, mode: int | None = None) -> None:
    """Write next to ``path`` and rename, so a failure never leaves half a file.

    The directory must exist (a missing one is the caller's error to report, as
    `cp` does); ``mode`` defaults to what the umask allows a new file.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", dir=path.parent)
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def compile_pdf(source: str, pdf_path: Path, timeout: int = TIMEOUT, log_path=None,
                files=None, origins=None) -> float:
    """Compile LaTeX ``source`` into ``pdf_path``; return TeX's wall time.

    The previous PDF stays in place unless the new one compiled completely.
    ``log_path``, when given, receives TeX's log (for overfull-box checks).
    ``files`` (relative path -> bytes) are put beside it: an annotated document's figures;
    ``origins`` (annotate.Annotated.origins) has a TeX error told at the author's file and line.
    """
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="derive-tex-") as work:
        tex = Path(work) / "doc.tex"
        tex.write_text(source, encoding="utf-8")
        for name, data in (files or {}).items():
            target = Path(work) / name
            if Path(name).is_absolute() or ".." in Path(name).parts or name.startswith("doc."):
                raise RenderError(f"refusing to place {name!r} beside the document")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        # openin_any=p: TeX may read only files below the working directory
        # (Debian's default lets \input{/etc/passwd} through).
        env = dict(os.environ, openin_any="p", openout_any="p", shell_escape="f")
        cmd = ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
               "-file-line-error", "-no-shell-escape", "-quiet", f"-outdir={work}", tex.name]
        start = time.perf_counter()
        proc = None
        # A signal that lands while Popen is still returning would leave TeX running
        # with nobody knowing its pid: such signals wait until ``proc`` is set (TeX itself
        # starts with them blocked too; it is only ever stopped with SIGKILL).
        blocked = _block_signals()
        try:
            try:
                # A session of its own, so a timeout stops pdflatex as well as latexmk.
                proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        text=True, errors="replace", start_new_session=True)
            except FileNotFoundError:
                raise RenderError(INSTALL_HINT) from None
            finally:
                _unblock_signals(blocked)
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise RenderError(f"TeX ran for over {timeout:g} s and was stopped; "
                              f"{pdf_path} was left as it was") from None
        except BaseException:
            # Ctrl-C, SIGTERM, SIGHUP: TeX runs in a session of its own, so nothing
            # else would stop it; the temporary directory goes with this `with`.
            if proc is not None:
                _kill_group(proc)
            raise
        seconds = time.perf_counter() - start
        produced, log = Path(work) / "doc.pdf", Path(work) / "doc.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else output
        if log_path is not None:
            atomic_write(Path(log_path), text)
        if proc.returncode != 0 or not produced.exists():
            raise RenderError(describe_error(text, source, origins) + f"; {pdf_path} was left as it was")
        atomic_write(pdf_path, produced.read_bytes())
        return seconds


_STOPPING = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


def _block_signals():
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)


def _unblock_signals(previous) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _kill_group(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=10)
    except (subprocess.TimeoutExpired, OSError, ValueError):
        pass


def describe_error(log: str, source: str, origins=None) -> str:
    """The first TeX error in a log, with the line of the source it points at: with
    ``origins``, the author's file and line rather than the annotated copy's."""
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
    if not (number and 0 < number <= len(lines)):
        return f"LaTeX error: {message.strip()}"
    shown = re.sub(r"\\derivemark\{\d+\}", "", lines[number - 1]).strip()[:160]
    if origins is None or number > len(origins):
        return f"LaTeX error at line {number}: {message.strip()} — in: {shown}"
    if origins[number - 1] is None:
        return (f"LaTeX error in the marks derive adds to the document (line {number} of the "
                f"annotated copy): {message.strip()}")
    file, line = origins[number - 1]
    return f"{file}:{line}: LaTeX error: {message.strip()} — in: {shown}"
