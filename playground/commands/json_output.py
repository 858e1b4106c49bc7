"""The one JSON writer of every command: strict JSON, so any parser (and JavaScript) reads it.

Python's `json` writes NaN and Infinity as bare `NaN`/`Infinity`, which JSON does not have: a diverged
loss would make the whole output unreadable. Here every non-finite number becomes `null`.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

__all__ = ["dumps", "print_json", "strict"]


def strict(value: Any) -> Any:
    """`value` with every non-finite float (at any depth) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: strict(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [strict(item) for item in value]
    if hasattr(value, "item") and hasattr(value, "dtype"):  # a numpy scalar
        return strict(value.item())
    return value


def dumps(value: Any, **options) -> str:
    return json.dumps(strict(value), allow_nan=False, **options)


def print_json(value: Any, file=None, **options) -> None:
    print(dumps(value, **options), file=file or sys.stdout)
