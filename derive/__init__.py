"""derive: rebuild derivations step by step, prove every step, typeset the result."""

__version__ = "0.1.0"
