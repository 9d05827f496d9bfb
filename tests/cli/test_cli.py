"""The command line: exit codes, one-line errors, the --json schema, help without SymPy."""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sympy import Gt, sqrt

import cli
import derive
from derive.build import Builder, why
from derive.catalog import known_ids
from derive.verdict import STATUSES

ROOT = Path(__file__).resolve().parents[2]
STEP_KEYS = {"part", "index", "file", "line", "column", "latex", "relation", "justification",
             "status", "method", "reason", "counterexample", "certificate", "cached", "seconds"}


def invoke(*args):
    return CliRunner().invoke(cli.main, list(args))


@pytest.fixture(scope="module")
def q6_text():
    return invoke("check", "q6")


@pytest.fixture(scope="module")
def q6_json():
    return invoke("check", "q6", "--json")


def small(kind="algebra", rhs_sign=1):
    """A two-step derivation: a proved step and one that is wrong (or unknown)."""
    b = Builder("small", "A small derivation")
    x = b.var("x")
    v = b.var("v")
    b.part("a", "sqrt")
    b.step(sqrt(v**2 * x**2), "=", v * x, "algebra", when=[Gt(v * x, 0)])
    b.step(sqrt(v**2 * x**2), "=", rhs_sign * v * x, kind)
    return b.build(source="small.py")


@pytest.fixture
def serve(monkeypatch):
    """Make `derive check ...` see these derivations, whatever the targets."""
    def use(*derivations):
        monkeypatch.setenv("DERIVE_NO_CACHE", "1")
        monkeypatch.setattr("derive.targets.plan", lambda targets: list(derivations))
    return use


# -- exit codes ---------------------------------------------------------------

def test_check_q6_exits_0_with_one_line_per_step(q6_text):
    assert q6_text.exit_code == 0, q6_text.output
    lines = q6_text.stdout.splitlines()
    assert lines[0].startswith("q6: ")
    steps = [line for line in lines if re.match(r"^\S [abcd]\.\d+ ", line)]
    assert len(steps) == 25 and all(line.startswith("✓") for line in steps)
    # An earlier test may have cached q6: the summary then says so instead of a time.
    assert re.fullmatch(r"25 steps: 25 proved( in \d+\.\d\d s| \(cached\))", lines[-1])


def test_a_failed_step_exits_1_with_its_counterexample(serve):
    serve(small())
    result = invoke("check", "small")
    assert result.exit_code == 1
    assert re.search(r"^✗ a\.2 ", result.stdout, re.M)
    assert "failed: the two sides differ" in result.stdout
    assert re.search(r"counterexample: .*: left side .*, right side ", result.stdout)
    assert re.search(r"^2 steps: 1 proved, 1 failed in ", result.stdout, re.M)


def test_an_unknown_step_exits_1(serve):
    serve(small(kind="no such reasoning"))
    result = invoke("check", "small")
    assert result.exit_code == 1
    assert re.search(r"^\? a\.2 ", result.stdout, re.M)
    assert "unknown justification 'no such reasoning'" in result.stdout


def test_unknown_id_is_one_line_listing_the_known_ids():
    result = invoke("check", "nope")
    assert result.exit_code == 2
    assert result.stdout == ""
    message = result.stderr.strip()
    assert "\n" not in message
    assert re.fullmatch(r"derive: error: unknown derivation 'nope'; known: .*", message)
    assert all(i in message for i in known_ids())


def test_unknown_id_among_good_ones_checks_nothing():
    result = invoke("check", "q6", "nope")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_missing_file_is_an_input_error():
    result = invoke("check", "no/such/file.md")
    assert result.exit_code == 2
    assert re.fullmatch(r"derive: error: no/such/file\.md: no such derivation file .*", result.stderr.strip())


@pytest.mark.parametrize("args, message", [
    (["check", "--bogus"], "No such option '--bogus'"),
    (["render", "q6", "--to", "docx"], "Invalid value for '--to'"),
    (["render"], "Missing argument 'TARGET'"),
    (["frobnicate"], "No such command 'frobnicate'"),
])
def test_usage_errors_exit_2(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_list_shows_every_known_id():
    result = invoke("list")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == known_ids()
    assert re.search(r"^q6\s+25 steps  Question 6", result.stdout, re.M)


# -- --json -------------------------------------------------------------------

def assert_schema(doc):
    assert set(doc) == {"derivations", "summary"}
    assert set(doc["summary"]) == set(STATUSES) | {"seconds", "cached"}
    every = []
    for d in doc["derivations"]:
        assert set(d) == {"id", "title", "source", "steps"}
        assert isinstance(d["id"], str) and isinstance(d["title"], str)
        for s in d["steps"]:
            assert set(s) == STEP_KEYS, set(s) ^ STEP_KEYS
            assert isinstance(s["part"], str) and isinstance(s["index"], int)
            for key in ("latex", "justification", "method"):
                assert isinstance(s[key], str) and s[key]
            assert s["relation"] in ("=", "<=", "<", ">=", ">", "iff")
            assert s["status"] in STATUSES
            assert isinstance(s["seconds"], float) and s["seconds"] >= 0
            assert s["reason"] is None or isinstance(s["reason"], str)
            assert s["counterexample"] is None or isinstance(s["counterexample"], dict)
            if s["status"] == "failed":
                assert s["reason"]
            every.append(s)
    summary = doc["summary"]
    for status in STATUSES:
        assert summary[status] == sum(s["status"] == status for s in every)
    # Checking time spent in this run: a cached step cost none.
    assert summary["seconds"] == pytest.approx(sum(s["seconds"] for s in every if not s["cached"]),
                                               abs=1e-4)
    assert summary["cached"] == (bool(every) and all(s["cached"] for s in every))
    return every


def test_json_matches_the_schema(q6_json):
    assert q6_json.exit_code == 0
    doc = json.loads(q6_json.stdout)
    steps = assert_schema(doc)
    assert [d["id"] for d in doc["derivations"]] == ["q6"]
    assert len(steps) == 25 and doc["summary"]["proved"] == 25
    assert [s["index"] for s in steps] == list(range(1, 26))
    assert steps[0]["part"] == "a" and steps[0]["latex"].startswith(r"\frac{\partial \ell}{\partial v}")


def test_json_of_a_failed_step_carries_reason_and_counterexample(serve):
    serve(small())
    result = invoke("check", "small", "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    steps = assert_schema(doc)
    bad = steps[1]
    assert bad["status"] == "failed" and bad["reason"].startswith("the two sides differ")
    assert {"x", "v", "lhs", "rhs"} <= set(bad["counterexample"])


def test_json_and_text_agree(q6_text, q6_json):
    doc = json.loads(q6_json.stdout)
    methods = [s["method"] for s in doc["derivations"][0]["steps"]]
    for method in methods:
        # The terminal counts the sign cases; --json names them.
        short = re.sub(r" in each sign case \((.*)\)$",
                       lambda m: f" in {len(m.group(1).split('; '))} sign cases", method)
        assert f"[{short}]" in q6_text.stdout


# -- help ----------------------------------------------------------------------

@pytest.mark.parametrize("args", [[], ["check"], ["render"], ["list"]], ids=["main", "check", "render", "list"])
def test_help_does_not_import_sympy(args):
    proc = subprocess.run([sys.executable, "-X", "importtime", "cli.py", *args, "--help"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("Usage: ")
    imported = [line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line]
    assert not [m for m in imported if m.split(".")[0] in ("sympy", "mpmath")]


def test_every_command_has_help_with_an_example():
    assert cli.main.help and "derive check q6" in cli.main.help
    for name, command in cli.main.commands.items():
        assert command.help, name
        assert re.search(r"^\s*Examples?:\s*derive " + re.escape(name) + r"\b", command.help, re.M), name
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert param.help, f"{name} {param.opts}"


def _installed():
    try:
        importlib.metadata.version("derive")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"derive {derive.__version__}"


def test_cached_and_fresh_verdicts_print_the_same(monkeypatch, tmp_path):
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("DERIVE_NO_CACHE", raising=False)

    def verdict_lines(result):
        assert result.exit_code == 0, result.output
        return [re.sub(r"\] \d+ ms$", "]", line) for line in result.stdout.splitlines()[:-1]]

    fresh = verdict_lines(invoke("check", "q6"))
    assert list(tmp_path.iterdir()), "nothing was cached"
    cached = verdict_lines(invoke("check", "q6"))
    monkeypatch.setenv("DERIVE_NO_CACHE", "1")
    again = verdict_lines(invoke("check", "q6"))
    assert fresh == cached == again
