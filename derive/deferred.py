"""SymPy's tensor module, loaded only when something uses it: a cold start skips it.

SymPy's ``Add.flatten`` imports ``sympy.tensor.tensor`` on its first call, only
to test its arguments against two classes, and that import pulls in
combinatorics: about a sixth of ``import sympy`` again, paid by every run that
adds two expressions. Until some other name is asked of it, a stand-in module
answers with two classes that nothing is an instance of, which is exact: no
tensor can exist before the real module is loaded. Any other use loads the
real module, which then answers every later question, those two included.
"""

from __future__ import annotations

import importlib
import sys
import types

NAME = "sympy.tensor.tensor"
_STANDINS = {"TensExpr": type("TensExpr", (), {}), "TensAdd": type("TensAdd", (), {})}
_real: list = []


class _Deferred(types.ModuleType):
    def __getattr__(self, name):
        if not _real and name in _STANDINS:
            return _STANDINS[name]
        if name == "__path__":
            raise AttributeError(name)      # a module, not a package (`from … import` asks)
        return getattr(load(), name)


_STANDIN = _Deferred(NAME, "Stands in for sympy.tensor.tensor until it is used.")


def load():
    """The real module (imported now if it was not yet)."""
    if not _real:
        if sys.modules.get(NAME) is _STANDIN:
            del sys.modules[NAME]
        _real.append(importlib.import_module(NAME))
    return _real[0]


def defer() -> None:
    """Put the stand-in in place, unless the real module is already loaded."""
    if NAME not in sys.modules:
        sys.modules[NAME] = _STANDIN
