"""derive: rebuild derivations step by step, prove every step, typeset the result."""

__version__ = "0.1.0"


def load_ipython_extension(ipython):
    """`%load_ext derive` in IPython/Jupyter: the %%derive cell magic (derive/notebook.py)."""
    from .notebook import load_ipython_extension as load
    load(ipython)
