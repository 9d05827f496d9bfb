"""Errors: bad input (exit 2) versus a step the engine cannot handle."""

from __future__ import annotations


class DeriveError(Exception):
    """Base of every error the CLI turns into a one-line message."""


class InputError(DeriveError):
    """Malformed input; carries where it is, for ``file:line:col: message``."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 column: int | None = None):
        self.message, self.file, self.line, self.column = message, file, line, column
        where = ":".join(str(p) for p in (file, line, column) if p is not None)
        super().__init__(f"{where}: {message}" if where else message)


class UnsupportedStep(DeriveError):
    """A step whose form no checker handles; it ends ``unknown`` with this reason."""


class RenderError(DeriveError):
    """Typesetting failed (TeX error, missing template); nothing is overwritten."""
