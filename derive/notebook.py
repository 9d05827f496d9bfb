"""Jupyter: checked derivations that display themselves, and the `%%derive` cell magic."""

from __future__ import annotations

import re
import shlex

from .incremental import Session, StepMemo

_MEMO = StepMemo()          # one kernel, one memo: re-running an edited cell re-checks what changed
_SESSIONS: dict = {}


class Checked:
    """A derivation with its verdicts; in a notebook it shows as the typeset document does
    (the chain, each step's number and mark, a failed step's reason and counterexample)."""

    def __init__(self, derivation, results, text: str | None = None):
        self.derivation, self.results, self.text = derivation, tuple(results), text

    @property
    def statuses(self) -> list:
        return [r.verdict.status for r in self.results]

    @property
    def ok(self) -> bool:
        """True when no step failed or stayed unknown (as `derive check`'s exit status 0)."""
        return all(s in ("proved", "checked", "cited") for s in self.statuses)

    @property
    def symbols(self) -> dict:
        """The derivation's names (as printed) → its SymPy symbols and defined expressions."""
        out = {str(v.symbol): v.symbol for v in self.derivation.variables}
        out.update((str(sym), value) for sym, value in self.derivation.definitions)
        return out

    def _repr_markdown_(self) -> str:
        from .render import render_md
        return jupyter_math(render_md([(self.derivation, list(self.results))],
                                      title=self.derivation.title))

    def __repr__(self) -> str:
        from .report import records
        from .terminal import Style, step_lines
        lines = [f"{self.derivation.id}: {self.derivation.title}"]
        lines += step_lines(records(self.derivation, list(self.results)), Style())
        return "\n".join(lines)


_FENCED = re.compile(r"^```math\n(.*?)\n```$", re.S | re.M)
_INLINE = re.compile(r"\$`(.+?)`\$")


def jupyter_math(markdown: str) -> str:
    """GitHub's math syntax (```math blocks, $`…`$) as the $$…$$ and $…$ Jupyter renders."""
    return _INLINE.sub(lambda m: f"${m.group(1)}$",
                       _FENCED.sub(lambda m: f"$$\n{m.group(1)}\n$$", markdown))


def check(obj, name: str = "cell") -> Checked:
    """``obj`` checked: a Derivation (from Python or a file) or the text of a derivation file.

    Text is read and checked through a Session named ``name``, so checking an edited
    text again re-checks only the steps that changed. Bad text raises InputError.
    """
    if isinstance(obj, str):
        session = _SESSIONS.setdefault(name, Session(name, _MEMO))
        outcome = session.check(obj)
        if outcome.error is not None:
            raise outcome.error
        return Checked(outcome.derivation, outcome.results, obj)
    from .checks import check_derivation
    return Checked(obj, check_derivation(obj, _MEMO))


def front_matter(text: str) -> str:
    """The front matter of a derivation file's text ('' if it has none), with its --- lines."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return ""
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[:i + 1])
    return ""


def _derive_magic(shell, line: str, cell: str):
    """%%derive [--name NAME] [--use NAME]: check the cell, a derivation in the file format.

    --name NAME keeps the result as a variable (NAME.ok, NAME.symbols, NAME.results);
    --use NAME reads the cell under NAME's front matter when the cell has none.
    """
    from IPython.core.error import UsageError
    from .errors import InputError
    args = _arguments(line)
    name = args.get("name") or "cell"
    text, offset = cell, 0
    if args.get("use"):
        earlier = shell.user_ns.get(args["use"])
        if not isinstance(earlier, Checked) or earlier.text is None:
            raise UsageError(f"--use {args['use']}: no earlier %%derive --name {args['use']}")
        if not front_matter(cell):
            head = front_matter(earlier.text)
            text, offset = head + cell, head.count("\n")
    try:
        result = check(text, name)
    except InputError as exc:
        raise UsageError(_in_cell(exc, offset, args.get("use"))) from None
    if args.get("name"):
        shell.user_ns[args["name"]] = result
    return result


def _in_cell(exc, offset: int, used) -> str:
    """The error's place in the cell as its editor numbers it (the %%derive line is line
    1), or in the front matter it used."""
    if exc.line is None:
        return str(exc)
    if exc.line <= offset:
        return f"{used}'s front matter:{exc.line}:{exc.column}: {exc.message}"
    return f"{exc.file}:{exc.line - offset + 1}:{exc.column}: {exc.message}"


def _arguments(line: str) -> dict:
    from IPython.core.error import UsageError
    words, out = shlex.split(line), {}
    while words:
        flag = words.pop(0)
        if flag not in ("--name", "--use") or not words or not words[0].isidentifier():
            raise UsageError("usage: %%derive [--name NAME] [--use NAME]  (NAME: a Python name)")
        out[flag[2:]] = words.pop(0)
    return out


def load_ipython_extension(ipython) -> None:
    """`%load_ext derive`: the %%derive magic; a Derivation shows itself checked."""
    from .model import Derivation

    def derive(line, cell):
        return _derive_magic(ipython, line, cell)

    derive.__doc__ = _derive_magic.__doc__
    ipython.register_magic_function(derive, magic_kind="cell", magic_name="derive")
    formatter = ipython.display_formatter.formatters["text/markdown"]
    formatter.for_type(Derivation, lambda d: check(d)._repr_markdown_())


__all__ = ["Checked", "check", "front_matter", "jupyter_math", "load_ipython_extension"]
