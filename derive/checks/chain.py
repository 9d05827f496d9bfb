"""The relation a chain a = b ≤ c … establishes (defined with the model, re-exported here)."""

from ..model import ChainError, compose

__all__ = ["ChainError", "compose"]
