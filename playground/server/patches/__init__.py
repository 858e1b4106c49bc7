"""Every change this project makes to Panel's, Bokeh's and tornado's internals, one module each.

Each module says what it patches, why, and what upstream change would let it go. Its `install()` first
checks that the names it needs exist (`missing`): where one does not (a Panel or Bokeh release that moved
it), the feature it serves is left out with one log line (`left_out`) and the app still serves. Nothing
else in the project reads or replaces a private name of these libraries (tests/test_structure.py checks).
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

_said: set[str] = set()


def missing(owner: object, *names: str) -> list[str]:
    """Those of `names` that `owner` (a module or class) lacks, as 'owner.name'."""
    label = getattr(owner, "__qualname__", None) or getattr(owner, "__name__", repr(owner))
    return [f"{label}.{name}" for name in names if not hasattr(owner, name)]


def left_out(feature: str, absent: list[str]) -> bool:
    """Log once per process that `feature` is off because `absent` names are gone; always False."""
    if feature not in _said:
        _said.add(feature)
        log.warning("%s is off: this Panel/Bokeh has no %s", feature, ", ".join(absent))
    return False


def installed_marker(function: object, marker: str) -> bool:
    """Whether `function` is already our replacement (each patch marks its own, so it installs once)."""
    return bool(getattr(function, marker, False))
