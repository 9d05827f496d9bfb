"""The terminal: lines fit COLUMNS, colour and progress on a TTY only, NO_COLOR, safe text."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from derive.terminal import cells, visible

ROOT = Path(__file__).resolve().parents[2]
ESC = "\x1b"

GOOD = r"""---
title: squares
symbols:
  - x, y \in \mathbb{R}
---

## (a) A square

$$
(x + y)^2 = x^2 + 2 x y + y^2   % algebra
$$
"""
SAMPLED = r"""---
title: sampled
symbols:
  - x \in \mathbb{R}
---

## (a) Only checked

$$
\sin(x) \le 1   % sign
$$
"""


def invoke(*args, env=None):
    return CliRunner(env=env).invoke(cli.main, list(args))


def on_a_tty(args, env, timeout=180, drop=()):
    """Run derive with stdout and stderr on a pseudo-terminal; everything it wrote."""
    master, slave = pty.openpty()
    env = {k: v for k, v in dict(os.environ, **env).items() if k not in drop}
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), *args], stdin=slave,
                            stdout=slave, stderr=slave, env=env, cwd=ROOT)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:              # EIO: the other side closed
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=timeout)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DERIVE_NO_CACHE", raising=False)
    return tmp_path


# -- width ---------------------------------------------------------------------

@pytest.mark.parametrize("width", [80, 60, 120])
def test_every_line_fits_the_width_and_the_columns_line_up(width):
    result = invoke("check", "q6", "q4", env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(cells(line) for line in lines) <= width
    firsts = [line for line in lines if re.match(r"^\S [a-z]+\.\d+ ", line)]
    assert len(firsts) == sum(json.loads(invoke("check", "q6", "q4", "--json").stdout)["summary"][s]
                              for s in ("proved", "checked", "cited", "failed", "unknown"))
    # Method and time end in the same columns on every step's first line, per derivation.
    for derivation in ("q6", "q4"):
        block = lines[lines.index(next(l for l in lines if l.startswith(f"{derivation}:"))) + 1:]
        # Its own lines only: the next derivation aligns its columns on its own times.
        block = block[:next((k for k, l in enumerate(block) if re.match(r"^q\d+: ", l)), len(block))]
        block = [l for l in block if re.match(r"^\S [a-z]+\.\d+ ", l)]
        ends = {cells(l) for l in block if l.endswith(" ms")}
        brackets = {cells(l[:l.rindex("[")]) for l in block}
        assert len(ends) == 1 and len(brackets) == 1, (derivation, ends, brackets)


def test_piped_without_columns_nothing_is_cut():
    result = invoke("check", "q6", env={"COLUMNS": ""})
    assert "…" not in result.stdout
    assert "[chain rule: cancel+identical in 4 sign cases]" in result.stdout


# -- colour and progress -------------------------------------------------------------

def test_on_a_tty_marks_are_coloured_and_progress_is_shown(here):
    (here / "f.md").write_text(GOOD, encoding="utf-8")
    code, out = on_a_tty(["check", "q6", str(here / "f.md"), "--no-cache"],
                         {"DERIVE_PROGRESS_DELAY": "0", "COLUMNS": "100", "TERM": "xterm"},
                         drop=("NO_COLOR",))
    assert code == 0, out
    assert f"{ESC}[32m✓{ESC}[0m a.1" in out
    assert re.search(r"checking \d+/26 steps", out)
    assert "\r\x1b[K" in out                      # the live line is cleared when done


def test_no_color_turns_colour_off_on_a_tty(here):
    env = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "xterm", "DERIVE_PROGRESS_DELAY": "100"}
    code, out = on_a_tty(["check", "q6"], env)
    assert code == 0, out
    assert ESC not in out and "✓ a.1" in out


def test_piped_output_is_plain(here):
    proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", "q6", "--no-cache"],
                          capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, DERIVE_PROGRESS_DELAY="0", TERM="xterm"))
    assert proc.returncode == 0
    assert ESC not in proc.stdout + proc.stderr and "checking" not in proc.stderr


# -- what is said ---------------------------------------------------------------

def test_a_cached_run_says_so(here):
    (here / "f.md").write_text(GOOD, encoding="utf-8")
    first = invoke("check", "f.md")
    assert re.search(r"^1 step: 1 proved in \d+\.\d\d s$", first.stdout, re.M)
    again = invoke("check", "f.md")
    assert again.stdout.splitlines()[-1] == "1 step: 1 proved (cached)"
    doc = json.loads(invoke("check", "f.md", "--json").stdout)
    assert doc["summary"]["cached"] is True and doc["summary"]["seconds"] == 0
    assert doc["derivations"][0]["steps"][0]["cached"] is True


def test_a_prose_question_says_it_has_no_steps():
    result = invoke("check", "q1")
    assert (result.exit_code, result.stdout) == (0, "q1 has no derivation steps (prose)\n")


def test_json_steps_carry_their_place(here):
    (here / "f.md").write_text(GOOD, encoding="utf-8")
    doc = json.loads(invoke("check", "f.md", "--json").stdout)
    (step,) = doc["derivations"][0]["steps"]
    assert (step["file"], step["line"], step["column"]) == ("f.md", 10, 1)
    assert doc["derivations"][0]["source"] == "f.md"


def test_strict_fails_a_step_that_is_only_checked(here):
    (here / "f.md").write_text(SAMPLED, encoding="utf-8")
    plain = invoke("check", "f.md", "--no-cache")
    statuses = re.findall(r"^(\S) a\.1", plain.stdout, re.M)
    if statuses != ["≈"]:
        pytest.skip(f"this step is no longer only sampled ({statuses})")
    assert plain.exit_code == 0
    strict = invoke("check", "f.md", "--strict")
    assert strict.exit_code == 1
    assert strict.stdout.splitlines()[-1].endswith("; --strict: 1 not proved or cited (1 only checked)")


def test_a_title_cannot_drive_the_terminal(monkeypatch):
    # A file's control characters are refused when it is read; a title from elsewhere (a
    # derivation built in Python) is still shown, never sent.
    from derive.build import Builder
    b = Builder("esc", "a\x1b]0;owned\x07 \x1b[2J b")
    x = b.var("x")
    b.part("a", "A")
    b.step(x + x, "=", 2 * x, "algebra")
    derivation = b.build(source="esc.py")
    monkeypatch.setenv("DERIVE_NO_CACHE", "1")
    monkeypatch.setattr("derive.targets.plan", lambda targets: [derivation])
    for args in (["check", "esc"], ["list"]):
        result = invoke(*args)
        assert ESC not in result.output and "\x07" not in result.output, result.output
        assert "a\\x1b]0;owned\\x07 \\x1b[2J b" in result.output


@pytest.mark.parametrize("text, shown", [("a\x1b[2Jb", "a\\x1b[2Jb"), ("bell\x07", "bell\\x07"),
                                         ("rtl\u202eevil", "rtl\\u202eevil"), ("tab\there", "tab here"),
                                         ("∂ℓ/∂ŷ", "∂ℓ/∂ŷ")])
def test_visible(text, shown):
    assert visible(text) == shown


def test_an_ascii_only_stream_gets_ascii_marks():
    proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", "q6"], capture_output=True,
                          cwd=ROOT, env=dict(os.environ, PYTHONIOENCODING="latin-1"))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("latin-1")
    assert out.splitlines()[1].startswith("ok a.1 ") and "Traceback" not in proc.stderr.decode()
