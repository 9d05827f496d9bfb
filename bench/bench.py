"""Benchmark the budgets of product.md on this machine, both sides in the same run.

    python bench/bench.py [--rounds 5] [--no-pdf]

Runs, alternating within each round, `python -c "import sympy"`, `derive check q6`
and `derive check all` cold (DERIVE_NO_CACHE=1), `derive check all` with a warm
verdict cache (a scratch DERIVE_CACHE_DIR primed once), the floor (`check all` with
every step's check instant, bench/floor.py), and `derive --help`, each
as a fresh process from the source tree (`sys.executable cli.py ...`, its bytecode
compiled first, as an installed copy's is: bench/tree.py); then
per-step times from an uncached `derive check all --json`; then where cold `check all`
spends its CPU, the parent's and each worker's (bench/critical.py); then (when TeX is
installed) `derive render all --to pdf` minus the TeX time it reports. CPU time (user +
system, the workers' included) is measured beside wall time; on a shared machine the
paired CPU ratio is the figure to trust. Prints a
Markdown table for the README; raw numbers go to bench/results/latest.json.
Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import critical  # noqa: E402
import tree  # noqa: E402
PY = sys.executable

COLD = {"DERIVE_NO_CACHE": "1"}
WARM_DIR = tempfile.mkdtemp(prefix="derive-bench-cache-")
WARM = {"DERIVE_CACHE_DIR": WARM_DIR}

COMMANDS = {  # name: (argv, extra environment)
    "import sympy": ([PY, "-c", "import sympy"], {}),
    "check q6": ([PY, "cli.py", "check", "q6"], COLD),
    "check all": ([PY, "cli.py", "check", "all"], COLD),
    "check all, warm cache": ([PY, "cli.py", "check", "all"], WARM),
    "check all, floor": ([PY, "bench/floor.py", "check", "all", "--no-cache"], COLD),
    "--help": ([PY, "cli.py", "--help"], {}),
}

TARGETS = {  # product.md's budgets
    "check q6": 1.3,       # × import sympy (issue 2)
    "check all": 1.8,      # × import sympy (issue 12)
    "check all, warm cache": 0.4,   # × import sympy (issue 12)
    "--help": 0.2,         # seconds
    "median step": 0.020,  # seconds
    "pdf overhead": 1.0,   # seconds over the TeX engine's own time
}


CPU = {}                  # name -> CPU seconds (user + system, children included) per run


def run(cmd, env=None, cwd=ROOT, cpu=None):
    """(wall seconds, exit code, stdout, stderr) of one fresh process; its CPU seconds
    (its workers' included) are appended to ``cpu`` when given."""
    full = dict(os.environ, **(env or {}))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=full)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, proc.returncode, proc.stdout, proc.stderr


def alternate(rounds):
    """Each round runs every command once, in a rotating order, so drift hits all alike."""
    times = {name: [] for name in COMMANDS}
    codes = {name: set() for name in COMMANDS}
    names = list(COMMANDS)
    run(*COMMANDS["check all, warm cache"])          # prime the warm cache
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            seconds, code, _, _ = run(*COMMANDS[name], cpu=CPU.setdefault(name, []))
            times[name].append(seconds)
            codes[name].add(code)
        print(f"round {r + 1}/{rounds}: " + ", ".join(f"{n} {times[n][-1]:.2f}s" for n in names),
              file=sys.stderr)
    return times, codes


def help_imports_sympy():
    _, _, _, err = run([PY, "-X", "importtime", "cli.py", "--help"])
    return any(line.split("|")[-1].strip().split(".")[0] == "sympy"
               for line in err.splitlines() if "|" in line)


def step_times():
    """[(id, part.index, status, method, seconds)] from one cold `check all --json`."""
    _, code, out, err = run([PY, "cli.py", "check", "all", "--json"], COLD)
    if not out.strip():
        raise SystemExit(f"check all --json printed nothing (exit {code}): {err[-500:]}")
    doc = json.loads(out)
    return [(d["id"], f"{s['part']}.{s['index']}", s["status"], s["method"], s["seconds"])
            for d in doc["derivations"] for s in d["steps"]]


def pdf_overhead(env=COLD):
    """(wall, TeX seconds) of `render all --to pdf` into a scratch directory, or None."""
    if not shutil.which("latexmk"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        seconds, code, out, err = run([PY, "cli.py", "render", "all", "--to", "pdf",
                                       "-o", os.path.join(tmp, "solutions.pdf")], env)
    m = re.search(r"TeX ([\d.]+) s", out + err)
    if not m:
        print(f"render did not report a TeX time (exit {code}): {(out + err)[-300:]}", file=sys.stderr)
        return None
    return seconds, float(m.group(1))


def mark(ok):
    return "✓" if ok else "✗"


def table(times, codes, steps, pdf, sympy_in_help, rounds, paths=()):
    med = {name: statistics.median(ts) for name, ts in times.items()}
    base = med["import sympy"]
    rows = [("measure", "result", "target", ""), ("---", "---", "---", "---")]
    rows.append(('`python -c "import sympy"`', f"{base:.2f} s (range {min(times['import sympy']):.2f}–"
                 f"{max(times['import sympy']):.2f}); CPU {statistics.median(CPU['import sympy']):.2f} s",
                 "the yardstick", ""))
    for name in ("check q6", "check all", "check all, warm cache"):
        ratio = med[name] / base
        paired = statistics.median(c / s for c, s in zip(times[name], times["import sympy"]))
        note = "" if codes[name] == {0} else f" (exit {sorted(codes[name])})"
        label = f"`derive {name.split(',')[0]}`" + (", warm verdict cache" if "warm" in name else ", cold, no cache")
        cpu_ratio = statistics.median(c / s for c, s in zip(CPU[name], CPU["import sympy"]))
        rows.append((label, f"{med[name]:.2f} s = **{ratio:.2f} ×** import "
                     f"(paired {paired:.2f} ×; CPU {statistics.median(CPU[name]):.2f} s, "
                     f"paired **{cpu_ratio:.2f} ×**){note}", f"≤ {TARGETS[name]} ×",
                     mark(min(ratio, cpu_ratio) <= TARGETS[name])))
    if paths:
        import_cpu = statistics.median(CPU["import sympy"])
        before = statistics.median(p["before"] for p in paths)
        busiest = statistics.median(max(p["workers"]) for p in paths)
        path = statistics.median((p["parent"] + max(p["workers"])) / import_cpu for p in paths)
        rows.append(("`check all` by CPU on the critical path (bench/critical.py, "
                     f"{len(paths)} runs)", f"the parent {before:.2f} s before the workers "
                     f"(start-up, imports, reading; `import sympy` {import_cpu:.2f} s), then the "
                     f"busiest worker {busiest:.2f} s: **{path:.2f} ×** import CPU",
                     "what an idle machine would show", ""))
    floor = med["check all, floor"] / base
    floor_cpu = statistics.median(c / s for c, s in zip(CPU["check all, floor"], CPU["import sympy"]))
    rows.append(("the floor: `check all` with every step's check instant (bench/floor.py)",
                 f"{med['check all, floor']:.2f} s = **{floor:.2f} ×** import (paired "
                 f"{statistics.median(c / s for c, s in zip(times['check all, floor'], times['import sympy'])):.2f} ×; "
                 f"CPU paired **{floor_cpu:.2f} ×**)", "what is not checking", ""))
    rows.append(("`derive --help`", f"{med['--help']:.3f} s; imports SymPy: {'yes' if sympy_in_help else 'no'}",
                 "< 0.2 s, no SymPy", mark(med["--help"] < TARGETS["--help"] and not sympy_in_help)))
    seconds = [s[4] for s in steps]
    median_step = statistics.median(seconds)
    rows.append((f"median step ({len(steps)} steps)", f"{median_step * 1000:.1f} ms",
                 "≤ 20 ms", mark(median_step <= TARGETS["median step"])))
    rows.append(("checking time (sum of step times)", f"{sum(seconds):.2f} s for all; "
                 + ", ".join(f"{i} {sum(s[4] for s in steps if s[0] == i):.2f} s"
                             for i in dict.fromkeys(s[0] for s in steps)),
                 "< ½ × import sympy", mark(sum(seconds) < base / 2)))
    q6 = [s[4] for s in steps if s[0] == "q6"]
    if q6:
        rows.append(("median step, q6", f"{statistics.median(q6) * 1000:.1f} ms", "≤ 20 ms",
                     mark(statistics.median(q6) <= TARGETS["median step"])))
    slow = sorted(steps, key=lambda s: -s[4])[:3]
    text = "; ".join(f"{i} {n} {sec * 1000:.0f} ms [{method}]" for i, n, _, method, sec in slow)
    rows.append(("slowest 3 steps", text, "each within its budget", ""))
    not_ok = [s for s in steps if s[2] in ("failed", "unknown")]
    if not_ok:
        rows.append(("steps not settled", ", ".join(f"{i} {n} {st}" for i, n, st, _, _ in not_ok), "none", "✗"))
    for label, measured in pdf or ():
        if measured is None:
            continue
        wall, tex = measured
        rows.append((f"`derive render all --to pdf`, {label}",
                     f"{wall:.2f} s, TeX {tex:.1f} s → **{wall - tex:.2f} s** over TeX",
                     "TeX + ≤ 1 s", mark(wall - tex <= TARGETS["pdf overhead"])))
    out = ["| " + " | ".join(r) + " |" for r in rows]
    import sympy  # noqa: PLC0415 - only for the version line
    out.append("")
    out.append(f"{rounds} alternating rounds, medians; {os.cpu_count()} cores, Python "
               f"{platform.python_version()}, SymPy {sympy.__version__}, {time.strftime('%Y-%m-%d')}.")
    return "\n".join(out), med, median_step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--no-pdf", action="store_true", help="skip render all --to pdf")
    args = parser.parse_args(argv)

    tree.compile_sources()
    times, codes = alternate(args.rounds)
    sympy_in_help = help_imports_sympy()
    steps = step_times()
    paths = [critical.measure(["check", "all", "--no-cache"], PY) for _ in range(args.rounds)]
    paths = [p for p in paths if p["workers"]]
    # Cold: every step is checked first; warm: the verdicts come from the cache.
    pdf = None if args.no_pdf else [("cold", pdf_overhead(COLD)), ("warm cache", pdf_overhead(WARM))]
    text, med, median_step = table(times, codes, steps, pdf, sympy_in_help, args.rounds, paths)
    print(text)

    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    shutil.rmtree(WARM_DIR, ignore_errors=True)
    (results / "latest.json").write_text(json.dumps({
        "rounds": args.rounds, "times": times, "medians": med,
        "exit_codes": {k: sorted(v) for k, v in codes.items()},
        "cpu": CPU, "help_imports_sympy": sympy_in_help, "median_step": median_step,
        "steps": steps, "pdf": pdf, "critical_path": paths}, indent=1))


if __name__ == "__main__":
    main()
