"""Where a parallel `derive check` spends its CPU: the parent before and after the workers, and each worker.

    python bench/critical.py check all --no-cache

Runs the command once in a fresh process from the source tree and prints JSON:
``before`` (the parent's CPU when it hands out the first task: start-up, imports,
reading), ``parent`` (its CPU at the end), and ``workers`` (each forked worker's CPU
inside its tasks). On an idle machine the wall time is about ``parent`` plus the
busiest worker: the critical path. Reports, never asserts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, mmap, os, struct, sys, time
sys.path.insert(0, {root!r})
from derive.checks import parallel
shared = mmap.mmap(-1, 8 * 4096)
real = parallel.run
before = []

def run(tasks, work, jobs=None, size=None):
    before.append(time.process_time())
    def timed(task):
        start = time.process_time()
        try:
            return work(task)
        finally:
            slot = 8 * (os.getpid() % 4096)
            spent = time.process_time() - start
            struct.pack_into("d", shared, slot, struct.unpack_from("d", shared, slot)[0] + spent)
    return real(tasks, timed, jobs, size)

parallel.run = run
import cli
try:
    cli.main({argv!r})
except SystemExit:
    pass
workers = [struct.unpack_from("d", shared, 8 * i)[0] for i in range(4096)]
print(json.dumps({{"before": before[0] if before else None, "parent": time.process_time(),
                  "workers": [w for w in workers if w > 0]}}))
"""


def measure(argv, python=sys.executable) -> dict:
    """{"before", "parent", "workers"} of one fresh `derive ARGV` process (see the module doc)."""
    out = subprocess.run([python, "-c", CHILD.format(root=str(ROOT), argv=list(argv))],
                         cwd=ROOT, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1:])))
