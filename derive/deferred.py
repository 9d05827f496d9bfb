"""SymPy's tensor module, loaded only when something uses it: a cold start skips it.

SymPy's ``Add.flatten`` imports ``sympy.tensor.tensor`` on its first call, only
to test its arguments against two classes, and that import pulls in
combinatorics: about a sixth of ``import sympy`` again, paid by every run that
adds two expressions. An import hook answers that import with a stand-in
module whose two classes nothing is an instance of, which is exact: no tensor
can exist before the real module is loaded. Any other name asked of the
stand-in loads the real module, which from then on answers every question.
Nothing is imported or put in ``sys.modules`` until SymPy asks.
"""

from __future__ import annotations

import importlib
import sys
import types
from importlib.machinery import ModuleSpec

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


class _Hook:
    """A meta-path finder and loader for NAME alone, until the real module is loaded."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != NAME:
            return None
        return ModuleSpec(NAME, self)

    def create_module(self, spec):
        return _Deferred(NAME, "Stands in for sympy.tensor.tensor until it is used.")

    def exec_module(self, module):
        pass


_HOOK = _Hook()


def load():
    """The real module (imported now if it was not yet)."""
    if not _real:
        if isinstance(sys.modules.get(NAME), _Deferred):
            del sys.modules[NAME]
        if _HOOK in sys.meta_path:
            sys.meta_path.remove(_HOOK)     # from now on the real module is imported
        _real.append(importlib.import_module(NAME))
    return _real[0]


def defer() -> None:
    """Install the hook, unless the real module is already loaded."""
    if NAME not in sys.modules and _HOOK not in sys.meta_path:
        sys.meta_path.insert(0, _HOOK)
