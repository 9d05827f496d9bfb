"""Verdicts as terminal lines, as the --json document, and as per-status counts."""

from __future__ import annotations

from . import readable
from .printing import relation_text, relation_tex, text
from .verdict import STATUSES

MARKS = {"proved": "✓", "checked": "≈", "cited": "⊢", "failed": "✗", "unknown": "?"}


def counts(results) -> dict:
    out = {s: 0 for s in STATUSES}
    for r in results:
        out[r.verdict.status] += 1
    return out


def step_line(r) -> str:
    v = r.verdict
    rel = relation_text(r.lhs, r.step.rel, r.step.rhs)
    ms = f"{v.seconds * 1000:.0f} ms"
    conditions = [c for c in tuple(r.part.when) + tuple(r.step.when) if c is not True]
    where = f"   for {', '.join(text(c) for c in conditions)}" if conditions else ""
    line = f"{MARKS[v.status]} {r.part.label}.{r.index:<3} {rel}{where}   [{_short_method(v.method)}] {ms}"
    if v.status in ("failed", "unknown", "checked") and v.reason:
        line += f"\n      {v.status}: {readable.reason(v.reason)}"
    if v.counterexample:
        line += f"\n      counterexample: {readable.point_text(v.counterexample)}"
    if v.status in ("failed", "unknown") and r.step.origin:
        line += "\n      at " + ":".join(str(p) for p in r.step.origin)
    return line


def _short_method(method: str) -> str:
    """'cancel in each sign case (v>0, x>0; v<0, x<0)' → 'cancel in 2 sign cases' (the
    cases stay in --json and --explain)."""
    import re
    m = re.search(r" in each sign case \((.*)\)$", method)
    if not m:
        return method
    return method[:m.start()] + f" in {len(m.group(1).split('; '))} sign cases"


def explain_lines(r) -> list:
    lines = list(r.verdict.lines)
    if _short_method(r.verdict.method) != r.verdict.method:
        lines.insert(0, f"method: {r.verdict.method}")
    return [f"      {line}" for line in lines]


def summary_line(c: dict, seconds: float) -> str:
    parts = [f"{c[s]} {s}" for s in STATUSES if c[s]]
    return f"{sum(c.values())} steps: " + ", ".join(parts) + f" in {seconds:.2f} s"


def as_json(checked) -> dict:
    """``checked`` is [(derivation, results)]; the schema of product.md."""
    out, all_results, total = [], [], 0.0
    for derivation, results in checked:
        names = dict(derivation.latex_names)
        steps = []
        for r in results:
            v = r.verdict
            lhs, rel, rhs = relation_tex(r.lhs, r.step.rel, r.step.rhs, names)
            steps.append({
                "part": r.part.label, "index": r.index, "latex": f"{lhs} {rel} {rhs}",
                "relation": r.step.rel, "justification": r.step.why.text or r.step.why.kind,
                "status": v.status, "method": v.method, "reason": v.reason,
                "counterexample": v.counterexample, "seconds": round(v.seconds, 6),
            })
            if r.step.origin:
                steps[-1].update(zip(("file", "line", "column"), r.step.origin))
            total += v.seconds
        all_results.extend(results)
        out.append({"id": derivation.id, "title": derivation.title, "steps": steps})
        if unreadable(derivation):
            out[-1]["unreadable"] = unreadable(derivation)
    summary = counts(all_results)
    summary["seconds"] = round(total, 6)
    return {"derivations": out, "summary": summary}


def unreadable(derivation) -> list:
    """What a document held that could not be read: [{file, line, column, message}]."""
    return [dict(zip(("file", "line", "column", "message"), e))
            for e in dict(derivation.extra).get("unreadable", ())]


def unreadable_lines(payload) -> list:
    """The unreadable parts of a payload as `file:line:col: message` lines."""
    return [":".join(str(u[k]) for k in ("file", "line", "column") if u[k] is not None)
            + f": {u['message']}" for u in payload["json"].get("unreadable", [])]


def payload(derivation, results) -> dict:
    """Everything `derive check` prints about one derivation, as plain data (cacheable)."""
    return {
        "id": derivation.id, "title": derivation.title, "kind": derivation.kind,
        "lines": [step_line(r) for r in results],
        "explain": [explain_lines(r) for r in results],
        "json": as_json([(derivation, results)])["derivations"][0],
        "statuses": [r.verdict.status for r in results],
        "certificates": [list(r.verdict.lines) for r in results],
    }


def verdicts_from(payload) -> list:
    """The Verdicts a cached payload holds, in step order."""
    from .verdict import Verdict
    certs = payload.get("certificates") or [[] for _ in payload["json"]["steps"]]
    return [Verdict(st["status"], st["method"], st["reason"], st["counterexample"],
                    st["seconds"], None, True, tuple(c)) for st, c in zip(payload["json"]["steps"], certs)]
