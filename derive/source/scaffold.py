"""`derive new NAME`: a small, valid, checkable derivation file to start from (no SymPy)."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError

TEMPLATE = r"""---
title: "The derivative of the sigmoid"
symbols:
  - z \in \mathbb{R}
functions:
  - \sigma(t) = \frac{1}{1 + e^{-t}}
---

A derivation file: declarations above (symbols, functions, define, assume,
hypotheses), prose with inline math such as $\sigma(z)$, and steps in display
math blocks, one relation per line with a justification comment after it.
`derive check` proves each step; `derive render` typesets them.

## (a) The derivative of the sigmoid

$$
\frac{d}{dz} \sigma(z) = \frac{e^{-z}}{\left(1 + e^{-z}\right)^2}   % derivative
  = \sigma(z) \bigl(1 - \sigma(z)\bigr)                              % algebra: $1 - \sigma(z) = e^{-z}\sigma(z)$
$$

So $\sigma' = \sigma(1 - \sigma)$, largest at $z = 0$ where it is $\tfrac14$.
"""


def target(name: str) -> Path:
    """NAME.md, or NAME itself when it already ends in .md."""
    return Path(name if name.endswith(".md") else name + ".md")


def write_new(name: str) -> Path:
    """Create the file; an existing file is never overwritten."""
    path = target(name)
    if not path.stem or path.stem.startswith("."):
        raise InputError(f"not a usable file name: {name!r}")
    try:
        # O_EXCL: refuse atomically, even if the file appears meanwhile.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise InputError(f"{path} already exists; not overwriting it") from None
    except OSError as exc:
        raise InputError(f"cannot create {path}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(TEMPLATE)
    return path
