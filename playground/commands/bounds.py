"""Limits on what a command line may ask for, checked before any work starts (documented in the README)."""

from __future__ import annotations

from ..errors import UsageError

MAX_EPOCHS = 1_000_000  # far past any lesson's budget (hundreds of epochs); a typo like 1e20 is refused at once


def check_epochs(value: int, option: str = "--epochs") -> int:
    if value < 0:
        raise UsageError(f"{option} must be >= 0, got {value}")
    if value > MAX_EPOCHS:
        raise UsageError(f"{option} must be at most {MAX_EPOCHS:,}, got {value:,}")
    return value
