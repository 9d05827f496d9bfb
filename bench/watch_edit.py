"""Time `derive watch` on a one-step edit of a generated derivation file.

    python bench/watch_edit.py [--steps 100] [--edits 10]

Starts `derive watch` on a generated file of STEPS steps, then, EDITS times,
rewrites one step so that it is wrong (a coefficient off by one) and times
from the write to the line with that step's new verdict on watch's output; then
puts it back (a verdict watch has seen, recalled) and times that too. Reports
medians and maxima, wall clock, beside what watch itself reports (reading and
checking, in ms). Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"(\d+) re-checked in (\d+) ms")


def corpus(steps: int) -> str:
    """A derivation file of ``steps`` steps: expansions, derivatives, signs, cancellations,
    each with its own coefficients (no two steps alike)."""
    head = ["---", "id: generated", "title: A generated derivation", "symbols:",
            "  - x, y \\in \\mathbb{R}", "  - t > 0", "---", "", "## (a) Generated steps", ""]
    blocks, n, k = [], 0, 0
    while n < steps:
        k += 1
        kind = [
            [f"(x + {k} y)^2 = x^2 + {2 * k} x y + {k * k} y^2   % algebra",
             f"  = (x + {k} y)(x + {k} y)   % algebra"],
            [f"\\frac{{\\partial}}{{\\partial x}}\\left({k} x^3 + y x\\right) = {3 * k} x^2 + y"
             "   % derivative"],
            [f"{k} t^2 + \\frac{{1}}{{t}} > 0   % sign"],
            [f"\\frac{{x^2 - {k * k}}}{{x - {k}}} = x + {k}   % algebra for x \\ne {k}"],
        ][k % 4][:steps - n]
        blocks += ["$$", *kind, "$$", ""]
        n += len(kind)
    return "\n".join(head + blocks)


def break_step(text: str, k: int) -> tuple[str, str]:
    """The text with the derivative step of coefficient ``k`` (k ≡ 1 mod 4) made wrong,
    and that step's right side as watch prints it."""
    right = f"= {3 * k} x^2 + y"
    assert right in text, k
    return text.replace(right, f"= {3 * k + 1} x^2 + y"), f"{3 * k + 1}·x² + y"


class Watch:
    """`derive watch FILE` in a child process, its output lines timestamped as they come."""

    def __init__(self, path: Path, env=None):
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "watch", str(path)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     cwd=path.parent, env=env, bufsize=1)
        self.lines: queue.Queue = queue.Queue()
        self.errors: list = []
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines), daemon=True).start()
        self.err_lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self.err_lines), daemon=True).start()

    @staticmethod
    def _pump(stream, out):
        for line in stream:
            out.put((time.perf_counter(), line.rstrip("\n")))

    def until(self, pattern: str, timeout: float = 60.0, stream=None) -> list:
        """Lines up to and including the first that contains ``pattern``: [(time, line)]."""
        stream = stream or self.lines
        got, deadline = [], time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no line with {pattern!r}; saw {[l for _, l in got]}")
            try:
                item = stream.get(timeout=left)
            except queue.Empty:
                continue
            got.append(item)
            if pattern in item[1]:
                return got

    def stop(self, timeout: float = 20.0) -> tuple[int, str]:
        """Ctrl-C; the exit status and whatever it wrote to stderr afterwards."""
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=timeout)
        time.sleep(0.1)
        rest = []
        while not self.err_lines.empty():
            rest.append(self.err_lines.get()[1])
        return code, "\n".join(rest)


def write(path: Path, text: str) -> float:
    path.write_text(text, encoding="utf-8")
    return time.perf_counter()


def cpu_ms(pid: int) -> float:
    """The process's CPU time so far (Linux: /proc/PID/schedstat, in ns), in ms."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        return float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--edits", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.md"
        text = corpus(args.steps)
        path.write_text(text, encoding="utf-8")
        env = dict(os.environ, DERIVE_CACHE_DIR=str(Path(tmp) / "cache"))
        w = Watch(path, env)
        w.until("watching", stream=w.err_lines)
        first = [line for _, line in w.until("re-checked")]
        wrong, back = [], []
        ks = [k for k in range(1, 4 * args.steps) if k % 4 == 1 and f"= {3 * k} x^2" in text]
        for k in ks[:: max(1, len(ks) // args.edits)][:args.edits]:
            broken, shown = break_step(text, k)
            c0, t0 = cpu_ms(w.proc.pid), write(path, broken)
            lines = w.until("re-checked")
            verdict = next(t for t, line in lines if shown in line and line.startswith("✗"))
            wrong.append((verdict - t0, int(SUMMARY.search(lines[-1][1]).group(2)),
                          cpu_ms(w.proc.pid) - c0))
            c0, t0 = cpu_ms(w.proc.pid), write(path, text)
            lines = w.until("re-checked")
            verdict = next(t for t, line in lines if line.startswith("✓"))
            back.append((verdict - t0, int(SUMMARY.search(lines[-1][1]).group(2)),
                         cpu_ms(w.proc.pid) - c0))
        code, err = w.stop()
    print(f"derive watch, {args.steps}-step generated file; first check: {first[-1]}")
    for name, got in (("edit → ✗ (new step checked)", wrong), ("undo → ✓ (verdict recalled)", back)):
        walls = [g[0] * 1000 for g in got]
        own = [g[1] for g in got]
        cpu = [g[2] for g in got]
        print(f"| {name} | save → verdict line: median {statistics.median(walls):.0f} ms, max "
              f"{max(walls):.0f} ms | watch's own count: median {statistics.median(own):.0f} ms, "
              f"max {max(own):.0f} ms | CPU of the watch process: median "
              f"{statistics.median(cpu):.0f} ms, max {max(cpu):.0f} ms |")
    print(f"Ctrl-C: exit status {code}; traceback: {'yes' if 'Traceback' in err else 'no'}")
    print(f"{len(wrong)} edits; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
          f"Python {sys.version.split()[0]}; wall time "
          "includes the file system event (watchfiles waits 10 ms for more changes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
