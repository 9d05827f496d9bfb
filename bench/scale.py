"""Speed at scale: steps per second, the growth exponent, big steps, many files on many cores.

    python bench/scale.py [--rounds 3] [--sizes 10,100,500,2000] [--quick]

Every figure comes from fresh `derive check --no-cache` processes started from the
source tree (cold: reading included), with CPU time (the children's user + system
time, all worker processes included) beside wall time. Commands that are compared
run alternately within each round, so drift on a shared machine hits them alike;
medians are printed. Files come from bench/generate.py. Prints Markdown tables for
the README; raw numbers go to bench/results/scale.json. Reports, never asserts.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT / "bench"))
import critical  # noqa: E402
import generate  # noqa: E402
import tree  # noqa: E402

COLD = {"DERIVE_NO_CACHE": "1"}


def run(argv, env=None):
    """(wall s, CPU s of the process and its children, exit code, stdout) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, **COLD, **(env or {})))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode, proc.stdout


def check(files, jobs=1, json_out=False):
    argv = [PY, "cli.py", "check", *map(str, files), "--no-cache", "--jobs", str(jobs)]
    return run(argv + (["--json"] if json_out else []))


def alternate(commands: dict, rounds: int) -> dict:
    """name -> [(wall, cpu, code)], each round running every command once, rotated."""
    out = {name: [] for name in commands}
    names = list(commands)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            wall, cpu, code, _ = commands[name]()
            out[name].append((wall, cpu, code))
        print(f"round {r + 1}/{rounds} done", file=sys.stderr)
    return out


def median(rows, k):
    return statistics.median(row[k] for row in rows)


def exponent(points):
    """Least-squares slope of log(cost) against log(size)."""
    xs = [math.log(s) for s, _ in points]
    ys = [math.log(c) for _, c in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def throughput(tmp: Path, sizes, rounds):
    files = {}
    for n in sizes:
        path = tmp / f"steps-{n}.md"
        path.write_text(generate.steps_file(n), encoding="utf-8")
        files[n] = path
    commands = {"import sympy": lambda: run([PY, "-c", "import sympy"])}
    commands.update({n: (lambda p=files[n]: check([p])) for n in sizes})
    times = alternate(commands, rounds)
    base = median(times["import sympy"], 1)
    rows, points = [], []
    for n in sizes:
        wall, cpu = median(times[n], 0), median(times[n], 1)
        codes = sorted({c for _, _, c in times[n]})
        points.append((n, cpu))
        rows.append((n, wall, cpu, n / cpu, n / max(cpu - base, 1e-9), codes))
    big = [p for p in points if p[0] >= 100]
    return rows, exponent(big if len(big) >= 2 else points), base, files


def reading(files):
    """ms of CPU per step to read each file, in one process (SymPy already imported)."""
    code = ("import sys, time, sympy\nfrom derive.source import load_file\nout = []\n"
            "for f in sys.argv[1:]:\n    t = time.process_time(); d = load_file(f)\n"
            "    n = sum(len(p.steps) for p in d.parts)\n"
            "    out.append((f, n, time.process_time() - t))\nprint(out)")
    _, _, _, stdout = run([PY, "-c", code, *map(str, files)])
    return [(Path(f).name, n, 1000 * s / n) for f, n, s in eval(stdout)]  # noqa: S307 - our own output


def big_steps(tmp: Path, quick: bool):
    """(case, size, status, method, step wall seconds, the process's CPU) for the big-step
    files, and the CPU of a process checking a one-step file (what is not the big step).
    A difference of the two would go negative with the machine's noise: both are shown."""
    cases = [("sigma", [4, 8, 16] if quick else [4, 8, 16, 32, 40, 48, 64]),
             ("product", [10, 20] if quick else [10, 20, 40, 80, 120, 160])]
    small = tmp / "one-step.md"
    small.write_text(generate.product_file(1), encoding="utf-8")
    base = statistics.median(check([small])[1] for _ in range(3))
    out = []
    for kind, sizes in cases:
        for n in sizes:
            path = tmp / f"{kind}-{n}.md"
            path.write_text(generate.KINDS[kind](n), encoding="utf-8")
            wall, cpu, code, stdout = check([path], json_out=True)
            try:
                step = json.loads(stdout)["derivations"][0]["steps"][0]
                out.append((kind, n, step["status"], step["method"], step["seconds"], cpu))
            except (ValueError, KeyError, IndexError):
                out.append((kind, n, f"exit {code}", "", float("nan"), cpu))
    return out, base


def critical_path(files, jobs):
    """(parent CPU, [each worker's CPU in its tasks]) of one `check --jobs N` run: on an
    idle machine its wall time would be about the parent's CPU plus the busiest worker's."""
    data = critical.measure(["check", *map(str, files), "--no-cache", "--jobs", str(jobs)], PY)
    return data["parent"], data["workers"]


def many_files(tmp: Path, count: int, steps: int, rounds: int, jobs: int):
    files = []
    for i in range(count):
        path = tmp / f"file-{i:02d}.md"
        path.write_text(generate.steps_file(steps, start=1000 * (i + 1)), encoding="utf-8")
        files.append(path)
    times = alternate({"1 job": lambda: check(files, 1),
                       f"{jobs} jobs": lambda: check(files, jobs)}, rounds)
    one, many = times["1 job"], times[f"{jobs} jobs"]
    paired = statistics.median(a[0] / b[0] for a, b in zip(one, many))
    paths = [critical_path(files, jobs) for _ in range(rounds)]
    estimate = statistics.median(median(one, 1) / (parent + max(workers or [0]))
                                 for parent, workers in paths)
    return one, many, paired, estimate, paths


# CPU-bound pure Python (dict traffic, no I/O): what the machine gives two processes at once.
LOOP = ("d = {}\ns = 0\nfor i in range(3_000_000):\n    d[i % 1000] = i\n"
        "    s += d.get(i % 777, 0)\n")


def ceiling(rounds: int, jobs: int) -> float:
    """The machine's own speed-up for ``jobs`` copies of LOOP against one, alternating in
    each round (median of jobs × solo / together): no derive in it, so it bounds what
    ``--jobs`` can show here. A VM's cores may be hyper-threads or shared with neighbours."""
    def together(n):
        start = time.perf_counter()
        procs = [subprocess.Popen([PY, "-c", LOOP]) for _ in range(n)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - start
    ratios = []
    for _ in range(rounds):
        solo = together(1)
        ratios.append(jobs * solo / together(jobs))
    return statistics.median(ratios)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="10,100,500,2000")
    parser.add_argument("--files", type=int, default=20, help="files for the many-files run")
    parser.add_argument("--steps", type=int, default=25, help="steps in each of those files")
    parser.add_argument("--jobs", type=int, default=2, help="workers for the many-files run")
    parser.add_argument("--quick", action="store_true", help="small big-step cases only")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="derive-scale-"))
    tree.compile_sources()

    rows, slope, base, files = throughput(tmp, sizes, args.rounds)
    print("| steps | wall | CPU | steps / CPU-s | steps / CPU-s over `import sympy` | exit |")
    print("| ---: | ---: | ---: | ---: | ---: | --- |")
    for n, wall, cpu, rate, marginal, codes in rows:
        print(f"| {n} | {wall:.2f} s | {cpu:.2f} s | {rate:.0f} | {marginal:.0f} | {codes} |")
    fitted = [s for s in sizes if s >= 100]
    fitted = fitted if len(fitted) >= 2 else sizes
    print(f"\ngrowth exponent (CPU against steps, {min(fitted)}–{max(fitted)} steps): {slope:.2f}; "
          f"`import sympy` {base:.2f} s CPU\n")

    read = reading([files[n] for n in sizes])
    print("| file | steps | reading, CPU ms per step |")
    print("| --- | ---: | ---: |")
    for name, n, ms in read:
        print(f"| {name} | {n} | {ms:.2f} |")

    one, many, paired, estimate, paths = many_files(tmp, args.files, args.steps, args.rounds,
                                                    args.jobs)
    parent, workers = paths[0]
    machine = ceiling(max(args.rounds, 5), args.jobs)
    print(f"\n{args.files} files of {args.steps} steps: 1 job {median(one, 0):.2f} s wall "
          f"({median(one, 1):.2f} s CPU), {args.jobs} jobs {median(many, 0):.2f} s wall "
          f"({median(many, 1):.2f} s CPU): **{median(one, 0) / median(many, 0):.2f} ×** wall "
          f"(paired {paired:.2f} ×); by CPU on the critical path (the parent's CPU plus the "
          f"busiest worker's: {parent:.2f} s + max of {', '.join(f'{w:.2f}' for w in workers)} s) "
          f"**{estimate:.2f} ×**; this machine's own ceiling ({args.jobs} copies of a pure-Python "
          f"loop against one, alternating) **{machine:.2f} ×**\n")

    big, one_step = big_steps(tmp, args.quick)
    print(f"(a process checking a one-step file: {one_step:.2f} s of CPU)")
    print("| case | size | status | method | step, wall | process CPU |")
    print("| --- | ---: | --- | --- | ---: | ---: |")
    for kind, n, status, method, seconds, cpu in big:
        print(f"| {kind} | {n} | {status} | {method} | {seconds:.2f} s | {cpu:.2f} s |")
    print(f"\n{args.rounds} alternating rounds, medians; {os.cpu_count()} cores (shared), "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}.")

    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "scale.json").write_text(json.dumps({
        "throughput": rows, "exponent": slope, "import_sympy_cpu": base, "reading": read,
        "many_files": {"one": one, "many": many, "paired": paired, "critical_path": paths,
                       "estimate": estimate, "machine_ceiling": machine}, "big_steps": big, "one_step_cpu": one_step}, indent=1))


if __name__ == "__main__":
    main()
