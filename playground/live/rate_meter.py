"""Events per second over a sliding window: the epochs/s and frames/s read-outs."""

from __future__ import annotations

import time
from collections import deque


class RateMeter:
    """Counts per second over a sliding window of about one second."""

    def __init__(self, window: float = 1.0):
        self.window, self._events = window, deque()
        self._total = 0  # the counts in `_events`: read with every frame, so kept rather than summed each time

    def add(self, count: int = 1) -> None:
        now = time.monotonic()
        self._events.append((now, count))
        self._total += count
        while self._events and now - self._events[0][0] > self.window:
            self._total -= self._events.popleft()[1]

    def rate(self) -> float:
        try:
            first_at, first_count = self._events[0]  # the worker adds while the document's thread reads
        except IndexError:
            return 0.0
        if len(self._events) < 2:
            return 0.0
        return max(0, self._total - first_count) / max(time.monotonic() - first_at, 1e-3)

    def clear(self) -> None:
        self._events.clear()
        self._total = 0
