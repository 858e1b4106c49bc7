"""How a command stops when told: Ctrl+C (SIGINT) and SIGTERM raise `Interrupted`, never mid-write.

`main` installs the handlers for every command but `serve` (the server keeps Python's and tornado's own
ways). A signal that arrives inside `held()` (a write of output that must stay whole, such as one epoch
of `run --format json`) waits until the block ends, then raises; anywhere else it raises at once. A
command that runs a child process (`export --html` and its kernel) installs its own handlers for that
stretch and stops the child before raising.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import Interrupted

__all__ = ["SIGNALS", "handling_signals", "held"]

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_held = 0  # nesting depth of held() blocks
_pending: list[int] = []  # a signal that arrived while held


def _raise(signum: int, _frame) -> None:
    if _held:
        _pending.append(signum)
        return
    raise Interrupted(signum)


@contextmanager
def handling_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` in this block; the previous handlers come back after it."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = {sig: signal.signal(sig, _raise) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def held() -> Iterator[None]:
    """A block a signal does not cut: one that arrives meanwhile raises `Interrupted` when it ends."""
    global _held
    _held += 1
    try:
        yield
    finally:
        _held -= 1
    if not _held and _pending:
        signum = _pending[0]
        _pending.clear()
        raise Interrupted(signum)
