"""Searchers: each kind of reasoning looks for a certificate (or a counterexample); the kernel decides."""

from __future__ import annotations

from .driver import STEP_BUDGET, Goal, StepResult, check_derivation, check_step

__all__ = ["STEP_BUDGET", "Goal", "StepResult", "check_derivation", "check_step"]
