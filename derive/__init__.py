"""derive: rebuild derivations step by step, prove every step, typeset the result."""

from .deferred import defer as _defer

__version__ = "0.1.0"

_defer()       # SymPy's tensor module only if something uses it (see deferred.py)


def load_ipython_extension(ipython):
    """`%load_ext derive` in IPython/Jupyter: the %%derive cell magic (derive/notebook.py)."""
    from .notebook import load_ipython_extension as load
    load(ipython)
