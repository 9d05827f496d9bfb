"""The mutation corpus: right steps, their mechanical wrong variants, and what derive says of each.

    python bench/falsify_corpus.py                 # the engine as it is on this branch
    python bench/falsify_corpus.py --search        # with bench/wire_search.py's wiring of the searcher
    python bench/falsify_corpus.py --files logistic limits --json out.json

Right steps are bench/corpus/*.md (written for this purpose, not the homework). A wrong
variant is kept only when bench/oracle.py, which shares no code with derive.checks,
finds a point where it is false. Prints a Markdown report; a wrong variant that comes
out checked, proved or cited is a soundness bug and is listed with its reproducer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __name__ == "__main__":
    # Run as a script: import bench.* from the checkout, not bench/bench.py as `bench`.
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

CORPUS = HERE / "corpus"


def steps_of(derivation):
    """(index, part, step, lhs) with chains resolved, numbered as `derive check` numbers them."""
    index = 0
    for part in derivation.parts:
        current = None
        for step in part.steps:
            index += 1
            lhs = step.lhs if step.lhs is not None else current
            yield index, part, step, lhs
            current = step.rhs


def verdict_of(derivation, part, step, lhs):
    """The engine's verdict on one step, its left side given, and the CPU it took."""
    from derive import kernel
    from derive.checks import driver
    from derive.model import Link
    start = time.process_time()
    v = driver.check_step(derivation, Link(part, 1, step, lhs), kernel.Ledger())
    return v, time.process_time() - start


def kind_of(v):
    """proved / cited / checked / unknown / failed+cex / failed+symbolic / failed (bare)."""
    if v.status != "failed":
        return v.status
    if v.counterexample:
        return "failed+cex"
    text = (v.reason or "").lower()
    if any(w in text for w in ("provably", "everywhere", "differ by", "not 0", "the other way",
                               "strict and the other is not", "not an instance")):
        return "failed+symbolic"
    return "failed"


def run(files, search=False, oracle_points=200, per_operator=1, seed=0, log=None):
    from derive.source import load_file
    from bench.mutate import mutants
    from bench.oracle import refutes
    if search:
        from bench import wire_search
        wire_search.wire()
    right, wrong = [], []
    for path in files:
        derivation = load_file(path)
        variables = [v.symbol for v in derivation.variables]
        for index, part, step, lhs in steps_of(derivation):
            where = f"{path.stem}:{part.label}.{index}"
            v, secs = verdict_of(derivation, part, step, lhs)
            try:        # the corpus itself is checked: the oracle must find no point against it
                against = refutes(derivation, part, step, lhs, points=oracle_points // 4, seed=seed + 1)
            except Exception:     # noqa: BLE001
                against = None
            right.append({"where": where, "kind": kind_of(v), "method": v.method, "seconds": secs,
                          "reason": v.reason, "counterexample": v.counterexample,
                          "oracle_against": against})
            if log:
                print(f"{where:28s} right  {kind_of(v):16s} {secs:6.2f}s", file=log, flush=True)
            for m in mutants(step, lhs, variables, seed=seed + index, per_operator=per_operator):
                try:
                    shown = refutes(derivation, part, m.step, m.lhs, points=oracle_points, seed=seed)
                except Exception as exc:       # noqa: BLE001 - an oracle that cannot evaluate keeps nothing
                    shown = None
                if not shown:
                    continue
                mv, msecs = verdict_of(derivation, part, m.step, m.lhs)
                wrong.append({"where": where, "operator": m.operator, "description": m.description,
                              "kind": kind_of(mv), "method": mv.method, "seconds": msecs,
                              "reason": mv.reason, "counterexample": mv.counterexample,
                              "oracle": shown, "step": _shown(m)})
                if log:
                    print(f"{where:28s} wrong  {kind_of(mv):16s} {msecs:6.2f}s  {m.operator}: "
                          f"{m.description}", file=log, flush=True)
    return right, wrong


def _shown(m):
    from derive.printing import text
    rhs = m.step.rhs
    return f"{text(m.lhs)} {m.step.rel} {text(rhs)}" + (
        f"  for {', '.join(text(c) for c in m.step.when)}" if m.step.when else "")


def report(right, wrong, label):
    def share(rows, kinds):
        return sum(r["kind"] in kinds for r in rows)
    n, w = len(right), len(wrong)
    refuted = [r["seconds"] for r in wrong if r["kind"].startswith("failed")]
    lines = [f"### {label}", "",
             "| measure | result | target |", "| --- | --- | --- |",
             f"| right steps | {n} | ≥ 150 |",
             f"| right steps proved or cited | {share(right, ('proved', 'cited'))} "
             f"({_pct(share(right, ('proved', 'cited')), n)}) | |",
             f"| right steps checked / unknown | {share(right, ('checked',))} / {share(right, ('unknown',))} | |",
             f"| right steps failed | {sum(r['kind'].startswith('failed') for r in right)} | 0 |",
             f"| wrong variants (kept by the oracle) | {w} | |",
             f"| wrong variants failed with a counterexample | {share(wrong, ('failed+cex',))} "
             f"({_pct(share(wrong, ('failed+cex',)), w)}) | ≥ 95 % |",
             f"| wrong variants failed, symbolic refutation | {share(wrong, ('failed+symbolic',))} | |",
             f"| wrong variants failed, neither | {share(wrong, ('failed',))} | |",
             f"| wrong variants unknown | {share(wrong, ('unknown',))} | |",
             f"| wrong variants checked / proved / cited | {share(wrong, ('checked',))} / "
             f"{share(wrong, ('proved',))} / {share(wrong, ('cited',))} | 0 |",
             f"| time to refute, median / p90 | {_q(refuted, 0.5)} / {_q(refuted, 0.9)} | |", ""]
    by_op = {}
    for r in wrong:
        by_op.setdefault(r["operator"], []).append(r)
    lines += ["| slip | variants | failed with counterexample | unknown | checked/proved/cited |",
              "| --- | --- | --- | --- | --- |"]
    for op, rows in sorted(by_op.items()):
        lines.append(f"| {op} | {len(rows)} | {share(rows, ('failed+cex',))} | {share(rows, ('unknown',))} "
                     f"| {share(rows, ('checked', 'proved', 'cited'))} |")
    bad = [r for r in wrong if r["kind"] in ("checked", "proved", "cited")]
    if bad:
        lines += ["", "**Wrong variants accepted (soundness bugs):**", ""]
        lines += [f"- {r['where']} {r['operator']} ({r['description']}): `{r['step']}` came out "
                  f"{r['kind']} [{r['method']}]; the oracle's point: {r['oracle']}" for r in bad]
    disputed = [r for r in right if r.get("oracle_against")]
    if disputed:
        lines += ["", "**Right steps the oracle disputes (a corpus error or an oracle error):**", ""]
        lines += [f"- {r['where']}: {r['oracle_against']}" for r in disputed]
    failed_right = [r for r in right if r["kind"].startswith("failed")]
    if failed_right:
        lines += ["", "**Right steps failed:**", ""]
        lines += [f"- {r['where']}: {r['reason']} {r['counterexample']}" for r in failed_right]
    return "\n".join(lines)


def _pct(k, n):
    return f"{100 * k / n:.0f} %" if n else "–"


def _q(values, q):
    if not values:
        return "–"
    values = sorted(values)
    return f"{values[min(len(values) - 1, int(q * len(values)))] * 1000:.0f} ms"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--search", action="store_true", help="wire the searcher in (bench/wire_search.py)")
    ap.add_argument("--files", nargs="*", help="corpus file stems (default: all)")
    ap.add_argument("--json", help="write every row here")
    ap.add_argument("--points", type=int, default=200, help="oracle points per wrong variant")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    files = sorted(CORPUS.glob("*.md"))
    if args.files:
        files = [f for f in files if f.stem in args.files]
    right, wrong = run(files, search=args.search, oracle_points=args.points,
                       log=None if args.quiet else sys.stderr)
    print(report(right, wrong, "with the searcher wired" if args.search else "the engine as it is"))
    if args.json:
        Path(args.json).write_text(json.dumps({"right": right, "wrong": wrong}, indent=1, default=str))


if __name__ == "__main__":
    main()
