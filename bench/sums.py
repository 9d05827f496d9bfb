"""Benchmark the examples with sums, matrices and expectations: per-step times, cold.

    python bench/sums.py [--rounds 3]

Each round runs `derive check EXAMPLES --json` as a fresh process with no verdict
cache and records every step's seconds (the wall time the checker reports) and
the process's CPU time; then, in this process, each step's CPU time (what the
budgets count, and what a busy machine does not inflate). Prints the median step
(target ≤ 30 ms, product.md), the slowest steps and each example's checking
time, medians over the rounds. Raw numbers go to bench/results/sums.json.
Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["softmax-cross-entropy", "ridge-regression", "gaussian-mle", "cauchy-schwarz", "hessian-saddle",
            "logistic-hessian", "bias-variance"]
TARGET_MEDIAN = 0.030


def one_round():
    """({(example, step): seconds}, CPU seconds of the process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "cli.py", "check", "--json", "--no-cache",
                           *[f"examples/{e}.md" for e in EXAMPLES]],
                          cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, DERIVE_NO_CACHE="1"))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if not proc.stdout.strip():
        raise SystemExit(f"check --json printed nothing (exit {proc.returncode}): {proc.stderr[-500:]}")
    doc = json.loads(proc.stdout)
    steps = {(d["id"], f"{s['part']}.{s['index']}"): (s["seconds"], s["status"])
             for d in doc["derivations"] for s in d["steps"]}
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return steps, cpu


def cpu_per_step():
    """{(example, step): CPU seconds}, checked in this process (SymPy imported once)."""
    import time
    sys.path.insert(0, str(ROOT))
    os.environ["DERIVE_NO_CACHE"] = "1"
    from derive.checks import check_derivation, driver
    from derive.source import load_file
    out, original = {}, driver.check_step

    def timed(derivation, *args, **kwargs):
        start = time.process_time()
        verdict = original(derivation, *args, **kwargs)
        out[(derivation.id, id(args[0]))] = time.process_time() - start
        return verdict
    driver.check_step = timed
    try:
        for e in EXAMPLES:
            check_derivation(load_file(ROOT / "examples" / f"{e}.md"))
    finally:
        driver.check_step = original
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    rounds = [one_round() for _ in range(args.rounds)]
    keys = list(rounds[0][0])
    median = {k: statistics.median(r[0][k][0] for r in rounds) for k in keys}
    status = {k: rounds[0][0][k][1] for k in keys}
    med_step = statistics.median(median.values())
    print("| measure | result | target |\n|---|---|---|")
    print(f"| median step ({len(keys)} steps) | {med_step * 1000:.1f} ms | ≤ {TARGET_MEDIAN * 1000:.0f} ms "
          f"{'✓' if med_step <= TARGET_MEDIAN else '✗'} |")
    for e in dict.fromkeys(k[0] for k in keys):
        total = sum(v for k, v in median.items() if k[0] == e)
        print(f"| {e}: checking time | {total:.2f} s | |")
    slow = sorted(median.items(), key=lambda kv: -kv[1])[:3]
    print("| slowest 3 steps | " + "; ".join(f"{k[0]} {k[1]} {v * 1000:.0f} ms" for k, v in slow) + " | |")
    print(f"| process CPU (cold, incl. imports) | {statistics.median(r[1] for r in rounds):.2f} s | |")
    cpu = cpu_per_step()
    med_cpu = statistics.median(cpu.values())
    print(f"| median step, CPU time in one process | {med_cpu * 1000:.1f} ms | ≤ {TARGET_MEDIAN * 1000:.0f} ms "
          f"{'✓' if med_cpu <= TARGET_MEDIAN else '✗'} |")
    print(f"| slowest step, CPU time | {max(cpu.values()) * 1000:.0f} ms | |")
    unsettled = [f"{k[0]} {k[1]} {s}" for k, s in status.items() if s not in ("proved", "cited")]
    print(f"| steps not proved | {', '.join(unsettled) or 'none'} | none |")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "sums.json").write_text(json.dumps(
        {"rounds": [{f"{k[0]} {k[1]}": v for k, (v, _) in r[0].items()} for r in rounds],
         "cpu": [r[1] for r in rounds]}, indent=1))


if __name__ == "__main__":
    main()
