"""Sampling honours every declaration: sizes under the step's and the part's conditions, indices as integers in their ranges."""

from __future__ import annotations

import random

import pytest

from tests.helpers import file_verdicts

SIZE = [r"n \in \mathbb{Z}_{\ge 1}", r"x_1, \dots, x_n \in \mathbb{R}"]
INDEX = [r"n \in \mathbb{Z}_{\ge 1}", r"i \in \{1, \dots, n\}", r"x \in \mathbb{R}"]
TWO_SIZES = [r"n, K \in \mathbb{Z}_{\ge 1}", r"r \in \{1, \dots, K\}", r"x_1, \dots, x_n \in \mathbb{R}"]


def one(symbols, step):
    verdict, = file_verdicts(symbols, [step])
    return verdict


# -- sizes: a condition on n is a condition on every instance ----------------------------

TRUE_UNDER_A_CONDITION = [
    r"\sum_{k=1}^{n} 1 \ge 2  % sign for n \ge 2",
    r"\sum_{k=1}^{n} x_k^2 \ge x_1^2 + x_n^2  % sign for n > 1",
    r"\sum_{k=1}^{n} [k = 2] = 1  % algebra for n \ge 2",
    r"\sum_{k=1}^{n} [k = 2] = 1  % algebra for n > 1",
    r"\sum_{k=1}^{n} [k = 4] = 1  % algebra for n \ge 4",
    r"\sum_{k=1}^{n} 1 \le 4  % sign for n \le 4",
]


@pytest.mark.parametrize("step", TRUE_UNDER_A_CONDITION)
def test_a_true_step_is_not_refuted_outside_its_condition(step):
    assert one(SIZE, step).status != "failed"


# (step, the least n its condition allows, the largest)
WRONG_UNDER_A_CONDITION = [
    (r"\sum_{k=1}^{n} 1 \ge 3  % sign for n \ge 2", 2, None),                  # off by one
    (r"\sum_{k=1}^{n} 1 \le 2  % sign for n \ge 2", 2, None),                  # direction
    (r"\sum_{k=1}^{n} 2 = n  % algebra for n \ge 2", 2, None),                 # factor
    (r"\sum_{k=1}^{n} [k = 3] = 1  % algebra for n \ge 2", 2, None),           # off by one
    (r"\sum_{k=1}^{n} x_k^2 \ge x_1^2 + x_n^2 + 1  % sign for n > 1", 2, None),  # sign
    (r"\sum_{k=1}^{n} 1 \ge 5  % sign for n \ge 4", 4, None),                  # only n = 4 breaks it
    (r"\sum_{k=1}^{n} 1 \le 3  % sign for n \le 4", 1, 4),                  # only n = 4 breaks it
]


@pytest.mark.parametrize("step, least, most", WRONG_UNDER_A_CONDITION)
def test_a_wrong_step_fails_at_a_size_its_condition_allows(step, least, most):
    verdict = one(SIZE, step)
    assert verdict.status == "failed", verdict
    n = int(verdict.counterexample["n"])
    assert n >= least and (most is None or n <= most), verdict.counterexample


@pytest.mark.parametrize("inside", [False, True])
def test_a_part_wide_condition_holds_for_every_step_of_the_part(inside):
    """`% for n ≥ 2` on its own line, inside the block or between prose and the block
    (where it was read as prose, and its steps were refuted at n = 1)."""
    from derive.checks import check_derivation
    from derive.source import load_text
    directive = "% for n \\ge 2\n"
    text = ("---\nsymbols:\n" + "".join(f"  - {s}\n" for s in SIZE) + "---\n## (b) Part\n"
            + ("" if inside else directive + "\n") + "$$\n" + (directive if inside else "")
            + "\\sum_{k=1}^{n} x_k^2 \\ge x_1^2 + x_n^2  % sign\n"
            + "\\sum_{k=1}^{n} [k = 2] = 1  % algebra\n"
            + "\\sum_{k=1}^{n} [k = 3] = 1  % algebra\n$$\n")
    got = [r.verdict for r in check_derivation(load_text(text, "part.md"))]
    assert [v.status for v in got[:2]] == ["checked", "checked"], got
    assert got[2].status == "failed" and int(got[2].counterexample["n"]) >= 2, got[2]


# -- indices: an integer inside its range, in every sampler --------------------------------

TRUE_FOR_INTEGER_INDICES = [
    r"i \le n  % sign",
    r"\frac{i}{n} \le 1  % sign",
    r"|n - i| = n - i  % algebra",
    r"\min(i, n) = i  % algebra",
    r"\max(i - n, 0) = 0  % algebra",
    r"(n - i)(n - i + 1) \ge 0  % sign",
    r"(n - i)(n - i - 1) \ge 0  % sign",          # true only because n − i is an integer
    r"i^2 \le n^2  % sign",
    r"n - i + x^2 \ge 0  % sign",
]


@pytest.mark.parametrize("step", TRUE_FOR_INTEGER_INDICES)
def test_a_step_true_for_every_index_in_its_range_is_not_refuted(step):
    assert one(INDEX, step).status != "failed"


WRONG_FOR_SOME_INDEX = [
    r"i < n  % sign",                       # i = n
    r"i \le n - 1  % sign",                 # off by one
    r"\frac{i}{n} < 1  % sign",
    r"|n - i| = i - n  % algebra",          # sign
    r"\min(i, n) = n  % algebra",
    r"2 i \le n + 1  % sign",               # factor
    r"i \ge 2  % sign",
    r"(n - i)(n - i - 2) \ge 0  % sign",    # i = n − 1
    r"i + x^2 \ge n  % sign",
]


@pytest.mark.parametrize("step", WRONG_FOR_SOME_INDEX)
def test_a_wrong_step_fails_at_an_integer_index_in_its_range(step):
    verdict = one(INDEX, step)
    assert verdict.status == "failed", verdict
    cex = verdict.counterexample
    i = float(cex["i"])
    assert i == int(i) and i >= 1, cex
    if "n" in cex:
        assert i <= int(cex["n"]), cex


# (step, status): a condition on an index filters points like one on a variable (it made
# sampling give up: unknown, whatever the step)
UNDER_AN_INDEX_CONDITION = [
    (r"i \le n - 1  % sign for i < n", "checked"),
    (r"i \le n - 2  % sign for i < n", "failed"),                       # off by one
    (r"\frac{1}{n - i} < 1  % sign for i < n", "failed"),                # at i = n − 1
    (r"x_i^2 \le \sum_{k=1}^{n} x_k^2 - x_n^2  % sign for i < n", "checked"),
    (r"x_i^2 \le \sum_{k=1}^{n} x_k^2 - x_1^2  % sign for i < n", "failed"),
]


@pytest.mark.parametrize("step, status", UNDER_AN_INDEX_CONDITION)
def test_a_condition_on_an_index_is_honoured(step, status):
    verdict = one(SIZE + [r"i \in \{1, \dots, n\}"], step)
    assert verdict.status == status, verdict
    if status == "failed":
        cex = verdict.counterexample
        assert 1 <= int(cex["i"]) < int(cex["n"]), cex


def _region():
    from derive.checks.points import region
    from derive.source import load_text
    from derive.kernel import World
    text = ("---\nsymbols:\n" + "".join(f"  - {s}\n" for s in INDEX)
            + "---\n## (a) A\n$$\ni = i\n$$\n")
    derivation = load_text(text, "r.md")
    world = World(derivation, (), "a")
    case, = world.cases
    i = dict(derivation.extra)["indices"][0].symbol
    n = next(s for s in world.vars if s.name == "n")
    return region(world, case), case, i, n


def test_points_draw_an_index_inside_its_range():
    r, case, i, n = _region()
    rng = random.Random(0)
    seen = set()
    for _ in range(200):
        point = r.sample(rng)
        if point is None:
            continue
        assert point[i] == int(point[i]) and 1 <= point[i] <= point[n], point
        seen.add(point[i] == point[n])
    assert seen == {True, False}          # its end n, and inside


@pytest.mark.parametrize("sampler", ["sampling", "search"])
def test_every_sampler_keeps_an_index_in_its_range(sampler):
    """i ≤ n at the case's points (the sampler, z3 and the optimiser behind the search);
    i < n breaks at i = n."""
    from derive.checks.falsify import search_relation
    from derive.checks.sampling import sample_relation
    from derive.kernel.meaning import prepare
    r, case, i, n = _region()
    run = sample_relation if sampler == "sampling" else search_relation
    N = prepare(r.world, n, case)
    outcome, info = run(i, N, "<=", r)
    assert outcome != "counterexample", info
    outcome, info = run(i, N, "<", r)
    assert outcome == "counterexample" and float(info["i"]) == float(info["n"]), info


def test_z3_is_told_the_index_range():
    from derive.checks import nra
    from derive.kernel.meaning import prepare
    r, case, i, n = _region()
    N = prepare(r.world, n, case)
    assert nra.query(i, N, "<=", r).status == "unsat"
    found = nra.query(i, N - 1, "<=", r)
    assert found.status == "sat"
    point = nra.counterexample(i, N - 1, "<=", r, found)
    assert point is not None and float(point["i"]) == float(point["n"]), point


# -- what sampling used to miss --------------------------------------------------------------

def test_sizes_also_vary_apart():
    """Σ_{k≤n} [k = r] = 1 with r ≤ K breaks only where r > n: n and K drawn together never
    reach it."""
    verdict = one(TWO_SIZES, r"\sum_{k=1}^{n} [k = r] = 1  % algebra")
    assert verdict.status == "failed", verdict
    cex = verdict.counterexample
    assert int(cex["n"]) < int(cex["r"]) <= int(cex["K"]), cex


def test_data_at_zero_is_tried():
    """Σ (x_i² + 10⁻⁶) ≥ 10⁻⁶ n + 10⁻⁹ breaks only where Σ x_i² < 10⁻⁹."""
    verdict = one(SIZE, r"\sum_{i=1}^{n} (x_i^2 + 10^{-6}) \ge 10^{-6} n + 10^{-9}  % sign")
    assert verdict.status == "failed", verdict


@pytest.mark.parametrize("step, status", [
    (r"\sum_{i=3}^{n} 1 = 5  % algebra", "failed"),
    (r"\sum_{i=3}^{n} 1 \ge 4  % sign", "failed"),
    (r"\sum_{i=3}^{n} 1 = n - 2  % algebra", "unknown"),     # true wherever it is a sum
    (r"\sum_{i=3}^{n} 1 \ge n - 2  % sign", "unknown"),
])
def test_a_sum_that_may_be_short_is_refuted_where_it_is_not(step, status):
    verdict = one(SIZE, step)
    assert verdict.status == status, verdict
    if status == "failed":
        assert int(verdict.counterexample["n"]) >= 2, verdict.counterexample


# -- an index's ends are tried on purpose, whatever else is declared -------------------------

# Unrelated declarations change the random draws: each row broke only at an index's end
# and came out `checked` under one of them when the index was drawn at random.
UNRELATED = [[], [r"u \in \mathbb{R}"], [r"\eta \in (0, 1]"], [r"k \in \mathbb{Z}"],
             [r"k \in \mathbb{Z}", r"u \in \mathbb{R}"], [r"a, b \in \mathbb{R}"]]

# (step, where it breaks: a test on the counterexample's i and n)
WRONG_ONLY_AT_AN_END = [
    (r"x_i^2 \le \sum_{k=1}^{n} x_k^2 - x_1^2  % sign for i < n", lambda i, n: i == 1 < n),
    (r"x_i^2 \le \sum_{k=1}^{n} x_k^2 - x_n^2  % sign for i > 1", lambda i, n: 1 < i == n),
    (r"x_i^2 \le \sum_{k=2}^{n} x_k^2  % sign for n \ge 2", lambda i, n: i == 1 < n),
]


@pytest.mark.parametrize("extra", UNRELATED, ids=lambda e: "+".join(e) or "none")
@pytest.mark.parametrize("step, where", WRONG_ONLY_AT_AN_END)
def test_a_step_wrong_at_an_index_end_fails_there(step, where, extra):
    verdict = one(SIZE + [r"i \in \{1, \dots, n\}"] + extra, step)
    assert verdict.status == "failed", verdict
    cex = verdict.counterexample
    assert where(int(cex["i"]), int(cex["n"])), cex


@pytest.mark.parametrize("extra", UNRELATED, ids=lambda e: "+".join(e) or "none")
def test_an_index_at_the_end_of_a_range_set_by_another_size(extra):
    """Σ_{q≤n} [q = r] = 1 with r ≤ K breaks only at r > n: r = K at K > n."""
    symbols = TWO_SIZES + [r"i \in \{1, \dots, n\}"] + extra
    verdict = one(symbols, r"\sum_{q=1}^{n} [q = r] = 1  % algebra")
    assert verdict.status == "failed", verdict
    cex = verdict.counterexample
    assert int(cex["n"]) < int(cex["r"]) <= int(cex["K"]), cex


@pytest.mark.parametrize("extra", UNRELATED, ids=lambda e: "+".join(e) or "none")
@pytest.mark.parametrize("step", [
    r"x_i^2 \le \sum_{k=1}^{n} x_k^2 - x_n^2  % sign for i < n",
    r"x_i^2 \le \sum_{k=1}^{n} x_k^2 - x_1^2  % sign for i > 1",
    r"x_i^2 \le \sum_{k=1}^{n} x_k^2  % sign",
])
def test_a_true_step_stays_unrefuted_at_the_ends(step, extra):
    assert one(SIZE + [r"i \in \{1, \dots, n\}"] + extra, step).status == "checked"
