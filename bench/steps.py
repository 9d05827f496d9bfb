"""CPU time of every step, medians over fresh processes: where checking spends its time.

    python bench/steps.py q4 q6 [--rounds 3] [--top 15] [--json FILE]

Each round starts a fresh process (SymPy's caches empty, as in a cold `derive check`)
that checks the targets in order on one core, without the verdict cache, and times
each step's check with this process's CPU clock. Prints the slowest steps (median CPU
over the rounds, with their status and method), each target's total, and whether any
step's status differed between rounds (it must not: verdicts do not depend on load).
Reports, never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from derive import kernel, targets
from derive.checks import driver, parallel
parallel.warm()                       # imports are not a step's cost
out = []
for target in sys.argv[2:]:
    for source in targets.plan([target]):
        derivation = targets.load(source, targets.read(source))
        if derivation.kind == "prose":
            continue
        walk = kernel.Walk()
        for link in derivation.links():
            walk.before(link)
            start = time.process_time()
            verdict = driver.check_step(derivation, link, walk.ledger)
            cpu = time.process_time() - start
            walk.after(link, verdict)
            out.append([derivation.id, f"{link.part.label}.{link.index}", verdict.status,
                        verdict.method, cpu])
print(json.dumps(out))
"""


def one_round(targets) -> list:
    env = dict(os.environ, DERIVE_NO_CACHE="1")
    done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), *targets], cwd=ROOT,
                          capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    rounds = [one_round(args.targets) for _ in range(args.rounds)]
    steps = {}
    for r in rounds:
        for did, sid, status, method, cpu in r:
            entry = steps.setdefault((did, sid), {"status": set(), "method": method, "cpu": []})
            entry["status"].add(status)
            entry["cpu"].append(cpu)
    rows = sorted(((statistics.median(e["cpu"]), key, e) for key, e in steps.items()),
                  key=lambda row: -row[0])
    print(f"| step | CPU ms (median of {args.rounds}) | status | method |")
    print("| --- | ---: | --- | --- |")
    for cpu, (did, sid), e in rows[:args.top]:
        print(f"| {did} {sid} | {cpu * 1000:.0f} | {'/'.join(sorted(e['status']))} | "
              f"{e['method'][:70]} |")
    totals = {}
    for cpu, (did, _), _ in rows:
        totals[did] = totals.get(did, 0) + cpu
    print()
    for did, total in totals.items():
        print(f"{did}: {total:.3f} s of CPU over {sum(1 for _, k, _ in rows if k[0] == did)} steps")
    print(f"all: {sum(totals.values()):.3f} s")
    unstable = [f"{did} {sid}" for (did, sid), e in steps.items() if len(e["status"]) > 1]
    print("statuses differed between rounds: " + (", ".join(unstable) if unstable else "none"))
    if args.json:
        Path(args.json).write_text(json.dumps(
            [{"derivation": did, "step": sid, "status": sorted(e["status"]), "method": e["method"],
              "cpu": e["cpu"]} for (did, sid), e in steps.items()], indent=1))


if __name__ == "__main__":
    main()
