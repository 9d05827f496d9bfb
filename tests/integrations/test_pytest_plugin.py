"""The pytest plugin (pytest_derive, entry point pytest11), run by pytester in a scratch directory."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytest_plugins = ["pytester"]

# pytester's in-process runs drop the modules they imported; imported here they stay
# (SymPy, the parser and the checks load once, not once per run).
import derive.checks.registry  # noqa: E402,F401
import derive.report  # noqa: E402,F401
import derive.source.format  # noqa: E402,F401
import derive.targets  # noqa: E402,F401
import pytest_derive  # noqa: E402,F401
from derive.checks.registry import kinds  # noqa: E402
from derive.source.library import _lib  # noqa: E402

kinds()
_lib()

SAMPLED = r"""---
symbols:
  - t > 0
---

$$
\arctan t + \arctan \frac{1}{t} = \frac{\pi}{2}   % algebra
$$
"""

RIGHT = r"""---
symbols:
  - x, y \in \mathbb{R}
---

$$
(x + y)^2 = x^2 + 2 x y + y^2   % algebra
$$
"""

WRONG = r"""---
id: wrong
symbols:
  - x, y \in \mathbb{R}
---

## (a) Squares

$$
(x + y)^2 = x^2 + 2 x y + y^2   % algebra
  = x^2 + y^2                   % algebra: WRONG
$$

## (b) A bound

$$
x^2 + 1 \ge 2 x   % sign
x^2 \ge x         % sign: WRONG
$$
"""


@pytest.fixture()
def project(pytester):
    (pytester.path / "right.md").write_text(RIGHT, encoding="utf-8")
    (pytester.path / "wrong.md").write_text(WRONG, encoding="utf-8")
    (pytester.path / "README.md").write_text("# Not a derivation\n\nNo front matter.\n")
    return pytester


@pytest.fixture(autouse=True)
def only_this_plugin(monkeypatch):
    # Hypothesis's plugin would be imported anew on every in-process run (seconds).
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def run(pytester, *args):
    # `-p pytest_derive` loads the plugin whether or not its entry point is installed.
    return pytester.runpytest("-p", "pytest_derive", "-p", "no:cacheprovider", *args)


def test_one_item_per_derivation_file_and_nothing_without_front_matter(project):
    result = run(project, "--derive", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["right.md::right PASSED*", "wrong.md::wrong FAILED*"])
    assert "README" not in result.stdout.str()


def test_a_failure_shows_each_wrong_step_with_its_place_reason_and_counterexample(project):
    result = run(project, "--derive")
    result.stdout.fnmatch_lines([
        "*_ derivation wrong _*",
        "✗ a.2 * x² + 2·x·y + y² = x² + y²   [[]algebra: sampling] *",
        "      failed: the two sides differ",
        "      counterexample: x = *, y = *: left side *, right side *",
        "      at wrong.md:11:3",
        "✗ b.4 * x² ≥ x *",
        "      failed: the inequality ≥ breaks",
        "      counterexample: x = *",
        "      at wrong.md:18:1",
        "FAILED wrong.md::wrong - ✗ a.2 *",
    ])
    out = result.stdout.str()
    assert "Traceback" not in out and "def runtest" not in out and "b.3" not in out


def test_one_item_per_step_located_at_its_line(project):
    result = run(project, "--derive", "--derive-per", "step", "-v", "wrong.md")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines([
        "wrong.md::a.1 PASSED*",
        "wrong.md::a.2 FAILED*",
        "wrong.md::b.3 PASSED*",
        "wrong.md::b.4 FAILED*",
        "*_ step a.2 _*",
        "✗ a.2 *",
        "      failed: the two sides differ",
        "      counterexample: *",
        "      at wrong.md:11:3",
    ])


def test_derive_files_glob_collects_without_the_flag(pytester):
    pytester.makeini("[pytest]\nderive_files = *.derive.md notes-*.md\n")
    for name, text in (("a.derive.md", RIGHT), ("notes-1.md", WRONG), ("other.md", WRONG)):
        (pytester.path / name).write_text(text, encoding="utf-8")
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    assert "other.md" not in result.stdout.str()


@pytest.mark.parametrize("args, outcome", [
    ((), {"passed": 1}),
    (("--derive-strict",), {"failed": 1}),
])
def test_strict_fails_a_step_that_is_only_sampled(pytester, args, outcome):
    (pytester.path / "sampled.md").write_text(SAMPLED, encoding="utf-8")
    result = run(pytester, "--derive", *args)
    result.assert_outcomes(**outcome)
    if args:
        result.stdout.fnmatch_lines(["≈ a.1 *[[]algebra: sampling]*",
                                     "      checked: no symbolic proof*",
                                     "      at sampled.md:7:1",
                                     "*--derive-strict: a sampled step is evidence, not proof*"])


def test_bad_input_is_a_one_line_collection_error(pytester):
    (pytester.path / "bad.md").write_text(SAMPLED.replace("% algebra", "% algebr"), encoding="utf-8")
    result = run(pytester, "--derive")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR collecting bad.md*",
                                 "derive: *bad.md:7:*: unknown justification `algebr`*"])
    assert "Traceback" not in result.stdout.str()


def test_the_entry_point_is_declared():
    import tomllib
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["entry-points"]["pytest11"] == {"pytest_derive": "pytest_derive"}
