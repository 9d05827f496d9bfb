"""A `% for …` line between prose and a $$ block is a condition, as it is inside the block."""

from __future__ import annotations

import pytest

from derive.errors import InputError
from derive.source import load_text

HEAD = "---\nsymbols:\n  - n \\in \\mathbb{Z}_{\\ge 1}\n---\n## (a) Part\n"


def when(body):
    derivation = load_text(HEAD + body, "c.md")
    part, = derivation.parts
    return [str(c) for c in part.when], [[str(c) for c in s.when] for s in part.steps]


@pytest.mark.parametrize("body, expected", [
    # before the part's first step: the part's condition
    ("% for n \\ge 2\n\n$$\nn = n\nn + 1 = n + 1\n$$\n", (["n >= 2"], [[], []])),
    ("Prose.\n% where n > 3\n$$\nn = n\n$$\n", (["n > 3"], [[]])),
    # between two blocks: the later steps' condition
    ("$$\nn = n\n$$\n% for n \\ge 2\n$$\nn + 1 = n + 1\n$$\n", ([], [[], ["n >= 2"]])),
    # inside the block, as before; a comment that is no condition stays prose
    ("$$\n% for n \\ge 2\nn = n\n$$\n", (["n >= 2"], [[]])),
    ("% format note\n$$\nn = n\n$$\n", ([], [[]])),
])
def test_a_condition_line_applies_to_the_steps_after_it(body, expected):
    assert when(body) == expected


def test_a_condition_line_that_cannot_be_read_is_an_error():
    with pytest.raises(InputError, match=r"c\.md:6:"):
        load_text(HEAD + "% for n \\ge\n$$\nn = n\n$$\n", "c.md")
