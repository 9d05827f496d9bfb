"""Local search in floats: where to start in a case's space, and Nelder–Mead from there."""

from __future__ import annotations

from .sampling import _free_value

RANDOM_STARTS = 24


def nelder_mead(objective, x0, max_evals, good):
    """Minimise ``objective`` (returning (value, payload)) from ``x0``; stop early once
    ``good(value)``. Returns ((value, payload) of the best point, evaluations used)."""
    n = len(x0)
    simplex = [list(x0)] + [[x + (1.0 if i == j else 0.0) for j, x in enumerate(x0)] for i in range(n)]
    scores = [objective(x) for x in simplex]
    used = n + 1
    while used < max_evals:
        order = sorted(range(n + 1), key=lambda i: scores[i][0])
        simplex, scores = [simplex[i] for i in order], [scores[i] for i in order]
        if good(scores[0][0]):
            break
        if abs(scores[-1][0] - scores[0][0]) < 1e-15 and _diameter(simplex) < 1e-9:
            break
        centroid = [sum(p[j] for p in simplex[:-1]) / n for j in range(n)]
        worst = simplex[-1]
        reflected = [c + (c - w) for c, w in zip(centroid, worst)]
        r = objective(reflected)
        used += 1
        if r[0] < scores[0][0]:
            expanded = [c + 2 * (c - w) for c, w in zip(centroid, worst)]
            e = objective(expanded)
            used += 1
            simplex[-1], scores[-1] = (expanded, e) if e[0] < r[0] else (reflected, r)
            continue
        if r[0] < scores[-2][0]:
            simplex[-1], scores[-1] = reflected, r
            continue
        toward = reflected if r[0] < scores[-1][0] else worst
        contracted = [c + 0.5 * (p - c) for c, p in zip(centroid, toward)]
        c_score = objective(contracted)
        used += 1
        if c_score[0] < min(r[0], scores[-1][0]):
            simplex[-1], scores[-1] = contracted, c_score
            continue
        best = simplex[0]
        simplex = [best] + [[b + 0.5 * (p - b) for b, p in zip(best, q)] for q in simplex[1:]]
        scores = [scores[0]] + [objective(x) for x in simplex[1:]]
        used += n
    i = min(range(n + 1), key=lambda i: scores[i][0])
    return scores[i], used


def _diameter(simplex):
    return max(max(abs(a - b) for a, b in zip(p, simplex[0])) for p in simplex[1:]) if len(simplex) > 1 else 0.0


def starts(space, case, rng):
    """(coordinate values, pinned coordinates) to evaluate first and to search from."""
    coords, out = space.coords, []

    def random_point():
        for _ in range(8):
            p = case.sample(rng)
            if p is not None:
                vectors = {v: [rng.uniform(-2, 2) for _ in range(space.dim)] for v in space.vectors}
                extra = {k[1]: _free_value(k[1], rng) for k in space.kinds if k[0] == "extra"}
                values = space.values_of(p, vectors, extra)
                if all(v is not None for v in values):
                    return values
        return None
    for _ in range(RANDOM_STARTS):
        values = random_point()
        if values is not None:
            out.append((values, frozenset()))
    base = out[0][0] if out else [c.at_scale(1.0) for c in coords]
    # Tiny, moderate and huge magnitudes, every coordinate alike and mixed. The moderate
    # ones reach what breaks just outside the random points' box without overflowing:
    # (1 + x)ⁿ ≥ 1 + nx breaks for odd n at x < −3 (n = 5, x = −5).
    for s in (1e-6, 1e-3, 0.5, 2.0, 5.0, 10.0, 50.0, 1e3, 1e6):
        for sign in (1.0, -1.0):
            out.append(([c.at_scale(s, sign) for c in coords], frozenset()))
    for _ in range(6):
        out.append(([c.at_scale(10 ** rng.uniform(-6, 6), rng.choice((1.0, -1.0))) for c in coords],
                    frozenset()))
    # Closed ends: one coordinate at a time, then all at once (held there by the optimiser).
    ends = [(i, e) for i, c in enumerate(coords) for e in c.ends()]
    for i, e in ends:
        values = list(base)
        values[i] = e
        out.append((values, frozenset({i})))
    if len(ends) > 1:
        values, pinned = list(base), set()
        for i, e in ends:
            if i not in pinned:
                values[i] = e
                pinned.add(i)
        out.append((values, frozenset(pinned)))
    # Near equalities between variables (a claim false only near the diagonal).
    for i in range(len(coords)):
        for j in range(i + 1, len(coords)):
            v = base[i]
            if v is not None and coords[j].contains(v):
                values = list(base)
                values[j] = v if coords[j].integer else v + 1e-3 * (1 + abs(v)) * rng.uniform(-1, 1)
                if coords[j].contains(values[j]):
                    out.append((values, frozenset()))
    common = [c.at_scale(rng.uniform(0.2, 2.0), 1.0) for c in coords]
    if coords and all(coords[k].contains(common[0]) for k in range(len(coords))):
        out.append(([common[0] if c.integer else common[0] * (1 + 1e-4 * rng.uniform(-1, 1))
                     for c in coords], frozenset()))
    # Zero, where a coordinate may be zero.
    zeros = [0 if c.contains(0.0) else v for c, v in zip(coords, base)]
    if zeros != base:
        out.append((zeros, frozenset()))
    return [(v, p) for v, p in out if all(x is not None for x in v)]
