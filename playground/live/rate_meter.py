"""Events per second over a sliding window: the epochs/s and frames/s read-outs."""

from __future__ import annotations

import time
from collections import deque


class RateMeter:
    """Counts per second over a sliding window of about one second."""

    def __init__(self, window: float = 1.0):
        self.window, self._events = window, deque()

    def add(self, count: int = 1) -> None:
        now = time.monotonic()
        self._events.append((now, count))
        while self._events and now - self._events[0][0] > self.window:
            self._events.popleft()

    def rate(self) -> float:
        events = list(self._events)
        if len(events) < 2:
            return 0.0
        return sum(c for _, c in events[1:]) / max(time.monotonic() - events[0][0], 1e-3)

    def clear(self) -> None:
        self._events.clear()
