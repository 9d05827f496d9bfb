"""Jupyter: examples/derive-in-jupyter.ipynb executed by nbclient in a real ipykernel."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "derive-in-jupyter.ipynb"

pytestmark = pytest.mark.slow

BAD_CELL = r"""%%derive --use squares
$$
(x - y)^2 = x^2 - 2 x y + y^2   % algebr
$$"""


@pytest.fixture(scope="module")
def executed():
    """The example notebook, run top to bottom, plus one cell with a typo in a justification."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(BAD_CELL))
    limit = sys.getrecursionlimit()
    with pytest.MonkeyPatch.context() as mp:
        # The kernel imports this checkout's derive, whatever is installed.
        mp.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        try:
            NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=True,
                           resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
        finally:
            # Executing imports jedi here, which sets the recursion limit to 3000 for the
            # whole test process: later tests of deeply nested input would read it then.
            sys.setrecursionlimit(limit)
    return [c for c in nb.cells if c.cell_type == "code"]


def data(cell, mime):
    return "".join(o.get("data", {}).get(mime, "") for o in cell.outputs)


def test_the_magic_shows_the_typeset_chain_with_marks_and_the_counterexample(executed):
    squares = executed[1]
    md = data(squares, "text/markdown")
    assert "$$\n\\begin{aligned}\n(x + y)^2 &= x^2 + 2 x y + y^2 && \\text{(1.1)}" in md
    assert "| (1.1) | ✓ | algebra |" in md and "| (1.2) | ✗ | WRONG, the cross term is lost |" in md
    assert "**(1.2) ✗ failed:** the two sides differ at $x = " in md and "right side $" in md
    assert "```" not in md and "$`" not in md          # Jupyter's math, not GitHub's
    assert "✗ a.2" in data(squares, "text/plain")


def test_the_result_is_a_python_variable(executed):
    assert data(executed[2], "text/plain") == "(False, ['proved', 'failed'], x + 1)"


def test_a_later_cell_reuses_the_declarations_of_an_earlier_one(executed):
    md = data(executed[3], "text/markdown")
    assert "| (1.1) | ✓ | algebra |" in md and "✗" not in md


def test_a_derivation_object_displays_itself_checked(executed):
    md = data(executed[4], "text/markdown")
    assert md.count("| ✓ |") == 13 and "✗" not in md


def test_bad_input_is_a_one_line_error_at_the_cells_own_line(executed):
    """IPython shows a magic's UsageError as one line, no traceback; line 3 of the cell
    (the %%derive line is its line 1)."""
    (out,) = executed[5].outputs
    assert out.output_type == "stream" and out.name == "stderr"
    assert out.text.startswith("UsageError: cell:3:35: unknown justification `algebr` (did you mean `algebra`?)")
    assert out.text.count("\n") == 1
